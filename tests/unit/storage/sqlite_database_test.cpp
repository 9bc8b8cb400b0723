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

std::vector<ForecastRow> Rows(const std::vector<std::string>& dates, double base) {
  std::vector<ForecastRow> rows;
  for (std::size_t i = 0; i < dates.size(); ++i) {
    const double v = base + static_cast<double>(i);
    rows.push_back({dates[i], v, v - 10.0, v + 10.0});
  }
  return rows;
}

MetricRow Metric(std::string scope, std::string period, double mape) {
  return {std::move(scope), std::move(period), 31, mape, 1000.0, 1500.0, -20.0, 0.4, 2 * mape};
}

BacktestRow Backtest(int target_year, std::string horizon, double mape) {
  return {0,       target_year, std::move(horizon), 365,  mape, 25000.0, 32000.0,
          -1500.0, 0.3,         1.5 * mape,         88.5, 12.25};
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

constexpr int kLatestSchema = 5;

AlertFilter Limit(int limit) {
  AlertFilter filter;
  filter.limit = limit;
  return filter;
}

/// Undoes migrations 5 and 4, to build databases of older builds: the monitor's windows and the
/// registry's tables and columns go.
constexpr const char* kBackToVersion3 = R"sql(
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

/// A decision about a candidate of a horizon, with no figures.
ModelDecision Decision(std::string horizon, std::string action, std::string outcome,
                       int64_t candidate) {
  ModelDecision d;
  d.horizon = std::move(horizon);
  d.action = std::move(action);
  d.outcome = std::move(outcome);
  d.candidate_id = candidate;
  return d;
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
  /// A run for (target_year, horizon) that published a forecast, then ended with `status`.
  int64_t PublishedRun(int target_year, const std::string& horizon, const std::string& status,
                       double base) {
    const int64_t run = db_.BeginRun(MakeRun("predict", target_year, horizon));
    const int64_t model =
        db_.RegisterModel(MakeModel(run, horizon, target_year, "v" + std::to_string(run))).model.id;
    const std::string y = std::to_string(target_year);
    db_.PublishForecast(run, model, Rows({y + "-01-01", y + "-01-02"}, base));
    if (status != "running") db_.FinishRun(run, status, "");
    return run;
  }

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

TEST_F(SqliteDatabaseTest, ReopeningIsIdempotentAndKeepsTheData) {
  const int64_t run = db_.BeginRun(MakeRun("ingest"));
  {
    SqliteDatabase again(path_);
    EXPECT_EQ(again.schema_version(), kLatestSchema);
    ASSERT_EQ(again.ListRuns(10).size(), 1u);
    EXPECT_EQ(again.ListRuns(10)[0].id, run);
  }
  SqliteDatabase third(path_);
  EXPECT_EQ(third.schema_version(), kLatestSchema);
  // Each migration is recorded once, however often the file is opened.
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM schema_migrations"), kLatestSchema);
}

TEST_F(SqliteDatabaseTest, RefusesADatabaseFromANewerBuild) {
  ExecRaw(path_, "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')");
  try {
    SqliteDatabase newer(path_);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, path_.string(), message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "newer than this build", message);
  }
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

TEST_F(SqliteDatabaseTest, BeginRunRecordsARunningRun) {
  RunRecord record = MakeRun("train", 2021, "year");
  const int64_t id = db_.BeginRun(record);
  EXPECT_GT(id, 0);
  const auto runs = db_.ListRuns(10);
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

TEST_F(SqliteDatabaseTest, BeginRunKeepsAGivenStartTimeAndANullTargetYear) {
  RunRecord record = MakeRun("ingest");
  record.started_at = "2021-03-01T12:00:00.000Z";
  db_.BeginRun(record);
  const RunRecord run = db_.ListRuns(1).at(0);
  EXPECT_EQ(run.started_at, "2021-03-01T12:00:00.000Z");
  EXPECT_EQ(run.target_year, std::nullopt);
  EXPECT_EQ(run.horizon, "");
}

TEST_F(SqliteDatabaseTest, FinishRunRecordsStatusMessageAndEndTime) {
  const int64_t id = db_.BeginRun(MakeRun("ingest"));
  db_.FinishRun(id, "rejected", "in.csv:3: duplicate date");
  const RunRecord run = db_.ListRuns(1).at(0);
  EXPECT_EQ(run.status, "rejected");
  EXPECT_EQ(run.message, "in.csv:3: duplicate date");
  EXPECT_FALSE(run.finished_at.empty());
}

TEST_F(SqliteDatabaseTest, FinishRunRejectsAnUnknownStatus) {
  const int64_t id = db_.BeginRun(MakeRun("ingest"));
  EXPECT_THROW(db_.FinishRun(id, "done", ""), StorageError);
  // The failed update was rolled back: the run is still running.
  EXPECT_EQ(db_.ListRuns(1).at(0).status, "running");
}

TEST_F(SqliteDatabaseTest, ListRunsIsNewestFirstAndLimited) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(db_.BeginRun(MakeRun("run" + std::to_string(i))));
  const auto runs = db_.ListRuns(3);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_EQ(runs[0].id, ids[4]);
  EXPECT_EQ(runs[1].id, ids[3]);
  EXPECT_EQ(runs[2].id, ids[2]);
  EXPECT_EQ(runs[0].command, "run4");
  EXPECT_TRUE(db_.ListRuns(0).empty());
}

TEST_F(SqliteDatabaseTest, BeginRunKeepsTheConfigHashAndFindRunReadsTheProvenance) {
  RunRecord record = MakeRun("train", 2021, "year");
  record.config_hash = std::string(64, 'c');
  const int64_t run = db_.BeginRun(record);
  const auto fresh = db_.FindRun(run);
  ASSERT_TRUE(fresh.has_value());
  EXPECT_EQ(fresh->id, run);
  EXPECT_EQ(fresh->command, "train");
  EXPECT_EQ(fresh->config, record.config);
  EXPECT_EQ(fresh->config_hash, record.config_hash);
  EXPECT_EQ(fresh->inputs, "");
  EXPECT_EQ(fresh->model_id, std::nullopt);

  const int64_t model = db_.RegisterModel(MakeModel(run, "year", 2021, "v")).model.id;
  db_.SetRunInputs(run, R"({"actuals/2020.csv":"ab12"})");
  db_.SetRunModel(run, model);
  const auto recorded = db_.FindRun(run);
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->inputs, R"({"actuals/2020.csv":"ab12"})");
  EXPECT_EQ(recorded->model_id, model);
  EXPECT_EQ(recorded->status, "running");
  // ListRuns reads the same columns.
  EXPECT_EQ(db_.ListRuns(1).at(0).config_hash, record.config_hash);
  EXPECT_EQ(db_.ListRuns(1).at(0).model_id, model);
  EXPECT_EQ(db_.FindRun(run + 1), std::nullopt);
}

TEST_F(SqliteDatabaseTest, SetRunModelAndInputsRequireAnExistingRunAndModel) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  EXPECT_THROW(db_.SetRunModel(run, 999), StorageError);
  const int64_t model = db_.RegisterModel(MakeModel(run, "year", 2021, "v")).model.id;
  EXPECT_THROW(db_.SetRunModel(run + 100, model), StorageError);
  EXPECT_THROW(db_.SetRunInputs(run + 100, "{}"), StorageError);
  EXPECT_EQ(db_.FindRun(run)->model_id, std::nullopt);
}

