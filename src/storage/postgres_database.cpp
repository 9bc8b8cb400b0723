#include "storage/postgres_database.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <pqxx/pqxx>
#include <string_view>
#include <thread>
#include <utility>

#include "core/crash_point.hpp"
#include "core/errors.hpp"
#include "core/url.hpp"
#include "storage/alerts.hpp"
#include "storage/value_list.hpp"

namespace loadcast {
namespace {

// The first key of every advisory lock loadcast takes ("LCST"), so that its locks do not collide
// with those of other applications sharing the server. The second key tells them apart.
constexpr int kLockNamespace = 0x4C435354;
constexpr int kMigrationLockKey = 0;
constexpr auto kLockPollInterval = std::chrono::milliseconds(50);

// Each migration moves the schema one version up, as the SQLite migrations of the same number do;
// append, never edit a released one. Text columns compared or sorted as text (times, dates) use
// the "C" collation, so that they order byte by byte as in SQLite whatever the server's locale.
// checks and monitor_windows have an id that SQLite's implicit rowid stands for: the order in
// which rows were written.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE runs (
  id BIGSERIAL PRIMARY KEY,
  command TEXT NOT NULL,
  target_year INTEGER,
  horizon TEXT NOT NULL DEFAULT '',
  started_at TEXT COLLATE "C" NOT NULL,
  finished_at TEXT COLLATE "C",
  status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'rejected')),
  message TEXT NOT NULL DEFAULT '',
  config TEXT NOT NULL DEFAULT ''
);
CREATE TABLE models (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL REFERENCES runs(id),
  version TEXT COLLATE "C" NOT NULL,
  kind TEXT NOT NULL,
  horizon TEXT NOT NULL,
  target_year INTEGER NOT NULL,
  trained_from TEXT NOT NULL,
  trained_to TEXT NOT NULL,
  artifact TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX models_by_target ON models(horizon, target_year);
CREATE TABLE forecasts (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  model_id BIGINT NOT NULL REFERENCES models(id),
  date TEXT COLLATE "C" NOT NULL,
  forecast DOUBLE PRECISION NOT NULL,
  lower DOUBLE PRECISION,
  upper DOUBLE PRECISION,
  PRIMARY KEY (run_id, date)
);
CREATE TABLE metrics (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  scope TEXT NOT NULL CHECK (scope IN ('year', 'month')),
  period TEXT NOT NULL,
  days INTEGER NOT NULL,
  mape DOUBLE PRECISION, mae DOUBLE PRECISION, rmse DOUBLE PRECISION, bias DOUBLE PRECISION,
  skill DOUBLE PRECISION, naive_mape DOUBLE PRECISION,
  PRIMARY KEY (run_id, scope, period)
);
CREATE TABLE checks (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL REFERENCES runs(id),
  "check" TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warn', 'fail')),
  detail TEXT NOT NULL DEFAULT ''
);
CREATE TABLE alerts (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT REFERENCES runs(id),
  created_at TEXT COLLATE "C" NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL
);
)sql",
    R"sql(
CREATE TABLE backtests (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  target_year INTEGER NOT NULL,
  horizon TEXT NOT NULL CHECK (horizon IN ('year', 'day')),
  days INTEGER NOT NULL,
  mape DOUBLE PRECISION, mae DOUBLE PRECISION, rmse DOUBLE PRECISION, bias DOUBLE PRECISION,
  skill DOUBLE PRECISION, naive_mape DOUBLE PRECISION,
  coverage DOUBLE PRECISION, interval_width DOUBLE PRECISION,
  PRIMARY KEY (run_id, target_year)
);
CREATE INDEX backtests_by_target ON backtests(horizon, target_year);
)sql",
    // As SQLite's migration 3, but PostgreSQL alters the table in place: the right-hand sides of
    // the UPDATE all read the old row, so the subject keeps the old source.
    R"sql(
ALTER TABLE alerts DROP CONSTRAINT alerts_severity_check;
ALTER TABLE alerts
  ADD COLUMN target_year INTEGER,
  ADD COLUMN horizon TEXT NOT NULL DEFAULT '',
  ADD COLUMN period_start TEXT NOT NULL DEFAULT '',
  ADD COLUMN period_end TEXT NOT NULL DEFAULT '',
  ADD COLUMN subject TEXT NOT NULL DEFAULT '',
  ADD COLUMN value DOUBLE PRECISION,
  ADD COLUMN threshold DOUBLE PRECISION,
  ADD COLUMN fingerprint TEXT,
  ADD COLUMN acknowledged INTEGER NOT NULL DEFAULT 0 CHECK (acknowledged IN (0, 1)),
  ADD COLUMN acknowledged_at TEXT COLLATE "C";
UPDATE alerts SET
  severity = CASE severity WHEN 'error' THEN 'critical' ELSE severity END,
  source = CASE WHEN code LIKE 'check\_%' ESCAPE '\' THEN 'prediction'
                WHEN code IN ('mape_above_threshold', 'worse_than_naive') THEN 'performance'
                ELSE 'pipeline' END,
  target_year = (SELECT r.target_year FROM runs r WHERE r.id = alerts.run_id),
  horizon = COALESCE((SELECT r.horizon FROM runs r WHERE r.id = alerts.run_id), ''),
  subject = 'step ' || source,
  fingerprint = 'legacy-' || id;
ALTER TABLE alerts ALTER COLUMN fingerprint SET NOT NULL;
ALTER TABLE alerts ADD CONSTRAINT alerts_severity_check
  CHECK (severity IN ('info', 'warning', 'critical'));
ALTER TABLE alerts ADD CONSTRAINT alerts_source_check
  CHECK (source IN ('validation', 'drift', 'performance', 'prediction', 'pipeline'));
CREATE UNIQUE INDEX alerts_by_fingerprint ON alerts(fingerprint);
CREATE INDEX alerts_by_run ON alerts(run_id);
)sql",
    // The model registry, as SQLite's migration 4.
    R"sql(
ALTER TABLE runs
  ADD COLUMN config_hash TEXT NOT NULL DEFAULT '',
  ADD COLUMN inputs TEXT NOT NULL DEFAULT '',
  ADD COLUMN model_id BIGINT REFERENCES models(id);
ALTER TABLE models
  ADD COLUMN number INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN spec_hash TEXT NOT NULL DEFAULT '',
  ADD COLUMN config_hash TEXT NOT NULL DEFAULT '',
  ADD COLUMN data_hash TEXT NOT NULL DEFAULT '',
  ADD COLUMN code_version TEXT NOT NULL DEFAULT '';
