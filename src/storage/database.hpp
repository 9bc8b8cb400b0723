// The database interface: every read and write loadcast makes, as domain operations. Each write
// is one transaction: it happens whole or not at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace loadcast {

class Database {
 public:
  virtual ~Database() = default;

  virtual int64_t BeginRun(const RunRecord& run) = 0;
  virtual void FinishRun(int64_t run_id, const std::string& status, const std::string& message) = 0;
  virtual std::vector<RunRecord> ListRuns(int limit) const = 0;

  virtual int64_t RegisterModel(const ModelRecord& model) = 0;
  /// The most recently registered model for a horizon and target year.
  virtual std::optional<ModelRecord> LatestModel(const std::string& horizon,
                                                 int target_year) const = 0;

  /// Writes a forecast (all rows or none); it becomes the current forecast of its target.
  virtual void PublishForecast(int64_t run_id, int64_t model_id,
                               const std::vector<ForecastRow>& rows) = 0;
  /// The latest forecast published for a target year and horizon by a successful run, or by
  /// `pending_run` (the run in progress).
  virtual std::optional<PublishedForecast> CurrentForecast(int target_year,
                                                           const std::string& horizon,
                                                           int64_t pending_run) const = 0;

  virtual void SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) = 0;
  /// The latest yearly evaluation per target year and horizon.
  virtual std::vector<EvaluationSummary> LatestEvaluations() const = 0;

  /// Writes the yearly rows of a backtest run (all or none).
  virtual void SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) = 0;
  /// The rows of one backtest run, by target year.
  virtual std::vector<BacktestRow> ListBacktests(int64_t run_id) const = 0;
  /// Per target year, the row of the latest succeeded backtest run of a horizon, by target year.
  virtual std::vector<BacktestRow> LatestBacktests(const std::string& horizon) const = 0;

  virtual void SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) = 0;
  virtual std::vector<CheckRow> ListChecks(int64_t run_id) const = 0;

  virtual int64_t AddAlert(const AlertRecord& alert) = 0;
  virtual std::vector<AlertRecord> ListAlerts(int limit) const = 0;
  virtual int CountAlerts(int64_t run_id) const = 0;

  /// Where the database is, for people.
  virtual std::string location() const = 0;
};

/// Current UTC time as ISO 8601 with milliseconds ("2021-03-01T12:00:00.123Z").
std::string UtcNow();

}  // namespace loadcast