TEST_F(SqliteDatabaseTest, RegisterModelRoundTripsThroughFindModel) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  ModelRecord model = MakeModel(run, "year", 2021, "0123456789abcdef");
  model.spec_hash = "spec";
  model.config_hash = "config";
  model.data_hash = "data";
  model.code_version = "0.4.0";
  model.number = 42;                              // assigned by the database
  model.created_at = "1999-01-01T00:00:00.000Z";  // likewise
  const Registration registration = db_.RegisterModel(model);
  EXPECT_TRUE(registration.created);
  EXPECT_GT(registration.model.id, 0);
  EXPECT_EQ(registration.model.number, 1);
  EXPECT_TRUE(std::regex_match(registration.model.created_at, kIsoTime))
      << registration.model.created_at;
  const auto found = db_.FindModel(registration.model.id);
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
  EXPECT_EQ(db_.FindModel(registration.model.id + 1), std::nullopt);
}

TEST_F(SqliteDatabaseTest, RegisteringAKnownVersionReturnsTheRowOnRecord) {
  const int64_t first_run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const int64_t second_run = db_.BeginRun(MakeRun("train", 2022, "year"));
  const Registration first = db_.RegisterModel(MakeModel(first_run, "year", 2021, "same"));
  ModelRecord again = MakeModel(second_run, "year", 2022, "same");
  again.kind = "seasonal_naive";
  const Registration second = db_.RegisterModel(again);
  EXPECT_TRUE(first.created);
  EXPECT_FALSE(second.created);
  // The row on record, untouched: the first run registered it, for its target.
  EXPECT_EQ(second.model.id, first.model.id);
  EXPECT_EQ(second.model.run_id, first_run);
  EXPECT_EQ(second.model.target_year, 2021);
  EXPECT_EQ(second.model.kind, "calendar_regression");
  EXPECT_EQ(second.model.number, 1);
  EXPECT_EQ(second.model.created_at, first.model.created_at);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM models"), 1);
}

TEST_F(SqliteDatabaseTest, RegisterModelNumbersEachHorizonFromOne) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const auto number = [&](const std::string& horizon, const std::string& version) {
    return db_.RegisterModel(MakeModel(run, horizon, 2021, version)).model.number;
  };
  EXPECT_EQ(number("year", "a"), 1);
  // The same version in the other horizon is another model.
  EXPECT_EQ(number("day", "a"), 1);
  EXPECT_EQ(number("year", "b"), 2);
  EXPECT_EQ(number("year", "a"), 1);  // on record: no new number
  EXPECT_EQ(number("day", "c"), 2);
  EXPECT_EQ(number("year", "c"), 3);
}

TEST_F(SqliteDatabaseTest, ListModelsIsNewestFirstByHorizonAndLimited) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const int64_t y1 = db_.RegisterModel(MakeModel(run, "year", 2021, "y1")).model.id;
  const int64_t d1 = db_.RegisterModel(MakeModel(run, "day", 2021, "d1")).model.id;
  const int64_t y2 = db_.RegisterModel(MakeModel(run, "year", 2022, "y2")).model.id;
  const int64_t d2 = db_.RegisterModel(MakeModel(run, "day", 2022, "d2")).model.id;
  using V = std::vector<int64_t>;
  EXPECT_EQ(Ids(db_.ListModels("", 10)), (V{d2, y2, d1, y1}));
  EXPECT_EQ(Ids(db_.ListModels("year", 10)), (V{y2, y1}));
  EXPECT_EQ(Ids(db_.ListModels("day", 1)), V{d2});
  EXPECT_TRUE(db_.ListModels("week", 10).empty());
  EXPECT_TRUE(db_.ListModels("", 0).empty());
}

TEST_F(SqliteDatabaseTest, FindModelsByVersionMatchesAPrefixLiterally) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const int64_t abc = db_.RegisterModel(MakeModel(run, "year", 2021, "abc123")).model.id;
  const int64_t abd = db_.RegisterModel(MakeModel(run, "day", 2021, "abd456")).model.id;
  const int64_t underscore = db_.RegisterModel(MakeModel(run, "year", 2021, "a_c789")).model.id;
  const int64_t percent = db_.RegisterModel(MakeModel(run, "year", 2021, "a%c000")).model.id;
  using V = std::vector<int64_t>;
  EXPECT_EQ(Ids(db_.FindModelsByVersion("ab")), (V{abc, abd}));  // by id, every horizon
  EXPECT_EQ(Ids(db_.FindModelsByVersion("abc123")), V{abc});
  EXPECT_EQ(Ids(db_.FindModelsByVersion("a")), (V{abc, abd, underscore, percent}));
  // Neither '_' nor '%' is a wildcard, and case matters.
  EXPECT_EQ(Ids(db_.FindModelsByVersion("a_")), V{underscore});
  EXPECT_EQ(Ids(db_.FindModelsByVersion("a%")), V{percent});
  EXPECT_TRUE(db_.FindModelsByVersion("AB").empty());
  EXPECT_TRUE(db_.FindModelsByVersion("abc1234").empty());
  EXPECT_TRUE(db_.FindModelsByVersion("zz").empty());
}