CREATE TABLE model_aliases (
  horizon TEXT NOT NULL CHECK (horizon IN ('year', 'day')),
  alias TEXT NOT NULL CHECK (alias IN ('champion', 'challenger')),
  model_id BIGINT NOT NULL REFERENCES models(id),
  updated_at TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (horizon, alias)
);
CREATE TABLE model_decisions (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT REFERENCES runs(id),
  created_at TEXT COLLATE "C" NOT NULL,
  horizon TEXT NOT NULL,
  target_year INTEGER,
  action TEXT NOT NULL CHECK (action IN ('gate', 'manual', 'rollback')),
  outcome TEXT NOT NULL CHECK (outcome IN ('promoted', 'rejected', 'rolled_back')),
  candidate_id BIGINT NOT NULL REFERENCES models(id),
  champion_id BIGINT REFERENCES models(id),
  metric TEXT NOT NULL DEFAULT '',
  candidate_value DOUBLE PRECISION,
  champion_value DOUBLE PRECISION,
  improvement DOUBLE PRECISION,
  min_improvement DOUBLE PRECISION,
  validation TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX model_decisions_by_horizon ON model_decisions(horizon, id);
INSERT INTO model_aliases (horizon, alias, model_id, updated_at)
SELECT latest.horizon, 'champion',
       (SELECT MIN(earliest.id) FROM models earliest
        WHERE earliest.horizon = latest.horizon AND earliest.version = latest.version),
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
FROM models latest
WHERE latest.id IN (SELECT MAX(id) FROM models GROUP BY horizon)
  AND latest.horizon IN ('year', 'day')
ORDER BY latest.horizon;
INSERT INTO model_decisions (created_at, horizon, action, outcome, candidate_id, reason)
SELECT updated_at, horizon, 'manual', 'promoted', model_id,
       'latest model of the horizon when the registry was introduced'
FROM model_aliases ORDER BY horizon;
UPDATE forecasts SET model_id = (
  SELECT MIN(earliest.id) FROM models m
  JOIN models earliest ON earliest.horizon = m.horizon AND earliest.version = m.version
  WHERE m.id = forecasts.model_id)
WHERE model_id NOT IN (SELECT MIN(id) FROM models GROUP BY horizon, version);
DELETE FROM models WHERE id NOT IN (SELECT MIN(id) FROM models GROUP BY horizon, version);
UPDATE models SET number = ranked.n
FROM (SELECT id, row_number() OVER (PARTITION BY horizon ORDER BY id) AS n FROM models) ranked
WHERE ranked.id = models.id;
CREATE UNIQUE INDEX models_by_version ON models(horizon, version);
)sql",
    R"sql(
CREATE TABLE monitor_windows (
  id BIGSERIAL PRIMARY KEY,
  run_id BIGINT NOT NULL REFERENCES runs(id),
  as_of TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('drift', 'rolling', 'month')),
  horizon TEXT NOT NULL DEFAULT '',
  start TEXT NOT NULL,
  "end" TEXT NOT NULL,
  days INTEGER NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  psi DOUBLE PRECISION, ks DOUBLE PRECISION, ks_p_value DOUBLE PRECISION,
  wasserstein DOUBLE PRECISION,
  warning_threshold DOUBLE PRECISION, critical_threshold DOUBLE PRECISION,
  status TEXT NOT NULL CHECK (status IN ('pass', 'warning', 'critical')),
  reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX monitor_windows_by_run ON monitor_windows(run_id);
)sql",
    // As SQLite's migration 6: when a run took its target's lock.
    R"sql(
ALTER TABLE runs ADD COLUMN locked_at TEXT COLLATE "C";
)sql",
    // As SQLite's migration 7: many-series runs, one row per series.
    R"sql(
CREATE TABLE series_results (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  series TEXT COLLATE "C" NOT NULL,
  target_year INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('ok', 'warning', 'failed')),
  message TEXT NOT NULL DEFAULT '',
  train_from TEXT COLLATE "C" NOT NULL DEFAULT '',
  train_to TEXT COLLATE "C" NOT NULL DEFAULT '',
  iterations INTEGER NOT NULL DEFAULT 0,
  drift DOUBLE PRECISION,
  days INTEGER NOT NULL DEFAULT 0,
  mape DOUBLE PRECISION, mae DOUBLE PRECISION, rmse DOUBLE PRECISION, bias DOUBLE PRECISION,
  forecast_start TEXT COLLATE "C" NOT NULL DEFAULT '',
  forecast TEXT NOT NULL DEFAULT '',
  lower TEXT NOT NULL DEFAULT '',
  upper TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (run_id, series)
);
CREATE INDEX series_results_by_series ON series_results(series, run_id);
)sql",
};

/// The values of a parameterised statement, as text for libpq; nullopt is NULL. A NaN is stored
/// as NULL, as SQLite stores it, and read back as SQLite reads it (0 or nothing).
class Params {
 public:
  Params& Add(const std::string& v) {
    values_.emplace_back(v);
    return *this;
  }
  Params& Add(const char* v) { return Add(std::string(v)); }
  Params& Add(int64_t v) {
    values_.emplace_back(std::to_string(v));
    return *this;
  }
  Params& Add(int v) { return Add(static_cast<int64_t>(v)); }
  Params& Add(double v) {
    if (std::isnan(v)) {
      values_.emplace_back(std::nullopt);
    } else if (std::isinf(v)) {
      values_.emplace_back(v > 0 ? "Infinity" : "-Infinity");
    } else {
      values_.emplace_back(fmt::format("{}", v));  // shortest text that reads back the same
    }
    return *this;
  }
  template <typename T>
  Params& Add(const std::optional<T>& v) {
    if (v) return Add(*v);
    values_.emplace_back(std::nullopt);
    return *this;
  }
  /// Runs `sql` ($1, $2, ... for the values, in the order added).
  pqxx::result Exec(pqxx::transaction_base& txn, const std::string& sql) const {
    std::vector<const char*> pointers;
    pointers.reserve(values_.size());
    for (const auto& v : values_) pointers.push_back(v ? v->c_str() : nullptr);
    return txn.exec_params(sql, pqxx::prepare::make_dynamic_params(pointers));
  }

 private:
  std::vector<std::optional<std::string>> values_;
};

