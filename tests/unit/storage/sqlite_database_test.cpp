// What only SQLite has: its file, and the upgrade of files written by older builds. The behaviour
// every backend shares is tested in database_test.cpp, against SQLite and PostgreSQL.
#include "storage/sqlite_database.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "storage/alerts.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::TempDir;

/// Runs raw SQL on the database file, beside the class under test, to inspect or tamper with it.
int64_t QueryInt(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
  int64_t value = -1;
  if (sqlite3_step(stmt) == SQLITE_ROW) value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

void ExecRaw(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  const std::string message = error ? error : "";
  sqlite3_free(error);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << message;
}

RunRecord MakeRun(std::string command, std::optional<int> target_year = std::nullopt,
                  std::string horizon = "") {
  RunRecord run;
  run.command = std::move(command);
  run.target_year = target_year;
  run.horizon = std::move(horizon);
  run.config = "storage:\n  url: var/bucket\n";
  return run;
}

ModelRecord MakeModel(int64_t run_id, std::string horizon, int target_year, std::string version) {
  ModelRecord m;
  m.run_id = run_id;
  m.version = std::move(version);
  m.kind = "calendar_regression";
  m.horizon = std::move(horizon);
  m.target_year = target_year;
  m.trained_from = "2015-01-01";
  m.trained_to = std::to_string(target_year - 1) + "-12-31";
  m.artifact = "models/" + m.horizon + "/" + m.version + "/model.json";
  return m;
}

AlertRecord MakeAlert(std::optional<int64_t> run_id, std::string severity, std::string code,
                      std::string subject = "") {
  AlertRecord a;
  a.run_id = run_id;
  a.severity = std::move(severity);
  a.source = "pipeline";
  a.code = std::move(code);
  a.message = "something happened";
  a.subject = std::move(subject);
  return a;
}

constexpr int kLatestSchema = 7;

AlertFilter Limit(int limit) {
  AlertFilter filter;
  filter.limit = limit;
  return filter;
}

/// Undoes migrations 7, 6, 5 and 4, to build databases of older builds: the series results, the
/// runs' lock times, the monitor's windows and the registry's tables and columns go.
constexpr const char* kBackToVersion3 = R"sql(
DROP TABLE series_results;
DELETE FROM schema_migrations WHERE version = 7;
ALTER TABLE runs DROP COLUMN locked_at;
DELETE FROM schema_migrations WHERE version = 6;
DROP TABLE monitor_windows;
DELETE FROM schema_migrations WHERE version = 5;
DROP TABLE model_decisions;
DROP TABLE model_aliases;
DROP INDEX models_by_version;
ALTER TABLE runs DROP COLUMN config_hash;
ALTER TABLE runs DROP COLUMN inputs;
ALTER TABLE runs DROP COLUMN model_id;
ALTER TABLE models DROP COLUMN number;
ALTER TABLE models DROP COLUMN spec_hash;
ALTER TABLE models DROP COLUMN config_hash;
ALTER TABLE models DROP COLUMN data_hash;
ALTER TABLE models DROP COLUMN code_version;
DELETE FROM schema_migrations WHERE version = 4;
)sql";

const std::regex kIsoTime(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");

/// The ids of models, in the order given.
std::vector<int64_t> Ids(const std::vector<ModelRecord>& models) {
  std::vector<int64_t> ids;
  for (const ModelRecord& m : models) ids.push_back(m.id);
  return ids;
}

/// The alerts table as released in migration 1, to build databases of older builds.
constexpr const char* kVersion1Alerts = R"sql(
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER REFERENCES runs(id),
  created_at TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'warning', 'error', 'critical')),
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL
);
)sql";

class SqliteDatabaseTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::filesystem::path path_ = dir_ / "var/loadcast.db";
  SqliteDatabase db_{path_};
};

