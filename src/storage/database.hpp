// The database interface: every read and write loadcast makes, as domain operations. Each write
// is one transaction: it happens whole or not at all.
#pragma once

#include <chrono>
#include <memory>
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
  std::string until;                    // created on or before this UTC date (or before this time)
  std::optional<bool> acknowledged;     // only acknowledged (true) or only open (false) alerts
  std::optional<int> target_year;       // only alerts about this target year
  std::optional<int64_t> run_id;        // only alerts raised by this run
  int limit = 50;
};

/// What acknowledging an alert did.
struct AlertAcknowledgement {
  AlertRecord alert;                  // as stored afterwards
  bool already_acknowledged = false;  // it was before: nothing changed
};

/// An exclusive hold on a target year and horizon, released when destroyed, and by the database
/// itself when the process holding it dies.
class TargetLock {
 public:
  virtual ~TargetLock() = default;
};

class Database {
 public:
  virtual ~Database() = default;

  /// Waits until no other process holds the lock of `target_year` and `horizon`, then holds it
  /// until the returned lock is destroyed. Runs for other targets are not held up. Throws
  /// LockTimeout when the lock is still held after `timeout`.
  virtual std::unique_ptr<TargetLock> LockTarget(int target_year, const std::string& horizon,
                                                 std::chrono::milliseconds timeout) = 0;

  virtual int64_t BeginRun(const RunRecord& run) = 0;
  virtual void FinishRun(int64_t run_id, const std::string& status, const std::string& message) = 0;
  /// Called by run `run_id` once it holds the lock of the target year and horizon: records that
  /// it holds it (runs.locked_at), and marks failed, with `message`, the runs of the target that
  /// held it before and are still 'running' (their process died holding it), in one transaction.
  /// Returns the ids of those runs.
  virtual std::vector<int64_t> ClaimTarget(int target_year, const std::string& horizon,
                                           int64_t run_id, const std::string& message) = 0;
  virtual std::vector<RunRecord> ListRuns(int limit) const = 0;
  virtual std::optional<RunRecord> FindRun(int64_t run_id) const = 0;
  /// Records the input objects a run read (JSON object key -> SHA-256).
  virtual void SetRunInputs(int64_t run_id, const std::string& inputs) = 0;
  /// Records the model a run trained or predicted with.
  virtual void SetRunModel(int64_t run_id, int64_t model_id) = 0;

  /// Registers a model version: the next number of its horizon, created_at now. When the horizon
  /// holds this version already, registers nothing and returns the row on record.
  virtual Registration RegisterModel(const ModelRecord& model) = 0;
  virtual std::optional<ModelRecord> FindModel(int64_t id) const = 0;
  /// The models whose version starts with `prefix`, by id.
  virtual std::vector<ModelRecord> FindModelsByVersion(const std::string& prefix) const = 0;
  /// The models of a horizon (every horizon when empty), newest first.
  virtual std::vector<ModelRecord> ListModels(const std::string& horizon, int limit) const = 0;
  /// The model an alias of a horizon points at.
  virtual std::optional<ModelRecord> AliasedModel(const std::string& horizon,
                                                  const std::string& alias) const = 0;
  /// The aliases of a horizon (every horizon when empty), by horizon and alias.
  virtual std::vector<ModelAlias> ListAliases(const std::string& horizon) const = 0;
  /// Stores a decision and moves the aliases as `change` says, in one transaction. The new id.
  virtual int64_t RecordDecision(const ModelDecision& decision, const AliasChange& change) = 0;
  /// The decisions of a horizon (every horizon when empty), newest first.
  virtual std::vector<ModelDecision> ListDecisions(const std::string& horizon, int limit) const = 0;

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

  /// Writes the windows a monitor run measured, with the last day it measured (all or none).
  virtual void SaveMonitorWindows(int64_t run_id, const std::string& as_of,
                                  const std::vector<MonitorWindowRow>& windows) = 0;
  /// The windows of the latest succeeded monitor run of a target year that measured any.
  virtual std::optional<MonitorSnapshot> LatestMonitor(int target_year) const = 0;

  /// Writes the per-series results of a many-series run (all or none).
  virtual void SaveSeriesResults(int64_t run_id, const std::vector<SeriesResultRow>& rows) = 0;
  /// The latest succeeded many-series run that stored results, of one target year or any.
  virtual std::optional<int64_t> LatestSeriesRun(std::optional<int> target_year) const = 0;
  /// A run's series results, by series name.
  virtual std::vector<SeriesResultRow> ListSeriesResults(const SeriesQuery& query) const = 0;

  /// Where the database is, for people.
  virtual std::string location() const = 0;
};

/// Current UTC time as ISO 8601 with milliseconds ("2021-03-01T12:00:00.123Z").
std::string UtcNow();

}  // namespace loadcast