TEST_F(SqliteDatabaseTest, RegisterModelRequiresAnExistingRun) {
  // Foreign keys are enforced: a model always belongs to a recorded run.
  EXPECT_THROW(db_.RegisterModel(MakeModel(12345, "year", 2021, "orphan")), StorageError);
  EXPECT_TRUE(db_.ListModels("", 10).empty());
}

TEST_F(SqliteDatabaseTest, RecordDecisionStoresItAndMovesTheAliases) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const int64_t m1 = db_.RegisterModel(MakeModel(run, "year", 2021, "m1")).model.id;
  const int64_t m2 = db_.RegisterModel(MakeModel(run, "year", 2021, "m2")).model.id;
  const int64_t m3 = db_.RegisterModel(MakeModel(run, "year", 2021, "m3")).model.id;
  const int64_t day = db_.RegisterModel(MakeModel(run, "day", 2021, "d1")).model.id;
  EXPECT_EQ(db_.AliasedModel("year", "champion"), std::nullopt);

  // The first model of a horizon becomes its champion.
  ModelDecision first = Decision("year", "gate", "promoted", m1);
  first.run_id = run;
  first.target_year = 2021;
  AliasChange crown;
  crown.champion = m1;
  const int64_t d1 = db_.RecordDecision(first, crown);
  EXPECT_GT(d1, 0);
  ASSERT_TRUE(db_.AliasedModel("year", "champion").has_value());
  EXPECT_EQ(db_.AliasedModel("year", "champion")->id, m1);
  EXPECT_EQ(db_.AliasedModel("year", "champion")->version, "m1");
  EXPECT_EQ(db_.AliasedModel("day", "champion"), std::nullopt);

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
  const int64_t d2 = db_.RecordDecision(rejected, challenge);
  EXPECT_GT(d2, d1);
  auto aliases = db_.ListAliases("year");
  ASSERT_EQ(aliases.size(), 2u);
  EXPECT_EQ(aliases[0].alias, "challenger");
  EXPECT_EQ(aliases[0].model_id, m2);
  EXPECT_EQ(aliases[1].alias, "champion");
  EXPECT_EQ(aliases[1].model_id, m1);
  EXPECT_EQ(aliases[1].horizon, "year");
  EXPECT_TRUE(std::regex_match(aliases[1].updated_at, kIsoTime)) << aliases[1].updated_at;

  const ModelDecision stored = db_.ListDecisions("year", 1).at(0);
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
  db_.RecordDecision(Decision("year", "manual", "promoted", m2), promote);
  aliases = db_.ListAliases("year");
  ASSERT_EQ(aliases.size(), 1u);
  EXPECT_EQ(aliases[0].alias, "champion");
  EXPECT_EQ(aliases[0].model_id, m2);

  // Clearing comes after setting: both in one change leave no challenger.
  AliasChange set_then_clear;
  set_then_clear.challenger = m3;
  set_then_clear.clear_challenger = true;
  db_.RecordDecision(Decision("year", "gate", "rejected", m3), set_then_clear);
  EXPECT_EQ(db_.AliasedModel("year", "challenger"), std::nullopt);

  // A rollback restores an earlier champion; the other horizon has aliases of its own.
  ModelDecision rollback = Decision("year", "rollback", "rolled_back", m1);
  rollback.champion_id = m2;
  rollback.created_at = "2030-01-01T00:00:00.000Z";
  AliasChange restore;
  restore.champion = m1;
  db_.RecordDecision(rollback, restore);
  AliasChange crown_day;
  crown_day.champion = day;
  db_.RecordDecision(Decision("day", "gate", "promoted", day), crown_day);
  EXPECT_EQ(db_.AliasedModel("year", "champion")->id, m1);
  EXPECT_EQ(db_.AliasedModel("day", "champion")->id, day);
  EXPECT_EQ(db_.ListDecisions("year", 1).at(0).created_at, "2030-01-01T00:00:00.000Z");
  const auto all = db_.ListAliases("");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].horizon, "day");
  EXPECT_EQ(all[1].horizon, "year");
  EXPECT_EQ(db_.ListDecisions("", 100).size(), 6u);
}