/// Chains values: P(a, b, c) is Params().Add(a).Add(b).Add(c).
template <typename... Args>
Params P(const Args&... args) {
  Params p;
  (p.Add(args), ...);
  return p;
}

int64_t Int(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }
std::string Text(const pqxx::field& f) { return f.is_null() ? std::string() : f.c_str(); }
double Real(const pqxx::field& f) {
  if (f.is_null()) return 0.0;
  const std::string_view text(f.c_str(), f.size());
  double v = 0.0;
  if (std::from_chars(text.data(), text.data() + text.size(), v).ec != std::errc()) {
    // from_chars reads "inf" but not PostgreSQL's "Infinity" spelled in full on every library.
    if (text == "Infinity") return HUGE_VAL;
    if (text == "-Infinity") return -HUGE_VAL;
    throw StorageError(fmt::format("not a number in the database: '{}'", text));
  }
  return v;
}
std::optional<double> OptionalReal(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return Real(f);
}
std::optional<int64_t> OptionalInt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int64_t>();
}
std::optional<int> OptionalInt32(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<int>();
}

/// Strips the trailing newline libpq ends its messages with.
std::string Trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

/// Fails when the URL carries a password, in its user info ("user:password@") or as a
/// "password" parameter: secrets come from the environment only.
void RejectPasswordInUrl(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const std::size_t authority_end = url.find_first_of("/?#", start);
  const std::string authority = url.substr(
      start, authority_end == std::string::npos ? std::string::npos : authority_end - start);
  const auto at = authority.rfind('@');
  bool has_password =
      at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos;
  const auto query = url.find('?');
  if (query != std::string::npos) {
    const std::string params = fmt::format("&{}", url.substr(query + 1));
    has_password = has_password || params.find("&password=") != std::string::npos;
  }
  if (has_password) {
    throw ConfigError(
        fmt::format("database.url: '{}' holds a password; give it in the PGPASSWORD environment "
                    "variable instead",
                    RedactUrl(url)));
  }
}

/// Connects to `url`, failing with the redacted URL and libpq's reason.
std::unique_ptr<pqxx::connection> Connect(const std::string& url, const std::string& location) {
  try {
    return std::make_unique<pqxx::connection>(url);
  } catch (const std::exception& e) {
    throw StorageError(
        fmt::format("{}: cannot connect to PostgreSQL: {}", location, Trimmed(e.what())));
  }
}

constexpr const char* kRunColumns =
    "id, command, target_year, horizon, started_at, COALESCE(finished_at, ''), status, message, "
    "config, config_hash, inputs, model_id";

RunRecord ReadRun(const pqxx::row& r) {
  RunRecord run;
  run.id = Int(r[0]);
  run.command = Text(r[1]);
  run.target_year = OptionalInt32(r[2]);
  run.horizon = Text(r[3]);
  run.started_at = Text(r[4]);
  run.finished_at = Text(r[5]);
  run.status = Text(r[6]);
  run.message = Text(r[7]);
  run.config = Text(r[8]);
  run.config_hash = Text(r[9]);
  run.inputs = Text(r[10]);
  run.model_id = OptionalInt(r[11]);
  return run;
}

constexpr const char* kModelFields =
    "run_id, version, kind, horizon, target_year, trained_from, trained_to, artifact, created_at, "
    "number, spec_hash, config_hash, data_hash, code_version";

std::string SelectModels(std::string_view rest) {
  return fmt::format("SELECT id, {} FROM models {}", kModelFields, rest);
}

ModelRecord ReadModel(const pqxx::row& r) {
  ModelRecord m;
  m.id = Int(r[0]);
  m.run_id = Int(r[1]);
  m.version = Text(r[2]);
  m.kind = Text(r[3]);
  m.horizon = Text(r[4]);
  m.target_year = static_cast<int>(Int(r[5]));
  m.trained_from = Text(r[6]);
  m.trained_to = Text(r[7]);
  m.artifact = Text(r[8]);
  m.created_at = Text(r[9]);
  m.number = static_cast<int>(Int(r[10]));
  m.spec_hash = Text(r[11]);
  m.config_hash = Text(r[12]);
  m.data_hash = Text(r[13]);
  m.code_version = Text(r[14]);
  return m;
}

std::vector<ModelRecord> ReadModels(const pqxx::result& result) {
  std::vector<ModelRecord> out;
  for (const auto& row : result) out.push_back(ReadModel(row));
  return out;
}

constexpr const char* kDecisionFields =
    "run_id, created_at, horizon, target_year, action, outcome, candidate_id, champion_id, "
    "metric, candidate_value, champion_value, improvement, min_improvement, validation, reason";

ModelDecision ReadDecision(const pqxx::row& r) {
  ModelDecision d;
  d.id = Int(r[0]);
  d.run_id = OptionalInt(r[1]);
  d.created_at = Text(r[2]);
  d.horizon = Text(r[3]);
  d.target_year = OptionalInt32(r[4]);
  d.action = Text(r[5]);
  d.outcome = Text(r[6]);
  d.candidate_id = Int(r[7]);
  d.champion_id = OptionalInt(r[8]);
  d.metric = Text(r[9]);
  d.candidate_value = OptionalReal(r[10]);
  d.champion_value = OptionalReal(r[11]);
  d.improvement = OptionalReal(r[12]);
  d.min_improvement = OptionalReal(r[13]);
  d.validation = Text(r[14]);
  d.reason = Text(r[15]);
  return d;
}

void RequireModelOfHorizon(pqxx::transaction_base& txn, int64_t id, const std::string& horizon,
                           std::string_view role) {
  const auto result = P(id).Exec(txn, "SELECT horizon FROM models WHERE id = $1");
  if (result.empty()) throw StorageError(fmt::format("{} model {} does not exist", role, id));
  const std::string actual = Text(result[0][0]);
  if (actual != horizon) {
    throw StorageError(
        fmt::format("{} model {} is a model of horizon '{}', not '{}'", role, id, actual, horizon));
  }
}

void PointAlias(pqxx::transaction_base& txn, const std::string& horizon, const char* alias,
                int64_t model_id, const std::string& updated_at) {
  P(horizon, alias, model_id, updated_at)
      .Exec(txn,
            "INSERT INTO model_aliases (horizon, alias, model_id, updated_at) "
            "VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (horizon, alias) DO UPDATE SET model_id = excluded.model_id, "
            "updated_at = excluded.updated_at");
}

