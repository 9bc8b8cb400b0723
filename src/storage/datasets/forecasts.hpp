// Dataset "forecasts": the day-by-day forecasts runs published, the latest of a target being its
// current forecast.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// One day of a published forecast, with its interval.
struct ForecastRow {
  Date date;
  double forecast = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

/// A published forecast: the rows a run wrote for a target year and horizon.
struct PublishedForecast {
  int64_t run_id = 0;
  int64_t model_id = 0;
  std::vector<ForecastRow> rows;
};

class ForecastsDataset {
 public:
  explicit ForecastsDataset(sql::Connection& db) : db_(db, "forecasts") {}

  /// Writes a forecast (all rows or none); it becomes the current forecast of its target.
  void Publish(int64_t run_id, int64_t model_id, const std::vector<ForecastRow>& rows);
  /// The latest forecast published for a target year and horizon by a successful run, or by
  /// `pending_run` (the run in progress).
  std::optional<PublishedForecast> Current(int target_year, Horizon horizon,
                                           int64_t pending_run) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
