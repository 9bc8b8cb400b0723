// The embedded default database: SQLite, with the schema versioned by migrations.
#pragma once

#include <filesystem>
#include <functional>

#include "storage/database.hpp"

struct sqlite3;

namespace loadcast {

class SqliteDatabase final : public Database {
 public:
  /// Opens (creating when absent) the database file and applies pending migrations.
  explicit SqliteDatabase(std::filesystem::path path);
  ~SqliteDatabase() override;
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  /// An exclusive flock on `<database>.locks/<year>-<horizon>.lock` (created as needed), polled
  /// until `timeout`; the kernel releases it when the process ends, however it ends.
  std::unique_ptr<TargetLock> LockTarget(int target_year, const std::string& horizon,
                                         std::chrono::milliseconds timeout) override;
  int64_t BeginRun(const RunRecord& run) override;
  void FinishRun(int64_t run_id, const std::string& status, const std::string& message) override;
  std::vector<int64_t> ClaimTarget(int target_year, const std::string& horizon, int64_t run_id,
                                   const std::string& message) override;
  std::vector<RunRecord> ListRuns(int limit) const override;
  std::optional<RunRecord> FindRun(int64_t run_id) const override;
  void SetRunInputs(int64_t run_id, const std::string& inputs) override;
  void SetRunModel(int64_t run_id, int64_t model_id) override;
  Registration RegisterModel(const ModelRecord& model) override;
  std::optional<ModelRecord> FindModel(int64_t id) const override;
  std::vector<ModelRecord> FindModelsByVersion(const std::string& prefix) const override;
  std::vector<ModelRecord> ListModels(const std::string& horizon, int limit) const override;
  std::optional<ModelRecord> AliasedModel(const std::string& horizon,
                                          const std::string& alias) const override;
  std::vector<ModelAlias> ListAliases(const std::string& horizon) const override;
  int64_t RecordDecision(const ModelDecision& decision, const AliasChange& change) override;
  std::vector<ModelDecision> ListDecisions(const std::string& horizon, int limit) const override;
  void PublishForecast(int64_t run_id, int64_t model_id,
                       const std::vector<ForecastRow>& rows) override;
  std::optional<PublishedForecast> CurrentForecast(int target_year, const std::string& horizon,
                                                   int64_t pending_run) const override;
  void SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) override;
  std::vector<EvaluationSummary> LatestEvaluations() const override;
  void SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) override;
  std::vector<BacktestRow> ListBacktests(int64_t run_id) const override;
  std::vector<BacktestRow> LatestBacktests(const std::string& horizon) const override;
  void SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) override;
  std::vector<CheckRow> ListChecks(int64_t run_id) const override;
  std::optional<int64_t> AddAlert(const AlertRecord& alert) override;
  std::vector<AlertRecord> ListAlerts(const AlertFilter& filter) const override;
  std::optional<AlertAcknowledgement> AcknowledgeAlert(int64_t id) override;
  int CountAlerts(int64_t run_id) const override;
  void SaveMonitorWindows(int64_t run_id, const std::string& as_of,
                          const std::vector<MonitorWindowRow>& windows) override;
  std::optional<MonitorSnapshot> LatestMonitor(int target_year) const override;
  void SaveSeriesResults(int64_t run_id, const std::vector<SeriesResultRow>& rows) override;
  std::optional<int64_t> LatestSeriesRun(std::optional<int> target_year) const override;
  std::vector<SeriesResultRow> ListSeriesResults(const SeriesQuery& query) const override;
  std::string location() const override { return path_.string(); }
  /// The folder of the target lock files.
  std::filesystem::path lock_dir() const;

  /// Schema version after migrations.
  int schema_version() const;

 private:
  void EnableWal();
  void Migrate();
  void Execute(const char* sql) const;
  /// Runs `body` inside BEGIN IMMEDIATE ... COMMIT, rolling back on any exception.
  void InTransaction(const std::function<void()>& body);

  std::filesystem::path path_;
  sqlite3* db_ = nullptr;
};

}  // namespace loadcast
