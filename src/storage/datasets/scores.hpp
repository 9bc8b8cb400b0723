// Dataset "scores": how runs scored their forecasts (metrics), rolling-origin backtests, and the
// checks a run made of its forecast.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// How a forecast scored over its scored days, beside the seasonal naive: what a metrics row and
/// a backtest row both hold.
struct ScoreFigures {
  int days = 0;
  double mape = 0.0;
  double mae = 0.0;
  double rmse = 0.0;
  double bias = 0.0;
  double skill = 0.0;
  double naive_mape = 0.0;
};

/// The scores of a forecast over a year or a month.
struct MetricRow : ScoreFigures {
  std::string scope;   // "year" or "month"
  std::string period;  // "2021" or "2021-03"
};

/// A yearly score with the run and target it belongs to, for summaries.
struct EvaluationSummary {
  int64_t run_id = 0;
  int target_year = 0;
  Horizon horizon = Horizon::kYear;
  std::string evaluated_at;
  int alerts = 0;  // alerts raised by the evaluating run
  MetricRow metrics;
};

/// One target year of a rolling-origin backtest: a model fitted on the years before it, scored
/// on it beside the seasonal naive, with how well its interval covered the actuals.
struct BacktestRow : ScoreFigures {
  int64_t run_id = 0;
  int target_year = 0;
  Horizon horizon = Horizon::kYear;
  double coverage = 0.0;        // percent of scored days whose actual lies within the interval
  double interval_width = 0.0;  // mean of (upper - lower) / forecast, in percent
};

/// One check a run made of its forecast.
struct CheckRow {
  std::string check;
  CheckStatus status = CheckStatus::kPass;
  std::string detail;
};

/// The metrics, backtests and checks tables.
class ScoresDataset {
 public:
  explicit ScoresDataset(sql::Connection& db) : db_(db, "scores") {}

  void SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics);
  /// The latest yearly evaluation per target year and horizon.
  std::vector<EvaluationSummary> LatestEvaluations() const;

  /// Writes the yearly rows of a backtest run (all or none).
  void SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows);
  /// The rows of one backtest run, by target year.
  std::vector<BacktestRow> ListBacktests(int64_t run_id) const;
  /// Per target year, the row of the latest succeeded backtest run of a horizon, by target year.
  std::vector<BacktestRow> LatestBacktests(Horizon horizon) const;

  void SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks);
  /// The checks of a run, in the order they were saved.
  std::vector<CheckRow> ListChecks(int64_t run_id) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
