// The behaviour every Database backend shares, run against each of them: SQLite always,
// PostgreSQL when LOADCAST_TEST_POSTGRES_URL names a server (e.g.
// postgresql://postgres@127.0.0.1:55432/postgres; CI sets it), each test in a database of its
// own. What only one backend has (SQLite files and their upgrades, PostgreSQL URLs and
// connections) is tested in sqlite_database_test.cpp and below, in the PostgresDatabase tests.
#include "storage/database.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "core/url.hpp"
#include "storage/alerts.hpp"
#include "storage/database.hpp"
#include "support/expect.hpp"
#include "support/postgres_server.hpp"
#include "support/records.hpp"
#include "support/schema.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using namespace std::chrono_literals;
using testing::ErrorOf;
using testing::MakeAlert;
using testing::MakeModel;
using testing::MakeRun;
using testing::ScopedPostgresDatabase;
using testing::TempDir;

std::vector<ForecastRow> Rows(const std::vector<std::string>& dates, double base) {
  std::vector<ForecastRow> rows;
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const double v = base + static_cast<double>(i);
    rows.push_back({testing::Day(dates[i]), v, v - 10.0, v + 10.0});
  }
  return rows;
}

MetricRow Metric(std::string scope, std::string period, double mape) {
  return {{31, mape, 1000.0, 1500.0, -20.0, 0.4, 2 * mape}, std::move(scope), std::move(period)};
}

BacktestRow Backtest(int target_year, std::string horizon, double mape) {
  return {{365, mape, 25000.0, 32000.0, -1500.0, 0.3, 1.5 * mape},
          0,
          target_year,
          ParseName<Horizon>(horizon),
          88.5,
          12.25};
}

using testing::kLatestSchema;

AlertFilter Limit(int limit) {
  AlertFilter filter;
  filter.limit = limit;
  return filter;
}

const std::regex kIsoTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

/// The ids of models, in the order given.
std::vector<int64_t> Ids(const std::vector<ModelRecord>& models) {
  std::vector<int64_t> ids;
  for (const ModelRecord& m : models) ids.push_back(m.id);
  return ids;
}

/// A decision about a candidate of a horizon, with no figures.
ModelDecision Decision(std::string horizon, std::string action, std::string outcome,
                       int64_t candidate) {
  ModelDecision d;
  d.horizon = ParseName<Horizon>(horizon);
  d.action = ParseName<DecisionAction>(action);
  d.outcome = ParseName<DecisionOutcome>(outcome);
  d.candidate_id = candidate;
  return d;
}

/// A SQLite file in a fresh folder.
class SqliteBackend {
 public:
  using Db = SqliteDatabase;

  /// Why the backend cannot be tested here; nothing when it can.
  std::optional<std::string> Unavailable() { return std::nullopt; }
  std::unique_ptr<Db> Open() const { return std::make_unique<Db>(path_); }
  std::string Location() const { return path_.string(); }

  /// Runs raw SQL beside the class under test, to inspect or tamper with the database.
  int64_t QueryInt(const std::string& sql) const {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    int64_t value = -1;
    if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return value;
  }
  void Exec(const std::string& sql) const {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    const std::string message = error ? error : "";
    sqlite3_free(error);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << message;
  }
  static std::string TableCountSql(const std::string& table) {
    return "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'";
  }
  /// SQL that makes every later insert into `table` fail, as a failing disk or a constraint would.
  static std::string RefuseInsertsSql(const std::string& table) {
    return fmt::format(
        "CREATE TRIGGER refuse_{0} BEFORE INSERT ON {0} BEGIN SELECT RAISE(ABORT, 'refused'); END",
        table);
  }

 private:
  TempDir dir_;
  std::filesystem::path path_ = dir_ / "var/loadcast.db";
};

/// A fresh database on the test server, dropped afterwards.
class PostgresBackend {
 public:
  using Db = PostgresDatabase;

  std::optional<std::string> Unavailable() {
    database_ = ScopedPostgresDatabase::Create();
    if (!database_) return testing::kPostgresSkipMessage;
    return std::nullopt;
  }
  std::unique_ptr<Db> Open() const { return std::make_unique<Db>(database_->url()); }
  std::string Location() const { return RedactUrl(database_->url()); }

  int64_t QueryInt(const std::string& sql) const {
    pqxx::connection conn(database_->url());
    pqxx::nontransaction txn(conn);
    const pqxx::result result = txn.exec(sql);
    if (result.empty() || result[0][0].is_null()) return -1;
    return result[0][0].as<int64_t>();
  }
  void Exec(const std::string& sql) const {
    pqxx::connection conn(database_->url());
    pqxx::nontransaction txn(conn);
    txn.exec(sql);
  }
  static std::string TableCountSql(const std::string& table) {
    return fmt::format(
        "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' AND "
        "table_name = '{}'",
        table);
  }
  static std::string RefuseInsertsSql(const std::string& table) {
    return fmt::format(
        "CREATE FUNCTION refuse_{0}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END "
        "$$ LANGUAGE plpgsql; CREATE TRIGGER refuse_{0} BEFORE INSERT ON {0} FOR EACH ROW "
        "EXECUTE FUNCTION refuse_{0}()",
        table);
  }

 private:
  std::optional<ScopedPostgresDatabase> database_;
};

template <typename Backend>
class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (auto reason = backend_.Unavailable()) GTEST_SKIP() << *reason;
    db_ = backend_.Open();
  }

  int64_t QueryInt(const std::string& sql) const { return backend_.QueryInt(sql); }

  /// Registers the model MakeModel makes of these; its id.
  int64_t RegisterModel(int64_t run, Horizon horizon, int target_year, const std::string& version) {
    return db_->models().Register(MakeModel(run, horizon, target_year, version)).model.id;
  }

  /// A run for (target_year, horizon) that published a forecast, then ended with `status`.
  int64_t PublishedRun(int target_year, const std::string& horizon, const std::string& status,
                       double base) {
    const Horizon h = ParseName<Horizon>(horizon);
    const int64_t run = db_->runs().Begin(MakeRun("predict", target_year, h));
    const int64_t model =
        db_->models().Register(MakeModel(run, h, target_year, fmt::format("v{}", run))).model.id;
    const std::string y = std::to_string(target_year);
    db_->forecasts().Publish(run, model, Rows({y + "-01-01", y + "-01-02"}, base));
    if (status != "running") db_->runs().Finish(run, ParseName<RunStatus>(status), "");
    return run;
  }

  Backend backend_;
  std::unique_ptr<typename Backend::Db> db_;
};

class BackendNames {
 public:
  template <typename T>
  static std::string GetName(int) {
    if constexpr (std::is_same_v<T, SqliteBackend>) return "Sqlite";
    return "Postgres";
  }
};

using Backends = ::testing::Types<SqliteBackend, PostgresBackend>;
TYPED_TEST_SUITE(DatabaseTest, Backends, BackendNames);

TYPED_TEST(DatabaseTest, OpeningCreatesTheSchema) {
  EXPECT_EQ(this->db_->schema_version(), kLatestSchema);
  for (const char* table :
       {"runs", "models", "forecasts", "metrics", "checks", "alerts", "backtests", "model_aliases",
        "model_decisions", "monitor_windows", "actual_revisions", "actual_changes"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(this->QueryInt(TypeParam::TableCountSql(table)), 1);
  }
  EXPECT_EQ(this->db_->location(), this->backend_.Location());
  // A new database has no models, hence no champion to record.
  EXPECT_TRUE(this->db_->models().ListAliases(std::nullopt).empty());
  EXPECT_TRUE(this->db_->models().ListDecisions(std::nullopt, 10).empty());
}

TYPED_TEST(DatabaseTest, ReopeningIsIdempotentAndKeepsTheData) {
  const int64_t run = this->db_->runs().Begin(MakeRun("ingest"));
  {
    const auto again = this->backend_.Open();
    EXPECT_EQ(again->schema_version(), kLatestSchema);
    ASSERT_EQ(again->runs().List(10).size(), 1u);
    EXPECT_EQ(again->runs().List(10)[0].id, run);
  }
  const auto third = this->backend_.Open();
  EXPECT_EQ(third->schema_version(), kLatestSchema);
  // Each migration is recorded once, however often the database is opened.
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM schema_migrations"), kLatestSchema);
}

TYPED_TEST(DatabaseTest, RefusesADatabaseFromANewerBuild) {
  this->backend_.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')");
  try {
    this->backend_.Open();
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, this->backend_.Location(), message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "newer than this build", message);
  }
}

TYPED_TEST(DatabaseTest, BeginRunRecordsARunningRun) {
  RunRecord record = MakeRun("train", 2021, Horizon::kYear);
  const int64_t id = this->db_->runs().Begin(record);
  EXPECT_GT(id, 0);
  const auto runs = this->db_->runs().List(10);
  ASSERT_EQ(runs.size(), 1u);
  const RunRecord& run = runs[0];
  EXPECT_EQ(run.id, id);
  EXPECT_EQ(run.command, "train");
  EXPECT_EQ(run.target_year, 2021);
  EXPECT_EQ(run.horizon, "year");
  EXPECT_EQ(run.status, "running");
  EXPECT_EQ(run.finished_at, "");
  EXPECT_EQ(run.message, "");
  EXPECT_EQ(run.config, record.config);
  EXPECT_FALSE(run.started_at.empty());
}

TYPED_TEST(DatabaseTest, BeginRunKeepsAGivenStartTimeAndANullTargetYear) {
  RunRecord record = MakeRun("ingest");
  record.started_at = "2021-03-01T12:00:00.000Z";
  this->db_->runs().Begin(record);
  const RunRecord run = this->db_->runs().List(1).at(0);
  EXPECT_EQ(run.started_at, "2021-03-01T12:00:00.000Z");
  EXPECT_EQ(run.target_year, std::nullopt);
  EXPECT_EQ(run.horizon, std::nullopt);
}

TYPED_TEST(DatabaseTest, FinishRunRecordsStatusMessageAndEndTime) {
  const int64_t id = this->db_->runs().Begin(MakeRun("ingest"));
  this->db_->runs().Finish(id, RunStatus::kRejected, "in.csv:3: duplicate date");
  const RunRecord run = this->db_->runs().List(1).at(0);
  EXPECT_EQ(run.status, "rejected");
  EXPECT_EQ(run.message, "in.csv:3: duplicate date");
  EXPECT_FALSE(run.finished_at.empty());
}

TYPED_TEST(DatabaseTest, RunningListsTheRunsStillRunningWithTheirProcess) {
  RunRecord record = MakeRun("ingest");
  record.process = {"worker-1", 4242, "12345"};
  const int64_t running = this->db_->runs().Begin(record);
  const int64_t legacy = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t done = this->db_->runs().Begin(record);
  this->db_->runs().Finish(done, RunStatus::kSucceeded, "");
  const auto runs = this->db_->runs().Running();
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].id, running);
  EXPECT_EQ(runs[0].command, "ingest");
  EXPECT_EQ(runs[0].process.host, "worker-1");
  EXPECT_EQ(runs[0].process.pid, 4242);
  EXPECT_EQ(runs[0].process.started, "12345");
  // A run recorded without its process.
  EXPECT_EQ(runs[1].id, legacy);
  EXPECT_EQ(runs[1].process.host, "");
  EXPECT_EQ(runs[1].process.pid, 0);
}