TEST_F(SqliteDatabaseTest, OpeningCreatesTheFileItsFolderAndTheSchema) {
  EXPECT_TRUE(std::filesystem::is_regular_file(path_));
  EXPECT_EQ(db_.schema_version(), kLatestSchema);
  for (const char* table : {"runs", "models", "forecasts", "metrics", "checks", "alerts",
                            "backtests", "model_aliases", "model_decisions"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(QueryInt(path_, std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = "
                                          "'table' AND name = '") +
                                  table + "'"),
              1);
  }
  EXPECT_EQ(db_.location(), path_.string());
  // A new database has no models, hence no champion to record.
  EXPECT_TRUE(db_.ListAliases("").empty());
  EXPECT_TRUE(db_.ListDecisions("", 10).empty());
}

TEST(SqliteDatabase, OpeningAFileThatIsNotADatabaseFailsNamingIt) {
  TempDir dir;
  const auto path = dir.Write("junk.db", std::string(4096, 'j'));
  try {
    SqliteDatabase db(path);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, path.string(), std::string(e.what()));
  }
}

TEST_F(SqliteDatabaseTest, MigrationTwoAddsTheBacktestsTableToAVersionOneDatabase) {
  const int64_t run = db_.BeginRun(MakeRun("ingest"));
  // Back to the schema of a build that had only migration 1.
  ExecRaw(path_, std::string(kBackToVersion3) + "DROP TABLE backtests; DROP TABLE alerts;" +
                     kVersion1Alerts + "DELETE FROM schema_migrations WHERE version >= 2");
  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), kLatestSchema);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'backtests'"), 1);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM schema_migrations WHERE version = 2"), 1);
  // The data of version 1 is kept.
  ASSERT_EQ(upgraded.ListRuns(10).size(), 1u);
  EXPECT_EQ(upgraded.ListRuns(10)[0].id, run);
}

TEST_F(SqliteDatabaseTest, MigrationThreeKeepsTheAlertsOfAVersionTwoDatabase) {
  const int64_t run = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  // Back to the schema of a build that had migrations 1 and 2, with alerts as it wrote them.
  ExecRaw(path_, std::string(kBackToVersion3) + "DROP TABLE alerts;" + kVersion1Alerts +
                     "DELETE FROM schema_migrations WHERE version = 3;"
                     "INSERT INTO alerts (run_id, created_at, severity, source, code, message) "
                     "VALUES (" +
                     std::to_string(run) +
                     ", '2021-03-01T12:00:00.000Z', 'error', 'extract', 'data_rejected', 'bad'),"
                     "(NULL, '2021-03-02T12:00:00.000Z', 'warning', 'check', "
                     "'check_interval_contains_forecast', 'two days'),"
                     "(NULL, '2021-03-03T12:00:00.000Z', 'warning', 'evaluate', "
                     "'mape_above_threshold', 'high'),"
                     "(NULL, '2021-03-04T12:00:00.000Z', 'critical', 'train', 'internal_error', "
                     "'boom'),"
                     "(NULL, '2021-03-05T12:00:00.000Z', 'info', 'ingest', 'note', 'fyi'),"
                     // Two rows alike: the old schema could not tell them apart, nor may we.
                     "(NULL, '2021-03-06T12:00:00.000Z', 'info', 'ingest', 'note', 'fyi')");
  ASSERT_EQ(QueryInt(path_, "SELECT MAX(version) FROM schema_migrations"), 2);

  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), kLatestSchema);
  const auto alerts = upgraded.ListAlerts(Limit(10));
  ASSERT_EQ(alerts.size(), 6u);
  // Newest first: the rows of version 2 are all there, in order, with their ids.
  for (std::size_t i = 0; i < alerts.size(); ++i) {
    EXPECT_EQ(alerts[i].id, static_cast<int64_t>(alerts.size() - i)) << i;
    EXPECT_FALSE(alerts[i].acknowledged);
    EXPECT_EQ(alerts[i].fingerprint, "legacy-" + std::to_string(alerts[i].id));
  }
  const AlertRecord& rejected = alerts[5];
  EXPECT_EQ(rejected.run_id, run);
  EXPECT_EQ(rejected.created_at, "2021-03-01T12:00:00.000Z");
  EXPECT_EQ(rejected.severity, "critical");  // was 'error'
  EXPECT_EQ(rejected.source, "pipeline");
  EXPECT_EQ(rejected.subject, "step extract");
  EXPECT_EQ(rejected.code, "data_rejected");
  EXPECT_EQ(rejected.message, "bad");
  EXPECT_EQ(rejected.target_year, 2021);  // from its run
  EXPECT_EQ(rejected.horizon, "year");
  EXPECT_EQ(alerts[4].source, "prediction");
  EXPECT_EQ(alerts[4].severity, "warning");
  EXPECT_EQ(alerts[3].source, "performance");
  EXPECT_EQ(alerts[2].severity, "critical");
  EXPECT_EQ(alerts[2].source, "pipeline");
  EXPECT_EQ(alerts[0].severity, "info");
  EXPECT_EQ(alerts[0].target_year, std::nullopt);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM alerts WHERE severity = 'error'"), 0);

  // The migrated table takes new alerts after the old ones, deduplicated, with the new checks.
  const auto next = upgraded.AddAlert(MakeAlert(run, "warning", "x"));
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, 7);
  EXPECT_EQ(upgraded.AddAlert(MakeAlert(run, "warning", "x")), std::nullopt);
  EXPECT_THROW(upgraded.AddAlert(MakeAlert(run, "error", "y")), StorageError);
  EXPECT_EQ(upgraded.CountAlerts(run), 2);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'alerts_v3'"), 0);
}

