// The shared database: PostgreSQL through libpqxx, with the same schema, migrations and behaviour
// as SqliteDatabase, for several machines running loadcast against one server.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace pqxx {
class transaction_base;
}  // namespace pqxx

namespace loadcast {

class PostgresDatabase final : public Database {
 public:
  /// Connects to `url` ("postgresql://user@host:port/db" or "postgres://..."), then applies
  /// pending migrations under an advisory lock. The password comes from PGPASSWORD (or the other
  /// ways libpq finds one), never from the URL: a URL holding one is a ConfigError. Throws
  /// StorageError, naming the URL without its user info, when the server cannot be reached.
  explicit PostgresDatabase(std::string url);
  ~PostgresDatabase() override;
  PostgresDatabase(const PostgresDatabase&) = delete;
  PostgresDatabase& operator=(const PostgresDatabase&) = delete;

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
  /// The URL without its user info.
  std::string location() const override { return location_; }

  /// Schema version after migrations.
  int schema_version() const;

 private:
  void Migrate();
  /// Runs `body` in one transaction, committed when it returns, rolled back on any exception;
  /// a libpqxx failure becomes a StorageError.
  void InTransaction(const std::function<void(pqxx::transaction_base&)>& body) const;

  struct Connection;  // a pqxx::connection, kept out of this header

  std::string url_;
  std::string location_;
  std::unique_ptr<Connection> conn_;
};

}  // namespace loadcast