TYPED_TEST(DatabaseTest, AbandonFailsARunningRunOnlyOnce) {
  const int64_t id = this->db_->runs().Begin(MakeRun("ingest"));
  EXPECT_TRUE(this->db_->runs().Abandon(id, "stopped without finishing"));
  EXPECT_FALSE(this->db_->runs().Abandon(id, "again"));
  const RunRecord run = this->db_->runs().List(1).at(0);
  EXPECT_EQ(run.status, "failed");
  EXPECT_EQ(run.message, "stopped without finishing");
  EXPECT_FALSE(run.finished_at.empty());
  // A run that finished keeps how it ended.
  const int64_t finished = this->db_->runs().Begin(MakeRun("ingest"));
  this->db_->runs().Finish(finished, RunStatus::kSucceeded, "");
  EXPECT_FALSE(this->db_->runs().Abandon(finished, "late"));
  EXPECT_EQ(this->db_->runs().Find(finished)->status, "succeeded");
}

TYPED_TEST(DatabaseTest, ClaimTargetFailsOnlyTheRunsThatHeldTheTargetAndStillRun) {
  auto* db = this->db_.get();
  // A run that took the lock of 2021 year and died, one that finished, one that never took the
  // lock (it was waiting), and a dead holder of another target.
  const int64_t finished = db->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  EXPECT_TRUE(db->runs().Claim(2021, Horizon::kYear, finished, "-").empty());
  db->runs().Finish(finished, RunStatus::kSucceeded, "");
  const int64_t died = db->runs().Begin(MakeRun("run", 2021, Horizon::kYear));
  EXPECT_TRUE(db->runs().Claim(2021, Horizon::kYear, died, "-").empty());
  const int64_t waiting = db->runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  const int64_t other = db->runs().Begin(MakeRun("run", 2021, Horizon::kDay));
  db->runs().Claim(2021, Horizon::kDay, other, "-");

  const int64_t next = db->runs().Begin(MakeRun("run", 2021, Horizon::kYear));
  EXPECT_EQ(db->runs().Claim(2021, Horizon::kYear, next, "stopped without finishing"),
            std::vector<int64_t>{died});
  const auto status = [&](int64_t id) { return db->runs().Find(id)->status; };
  EXPECT_EQ(status(died), "failed");
  EXPECT_EQ(db->runs().Find(died)->message, "stopped without finishing");
  EXPECT_FALSE(db->runs().Find(died)->finished_at.empty());
  EXPECT_EQ(status(finished), "succeeded");
  EXPECT_EQ(status(waiting), "running");
  EXPECT_EQ(status(other), "running");
  EXPECT_EQ(status(next), "running");
  // The claimer is now the holder on record: were it to die, the next claim would fail it.
  const int64_t after = db->runs().Begin(MakeRun("run", 2021, Horizon::kYear));
  EXPECT_EQ(db->runs().Claim(2021, Horizon::kYear, after, "-"), std::vector<int64_t>{next});
}

TYPED_TEST(DatabaseTest, ListRunsIsNewestFirstAndLimited) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(this->db_->runs().Begin(MakeRun("run" + std::to_string(i))));
  const auto runs = this->db_->runs().List(3);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, ids[4]);
  EXPECT_EQ(runs[1].id, ids[3]);
  EXPECT_EQ(runs[2].id, ids[2]);
  EXPECT_EQ(runs[0].command, "run4");
  EXPECT_TRUE(this->db_->runs().List(0).empty());
}

TYPED_TEST(DatabaseTest, BeginRunKeepsTheConfigHashAndFindRunReadsTheProvenance) {
  RunRecord record = MakeRun("train", 2021, Horizon::kYear);
  record.config_hash = std::string(64, 'c');
  const int64_t run = this->db_->runs().Begin(record);
  const auto fresh = this->db_->runs().Find(run);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->id, run);
  EXPECT_EQ(fresh->command, "train");
  EXPECT_EQ(fresh->config, record.config);
  EXPECT_EQ(fresh->config_hash, record.config_hash);
  EXPECT_EQ(fresh->inputs, "");
  EXPECT_EQ(fresh->model_id, std::nullopt);

  const int64_t model = this->RegisterModel(run, Horizon::kYear, 2021, "v");
  this->db_->runs().SetInputs(run, {{"actuals/2020.csv", "ab12"}});
  this->db_->runs().SetModel(run, model);
  const auto recorded = this->db_->runs().Find(run);
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->inputs, R"({"actuals/2020.csv":"ab12"})");
  EXPECT_EQ(recorded->model_id, model);
  EXPECT_EQ(recorded->status, "running");
  // ListRuns reads the same columns.
  EXPECT_EQ(this->db_->runs().List(1).at(0).config_hash, record.config_hash);
  EXPECT_EQ(this->db_->runs().List(1).at(0).model_id, model);
  EXPECT_EQ(this->db_->runs().Find(run + 1), std::nullopt);
}

TYPED_TEST(DatabaseTest, EveryDatasetNamesItselfInItsErrors) {
  constexpr int64_t kNoRun = 424242;
  auto& db = *this->db_;
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.runs().SetModel(kNoRun, 1);
              }).starts_with("dataset 'runs': no run 424242"));
  ModelDecision decision;
  decision.candidate_id = kNoRun;
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.models().RecordDecision(decision, {});
              }).starts_with("dataset 'models': candidate model 424242 does not exist"));
  const auto rows = Rows({"2021-01-01"}, 1.0);
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.forecasts().Publish(kNoRun, kNoRun, rows);
              }).starts_with("dataset 'forecasts': "));
  BacktestRow backtest;
  backtest.target_year = 2021;
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.scores().SaveBacktest(kNoRun, {backtest});
              }).starts_with("dataset 'scores': "));
  AlertRecord alert;
  alert.run_id = kNoRun;
  alert.code = "x";
  EXPECT_TRUE(
      ErrorOf<StorageError>([&] { db.alerts().Add(alert); }).starts_with("dataset 'alerts': "));
  MonitorWindowRow window;
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.monitor().Save(kNoRun, Date::FromYmd(2021, 3, 1), {window});
              }).starts_with("dataset 'monitor': "));
  SeriesResultRow series;
  series.series = "a";
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.series_results().Save(kNoRun, {series});
              }).starts_with("dataset 'series_results': "));
  RevisionRecord revision;
  revision.year = 2021;
  revision.run_id = kNoRun;
  EXPECT_TRUE(ErrorOf<StorageError>([&] {
                db.revisions().Add(revision, {});
              }).starts_with("dataset 'revisions': "));
}

TYPED_TEST(DatabaseTest, SetRunModelAndInputsRequireAnExistingRunAndModel) {
  const int64_t run = this->db_->runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  EXPECT_THROW(this->db_->runs().SetModel(run, 999), StorageError);
  const int64_t model = this->RegisterModel(run, Horizon::kYear, 2021, "v");
  EXPECT_THROW(this->db_->runs().SetModel(run + 100, model), StorageError);
  EXPECT_THROW(this->db_->runs().SetInputs(run + 100, {}), StorageError);
  EXPECT_EQ(this->db_->runs().Find(run)->model_id, std::nullopt);
}

TYPED_TEST(DatabaseTest, RegisterModelRoundTripsThroughFindModel) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  ModelRecord model = MakeModel(run, Horizon::kYear, 2021, "0123456789abcdef");
  model.spec_hash = "spec";
  model.config_hash = "config";
  model.data_hash = "data";
  model.code_version = "0.4.0";
  model.number = 42;                              // assigned by the database
  model.created_at = "1999-01-01T00:00:00.000Z";  // likewise
  const Registration registration = this->db_->models().Register(model);
  EXPECT_TRUE(registration.created);
  EXPECT_GT(registration.model.id, 0);
  EXPECT_EQ(registration.model.number, 1);
  EXPECT_TRUE(std::regex_match(registration.model.created_at, kIsoTime))
      << registration.model.created_at;
  const auto found = this->db_->models().Find(registration.model.id);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, registration.model.id);
  EXPECT_EQ(found->run_id, run);
  EXPECT_EQ(found->version, model.version);
  EXPECT_EQ(found->kind, model.kind);
  EXPECT_EQ(found->horizon, "year");
  EXPECT_EQ(found->target_year, 2021);
  EXPECT_EQ(found->trained_from, model.trained_from);
  EXPECT_EQ(found->trained_to, model.trained_to);
  EXPECT_EQ(found->artifact, model.artifact);
  EXPECT_EQ(found->created_at, registration.model.created_at);
  EXPECT_EQ(found->number, 1);
  EXPECT_EQ(found->spec_hash, "spec");
  EXPECT_EQ(found->config_hash, "config");
  EXPECT_EQ(found->data_hash, "data");
  EXPECT_EQ(found->code_version, "0.4.0");
  EXPECT_EQ(this->db_->models().Find(registration.model.id + 1), std::nullopt);
}

TYPED_TEST(DatabaseTest, RegisteringAKnownVersionReturnsTheRowOnRecord) {
  const int64_t first_run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t second_run = this->db_->runs().Begin(MakeRun("train", 2022, Horizon::kYear));
  const Registration first =
      this->db_->models().Register(MakeModel(first_run, Horizon::kYear, 2021, "same"));
  ModelRecord again = MakeModel(second_run, Horizon::kYear, 2022, "same");
  again.kind = "seasonal_naive";
  const Registration second = this->db_->models().Register(again);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  // The row on record, untouched: the first run registered it, for its target.
  EXPECT_EQ(second.model.id, first.model.id);
  EXPECT_EQ(second.model.run_id, first_run);
  EXPECT_EQ(second.model.target_year, 2021);
  EXPECT_EQ(second.model.kind, "calendar_regression");
  EXPECT_EQ(second.model.number, 1);
  EXPECT_EQ(second.model.created_at, first.model.created_at);
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM models"), 1);
}

TYPED_TEST(DatabaseTest, RegisterModelNumbersEachHorizonFromOne) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const auto number = [&](const std::string& horizon, const std::string& version) {
    return this->db_->models()
        .Register(MakeModel(run, ParseName<Horizon>(horizon), 2021, version))
        .model.number;
  };
  EXPECT_EQ(number("year", "a"), 1);
  // The same version in the other horizon is another model.
  EXPECT_EQ(number("day", "a"), 1);
  EXPECT_EQ(number("year", "b"), 2);
  EXPECT_EQ(number("year", "a"), 1);  // on record: no new number
  EXPECT_EQ(number("day", "c"), 2);
  EXPECT_EQ(number("year", "c"), 3);
}

