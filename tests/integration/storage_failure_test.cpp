// A full disk and read-only storage, for real: the workspace's var/ (or only its bucket) on a
// small tmpfs that is filled up or remounted read-only. loadcast must stop with exit code 1 and
// a message that says what happened and where, and leave the database sound and the bucket
// whole, so that once there is room again the next run succeeds. Mounting needs root (or
// CAP_SYS_ADMIN): elsewhere these tests are skipped, saying so.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_runner.hpp"
#include "support/ingested_workspace.hpp"
#include "support/snapshot.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::DataTables;
using testing::HashTree;
using testing::IntegrityCheck;
using testing::Json;
using testing::Loadcast;
using testing::TempDir;
using Result = testing::CliResult;

/// A tmpfs mounted on a folder for the object's lifetime (detached on destruction).
class Tmpfs {
 public:
  Tmpfs(const fs::path& at, const std::string& size) : at_(at) {
    fs::create_directories(at);
    const std::string options = "size=" + size + ",mode=0755";
    if (::mount("tmpfs", at.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~Tmpfs() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  Tmpfs(const Tmpfs&) = delete;
  Tmpfs& operator=(const Tmpfs&) = delete;

  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  bool RemountReadOnly() {
    return ::mount(nullptr, at_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, nullptr) == 0;
  }

 private:
  fs::path at_;
  bool mounted_ = false;
  std::string error_;
};

/// Writes zeros to `path` until the file system is full; returns the bytes written.
std::size_t FillUp(const fs::path& path) {
  std::ofstream out(path, std::ios::binary);
  const std::string block(4096, '\0');
  std::size_t written = 0;
  while (out.write(block.data(), static_cast<std::streamsize>(block.size()))) {
    out.flush();
    if (!out) break;
    written += block.size();
  }
  return written;
}

class StorageFailureTest : public testing::IngestedWorkspaceTest {
 protected:
  /// Mounts a tmpfs on `at` (skipping the test when this process may not mount) and copies the
  /// ingested workspace's `from` (relative to var/) into it.
  void MountAndCopy(std::unique_ptr<Tmpfs>& mount, const fs::path& at, const std::string& from,
                    const std::string& size) {
    mount = std::make_unique<Tmpfs>(at, size);
    if (!mount->mounted()) GTEST_SKIP() << "cannot mount a tmpfs here: " << mount->error();
    CopyIngested(at, from);
  }

  fs::path Database() const { return dir_.path() / "var/loadcast.db"; }
  fs::path Bucket() const { return dir_.path() / "var/bucket"; }

  /// The run failed cleanly: exit 1, the reason on stderr, no temporary object left behind, and
  /// the data objects as they were. (The database is checked once there is room again: with the
  /// disk full, even a reader cannot open it in WAL mode.)
  void ExpectCleanFailure(const Result& r,
                          const std::map<std::string, std::string>& objects_before) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(r.err.find("No space left on device") != std::string::npos ||
                r.err.find("database or disk is full") != std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("loadcast: storage error: "), std::string::npos) << r.err;
    for (const auto& [key, hash] : HashTree(Bucket())) {
      EXPECT_FALSE(fs::path(key).filename().string().starts_with(".")) << "left behind: " << key;
    }
    auto objects = HashTree(Bucket());
    std::erase_if(objects, [](const auto& e) { return e.first.starts_with("models/"); });
    EXPECT_EQ(objects, objects_before) << "the actuals changed";
  }

  TempDir dir_;
};

TEST_F(StorageFailureTest, AFullDiskStopsTheRunCleanlyAndTheNextRunSucceedsOnceThereIsRoom) {
  LOADCAST_SKIP_ON_REMOTE_BACKENDS(
      "fills the disk under var/ (a tmpfs) that holds the SQLite file and the bucket folder; "
      "PostgreSQL and S3 are servers whose disks a test cannot fill");
  std::unique_ptr<Tmpfs> mount;
  MountAndCopy(mount, dir_.path() / "var", "", "16m");
  if (IsSkipped()) return;
  const auto before = HashTree(Bucket());
  const std::size_t filled = FillUp(dir_.path() / "var/filler");
  ASSERT_GT(filled, 0u);

  const Result r = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
  ExpectCleanFailure(r, before);

  fs::remove(dir_.path() / "var/filler");
  EXPECT_EQ(IntegrityCheck(Database()), "ok");
  const Result next = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(IntegrityCheck(Database()), "ok");
}

TEST_F(StorageFailureTest, ADiskThatFillsUpDuringTheRunStopsItCleanly) {
  LOADCAST_SKIP_ON_REMOTE_BACKENDS(
      "leaves 48 KB free on the disk under var/ (a tmpfs) that holds the SQLite file and the "
      "bucket folder; PostgreSQL and S3 are servers whose disks a test cannot fill");
  // Room for the run's first records, not for all it writes: the failure comes midway.
  std::unique_ptr<Tmpfs> mount;
  MountAndCopy(mount, dir_.path() / "var", "", "16m");
  if (IsSkipped()) return;
  const auto before = HashTree(Bucket());
  FillUp(dir_.path() / "var/filler");
  fs::resize_file(dir_.path() / "var/filler",
                  fs::file_size(dir_.path() / "var/filler") - 48 * 1024);

  const Result r = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
  ExpectCleanFailure(r, before);

  fs::remove(dir_.path() / "var/filler");
  EXPECT_EQ(IntegrityCheck(Database()), "ok");
  const Result next = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(IntegrityCheck(Database()), "ok");
}

TEST_F(StorageFailureTest, AReadOnlyVarStopsTheRunWithExit1AndChangesNothing) {
  LOADCAST_SKIP_ON_REMOTE_BACKENDS(
      "remounts var/ read-only under the SQLite file and the bucket folder; on PostgreSQL and "
      "S3 nothing is kept in var/");
  std::unique_ptr<Tmpfs> mount;
  MountAndCopy(mount, dir_.path() / "var", "", "16m");
  if (IsSkipped()) return;
  ASSERT_TRUE(mount->RemountReadOnly()) << std::strerror(errno);
  const auto files = HashTree(dir_.path() / "var");

  const Result r = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("loadcast: storage error: "), std::string::npos) << r.err;
  EXPECT_EQ(HashTree(dir_.path() / "var"), files);
}

TEST_F(StorageFailureTest, AReadOnlyBucketFailsTheRunWithAnAlertNamingTheObject) {
  LOADCAST_SKIP_ON_REMOTE_BACKENDS(
      "remounts the bucket folder read-only; the test S3 server (s3rver) has no read-only "
      "bucket or write-denying policy to stand in for it");
  // The database is writable: the failure is on record, with its alert.
  CopyIngested(dir_.path() / "var");
  fs::remove_all(Bucket());
  std::unique_ptr<Tmpfs> mount;
  MountAndCopy(mount, Bucket(), "bucket", "16m");
  if (IsSkipped()) return;
  ASSERT_TRUE(mount->RemountReadOnly()) << std::strerror(errno);
  const auto objects = HashTree(Bucket());
  const std::string tables = DataTables(Database());

  const Result r = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("Read-only file system"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find((Bucket() / "models").string()), std::string::npos) << r.err;
  EXPECT_EQ(HashTree(Bucket()), objects);
  EXPECT_EQ(DataTables(Database()), tables) << "no registry row without its artifact";
  EXPECT_EQ(IntegrityCheck(Database()), "ok");
  const auto runs = Json(Loadcast(dir_.path(), {"runs", "--json"}));
  EXPECT_EQ(runs[0]["status"], "failed");
  bool alerted = false;
  for (const auto& a : Json(Loadcast(dir_.path(), {"alerts", "--json"}))) {
    alerted |= a["code"] == "run_failed" && a["severity"] == "critical";
  }
  EXPECT_TRUE(alerted);
}

}  // namespace
}  // namespace loadcast