MetricRow ReadMetric(const pqxx::row& r, int c) {
  return {Text(r[c]),     Text(r[c + 1]), static_cast<int>(Int(r[c + 2])),
          Real(r[c + 3]), Real(r[c + 4]), Real(r[c + 5]),
          Real(r[c + 6]), Real(r[c + 7]), Real(r[c + 8])};
}

constexpr const char* kBacktestColumns =
    "run_id, target_year, horizon, days, mape, mae, rmse, bias, skill, naive_mape, coverage, "
    "interval_width";

BacktestRow ReadBacktest(const pqxx::row& r) {
  BacktestRow b;
  b.run_id = Int(r[0]);
  b.target_year = static_cast<int>(Int(r[1]));
  b.horizon = Text(r[2]);
  b.days = static_cast<int>(Int(r[3]));
  b.mape = Real(r[4]);
  b.mae = Real(r[5]);
  b.rmse = Real(r[6]);
  b.bias = Real(r[7]);
  b.skill = Real(r[8]);
  b.naive_mape = Real(r[9]);
  b.coverage = Real(r[10]);
  b.interval_width = Real(r[11]);
  return b;
}

std::vector<BacktestRow> ReadBacktests(const pqxx::result& result) {
  std::vector<BacktestRow> out;
  for (const auto& row : result) out.push_back(ReadBacktest(row));
  return out;
}

constexpr const char* kAlertColumns =
    "id, run_id, created_at, severity, source, code, message, target_year, horizon, "
    "period_start, period_end, subject, value, threshold, fingerprint, acknowledged, "
    "COALESCE(acknowledged_at, '')";

AlertRecord ReadAlert(const pqxx::row& r) {
  AlertRecord a;
  a.id = Int(r[0]);
  a.run_id = OptionalInt(r[1]);
  a.created_at = Text(r[2]);
  a.severity = Text(r[3]);
  a.source = Text(r[4]);
  a.code = Text(r[5]);
  a.message = Text(r[6]);
  a.target_year = OptionalInt32(r[7]);
  a.horizon = Text(r[8]);
  a.period_start = Text(r[9]);
  a.period_end = Text(r[10]);
  a.subject = Text(r[11]);
  a.value = OptionalReal(r[12]);
  a.threshold = OptionalReal(r[13]);
  a.fingerprint = Text(r[14]);
  a.acknowledged = Int(r[15]) != 0;
  a.acknowledged_at = Text(r[16]);
  return a;
}

/// " AND column IN ($k, $k+1, ...)" for `values` placeholders numbered from `next`, which it
/// advances; empty when there are no values.
std::string InClause(const char* column, std::size_t values, int& next) {
  if (values == 0) return "";
  std::string out = fmt::format(" AND {} IN (", column);
  for (std::size_t i = 0; i < values; ++i) out += fmt::format("{}${}", i ? ", " : "", next++);
  return out + ")";
}

/// The second key of the advisory lock of a target: a 32-bit FNV-1a hash of "year/horizon".
int TargetLockKey(int target_year, const std::string& horizon) {
  uint32_t hash = 2166136261u;
  for (const char c : fmt::format("{}/{}", target_year, horizon)) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return static_cast<int>(hash);
}

/// Holds a session advisory lock on its own connection: closing the connection, or the death of
/// the process, releases it.
class PostgresTargetLock final : public TargetLock {
 public:
  PostgresTargetLock(std::unique_ptr<pqxx::connection> conn, int key)
      : conn_(std::move(conn)), key_(key) {}
  ~PostgresTargetLock() override {
    try {
      pqxx::nontransaction txn(*conn_);
      P(kLockNamespace, key_).Exec(txn, "SELECT pg_advisory_unlock($1::int, $2::int)");
    } catch (const std::exception&) {
      // The connection closes below, which releases the lock as well.
    }
  }
  PostgresTargetLock(const PostgresTargetLock&) = delete;
  PostgresTargetLock& operator=(const PostgresTargetLock&) = delete;

 private:
  std::unique_ptr<pqxx::connection> conn_;
  int key_;
};

}  // namespace

struct PostgresDatabase::Connection {
  std::unique_ptr<pqxx::connection> conn;
};

PostgresDatabase::PostgresDatabase(std::string url)
    : url_(std::move(url)), location_(RedactUrl(url_)) {
  RejectPasswordInUrl(url_);
  conn_ = std::make_unique<Connection>(Connection{Connect(url_, location_)});
  try {
    Migrate();
  } catch (const StorageError& e) {
    throw StorageError(fmt::format("{}: {}", location_, e.what()));
  }
}

PostgresDatabase::~PostgresDatabase() = default;

void PostgresDatabase::InTransaction(
    const std::function<void(pqxx::transaction_base&)>& body) const {
  try {
    pqxx::work txn(*conn_->conn);
    body(txn);
    txn.commit();
  } catch (const pqxx::sql_error& e) {
    throw StorageError(fmt::format("SQL failed: {}", Trimmed(e.what())));
  } catch (const pqxx::broken_connection& e) {
    throw StorageError(fmt::format("{}: connection lost: {}", location_, Trimmed(e.what())));
  } catch (const pqxx::failure& e) {
    throw StorageError(fmt::format("SQL failed: {}", Trimmed(e.what())));
  }
}

int PostgresDatabase::schema_version() const {
  int version = 0;
  InTransaction([&](pqxx::transaction_base& txn) {
    version = static_cast<int>(
        Int(txn.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0]));
  });
  return version;
}

