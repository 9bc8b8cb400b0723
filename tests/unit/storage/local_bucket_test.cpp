#include "storage/local_bucket.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::Slurp;
using testing::TempDir;
using Keys = std::vector<std::string>;

class LocalBucketTest : public ::testing::Test {
 protected:
  TempDir dir_;
  std::filesystem::path root_ = dir_ / "bucket";
  LocalBucket bucket_{root_};
};

TEST_F(LocalBucketTest, PutThenGetReturnsTheSameBytes) {
  const std::string bytes("date,load\n2021-01-01,1\n\0binary", 31);
  bucket_.Put("actuals/2021.csv", bytes);
  EXPECT_EQ(bucket_.Get("actuals/2021.csv"), bytes);
}

TEST_F(LocalBucketTest, PutStoresEachKeyAsAFileUnderTheRoot) {
  bucket_.Put("models/year/abc/model.json", "{}");
  EXPECT_EQ(Slurp(root_ / "models/year/abc/model.json"), "{}");
}

TEST_F(LocalBucketTest, GetOfAMissingObjectIsNullopt) {
  EXPECT_EQ(bucket_.Get("actuals/1999.csv"), std::nullopt);
  // Also before the root folder exists at all.
  EXPECT_FALSE(std::filesystem::exists(root_));
}

TEST_F(LocalBucketTest, PutReplacesObjectAtomically) {
  bucket_.Put("actuals/2021.csv", "old bytes, longer than the new ones");
  bucket_.Put("actuals/2021.csv", "new");
  EXPECT_EQ(bucket_.Get("actuals/2021.csv"), "new");
  // The replacement went through a temporary file that must not survive.
  EXPECT_EQ(bucket_.List(""), Keys{"actuals/2021.csv"});
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root_)) {
    files += entry.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(files, 1u);
}

TEST_F(LocalBucketTest, ListOfAMissingRootIsEmpty) { EXPECT_TRUE(bucket_.List("").empty()); }

TEST_F(LocalBucketTest, ListIsSortedAndRecursive) {
  bucket_.Put("b/2.csv", "x");
  bucket_.Put("a/9.csv", "x");
  bucket_.Put("a/10.csv", "x");
  bucket_.Put("c", "x");
  bucket_.Put("a/deep/er/z.json", "x");
  EXPECT_EQ(bucket_.List(""), (Keys{"a/10.csv", "a/9.csv", "a/deep/er/z.json", "b/2.csv", "c"}));
}

TEST_F(LocalBucketTest, ListFiltersByPrefix) {
  bucket_.Put("actuals/2020.csv", "x");
  bucket_.Put("actuals/2021.csv", "x");
  bucket_.Put("models/year/v/model.json", "x");
  bucket_.Put("actualsish.csv", "x");
  EXPECT_EQ(bucket_.List("actuals/"), (Keys{"actuals/2020.csv", "actuals/2021.csv"}));
  EXPECT_EQ(bucket_.List("actuals/2021"), Keys{"actuals/2021.csv"});
  EXPECT_EQ(bucket_.List("models/"), Keys{"models/year/v/model.json"});
  EXPECT_TRUE(bucket_.List("nothing/").empty());
}

TEST_F(LocalBucketTest, ListIgnoresDotTemporaryFiles) {
  bucket_.Put("actuals/2021.csv", "x");
  // What an interrupted write leaves behind: a dot-file beside the object.
  std::ofstream(root_ / "actuals/.2022.csv.tmp-123-abc") << "partial";
  EXPECT_EQ(bucket_.List("actuals/"), Keys{"actuals/2021.csv"});
}

TEST_F(LocalBucketTest, SweepRemovesOldTemporaryFilesOfGoneWritersOnly) {
  bucket_.Put("actuals/2021.csv", "x");
  const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(1);
  // A writer that is gone (no process can have this pid), an hour ago: removed.
  const auto stale = root_ / "actuals/.2022.csv.tmp-999999999-abc";
  // This very process, a live writer: kept however old.
  const auto live = root_ / ("actuals/.2023.csv.tmp-" + std::to_string(::getpid()) + "-abc");
  // A gone writer's file just written: kept (a write of another machine sharing the folder).
  const auto recent = root_ / "actuals/.2024.csv.tmp-999999998-abc";
  // A dot-file that is not a temporary file: kept.
  const auto other = root_ / "actuals/.notes";
  for (const auto& file : {stale, live, recent, other}) std::ofstream(file) << "partial";
  for (const auto& file : {stale, live, other}) std::filesystem::last_write_time(file, old);
  EXPECT_EQ(bucket_.SweepTemporaryFiles(), 1u);
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(live));
  EXPECT_TRUE(std::filesystem::exists(recent));
  EXPECT_TRUE(std::filesystem::exists(other));
  EXPECT_EQ(bucket_.Get("actuals/2021.csv"), "x");
}