TEST_F(SqliteDatabaseTest, AFailedDecisionLeavesAliasesAndDecisionsAsTheyWere) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const int64_t m1 = db_.RegisterModel(MakeModel(run, "year", 2021, "m1")).model.id;
  const int64_t m2 = db_.RegisterModel(MakeModel(run, "year", 2021, "m2")).model.id;
  const int64_t day = db_.RegisterModel(MakeModel(run, "day", 2021, "d1")).model.id;
  AliasChange crown;
  crown.champion = m1;
  crown.challenger = m2;
  db_.RecordDecision(Decision("year", "gate", "promoted", m1), crown);
  const auto aliases_before = db_.ListAliases("");
  ASSERT_EQ(aliases_before.size(), 2u);

  const auto expect_unchanged = [&] {
    const auto aliases = db_.ListAliases("");
    ASSERT_EQ(aliases.size(), aliases_before.size());
    for (std::size_t i = 0; i < aliases.size(); ++i) {
      EXPECT_EQ(aliases[i].alias, aliases_before[i].alias) << i;
      EXPECT_EQ(aliases[i].model_id, aliases_before[i].model_id) << i;
      EXPECT_EQ(aliases[i].updated_at, aliases_before[i].updated_at) << i;
    }
    EXPECT_EQ(db_.ListDecisions("", 100).size(), 1u);
  };

  // A champion that does not exist.
  AliasChange missing;
  missing.champion = 999;
  missing.clear_challenger = true;
  EXPECT_THROW(db_.RecordDecision(Decision("year", "manual", "promoted", m2), missing),
               StorageError);
  expect_unchanged();
  // A candidate that does not exist.
  AliasChange to_m2;
  to_m2.champion = m2;
  EXPECT_THROW(db_.RecordDecision(Decision("year", "manual", "promoted", 999), to_m2),
               StorageError);
  expect_unchanged();
  // A model of the other horizon.
  AliasChange to_day;
  to_day.challenger = day;
  EXPECT_THROW(db_.RecordDecision(Decision("year", "gate", "rejected", m2), to_day), StorageError);
  expect_unchanged();
  // An action the schema does not know.
  EXPECT_THROW(db_.RecordDecision(Decision("year", "vote", "promoted", m2), to_m2), StorageError);
  expect_unchanged();
  // The decision row goes in, then the alias fails its CHECK: the row is rolled back with it.
  const int64_t week = db_.RegisterModel(MakeModel(run, "week", 2021, "w1")).model.id;
  AliasChange to_week;
  to_week.champion = week;
  EXPECT_THROW(db_.RecordDecision(Decision("week", "manual", "promoted", week), to_week),
               StorageError);
  expect_unchanged();
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM model_decisions WHERE horizon = 'week'"), 0);
}

TEST_F(SqliteDatabaseTest, ListDecisionsIsNewestFirstByHorizonAndLimited) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const int64_t year = db_.RegisterModel(MakeModel(run, "year", 2021, "y")).model.id;
  const int64_t day = db_.RegisterModel(MakeModel(run, "day", 2021, "d")).model.id;
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    const bool is_year = i % 2 == 0;
    ids.push_back(db_.RecordDecision(
        Decision(is_year ? "year" : "day", "gate", "rejected", is_year ? year : day), {}));
  }
  const auto ids_of = [](const std::vector<ModelDecision>& decisions) {
    std::vector<int64_t> out;
    for (const ModelDecision& d : decisions) out.push_back(d.id);
    return out;
  };
  using V = std::vector<int64_t>;
  EXPECT_EQ(ids_of(db_.ListDecisions("", 10)), (V{ids[4], ids[3], ids[2], ids[1], ids[0]}));
  EXPECT_EQ(ids_of(db_.ListDecisions("", 2)), (V{ids[4], ids[3]}));
  EXPECT_EQ(ids_of(db_.ListDecisions("year", 10)), (V{ids[4], ids[2], ids[0]}));
  EXPECT_EQ(ids_of(db_.ListDecisions("day", 1)), V{ids[3]});
  EXPECT_TRUE(db_.ListDecisions("week", 10).empty());
  // No alias moved: the decisions only rejected.
  EXPECT_TRUE(db_.ListAliases("").empty());
}

TEST_F(SqliteDatabaseTest, PublishedForecastRoundTripsSortedByDate) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  const int64_t model = db_.RegisterModel(MakeModel(run, "year", 2021, "v")).model.id;
  // Written out of order on purpose: readers get calendar order.
  const std::vector<ForecastRow> rows = {
      {"2021-01-03", 3.0, 2.0, 4.0}, {"2021-01-01", 1.0, 0.5, 1.5}, {"2021-01-02", 2.0, 1.0, 3.0}};
  db_.PublishForecast(run, model, rows);
  const auto current = db_.CurrentForecast(2021, "year", run);
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

TEST_F(SqliteDatabaseTest, PublishForecastIsAllOrNothing) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  const int64_t model = db_.RegisterModel(MakeModel(run, "year", 2021, "v")).model.id;
  // The third row repeats a date: the primary key (run, date) fails after two rows went in.
  const std::vector<ForecastRow> rows = {
      {"2021-01-01", 1.0, 0.0, 2.0}, {"2021-01-02", 2.0, 1.0, 3.0}, {"2021-01-01", 9.0, 8.0, 10.0}};
  EXPECT_THROW(db_.PublishForecast(run, model, rows), StorageError);
  EXPECT_EQ(db_.CurrentForecast(2021, "year", run), std::nullopt);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM forecasts"), 0);
  // The rollback left the connection usable.
  db_.PublishForecast(run, model, {rows[0], rows[1]});
  EXPECT_EQ(db_.CurrentForecast(2021, "year", run)->rows.size(), 2u);
}

TEST_F(SqliteDatabaseTest, PublishForecastRequiresAnExistingModel) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  EXPECT_THROW(db_.PublishForecast(run, 999, Rows({"2021-01-01"}, 1.0)), StorageError);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM forecasts"), 0);
}

TEST_F(SqliteDatabaseTest, CurrentForecastIsNulloptWhenNothingWasPublished) {
  EXPECT_EQ(db_.CurrentForecast(2021, "year", 0), std::nullopt);
}

TEST_F(SqliteDatabaseTest, CurrentForecastPicksTheLatestSucceededRun) {
  PublishedRun(2021, "year", "succeeded", 100.0);
  const int64_t latest = PublishedRun(2021, "year", "succeeded", 200.0);
  const auto current = db_.CurrentForecast(2021, "year", 0);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, latest);
  EXPECT_DOUBLE_EQ(current->rows.at(0).forecast, 200.0);
}

TEST_F(SqliteDatabaseTest, CurrentForecastIgnoresFailedRejectedAndRunningRuns) {
  const int64_t good = PublishedRun(2021, "year", "succeeded", 100.0);
  PublishedRun(2021, "year", "failed", 200.0);
  PublishedRun(2021, "year", "rejected", 300.0);
  PublishedRun(2021, "year", "running", 400.0);
  const auto current = db_.CurrentForecast(2021, "year", 0);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, good);
  EXPECT_DOUBLE_EQ(current->rows.at(0).forecast, 100.0);
}

