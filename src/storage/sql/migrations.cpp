// The schema's migrations: one numbered list for both backends. Each entry moves the schema one
// version up; append, never edit a released one. An entry's SQL is written once, in the dialect
// SQLite and PostgreSQL share; the few words they differ by in a table's definition are
// placeholders ({identity}, {real}, ...: SchemaWords) the dialect fills in.
#include <fmt/format.h>

#include <span>

#include "storage/sql/connection.hpp"

namespace loadcast::sql {
namespace {

struct Migration {
  int version;
  const char* sql;
};

// The schema every database had at version 7, the last version the per-backend migrations of
// earlier builds reached: applied whole to an empty database, which then records versions 1 to 7
// as a database migrated step by step does. Databases at version 7 have it already.
constexpr int kBaselineVersion = 7;
constexpr const char* kBaseline = R"sql(
CREATE TABLE runs (
  id {identity},
  command TEXT NOT NULL,
  target_year INTEGER,
  horizon TEXT NOT NULL DEFAULT '',
  started_at {sorted_text} NOT NULL,
  finished_at {sorted_text},
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'rejected')),
  message TEXT NOT NULL DEFAULT '',
  config TEXT NOT NULL DEFAULT '',
  config_hash TEXT NOT NULL DEFAULT '',
  inputs TEXT NOT NULL DEFAULT '',
  model_id {bigint} {model_ref},
  locked_at {sorted_text}
);
CREATE TABLE models (
  id {identity},
  run_id {bigint} NOT NULL REFERENCES runs(id),
  version {sorted_text} NOT NULL,
  kind TEXT NOT NULL,
  horizon TEXT NOT NULL,
  target_year INTEGER NOT NULL,
  trained_from TEXT NOT NULL,
  trained_to TEXT NOT NULL,
  artifact TEXT NOT NULL,
  created_at {sorted_text} NOT NULL,
  number INTEGER NOT NULL DEFAULT 0,
  spec_hash TEXT NOT NULL DEFAULT '',
  config_hash TEXT NOT NULL DEFAULT '',
  data_hash TEXT NOT NULL DEFAULT '',
  code_version TEXT NOT NULL DEFAULT ''
);
CREATE INDEX models_by_target ON models(horizon, target_year);
CREATE UNIQUE INDEX models_by_version ON models(horizon, version);
{runs_model_fk};
CREATE TABLE forecasts (
  run_id {bigint} NOT NULL REFERENCES runs(id),
  model_id {bigint} NOT NULL REFERENCES models(id),
  date {sorted_text} NOT NULL,
  forecast {real} NOT NULL,
  lower {real},
  upper {real},
  PRIMARY KEY (run_id, date)
);
CREATE TABLE metrics (
  run_id {bigint} NOT NULL REFERENCES runs(id),
  scope TEXT NOT NULL CHECK (scope IN ('year', 'month')),
  period TEXT NOT NULL,
  days INTEGER NOT NULL,
  mape {real}, mae {real}, rmse {real}, bias {real}, skill {real}, naive_mape {real},
  PRIMARY KEY (run_id, scope, period)
);
CREATE TABLE checks (
  {row_id}
  run_id {bigint} NOT NULL REFERENCES runs(id),
  "check" TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warn', 'fail')),
  detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE alerts (
  id {identity},
  run_id {bigint} REFERENCES runs(id),
  created_at {sorted_text} NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  source TEXT NOT NULL
    CHECK (source IN ('validation', 'drift', 'performance', 'prediction', 'pipeline')),
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  target_year INTEGER,
  horizon TEXT NOT NULL DEFAULT '',
  period_start TEXT NOT NULL DEFAULT '',
  period_end TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  value {real},
  threshold {real},
  fingerprint TEXT NOT NULL,
  acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1)),
  acknowledged_at {sorted_text}
);
CREATE UNIQUE INDEX alerts_by_fingerprint ON alerts(fingerprint);
CREATE INDEX alerts_by_run ON alerts(run_id);
CREATE TABLE backtests (
  run_id {bigint} NOT NULL REFERENCES runs(id),
  target_year INTEGER NOT NULL,
  horizon TEXT NOT NULL CHECK (horizon IN ('year', 'day')),
  days INTEGER NOT NULL,
  mape {real}, mae {real}, rmse {real}, bias {real}, skill {real}, naive_mape {real},
  coverage {real}, interval_width {real},
  PRIMARY KEY (run_id, target_year)
);
CREATE INDEX backtests_by_target ON backtests(horizon, target_year);
CREATE TABLE model_aliases (
  horizon TEXT NOT NULL CHECK (horizon IN ('year', 'day')),
  alias TEXT NOT NULL CHECK (alias IN ('champion', 'challenger')),
  model_id {bigint} NOT NULL REFERENCES models(id),
  updated_at {sorted_text} NOT NULL,
  PRIMARY KEY (horizon, alias)
);
CREATE TABLE model_decisions (
  id {identity},
  run_id {bigint} REFERENCES runs(id),
  created_at {sorted_text} NOT NULL,
  horizon TEXT NOT NULL,
  target_year INTEGER,
  action TEXT NOT NULL CHECK (action IN ('gate', 'manual', 'rollback')),
  outcome TEXT NOT NULL CHECK (outcome IN ('promoted', 'rejected', 'rolled_back')),
  candidate_id {bigint} NOT NULL REFERENCES models(id),
  champion_id {bigint} REFERENCES models(id),
  metric TEXT NOT NULL DEFAULT '',
  candidate_value {real},
  champion_value {real},
  improvement {real},
  min_improvement {real},
  validation TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_decisions_by_horizon ON model_decisions(horizon, id);
CREATE TABLE monitor_windows (
  {row_id}
  run_id {bigint} NOT NULL REFERENCES runs(id),
  as_of TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('drift', 'rolling', 'month')),
  horizon TEXT NOT NULL DEFAULT '',
  start TEXT NOT NULL,
  "end" TEXT NOT NULL,
  days INTEGER NOT NULL,
  value {real} NOT NULL,
  psi {real}, ks {real}, ks_p_value {real}, wasserstein {real},
  warning_threshold {real}, critical_threshold {real},
  status TEXT NOT NULL CHECK (status IN ('pass', 'warning', 'critical')),
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_windows_by_run ON monitor_windows(run_id);
CREATE TABLE series_results (
  run_id {bigint} NOT NULL REFERENCES runs(id),
  series {sorted_text} NOT NULL,
  target_year INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'failed')),
  message TEXT NOT NULL DEFAULT '',
  train_from {sorted_text} NOT NULL DEFAULT '',
  train_to {sorted_text} NOT NULL DEFAULT '',
  iterations INTEGER NOT NULL DEFAULT 0,
  drift {real},
  days INTEGER NOT NULL DEFAULT 0,
  mape {real}, mae {real}, rmse {real}, bias {real},
  forecast_start {sorted_text} NOT NULL DEFAULT '',
  forecast TEXT NOT NULL DEFAULT '',
  lower TEXT NOT NULL DEFAULT '',
  upper TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, series)
);
CREATE INDEX series_results_by_series ON series_results(series, run_id);
)sql";

