// The target locks of the SQLite database (flock on files beside it), and its opening by several
// processes at once.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "storage/database.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

std::string JournalMode(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  std::string mode;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    mode = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return mode;
}

/// Two handles on one database file, as two processes would have (a flock belongs to the open
/// file, so two handles in one process exclude each other as two processes do).
class SqliteLockTest : public ::testing::Test {
 protected:
  std::filesystem::path path() const { return dir_ / "loadcast.db"; }

  TempDir dir_;
  SqliteDatabase first_{path()};
  SqliteDatabase second_{path()};
};

TEST_F(SqliteLockTest, SameTargetWaitsAndTimesOutWithLockTimeout) {
  const auto held = first_.LockTarget(2020, Horizon::kYear, 0ms);
  const auto start = std::chrono::steady_clock::now();
  try {
    second_.LockTarget(2020, Horizon::kYear, 300ms);
    FAIL() << "the second lock of 2020 year was granted";
  } catch (const LockTimeout& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::kBusy);
    EXPECT_NE(std::string(e.what()).find("2020 year"), std::string::npos) << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 300ms);
}

TEST_F(SqliteLockTest, ZeroTimeoutOnlyTries) {
  const auto held = first_.LockTarget(2020, Horizon::kYear, 0ms);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(second_.LockTarget(2020, Horizon::kYear, 0ms), LockTimeout);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 200ms);
}

TEST_F(SqliteLockTest, OtherTargetsDoNotWait) {
  const auto held = first_.LockTarget(2020, Horizon::kYear, 0ms);
  EXPECT_NO_THROW(second_.LockTarget(2021, Horizon::kYear, 0ms));
  EXPECT_NO_THROW(second_.LockTarget(2020, Horizon::kDay, 0ms));
}

TEST_F(SqliteLockTest, ReleasedWhenDestroyed) {
  auto held = first_.LockTarget(2020, Horizon::kYear, 0ms);
  EXPECT_THROW(second_.LockTarget(2020, Horizon::kYear, 0ms), LockTimeout);
  held.reset();
  EXPECT_NO_THROW(second_.LockTarget(2020, Horizon::kYear, 0ms));
  // And taken again by the first once the second let go.
  EXPECT_NO_THROW(first_.LockTarget(2020, Horizon::kYear, 0ms));
}

TEST_F(SqliteLockTest, WaiterGetsTheLockOnceReleased) {
  auto held = first_.LockTarget(2020, Horizon::kDay, 0ms);
  std::thread releaser([&] {
    std::this_thread::sleep_for(200ms);
    held.reset();
  });
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<HeldLock> got;
  EXPECT_NO_THROW(got = second_.LockTarget(2020, Horizon::kDay, 10s));
  releaser.join();
  EXPECT_NE(got, nullptr);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 150ms);
}

TEST_F(SqliteLockTest, LockFileLiesBesideTheDatabase) {
  const auto held = first_.LockTarget(2021, Horizon::kDay, 0ms);
  EXPECT_EQ(first_.lock_dir(), dir_ / "loadcast.db.locks");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "loadcast.db.locks" / "2021-day.lock"));
}

TEST_F(SqliteLockTest, ReleasedWhenTheProcessHoldingItIsKilled) {
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(ready[0]);
    try {
      SqliteDatabase db(path());
      const auto held = db.LockTarget(2020, Horizon::kYear, 0ms);
      const char byte = 'x';
      if (write(ready[1], &byte, 1) != 1) _exit(2);
      for (;;) pause();  // until killed
    } catch (...) {
      _exit(1);
    }
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1) << "the child did not get the lock";
  close(ready[0]);
  EXPECT_THROW(first_.LockTarget(2020, Horizon::kYear, 100ms), LockTimeout);
  // SIGKILL: no destructor runs, the kernel alone releases the lock.
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_NO_THROW(first_.LockTarget(2020, Horizon::kYear, 1s));
}

TEST(SqliteOpenTest, UsesWriteAheadLogging) {
  const TempDir dir;
  { SqliteDatabase db(dir / "loadcast.db"); }
  EXPECT_EQ(JournalMode(dir / "loadcast.db"), "wal");
}

TEST(SqliteOpenTest, ProcessesOpeningAFreshDatabaseAtOnceAllMigrateIt) {
  const TempDir dir;
  const auto path = dir / "fresh.db";
  int latest = 0;
  {
    const TempDir other;
    latest = SqliteDatabase(other / "reference.db").schema_version();
  }
  std::vector<pid_t> children;
  for (int i = 0; i < 6; ++i) {
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        SqliteDatabase db(path);
        RunRecord run;
        run.command = "test";
        db.runs().Begin(run);
        _exit(db.schema_version() == latest ? 0 : 3);
      } catch (...) {
        _exit(1);
      }
    }
    children.push_back(child);
  }
  for (const pid_t child : children) {
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
  SqliteDatabase db(path);
  EXPECT_EQ(db.schema_version(), latest);
  EXPECT_EQ(db.runs().List(100).size(), 6u);
  EXPECT_EQ(JournalMode(path), "wal");
}

}  // namespace
}  // namespace loadcast