TEST_F(SqliteDatabaseTest, CurrentForecastCountsThePendingRun) {
  PublishedRun(2021, "year", "succeeded", 100.0);
  const int64_t pending = PublishedRun(2021, "year", "running", 400.0);
  const auto current = db_.CurrentForecast(2021, "year", pending);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, pending);
  EXPECT_DOUBLE_EQ(current->rows.at(0).forecast, 400.0);
}

TEST_F(SqliteDatabaseTest, CurrentForecastSkipsSucceededRunsWithoutAForecast) {
  const int64_t predicted = PublishedRun(2021, "year", "succeeded", 100.0);
  // A later evaluate run for the same target publishes nothing: it must not hide the forecast.
  const int64_t evaluate = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  db_.FinishRun(evaluate, "succeeded", "");
  EXPECT_EQ(db_.CurrentForecast(2021, "year", evaluate)->run_id, predicted);
}

TEST_F(SqliteDatabaseTest, CurrentForecastIsPerTargetYearAndHorizon) {
  const int64_t year_2021 = PublishedRun(2021, "year", "succeeded", 100.0);
  const int64_t day_2021 = PublishedRun(2021, "day", "succeeded", 200.0);
  const int64_t year_2022 = PublishedRun(2022, "year", "succeeded", 300.0);
  EXPECT_EQ(db_.CurrentForecast(2021, "year", 0)->run_id, year_2021);
  EXPECT_EQ(db_.CurrentForecast(2021, "day", 0)->run_id, day_2021);
  EXPECT_EQ(db_.CurrentForecast(2022, "year", 0)->run_id, year_2022);
  EXPECT_EQ(db_.CurrentForecast(2022, "day", 0), std::nullopt);
}

TEST_F(SqliteDatabaseTest, LatestEvaluationsKeepsTheLatestSucceededYearlyScorePerTarget) {
  const int64_t old_run = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  db_.SaveMetrics(old_run, {Metric("year", "2021", 5.0), Metric("month", "2021-01", 4.0)});
  db_.FinishRun(old_run, "succeeded", "");
  const int64_t new_run = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  db_.SaveMetrics(new_run, {Metric("year", "2021", 3.0), Metric("month", "2021-01", 2.0)});
  db_.FinishRun(new_run, "succeeded", "");
  // A later failed run's scores do not count.
  const int64_t failed = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  db_.SaveMetrics(failed, {Metric("year", "2021", 99.0)});
  db_.FinishRun(failed, "failed", "boom");
  const int64_t day_run = db_.BeginRun(MakeRun("evaluate", 2021, "day"));
  db_.SaveMetrics(day_run, {Metric("year", "2021", 1.5)});
  db_.FinishRun(day_run, "succeeded", "");
  const int64_t y2020 = db_.BeginRun(MakeRun("evaluate", 2020, "year"));
  db_.SaveMetrics(y2020, {Metric("year", "2020", 4.5)});
  db_.FinishRun(y2020, "succeeded", "");

  const auto evaluations = db_.LatestEvaluations();
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

TEST_F(SqliteDatabaseTest, LatestEvaluationsCountsTheAlertsOfTheEvaluatingRun) {
  const int64_t quiet = db_.BeginRun(MakeRun("evaluate", 2020, "year"));
  db_.SaveMetrics(quiet, {Metric("year", "2020", 3.0)});
  db_.FinishRun(quiet, "succeeded", "");
  const int64_t noisy = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  db_.SaveMetrics(noisy, {Metric("year", "2021", 9.0)});
  db_.AddAlert(MakeAlert(noisy, "warning", "mape_above_threshold"));
  db_.AddAlert(MakeAlert(noisy, "warning", "worse_than_naive"));
  db_.FinishRun(noisy, "succeeded", "");
  // Alerts of other runs are not the evaluation's.
  db_.AddAlert(MakeAlert(std::nullopt, "info", "unrelated"));

  const auto evaluations = db_.LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 2u);
  EXPECT_EQ(evaluations[0].run_id, quiet);
  EXPECT_EQ(evaluations[0].alerts, 0);
  EXPECT_EQ(evaluations[1].run_id, noisy);
  EXPECT_EQ(evaluations[1].alerts, 2);
  EXPECT_DOUBLE_EQ(evaluations[1].metrics.mape, 9.0);
}

TEST_F(SqliteDatabaseTest, LatestEvaluationsIsEmptyWithoutYearlyScores) {
  const int64_t run = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  db_.SaveMetrics(run, {Metric("month", "2021-01", 2.0)});
  db_.FinishRun(run, "succeeded", "");
  EXPECT_TRUE(db_.LatestEvaluations().empty());
}

TEST_F(SqliteDatabaseTest, SaveMetricsIsAllOrNothing) {
  const int64_t run = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  // The second row's scope violates the CHECK constraint.
  EXPECT_THROW(db_.SaveMetrics(run, {Metric("year", "2021", 3.0), Metric("week", "2021-W01", 1.0)}),
               StorageError);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM metrics"), 0);
}

TEST_F(SqliteDatabaseTest, SaveChecksRoundTripsInOrder) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  const int64_t other = db_.BeginRun(MakeRun("predict", 2022, "year"));
  const std::vector<CheckRow> checks = {{"one_value_per_day", "pass", "365 values"},
                                        {"finite", "fail", "1 value not finite"},
                                        {"interval_contains_forecast", "warn", "2 days"}};
  db_.SaveChecks(run, checks);
  db_.SaveChecks(other, {{"finite", "pass", ""}});
  const auto stored = db_.ListChecks(run);
  ASSERT_EQ(stored.size(), 3u);
  for (std::size_t i = 0; i < checks.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(stored[i].check, checks[i].check);
    EXPECT_EQ(stored[i].status, checks[i].status);
    EXPECT_EQ(stored[i].detail, checks[i].detail);
  }
  EXPECT_EQ(db_.ListChecks(other).size(), 1u);
  EXPECT_TRUE(db_.ListChecks(other + 1).empty());
}

