#include "storage/sqlite_database.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <string_view>
#include <thread>

#include "core/crash_point.hpp"
#include "core/errors.hpp"
#include "storage/alerts.hpp"
#include "storage/value_list.hpp"

namespace loadcast {
namespace {

/// Why the database's folder cannot be written to ("; its folder ... cannot be written:
/// Read-only file system"), or nothing when it can: SQLite in WAL mode needs to create files
/// beside the database, and its own error does not say why it could not.
std::string UnwritableFolder(const std::filesystem::path& db) {
  const std::filesystem::path folder = db.has_parent_path() ? db.parent_path() : ".";
  if (::access(folder.c_str(), W_OK) == 0) return "";
  return fmt::format("; its folder {} cannot be written: {}", folder.string(),
                     std::strerror(errno));
}

/// SQLite's message for the connection's last error, with the operating system's reason when
/// there is one ("disk I/O error (No space left on device)").
std::string ErrorOf(sqlite3* db) {
  std::string message = db ? sqlite3_errmsg(db) : "out of memory";
  const int os_error = db ? sqlite3_system_errno(db) : 0;
  if (os_error != 0) message += fmt::format(" ({})", std::strerror(os_error));
  return message;
}

constexpr int kBusyTimeoutMs = 10000;
// How often a held target lock is tried again.
constexpr std::chrono::milliseconds kLockPollInterval{50};

/// A target lock held as an exclusive flock on an open lock file: closing the file, or the end of
/// the process, releases it.
class FileTargetLock final : public TargetLock {
 public:
  explicit FileTargetLock(int fd) : fd_(fd) {}
  ~FileTargetLock() override { close(fd_); }
  FileTargetLock(const FileTargetLock&) = delete;
  FileTargetLock& operator=(const FileTargetLock&) = delete;

 private:
  int fd_;
};

// Each migration moves the schema one version up; append, never edit a released one.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  command TEXT NOT NULL,
  target_year INTEGER,
  horizon TEXT NOT NULL DEFAULT '',
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'rejected')),
  message TEXT NOT NULL DEFAULT '',
  config TEXT NOT NULL DEFAULT ''
);
CREATE TABLE models (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES runs(id),
  version TEXT NOT NULL,
  kind TEXT NOT NULL,
  horizon TEXT NOT NULL,
  target_year INTEGER NOT NULL,
  trained_from TEXT NOT NULL,
  trained_to TEXT NOT NULL,
  artifact TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX models_by_target ON models(horizon, target_year);
CREATE TABLE forecasts (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  model_id INTEGER NOT NULL REFERENCES models(id),
  date TEXT NOT NULL,
  forecast REAL NOT NULL,
  lower REAL,
  upper REAL,
  PRIMARY KEY (run_id, date)
);
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  scope TEXT NOT NULL CHECK (scope IN ('year', 'month')),
  period TEXT NOT NULL,
  days INTEGER NOT NULL,
  mape REAL, mae REAL, rmse REAL, bias REAL, skill REAL, naive_mape REAL,
  PRIMARY KEY (run_id, scope, period)
);
CREATE TABLE checks (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  "check" TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warn', 'fail')),
  detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER REFERENCES runs(id),
  created_at TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL
);
)sql",
    R"sql(
CREATE TABLE backtests (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  target_year INTEGER NOT NULL,
  horizon TEXT NOT NULL CHECK (horizon IN ('year', 'day')),
  days INTEGER NOT NULL,
  mape REAL, mae REAL, rmse REAL, bias REAL, skill REAL, naive_mape REAL,
  coverage REAL, interval_width REAL,
  PRIMARY KEY (run_id, target_year)
);
CREATE INDEX backtests_by_target ON backtests(horizon, target_year);
)sql",
    // Alerts say what they concern (period, figures, subject) and carry a fingerprint, unique,
    // so that the same finding is stored once. SQLite cannot change a CHECK constraint, so the
    // table is rebuilt: 'error' becomes 'critical', and the old source (the step that raised the
    // alert) becomes one of the five sources, the step kept in the subject. Old rows get a
    // fingerprint of their own ('legacy-<id>'): none of them is merged with another.
    R"sql(
CREATE TABLE alerts_v3 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER REFERENCES runs(id),
  created_at TEXT NOT NULL,
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
  value REAL,
  threshold REAL,
  fingerprint TEXT NOT NULL,
  acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1)),
  acknowledged_at TEXT
);
INSERT INTO alerts_v3 (id, run_id, created_at, severity, source, code, message, target_year,
                       horizon, subject, fingerprint)
SELECT a.id, a.run_id, a.created_at,
       CASE a.severity WHEN 'error' THEN 'critical' ELSE a.severity END,
       CASE WHEN a.code LIKE 'check\_%' ESCAPE '\' THEN 'prediction'
            WHEN a.code IN ('mape_above_threshold', 'worse_than_naive') THEN 'performance'
            ELSE 'pipeline' END,
       a.code, a.message, r.target_year, COALESCE(r.horizon, ''), 'step ' || a.source,
       'legacy-' || a.id
FROM alerts a LEFT JOIN runs r ON r.id = a.run_id;
DROP TABLE alerts;
ALTER TABLE alerts_v3 RENAME TO alerts;
CREATE UNIQUE INDEX alerts_by_fingerprint ON alerts(fingerprint);
CREATE INDEX alerts_by_run ON alerts(run_id);
)sql",
    // The model registry. A run records the hash of its config, the input objects it read and the
    // model it used; a model records its number within its horizon and what it was made from.
    // Older builds registered the same version again on every retraining: each (horizon,
    // version) keeps its first row, the forecasts of the others pointing at it. The champion of a
    // horizon is the model its latest registration named, the one older builds predicted with,
    // and a decision records that it was set here rather than by the promotion gate.
    R"sql(
