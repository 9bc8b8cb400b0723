// The trainer fits the configured model for a horizon, scores its specification on the
// validation backtest, calibrates its prediction intervals and registers the artifact through the
// controller. Fitting is separate from registering so that a backtest can fit models it never
// keeps.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "controller/data_controller.hpp"
#include "model/forecaster.hpp"
#include "model/kinds.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/promotion_gate.hpp"

namespace loadcast {

/// A new model of `params.kind`, fitted on the training frame. Touches no storage.
std::unique_ptr<Forecaster> FitModel(const EnrichedData& enriched, const ModelSpec& params);

/// Where the training data came from and what shaped the model, for its artifact.
struct TrainingContext {
  std::map<int, std::string> objects;  // SHA-256 of each actuals object extracted, by year
  std::string config_hash;             // of the settings of the horizon's model
  int validation_years = 3;            // years the promotion gate validates on
};

struct TrainedModel {
  Registration registration;  // the version on record (created false: trained before)
  ValidationScores validation;
};

/// Fits `params.kind` on the training frame, backtests its specification on the years before
/// the target once for both the interval calibration (CalibrateIntervals) and the validation
/// scores, and registers the artifact with its metadata: features, training window,
/// hyper-parameters, config hash, the SHA-256 of every input object before the target year, code
/// version, validation scores and calibrated intervals. The same data, config and code make the
/// same artifact, registered once.
TrainedModel Train(DataController& data, int64_t run_id, const EnrichedData& enriched,
                   const ModelSpec& params, const TrainingContext& context);

}  // namespace loadcast
