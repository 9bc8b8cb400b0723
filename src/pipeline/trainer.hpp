// The trainer fits the configured model for a horizon and registers it through the controller.
// Fitting is separate from registering so that a backtest can fit models it never keeps.
#pragma once

#include <memory>

#include "controller/data_controller.hpp"
#include "model/forecaster.hpp"
#include "pipeline/enricher.hpp"

namespace loadcast {

/// A new model of `params.kind`, fitted on the training frame. Touches no storage.
std::unique_ptr<Forecaster> FitModel(const EnrichedData& enriched, const ModelParams& params);

/// Fits `params.kind` on the training frame, calibrates its prediction intervals on the years
/// before the target (CalibrateIntervals) and registers the artifact for the target year.
ModelRecord Train(DataController& data, int64_t run_id, const EnrichedData& enriched,
                  const ModelParams& params);

}  // namespace loadcast