ALTER TABLE runs ADD COLUMN config_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN inputs TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN model_id INTEGER REFERENCES models(id);
ALTER TABLE models ADD COLUMN number INTEGER NOT NULL DEFAULT 0;
ALTER TABLE models ADD COLUMN spec_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN config_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN data_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE models ADD COLUMN code_version TEXT NOT NULL DEFAULT '';
CREATE TABLE model_aliases (
  horizon TEXT NOT NULL CHECK (horizon IN ('year', 'day')),
  alias TEXT NOT NULL CHECK (alias IN ('champion', 'challenger')),
  model_id INTEGER NOT NULL REFERENCES models(id),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (horizon, alias)
);
CREATE TABLE model_decisions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER REFERENCES runs(id),
  created_at TEXT NOT NULL,
  horizon TEXT NOT NULL,
  target_year INTEGER,
  action TEXT NOT NULL CHECK (action IN ('gate', 'manual', 'rollback')),
  outcome TEXT NOT NULL CHECK (outcome IN ('promoted', 'rejected', 'rolled_back')),
  candidate_id INTEGER NOT NULL REFERENCES models(id),
  champion_id INTEGER REFERENCES models(id),
  metric TEXT NOT NULL DEFAULT '',
  candidate_value REAL,
  champion_value REAL,
  improvement REAL,
  min_improvement REAL,
  validation TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_decisions_by_horizon ON model_decisions(horizon, id);
INSERT INTO model_aliases (horizon, alias, model_id, updated_at)
SELECT latest.horizon, 'champion',
       (SELECT MIN(first.id) FROM models first
        WHERE first.horizon = latest.horizon AND first.version = latest.version),
       strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
FROM models latest
WHERE latest.id IN (SELECT MAX(id) FROM models GROUP BY horizon)
  AND latest.horizon IN ('year', 'day')
ORDER BY latest.horizon;
INSERT INTO model_decisions (created_at, horizon, action, outcome, candidate_id, reason)
SELECT updated_at, horizon, 'manual', 'promoted', model_id,
       'latest model of the horizon when the registry was introduced'
FROM model_aliases ORDER BY horizon;
UPDATE forecasts SET model_id = (
  SELECT MIN(first.id) FROM models m
  JOIN models first ON first.horizon = m.horizon AND first.version = m.version
  WHERE m.id = forecasts.model_id)
WHERE model_id NOT IN (SELECT MIN(id) FROM models GROUP BY horizon, version);
DELETE FROM models WHERE id NOT IN (SELECT MIN(id) FROM models GROUP BY horizon, version);
UPDATE models SET number = (
  SELECT ranked.n FROM (
    SELECT id, row_number() OVER (PARTITION BY horizon ORDER BY id) AS n FROM models) ranked
  WHERE ranked.id = models.id);
CREATE UNIQUE INDEX models_by_version ON models(horizon, version);
)sql",
    // What the monitor measured, window by window, for the dashboard to show beside the alerts.
    R"sql(
CREATE TABLE monitor_windows (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  as_of TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('drift', 'rolling', 'month')),
  horizon TEXT NOT NULL DEFAULT '',
  start TEXT NOT NULL,
  "end" TEXT NOT NULL,
  days INTEGER NOT NULL,
  value REAL NOT NULL,
  psi REAL, ks REAL, ks_p_value REAL, wasserstein REAL,
  warning_threshold REAL, critical_threshold REAL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warning', 'critical')),
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_windows_by_run ON monitor_windows(run_id);
)sql",
    // When a run took its target's lock: a run still 'running' that took it, seen by the next
    // holder of the lock, died holding it.
    R"sql(
ALTER TABLE runs ADD COLUMN locked_at TEXT;
)sql",
    // Many-series runs: one row per series, its forecast as value lists (value_list.hpp).
    R"sql(
CREATE TABLE series_results (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  series TEXT NOT NULL,
  target_year INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'failed')),
  message TEXT NOT NULL DEFAULT '',
  train_from TEXT NOT NULL DEFAULT '',
  train_to TEXT NOT NULL DEFAULT '',
  iterations INTEGER NOT NULL DEFAULT 0,
  drift REAL,
  days INTEGER NOT NULL DEFAULT 0,
  mape REAL, mae REAL, rmse REAL, bias REAL,
  forecast_start TEXT NOT NULL DEFAULT '',
  forecast TEXT NOT NULL DEFAULT '',
  lower TEXT NOT NULL DEFAULT '',
  upper TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, series)
);
CREATE INDEX series_results_by_series ON series_results(series, run_id);
)sql",
};

