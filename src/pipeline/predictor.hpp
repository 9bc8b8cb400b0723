// The predictor loads a registered model, by default the champion of the horizon, and forecasts
// the target days of an enriched frame.
#pragma once

#include <optional>

#include "controller/data_controller.hpp"
#include "model/forecaster.hpp"
#include "pipeline/enricher.hpp"

namespace loadcast {

struct Prediction {
  ModelRecord model;
  Forecast forecast;
};

/// Forecasts with the model `model_id`, or the champion of the horizon when nullopt. Intervals
/// are the calibrated ones stored with the model when it has them. UsageError when there is no
/// such model (no champion: train first), when the model is of the other horizon, or when it
/// was trained on data of the target year or later: it would forecast days it has seen.
Prediction Predict(const DataController& data, const EnrichedData& enriched,
                   std::optional<int64_t> model_id = std::nullopt);

}  // namespace loadcast