TYPED_TEST(DatabaseTest, ListModelsIsNewestFirstByHorizonAndLimited) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t y1 = this->RegisterModel(run, Horizon::kYear, 2021, "y1");
  const int64_t d1 = this->RegisterModel(run, Horizon::kDay, 2021, "d1");
  const int64_t y2 = this->RegisterModel(run, Horizon::kYear, 2022, "y2");
  const int64_t d2 = this->RegisterModel(run, Horizon::kDay, 2022, "d2");
  using V = std::vector<int64_t>;
  EXPECT_EQ(Ids(this->db_->models().List(std::nullopt, 10)), (V{d2, y2, d1, y1}));
  EXPECT_EQ(Ids(this->db_->models().List(Horizon::kYear, 10)), (V{y2, y1}));
  EXPECT_EQ(Ids(this->db_->models().List(Horizon::kDay, 1)), V{d2});
  EXPECT_TRUE(this->db_->models().List(std::nullopt, 0).empty());
}

TYPED_TEST(DatabaseTest, FindModelsByVersionMatchesAPrefixLiterally) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t abc = this->RegisterModel(run, Horizon::kYear, 2021, "abc123");
  const int64_t abd = this->RegisterModel(run, Horizon::kDay, 2021, "abd456");
  const int64_t underscore = this->RegisterModel(run, Horizon::kYear, 2021, "a_c789");
  const int64_t percent = this->RegisterModel(run, Horizon::kYear, 2021, "a%c000");
  using V = std::vector<int64_t>;
  EXPECT_EQ(Ids(this->db_->models().FindByVersion("ab")), (V{abc, abd}));  // by id, every horizon
  EXPECT_EQ(Ids(this->db_->models().FindByVersion("abc123")), V{abc});
  EXPECT_EQ(Ids(this->db_->models().FindByVersion("a")), (V{abc, abd, underscore, percent}));
  // Neither '_' nor '%' is a wildcard, and case matters.
  EXPECT_EQ(Ids(this->db_->models().FindByVersion("a_")), V{underscore});
  EXPECT_EQ(Ids(this->db_->models().FindByVersion("a%")), V{percent});
  EXPECT_TRUE(this->db_->models().FindByVersion("AB").empty());
  EXPECT_TRUE(this->db_->models().FindByVersion("abc1234").empty());
  EXPECT_TRUE(this->db_->models().FindByVersion("zz").empty());
}

TYPED_TEST(DatabaseTest, RegisterModelRequiresAnExistingRun) {
  // Foreign keys are enforced: a model always belongs to a recorded run.
  EXPECT_THROW(this->db_->models().Register(MakeModel(12345, Horizon::kYear, 2021, "orphan")),
               StorageError);
  EXPECT_TRUE(this->db_->models().List(std::nullopt, 10).empty());
}

TYPED_TEST(DatabaseTest, RecordDecisionStoresItAndMovesTheAliases) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t m1 = this->RegisterModel(run, Horizon::kYear, 2021, "m1");
  const int64_t m2 = this->RegisterModel(run, Horizon::kYear, 2021, "m2");
  const int64_t m3 = this->RegisterModel(run, Horizon::kYear, 2021, "m3");
  const int64_t day = this->RegisterModel(run, Horizon::kDay, 2021, "d1");
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kYear, "champion"), std::nullopt);

  // The first model of a horizon becomes its champion.
  ModelDecision first = Decision("year", "gate", "promoted", m1);
  first.run_id = run;
  first.target_year = 2021;
  AliasChange crown;
  crown.champion = m1;
  const int64_t d1 = this->db_->models().RecordDecision(first, crown);
  EXPECT_GT(d1, 0);
  ASSERT_TRUE(this->db_->models().FindAliased(Horizon::kYear, "champion").has_value());
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kYear, "champion")->id, m1);
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kYear, "champion")->version, "m1");
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kDay, "champion"), std::nullopt);

  // A rejected candidate becomes the challenger, the champion stays.
  ModelDecision rejected = Decision("year", "gate", "rejected", m2);
  rejected.run_id = run;
  rejected.target_year = 2021;
  rejected.champion_id = m1;
  rejected.metric = "mape";
  rejected.candidate_value = 4.0;
  rejected.champion_value = 4.1;
  rejected.improvement = 0.1 / 4.1;
  rejected.min_improvement = 0.05;
  rejected.validation = "backtest 2018-2020";
  rejected.reason = "improvement below the margin";
  AliasChange challenge;
  challenge.challenger = m2;
  const int64_t d2 = this->db_->models().RecordDecision(rejected, challenge);
  EXPECT_GT(d2, d1);
  auto aliases = this->db_->models().ListAliases(Horizon::kYear);
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].alias, "challenger");
  EXPECT_EQ(aliases[0].model_id, m2);
  EXPECT_EQ(aliases[1].alias, "champion");
  EXPECT_EQ(aliases[1].model_id, m1);
  EXPECT_EQ(aliases[1].horizon, "year");
  EXPECT_TRUE(std::regex_match(aliases[1].updated_at, kIsoTime)) << aliases[1].updated_at;

  const ModelDecision stored = this->db_->models().ListDecisions(Horizon::kYear, 1).at(0);
  EXPECT_EQ(stored.id, d2);
  EXPECT_EQ(stored.run_id, run);
  EXPECT_TRUE(std::regex_match(stored.created_at, kIsoTime)) << stored.created_at;
  EXPECT_EQ(stored.horizon, "year");
  EXPECT_EQ(stored.target_year, 2021);
  EXPECT_EQ(stored.action, "gate");
  EXPECT_EQ(stored.outcome, "rejected");
  EXPECT_EQ(stored.candidate_id, m2);
  EXPECT_EQ(stored.champion_id, m1);
  EXPECT_EQ(stored.metric, "mape");
  EXPECT_EQ(stored.candidate_value, 4.0);
  EXPECT_EQ(stored.champion_value, 4.1);
  EXPECT_EQ(stored.improvement, 0.1 / 4.1);
  EXPECT_EQ(stored.min_improvement, 0.05);
  EXPECT_EQ(stored.validation, "backtest 2018-2020");
  EXPECT_EQ(stored.reason, "improvement below the margin");

  // A promotion by hand: the champion moves and the challenger goes, in the same transaction.
  AliasChange promote;
  promote.champion = m2;
  promote.clear_challenger = true;
  this->db_->models().RecordDecision(Decision("year", "manual", "promoted", m2), promote);
  aliases = this->db_->models().ListAliases(Horizon::kYear);
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].alias, "champion");
  EXPECT_EQ(aliases[0].model_id, m2);

  // Clearing comes after setting: both in one change leave no challenger.
  AliasChange set_then_clear;
  set_then_clear.challenger = m3;
  set_then_clear.clear_challenger = true;
  this->db_->models().RecordDecision(Decision("year", "gate", "rejected", m3), set_then_clear);
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kYear, "challenger"), std::nullopt);

  // A rollback restores an earlier champion; the other horizon has aliases of its own.
  ModelDecision rollback = Decision("year", "rollback", "rolled_back", m1);
  rollback.champion_id = m2;
  rollback.created_at = "2030-01-01T00:00:00.000Z";
  AliasChange restore;
  restore.champion = m1;
  this->db_->models().RecordDecision(rollback, restore);
  AliasChange crown_day;
  crown_day.champion = day;
  this->db_->models().RecordDecision(Decision("day", "gate", "promoted", day), crown_day);
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kYear, "champion")->id, m1);
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kDay, "champion")->id, day);
  EXPECT_EQ(this->db_->models().ListDecisions(Horizon::kYear, 1).at(0).created_at,
            "2030-01-01T00:00:00.000Z");
  const auto all = this->db_->models().ListAliases(std::nullopt);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].horizon, "day");
  EXPECT_EQ(all[1].horizon, "year");
  EXPECT_EQ(this->db_->models().ListDecisions(std::nullopt, 100).size(), 6u);
}

TYPED_TEST(DatabaseTest, AFailedDecisionLeavesAliasesAndDecisionsAsTheyWere) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t m1 = this->RegisterModel(run, Horizon::kYear, 2021, "m1");
  const int64_t m2 = this->RegisterModel(run, Horizon::kYear, 2021, "m2");
  const int64_t day = this->RegisterModel(run, Horizon::kDay, 2021, "d1");
  AliasChange crown;
  crown.champion = m1;
  crown.challenger = m2;
  this->db_->models().RecordDecision(Decision("year", "gate", "promoted", m1), crown);
  const auto aliases_before = this->db_->models().ListAliases(std::nullopt);
  ASSERT_EQ(aliases_before.size(), 2u);

  const auto expect_unchanged = [&] {
    const auto aliases = this->db_->models().ListAliases(std::nullopt);
    ASSERT_EQ(aliases.size(), aliases_before.size());
    for (std::size_t i = 0; i < aliases.size(); ++i) {
      EXPECT_EQ(aliases[i].alias, aliases_before[i].alias) << i;
      EXPECT_EQ(aliases[i].model_id, aliases_before[i].model_id) << i;
      EXPECT_EQ(aliases[i].updated_at, aliases_before[i].updated_at) << i;
    }
    EXPECT_EQ(this->db_->models().ListDecisions(std::nullopt, 100).size(), 1u);
  };

  // A champion that does not exist.
  AliasChange missing;
  missing.champion = 999;
  missing.clear_challenger = true;
  EXPECT_THROW(
      this->db_->models().RecordDecision(Decision("year", "manual", "promoted", m2), missing),
      StorageError);
  expect_unchanged();
  // A candidate that does not exist.
  AliasChange to_m2;
  to_m2.champion = m2;
  EXPECT_THROW(
      this->db_->models().RecordDecision(Decision("year", "manual", "promoted", 999), to_m2),
      StorageError);
  expect_unchanged();
  // A model of the other horizon.
  AliasChange to_day;
  to_day.challenger = day;
  EXPECT_THROW(this->db_->models().RecordDecision(Decision("year", "gate", "rejected", m2), to_day),
               StorageError);
  expect_unchanged();
  // The decision row goes in, then moving an alias fails: the row is rolled back with it.
  this->backend_.Exec(TypeParam::RefuseInsertsSql("model_aliases"));
  AliasChange new_challenger;
  new_challenger.challenger = m1;
  new_challenger.champion = m2;
  this->backend_.Exec("DELETE FROM model_aliases WHERE alias = 'challenger'");
  EXPECT_THROW(this->db_->models().RecordDecision(Decision("year", "manual", "promoted", m2),
                                                  new_challenger),
               StorageError);
  EXPECT_EQ(this->db_->models().ListDecisions(std::nullopt, 100).size(), 1u);
  EXPECT_EQ(this->db_->models().FindAliased(Horizon::kYear, "champion")->id, m1);
  EXPECT_FALSE(this->db_->models().FindAliased(Horizon::kYear, "challenger"));
}