/// A prepared statement, finalized on scope exit. Binds by 1-based position.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw StorageError(fmt::format("SQL prepare failed: {}", ErrorOf(db)));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int i, int64_t v) {
    Check(sqlite3_bind_int64(stmt_, i, v));
    return *this;
  }
  Statement& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Statement& Bind(int i, double v) {
    Check(sqlite3_bind_double(stmt_, i, v));
    return *this;
  }
  Statement& Bind(int i, const std::string& v) {
    Check(sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
    return *this;
  }
  Statement& Bind(int i, std::optional<int> v) {
    if (v) return Bind(i, *v);
    Check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  Statement& Bind(int i, std::optional<int64_t> v) {
    if (v) return Bind(i, *v);
    Check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  Statement& Bind(int i, std::optional<double> v) {
    if (v) return Bind(i, *v);
    Check(sqlite3_bind_null(stmt_, i));
    return *this;
  }
  /// Advances; true while a row is available.
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StorageError(fmt::format("SQL step failed: {}", ErrorOf(db_)));
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Real(int col) const { return sqlite3_column_double(stmt_, col); }
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  std::string Text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  }

 private:
  void Check(int rc) const {
    if (rc != SQLITE_OK) throw StorageError(fmt::format("SQL bind failed: {}", ErrorOf(db_)));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* kRunColumns =
    "id, command, target_year, horizon, started_at, COALESCE(finished_at, ''), status, message, "
    "config, config_hash, inputs, model_id";

/// A runs row, selected as kRunColumns lists them.
RunRecord ReadRun(const Statement& s) {
  RunRecord r;
  r.id = s.Int(0);
  r.command = s.Text(1);
  if (!s.IsNull(2)) r.target_year = static_cast<int>(s.Int(2));
  r.horizon = s.Text(3);
  r.started_at = s.Text(4);
  r.finished_at = s.Text(5);
  r.status = s.Text(6);
  r.message = s.Text(7);
  r.config = s.Text(8);
  r.config_hash = s.Text(9);
  r.inputs = s.Text(10);
  if (!s.IsNull(11)) r.model_id = s.Int(11);
  return r;
}

// Every column of models but the id, in the order ReadModel and RegisterModel use them.
constexpr const char* kModelFields =
    "run_id, version, kind, horizon, target_year, trained_from, trained_to, artifact, created_at, "
    "number, spec_hash, config_hash, data_hash, code_version";
constexpr const char* kModelPlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

/// "SELECT id, <kModelFields> FROM models <rest>".
std::string SelectModels(std::string_view rest) {
  return fmt::format("SELECT id, {} FROM models {}", kModelFields, rest);
}

/// A models row, selected as SelectModels lists them.
ModelRecord ReadModel(const Statement& s) {
  ModelRecord m;
  m.id = s.Int(0);
  m.run_id = s.Int(1);
  m.version = s.Text(2);
  m.kind = s.Text(3);
  m.horizon = s.Text(4);
  m.target_year = static_cast<int>(s.Int(5));
  m.trained_from = s.Text(6);
  m.trained_to = s.Text(7);
  m.artifact = s.Text(8);
  m.created_at = s.Text(9);
  m.number = static_cast<int>(s.Int(10));
  m.spec_hash = s.Text(11);
  m.config_hash = s.Text(12);
  m.data_hash = s.Text(13);
  m.code_version = s.Text(14);
  return m;
}

// Every column of model_decisions but the id, in the order ReadDecision and RecordDecision use.
constexpr const char* kDecisionFields =
    "run_id, created_at, horizon, target_year, action, outcome, candidate_id, champion_id, "
    "metric, candidate_value, champion_value, improvement, min_improvement, validation, reason";
constexpr const char* kDecisionPlaceholders = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?";

/// A model_decisions row, selected as "id, <kDecisionFields>".
ModelDecision ReadDecision(const Statement& s) {
  ModelDecision d;
  d.id = s.Int(0);
  if (!s.IsNull(1)) d.run_id = s.Int(1);
  d.created_at = s.Text(2);
  d.horizon = s.Text(3);
  if (!s.IsNull(4)) d.target_year = static_cast<int>(s.Int(4));
  d.action = s.Text(5);
  d.outcome = s.Text(6);
  d.candidate_id = s.Int(7);
  if (!s.IsNull(8)) d.champion_id = s.Int(8);
  d.metric = s.Text(9);
  if (!s.IsNull(10)) d.candidate_value = s.Real(10);
  if (!s.IsNull(11)) d.champion_value = s.Real(11);
  if (!s.IsNull(12)) d.improvement = s.Real(12);
  if (!s.IsNull(13)) d.min_improvement = s.Real(13);
  d.validation = s.Text(14);
  d.reason = s.Text(15);
  return d;
}

/// Fails unless model `id` exists and belongs to `horizon`: an alias or a decision of one horizon
/// never names a model of the other (the foreign key alone would allow it).
void RequireModelOfHorizon(sqlite3* db, int64_t id, const std::string& horizon,
                           std::string_view role) {
  Statement s(db, "SELECT horizon FROM models WHERE id = ?");
  s.Bind(1, id);
  if (!s.Step()) throw StorageError(fmt::format("{} model {} does not exist", role, id));
  if (s.Text(0) != horizon) {
    throw StorageError(fmt::format("{} model {} is a model of horizon '{}', not '{}'", role, id,
                                   s.Text(0), horizon));
  }
}

/// Points an alias of a horizon at a model, creating the alias when absent.
void PointAlias(sqlite3* db, const std::string& horizon, const char* alias, int64_t model_id,
                const std::string& updated_at) {
  Statement s(
      db,
      "INSERT INTO model_aliases (horizon, alias, model_id, updated_at) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (horizon, alias) DO UPDATE SET model_id = excluded.model_id, "
      "updated_at = excluded.updated_at");
  s.Bind(1, horizon).Bind(2, std::string(alias)).Bind(3, model_id).Bind(4, updated_at).Step();
}

MetricRow ReadMetric(const Statement& s, int c) {
  return {s.Text(c),     s.Text(c + 1), static_cast<int>(s.Int(c + 2)),
          s.Real(c + 3), s.Real(c + 4), s.Real(c + 5),
          s.Real(c + 6), s.Real(c + 7), s.Real(c + 8)};
}

constexpr const char* kBacktestColumns =
    "run_id, target_year, horizon, days, mape, mae, rmse, bias, skill, naive_mape, coverage, "
    "interval_width";

/// A backtests row, selected as kBacktestColumns lists them.
BacktestRow ReadBacktest(const Statement& s) {
  BacktestRow r;
  r.run_id = s.Int(0);
  r.target_year = static_cast<int>(s.Int(1));
  r.horizon = s.Text(2);
  r.days = static_cast<int>(s.Int(3));
  r.mape = s.Real(4);
  r.mae = s.Real(5);
  r.rmse = s.Real(6);
  r.bias = s.Real(7);
  r.skill = s.Real(8);
  r.naive_mape = s.Real(9);
  r.coverage = s.Real(10);
  r.interval_width = s.Real(11);
  return r;
}

constexpr const char* kAlertColumns =
    "id, run_id, created_at, severity, source, code, message, target_year, horizon, "
    "period_start, period_end, subject, value, threshold, fingerprint, acknowledged, "
    "COALESCE(acknowledged_at, '')";

/// An alerts row, selected as kAlertColumns lists them.
AlertRecord ReadAlert(const Statement& s) {
  AlertRecord a;
  a.id = s.Int(0);
  if (!s.IsNull(1)) a.run_id = s.Int(1);
  a.created_at = s.Text(2);
  a.severity = s.Text(3);
  a.source = s.Text(4);
  a.code = s.Text(5);
  a.message = s.Text(6);
  if (!s.IsNull(7)) a.target_year = static_cast<int>(s.Int(7));
  a.horizon = s.Text(8);
  a.period_start = s.Text(9);
  a.period_end = s.Text(10);
  a.subject = s.Text(11);
  if (!s.IsNull(12)) a.value = s.Real(12);
  if (!s.IsNull(13)) a.threshold = s.Real(13);
  a.fingerprint = s.Text(14);
  a.acknowledged = s.Int(15) != 0;
  a.acknowledged_at = s.Text(16);
  return a;
}

/// " AND column IN (?, ?)" with one placeholder per value; empty when there are no values.
std::string InClause(const char* column, std::size_t values) {
  if (values == 0) return "";
  std::string out = fmt::format(" AND {} IN (?", column);
  for (std::size_t i = 1; i < values; ++i) out += ", ?";
  return out + ")";
}

}  // namespace

std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{secs - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     ms.count() % 1000);
}

SqliteDatabase::SqliteDatabase(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  if (sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
      SQLITE_OK) {
    const std::string error = ErrorOf(db_);
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError(fmt::format("{}: cannot open database: {}{}", path_.string(), error,
                                   UnwritableFolder(path_)));
  }
  sqlite3_busy_timeout(db_, kBusyTimeoutMs);
  try {
    Execute("PRAGMA foreign_keys = ON");
    EnableWal();
    Migrate();
  } catch (const StorageError& e) {
    sqlite3_close(db_);
    db_ = nullptr;
    throw StorageError(fmt::format("{}: {}{}", path_.string(), e.what(), UnwritableFolder(path_)));
  }
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(db_); }

void SqliteDatabase::EnableWal() {
  // Write-ahead logging lets readers (the dashboard, `runs`) go on while a run writes, and
  // concurrent runs wait for each other's short write transactions (the busy timeout) instead of
  // failing. The mode is stored in the file: only the first open of a fresh database switches it,
  // and that switch needs the database to itself, which two processes opening a fresh file at
  // once may not get at the first try.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  while (true) {
    const int rc = sqlite3_exec(db_, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    const std::string message = ErrorOf(db_);
    if (rc == SQLITE_OK) return;
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
        std::chrono::steady_clock::now() >= deadline) {
      throw StorageError(fmt::format("cannot switch to WAL journal mode: {}", message));
    }
    std::this_thread::sleep_for(kLockPollInterval);
  }
}

