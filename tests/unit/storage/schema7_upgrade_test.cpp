// Databases made by the builds before the one SQL implementation, at schema version 7, upgrade in
// place and keep working. The fixtures were made by such a build running `loadcast ingest
// data/italian-power-load/load.csv` and `loadcast run --target-year 2020` (tests/fixtures/schema7/
// README.md): a SQLite file as it left it, and a pg_dump of the PostgreSQL database it wrote.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>
#include <string>

#include "storage/database.hpp"
#include "support/postgres_server.hpp"
#include "support/records.hpp"
#include "support/schema.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::ScopedPostgresDatabase;
using testing::TempDir;

using testing::kLatestSchema;

std::filesystem::path Fixture(const std::string& name) {
  return std::filesystem::path(LOADCAST_SOURCE_DIR) / "tests/fixtures/schema7" / name;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// What the old build wrote reads back, and new writes work beside it.
void ExpectUpgradedAndWorking(Database& db) {
  EXPECT_EQ(db.schema_version(), kLatestSchema);

  // The runs of `ingest`, `run --target-year 2020` for each horizon and `monitor`, all succeeded.
  const auto runs = db.runs().List(100);
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(runs.back().command, "ingest");
  EXPECT_EQ(runs.front().command, "monitor");
  for (const RunRecord& run : runs) {
    SCOPED_TRACE(run.id);
    EXPECT_EQ(run.status, "succeeded");
    EXPECT_FALSE(run.started_at.empty());
    EXPECT_FALSE(run.finished_at.empty());
  }
  const int64_t last_old_run = runs.front().id;

  // The registry: both horizons trained for 2020, each with its champion.
  for (const Horizon horizon : {Horizon::kYear, Horizon::kDay}) {
    SCOPED_TRACE(HorizonName(horizon));
    const auto models = db.models().List(horizon, 10);
    ASSERT_FALSE(models.empty());
    EXPECT_EQ(models.back().number, 1);
    EXPECT_EQ(models.back().target_year, 2020);
    EXPECT_TRUE(
        models.back().artifact.starts_with("models/" + std::string(HorizonName(horizon)) + "/"));
    const auto champion = db.models().FindAliased(horizon, "champion");
    ASSERT_TRUE(champion.has_value());
    ASSERT_TRUE(db.models().Find(champion->id).has_value());
    EXPECT_EQ(db.models().FindByVersion(champion->version.substr(0, 8)).size(), 1u);
  }

  // The forecast of 2020: a day a row, the leap day included, intervals around the forecast.
  const auto forecast = db.forecasts().Current(2020, Horizon::kYear, 0);
  ASSERT_TRUE(forecast.has_value());
  ASSERT_EQ(forecast->rows.size(), 366u);
  EXPECT_EQ(forecast->rows.front().date, "2020-01-01");
  EXPECT_EQ(forecast->rows.back().date, "2020-12-31");
  for (const ForecastRow& row : forecast->rows) {
    EXPECT_GT(row.forecast, 0.0) << row.date;
    EXPECT_LE(row.lower, row.forecast) << row.date;
    EXPECT_GE(row.upper, row.forecast) << row.date;
  }
  EXPECT_FALSE(db.scores().ListChecks(forecast->run_id).empty());
  EXPECT_FALSE(db.scores().LatestEvaluations().empty());

  // The alerts the old build raised read back whole.
  AlertFilter all;
  all.limit = 1000;
  const auto alerts = db.alerts().List(all);
  ASSERT_EQ(alerts.size(), 34u);
  for (const AlertRecord& alert : alerts) {
    SCOPED_TRACE(alert.id);
    EXPECT_FALSE(alert.fingerprint.empty());
    EXPECT_FALSE(alert.code.empty());
    EXPECT_TRUE(alert.severity == "warning" || alert.severity == "critical");
    EXPECT_TRUE(alert.value.has_value());
    EXPECT_FALSE(alert.acknowledged);
  }
  const auto acknowledged = db.alerts().Acknowledge(alerts.back().id);
  ASSERT_TRUE(acknowledged.has_value());
  EXPECT_FALSE(acknowledged->already_acknowledged);
  EXPECT_EQ(acknowledged->alert.fingerprint, alerts.back().fingerprint);

  // What the monitor measured.
  const auto monitor = db.monitor().Latest(2020);
  ASSERT_TRUE(monitor.has_value());
  EXPECT_EQ(monitor->run_id, runs.front().id);
  EXPECT_FALSE(monitor->windows.empty());

  // New writes: a run numbered after the old ones, its forecast current, its alert stored once.
  RunRecord run;
  run.command = "predict";
  run.target_year = 2020;
  run.horizon = Horizon::kYear;
  const int64_t id = db.runs().Begin(run);
  EXPECT_GT(id, last_old_run);
  db.runs().SetModel(id, forecast->model_id);
  db.forecasts().Publish(id, forecast->model_id, {{testing::Day("2020-01-01"), 1.0, 0.5, 1.5}});
  db.runs().Finish(id, RunStatus::kSucceeded, "");
  const auto current = db.forecasts().Current(2020, Horizon::kYear, 0);
  ASSERT_TRUE(current.has_value());
  EXPECT_EQ(current->run_id, id);
  AlertRecord alert;
  alert.run_id = id;
  alert.severity = AlertSeverity::kWarning;
  alert.source = AlertSource::kPipeline;
  alert.code = "upgrade_test";
  alert.message = "written after the upgrade";
  const auto alert_id = db.alerts().Add(alert);
  ASSERT_TRUE(alert_id.has_value());
  EXPECT_FALSE(db.alerts().Add(alert).has_value());
  EXPECT_EQ(db.alerts().List(all).size(), alerts.size() + 1);
  EXPECT_EQ(db.alerts().Count(id), 1);
  // The tables of the later migrations are there and take rows.
  RevisionRecord revision;
  revision.year = 2020;
  revision.run_id = id;
  revision.source = "2020.csv";
  revision.object = "actuals/2020.csv";
  const Date day = Date::FromYmd(2020, 3, 1);
  EXPECT_EQ(db.revisions().Add(revision, {{day, 1.0, 1.1}}).revision, 1);
  EXPECT_EQ(db.revisions().Changes(db.revisions().Latest(2020)->id).size(), 1u);
}

TEST(Schema7Upgrade, ASqliteFileOfTheOldBuildUpgradesInPlaceAndKeepsWorking) {
  TempDir dir;
  const auto path = dir / "var/loadcast.db";
  std::filesystem::create_directories(path.parent_path());
  std::filesystem::copy_file(Fixture("loadcast.db"), path);
  {
    SqliteDatabase db(path);
    ExpectUpgradedAndWorking(db);
  }
  // Opening it again migrates nothing more.
  SqliteDatabase again(path);
  EXPECT_EQ(again.schema_version(), kLatestSchema);
}

TEST(Schema7Upgrade, APostgresDatabaseOfTheOldBuildUpgradesInPlaceAndKeepsWorking) {
  auto database = ScopedPostgresDatabase::Create();
  if (!database) GTEST_SKIP() << testing::kPostgresSkipMessage;
  {
    pqxx::connection conn(database->url());
    pqxx::nontransaction txn(conn);
    txn.exec(ReadText(Fixture("postgres.sql")));
  }
  {
    PostgresDatabase db(database->url());
    ExpectUpgradedAndWorking(db);
  }
  PostgresDatabase again(database->url());
  EXPECT_EQ(again.schema_version(), kLatestSchema);
}

}  // namespace
}  // namespace loadcast