TYPED_TEST(DatabaseTest, ListDecisionsIsNewestFirstByHorizonAndLimited) {
  const int64_t run = this->db_->runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  const int64_t year = this->RegisterModel(run, Horizon::kYear, 2021, "y");
  const int64_t day = this->RegisterModel(run, Horizon::kDay, 2021, "d");
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    const bool is_year = i % 2 == 0;
    ids.push_back(this->db_->models().RecordDecision(
        Decision(is_year ? "year" : "day", "gate", "rejected", is_year ? year : day), {}));
  }
  const auto ids_of = [](const std::vector<ModelDecision>& decisions) {
    std::vector<int64_t> out;
    for (const ModelDecision& d : decisions) out.push_back(d.id);
    return out;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(ids_of(this->db_->models().ListDecisions(std::nullopt, 10)),
            (V{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_EQ(ids_of(this->db_->models().ListDecisions(std::nullopt, 2)), (V{ids[4], ids[3]}));
  EXPECT_EQ(ids_of(this->db_->models().ListDecisions(Horizon::kYear, 10)),
            (V{ids[4], ids[2], ids[0]}));
  EXPECT_EQ(ids_of(this->db_->models().ListDecisions(Horizon::kDay, 1)), V{ids[3]});
  // No alias moved: the decisions only rejected.
  EXPECT_TRUE(this->db_->models().ListAliases(std::nullopt).empty());
}

TYPED_TEST(DatabaseTest, PublishedForecastRoundTripsSortedByDate) {
  const int64_t run = this->db_->runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  const int64_t model = this->RegisterModel(run, Horizon::kYear, 2021, "v");
  // Written out of order on purpose: readers get calendar order.
  const std::vector<ForecastRow> rows = {{testing::Day("2021-01-03"), 3.0, 2.0, 4.0},
                                         {testing::Day("2021-01-01"), 1.0, 0.5, 1.5},
                                         {testing::Day("2021-01-02"), 2.0, 1.0, 3.0}};
  this->db_->forecasts().Publish(run, model, rows);
  const auto current = this->db_->forecasts().Current(2021, Horizon::kYear, run);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, run);
  EXPECT_EQ(current->model_id, model);
  ASSERT_EQ(current->rows.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(current->rows[i].date, "2021-01-0" + std::to_string(i + 1));
    EXPECT_DOUBLE_EQ(current->rows[i].forecast, i + 1.0);
  }
  EXPECT_DOUBLE_EQ(current->rows[0].lower, 0.5);
  EXPECT_DOUBLE_EQ(current->rows[0].upper, 1.5);
}

TYPED_TEST(DatabaseTest, PublishForecastIsAllOrNothing) {
  const int64_t run = this->db_->runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  const int64_t model = this->RegisterModel(run, Horizon::kYear, 2021, "v");
  // The third row repeats a date: the primary key (run, date) fails after two rows went in.
  const std::vector<ForecastRow> rows = {{testing::Day("2021-01-01"), 1.0, 0.0, 2.0},
                                         {testing::Day("2021-01-02"), 2.0, 1.0, 3.0},
                                         {testing::Day("2021-01-01"), 9.0, 8.0, 10.0}};
  EXPECT_THROW(this->db_->forecasts().Publish(run, model, rows), StorageError);
  EXPECT_EQ(this->db_->forecasts().Current(2021, Horizon::kYear, run), std::nullopt);
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM forecasts"), 0);
  // The rollback left the connection usable.
  this->db_->forecasts().Publish(run, model, {rows[0], rows[1]});
  EXPECT_EQ(this->db_->forecasts().Current(2021, Horizon::kYear, run)->rows.size(), 2u);
}

TYPED_TEST(DatabaseTest, PublishForecastRequiresAnExistingModel) {
  const int64_t run = this->db_->runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  EXPECT_THROW(this->db_->forecasts().Publish(run, 999, Rows({"2021-01-01"}, 1.0)), StorageError);
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM forecasts"), 0);
}

TYPED_TEST(DatabaseTest, CurrentForecastIsNulloptWhenNothingWasPublished) {
  EXPECT_EQ(this->db_->forecasts().Current(2021, Horizon::kYear, 0), std::nullopt);
}

TYPED_TEST(DatabaseTest, CurrentForecastPicksTheLatestSucceededRun) {
  this->PublishedRun(2021, "year", "succeeded", 100.0);
  const int64_t latest = this->PublishedRun(2021, "year", "succeeded", 200.0);
  const auto current = this->db_->forecasts().Current(2021, Horizon::kYear, 0);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, latest);
  EXPECT_DOUBLE_EQ(current->rows.at(0).forecast, 200.0);
}

TYPED_TEST(DatabaseTest, CurrentForecastIgnoresFailedRejectedAndRunningRuns) {
  const int64_t good = this->PublishedRun(2021, "year", "succeeded", 100.0);
  this->PublishedRun(2021, "year", "failed", 200.0);
  this->PublishedRun(2021, "year", "rejected", 300.0);
  this->PublishedRun(2021, "year", "running", 400.0);
  const auto current = this->db_->forecasts().Current(2021, Horizon::kYear, 0);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, good);
  EXPECT_DOUBLE_EQ(current->rows.at(0).forecast, 100.0);
}

TYPED_TEST(DatabaseTest, CurrentForecastCountsThePendingRun) {
  this->PublishedRun(2021, "year", "succeeded", 100.0);
  const int64_t pending = this->PublishedRun(2021, "year", "running", 400.0);
  const auto current = this->db_->forecasts().Current(2021, Horizon::kYear, pending);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, pending);
  EXPECT_DOUBLE_EQ(current->rows.at(0).forecast, 400.0);
}

TYPED_TEST(DatabaseTest, CurrentForecastSkipsSucceededRunsWithoutAForecast) {
  const int64_t predicted = this->PublishedRun(2021, "year", "succeeded", 100.0);
  // A later evaluate run for the same target publishes nothing: it must not hide the forecast.
  const int64_t evaluate = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  this->db_->runs().Finish(evaluate, RunStatus::kSucceeded, "");
  EXPECT_EQ(this->db_->forecasts().Current(2021, Horizon::kYear, evaluate)->run_id, predicted);
}

TYPED_TEST(DatabaseTest, CurrentForecastIsPerTargetYearAndHorizon) {
  const int64_t year_2021 = this->PublishedRun(2021, "year", "succeeded", 100.0);
  const int64_t day_2021 = this->PublishedRun(2021, "day", "succeeded", 200.0);
  const int64_t year_2022 = this->PublishedRun(2022, "year", "succeeded", 300.0);
  EXPECT_EQ(this->db_->forecasts().Current(2021, Horizon::kYear, 0)->run_id, year_2021);
  EXPECT_EQ(this->db_->forecasts().Current(2021, Horizon::kDay, 0)->run_id, day_2021);
  EXPECT_EQ(this->db_->forecasts().Current(2022, Horizon::kYear, 0)->run_id, year_2022);
  EXPECT_EQ(this->db_->forecasts().Current(2022, Horizon::kDay, 0), std::nullopt);
}

TYPED_TEST(DatabaseTest, LatestEvaluationsKeepsTheLatestSucceededYearlyScorePerTarget) {
  const int64_t old_run = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  this->db_->scores().SaveMetrics(old_run,
                                  {Metric("year", "2021", 5.0), Metric("month", "2021-01", 4.0)});
  this->db_->runs().Finish(old_run, RunStatus::kSucceeded, "");
  const int64_t new_run = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  this->db_->scores().SaveMetrics(new_run,
                                  {Metric("year", "2021", 3.0), Metric("month", "2021-01", 2.0)});
  this->db_->runs().Finish(new_run, RunStatus::kSucceeded, "");
  // A later failed run's scores do not count.
  const int64_t failed = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  this->db_->scores().SaveMetrics(failed, {Metric("year", "2021", 99.0)});
  this->db_->runs().Finish(failed, RunStatus::kFailed, "boom");
  const int64_t day_run = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kDay));
  this->db_->scores().SaveMetrics(day_run, {Metric("year", "2021", 1.5)});
  this->db_->runs().Finish(day_run, RunStatus::kSucceeded, "");
  const int64_t y2020 = this->db_->runs().Begin(MakeRun("evaluate", 2020, Horizon::kYear));
  this->db_->scores().SaveMetrics(y2020, {Metric("year", "2020", 4.5)});
  this->db_->runs().Finish(y2020, RunStatus::kSucceeded, "");

  const auto evaluations = this->db_->scores().LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 3u);
  // Ordered by target year, then "year" before "day".
  EXPECT_EQ(evaluations[0].run_id, y2020);
  EXPECT_EQ(evaluations[1].run_id, new_run);
  EXPECT_EQ(evaluations[1].target_year, 2021);
  EXPECT_EQ(evaluations[1].horizon, "year");
  EXPECT_FALSE(evaluations[1].evaluated_at.empty());
  EXPECT_EQ(evaluations[2].run_id, day_run);
  EXPECT_EQ(evaluations[2].horizon, "day");

  const MetricRow& m = evaluations[1].metrics;
  EXPECT_EQ(m.scope, "year");
  EXPECT_EQ(m.period, "2021");
  EXPECT_EQ(m.days, 31);
  EXPECT_DOUBLE_EQ(m.mape, 3.0);
  EXPECT_DOUBLE_EQ(m.mae, 1000.0);
  EXPECT_DOUBLE_EQ(m.rmse, 1500.0);
  EXPECT_DOUBLE_EQ(m.bias, -20.0);
  EXPECT_DOUBLE_EQ(m.skill, 0.4);
  EXPECT_DOUBLE_EQ(m.naive_mape, 6.0);
}

TYPED_TEST(DatabaseTest, LatestEvaluationsCountsTheAlertsOfTheEvaluatingRun) {
  const int64_t quiet = this->db_->runs().Begin(MakeRun("evaluate", 2020, Horizon::kYear));
  this->db_->scores().SaveMetrics(quiet, {Metric("year", "2020", 3.0)});
  this->db_->runs().Finish(quiet, RunStatus::kSucceeded, "");
  const int64_t noisy = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  this->db_->scores().SaveMetrics(noisy, {Metric("year", "2021", 9.0)});
  this->db_->alerts().Add(MakeAlert(noisy, AlertSeverity::kWarning, "mape_above_threshold"));
  this->db_->alerts().Add(MakeAlert(noisy, AlertSeverity::kWarning, "worse_than_naive"));
  this->db_->runs().Finish(noisy, RunStatus::kSucceeded, "");
  // Alerts of other runs are not the evaluation's.
  this->db_->alerts().Add(MakeAlert(std::nullopt, AlertSeverity::kInfo, "unrelated"));

  const auto evaluations = this->db_->scores().LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 2u);
  EXPECT_EQ(evaluations[0].run_id, quiet);
  EXPECT_EQ(evaluations[0].alerts, 0);
  EXPECT_EQ(evaluations[1].run_id, noisy);
  EXPECT_EQ(evaluations[1].alerts, 2);
  EXPECT_DOUBLE_EQ(evaluations[1].metrics.mape, 9.0);
}