std::filesystem::path SqliteDatabase::lock_dir() const {
  return std::filesystem::path(path_.string() + ".locks");
}

std::unique_ptr<TargetLock> SqliteDatabase::LockTarget(int target_year, const std::string& horizon,
                                                       std::chrono::milliseconds timeout) {
  // The horizon becomes part of a file name: only the names of horizons are accepted.
  if (horizon.empty() ||
      horizon.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
    throw StorageError(
        fmt::format("cannot lock target {} '{}': not a horizon", target_year, horizon));
  }
  const std::filesystem::path dir = lock_dir();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  const std::filesystem::path file = dir / fmt::format("{}-{}.lock", target_year, horizon);
  // The file is never removed: removing it while another process waits on it would let two
  // processes hold locks on two different files of the same name.
  const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw StorageError(
        fmt::format("{}: cannot open lock file: {}", file.string(), std::strerror(errno)));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return std::make_unique<FileTargetLock>(fd);
    const int error = errno;
    if (error != EWOULDBLOCK && error != EINTR) {
      close(fd);
      throw StorageError(fmt::format("{}: cannot lock: {}", file.string(), std::strerror(error)));
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      close(fd);
      throw LockTimeout(fmt::format(
          "{} {} is locked by another process (lock file {}); still locked after {:.1f} s",
          target_year, horizon, file.string(), static_cast<double>(timeout.count()) / 1000.0));
    }
    std::this_thread::sleep_for(
        std::min<std::chrono::steady_clock::duration>(kLockPollInterval, deadline - now));
  }
}

void SqliteDatabase::Execute(const char* sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    sqlite3_free(error);
    throw StorageError(fmt::format("SQL failed: {}", ErrorOf(db_)));
  }
}

