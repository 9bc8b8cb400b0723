// The data controller: the one place that knows which backend serves each dataset. Pipeline steps
// ask it for data by name (the actuals of a year, the model for a target, the current forecast)
// and never open files or run SQL themselves. Every failure names the dataset it concerns.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/series_csv.hpp"
#include "core/time_series.hpp"
#include "storage/alert_notifier.hpp"
#include "storage/database.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

/// A model artifact and its registry row.
struct StoredModel {
  ModelRecord record;
  nlohmann::json artifact;
};

class DataController {
 public:
  /// Opens the backends named by the config (storage.url, database.url, alerts.webhook_url).
  explicit DataController(const Config& config);
  /// Uses the given backends (tests, other wiring); `notifier` may be null: alerts go nowhere.
  DataController(std::unique_ptr<ObjectStore> bucket, std::unique_ptr<Database> database,
                 std::unique_ptr<AlertNotifier> notifier = nullptr);

  // --- Input files and exports (local disk) ---
  /// Bytes of an input file to ingest; DataError naming the path when it cannot be used.
  std::string ReadInputFile(const std::filesystem::path& path) const;
  /// Writes an export (forecast CSV) atomically.
  void WriteExport(const std::filesystem::path& path, const std::string& bytes) const;

  // --- Dataset "actuals": one object per year in the bucket ---
  /// Years with an actuals object, ascending.
  std::vector<int> ActualYears() const;
  /// The stored actuals of a year; empty series when the year has no object.
  TimeSeries LoadActualYear(int year) const;
  /// The stored actuals of the years in [first_year, last_year], as one series.
  TimeSeries LoadActuals(int first_year, int last_year) const;
  /// Canonical bytes the actuals of a year would be stored as, and whether they differ from the
  /// stored object.
  bool ActualYearChanged(int year, const TimeSeries& series) const;
  /// Stores a year's actuals (atomic replace of the year's object).
  void SaveActualYear(int year, const TimeSeries& series);
  /// Content hash of a year's stored object (empty when absent).
  std::string ActualYearHash(int year) const;

  // --- Dataset "series": many series, one object per year (series/<year>.csv) ---
  /// Bytes of a many-series input file; DataError naming the path when it cannot be used. Such
  /// files hold thousands of series, so their size limit is far above ReadInputFile's.
  std::string ReadSeriesInputFile(const std::filesystem::path& path) const;
  /// Years with a series object, ascending.
  std::vector<int> SeriesYears() const;
  /// The series stored for a year (none when the year has no object); DataError when the stored
  /// object breaks a rule.
  SeriesTable LoadSeriesYear(int year, const SeriesCsvRules& rules) const;
  /// Stores a year's series (atomic replace of the year's object) in canonical form.
  void SaveSeriesYear(int year, const std::vector<std::string>& names,
                      const std::vector<TimeSeries>& loads);
  static std::string SeriesKey(int year);

  // --- Dataset "quarantine": rejected input files, kept in the bucket for inspection ---
  /// Keeps a rejected input file as quarantine/<UTC time>-<name>, with `reason` (the findings,
  /// JSON) beside it as quarantine/<UTC time>-<name>.reason.json, written first so that no copy
  /// is without its reason; each write atomic. Nothing else is touched. Returns the copy's key.
  std::string QuarantineFile(const std::string& name, std::string_view bytes,
                             const std::string& reason);
  /// Keys of the quarantined copies (not their reasons), oldest first.
  std::vector<std::string> QuarantinedFiles() const;

  // --- Dataset "models": artifacts in the bucket, registry rows, aliases and decisions in the
  // database ---
  /// Stores the artifact under models/<horizon>/<version>/model.json, the version being the
  /// content hash of its text, and registers it. The same artifact again registers nothing and
  /// returns the row on record (created false).
  Registration RegisterModel(ModelRecord record, const nlohmann::json& artifact);
  /// A registered model with its artifact; nothing when no model has that id. StorageError when
  /// the artifact is missing or not JSON.
  std::optional<StoredModel> LoadModel(int64_t model_id) const;
  /// The model an alias of a horizon points at, with its artifact.
  std::optional<StoredModel> LoadAliasedModel(Horizon horizon, const std::string& alias) const;
  std::optional<ModelRecord> FindModel(int64_t model_id) const;
  /// The model an alias of a horizon points at, without its artifact.
  std::optional<ModelRecord> FindAliased(Horizon horizon, const std::string& alias) const;
  std::vector<ModelRecord> FindModelsByVersion(const std::string& prefix) const;
  /// Models of a horizon (every horizon when nullopt), newest first.
  std::vector<ModelRecord> ListModels(std::optional<Horizon> horizon, int limit) const;
  std::vector<ModelAlias> ListAliases(std::optional<Horizon> horizon) const;
  /// Stores a decision and moves the aliases, in one transaction (see ModelsDataset::RecordDecision).
  int64_t RecordDecision(const ModelDecision& decision, const AliasChange& change);
  /// Decisions of a horizon (every horizon when nullopt), newest first.
  std::vector<ModelDecision> ListDecisions(std::optional<Horizon> horizon, int limit) const;