TYPED_TEST(DatabaseTest, LatestEvaluationsIsEmptyWithoutYearlyScores) {
  const int64_t run = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  this->db_->scores().SaveMetrics(run, {Metric("month", "2021-01", 2.0)});
  this->db_->runs().Finish(run, RunStatus::kSucceeded, "");
  EXPECT_TRUE(this->db_->scores().LatestEvaluations().empty());
}

TYPED_TEST(DatabaseTest, SaveMetricsIsAllOrNothing) {
  const int64_t run = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  // The second row's scope violates the CHECK constraint.
  EXPECT_THROW(this->db_->scores().SaveMetrics(
                   run, {Metric("year", "2021", 3.0), Metric("week", "2021-W01", 1.0)}),
               StorageError);
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM metrics"), 0);
}

TYPED_TEST(DatabaseTest, SaveChecksRoundTripsInOrder) {
  const int64_t run = this->db_->runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  const int64_t other = this->db_->runs().Begin(MakeRun("predict", 2022, Horizon::kYear));
  const std::vector<CheckRow> checks = {
      {"one_value_per_day", CheckStatus::kPass, "365 values"},
      {"finite", CheckStatus::kFail, "1 value not finite"},
      {"interval_contains_forecast", CheckStatus::kWarn, "2 days"}};
  this->db_->scores().SaveChecks(run, checks);
  this->db_->scores().SaveChecks(other, {{"finite", CheckStatus::kPass, ""}});
  const auto stored = this->db_->scores().ListChecks(run);
  ASSERT_EQ(stored.size(), 3u);
  for (std::size_t i = 0; i < checks.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(stored[i].check, checks[i].check);
    EXPECT_EQ(stored[i].status, checks[i].status);
    EXPECT_EQ(stored[i].detail, checks[i].detail);
  }
  EXPECT_EQ(this->db_->scores().ListChecks(other).size(), 1u);
  EXPECT_TRUE(this->db_->scores().ListChecks(other + 1).empty());
}

TYPED_TEST(DatabaseTest, AlertsRoundTripNewestFirst) {
  const int64_t run = this->db_->runs().Begin(MakeRun("ingest"));
  AlertRecord first =
      MakeAlert(run, AlertSeverity::kCritical, "data_rejected", "files bad.csv sha256:ab");
  first.created_at = "2021-03-01T12:00:00.000Z";
  first.target_year = 2021;
  first.horizon = Horizon::kDay;
  first.period_start = testing::Day("2021-01-01");
  first.period_end = testing::Day("2021-01-31");
  first.value = 9.25;
  first.threshold = 8.0;
  const auto first_id = this->db_->alerts().Add(first);
  const auto second_id =
      this->db_->alerts().Add(MakeAlert(std::nullopt, AlertSeverity::kInfo, "note"));
  ASSERT_TRUE(first_id && second_id);
  EXPECT_GT(*second_id, *first_id);

  const auto alerts = this->db_->alerts().List(Limit(10));
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].id, *second_id);
  EXPECT_EQ(alerts[0].run_id, std::nullopt);
  EXPECT_FALSE(alerts[0].created_at.empty());
  EXPECT_EQ(alerts[0].target_year, std::nullopt);
  EXPECT_EQ(alerts[0].value, std::nullopt);
  EXPECT_EQ(alerts[0].threshold, std::nullopt);
  const AlertRecord& a = alerts[1];
  EXPECT_EQ(a.id, *first_id);
  EXPECT_EQ(a.run_id, run);
  EXPECT_EQ(a.created_at, "2021-03-01T12:00:00.000Z");
  EXPECT_EQ(a.severity, "critical");
  EXPECT_EQ(a.source, "pipeline");
  EXPECT_EQ(a.code, "data_rejected");
  EXPECT_EQ(a.message, "something happened");
  EXPECT_EQ(a.target_year, 2021);
  EXPECT_EQ(a.horizon, "day");
  EXPECT_EQ(a.period_start, "2021-01-01");
  EXPECT_EQ(a.period_end, "2021-01-31");
  EXPECT_EQ(a.subject, "files bad.csv sha256:ab");
  EXPECT_EQ(a.value, 9.25);
  EXPECT_EQ(a.threshold, 8.0);
  EXPECT_EQ(a.fingerprint, AlertFingerprint(first));
  EXPECT_FALSE(a.acknowledged);
  EXPECT_EQ(a.acknowledged_at, "");
  EXPECT_EQ(this->db_->alerts().List(Limit(1)).size(), 1u);
}

TYPED_TEST(DatabaseTest, TheSameAlertIsStoredOnce) {
  const int64_t run = this->db_->runs().Begin(MakeRun("monitor"));
  const int64_t rerun = this->db_->runs().Begin(MakeRun("monitor"));
  AlertRecord alert =
      MakeAlert(run, AlertSeverity::kWarning, "mape_above_threshold", "forecast of run 3");
  alert.source = AlertSource::kPerformance;
  alert.target_year = 2021;
  alert.period_start = testing::Day("2021-01-01");
  alert.period_end = testing::Day("2021-12-31");
  alert.value = 9.0;
  const auto id = this->db_->alerts().Add(alert);
  ASSERT_TRUE(id.has_value());
  // Another run finding the same on the same data, in other words and another figure.
  AlertRecord again = alert;
  again.run_id = rerun;
  again.message = "said differently";
  again.value = 9.5;
  again.created_at = "2030-01-01T00:00:00.000Z";
  EXPECT_EQ(this->db_->alerts().Add(again), std::nullopt);
  const auto alerts = this->db_->alerts().List(Limit(10));
  ASSERT_EQ(alerts.size(), 1u);
  // The alert on record is the first, untouched.
  EXPECT_EQ(alerts[0].id, *id);
  EXPECT_EQ(alerts[0].run_id, run);
  EXPECT_EQ(alerts[0].message, "something happened");
  EXPECT_EQ(alerts[0].value, 9.0);
  EXPECT_EQ(this->db_->alerts().Count(rerun), 0);
}

TYPED_TEST(DatabaseTest, AlertsAboutSomethingElseAreDistinct) {
  AlertRecord base = MakeAlert(std::nullopt, AlertSeverity::kWarning, "drift", "window 28 days");
  base.source = AlertSource::kDrift;
  base.target_year = 2021;
  base.horizon = Horizon::kYear;
  base.period_start = testing::Day("2021-01-01");
  base.period_end = testing::Day("2021-01-28");
  std::vector<AlertRecord> variants(8, base);
  variants[1].source = AlertSource::kValidation;
  variants[2].code = "drift_share";
  variants[3].target_year = 2022;
  variants[4].horizon = Horizon::kDay;
  variants[5].period_start = testing::Day("2021-01-02");
  variants[6].period_end = testing::Day("2021-01-29");
  variants[7].subject = "window 7 days";
  for (const AlertRecord& a : variants) EXPECT_TRUE(this->db_->alerts().Add(a).has_value());
  EXPECT_EQ(this->db_->alerts().List(Limit(100)).size(), variants.size());
  // A severity change is not a new finding: the fingerprint leaves it out.
  AlertRecord worse = base;
  worse.severity = AlertSeverity::kCritical;
  EXPECT_EQ(this->db_->alerts().Add(worse), std::nullopt);
}

TYPED_TEST(DatabaseTest, AGivenFingerprintIsKept) {
  AlertRecord a = MakeAlert(std::nullopt, AlertSeverity::kInfo, "x");
  a.fingerprint = "my-own-identity";
  ASSERT_TRUE(this->db_->alerts().Add(a).has_value());
  EXPECT_EQ(this->db_->alerts().List(Limit(1)).at(0).fingerprint, "my-own-identity");
  AlertRecord other = MakeAlert(std::nullopt, AlertSeverity::kWarning, "y");
  other.fingerprint = "my-own-identity";
  EXPECT_EQ(this->db_->alerts().Add(other), std::nullopt);
}

TYPED_TEST(DatabaseTest, ListAlertsFiltersBySeveritySourceDateAndAcknowledgement) {
  const auto add = [&](std::string severity, std::string source, std::string created_at) {
    AlertRecord a = MakeAlert(std::nullopt, ParseName<AlertSeverity>(severity), "code", created_at);
    a.source = ParseName<AlertSource>(source);
    a.created_at = std::move(created_at);
    return *this->db_->alerts().Add(a);
  };
  const int64_t info = add("info", "pipeline", "2021-03-01T08:00:00.000Z");
  const int64_t warning = add("warning", "drift", "2021-03-02T08:00:00.000Z");
  const int64_t critical = add("critical", "pipeline", "2021-03-03T08:00:00.000Z");
  const int64_t late = add("critical", "performance", "2021-03-04T23:59:59.999Z");
  this->db_->alerts().Acknowledge(critical);
  const auto ids = [&](const AlertFilter& filter) {
    std::vector<int64_t> out;
    for (const AlertRecord& a : this->db_->alerts().List(filter)) out.push_back(a.id);
    return out;
  };
  using Ids = std::vector<int64_t>;

  EXPECT_EQ(ids(AlertFilter{}), (Ids{late, critical, warning, info}));
  AlertFilter f;
  f.severities = {AlertSeverity::kCritical};
  EXPECT_EQ(ids(f), (Ids{late, critical}));
  f.severities = {AlertSeverity::kWarning, AlertSeverity::kCritical};
  EXPECT_EQ(ids(f), (Ids{late, critical, warning}));
  f = {};
  f.sources = {AlertSource::kPipeline};
  EXPECT_EQ(ids(f), (Ids{critical, info}));
  f.sources = {AlertSource::kDrift, AlertSource::kPerformance};
  EXPECT_EQ(ids(f), (Ids{late, warning}));
  f = {};
  // A date means from the start of that (UTC) day.
  f.since = "2021-03-03";
  EXPECT_EQ(ids(f), (Ids{late, critical}));
  f.since = "2021-03-05";
  EXPECT_TRUE(ids(f).empty());
  f = {};
  f.acknowledged = true;
  EXPECT_EQ(ids(f), Ids{critical});
  f.acknowledged = false;
  EXPECT_EQ(ids(f), (Ids{late, warning, info}));
  // Filters combine, and the limit keeps the newest.
  f.severities = {AlertSeverity::kCritical};
  EXPECT_EQ(ids(f), Ids{late});
  f = {};
  f.limit = 2;
  EXPECT_EQ(ids(f), (Ids{late, critical}));
}

TYPED_TEST(DatabaseTest, AcknowledgeAlertMarksItOnceWithTheTime) {
  const int64_t id =
      *this->db_->alerts().Add(MakeAlert(std::nullopt, AlertSeverity::kCritical, "run_failed"));
  const auto first = this->db_->alerts().Acknowledge(id);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->already_acknowledged);
  EXPECT_EQ(first->alert.id, id);
  EXPECT_TRUE(first->alert.acknowledged);
  EXPECT_TRUE(std::regex_match(first->alert.acknowledged_at,
                               std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << first->alert.acknowledged_at;
  // Again: nothing changes, and it says so.
  const auto second = this->db_->alerts().Acknowledge(id);
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->already_acknowledged);
  EXPECT_EQ(second->alert.acknowledged_at, first->alert.acknowledged_at);
  EXPECT_TRUE(this->db_->alerts().List(Limit(1)).at(0).acknowledged);
  EXPECT_EQ(this->db_->alerts().Acknowledge(id + 1), std::nullopt);
}