void SqliteDatabase::InTransaction(const std::function<void()>& body) {
  Execute("BEGIN IMMEDIATE");
  try {
    body();
    Execute("COMMIT");
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

int SqliteDatabase::schema_version() const {
  Statement s(db_, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  s.Step();
  return static_cast<int>(s.Int(0));
}

void SqliteDatabase::Migrate() {
  InTransaction([&] {
    Execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL)");
    const int current = schema_version();
    const int latest = static_cast<int>(std::size(kMigrations));
    if (current > latest) {
      throw StorageError(
          fmt::format("database schema version {} is newer than this build ({})", current, latest));
    }
    for (int v = current + 1; v <= latest; ++v) {
      Execute(kMigrations[v - 1]);
      Statement s(db_, "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
      s.Bind(1, v).Bind(2, UtcNow()).Step();
    }
  });
}

int64_t SqliteDatabase::BeginRun(const RunRecord& run) {
  int64_t id = 0;
  InTransaction([&] {
    Statement s(db_,
                "INSERT INTO runs (command, target_year, horizon, started_at, status, config, "
                "config_hash) VALUES (?, ?, ?, ?, 'running', ?, ?)");
    s.Bind(1, run.command).Bind(2, run.target_year).Bind(3, run.horizon);
    s.Bind(4, run.started_at.empty() ? UtcNow() : run.started_at).Bind(5, run.config);
    s.Bind(6, run.config_hash).Step();
    id = sqlite3_last_insert_rowid(db_);
  });
  return id;
}

void SqliteDatabase::FinishRun(int64_t run_id, const std::string& status,
                               const std::string& message) {
  InTransaction([&] {
    Statement s(db_, "UPDATE runs SET finished_at = ?, status = ?, message = ? WHERE id = ?");
    s.Bind(1, UtcNow()).Bind(2, status).Bind(3, message).Bind(4, run_id).Step();
  });
}

std::vector<int64_t> SqliteDatabase::ClaimTarget(int target_year, const std::string& horizon,
                                                 int64_t run_id, const std::string& message) {
  std::vector<int64_t> ids;
  InTransaction([&] {
    const std::string now = UtcNow();
    Statement find(db_,
                   "SELECT id FROM runs WHERE status = 'running' AND locked_at IS NOT NULL AND "
                   "target_year = ? AND horizon = ? AND id <> ? ORDER BY id");
    find.Bind(1, target_year).Bind(2, horizon).Bind(3, run_id);
    while (find.Step()) ids.push_back(find.Int(0));
    Statement finish(
        db_, "UPDATE runs SET finished_at = ?, status = 'failed', message = ? WHERE id = ?");
    for (const int64_t id : ids) {
      finish.Bind(1, now).Bind(2, message).Bind(3, id).Step();
      finish.Reset();
    }
    Statement claim(db_, "UPDATE runs SET locked_at = ? WHERE id = ?");
    claim.Bind(1, now).Bind(2, run_id).Step();
  });
  return ids;
}

std::vector<RunRecord> SqliteDatabase::ListRuns(int limit) const {
  const std::string sql = fmt::format("SELECT {} FROM runs ORDER BY id DESC LIMIT ?", kRunColumns);
  Statement s(db_, sql.c_str());
  s.Bind(1, limit);
  std::vector<RunRecord> runs;
  while (s.Step()) runs.push_back(ReadRun(s));
  return runs;
}

std::optional<RunRecord> SqliteDatabase::FindRun(int64_t run_id) const {
  const std::string sql = fmt::format("SELECT {} FROM runs WHERE id = ?", kRunColumns);
  Statement s(db_, sql.c_str());
  s.Bind(1, run_id);
  if (!s.Step()) return std::nullopt;
  return ReadRun(s);
}

void SqliteDatabase::SetRunInputs(int64_t run_id, const std::string& inputs) {
  InTransaction([&] {
    Statement s(db_, "UPDATE runs SET inputs = ? WHERE id = ?");
    s.Bind(1, inputs).Bind(2, run_id).Step();
    // Provenance written to no run would be lost without a word.
    if (sqlite3_changes(db_) == 0) throw StorageError(fmt::format("no run {}", run_id));
  });
}

void SqliteDatabase::SetRunModel(int64_t run_id, int64_t model_id) {
  InTransaction([&] {
    Statement s(db_, "UPDATE runs SET model_id = ? WHERE id = ?");
    s.Bind(1, model_id).Bind(2, run_id).Step();
    if (sqlite3_changes(db_) == 0) throw StorageError(fmt::format("no run {}", run_id));
  });
}

Registration SqliteDatabase::RegisterModel(const ModelRecord& m) {
  Registration out;
  // One IMMEDIATE transaction: two processes registering at once cannot both see the version
  // absent, nor both take the same number.
  InTransaction([&] {
    {
      const std::string sql = SelectModels("WHERE horizon = ? AND version = ?");
      Statement existing(db_, sql.c_str());
      existing.Bind(1, m.horizon).Bind(2, m.version);
      if (existing.Step()) {
        out = {ReadModel(existing), false};
        return;
      }
    }
    Statement next(db_, "SELECT COALESCE(MAX(number), 0) + 1 FROM models WHERE horizon = ?");
    next.Bind(1, m.horizon).Step();
    ModelRecord stored = m;
    stored.number = static_cast<int>(next.Int(0));
    stored.created_at = UtcNow();
    const std::string sql =
        fmt::format("INSERT INTO models ({}) VALUES ({})", kModelFields, kModelPlaceholders);
    Statement s(db_, sql.c_str());
    s.Bind(1, stored.run_id).Bind(2, stored.version).Bind(3, stored.kind).Bind(4, stored.horizon);
    s.Bind(5, stored.target_year).Bind(6, stored.trained_from).Bind(7, stored.trained_to);
    s.Bind(8, stored.artifact).Bind(9, stored.created_at).Bind(10, stored.number);
    s.Bind(11, stored.spec_hash).Bind(12, stored.config_hash).Bind(13, stored.data_hash);
    s.Bind(14, stored.code_version).Step();
    stored.id = sqlite3_last_insert_rowid(db_);
    out = {std::move(stored), true};
  });
  return out;
}

std::optional<ModelRecord> SqliteDatabase::FindModel(int64_t id) const {
  const std::string sql = SelectModels("WHERE id = ?");
  Statement s(db_, sql.c_str());
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return ReadModel(s);
}

std::vector<ModelRecord> SqliteDatabase::FindModelsByVersion(const std::string& prefix) const {
  // A plain comparison of the first characters: unlike LIKE, no character of the prefix is a
  // wildcard and case matters.
  const std::string sql = SelectModels("WHERE substr(version, 1, length(?1)) = ?1 ORDER BY id");
  Statement s(db_, sql.c_str());
  s.Bind(1, prefix);
  std::vector<ModelRecord> out;
  while (s.Step()) out.push_back(ReadModel(s));
  return out;
}

std::vector<ModelRecord> SqliteDatabase::ListModels(const std::string& horizon, int limit) const {
  const std::string sql = SelectModels("WHERE ?1 = '' OR horizon = ?1 ORDER BY id DESC LIMIT ?2");
  Statement s(db_, sql.c_str());
  s.Bind(1, horizon).Bind(2, limit);
  std::vector<ModelRecord> out;
  while (s.Step()) out.push_back(ReadModel(s));
  return out;
}

std::optional<ModelRecord> SqliteDatabase::AliasedModel(const std::string& horizon,
                                                        const std::string& alias) const {
  const std::string sql = SelectModels(
      "WHERE id = (SELECT model_id FROM model_aliases WHERE horizon = ? AND alias = ?)");
  Statement s(db_, sql.c_str());
  s.Bind(1, horizon).Bind(2, alias);
  if (!s.Step()) return std::nullopt;
  return ReadModel(s);
}

std::vector<ModelAlias> SqliteDatabase::ListAliases(const std::string& horizon) const {
  Statement s(db_,
              "SELECT horizon, alias, model_id, updated_at FROM model_aliases "
              "WHERE ?1 = '' OR horizon = ?1 ORDER BY horizon, alias");
  s.Bind(1, horizon);
  std::vector<ModelAlias> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Int(2), s.Text(3)});
  return out;
}

int64_t SqliteDatabase::RecordDecision(const ModelDecision& d, const AliasChange& change) {
  int64_t id = 0;
  InTransaction([&] {
    const std::string now = UtcNow();
    RequireModelOfHorizon(db_, d.candidate_id, d.horizon, "candidate");
    if (change.champion) RequireModelOfHorizon(db_, *change.champion, d.horizon, "champion");
    if (change.challenger) RequireModelOfHorizon(db_, *change.challenger, d.horizon, "challenger");
    const std::string sql = fmt::format("INSERT INTO model_decisions ({}) VALUES ({})",
                                        kDecisionFields, kDecisionPlaceholders);
    Statement s(db_, sql.c_str());
    s.Bind(1, d.run_id).Bind(2, d.created_at.empty() ? now : d.created_at).Bind(3, d.horizon);
    s.Bind(4, d.target_year).Bind(5, d.action).Bind(6, d.outcome).Bind(7, d.candidate_id);
    s.Bind(8, d.champion_id).Bind(9, d.metric).Bind(10, d.candidate_value);
    s.Bind(11, d.champion_value).Bind(12, d.improvement).Bind(13, d.min_improvement);
    s.Bind(14, d.validation).Bind(15, d.reason).Step();
    id = sqlite3_last_insert_rowid(db_);
    CrashPoint("decision:written");
    if (change.champion) PointAlias(db_, d.horizon, "champion", *change.champion, now);
    if (change.challenger) PointAlias(db_, d.horizon, "challenger", *change.challenger, now);
    if (change.clear_challenger) {
      Statement clear(db_, "DELETE FROM model_aliases WHERE horizon = ? AND alias = 'challenger'");
      clear.Bind(1, d.horizon).Step();
    }
  });
  return id;
}

std::vector<ModelDecision> SqliteDatabase::ListDecisions(const std::string& horizon,
                                                         int limit) const {
  const std::string sql = fmt::format(
      "SELECT id, {} FROM model_decisions WHERE ?1 = '' OR horizon = ?1 ORDER BY id DESC "
      "LIMIT ?2",
      kDecisionFields);
  Statement s(db_, sql.c_str());
  s.Bind(1, horizon).Bind(2, limit);
  std::vector<ModelDecision> out;
  while (s.Step()) out.push_back(ReadDecision(s));
  return out;
}

void SqliteDatabase::PublishForecast(int64_t run_id, int64_t model_id,
                                     const std::vector<ForecastRow>& rows) {
  InTransaction([&] {
    Statement s(db_,
                "INSERT INTO forecasts (run_id, model_id, date, forecast, lower, upper) "
                "VALUES (?, ?, ?, ?, ?, ?)");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const ForecastRow& r = rows[i];
      if (i == rows.size() / 2) CrashPoint("forecast:half-written");
      s.Bind(1, run_id).Bind(2, model_id).Bind(3, r.date).Bind(4, r.forecast);
      s.Bind(5, r.lower).Bind(6, r.upper).Step();
      s.Reset();
    }
  });
}