TEST_F(SqliteDatabaseTest, MigrationFourNumbersDeduplicatesAndCrownsTheModelsOfAVersionThree) {
  const int64_t train = db_.BeginRun(MakeRun("train", 2021, "year"));
  std::vector<int64_t> predict;
  for (int i = 0; i < 4; ++i) predict.push_back(db_.BeginRun(MakeRun("predict", 2021, "year")));
  // Back to version 3, with models as older builds registered them: the same (horizon, version)
  // again on every retraining, and forecasts pointing at the repeats.
  const auto model = [&](int id, const std::string& horizon, const std::string& version) {
    return fmt::format(
        "({}, {}, '{}', 'calendar_regression', '{}', 2021, '2015-01-01', '2020-12-31', "
        "'models/{}/{}/model.json', '2021-01-0{}T00:00:00.000Z')",
        id, train, version, horizon, horizon, version, id);
  };
  const auto forecast = [&](int64_t run, int model_id) {
    return fmt::format("({}, {}, '2021-01-01', 1.0, 0.5, 1.5)", run, model_id);
  };
  ExecRaw(path_, std::string(kBackToVersion3) +
                     "INSERT INTO models (id, run_id, version, kind, horizon, target_year, "
                     "trained_from, trained_to, artifact, created_at) VALUES " +
                     model(1, "year", "aaaa") + ", " + model(2, "year", "aaaa") + ", " +
                     model(3, "day", "bbbb") + ", " + model(4, "year", "cccc") + ", " +
                     model(5, "day", "bbbb") + ", " + model(6, "year", "aaaa") + ";" +
                     "INSERT INTO forecasts (run_id, model_id, date, forecast, lower, upper) "
                     "VALUES " +
                     forecast(predict[0], 2) + ", " + forecast(predict[1], 6) + ", " +
                     forecast(predict[2], 5) + ", " + forecast(predict[3], 4) + ";");
  ASSERT_EQ(QueryInt(path_, "SELECT MAX(version) FROM schema_migrations"), 3);

  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), kLatestSchema);
  // Each (horizon, version) keeps its first row, numbered per horizon in order of id.
  using V = std::vector<int64_t>;
  const auto models = upgraded.ListModels("", 10);
  EXPECT_EQ(Ids(models), (V{4, 3, 1}));
  EXPECT_EQ(upgraded.FindModel(1)->number, 1);
  EXPECT_EQ(upgraded.FindModel(4)->number, 2);
  EXPECT_EQ(upgraded.FindModel(3)->number, 1);
  EXPECT_EQ(upgraded.FindModel(1)->created_at, "2021-01-01T00:00:00.000Z");
  EXPECT_EQ(upgraded.FindModel(1)->spec_hash, "");
  EXPECT_EQ(upgraded.FindModel(2), std::nullopt);
  // The forecasts of the repeats now point at the row kept; no forecast was lost.
  const auto model_of = [&](int64_t run) {
    return QueryInt(path_, fmt::format("SELECT model_id FROM forecasts WHERE run_id = {}", run));
  };
  EXPECT_EQ(model_of(predict[0]), 1);
  EXPECT_EQ(model_of(predict[1]), 1);
  EXPECT_EQ(model_of(predict[2]), 3);
  EXPECT_EQ(model_of(predict[3]), 4);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM forecasts"), 4);

  // The champion of each horizon is the model its latest registration named: for the year, the
  // repeat of "aaaa" (id 6), now row 1.
  const auto aliases = upgraded.ListAliases("");
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].horizon, "day");
  EXPECT_EQ(aliases[0].alias, "champion");
  EXPECT_EQ(aliases[0].model_id, 3);
  EXPECT_EQ(aliases[1].horizon, "year");
  EXPECT_EQ(aliases[1].alias, "champion");
  EXPECT_EQ(aliases[1].model_id, 1);
  EXPECT_TRUE(std::regex_match(aliases[1].updated_at, kIsoTime)) << aliases[1].updated_at;
  EXPECT_EQ(upgraded.AliasedModel("year", "champion")->version, "aaaa");
  EXPECT_EQ(upgraded.AliasedModel("year", "challenger"), std::nullopt);

  // One decision per horizon says where its champion came from.
  const auto decisions = upgraded.ListDecisions("", 10);
  ASSERT_EQ(decisions.size(), 2u);
  for (const ModelDecision& d : decisions) {
    SCOPED_TRACE(d.horizon);
    EXPECT_EQ(d.action, "manual");
    EXPECT_EQ(d.outcome, "promoted");
    EXPECT_EQ(d.candidate_id, upgraded.AliasedModel(d.horizon, "champion")->id);
    EXPECT_EQ(d.champion_id, std::nullopt);
    EXPECT_EQ(d.run_id, std::nullopt);
    EXPECT_EQ(d.reason, "latest model of the horizon when the registry was introduced");
    EXPECT_TRUE(std::regex_match(d.created_at, kIsoTime)) << d.created_at;
  }
  EXPECT_EQ(upgraded.ListDecisions("year", 10).at(0).candidate_id, 1);

  // Runs of version 3 carry no provenance yet.
  const auto run = upgraded.FindRun(train);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->config_hash, "");
  EXPECT_EQ(run->inputs, "");
  EXPECT_EQ(run->model_id, std::nullopt);

  // The registry carries on: a known version is on record, a new one takes the next number.
  const Registration known = upgraded.RegisterModel(MakeModel(train, "year", 2022, "cccc"));
  EXPECT_FALSE(known.created);
  EXPECT_EQ(known.model.id, 4);
  const Registration next = upgraded.RegisterModel(MakeModel(train, "year", 2022, "dddd"));
  EXPECT_TRUE(next.created);
  EXPECT_EQ(next.model.number, 3);
  EXPECT_EQ(upgraded.RegisterModel(MakeModel(train, "day", 2022, "eeee")).model.number, 2);
  // The unique index holds even against raw SQL.
  EXPECT_EQ(QueryInt(path_,
                     "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                     "name = 'models_by_version'"),
            1);
}

TEST_F(SqliteDatabaseTest, MigrationFourLeavesAVersionThreeDatabaseWithoutModelsWithoutAliases) {
  db_.BeginRun(MakeRun("ingest"));
  ExecRaw(path_, kBackToVersion3);
  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), kLatestSchema);
  EXPECT_TRUE(upgraded.ListAliases("").empty());
  EXPECT_TRUE(upgraded.ListDecisions("", 10).empty());
  EXPECT_EQ(upgraded.ListRuns(10).size(), 1u);
}

TEST(UtcNow, IsIso8601WithMillisecondsInUtc) {
  const std::string now = UtcNow();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << now;
}

}  // namespace
}  // namespace loadcast