void PostgresDatabase::Migrate() {
  InTransaction([&](pqxx::transaction_base& txn) {
    // Two processes starting together against a new database would both create the tables: the
    // transaction-scoped lock lets one migrate while the other waits, then finds nothing to do.
    P(kLockNamespace, kMigrationLockKey)
        .Exec(txn, "SELECT pg_advisory_xact_lock($1::int, $2::int)");
    txn.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "applied_at TEXT NOT NULL)");
    const int current = static_cast<int>(
        Int(txn.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")[0][0]));
    const int latest = static_cast<int>(std::size(kMigrations));
    if (current > latest) {
      throw StorageError(
          fmt::format("database schema version {} is newer than this build ({})", current, latest));
    }
    for (int v = current + 1; v <= latest; ++v) {
      txn.exec(kMigrations[v - 1]);
      P(v, UtcNow())
          .Exec(txn, "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)");
    }
  });
}

std::unique_ptr<TargetLock> PostgresDatabase::LockTarget(int target_year,
                                                         const std::string& horizon,
                                                         std::chrono::milliseconds timeout) {
  // A session lock on a connection of its own: it outlives the transactions of this one, and
  // closing it (or the process dying) frees the target.
  auto conn = Connect(url_, location_);
  const int key = TargetLockKey(target_year, horizon);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  try {
    for (;;) {
      bool locked = false;
      {
        pqxx::nontransaction txn(*conn);
        locked = P(kLockNamespace, key)
                     .Exec(txn, "SELECT pg_try_advisory_lock($1::int, $2::int)")[0][0]
                     .as<bool>();
      }
      if (locked) return std::make_unique<PostgresTargetLock>(std::move(conn), key);
      if (std::chrono::steady_clock::now() >= deadline) break;
      std::this_thread::sleep_for(kLockPollInterval);
    }
  } catch (const pqxx::failure& e) {
    throw StorageError(fmt::format("{}: cannot lock target {} {}: {}", location_, target_year,
                                   horizon, Trimmed(e.what())));
  }
  throw LockTimeout(fmt::format(
      "target year {} horizon '{}' is locked by another loadcast process (waited {} ms); "
      "retry when it has finished",
      target_year, horizon, timeout.count()));
}

int64_t PostgresDatabase::BeginRun(const RunRecord& run) {
  int64_t id = 0;
  InTransaction([&](pqxx::transaction_base& txn) {
    id = Int(P(run.command, run.target_year, run.horizon,
               run.started_at.empty() ? UtcNow() : run.started_at, run.config, run.config_hash)
                 .Exec(txn,
                       "INSERT INTO runs (command, target_year, horizon, started_at, status, "
                       "config, config_hash) VALUES ($1, $2, $3, $4, 'running', $5, $6) "
                       "RETURNING id")[0][0]);
  });
  return id;
}

void PostgresDatabase::FinishRun(int64_t run_id, const std::string& status,
                                 const std::string& message) {
  InTransaction([&](pqxx::transaction_base& txn) {
    P(UtcNow(), status, message, run_id)
        .Exec(txn, "UPDATE runs SET finished_at = $1, status = $2, message = $3 WHERE id = $4");
  });
}

std::vector<int64_t> PostgresDatabase::ClaimTarget(int target_year, const std::string& horizon,
                                                   int64_t run_id, const std::string& message) {
  std::vector<int64_t> ids;
  InTransaction([&](pqxx::transaction_base& txn) {
    ids.clear();
    const std::string now = UtcNow();
    const auto finished =
        P(now, message, target_year, horizon, run_id)
            .Exec(txn,
                  "UPDATE runs SET finished_at = $1, status = 'failed', message = $2 WHERE "
                  "status = 'running' AND locked_at IS NOT NULL AND target_year = $3 AND "
                  "horizon = $4 AND id <> $5 RETURNING id");
    for (const auto& row : finished) ids.push_back(row[0].as<int64_t>());
    std::sort(ids.begin(), ids.end());
    P(now, run_id).Exec(txn, "UPDATE runs SET locked_at = $1 WHERE id = $2");
  });
  return ids;
}

std::vector<RunRecord> PostgresDatabase::ListRuns(int limit) const {
  std::vector<RunRecord> runs;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result = P(limit).Exec(
        txn, fmt::format("SELECT {} FROM runs ORDER BY id DESC LIMIT $1", kRunColumns));
    for (const auto& row : result) runs.push_back(ReadRun(row));
  });
  return runs;
}

std::optional<RunRecord> PostgresDatabase::FindRun(int64_t run_id) const {
  std::optional<RunRecord> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result =
        P(run_id).Exec(txn, fmt::format("SELECT {} FROM runs WHERE id = $1", kRunColumns));
    if (!result.empty()) out = ReadRun(result[0]);
  });
  return out;
}

void PostgresDatabase::SetRunInputs(int64_t run_id, const std::string& inputs) {
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result = P(inputs, run_id).Exec(txn, "UPDATE runs SET inputs = $1 WHERE id = $2");
    // Provenance written to no run would be lost without a word.
    if (result.affected_rows() == 0) throw StorageError(fmt::format("no run {}", run_id));
  });
}

void PostgresDatabase::SetRunModel(int64_t run_id, int64_t model_id) {
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result =
        P(model_id, run_id).Exec(txn, "UPDATE runs SET model_id = $1 WHERE id = $2");
    if (result.affected_rows() == 0) throw StorageError(fmt::format("no run {}", run_id));
  });
}

Registration PostgresDatabase::RegisterModel(const ModelRecord& m) {
  Registration out;
  InTransaction([&](pqxx::transaction_base& txn) {
    // As SQLite's IMMEDIATE transaction: two processes registering at once cannot both see the
    // version absent, nor both take the same number. Readers are not blocked.
    txn.exec("LOCK TABLE models IN SHARE ROW EXCLUSIVE MODE");
    const auto existing =
        P(m.horizon, m.version).Exec(txn, SelectModels("WHERE horizon = $1 AND version = $2"));
    if (!existing.empty()) {
      out = {ReadModel(existing[0]), false};
      return;
    }
    ModelRecord stored = m;
    stored.number = static_cast<int>(
        Int(P(m.horizon).Exec(txn,
                              "SELECT COALESCE(MAX(number), 0) + 1 FROM models WHERE horizon = "
                              "$1")[0][0]));
    stored.created_at = UtcNow();
    stored.id = Int(P(stored.run_id, stored.version, stored.kind, stored.horizon,
                      stored.target_year, stored.trained_from, stored.trained_to, stored.artifact,
                      stored.created_at, stored.number, stored.spec_hash, stored.config_hash,
                      stored.data_hash, stored.code_version)
                        .Exec(txn, fmt::format("INSERT INTO models ({}) VALUES ($1, $2, $3, $4, "
                                               "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14) "
                                               "RETURNING id",
                                               kModelFields))[0][0]);
    out = {std::move(stored), true};
  });
  return out;
}

std::optional<ModelRecord> PostgresDatabase::FindModel(int64_t id) const {
  std::optional<ModelRecord> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result = P(id).Exec(txn, SelectModels("WHERE id = $1"));
    if (!result.empty()) out = ReadModel(result[0]);
  });
  return out;
}

std::vector<ModelRecord> PostgresDatabase::FindModelsByVersion(const std::string& prefix) const {
  std::vector<ModelRecord> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    // A plain comparison of the first characters: unlike LIKE, no character of the prefix is a
    // wildcard and case matters.
    out = ReadModels(P(prefix).Exec(
        txn, SelectModels("WHERE left(version, length($1::text)) = $1::text ORDER BY id")));
  });
  return out;
}