std::optional<PublishedForecast> SqliteDatabase::CurrentForecast(int target_year,
                                                                 const std::string& horizon,
                                                                 int64_t pending_run) const {
  Statement head(db_,
                 "SELECT r.id, (SELECT model_id FROM forecasts f WHERE f.run_id = r.id LIMIT 1) "
                 "FROM runs r WHERE r.target_year = ? AND r.horizon = ? "
                 "AND (r.status = 'succeeded' OR r.id = ?) "
                 "AND EXISTS (SELECT 1 FROM forecasts f WHERE f.run_id = r.id) "
                 "ORDER BY r.id DESC LIMIT 1");
  head.Bind(1, target_year).Bind(2, horizon).Bind(3, pending_run);
  if (!head.Step()) return std::nullopt;
  PublishedForecast out{head.Int(0), head.Int(1), {}};
  Statement s(db_,
              "SELECT date, forecast, lower, upper FROM forecasts WHERE run_id = ? ORDER BY date");
  s.Bind(1, out.run_id);
  while (s.Step()) out.rows.push_back({s.Text(0), s.Real(1), s.Real(2), s.Real(3)});
  return out;
}

void SqliteDatabase::SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) {
  InTransaction([&] {
    Statement s(db_,
                "INSERT INTO metrics (run_id, scope, period, days, mape, mae, rmse, bias, skill, "
                "naive_mape) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const MetricRow& m : metrics) {
      s.Bind(1, run_id).Bind(2, m.scope).Bind(3, m.period).Bind(4, m.days).Bind(5, m.mape);
      s.Bind(6, m.mae).Bind(7, m.rmse).Bind(8, m.bias).Bind(9, m.skill).Bind(10, m.naive_mape);
      s.Step();
      s.Reset();
    }
  });
}

std::vector<EvaluationSummary> SqliteDatabase::LatestEvaluations() const {
  Statement s(db_,
              "SELECT r.id, r.target_year, r.horizon, COALESCE(r.finished_at, r.started_at), "
              "(SELECT COUNT(*) FROM alerts a WHERE a.run_id = r.id), m.scope, m.period, m.days, "
              "m.mape, m.mae, m.rmse, m.bias, m.skill, m.naive_mape "
              "FROM metrics m JOIN runs r ON r.id = m.run_id "
              "WHERE m.scope = 'year' AND r.status = 'succeeded' AND r.id = ("
              "  SELECT MAX(r2.id) FROM runs r2 JOIN metrics m2 ON m2.run_id = r2.id "
              "  WHERE r2.target_year = r.target_year AND r2.horizon = r.horizon "
              "  AND r2.status = 'succeeded' AND m2.scope = 'year') "
              "ORDER BY r.target_year, r.horizon DESC");
  std::vector<EvaluationSummary> out;
  while (s.Step()) {
    out.push_back({s.Int(0), static_cast<int>(s.Int(1)), s.Text(2), s.Text(3),
                   static_cast<int>(s.Int(4)), ReadMetric(s, 5)});
  }
  return out;
}

void SqliteDatabase::SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) {
  InTransaction([&] {
    const std::string sql = fmt::format("INSERT INTO backtests ({}) VALUES ({})", kBacktestColumns,
                                        "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?");
    Statement s(db_, sql.c_str());
    for (const BacktestRow& r : rows) {
      s.Bind(1, run_id).Bind(2, r.target_year).Bind(3, r.horizon).Bind(4, r.days);
      s.Bind(5, r.mape).Bind(6, r.mae).Bind(7, r.rmse).Bind(8, r.bias).Bind(9, r.skill);
      s.Bind(10, r.naive_mape).Bind(11, r.coverage).Bind(12, r.interval_width).Step();
      s.Reset();
    }
  });
}

