// Checks a forecast must pass before it is published: one finite, positive value per target day,
// inside a plausible envelope of history, with a sane interval.
#pragma once

#include <vector>

#include "core/config.hpp"
#include "model/forecaster.hpp"
#include "pipeline/enricher.hpp"
#include "storage/records.hpp"

namespace loadcast {

/// The result of every check; any with status "fail" rejects the forecast.
std::vector<CheckRow> CheckPrediction(const Forecast& forecast, const EnrichedData& enriched,
                                      const Config& config);
/// True when any check failed.
bool AnyFailed(const std::vector<CheckRow>& checks);

}  // namespace loadcast
