#include "storage/sqlite_database.hpp"

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

AlertFilter Limit(int limit) {
  AlertFilter filter;
  filter.limit = limit;
  return filter;
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
        db_.RegisterModel(MakeModel(run, horizon, target_year, "v" + std::to_string(run)));
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
  EXPECT_EQ(db_.schema_version(), 3);
  for (const char* table :
       {"runs", "models", "forecasts", "metrics", "checks", "alerts", "backtests"}) {
    SCOPED_TRACE(table);
    EXPECT_EQ(QueryInt(path_, std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = "
                                          "'table' AND name = '") +
                                  table + "'"),
              1);
  }
  EXPECT_EQ(db_.location(), path_.string());
}

TEST_F(SqliteDatabaseTest, ReopeningIsIdempotentAndKeepsTheData) {
  const int64_t run = db_.BeginRun(MakeRun("ingest"));
  {
    SqliteDatabase again(path_);
    EXPECT_EQ(again.schema_version(), 3);
    ASSERT_EQ(again.ListRuns(10).size(), 1u);
    EXPECT_EQ(again.ListRuns(10)[0].id, run);
  }
  SqliteDatabase third(path_);
  EXPECT_EQ(third.schema_version(), 3);
  // Each migration is recorded once, however often the file is opened.
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM schema_migrations"), 3);
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

TEST_F(SqliteDatabaseTest, RegisterModelRoundTripsThroughLatestModel) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  const ModelRecord model = MakeModel(run, "year", 2021, "0123456789abcdef");
  const int64_t id = db_.RegisterModel(model);
  const auto latest = db_.LatestModel("year", 2021);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, id);
  EXPECT_EQ(latest->run_id, run);
  EXPECT_EQ(latest->version, model.version);
  EXPECT_EQ(latest->kind, model.kind);
  EXPECT_EQ(latest->horizon, "year");
  EXPECT_EQ(latest->target_year, 2021);
  EXPECT_EQ(latest->trained_from, model.trained_from);
  EXPECT_EQ(latest->trained_to, model.trained_to);
  EXPECT_EQ(latest->artifact, model.artifact);
  EXPECT_FALSE(latest->created_at.empty());
}

TEST_F(SqliteDatabaseTest, LatestModelIsTheMostRecentForItsHorizonAndYear) {
  const int64_t run = db_.BeginRun(MakeRun("train", 2021, "year"));
  db_.RegisterModel(MakeModel(run, "year", 2021, "first"));
  const int64_t second = db_.RegisterModel(MakeModel(run, "year", 2021, "second"));
  // Models for other targets must not shadow it.
  db_.RegisterModel(MakeModel(run, "day", 2021, "day-model"));
  db_.RegisterModel(MakeModel(run, "year", 2022, "next-year"));
  const auto latest = db_.LatestModel("year", 2021);
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, second);
  EXPECT_EQ(latest->version, "second");
  EXPECT_EQ(db_.LatestModel("day", 2021)->version, "day-model");
  EXPECT_EQ(db_.LatestModel("year", 2020), std::nullopt);
}

TEST_F(SqliteDatabaseTest, RegisterModelRequiresAnExistingRun) {
  // Foreign keys are enforced: a model always belongs to a recorded run.
  EXPECT_THROW(db_.RegisterModel(MakeModel(12345, "year", 2021, "orphan")), StorageError);
  EXPECT_EQ(db_.LatestModel("year", 2021), std::nullopt);
}

TEST_F(SqliteDatabaseTest, PublishedForecastRoundTripsSortedByDate) {
  const int64_t run = db_.BeginRun(MakeRun("predict", 2021, "year"));
  const int64_t model = db_.RegisterModel(MakeModel(run, "year", 2021, "v"));
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
  const int64_t model = db_.RegisterModel(MakeModel(run, "year", 2021, "v"));
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
  ExecRaw(path_, std::string("DROP TABLE backtests; DROP TABLE alerts;") + kVersion1Alerts +
                     "DELETE FROM schema_migrations WHERE version >= 2");
  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), 3);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'backtests'"), 1);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM schema_migrations WHERE version = 2"), 1);
  // The data of version 1 is kept.
  ASSERT_EQ(upgraded.ListRuns(10).size(), 1u);
  EXPECT_EQ(upgraded.ListRuns(10)[0].id, run);
}

TEST_F(SqliteDatabaseTest, MigrationThreeKeepsTheAlertsOfAVersionTwoDatabase) {
  const int64_t run = db_.BeginRun(MakeRun("evaluate", 2021, "year"));
  // Back to the schema of a build that had migrations 1 and 2, with alerts as it wrote them.
  ExecRaw(path_, std::string("DROP TABLE alerts;") + kVersion1Alerts +
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
  EXPECT_EQ(upgraded.schema_version(), 3);
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

}  // namespace
}  // namespace loadcast