std::vector<ModelRecord> PostgresDatabase::ListModels(const std::string& horizon, int limit) const {
  std::vector<ModelRecord> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    out = ReadModels(
        P(horizon, limit)
            .Exec(txn, SelectModels(
                           "WHERE $1::text = '' OR horizon = $1::text ORDER BY id DESC LIMIT $2")));
  });
  return out;
}

std::optional<ModelRecord> PostgresDatabase::AliasedModel(const std::string& horizon,
                                                          const std::string& alias) const {
  std::optional<ModelRecord> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result =
        P(horizon, alias)
            .Exec(
                txn,
                SelectModels(
                    "WHERE id = (SELECT model_id FROM model_aliases WHERE horizon = $1 AND alias = "
                    "$2)"));
    if (!result.empty()) out = ReadModel(result[0]);
  });
  return out;
}

std::vector<ModelAlias> PostgresDatabase::ListAliases(const std::string& horizon) const {
  std::vector<ModelAlias> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result =
        P(horizon).Exec(txn,
                        "SELECT horizon, alias, model_id, updated_at FROM model_aliases "
                        "WHERE $1::text = '' OR horizon = $1::text ORDER BY horizon COLLATE \"C\", "
                        "alias COLLATE \"C\"");
    for (const auto& r : result) out.push_back({Text(r[0]), Text(r[1]), Int(r[2]), Text(r[3])});
  });
  return out;
}

int64_t PostgresDatabase::RecordDecision(const ModelDecision& d, const AliasChange& change) {
  int64_t id = 0;
  InTransaction([&](pqxx::transaction_base& txn) {
    const std::string now = UtcNow();
    RequireModelOfHorizon(txn, d.candidate_id, d.horizon, "candidate");
    if (change.champion) RequireModelOfHorizon(txn, *change.champion, d.horizon, "champion");
    if (change.challenger) RequireModelOfHorizon(txn, *change.challenger, d.horizon, "challenger");
    id = Int(P(d.run_id, d.created_at.empty() ? now : d.created_at, d.horizon, d.target_year,
               d.action, d.outcome, d.candidate_id, d.champion_id, d.metric, d.candidate_value,
               d.champion_value, d.improvement, d.min_improvement, d.validation, d.reason)
                 .Exec(txn, fmt::format("INSERT INTO model_decisions ({}) VALUES ($1, $2, $3, "
                                        "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
                                        "RETURNING id",
                                        kDecisionFields))[0][0]);
    CrashPoint("decision:written");
    if (change.champion) PointAlias(txn, d.horizon, "champion", *change.champion, now);
    if (change.challenger) PointAlias(txn, d.horizon, "challenger", *change.challenger, now);
    if (change.clear_challenger) {
      P(d.horizon).Exec(txn,
                        "DELETE FROM model_aliases WHERE horizon = $1 AND alias = 'challenger'");
    }
  });
  return id;
}

std::vector<ModelDecision> PostgresDatabase::ListDecisions(const std::string& horizon,
                                                           int limit) const {
  std::vector<ModelDecision> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result =
        P(horizon, limit)
            .Exec(txn,
                  fmt::format("SELECT id, {} FROM model_decisions WHERE $1::text = '' OR horizon = "
                              "$1::text ORDER BY id DESC LIMIT $2",
                              kDecisionFields));
    for (const auto& row : result) out.push_back(ReadDecision(row));
  });
  return out;
}

void PostgresDatabase::PublishForecast(int64_t run_id, int64_t model_id,
                                       const std::vector<ForecastRow>& rows) {
  InTransaction([&](pqxx::transaction_base& txn) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const ForecastRow& r = rows[i];
      if (i == rows.size() / 2) CrashPoint("forecast:half-written");
      P(run_id, model_id, r.date, r.forecast, r.lower, r.upper)
          .Exec(txn,
                "INSERT INTO forecasts (run_id, model_id, date, forecast, lower, upper) "
                "VALUES ($1, $2, $3, $4, $5, $6)");
    }
  });
}

std::optional<PublishedForecast> PostgresDatabase::CurrentForecast(int target_year,
                                                                   const std::string& horizon,
                                                                   int64_t pending_run) const {
  std::optional<PublishedForecast> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto head = P(target_year, horizon, pending_run)
                          .Exec(txn,
                                "SELECT r.id, (SELECT model_id FROM forecasts f "
                                "WHERE f.run_id = r.id LIMIT 1) "
                                "FROM runs r WHERE r.target_year = $1 AND r.horizon = $2 "
                                "AND (r.status = 'succeeded' OR r.id = $3) "
                                "AND EXISTS (SELECT 1 FROM forecasts f WHERE f.run_id = r.id) "
                                "ORDER BY r.id DESC LIMIT 1");
    if (head.empty()) return;
    PublishedForecast forecast{Int(head[0][0]), Int(head[0][1]), {}};
    const auto rows = P(forecast.run_id)
                          .Exec(txn,
                                "SELECT date, forecast, lower, upper FROM forecasts "
                                "WHERE run_id = $1 ORDER BY date");
    for (const auto& r : rows) {
      forecast.rows.push_back({Text(r[0]), Real(r[1]), Real(r[2]), Real(r[3])});
    }
    out = std::move(forecast);
  });
  return out;
}

void PostgresDatabase::SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) {
  InTransaction([&](pqxx::transaction_base& txn) {
    for (const MetricRow& m : metrics) {
      P(run_id, m.scope, m.period, m.days, m.mape, m.mae, m.rmse, m.bias, m.skill, m.naive_mape)
          .Exec(txn,
                "INSERT INTO metrics (run_id, scope, period, days, mape, mae, rmse, bias, skill, "
                "naive_mape) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    }
  });
}

std::vector<EvaluationSummary> PostgresDatabase::LatestEvaluations() const {
  std::vector<EvaluationSummary> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result = txn.exec(
        "SELECT r.id, r.target_year, r.horizon, COALESCE(r.finished_at, r.started_at), "
        "(SELECT COUNT(*) FROM alerts a WHERE a.run_id = r.id), m.scope, m.period, m.days, "
        "m.mape, m.mae, m.rmse, m.bias, m.skill, m.naive_mape "
        "FROM metrics m JOIN runs r ON r.id = m.run_id "
        "WHERE m.scope = 'year' AND r.status = 'succeeded' AND r.id = ("
        "  SELECT MAX(r2.id) FROM runs r2 JOIN metrics m2 ON m2.run_id = r2.id "
        "  WHERE r2.target_year = r.target_year AND r2.horizon = r.horizon "
        "  AND r2.status = 'succeeded' AND m2.scope = 'year') "
        "ORDER BY r.target_year, r.horizon COLLATE \"C\" DESC");
    for (const auto& r : result) {
      out.push_back({Int(r[0]), static_cast<int>(Int(r[1])), Text(r[2]), Text(r[3]),
                     static_cast<int>(Int(r[4])), ReadMetric(r, 5)});
    }
  });
  return out;
}