// After the baseline, in order.
constexpr Migration kMigrations[] = {
    // The runs of a target, newest first: what the current forecast, the claim of a target's
    // lock, the latest evaluation and the latest series run look up on every run and every
    // dashboard refresh. Before this, each of them read the whole runs table.
    {8, R"sql(
CREATE INDEX runs_by_target ON runs(target_year, horizon, id);
)sql"},
    // The history of each year's actuals (storage/datasets/revisions): one row per stored
    // revision of a year's object, and the days each revision changed with their old and new
    // loads.
    {9, R"sql(
CREATE TABLE actual_revisions (
  id {identity},
  year INTEGER NOT NULL,
  revision INTEGER NOT NULL,
  created_at {sorted_text} NOT NULL,
  run_id {bigint} REFERENCES runs(id),
  source TEXT NOT NULL,
  object TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  days INTEGER NOT NULL,
  days_added INTEGER NOT NULL,
  days_changed INTEGER NOT NULL,
  largest_change_percent {real},
  UNIQUE (year, revision)
);
CREATE TABLE actual_changes (
  revision_id {bigint} NOT NULL REFERENCES actual_revisions(id),
  date {sorted_text} NOT NULL,
  old_load {real} NOT NULL,
  new_load {real} NOT NULL,
  PRIMARY KEY (revision_id, date)
);
)sql"},
    // The process of each run (machine, pid, start time), so that a run whose process is gone
    // can be told from one still working (storage/datasets/runs: AbandonDead), and the running
    // runs found without reading the whole table.
    {10, R"sql(
ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN pid INTEGER;
ALTER TABLE runs ADD COLUMN process_started TEXT NOT NULL DEFAULT '';
CREATE INDEX runs_by_status ON runs(status);
)sql"},
    // Alerts for episodes of monitored windows (storage/datasets/alerts: Track): the statistic
    // that fired an alert, whether it stands for an episode still on or over, and when.
    {11, R"sql(
ALTER TABLE alerts ADD COLUMN statistic TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN episode TEXT NOT NULL DEFAULT 'none'
  CHECK (episode IN ('none', 'open', 'closed'));
ALTER TABLE alerts ADD COLUMN closed_on TEXT NOT NULL DEFAULT '';
ALTER TABLE alerts ADD COLUMN updated_at {sorted_text};
CREATE INDEX alerts_by_period ON alerts(period_end, period_start);
)sql"},
};

