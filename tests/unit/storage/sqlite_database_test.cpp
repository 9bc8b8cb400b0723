// What only SQLite has: its file, and the upgrade of files written by older builds. The behaviour
// every backend shares is tested in database_test.cpp, against SQLite and PostgreSQL.
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
#include "storage/database.hpp"
#include "support/records.hpp"
#include "support/schema.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::MakeAlert;
using testing::MakeModel;
using testing::MakeRun;
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

using testing::kLatestSchema;

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
  EXPECT_TRUE(db_.models().ListAliases(std::nullopt).empty());
  EXPECT_TRUE(db_.models().ListDecisions(std::nullopt, 10).empty());
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

TEST_F(SqliteDatabaseTest, ADatabaseOfAVersionBeforeTheBaselineIsRefusedNamingItsVersion) {
  db_.runs().Begin(MakeRun("ingest"));
  // As a build that had only migrations 1 to 3 left it (as far as the version says).
  ExecRaw(path_, "DELETE FROM schema_migrations WHERE version > 3");
  try {
    SqliteDatabase old(path_);
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    const std::string message = e.what();
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, path_.string(), message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "schema version 3 is too old", message);
  }
  // Nothing was changed: the refusal is the same the next time.
  EXPECT_EQ(QueryInt(path_, "SELECT MAX(version) FROM schema_migrations"), 3);
}

TEST_F(SqliteDatabaseTest, AVersionSevenDatabaseGetsTheNewMigrationsOnly) {
  const int64_t run = db_.runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  // Back to version 7: what entries 8 to 11 added goes.
  ExecRaw(path_,
          "DROP INDEX runs_by_target; DROP TABLE actual_changes; DROP TABLE actual_revisions; "
          "DROP INDEX runs_by_status; ALTER TABLE runs DROP COLUMN host; "
          "ALTER TABLE runs DROP COLUMN pid; ALTER TABLE runs DROP COLUMN process_started; "
          "DROP INDEX alerts_by_period; ALTER TABLE alerts DROP COLUMN statistic; "
          "ALTER TABLE alerts DROP COLUMN episode; ALTER TABLE alerts DROP COLUMN closed_on; "
          "ALTER TABLE alerts DROP COLUMN updated_at; "
          "DELETE FROM schema_migrations WHERE version > 7");
  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), kLatestSchema);
  EXPECT_EQ(QueryInt(path_,
                     "SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                     "('runs_by_target', 'actual_revisions', 'actual_changes', "
                     "'runs_by_status', 'alerts_by_period')"),
            5);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM schema_migrations"), kLatestSchema);
  ASSERT_TRUE(upgraded.runs().Find(run).has_value());
}

// A value written behind loadcast's back (by hand, or by another program) that a record cannot
// hold is an error naming the table, the row and the column, not a record with an impossible
// field. The rows are the first of their tables (id 1); the CHECK constraints are switched off
// to write what they would refuse.
class BadStoredValueTest : public SqliteDatabaseTest {
 protected:
  /// Runs `update` on the file, then expects `read` to throw the StorageError `message`, after
  /// the name of the dataset that read it ("dataset 'runs': ").
  template <typename F>
  void ExpectAfter(const std::string& update, F read, const std::string& message) {
    ExecRaw(path_, "PRAGMA ignore_check_constraints = ON; " + update);
    try {
      read();
      ADD_FAILURE() << "expected StorageError: " << message;
    } catch (const StorageError& e) {
      const std::string what = e.what();
      EXPECT_TRUE(what.starts_with("dataset '")) << what;
      EXPECT_TRUE(what.ends_with("': " + message)) << what;
    }
  }
};

TEST_F(BadStoredValueTest, AnUnknownRunStatusNamesTableRowAndColumn) {
  db_.runs().Begin(MakeRun("ingest"));
  const std::string message =
      "table runs, row 1: unknown run status 'runing' in column status (valid: running, "
      "succeeded, failed, rejected)";
  ExpectAfter(
      "UPDATE runs SET status = 'runing'", [&] { db_.runs().Find(1); }, message);
  ExpectAfter(
      "", [&] { db_.runs().List(10); }, message);
}

TEST_F(BadStoredValueTest, AnUnknownAlertSeverityNamesTableRowAndColumn) {
  db_.alerts().Add(MakeAlert(std::nullopt, AlertSeverity::kWarning, "x"));
  ExpectAfter(
      "UPDATE alerts SET severity = 'error'", [&] { db_.alerts().List(AlertFilter{}); },
      "table alerts, row 1: unknown severity 'error' in column severity (valid: info, "
      "warning, critical)");
}

TEST_F(BadStoredValueTest, AnUnknownHorizonNamesTableRowAndColumn) {
  db_.runs().Begin(MakeRun("train", 2021, Horizon::kYear));
  db_.models().Register(MakeModel(1, Horizon::kYear, 2021, "v"));
  ExpectAfter(
      "UPDATE models SET horizon = 'week'", [&] { db_.models().Find(1); },
      "table models, row 1: unknown horizon 'week' in column horizon (valid: year, day)");
  ExpectAfter(
      "UPDATE runs SET horizon = 'Year'", [&] { db_.runs().Find(1); },
      "table runs, row 1: unknown horizon 'Year' in column horizon (valid: year, day)");
  // An empty horizon is none where the column allows it (runs), and an error where it does not.
  ExecRaw(path_, "UPDATE runs SET horizon = ''");
  EXPECT_EQ(db_.runs().Find(1)->horizon, std::nullopt);
  ExpectAfter(
      "UPDATE models SET horizon = ''", [&] { db_.models().Find(1); },
      "table models, row 1: unknown horizon '' in column horizon (valid: year, day)");
}

TEST_F(BadStoredValueTest, AMalformedDateNamesTableRowAndColumn) {
  db_.runs().Begin(MakeRun("predict", 2021, Horizon::kYear));
  db_.models().Register(MakeModel(1, Horizon::kYear, 2021, "v"));
  db_.forecasts().Publish(1, 1, {{testing::Day("2021-01-01"), 1.0, 0.5, 1.5}});
  ExpectAfter(
      "UPDATE forecasts SET date = '2021-02-30'",
      [&] { db_.forecasts().Current(2021, Horizon::kYear, 1); },
      "table forecasts, row run_id 1: malformed date '2021-02-30' in column date");
  AlertRecord alert = MakeAlert(1, AlertSeverity::kWarning, "x");
  alert.period_start = testing::Day("2021-03-01");
  db_.alerts().Add(alert);
  ExpectAfter(
      "UPDATE alerts SET period_start = '01/03/2021'", [&] { db_.alerts().List(AlertFilter{}); },
      "table alerts, row 1: malformed date '01/03/2021' in column period_start");
}

TEST(UtcNow, IsIso8601WithMillisecondsInUtc) {
  const std::string now = UtcNow();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << now;
}

}  // namespace
}  // namespace loadcast