TEST_F(SqliteDatabaseTest, SaveChecksRejectsAnUnknownStatusAndWritesNothing) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  EXPECT_THROW(db_.SaveChecks(run, {{"finite", "pass", ""}, {"positive", "ok", ""}}), StorageError);
  EXPECT_TRUE(db_.ListChecks(run).empty());
}

TEST_F(SqliteDatabaseTest, AlertsRoundTripNewestFirst) {
  const int64_t run = db_.BeginRun(MakeRun("ingest"));
  AlertRecord first = MakeAlert(run, "critical", "data_rejected", "files bad.csv sha256:ab");
  first.created_at = "2021-03-01T12:00:00.000Z";
  first.target_year = 2021;
  first.horizon = "day";
  first.period_start = "2021-01-01";
  first.period_end = "2021-01-31";
  first.value = 9.25;
  first.threshold = 8.0;
  const auto first_id = db_.AddAlert(first);
  const auto second_id = db_.AddAlert(MakeAlert(std::nullopt, "info", "note"));
  ASSERT_TRUE(first_id && second_id);
  EXPECT_GT(*second_id, *first_id);

  const auto alerts = db_.ListAlerts(Limit(10));
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
  EXPECT_EQ(db_.ListAlerts(Limit(1)).size(), 1u);
}

TEST_F(SqliteDatabaseTest, TheSameAlertIsStoredOnce) {
  const int64_t run = db_.BeginRun(MakeRun("monitor"));
  const int64_t rerun = db_.BeginRun(MakeRun("monitor"));
  AlertRecord alert = MakeAlert(run, "warning", "mape_above_threshold", "forecast of run 3");
  alert.source = "performance";
  alert.target_year = 2021;
  alert.period_start = "2021-01-01";
  alert.period_end = "2021-12-31";
  alert.value = 9.0;
  const auto id = db_.AddAlert(alert);
  ASSERT_TRUE(id.has_value());
  // Another run finding the same on the same data, in other words and another figure.
  AlertRecord again = alert;
  again.run_id = rerun;
  again.message = "said differently";
  again.value = 9.5;
  again.created_at = "2030-01-01T00:00:00.000Z";
  EXPECT_EQ(db_.AddAlert(again), std::nullopt);
  const auto alerts = db_.ListAlerts(Limit(10));
  ASSERT_EQ(alerts.size(), 1u);
  // The alert on record is the first, untouched.
  EXPECT_EQ(alerts[0].id, *id);
  EXPECT_EQ(alerts[0].run_id, run);
  EXPECT_EQ(alerts[0].message, "something happened");
  EXPECT_EQ(alerts[0].value, 9.0);
  EXPECT_EQ(db_.CountAlerts(rerun), 0);
}

TEST_F(SqliteDatabaseTest, AlertsAboutSomethingElseAreDistinct) {
  AlertRecord base = MakeAlert(std::nullopt, "warning", "drift", "window 28 days");
  base.source = "drift";
  base.target_year = 2021;
  base.horizon = "year";
  base.period_start = "2021-01-01";
  base.period_end = "2021-01-28";
  std::vector<AlertRecord> variants(8, base);
  variants[1].source = "validation";
  variants[2].code = "drift_share";
  variants[3].target_year = 2022;
  variants[4].horizon = "day";
  variants[5].period_start = "2021-01-02";
  variants[6].period_end = "2021-01-29";
  variants[7].subject = "window 7 days";
  for (const AlertRecord& a : variants) EXPECT_TRUE(db_.AddAlert(a).has_value());
  EXPECT_EQ(db_.ListAlerts(Limit(100)).size(), variants.size());
  // A severity change is not a new finding: the fingerprint leaves it out.
  AlertRecord worse = base;
  worse.severity = "critical";
  EXPECT_EQ(db_.AddAlert(worse), std::nullopt);
}

TEST_F(SqliteDatabaseTest, AGivenFingerprintIsKept) {
  AlertRecord a = MakeAlert(std::nullopt, "info", "x");
  a.fingerprint = "my-own-identity";
  ASSERT_TRUE(db_.AddAlert(a).has_value());
  EXPECT_EQ(db_.ListAlerts(Limit(1)).at(0).fingerprint, "my-own-identity");
  AlertRecord other = MakeAlert(std::nullopt, "warning", "y");
  other.fingerprint = "my-own-identity";
  EXPECT_EQ(db_.AddAlert(other), std::nullopt);
}

TEST_F(SqliteDatabaseTest, ListAlertsFiltersBySeveritySourceDateAndAcknowledgement) {
  const auto add = [&](std::string severity, std::string source, std::string created_at) {
    AlertRecord a = MakeAlert(std::nullopt, std::move(severity), "code", created_at);
    a.source = std::move(source);
    a.created_at = std::move(created_at);
    return *db_.AddAlert(a);
  };
  const int64_t info = add("info", "pipeline", "2021-03-01T08:00:00.000Z");
  const int64_t warning = add("warning", "drift", "2021-03-02T08:00:00.000Z");
  const int64_t critical = add("critical", "pipeline", "2021-03-03T08:00:00.000Z");
  const int64_t late = add("critical", "performance", "2021-03-04T23:59:59.999Z");
  db_.AcknowledgeAlert(critical);
  const auto ids = [&](const AlertFilter& filter) {
    std::vector<int64_t> out;
    for (const AlertRecord& a : db_.ListAlerts(filter)) out.push_back(a.id);
    return out;
  };
  using Ids = std::vector<int64_t>;

  EXPECT_EQ(ids(AlertFilter{}), (Ids{late, critical, warning, info}));
  AlertFilter f;
  f.severities = {"critical"};
  EXPECT_EQ(ids(f), (Ids{late, critical}));
  f.severities = {"warning", "critical"};
  EXPECT_EQ(ids(f), (Ids{late, critical, warning}));
  f = {};
  f.sources = {"pipeline"};
  EXPECT_EQ(ids(f), (Ids{critical, info}));
  f.sources = {"drift", "performance"};
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
  f.severities = {"critical"};
  EXPECT_EQ(ids(f), Ids{late});
  f = {};
  f.limit = 2;
  EXPECT_EQ(ids(f), (Ids{late, critical}));
  // Values are bound, never spliced into the SQL.
  f = {};
  f.severities = {"critical' OR '1' = '1"};
  EXPECT_TRUE(ids(f).empty());
}