/// `sql` with the dialect's words in place of the placeholders.
std::string Spelled(const char* sql, const Dialect& dialect) {
  const SchemaWords& w = dialect.words();
  return fmt::format(fmt::runtime(sql), fmt::arg("identity", w.identity),
                     fmt::arg("bigint", w.bigint), fmt::arg("real", w.real),
                     fmt::arg("sorted_text", w.sorted_text), fmt::arg("row_id", w.row_id),
                     fmt::arg("model_ref", w.model_ref),
                     fmt::arg("runs_model_fk", w.runs_model_fk));
}

/// Executes each statement of a script in turn: SQLite prepares one statement at a time.
void ExecScript(Connection& connection, const std::string& script) {
  std::size_t start = 0;
  while (start < script.size()) {
    std::size_t end = script.find(";\n", start);
    if (end == std::string::npos) end = script.size();
    const std::string statement = script.substr(start, end - start);
    if (statement.find_first_not_of(" \n") != std::string::npos) connection.Exec(statement);
    start = end + 2;
  }
}

int LatestVersion() { return std::span(kMigrations).back().version; }

void Record(Connection& connection, int version) {
  connection.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (:v, :at)",
                  V(version, UtcNow()));
}

int CurrentVersion(Connection& connection) {
  Cursor version(connection.session(), "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                 {}, "i");
  version.Next();
  return static_cast<int>(version.Int(0));
}

}  // namespace

int SchemaVersion(Connection& connection) {
  return connection.Read([&] { return CurrentVersion(connection); });
}

void Migrate(Connection& connection) {
  connection.Write([&] {
    connection.dialect().LockMigrations(connection.session());
    connection.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL)");
    const int current = CurrentVersion(connection);
    const int latest = LatestVersion();
    if (current > latest) {
      throw StorageError(
          fmt::format("database schema version {} is newer than this build ({})", current, latest));
    }
    if (current == 0) {
      ExecScript(connection, Spelled(kBaseline, connection.dialect()));
      for (int v = 1; v <= kBaselineVersion; ++v) Record(connection, v);
    } else if (current < kBaselineVersion) {
      throw StorageError(fmt::format(
          "database schema version {} is too old for this build, which upgrades databases from "
          "version {} on; open it once with a loadcast build of before the SOCI storage (0.1) to "
          "bring it to version {}",
          current, kBaselineVersion, kBaselineVersion));
    }
    for (const Migration& m : kMigrations) {
      if (m.version <= std::max(current, kBaselineVersion)) continue;
      ExecScript(connection, Spelled(m.sql, connection.dialect()));
      Record(connection, m.version);
    }
  });
}

}  // namespace loadcast::sql
