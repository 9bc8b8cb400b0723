// Dataset "series results": one row per series of a many-series run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// One series of a many-series run: how it went, its year-ahead forecast and, when the target
/// year's actuals exist, its scores.
struct SeriesResultRow {
  int64_t run_id = 0;
  std::string series;
  int target_year = 0;
  SeriesStatus status = SeriesStatus::kOk;  // warning: forecast stored, a check warned
  std::string message;
  std::optional<Date> train_from;  // first training day; none when the series was not fitted
  std::optional<Date> train_to;    // day after the last training day
  int iterations = 0;              // of the robust fit
  // Percent by which the last models.year.level_days training days ran above (below) the fit:
  // how far the series has drifted from its calendar pattern lately.
  std::optional<double> drift;
  int days = 0;  // target days scored against actuals
  std::optional<double> mape;
  std::optional<double> mae;
  std::optional<double> rmse;
  std::optional<double> bias;
  std::optional<Date> forecast_start;  // the day of forecast[0]; none without a forecast
  std::vector<double> forecast;
  std::vector<double> lower;
  std::vector<double> upper;
};

/// Which series results to list: those of one run, optionally one series or one status.
struct SeriesQuery {
  int64_t run_id = 0;
  std::string series;                  // exact name; empty: every series
  std::optional<SeriesStatus> status;  // none: every status
  bool with_forecast = false;          // also read the day-by-day forecast arrays
};

/// The series_results table, the forecasts stored as value lists (value_list.hpp).
class SeriesResultsDataset {
 public:
  explicit SeriesResultsDataset(sql::Connection& db) : db_(db, "series_results") {}

  /// Writes the per-series results of a many-series run (all or none).
  void Save(int64_t run_id, const std::vector<SeriesResultRow>& rows);
  /// The latest succeeded many-series run that stored results, of one target year or any.
  std::optional<int64_t> LatestRun(std::optional<int> target_year) const;
  /// A run's series results, by series name.
  std::vector<SeriesResultRow> List(const SeriesQuery& query) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
