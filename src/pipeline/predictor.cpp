#include "pipeline/predictor.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "model/registry.hpp"
#include "pipeline/interval_calibrator.hpp"

namespace loadcast {
namespace {

StoredModel ChooseModel(const DataController& data, const EnrichedData& enriched,
                        std::optional<int64_t> model_id) {
  const auto horizon = HorizonName(enriched.horizon);
  const int year = enriched.target_year;
  std::optional<StoredModel> stored;
  if (model_id) {
    stored = data.models().Load(*model_id);
    if (!stored) {
      throw UsageError(fmt::format(
          "no model has id {}: 'loadcast models list' shows the registered ones", *model_id));
    }
    if (stored->record.horizon != enriched.horizon) {
      throw UsageError(fmt::format("model {} is a {} model: it cannot make the {} forecast",
                                   *model_id, stored->record.horizon, horizon));
    }
  } else {
    stored = data.models().LoadAliased(enriched.horizon, "champion");
    if (!stored) {
      throw UsageError(fmt::format(
          "no {} model is registered: run 'loadcast train --target-year {} --horizon {}' first",
          horizon, year, horizon));
    }
  }
  const ModelRecord& m = stored->record;
  if (m.trained_to >= Date::FromYmd(year, 1, 1)) {
    throw UsageError(fmt::format(
        "{} model {} (v{}) was trained on data through {}: it cannot forecast {}, which it has "
        "seen. Run 'loadcast train --target-year {} --horizon {}' or pass --model with a model "
        "trained for {} ('loadcast models list --horizon {}')",
        horizon, m.id, m.number, m.trained_to, year, year, horizon, year, horizon));
  }
  return std::move(*stored);
}

}  // namespace

Prediction Predict(const DataController& data, const EnrichedData& enriched,
                   std::optional<int64_t> model_id) {
  const StoredModel stored = ChooseModel(data, enriched, model_id);
  const auto model = LoadArtifact(stored.artifact);
  Forecast forecast = model->Predict(enriched.targets, enriched.known);
  // Artifacts without calibration (calibration off, too little history, or older artifacts)
  // keep the model's own intervals.
  if (const auto it = stored.artifact.find("intervals"); it != stored.artifact.end()) {
    ApplyCalibration(CalibrationFromJson(*it), forecast);
  }
  return {stored.record, std::move(forecast)};
}

}  // namespace loadcast