TEST_F(LocalBucketTest, OpeningTheBucketSweepsTemporaryFilesOfKilledWrites) {
  const auto stale = root_ / "actuals/.2022.csv.tmp-999999999-abc";
  std::filesystem::create_directories(stale.parent_path());
  std::ofstream(stale) << "partial";
  std::filesystem::last_write_time(
      stale, std::filesystem::file_time_type::clock::now() - std::chrono::hours(1));
  LocalBucket reopened(root_);
  EXPECT_FALSE(std::filesystem::exists(stale));
}

TEST_F(LocalBucketTest, ListIgnoresEmptyFolders) {
  bucket_.Put("a/x", "1");
  std::filesystem::create_directories(root_ / "empty/inner");
  EXPECT_EQ(bucket_.List(""), Keys{"a/x"});
}

TEST_F(LocalBucketTest, RemoveDeletesTheObject) {
  bucket_.Put("a/x", "1");
  bucket_.Put("a/y", "2");
  bucket_.Remove("a/x");
  EXPECT_EQ(bucket_.Get("a/x"), std::nullopt);
  EXPECT_EQ(bucket_.List(""), Keys{"a/y"});
}

TEST_F(LocalBucketTest, RemoveOfAMissingObjectIsNotAnError) {
  // Removal is idempotent, as in S3.
  EXPECT_NO_THROW(bucket_.Remove("never/there"));
}

TEST_F(LocalBucketTest, LocateIsThePathUnderTheRoot) {
  EXPECT_EQ(bucket_.Locate("actuals/2021.csv"), (root_ / "actuals/2021.csv").string());
}

TEST_F(LocalBucketTest, KeysThatWouldEscapeTheRootAreRejected) {
  // Everything a key can do must stay under the root: reading, writing, removing, locating.
  for (const std::string key : {"../outside", "a/../../outside", "a/..", "/etc/passwd", ""}) {
    SCOPED_TRACE("key '" + key + "'");
    EXPECT_THROW(bucket_.Get(key), StorageError);
    EXPECT_THROW(bucket_.Put(key, "x"), StorageError);
    EXPECT_THROW(bucket_.Remove(key), StorageError);
    EXPECT_THROW(bucket_.Locate(key), StorageError);
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "outside"));
}

TEST_F(LocalBucketTest, KeyWithANulByteIsRejected) {
  EXPECT_THROW(bucket_.Put(std::string("a\0b", 3), "x"), StorageError);
}

TEST_F(LocalBucketTest, RejectedKeyErrorNamesTheKey) {
  try {
    bucket_.Get("../secret");
    FAIL() << "expected StorageError";
  } catch (const StorageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "'../secret'", std::string(e.what()));
  }
}

TEST_F(LocalBucketTest, GetOfAKeyNamingAFolderIsAStorageError) {
  // "a" is a folder holding "a/x", not an object: neither missing nor readable.
  bucket_.Put("a/x", "1");
  EXPECT_THROW(bucket_.Get("a"), StorageError);
  EXPECT_THROW(bucket_.Get("a/"), StorageError);
  EXPECT_EQ(bucket_.Get("a/x"), "1");
}

TEST_F(LocalBucketTest, GetOfAnEmptyObjectIsTheEmptyString) {
  bucket_.Put("empty.csv", "");
  const std::optional<std::string> bytes = bucket_.Get("empty.csv");
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(*bytes, "");
  // Also an empty file written by something other than Put.
  std::filesystem::create_directories(root_ / "other");
  std::ofstream(root_ / "other/empty.json").close();
  const std::optional<std::string> other = bucket_.Get("other/empty.json");
  ASSERT_TRUE(other.has_value());
  EXPECT_EQ(*other, "");
}

}  // namespace
}  // namespace loadcast
