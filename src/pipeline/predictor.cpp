#include "pipeline/predictor.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "model/registry.hpp"

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
  return {stored->record, model->Predict(enriched.targets, enriched.known)};
}

}  // namespace loadcast
