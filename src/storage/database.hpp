// The database interface: every read and write loadcast makes, as domain operations. Each write
// is one transaction: it happens whole or not at all.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace loadcast {

/// Which alerts ListAlerts returns, newest first. Empty fields do not filter.
struct AlertFilter {
  std::vector<std::string> severities;  // any of these
  std::vector<std::string> sources;     // any of these
  std::string since;                    // created at or after this UTC date or ISO time
  std::optional<bool> acknowledged;     // only acknowledged (true) or only open (false) alerts
  int limit = 50;
};

/// What acknowledging an alert did.
struct AlertAcknowledgement {
  AlertRecord alert;                  // as stored afterwards
  bool already_acknowledged = false;  // it was before: nothing changed
};

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

  /// Stores an alert unless one with the same fingerprint is stored already. An empty
  /// fingerprint is derived (AlertFingerprint), an empty created_at is now. Returns the new id, or
  /// nothing when the alert was already on record (that one is left as it is).
  virtual std::optional<int64_t> AddAlert(const AlertRecord& alert) = 0;
  virtual std::vector<AlertRecord> ListAlerts(const AlertFilter& filter) const = 0;
  /// Marks an alert acknowledged now, unless it already is; nothing when no alert has that id.
  virtual std::optional<AlertAcknowledgement> AcknowledgeAlert(int64_t id) = 0;
  virtual int CountAlerts(int64_t run_id) const = 0;

  /// Where the database is, for people.
  virtual std::string location() const = 0;
};

/// Current UTC time as ISO 8601 with milliseconds ("2021-03-01T12:00:00.123Z").
std::string UtcNow();

}  // namespace loadcast