std::vector<BacktestRow> SqliteDatabase::ListBacktests(int64_t run_id) const {
  const std::string sql = fmt::format(
      "SELECT {} FROM backtests WHERE run_id = ? ORDER BY target_year", kBacktestColumns);
  Statement s(db_, sql.c_str());
  s.Bind(1, run_id);
  std::vector<BacktestRow> out;
  while (s.Step()) out.push_back(ReadBacktest(s));
  return out;
}

std::vector<BacktestRow> SqliteDatabase::LatestBacktests(const std::string& horizon) const {
  // Like LatestEvaluations, only succeeded runs count: a run that failed after writing its rows
  // must not replace the scores of the last good one.
  const std::string sql = fmt::format(
      "SELECT {} FROM backtests b WHERE b.horizon = ? AND b.run_id = ("
      "  SELECT MAX(b2.run_id) FROM backtests b2 JOIN runs r ON r.id = b2.run_id "
      "  WHERE b2.horizon = b.horizon AND b2.target_year = b.target_year "
      "  AND r.status = 'succeeded') "
      "ORDER BY b.target_year",
      kBacktestColumns);
  Statement s(db_, sql.c_str());
  s.Bind(1, horizon);
  std::vector<BacktestRow> out;
  while (s.Step()) out.push_back(ReadBacktest(s));
  return out;
}

void SqliteDatabase::SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) {
  InTransaction([&] {
    Statement s(db_, "INSERT INTO checks (run_id, \"check\", status, detail) VALUES (?, ?, ?, ?)");
    for (const CheckRow& c : checks) {
      s.Bind(1, run_id).Bind(2, c.check).Bind(3, c.status).Bind(4, c.detail).Step();
      s.Reset();
    }
  });
}

std::vector<CheckRow> SqliteDatabase::ListChecks(int64_t run_id) const {
  Statement s(db_, "SELECT \"check\", status, detail FROM checks WHERE run_id = ? ORDER BY rowid");
  s.Bind(1, run_id);
  std::vector<CheckRow> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), s.Text(2)});
  return out;
}

std::optional<int64_t> SqliteDatabase::AddAlert(const AlertRecord& a) {
  std::optional<int64_t> id;
  InTransaction([&] {
    // Only a fingerprint conflict is ignored: a bad severity or run id still fails.
    Statement s(db_,
                "INSERT INTO alerts (run_id, created_at, severity, source, code, message, "
                "target_year, horizon, period_start, period_end, subject, value, threshold, "
                "fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (fingerprint) DO NOTHING");
    s.Bind(1, a.run_id).Bind(2, a.created_at.empty() ? UtcNow() : a.created_at);
    s.Bind(3, a.severity).Bind(4, a.source).Bind(5, a.code).Bind(6, a.message);
    s.Bind(7, a.target_year).Bind(8, a.horizon).Bind(9, a.period_start).Bind(10, a.period_end);
    s.Bind(11, a.subject).Bind(12, a.value).Bind(13, a.threshold);
    s.Bind(14, a.fingerprint.empty() ? AlertFingerprint(a) : a.fingerprint).Step();
    if (sqlite3_changes(db_) > 0) id = sqlite3_last_insert_rowid(db_);
  });
  return id;
}

std::vector<AlertRecord> SqliteDatabase::ListAlerts(const AlertFilter& filter) const {
  std::string sql = fmt::format("SELECT {} FROM alerts WHERE 1 = 1", kAlertColumns);
  sql += InClause("severity", filter.severities.size());
  sql += InClause("source", filter.sources.size());
  if (!filter.since.empty()) sql += " AND created_at >= ?";
  // A date bounds the whole day: every time on it sorts before the date followed by "~".
  if (!filter.until.empty()) sql += " AND created_at <= ?";
  if (filter.acknowledged) sql += " AND acknowledged = ?";
  if (filter.target_year) sql += " AND target_year = ?";
  if (filter.run_id) sql += " AND run_id = ?";
  sql += " ORDER BY id DESC LIMIT ?";
  Statement s(db_, sql.c_str());
  int i = 0;
  for (const std::string& severity : filter.severities) s.Bind(++i, severity);
  for (const std::string& source : filter.sources) s.Bind(++i, source);
  if (!filter.since.empty()) s.Bind(++i, filter.since);
  if (!filter.until.empty()) {
    s.Bind(++i, filter.until.size() == 10 ? filter.until + "~" : filter.until);
  }
  if (filter.acknowledged) s.Bind(++i, *filter.acknowledged ? 1 : 0);
  if (filter.target_year) s.Bind(++i, *filter.target_year);
  if (filter.run_id) s.Bind(++i, *filter.run_id);
  s.Bind(++i, filter.limit);
  std::vector<AlertRecord> out;
  while (s.Step()) out.push_back(ReadAlert(s));
  return out;
}

std::optional<AlertAcknowledgement> SqliteDatabase::AcknowledgeAlert(int64_t id) {
  std::optional<AlertAcknowledgement> out;
  InTransaction([&] {
    Statement update(db_,
                     "UPDATE alerts SET acknowledged = 1, acknowledged_at = ? "
                     "WHERE id = ? AND acknowledged = 0");
    update.Bind(1, UtcNow()).Bind(2, id).Step();
    const bool changed = sqlite3_changes(db_) > 0;
    const std::string sql = fmt::format("SELECT {} FROM alerts WHERE id = ?", kAlertColumns);
    Statement select(db_, sql.c_str());
    select.Bind(1, id);
    if (select.Step()) out = AlertAcknowledgement{ReadAlert(select), !changed};
  });
  return out;
}

int SqliteDatabase::CountAlerts(int64_t run_id) const {
  Statement s(db_, "SELECT COUNT(*) FROM alerts WHERE run_id = ?");
  s.Bind(1, run_id);
  s.Step();
  return static_cast<int>(s.Int(0));
}

