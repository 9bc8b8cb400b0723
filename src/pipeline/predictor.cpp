#include "pipeline/predictor.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "model/registry.hpp"
#include "pipeline/interval_calibrator.hpp"

namespace loadcast {

Prediction Predict(const DataController& data, const EnrichedData& enriched) {
  const auto stored = data.LoadModel(enriched.horizon, enriched.target_year);
  if (!stored) {
    const auto horizon = HorizonName(enriched.horizon);
    throw UsageError(fmt::format(
        "no {} model is registered for {}: run 'loadcast train --target-year {} --horizon {}' "
        "first",
        horizon, enriched.target_year, enriched.target_year, horizon));
  }
  const auto model = LoadArtifact(stored->artifact);
  Forecast forecast = model->Predict(enriched.targets, enriched.known);
  // Artifacts without calibration (calibration off, too little history, or older artifacts)
  // keep the model's own intervals.
  if (const auto it = stored->artifact.find("intervals"); it != stored->artifact.end()) {
    ApplyCalibration(CalibrationFromJson(*it), forecast);
  }
  return {stored->record, std::move(forecast)};
}

}  // namespace loadcast
