// The predictor loads the model registered for a target year and horizon and forecasts the target
// days of an enriched frame.
#pragma once

#include "controller/data_controller.hpp"
#include "model/forecaster.hpp"
#include "pipeline/enricher.hpp"

namespace loadcast {

struct Prediction {
  ModelRecord model;
  Forecast forecast;
};

/// Intervals are the calibrated ones stored with the model when it has them. UsageError when no
/// model is registered for the target (train first).
Prediction Predict(const DataController& data, const EnrichedData& enriched);

}  // namespace loadcast