void SqliteDatabase::SaveMonitorWindows(int64_t run_id, const std::string& as_of,
                                        const std::vector<MonitorWindowRow>& windows) {
  InTransaction([&] {
    Statement s(db_,
                "INSERT INTO monitor_windows (run_id, as_of, kind, horizon, start, \"end\", days, "
                "value, psi, ks, ks_p_value, wasserstein, warning_threshold, critical_threshold, "
                "status, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const MonitorWindowRow& w : windows) {
      s.Bind(1, run_id).Bind(2, as_of).Bind(3, w.kind).Bind(4, w.horizon).Bind(5, w.start);
      s.Bind(6, w.end).Bind(7, w.days).Bind(8, w.value).Bind(9, w.psi).Bind(10, w.ks);
      s.Bind(11, w.ks_p_value).Bind(12, w.wasserstein).Bind(13, w.warning_threshold);
      s.Bind(14, w.critical_threshold).Bind(15, w.status).Bind(16, w.reason).Step();
      s.Reset();
    }
  });
}

std::optional<MonitorSnapshot> SqliteDatabase::LatestMonitor(int target_year) const {
  Statement head(db_,
                 "SELECT r.id, (SELECT as_of FROM monitor_windows w WHERE w.run_id = r.id LIMIT 1) "
                 "FROM runs r WHERE r.command = 'monitor' AND r.target_year = ? "
                 "AND r.status = 'succeeded' "
                 "AND EXISTS (SELECT 1 FROM monitor_windows w WHERE w.run_id = r.id) "
                 "ORDER BY r.id DESC LIMIT 1");
  head.Bind(1, target_year);
  if (!head.Step()) return std::nullopt;
  MonitorSnapshot out{head.Int(0), target_year, head.Text(1), {}};
  Statement s(
      db_,
      "SELECT kind, horizon, start, \"end\", days, value, psi, ks, ks_p_value, wasserstein, "
      "warning_threshold, critical_threshold, status, reason FROM monitor_windows "
      "WHERE run_id = ? ORDER BY rowid");
  s.Bind(1, out.run_id);
  auto optional = [&](int col) -> std::optional<double> {
    if (s.IsNull(col)) return std::nullopt;
    return s.Real(col);
  };
  while (s.Step()) {
    MonitorWindowRow w;
    w.kind = s.Text(0);
    w.horizon = s.Text(1);
    w.start = s.Text(2);
    w.end = s.Text(3);
    w.days = static_cast<int>(s.Int(4));
    w.value = s.Real(5);
    w.psi = optional(6);
    w.ks = optional(7);
    w.ks_p_value = optional(8);
    w.wasserstein = optional(9);
    w.warning_threshold = optional(10);
    w.critical_threshold = optional(11);
    w.status = s.Text(12);
    w.reason = s.Text(13);
    out.windows.push_back(std::move(w));
  }
  return out;
}

constexpr const char* kSeriesColumns =
    "run_id, series, target_year, status, message, train_from, train_to, iterations, days, mape, "
    "mae, rmse, bias, forecast_start, drift";
constexpr const char* kSeriesWhere =
    "WHERE run_id = ? AND (? = '' OR series = ?) AND (? = '' OR status = ?) ORDER BY series";

void SqliteDatabase::SaveSeriesResults(int64_t run_id, const std::vector<SeriesResultRow>& rows) {
  InTransaction([&] {
    Statement s(
        db_,
        "INSERT INTO series_results (run_id, series, target_year, status, message, "
        "train_from, train_to, iterations, days, mape, mae, rmse, bias, forecast_start, "
        "forecast, lower, upper, drift) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?)");
    for (const SeriesResultRow& r : rows) {
      s.Bind(1, run_id).Bind(2, r.series).Bind(3, r.target_year).Bind(4, r.status);
      s.Bind(5, r.message).Bind(6, r.train_from).Bind(7, r.train_to).Bind(8, r.iterations);
      s.Bind(9, r.days).Bind(10, r.mape).Bind(11, r.mae).Bind(12, r.rmse).Bind(13, r.bias);
      s.Bind(14, r.forecast_start).Bind(15, EncodeValueList(r.forecast));
      s.Bind(16, EncodeValueList(r.lower)).Bind(17, EncodeValueList(r.upper)).Bind(18, r.drift);
      s.Step();
      s.Reset();
    }
  });
}

std::optional<int64_t> SqliteDatabase::LatestSeriesRun(std::optional<int> target_year) const {
  Statement s(db_,
              "SELECT r.id FROM runs r WHERE r.status = 'succeeded' "
              "AND (? IS NULL OR r.target_year = ?) "
              "AND EXISTS (SELECT 1 FROM series_results x WHERE x.run_id = r.id) "
              "ORDER BY r.id DESC LIMIT 1");
  s.Bind(1, target_year).Bind(2, target_year);
  if (!s.Step()) return std::nullopt;
  return s.Int(0);
}

std::vector<SeriesResultRow> SqliteDatabase::ListSeriesResults(const SeriesQuery& query) const {
  // The day-by-day arrays are read only when asked for: a listing of 10,000 series needs none.
  const std::string sql =
      query.with_forecast ? fmt::format("SELECT {}, forecast, lower, upper FROM series_results {}",
                                        kSeriesColumns, kSeriesWhere)
                          : fmt::format("SELECT {}, '', '', '' FROM series_results {}",
                                        kSeriesColumns, kSeriesWhere);
  Statement s(db_, sql.c_str());
  s.Bind(1, query.run_id).Bind(2, query.series).Bind(3, query.series);
  s.Bind(4, query.status).Bind(5, query.status);
  auto optional = [&](int col) -> std::optional<double> {
    if (s.IsNull(col)) return std::nullopt;
    return s.Real(col);
  };
  std::vector<SeriesResultRow> out;
  while (s.Step()) {
    SeriesResultRow r;
    r.run_id = s.Int(0);
    r.series = s.Text(1);
    r.target_year = static_cast<int>(s.Int(2));
    r.status = s.Text(3);
    r.message = s.Text(4);
    r.train_from = s.Text(5);
    r.train_to = s.Text(6);
    r.iterations = static_cast<int>(s.Int(7));
    r.days = static_cast<int>(s.Int(8));
    r.mape = optional(9);
    r.mae = optional(10);
    r.rmse = optional(11);
    r.bias = optional(12);
    r.forecast_start = s.Text(13);
    r.drift = optional(14);
    r.forecast = DecodeValueList(s.Text(15));
    r.lower = DecodeValueList(s.Text(16));
    r.upper = DecodeValueList(s.Text(17));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace loadcast
