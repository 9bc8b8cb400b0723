// What only SQLite has: its file, and the upgrade of files written by older builds. The behaviour
// every backend shares is tested in database_test.cpp, against SQLite and PostgreSQL.
#include "storage/database.hpp"

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
#include "support/schema.hpp"
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
  const int64_t run = db_.runs().Begin(MakeRun("predict", 2021, "year"));
  // Back to version 7: what entries 8 and 9 added goes.
  ExecRaw(path_,
          "DROP INDEX runs_by_target; DROP TABLE actual_changes; DROP TABLE actual_revisions; "
          "DELETE FROM schema_migrations WHERE version > 7");
  SqliteDatabase upgraded(path_);
  EXPECT_EQ(upgraded.schema_version(), kLatestSchema);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM sqlite_master WHERE name IN "
                            "('runs_by_target', 'actual_revisions', 'actual_changes')"),
            3);
  EXPECT_EQ(QueryInt(path_, "SELECT COUNT(*) FROM schema_migrations"), kLatestSchema);
  ASSERT_TRUE(upgraded.runs().Find(run).has_value());
}

TEST(UtcNow, IsIso8601WithMillisecondsInUtc) {
  const std::string now = UtcNow();
  EXPECT_TRUE(std::regex_match(now, std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)")))
      << now;
}

}  // namespace
}  // namespace loadcast
