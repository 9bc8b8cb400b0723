// The evaluator scores the current forecast of a target year against the actuals in the bucket,
// overall and per month, beside the seasonal naive benchmark.
#pragma once

#include <optional>
#include <vector>

#include "controller/data_controller.hpp"
#include "storage/records.hpp"

namespace loadcast {

struct Evaluation {
  int64_t forecast_run_id = 0;
  MetricRow year;
  std::vector<MetricRow> months;
};

/// Scores the forecast published for (target_year, horizon), counting a forecast published by
/// `run_id` itself. UsageError when there is none; nullopt when no actual of the year exists yet.
std::optional<Evaluation> Evaluate(const DataController& data, int target_year, Horizon horizon,
                                   int64_t run_id);

}  // namespace loadcast