void PostgresDatabase::SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) {
  InTransaction([&](pqxx::transaction_base& txn) {
    const std::string sql = fmt::format(
        "INSERT INTO backtests ({}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
        "$10, $11, $12)",
        kBacktestColumns);
    for (const BacktestRow& r : rows) {
      P(run_id, r.target_year, r.horizon, r.days, r.mape, r.mae, r.rmse, r.bias, r.skill,
        r.naive_mape, r.coverage, r.interval_width)
          .Exec(txn, sql);
    }
  });
}

std::vector<BacktestRow> PostgresDatabase::ListBacktests(int64_t run_id) const {
  std::vector<BacktestRow> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    out = ReadBacktests(P(run_id).Exec(
        txn, fmt::format("SELECT {} FROM backtests WHERE run_id = $1 ORDER BY target_year",
                         kBacktestColumns)));
  });
  return out;
}

std::vector<BacktestRow> PostgresDatabase::LatestBacktests(const std::string& horizon) const {
  std::vector<BacktestRow> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    // Like LatestEvaluations, only succeeded runs count.
    out = ReadBacktests(P(horizon).Exec(
        txn, fmt::format("SELECT {} FROM backtests b WHERE b.horizon = $1 AND b.run_id = ("
                         "  SELECT MAX(b2.run_id) FROM backtests b2 JOIN runs r ON r.id = "
                         "b2.run_id "
                         "  WHERE b2.horizon = b.horizon AND b2.target_year = b.target_year "
                         "  AND r.status = 'succeeded') "
                         "ORDER BY b.target_year",
                         kBacktestColumns)));
  });
  return out;
}

void PostgresDatabase::SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) {
  InTransaction([&](pqxx::transaction_base& txn) {
    for (const CheckRow& c : checks) {
      P(run_id, c.check, c.status, c.detail)
          .Exec(txn,
                "INSERT INTO checks (run_id, \"check\", status, detail) VALUES ($1, $2, $3, $4)");
    }
  });
}

std::vector<CheckRow> PostgresDatabase::ListChecks(int64_t run_id) const {
  std::vector<CheckRow> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto result = P(run_id).Exec(
        txn, "SELECT \"check\", status, detail FROM checks WHERE run_id = $1 ORDER BY id");
    for (const auto& r : result) out.push_back({Text(r[0]), Text(r[1]), Text(r[2])});
  });
  return out;
}

std::optional<int64_t> PostgresDatabase::AddAlert(const AlertRecord& a) {
  std::optional<int64_t> id;
  InTransaction([&](pqxx::transaction_base& txn) {
    // Only a fingerprint conflict is ignored: a bad severity or run id still fails.
    const auto result =
        P(a.run_id, a.created_at.empty() ? UtcNow() : a.created_at, a.severity, a.source, a.code,
          a.message, a.target_year, a.horizon, a.period_start, a.period_end, a.subject, a.value,
          a.threshold, a.fingerprint.empty() ? AlertFingerprint(a) : a.fingerprint)
            .Exec(txn,
                  "INSERT INTO alerts (run_id, created_at, severity, source, code, message, "
                  "target_year, horizon, period_start, period_end, subject, value, threshold, "
                  "fingerprint) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                  "$14) ON CONFLICT (fingerprint) DO NOTHING RETURNING id");
    if (!result.empty()) id = Int(result[0][0]);
  });
  return id;
}

std::vector<AlertRecord> PostgresDatabase::ListAlerts(const AlertFilter& filter) const {
  int next = 1;
  std::string sql = fmt::format("SELECT {} FROM alerts WHERE 1 = 1", kAlertColumns);
  sql += InClause("severity", filter.severities.size(), next);
  sql += InClause("source", filter.sources.size(), next);
  Params params;
  for (const std::string& severity : filter.severities) params.Add(severity);
  for (const std::string& source : filter.sources) params.Add(source);
  if (!filter.since.empty()) {
    sql += fmt::format(" AND created_at >= ${}", next++);
    params.Add(filter.since);
  }
  // A date bounds the whole day: every time on it sorts before the date followed by "~".
  if (!filter.until.empty()) {
    sql += fmt::format(" AND created_at <= ${}", next++);
    params.Add(filter.until.size() == 10 ? filter.until + "~" : filter.until);
  }
  if (filter.acknowledged) {
    sql += fmt::format(" AND acknowledged = ${}", next++);
    params.Add(*filter.acknowledged ? 1 : 0);
  }
  if (filter.target_year) {
    sql += fmt::format(" AND target_year = ${}", next++);
    params.Add(*filter.target_year);
  }
  if (filter.run_id) {
    sql += fmt::format(" AND run_id = ${}", next++);
    params.Add(*filter.run_id);
  }
  sql += fmt::format(" ORDER BY id DESC LIMIT ${}", next++);
  params.Add(filter.limit);
  std::vector<AlertRecord> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    for (const auto& row : params.Exec(txn, sql)) out.push_back(ReadAlert(row));
  });
  return out;
}

std::optional<AlertAcknowledgement> PostgresDatabase::AcknowledgeAlert(int64_t id) {
  std::optional<AlertAcknowledgement> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const bool changed = P(UtcNow(), id)
                             .Exec(txn,
                                   "UPDATE alerts SET acknowledged = 1, acknowledged_at = $1 "
                                   "WHERE id = $2 AND acknowledged = 0")
                             .affected_rows() > 0;
    const auto result =
        P(id).Exec(txn, fmt::format("SELECT {} FROM alerts WHERE id = $1", kAlertColumns));
    if (!result.empty()) out = AlertAcknowledgement{ReadAlert(result[0]), !changed};
  });
  return out;
}

int PostgresDatabase::CountAlerts(int64_t run_id) const {
  int count = 0;
  InTransaction([&](pqxx::transaction_base& txn) {
    count = static_cast<int>(
        Int(P(run_id).Exec(txn, "SELECT COUNT(*) FROM alerts WHERE run_id = $1")[0][0]));
  });
  return count;
}