TYPED_TEST(DatabaseTest, CountAlertsCountsOnlyThatRun) {
  const int64_t a = this->db_->runs().Begin(MakeRun("ingest"));
  const int64_t b = this->db_->runs().Begin(MakeRun("ingest"));
  this->db_->alerts().Add(MakeAlert(a, AlertSeverity::kWarning, "x"));
  this->db_->alerts().Add(MakeAlert(a, AlertSeverity::kCritical, "y"));
  this->db_->alerts().Add(MakeAlert(b, AlertSeverity::kInfo, "z"));
  this->db_->alerts().Add(MakeAlert(std::nullopt, AlertSeverity::kInfo, "z", "another subject"));
  EXPECT_EQ(this->db_->alerts().Count(a), 2);
  EXPECT_EQ(this->db_->alerts().Count(b), 1);
  EXPECT_EQ(this->db_->alerts().Count(b + 1), 0);
}

TYPED_TEST(DatabaseTest, AddAlertRequiresAnExistingRunWhenOneIsNamed) {
  EXPECT_THROW(this->db_->alerts().Add(MakeAlert(424242, AlertSeverity::kCritical, "x")),
               StorageError);
  EXPECT_EQ(this->db_->alerts().Count(424242), 0);
}

TYPED_TEST(DatabaseTest, SaveBacktestRoundTripsThroughListBacktestsByTargetYear) {
  const int64_t run = this->db_->runs().Begin(MakeRun("backtest", 2019, Horizon::kYear));
  const int64_t other = this->db_->runs().Begin(MakeRun("backtest", 2019, Horizon::kYear));
  this->db_->scores().SaveBacktest(run, {Backtest(2019, "year", 3.5), Backtest(2018, "year", 3.0)});
  this->db_->scores().SaveBacktest(other, {Backtest(2019, "year", 9.0)});

  const auto rows = this->db_->scores().ListBacktests(run);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].target_year, 2018);
  EXPECT_EQ(rows[1].target_year, 2019);
  const BacktestRow& r = rows[1];
  EXPECT_EQ(r.run_id, run);
  EXPECT_EQ(r.horizon, "year");
  EXPECT_EQ(r.days, 365);
  EXPECT_DOUBLE_EQ(r.mape, 3.5);
  EXPECT_DOUBLE_EQ(r.mae, 25000.0);
  EXPECT_DOUBLE_EQ(r.rmse, 32000.0);
  EXPECT_DOUBLE_EQ(r.bias, -1500.0);
  EXPECT_DOUBLE_EQ(r.skill, 0.3);
  EXPECT_DOUBLE_EQ(r.naive_mape, 5.25);
  EXPECT_DOUBLE_EQ(r.coverage, 88.5);
  EXPECT_DOUBLE_EQ(r.interval_width, 12.25);
  EXPECT_EQ(this->db_->scores().ListBacktests(other).size(), 1u);
  EXPECT_TRUE(this->db_->scores().ListBacktests(other + 1).empty());
}

SeriesResultRow SeriesResult(const std::string& series, const std::string& status,
                             std::optional<double> mape) {
  SeriesResultRow r;
  r.series = series;
  r.target_year = 2021;
  r.status = ParseName<SeriesStatus>(status);
  r.message = status == "ok" ? "" : "checked";
  r.train_from = testing::Day("2011-01-01");
  r.train_to = testing::Day("2021-01-01");
  r.iterations = 12;
  r.days = mape ? 365 : 0;
  r.mape = mape;
  r.mae = mape ? std::optional<double>(410.5) : std::nullopt;
  r.forecast_start = testing::Day("2021-01-01");
  r.forecast = {1000.26, 1100.0, 987.6};
  r.lower = {900.0, 950.5, 880.0};
  r.upper = {1100.0, 1200.0, 1090.0};
  return r;
}

TYPED_TEST(DatabaseTest, SeriesResultsRoundTripByRunSeriesAndStatus) {
  const int64_t run = this->db_->runs().Begin(MakeRun("series-run", 2021, Horizon::kYear));
  this->db_->series_results().Save(
      run, {SeriesResult("b", "warning", 4.5), SeriesResult("a", "ok", std::nullopt)});
  SeriesQuery query;
  query.run_id = run;
  const auto rows = this->db_->series_results().List(query);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].series, "a");
  EXPECT_EQ(rows[0].run_id, run);
  EXPECT_FALSE(rows[0].mape.has_value());
  EXPECT_TRUE(rows[0].forecast.empty()) << "arrays are read only when asked for";
  EXPECT_EQ(rows[1].series, "b");
  EXPECT_EQ(rows[1].status, "warning");
  EXPECT_EQ(rows[1].message, "checked");
  EXPECT_EQ(rows[1].train_from, "2011-01-01");
  EXPECT_EQ(rows[1].train_to, "2021-01-01");
  EXPECT_EQ(rows[1].iterations, 12);
  EXPECT_EQ(rows[1].days, 365);
  EXPECT_DOUBLE_EQ(*rows[1].mape, 4.5);
  EXPECT_DOUBLE_EQ(*rows[1].mae, 410.5);
  query.series = "b";
  query.with_forecast = true;
  const auto one = this->db_->series_results().List(query);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].forecast_start, "2021-01-01");
  // Stored to a tenth of a MWh.
  EXPECT_EQ(one[0].forecast, (std::vector<double>{1000.3, 1100.0, 987.6}));
  EXPECT_EQ(one[0].lower, (std::vector<double>{900.0, 950.5, 880.0}));
  EXPECT_EQ(one[0].upper, (std::vector<double>{1100.0, 1200.0, 1090.0}));
  query = SeriesQuery{run, "", SeriesStatus::kOk, false};
  ASSERT_EQ(this->db_->series_results().List(query).size(), 1u);
  EXPECT_THROW(this->db_->series_results().Save(run, {SeriesResult("a", "ok", 1.0)}), StorageError);
  EXPECT_EQ(this->db_->series_results().List(SeriesQuery{run, "", std::nullopt, false}).size(), 2u);
}

TYPED_TEST(DatabaseTest, LatestSeriesRunIsTheLatestSucceededOneOfItsYear) {
  EXPECT_FALSE(this->db_->series_results().LatestRun(std::nullopt).has_value());
  const auto series_run = [&](int year, const std::string& status) {
    const int64_t run = this->db_->runs().Begin(MakeRun("series-run", year, Horizon::kYear));
    this->db_->series_results().Save(run, {SeriesResult("a", "ok", 1.0)});
    if (status != "running") this->db_->runs().Finish(run, ParseName<RunStatus>(status), "");
    return run;
  };
  const int64_t first = series_run(2020, "succeeded");
  const int64_t second = series_run(2021, "succeeded");
  series_run(2021, "failed");
  series_run(2020, "running");
  EXPECT_EQ(this->db_->series_results().LatestRun(std::nullopt), second);
  EXPECT_EQ(this->db_->series_results().LatestRun(2021), second);
  EXPECT_EQ(this->db_->series_results().LatestRun(2020), first);
  EXPECT_FALSE(this->db_->series_results().LatestRun(2019).has_value());
}

TYPED_TEST(DatabaseTest, SaveBacktestIsAllOrNothing) {
  const int64_t run = this->db_->runs().Begin(MakeRun("backtest", 2019, Horizon::kYear));
  // The second row repeats the target year: the primary key rejects it, and with it the first.
  EXPECT_THROW(this->db_->scores().SaveBacktest(
                   run, {Backtest(2018, "year", 3.0), Backtest(2018, "year", 4.0)}),
               StorageError);
  EXPECT_TRUE(this->db_->scores().ListBacktests(run).empty());
  EXPECT_THROW(this->db_->scores().SaveBacktest(424242, {Backtest(2018, "year", 3.0)}),
               StorageError);
}

TYPED_TEST(DatabaseTest, LatestBacktestsKeepsTheLatestSucceededRowPerTargetYear) {
  const auto backtest = [&](const std::string& horizon, const std::string& status,
                            const std::vector<BacktestRow>& rows) {
    const int64_t run = this->db_->runs().Begin(
        MakeRun("backtest", rows.back().target_year, ParseName<Horizon>(horizon)));
    this->db_->scores().SaveBacktest(run, rows);
    if (status != "running") this->db_->runs().Finish(run, ParseName<RunStatus>(status), "");
    return run;
  };
  const int64_t old_run =
      backtest("year", "succeeded", {Backtest(2017, "year", 4.0), Backtest(2018, "year", 5.0)});
  const int64_t new_run =
      backtest("year", "succeeded", {Backtest(2018, "year", 3.0), Backtest(2019, "year", 3.5)});
  // Neither a failed nor an unfinished run, nor the other horizon, counts.
  backtest("year", "failed", {Backtest(2019, "year", 99.0)});
  backtest("year", "running", {Backtest(2019, "year", 98.0)});
  const int64_t day_run = backtest("day", "succeeded", {Backtest(2019, "day", 2.0)});

  const auto year = this->db_->scores().LatestBacktests(Horizon::kYear);
  ASSERT_EQ(year.size(), 3u);
  EXPECT_EQ(year[0].target_year, 2017);
  EXPECT_EQ(year[0].run_id, old_run);
  EXPECT_EQ(year[1].target_year, 2018);
  EXPECT_EQ(year[1].run_id, new_run);
  EXPECT_DOUBLE_EQ(year[1].mape, 3.0);
  EXPECT_EQ(year[2].target_year, 2019);
  EXPECT_EQ(year[2].run_id, new_run);
  EXPECT_DOUBLE_EQ(year[2].mape, 3.5);

  const auto day = this->db_->scores().LatestBacktests(Horizon::kDay);
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(day[0].run_id, day_run);
  EXPECT_EQ(day[0].horizon, "day");
}