  // --- Locks held in the database ---
  /// Waits until no other process works on `target_year` and `horizon`, up to
  /// runs.lock_timeout_seconds, then holds the target until the lock is destroyed; LockTimeout
  /// (exit code 5) when it stayed held. See Database::LockTarget.
  std::unique_ptr<TargetLock> LockTarget(int target_year, Horizon horizon);
  /// The same, waiting up to `timeout` (zero: only tries).
  std::unique_ptr<TargetLock> LockTarget(int target_year, Horizon horizon,
                                         std::chrono::milliseconds timeout);

  // --- Datasets in the database: runs, forecasts, metrics, backtests, checks, alerts ---
  int64_t BeginRun(const RunRecord& run);
  void FinishRun(int64_t run_id, RunStatus status, const std::string& message);
  /// See RunsDataset::Claim.
  std::vector<int64_t> ClaimTarget(int target_year, Horizon horizon, int64_t run_id,
                                   const std::string& message);
  std::vector<RunRecord> ListRuns(int limit) const;
  std::optional<RunRecord> FindRun(int64_t run_id) const;
  /// Records the input objects a run read: object key -> SHA-256.
  void SetRunInputs(int64_t run_id, const std::map<std::string, std::string>& inputs);
  void SetRunModel(int64_t run_id, int64_t model_id);
  /// Publishes a checked forecast: all rows in one transaction.
  void PublishForecast(int64_t run_id, int64_t model_id, const std::vector<ForecastRow>& rows);
  /// The current forecast of a target (see ForecastsDataset::Current).
  std::optional<PublishedForecast> CurrentForecast(int target_year, Horizon horizon,
                                                   int64_t pending_run) const;
  void SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics);
  std::vector<EvaluationSummary> LatestEvaluations() const;
  /// Stores the yearly rows of a backtest run: all in one transaction.
  void SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows);
  std::vector<BacktestRow> ListBacktests(int64_t run_id) const;
  /// The latest backtest row per target year of a horizon (see ScoresDataset::LatestBacktests).
  std::vector<BacktestRow> LatestBacktests(Horizon horizon) const;
  void SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks);
  std::vector<CheckRow> ListChecks(int64_t run_id) const;
  /// Stores an alert (see AlertsDataset::Add) and, when it is new and a warning or critical,
  /// hands it to the notifier. A failed delivery is logged as a warning, never thrown: the alert
  /// is on record either way. The new id, or nothing when the alert was already on record.
  std::optional<int64_t> AddAlert(const AlertRecord& alert);
  std::vector<AlertRecord> ListAlerts(const AlertFilter& filter) const;
  /// The most recent alerts, unfiltered.
  std::vector<AlertRecord> ListAlerts(int limit) const;
  /// See AlertsDataset::Acknowledge.
  std::optional<AlertAcknowledgement> AcknowledgeAlert(int64_t id);
  int CountAlerts(int64_t run_id) const;
  /// See MonitorDataset::Save and Latest.
  void SaveMonitorWindows(int64_t run_id, Date as_of,
                          const std::vector<MonitorWindowRow>& windows);
  std::optional<MonitorSnapshot> LatestMonitor(int target_year) const;
  /// See SeriesResultsDataset::Save, LatestRun and List.
  void SaveSeriesResults(int64_t run_id, const std::vector<SeriesResultRow>& rows);
  std::optional<int64_t> LatestSeriesRun(std::optional<int> target_year) const;
  std::vector<SeriesResultRow> ListSeriesResults(const SeriesQuery& query) const;

  std::string DatabaseLocation() const { return database_->location(); }
  std::string BucketLocation(const std::string& key) const { return bucket_->Locate(key); }

  static std::string ActualsKey(int year);

 private:
  std::unique_ptr<ObjectStore> bucket_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<AlertNotifier> notifier_;
  std::chrono::milliseconds lock_timeout_;
};

}  // namespace loadcast