TEST_F(SqliteDatabaseTest, AcknowledgeAlertMarksItOnceWithTheTime) {
  const int64_t id = *db_.AddAlert(MakeAlert(std::nullopt, "critical", "run_failed"));
  const auto first = db_.AcknowledgeAlert(id);
  ASSERT_TRUE(first.has_value());
  EXPECT_FALSE(first->already_acknowledged);
  EXPECT_EQ(first->alert.id, id);
  EXPECT_TRUE(first->alert.acknowledged);
  EXPECT_TRUE(std::regex_match(first->alert.acknowledged_at,
                               std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << first->alert.acknowledged_at;
  // Again: nothing changes, and it says so.
  const auto second = db_.AcknowledgeAlert(id);
  ASSERT_TRUE(second.has_value());
  EXPECT_TRUE(second->already_acknowledged);
  EXPECT_EQ(second->alert.acknowledged_at, first->alert.acknowledged_at);
  EXPECT_TRUE(db_.ListAlerts(Limit(1)).at(0).acknowledged);
  EXPECT_EQ(db_.AcknowledgeAlert(id + 1), std::nullopt);
}

TEST_F(SqliteDatabaseTest, CountAlertsCountsOnlyThatRun) {
  const int64_t a = db_.BeginRun(MakeRun("ingest"));
  const int64_t b = db_.BeginRun(MakeRun("ingest"));
  db_.AddAlert(MakeAlert(a, "warning", "x"));
  db_.AddAlert(MakeAlert(a, "critical", "y"));
  db_.AddAlert(MakeAlert(b, "info", "z"));
  db_.AddAlert(MakeAlert(std::nullopt, "info", "z", "another subject"));
  EXPECT_EQ(db_.CountAlerts(a), 2);
  EXPECT_EQ(db_.CountAlerts(b), 1);
  EXPECT_EQ(db_.CountAlerts(b + 1), 0);
}

TEST_F(SqliteDatabaseTest, AddAlertRejectsAnInvalidSeverity) {
  const int64_t run = db_.BeginRun(MakeRun("ingest"));
  EXPECT_THROW(db_.AddAlert(MakeAlert(run, "fatal", "x")), StorageError);
  EXPECT_THROW(db_.AddAlert(MakeAlert(run, "", "x")), StorageError);
  // 'error' was a severity before migration 3; it is 'critical' now.
  EXPECT_THROW(db_.AddAlert(MakeAlert(run, "error", "x")), StorageError);
  AlertRecord unknown_source = MakeAlert(run, "warning", "x");
  unknown_source.source = "evaluate";
  EXPECT_THROW(db_.AddAlert(unknown_source), StorageError);
  EXPECT_TRUE(db_.ListAlerts(Limit(10)).empty());
}

TEST_F(SqliteDatabaseTest, AddAlertRequiresAnExistingRunWhenOneIsNamed) {
  EXPECT_THROW(db_.AddAlert(MakeAlert(424242, "critical", "x")), StorageError);
  EXPECT_EQ(db_.CountAlerts(424242), 0);
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

TEST_F(SqliteDatabaseTest, SaveBacktestRoundTripsThroughListBacktestsByTargetYear) {
  const int64_t run = db_.BeginRun(MakeRun("backtest", 2019, "year"));
  const int64_t other = db_.BeginRun(MakeRun("backtest", 2019, "year"));
  db_.SaveBacktest(run, {Backtest(2019, "year", 3.5), Backtest(2018, "year", 3.0)});
  db_.SaveBacktest(other, {Backtest(2019, "year", 9.0)});

  const auto rows = db_.ListBacktests(run);
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
  EXPECT_EQ(db_.ListBacktests(other).size(), 1u);
  EXPECT_TRUE(db_.ListBacktests(other + 1).empty());
}

TEST_F(SqliteDatabaseTest, SaveBacktestIsAllOrNothing) {
  const int64_t run = db_.BeginRun(MakeRun("backtest", 2019, "year"));
  // The second row repeats the target year: the primary key rejects it, and with it the first.
  EXPECT_THROW(db_.SaveBacktest(run, {Backtest(2018, "year", 3.0), Backtest(2018, "year", 4.0)}),
               StorageError);
  EXPECT_THROW(db_.SaveBacktest(run, {Backtest(2018, "year", 3.0), Backtest(2019, "week", 4.0)}),
               StorageError);
  EXPECT_TRUE(db_.ListBacktests(run).empty());
  EXPECT_THROW(db_.SaveBacktest(424242, {Backtest(2018, "year", 3.0)}), StorageError);
}

TEST_F(SqliteDatabaseTest, LatestBacktestsKeepsTheLatestSucceededRowPerTargetYear) {
  const auto backtest = [&](const std::string& horizon, const std::string& status,
                            const std::vector<BacktestRow>& rows) {
    const int64_t run = db_.BeginRun(MakeRun("backtest", rows.back().target_year, horizon));
    db_.SaveBacktest(run, rows);
    if (status != "running") db_.FinishRun(run, status, "");
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

  const auto year = db_.LatestBacktests("year");
  ASSERT_EQ(year.size(), 3u);
  EXPECT_EQ(year[0].target_year, 2017);
  EXPECT_EQ(year[0].run_id, old_run);
  EXPECT_EQ(year[1].target_year, 2018);
  EXPECT_EQ(year[1].run_id, new_run);
  EXPECT_DOUBLE_EQ(year[1].mape, 3.0);
  EXPECT_EQ(year[2].target_year, 2019);
  EXPECT_EQ(year[2].run_id, new_run);
  EXPECT_DOUBLE_EQ(year[2].mape, 3.5);

  const auto day = db_.LatestBacktests("day");
  ASSERT_EQ(day.size(), 1u);
  EXPECT_EQ(day[0].run_id, day_run);
  EXPECT_EQ(day[0].horizon, "day");
  EXPECT_TRUE(db_.LatestBacktests("week").empty());
}

TEST(UtcNow, IsIso8601WithMillisecondsInUtc) {
  const std::string now = UtcNow();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << now;
}

TEST_F(SqliteDatabaseTest, MonitorWindowsRoundTripAndTheLatestSucceededRunIsShown) {
  EXPECT_EQ(db_.LatestMonitor(2020), std::nullopt);
  MonitorWindowRow drift;
  drift.kind = "drift";
  drift.start = "2020-03-02";
  drift.end = "2020-03-29";
  drift.days = 28;
  drift.value = -12.0;
  drift.psi = 5.5;
  drift.ks = 0.8;
  drift.ks_p_value = 7e-10;
  drift.wasserstein = 2.5;
  drift.status = "critical";
  drift.reason = "mean shift";
  MonitorWindowRow month;
  month.kind = "month";
  month.horizon = "year";
  month.start = "2020-03-01";
  month.end = "2020-03-31";
  month.days = 31;
  month.value = 16.8;
  month.warning_threshold = 6.0;
  month.critical_threshold = 9.0;
  month.status = "critical";
  RunRecord monitor;
  monitor.command = "monitor";
  monitor.target_year = 2020;
  const int64_t first = db_.BeginRun(monitor);
  db_.SaveMonitorWindows(first, "2020-03-31", {drift, month});
  db_.FinishRun(first, "succeeded", "");
  const int64_t failed = db_.BeginRun(monitor);
  db_.SaveMonitorWindows(failed, "2020-04-30", {drift});
  db_.FinishRun(failed, "failed", "boom");

  const auto latest = db_.LatestMonitor(2020);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->run_id, first);
  EXPECT_EQ(latest->as_of, "2020-03-31");
  ASSERT_EQ(latest->windows.size(), 2u);
  const MonitorWindowRow& d = latest->windows[0];
  EXPECT_EQ(d.kind, "drift");
  EXPECT_EQ(d.horizon, "");
  EXPECT_DOUBLE_EQ(*d.ks_p_value, 7e-10);
  EXPECT_EQ(d.warning_threshold, std::nullopt);
  EXPECT_EQ(d.reason, "mean shift");
  const MonitorWindowRow& m = latest->windows[1];
  EXPECT_EQ(m.horizon, "year");
  EXPECT_EQ(m.psi, std::nullopt);
  EXPECT_DOUBLE_EQ(*m.critical_threshold, 9.0);
  EXPECT_EQ(db_.LatestMonitor(2021), std::nullopt);

  MonitorWindowRow bad = month;
  bad.status = "fine";
  EXPECT_THROW(db_.SaveMonitorWindows(first, "2020-03-31", {month, bad}), StorageError);
  EXPECT_EQ(db_.LatestMonitor(2020)->windows.size(), 2u);  // nothing of the failed write
}

TEST_F(SqliteDatabaseTest, AlertsFilterByADayOrTimeAsTheEndOfTheCreationPeriod) {
  for (const char* created :
       {"2021-03-01T10:00:00.000Z", "2021-03-02T23:59:59.999Z", "2021-03-03T00:00:00.000Z"}) {
    AlertRecord a;
    a.created_at = created;
    a.severity = "warning";
    a.source = "drift";
    a.code = "drift.window";
    a.message = created;
    a.subject = created;  // three findings, not one
    ASSERT_TRUE(db_.AddAlert(a).has_value());
  }
  AlertFilter f = Limit(10);
  f.until = "2021-03-02";
  EXPECT_EQ(db_.ListAlerts(f).size(), 2u);
  f.since = "2021-03-02";
  EXPECT_EQ(db_.ListAlerts(f).size(), 1u);
  f.since.clear();
  f.until = "2021-03-01T12:00:00.000Z";
  EXPECT_EQ(db_.ListAlerts(f).size(), 1u);
}

TEST_F(SqliteDatabaseTest, ListAlertsFiltersByTargetYearAndRun) {
  const int64_t run = db_.BeginRun(MakeRun("monitor", 2020));
  const auto add = [&](std::optional<int> year, std::string subject) {
    AlertRecord a = MakeAlert(year == 2020 ? std::optional<int64_t>(run) : std::nullopt, "warning",
                              "code", std::move(subject));
    a.target_year = year;
    return *db_.AddAlert(a);
  };
  const int64_t y2019 = add(2019, "a");
  const int64_t y2020 = add(2020, "b");
  add(std::nullopt, "c");
  const int64_t again2020 = add(2020, "d");
  AlertFilter f = Limit(10);
  f.target_year = 2020;
  std::vector<int64_t> ids;
  for (const AlertRecord& a : db_.ListAlerts(f)) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<int64_t>{again2020, y2020}));
  f.target_year = 2019;
  ASSERT_EQ(db_.ListAlerts(f).size(), 1u);
  EXPECT_EQ(db_.ListAlerts(f).at(0).id, y2019);
  f.target_year = 2018;
  EXPECT_TRUE(db_.ListAlerts(f).empty());
  // Without it, every alert.
  EXPECT_EQ(db_.ListAlerts(Limit(10)).size(), 4u);
  AlertFilter by_run = Limit(10);
  by_run.run_id = run;
  EXPECT_EQ(db_.ListAlerts(by_run).size(), 2u);
  by_run.run_id = run + 1;
  EXPECT_TRUE(db_.ListAlerts(by_run).empty());
}

}  // namespace
}  // namespace loadcast