TYPED_TEST(DatabaseTest, MonitorWindowsRoundTripAndTheLatestSucceededRunIsShown) {
  EXPECT_EQ(this->db_->monitor().Latest(2020), std::nullopt);
  MonitorWindowRow drift;
  drift.kind = "drift";
  drift.start = testing::Day("2020-03-02");
  drift.end = testing::Day("2020-03-29");
  drift.days = 28;
  drift.value = -12.0;
  drift.psi = 5.5;
  drift.ks = 0.8;
  drift.ks_p_value = 7e-10;
  drift.wasserstein = 2.5;
  drift.status = WindowStatus::kCritical;
  drift.reason = "mean shift";
  MonitorWindowRow month;
  month.kind = "month";
  month.horizon = Horizon::kYear;
  month.start = testing::Day("2020-03-01");
  month.end = testing::Day("2020-03-31");
  month.days = 31;
  month.value = 16.8;
  month.warning_threshold = 6.0;
  month.critical_threshold = 9.0;
  month.status = WindowStatus::kCritical;
  RunRecord monitor;
  monitor.command = "monitor";
  monitor.target_year = 2020;
  const int64_t first = this->db_->runs().Begin(monitor);
  this->db_->monitor().Save(first, testing::Day("2020-03-31"), {drift, month});
  this->db_->runs().Finish(first, RunStatus::kSucceeded, "");
  const int64_t failed = this->db_->runs().Begin(monitor);
  this->db_->monitor().Save(failed, testing::Day("2020-04-30"), {drift});
  this->db_->runs().Finish(failed, RunStatus::kFailed, "boom");

  const auto latest = this->db_->monitor().Latest(2020);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->run_id, first);
  EXPECT_EQ(latest->as_of, "2020-03-31");
  ASSERT_EQ(latest->windows.size(), 2u);
  const MonitorWindowRow& d = latest->windows[0];
  EXPECT_EQ(d.kind, "drift");
  EXPECT_EQ(d.horizon, std::nullopt);
  EXPECT_DOUBLE_EQ(*d.ks_p_value, 7e-10);
  EXPECT_EQ(d.warning_threshold, std::nullopt);
  EXPECT_EQ(d.reason, "mean shift");
  const MonitorWindowRow& m = latest->windows[1];
  EXPECT_EQ(m.horizon, "year");
  EXPECT_EQ(m.psi, std::nullopt);
  EXPECT_DOUBLE_EQ(*m.critical_threshold, 9.0);
  EXPECT_EQ(this->db_->monitor().Latest(2021), std::nullopt);

  MonitorWindowRow bad = month;
  bad.kind = "weekly";
  EXPECT_THROW(this->db_->monitor().Save(first, testing::Day("2020-03-31"), {month, bad}),
               StorageError);
  EXPECT_EQ(this->db_->monitor().Latest(2020)->windows.size(), 2u);  // nothing of the failed write
}

TYPED_TEST(DatabaseTest, AlertsFilterByADayOrTimeAsTheEndOfTheCreationPeriod) {
  for (const char* created :
       {"2021-03-01T10:00:00.000Z", "2021-03-02T23:59:59.999Z", "2021-03-03T00:00:00.000Z"}) {
    AlertRecord a;
    a.created_at = created;
    a.severity = AlertSeverity::kWarning;
    a.source = AlertSource::kDrift;
    a.code = "drift.window";
    a.message = created;
    a.subject = created;  // three findings, not one
    ASSERT_TRUE(this->db_->alerts().Add(a).has_value());
  }
  AlertFilter f = Limit(10);
  f.until = "2021-03-02";
  EXPECT_EQ(this->db_->alerts().List(f).size(), 2u);
  f.since = "2021-03-02";
  EXPECT_EQ(this->db_->alerts().List(f).size(), 1u);
  f.since.clear();
  f.until = "2021-03-01T12:00:00.000Z";
  EXPECT_EQ(this->db_->alerts().List(f).size(), 1u);
}

/// A drift episode of 2020 seen up to `end`: first window 2020-03-01 .. 2020-03-28.
AlertRecord DriftEpisode(std::optional<int64_t> run, AlertSeverity severity, const char* end,
                         double value, AlertEpisode state = AlertEpisode::kOpen) {
  AlertRecord a = MakeAlert(run, severity, "drift.window", "load over calendar expectation");
  a.source = AlertSource::kDrift;
  a.target_year = 2020;
  a.period_start = testing::Day("2020-03-01");
  a.period_end = testing::Day(end);
  a.statistic = "mean_shift";
  a.value = value;
  a.threshold = severity == AlertSeverity::kCritical ? 10.0 : 5.0;
  a.episode = state;
  a.message = fmt::format("drift up to {}", end);
  return a;
}

TYPED_TEST(DatabaseTest, AnEpisodeIsOneAlertBroughtUpToDateAsItGoesOn) {
  auto& alerts = this->db_->alerts();
  const int64_t first_run = this->db_->runs().Begin(MakeRun("monitor", 2020));
  const int64_t later_run = this->db_->runs().Begin(MakeRun("monitor", 2020));
  const EpisodeWrite opened =
      alerts.Track(DriftEpisode(first_run, AlertSeverity::kWarning, "2020-03-28", -6.0));
  EXPECT_TRUE(opened.opened);
  EXPECT_FALSE(opened.updated);
  // The same view again: nothing changes.
  const EpisodeWrite same =
      alerts.Track(DriftEpisode(later_run, AlertSeverity::kWarning, "2020-03-28", -6.0));
  EXPECT_EQ(same.id, opened.id);
  EXPECT_FALSE(same.opened || same.updated || same.escalated);
  ASSERT_TRUE(alerts.Acknowledge(opened.id).has_value());

  // A week later it is worse: the same alert, escalated, to be acknowledged again.
  const EpisodeWrite worse =
      alerts.Track(DriftEpisode(later_run, AlertSeverity::kCritical, "2020-04-04", -22.0));
  EXPECT_EQ(worse.id, opened.id);
  EXPECT_TRUE(worse.updated);
  EXPECT_TRUE(worse.escalated);
  auto listed = alerts.List(Limit(10));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].severity, AlertSeverity::kCritical);
  EXPECT_EQ(listed[0].period_end, testing::Day("2020-04-04"));
  EXPECT_EQ(listed[0].value, -22.0);
  EXPECT_EQ(listed[0].statistic, "mean_shift");
  EXPECT_EQ(listed[0].episode, AlertEpisode::kOpen);
  EXPECT_EQ(listed[0].run_id, later_run);
  EXPECT_FALSE(listed[0].acknowledged);
  EXPECT_FALSE(listed[0].updated_at.empty());

  // A monitor of an earlier date does not undo it.
  const EpisodeWrite earlier =
      alerts.Track(DriftEpisode(first_run, AlertSeverity::kWarning, "2020-03-28", -6.0));
  EXPECT_FALSE(earlier.updated);
  EXPECT_EQ(alerts.List(Limit(10)).at(0).severity, AlertSeverity::kCritical);

  // It closes: recorded on the same alert, with the day, acknowledged or not as it was.
  ASSERT_TRUE(alerts.Acknowledge(opened.id).has_value());
  AlertRecord closed =
      DriftEpisode(later_run, AlertSeverity::kCritical, "2020-05-10", -22.0, AlertEpisode::kClosed);
  closed.closed_on = testing::Day("2020-06-07");
  const EpisodeWrite over = alerts.Track(closed);
  EXPECT_TRUE(over.updated);
  EXPECT_FALSE(over.escalated);
  listed = alerts.List(Limit(10));
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].episode, AlertEpisode::kClosed);
  EXPECT_EQ(listed[0].closed_on, testing::Day("2020-06-07"));
  EXPECT_TRUE(listed[0].acknowledged);

  // Another episode (another first window) is another alert.
  AlertRecord next = DriftEpisode(later_run, AlertSeverity::kWarning, "2020-09-27", 6.0);
  next.period_start = testing::Day("2020-08-31");
  EXPECT_TRUE(alerts.Track(next).opened);
  EXPECT_EQ(alerts.List(Limit(10)).size(), 2u);
  // An alert that is no episode is not tracked.
  EXPECT_THROW(alerts.Track(MakeAlert(later_run, AlertSeverity::kWarning, "x")), std::logic_error);
}

TYPED_TEST(DatabaseTest, ListAlertsFiltersByThePeriodTheyCoverAndTheEpisodeState) {
  auto& alerts = this->db_->alerts();
  const int64_t run = this->db_->runs().Begin(MakeRun("monitor", 2020));
  const int64_t march =
      alerts.Track(DriftEpisode(run, AlertSeverity::kWarning, "2020-04-04", -6.0)).id;
  AlertRecord later =
      DriftEpisode(run, AlertSeverity::kWarning, "2020-09-27", 6.0, AlertEpisode::kClosed);
  later.period_start = testing::Day("2020-08-31");
  later.closed_on = testing::Day("2020-10-25");
  const int64_t september = alerts.Track(later).id;
  const int64_t no_period = *alerts.Add(MakeAlert(run, AlertSeverity::kCritical, "run_failed"));
  const auto ids = [&](AlertFilter f) {
    std::vector<int64_t> out;
    for (const AlertRecord& a : alerts.List(f)) out.push_back(a.id);
    return out;
  };
  AlertFilter f = Limit(10);
  EXPECT_EQ(ids(f), (std::vector<int64_t>{no_period, september, march}));
  f.covering_from = testing::Day("2020-04-04");  // the last day of the March episode
  EXPECT_EQ(ids(f), (std::vector<int64_t>{september, march}));
  f.covering_from = testing::Day("2020-04-05");
  EXPECT_EQ(ids(f), (std::vector<int64_t>{september}));
  f.covering_to = testing::Day("2020-08-30");
  EXPECT_TRUE(ids(f).empty());
  f.covering_from = std::nullopt;
  EXPECT_EQ(ids(f), (std::vector<int64_t>{march}));
  AlertFilter open = Limit(10);
  open.episode = AlertEpisode::kOpen;
  EXPECT_EQ(ids(open), (std::vector<int64_t>{march}));
  open.episode = AlertEpisode::kNone;
  EXPECT_EQ(ids(open), (std::vector<int64_t>{no_period}));
}

TYPED_TEST(DatabaseTest, ListAlertsFiltersByTargetYearAndRun) {
  const int64_t run = this->db_->runs().Begin(MakeRun("monitor", 2020));
  const auto add = [&](std::optional<int> year, std::string subject) {
    AlertRecord a = MakeAlert(year == 2020 ? std::optional<int64_t>(run) : std::nullopt,
                              AlertSeverity::kWarning, "code", std::move(subject));
    a.target_year = year;
    return *this->db_->alerts().Add(a);
  };
  const int64_t y2019 = add(2019, "a");
  const int64_t y2020 = add(2020, "b");
  add(std::nullopt, "c");
  const int64_t again2020 = add(2020, "d");
  AlertFilter f = Limit(10);
  f.target_year = 2020;
  std::vector<int64_t> ids;
  for (const AlertRecord& a : this->db_->alerts().List(f)) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{again2020, y2020}));
  f.target_year = 2019;
  ASSERT_EQ(this->db_->alerts().List(f).size(), 1u);
  EXPECT_EQ(this->db_->alerts().List(f).at(0).id, y2019);
  f.target_year = 2018;
  EXPECT_TRUE(this->db_->alerts().List(f).empty());
  // Without it, every alert.
  EXPECT_EQ(this->db_->alerts().List(Limit(10)).size(), 4u);
  AlertFilter by_run = Limit(10);
  by_run.run_id = run;
  EXPECT_EQ(this->db_->alerts().List(by_run).size(), 2u);
  by_run.run_id = run + 1;
  EXPECT_TRUE(this->db_->alerts().List(by_run).empty());
}