void PostgresDatabase::SaveMonitorWindows(int64_t run_id, const std::string& as_of,
                                          const std::vector<MonitorWindowRow>& windows) {
  InTransaction([&](pqxx::transaction_base& txn) {
    for (const MonitorWindowRow& w : windows) {
      P(run_id, as_of, w.kind, w.horizon, w.start, w.end, w.days, w.value, w.psi, w.ks,
        w.ks_p_value, w.wasserstein, w.warning_threshold, w.critical_threshold, w.status, w.reason)
          .Exec(txn,
                "INSERT INTO monitor_windows (run_id, as_of, kind, horizon, start, \"end\", "
                "days, value, psi, ks, ks_p_value, wasserstein, warning_threshold, "
                "critical_threshold, status, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                "$9, $10, $11, $12, $13, $14, $15, $16)");
    }
  });
}

std::optional<MonitorSnapshot> PostgresDatabase::LatestMonitor(int target_year) const {
  std::optional<MonitorSnapshot> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto head =
        P(target_year)
            .Exec(txn,
                  "SELECT r.id, (SELECT as_of FROM monitor_windows w WHERE w.run_id = r.id "
                  "ORDER BY w.id LIMIT 1) "
                  "FROM runs r WHERE r.command = 'monitor' AND r.target_year = $1 "
                  "AND r.status = 'succeeded' "
                  "AND EXISTS (SELECT 1 FROM monitor_windows w WHERE w.run_id = r.id) "
                  "ORDER BY r.id DESC LIMIT 1");
    if (head.empty()) return;
    MonitorSnapshot snapshot{Int(head[0][0]), target_year, Text(head[0][1]), {}};
    const auto rows =
        P(snapshot.run_id)
            .Exec(txn,
                  "SELECT kind, horizon, start, \"end\", days, value, psi, ks, ks_p_value, "
                  "wasserstein, warning_threshold, critical_threshold, status, reason "
                  "FROM monitor_windows WHERE run_id = $1 ORDER BY id");
    for (const auto& r : rows) {
      MonitorWindowRow w;
      w.kind = Text(r[0]);
      w.horizon = Text(r[1]);
      w.start = Text(r[2]);
      w.end = Text(r[3]);
      w.days = static_cast<int>(Int(r[4]));
      w.value = Real(r[5]);
      w.psi = OptionalReal(r[6]);
      w.ks = OptionalReal(r[7]);
      w.ks_p_value = OptionalReal(r[8]);
      w.wasserstein = OptionalReal(r[9]);
      w.warning_threshold = OptionalReal(r[10]);
      w.critical_threshold = OptionalReal(r[11]);
      w.status = Text(r[12]);
      w.reason = Text(r[13]);
      snapshot.windows.push_back(std::move(w));
    }
    out = std::move(snapshot);
  });
  return out;
}

constexpr const char* kSeriesColumns =
    "run_id, series, target_year, status, message, train_from, train_to, iterations, days, mape, "
    "mae, rmse, bias, forecast_start, drift";
constexpr const char* kSeriesWhere =
    "WHERE run_id = $1 AND ($2 = '' OR series = $2) AND ($3 = '' OR status = $3) "
    "ORDER BY series";

void PostgresDatabase::SaveSeriesResults(int64_t run_id, const std::vector<SeriesResultRow>& rows) {
  InTransaction([&](pqxx::transaction_base& txn) {
    const std::string sql =
        "INSERT INTO series_results (run_id, series, target_year, status, message, train_from, "
        "train_to, iterations, days, mape, mae, rmse, bias, forecast_start, forecast, lower, "
        "upper, drift) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, $17, $18)";
    for (const SeriesResultRow& r : rows) {
      P(run_id, r.series, r.target_year, r.status, r.message, r.train_from, r.train_to,
        r.iterations, r.days, r.mape, r.mae, r.rmse, r.bias, r.forecast_start,
        EncodeValueList(r.forecast), EncodeValueList(r.lower), EncodeValueList(r.upper), r.drift)
          .Exec(txn, sql);
    }
  });
}

std::optional<int64_t> PostgresDatabase::LatestSeriesRun(std::optional<int> target_year) const {
  std::optional<int64_t> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    const auto rows = P(target_year)
                          .Exec(txn,
                                "SELECT r.id FROM runs r WHERE r.status = 'succeeded' "
                                "AND ($1::INTEGER IS NULL OR r.target_year = $1::INTEGER) "
                                "AND EXISTS (SELECT 1 FROM series_results x WHERE x.run_id = r.id) "
                                "ORDER BY r.id DESC LIMIT 1");
    if (!rows.empty()) out = Int(rows[0][0]);
  });
  return out;
}

std::vector<SeriesResultRow> PostgresDatabase::ListSeriesResults(const SeriesQuery& query) const {
  std::vector<SeriesResultRow> out;
  InTransaction([&](pqxx::transaction_base& txn) {
    // The day-by-day arrays are read only when asked for: a listing of 10,000 series needs none.
    const std::string sql =
        query.with_forecast
            ? fmt::format("SELECT {}, forecast, lower, upper FROM series_results {}",
                          kSeriesColumns, kSeriesWhere)
            : fmt::format("SELECT {}, '', '', '' FROM series_results {}", kSeriesColumns,
                          kSeriesWhere);
    for (const auto& row : P(query.run_id, query.series, query.status).Exec(txn, sql)) {
      SeriesResultRow r;
      r.run_id = Int(row[0]);
      r.series = Text(row[1]);
      r.target_year = static_cast<int>(Int(row[2]));
      r.status = Text(row[3]);
      r.message = Text(row[4]);
      r.train_from = Text(row[5]);
      r.train_to = Text(row[6]);
      r.iterations = static_cast<int>(Int(row[7]));
      r.days = static_cast<int>(Int(row[8]));
      r.mape = OptionalReal(row[9]);
      r.mae = OptionalReal(row[10]);
      r.rmse = OptionalReal(row[11]);
      r.bias = OptionalReal(row[12]);
      r.forecast_start = Text(row[13]);
      r.drift = OptionalReal(row[14]);
      r.forecast = DecodeValueList(Text(row[15]));
      r.lower = DecodeValueList(Text(row[16]));
      r.upper = DecodeValueList(Text(row[17]));
      out.push_back(std::move(r));
    }
  });
  return out;
}

}  // namespace loadcast