TYPED_TEST(DatabaseTest, ASecondLockOnTheSameTargetTimesOutNamingIt) {
  const auto held = this->db_->LockTarget(2021, Horizon::kYear, 1s);
  ASSERT_NE(held, nullptr);
  // Another process would open the database on its own: so does the second holder.
  const auto other = this->backend_.Open();
  const auto start = std::chrono::steady_clock::now();
  try {
    other->LockTarget(2021, Horizon::kYear, 200ms);
    FAIL() << "expected LockTimeout";
  } catch (const LockTimeout& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "2021", message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "year", message);
    EXPECT_EQ(e.exit_code(), ExitCode::kBusy);
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
}

TYPED_TEST(DatabaseTest, AYearOfADatasetIsLockedByOneWriterAtATimeNamingIt) {
  const auto held = this->db_->LockYear("actuals", 2021, 1s);
  const auto other = this->backend_.Open();
  try {
    other->LockYear("actuals", 2021, 50ms);
    FAIL() << "expected LockTimeout";
  } catch (const LockTimeout& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "actuals of 2021", std::string(e.what()));
  }
  // Other years, other datasets and the targets are other locks.
  EXPECT_NE(other->LockYear("actuals", 2020, 100ms), nullptr);
  EXPECT_NE(other->LockYear("series", 2021, 100ms), nullptr);
  EXPECT_NE(other->LockTarget(2021, Horizon::kYear, 100ms), nullptr);
}

TYPED_TEST(DatabaseTest, LocksOfOtherTargetsDoNotBlock) {
  const auto held = this->db_->LockTarget(2021, Horizon::kYear, 1s);
  const auto other = this->backend_.Open();
  EXPECT_NE(other->LockTarget(2021, Horizon::kDay, 100ms), nullptr);
  EXPECT_NE(other->LockTarget(2020, Horizon::kYear, 100ms), nullptr);
}

TYPED_TEST(DatabaseTest, ALockIsReleasedWhenDestroyed) {
  const auto other = this->backend_.Open();
  {
    const auto held = this->db_->LockTarget(2021, Horizon::kDay, 1s);
    EXPECT_THROW(other->LockTarget(2021, Horizon::kDay, 50ms), LockTimeout);
  }
  EXPECT_NE(other->LockTarget(2021, Horizon::kDay, 100ms), nullptr);
}

TYPED_TEST(DatabaseTest, AWaitingLockIsTakenOnceTheHolderReleasesIt) {
  auto held = this->db_->LockTarget(2022, Horizon::kYear, 1s);
  const auto other = this->backend_.Open();
  std::thread release([&held] {
    std::this_thread::sleep_for(200ms);
    held.reset();
  });
  EXPECT_NE(other->LockTarget(2022, Horizon::kYear, 5s), nullptr);
  release.join();
}

TYPED_TEST(DatabaseTest, NotANumberIsStoredAsNullAsSqliteDoes) {
  const int64_t run = this->db_->runs().Begin(MakeRun("evaluate", 2021, Horizon::kYear));
  MetricRow metric = Metric("year", "2021", 2.5);
  metric.skill = std::nan("");
  this->db_->scores().SaveMetrics(run, {metric});
  this->db_->runs().Finish(run, RunStatus::kSucceeded, "");
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM metrics WHERE skill IS NULL"), 1);
  const auto evaluations = this->db_->scores().LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 1u);
  EXPECT_EQ(evaluations[0].metrics.skill, 0.0);
  EXPECT_EQ(evaluations[0].metrics.mape, 2.5);

  AlertRecord alert = MakeAlert(run, AlertSeverity::kWarning, "nan_value");
  alert.value = std::nan("");
  alert.threshold = 1.0 / 3.0;
  ASSERT_TRUE(this->db_->alerts().Add(alert));
  const auto alerts = this->db_->alerts().List(Limit(10));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].value, std::nullopt);
  // Doubles come back bit for bit.
  EXPECT_EQ(alerts[0].threshold, 1.0 / 3.0);
}

/// A revision of `year`'s actuals, stored by `run`, as an ingest of `source` would record it.
RevisionRecord Revision(int year, std::optional<int64_t> run, std::string source, int days,
                        int days_added) {
  RevisionRecord r;
  r.year = year;
  r.run_id = run;
  r.source = std::move(source);
  r.object = fmt::format("actuals/{}.csv", year);
  r.sha256 = fmt::format("{:064}", days);
  r.days = days;
  r.days_added = days_added;
  return r;
}

TYPED_TEST(DatabaseTest, RevisionsAreNumberedPerYearAndKeepTheDaysTheyChanged) {
  const int64_t run = this->db_->runs().Begin(MakeRun("ingest"));
  auto& revisions = this->db_->revisions();
  EXPECT_FALSE(revisions.Latest(2021));

  const RevisionRecord first = revisions.Add(Revision(2021, run, "2021.csv", 365, 365), {});
  EXPECT_EQ(first.revision, 1);
  EXPECT_EQ(first.days_changed, 0);
  EXPECT_FALSE(first.largest_change_percent);
  EXPECT_FALSE(first.created_at.empty());
  revisions.Add(Revision(2020, run, "2020.csv", 366, 366), {});

  const Date d1 = Date::FromYmd(2021, 12, 17);
  const Date d2 = Date::FromYmd(2021, 6, 16);
  const RevisionRecord second = revisions.Add(Revision(2021, std::nullopt, "fix.csv", 365, 0),
                                              {{d1, 800000.0, 960000.0}, {d2, 900000.0, 870000.0}});
  EXPECT_EQ(second.revision, 2);
  EXPECT_EQ(second.days_changed, 2);
  ASSERT_TRUE(second.largest_change_percent);
  EXPECT_DOUBLE_EQ(*second.largest_change_percent, 20.0);

  const auto latest = revisions.Latest(2021);
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->id, second.id);
  EXPECT_EQ(latest->source, "fix.csv");
  EXPECT_FALSE(latest->run_id);
  EXPECT_EQ(latest->object, "actuals/2021.csv");
  EXPECT_EQ(latest->days, 365);
  EXPECT_EQ(latest->days_added, 0);
  EXPECT_EQ(latest->created_at, second.created_at);

  const auto found = revisions.Find(2021, 1);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, first.id);
  EXPECT_EQ(found->run_id, run);
  EXPECT_FALSE(revisions.Find(2021, 3));
  EXPECT_FALSE(revisions.Find(2019, 1));

  // Changes read back by date, with their old and new loads.
  const auto changes = revisions.Changes(second.id);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].date, d2);
  EXPECT_DOUBLE_EQ(changes[0].old_load, 900000.0);
  EXPECT_DOUBLE_EQ(changes[0].new_load, 870000.0);
  EXPECT_EQ(changes[1].date, d1);
  EXPECT_TRUE(revisions.Changes(first.id).empty());

  // Newest first, of one year or of all.
  const auto of_2021 = revisions.List(2021);
  ASSERT_EQ(of_2021.size(), 2u);
  EXPECT_EQ(of_2021[0].revision, 2);
  EXPECT_EQ(of_2021[1].revision, 1);
  const auto all = revisions.List(std::nullopt);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, second.id);
  EXPECT_EQ(all[1].year, 2020);
  EXPECT_TRUE(revisions.List(2019).empty());
}

TYPED_TEST(DatabaseTest, ARevisionIsStoredWholeOrNotAtAll) {
  auto& revisions = this->db_->revisions();
  revisions.Add(Revision(2021, std::nullopt, "2021.csv", 365, 365), {});
  const Date day = Date::FromYmd(2021, 3, 1);
  // The same day twice breaks the changes' primary key: neither the revision nor any change stays.
  EXPECT_THROW(revisions.Add(Revision(2021, std::nullopt, "bad.csv", 365, 0),
                             {{day, 1.0, 2.0}, {day, 1.0, 3.0}}),
               StorageError);
  EXPECT_EQ(revisions.List(2021).size(), 1u);
  EXPECT_EQ(this->QueryInt("SELECT COUNT(*) FROM actual_changes"), 0);
  // A revision naming a run that does not exist is refused too.
  EXPECT_THROW(revisions.Add(Revision(2021, 999, "2021.csv", 365, 0), {}), StorageError);
  EXPECT_EQ(revisions.Latest(2021)->revision, 1);
}

// PostgreSQL only: URLs, connections and concurrent migrations.

TEST(PostgresDatabase, RefusesAPasswordInTheUrl) {
  for (const char* url : {"postgresql://loadcast:s3cret@db.example.com:5432/loadcast",
                          "postgres://db.example.com/loadcast?user=lc&password=s3cret"}) {
    SCOPED_TRACE(url);
    try {
      PostgresDatabase db(url);
      FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
      const std::string message = e.what();
      EXPECT_PRED_FORMAT2(::testing::IsSubstring, "PGPASSWORD", message);
      EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, "s3cret", message);
    }
  }
}

TEST(PostgresDatabase, AnUnreachableServerIsAStorageErrorWithoutTheSecrets) {
  // Port 1 on loopback: refused at once, no server needed.
  const std::string url = "postgresql://loadcast@127.0.0.1:1/loadcast?connect_timeout=2";
  try {
    PostgresDatabase db(url);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, RedactUrl(url), message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "cannot connect", message);
    EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, "loadcast@", message);
  }
}

TEST(PostgresDatabase, AnUnknownHostIsAStorageErrorWithoutThePassword) {
  // The password comes from the environment, as in production; it must not leak either way.
  ::setenv("PGPASSWORD", "s3cret-from-env", 1);
  const std::string url = "postgresql://loadcast@no-such-host.invalid:5432/loadcast";
  try {
    PostgresDatabase db(url);
    ::unsetenv("PGPASSWORD");
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    ::unsetenv("PGPASSWORD");
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "no-such-host.invalid", message);
    EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, "s3cret", message);
  }
}

TEST(PostgresDatabase, LocationHidesTheUserInfo) {
  auto database = ScopedPostgresDatabase::Create();
  if (!database) GTEST_SKIP() << testing::kPostgresSkipMessage;
  PostgresDatabase db(database->url());
  EXPECT_EQ(db.location(), RedactUrl(database->url()));
  EXPECT_EQ(db.location().find("postgres@"), std::string::npos);
}

TEST(PostgresDatabase, ProcessesStartingTogetherMigrateOnce) {
  auto database = ScopedPostgresDatabase::Create();
  if (!database) GTEST_SKIP() << testing::kPostgresSkipMessage;
  constexpr int kStarters = 4;
  std::vector<int> versions(kStarters, 0);
  std::vector<std::string> errors(kStarters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarters; ++i) {
    threads.emplace_back([&, i] {
      try {
        PostgresDatabase db(database->url());
        versions[i] = db.schema_version();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kStarters; ++i) {
    EXPECT_EQ(errors[i], "") << "starter " << i;
    EXPECT_EQ(versions[i], kLatestSchema) << "starter " << i;
  }
  pqxx::connection conn(database->url());
  pqxx::nontransaction txn(conn);
  EXPECT_EQ(txn.exec("SELECT COUNT(*) FROM schema_migrations")[0][0].as<int>(), kLatestSchema);
}

}  // namespace
}  // namespace loadcast
