#include "storage/local_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "support/expect.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::ErrorOf;
using testing::Slurp;
using testing::TempDir;

/// Names in a folder, so tests can see leftover temporary files (which start with a dot).
std::vector<std::string> Entries(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(ReadInputFile, ReadsTheWholeFileByteForByte) {
  TempDir dir;
  // CRLF, a BOM and a NUL byte must come back unchanged: parsing is not this layer's job.
  const std::string bytes =
      std::string("\xEF\xBB\xBF") + "date,load\r\n2021-01-01,1\r\n" + std::string(1, '\0') + "tail";
  const auto file = dir.Write("in.csv", bytes);
  EXPECT_EQ(ReadInputFile(file, 1024), bytes);
}

TEST(ReadInputFile, ReadsAnEmptyFile) {
  TempDir dir;
  const auto file = dir.Write("empty.csv", "");
  EXPECT_EQ(ReadInputFile(file, 1024), "");
}

TEST(ReadInputFile, AcceptsAFileOfExactlyTheLimit) {
  TempDir dir;
  const auto file = dir.Write("limit.csv", std::string(100, 'x'));
  EXPECT_EQ(ReadInputFile(file, 100).size(), 100u);
}

TEST(ReadInputFile, RejectsAMissingFileNamingThePath) {
  TempDir dir;
  const auto file = dir / "nope.csv";
  const std::string message = ErrorOf<DataError>([&] { ReadInputFile(file, 1024); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, file.string(), message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "no such file", message);
}

TEST(ReadInputFile, RejectsADirectoryNamingThePath) {
  TempDir dir;
  std::filesystem::create_directories(dir / "folder");
  const std::string message = ErrorOf<DataError>([&] { ReadInputFile(dir / "folder", 1024); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, (dir / "folder").string(), message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "directory", message);
}

TEST(ReadInputFile, RejectsASymlinkToADirectory) {
  TempDir dir;
  std::filesystem::create_directories(dir / "folder");
  std::filesystem::create_directory_symlink(dir / "folder", dir / "link");
  // The link is followed: what matters is what it points at.
  const std::string message = ErrorOf<DataError>([&] { ReadInputFile(dir / "link", 1024); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, (dir / "link").string(), message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "directory", message);
}

TEST(ReadInputFile, FollowsASymlinkToARegularFile) {
  TempDir dir;
  const auto target = dir.Write("real.csv", "date,load\n");
  std::filesystem::create_symlink(target, dir / "link.csv");
  EXPECT_EQ(ReadInputFile(dir / "link.csv", 1024), "date,load\n");
}

TEST(ReadInputFile, RejectsADanglingSymlinkAsMissing) {
  TempDir dir;
  std::filesystem::create_symlink(dir / "gone.csv", dir / "link.csv");
  const std::string message = ErrorOf<DataError>([&] { ReadInputFile(dir / "link.csv", 1024); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, (dir / "link.csv").string(), message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "no such file", message);
}

TEST(ReadInputFile, RejectsASpecialFile) {
  // /dev/null is a character device: reading it "whole" would be meaningless.
  const std::string message = ErrorOf<DataError>([] { ReadInputFile("/dev/null", 1024); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "/dev/null", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "not a regular file", message);
}

TEST(ReadInputFile, RejectsAFileOverTheLimitNamingPathAndSizes) {
  TempDir dir;
  const auto file = dir.Write("big.csv", std::string(101, 'x'));
  const std::string message = ErrorOf<DataError>([&] { ReadInputFile(file, 100); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, file.string(), message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "101 bytes", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "100 bytes", message);
}

TEST(WriteFileAtomic, CreatesMissingParentFolders) {
  TempDir dir;
  const auto file = dir / "a/b/c/out.csv";
  WriteFileAtomic(file, "hello\n");
  EXPECT_EQ(Slurp(file), "hello\n");
}

TEST(WriteFileAtomic, ReplacesAnExistingFile) {
  TempDir dir;
  const auto file = dir.Write("out.csv", "old contents that are longer than the new ones\n");
  WriteFileAtomic(file, "new\n");
  EXPECT_EQ(Slurp(file), "new\n");
}

TEST(WriteFileAtomic, WritesEmptyAndBinaryContent) {
  TempDir dir;
  WriteFileAtomic(dir / "empty", "");
  EXPECT_EQ(Slurp(dir / "empty"), "");
  const std::string binary("\0\x01\xff\n\r", 5);
  WriteFileAtomic(dir / "binary", binary);
  EXPECT_EQ(Slurp(dir / "binary"), binary);
}

TEST(WriteFileAtomic, LeavesNoTemporaryFilesBehind) {
  TempDir dir;
  const auto folder = dir / "exports";
  for (int i = 0; i < 5; ++i) WriteFileAtomic(folder / "out.csv", std::string(i * 1000, 'x'));
  WriteFileAtomic(folder / "other.csv", "y");
  EXPECT_EQ(Entries(folder), (std::vector<std::string>{"other.csv", "out.csv"}));
}

TEST(WriteFileAtomic, FailsWithStorageErrorWhenTheParentIsAFile) {
  TempDir dir;
  dir.Write("blocker", "a file where a folder should be");
  EXPECT_THROW(WriteFileAtomic(dir / "blocker/out.csv", "x"), StorageError);
}

TEST(WriteFileAtomic, FailureLeavesThePreviousFileIntact) {
  TempDir dir;
  // A directory in the way of the rename: the write must fail without touching what is there.
  std::filesystem::create_directories(dir / "target/inside");
  dir.Write("target/inside/keep.txt", "kept");
  EXPECT_THROW(WriteFileAtomic(dir / "target", "x"), StorageError);
  EXPECT_EQ(Slurp(dir / "target/inside/keep.txt"), "kept");
  EXPECT_EQ(Entries(dir.path()), (std::vector<std::string>{"target"}));
}

/// The message of the UsageError `body` throws; fails when it throws none or another error.
template <typename F>
std::string UsageErrorOf(F&& body) {
  try {
    body();
  } catch (const UsageError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected a UsageError, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected a UsageError";
  return "";
}

TEST(CheckOutputFile, RefusesAPathInsideAKeptFolderHoweverItIsWritten) {
  TempDir dir;
  std::filesystem::create_directories(dir / "var/bucket");
  const std::vector<KeptFolder> kept = {{dir / "var/bucket", "the bucket"}};
  for (const auto& path : {dir / "var/bucket/actuals.csv", dir / "var/./bucket/x",
                           dir / "var/../var/bucket/a/b.csv", dir / "var/bucket"}) {
    const std::string message = UsageErrorOf([&] { CheckOutputFile(path, kept); });
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, path.string(), message);
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "lies inside the bucket", message);
  }
  // Through a symbolic link to the kept folder too.
  std::filesystem::create_directory_symlink(dir / "var/bucket", dir / "alias");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "lies inside the bucket",
                      UsageErrorOf([&] { CheckOutputFile(dir / "alias/x.csv", kept); }));
  // A sibling whose name starts the same is not inside.
  std::filesystem::create_directories(dir / "var/bucket2");
  EXPECT_NO_THROW(CheckOutputFile(dir / "var/bucket2/x.csv", kept));
  EXPECT_NO_THROW(CheckOutputFile(dir / "out.csv", kept));
}

TEST(CheckOutputFile, RefusesWhatIsNotARegularFileAndAMissingFolder) {
  TempDir dir;
  const auto target = dir.Write("target.txt", "kept");
  std::filesystem::create_symlink(target, dir / "link");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "is a symbolic link",
                      UsageErrorOf([&] { CheckOutputFile(dir / "link", {}); }));
  std::filesystem::create_directories(dir / "folder");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "is a folder",
                      UsageErrorOf([&] { CheckOutputFile(dir / "folder", {}); }));
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "is a device",
                      UsageErrorOf([&] { CheckOutputFile("/dev/null", {}); }));
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "does not exist (it is not created)",
                      UsageErrorOf([&] { CheckOutputFile(dir / "missing/f.csv", {}); }));
  EXPECT_FALSE(std::filesystem::exists(dir / "missing"));
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "does not exist",
                      UsageErrorOf([&] { CheckOutputFile(dir / "missing/../f.csv", {}); }));
  // An existing regular file may be replaced.
  EXPECT_NO_THROW(CheckOutputFile(target, {}));
}

TEST(WriteOutputFile, WritesNothingWhereTheCheckRefuses) {
  TempDir dir;
  const auto target = dir.Write("target.txt", "kept");
  std::filesystem::create_symlink(target, dir / "link");
  UsageErrorOf([&] { WriteOutputFile(dir / "link", "new", {}); });
  EXPECT_EQ(Slurp(target), "kept");
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link"));
  WriteOutputFile(dir / "out.csv", "new", {});
  EXPECT_EQ(Slurp(dir / "out.csv"), "new");
}

TEST(CheckOutputFolder, AcceptsAnExistingOrNewFolderButNotAKeptOne) {
  TempDir dir;
  std::filesystem::create_directories(dir / "var/bucket");
  const std::vector<KeptFolder> kept = {{dir / "var", "the database's folder"}};
  EXPECT_NO_THROW(CheckOutputFolder(dir / "gen", kept));
  EXPECT_NO_THROW(CheckOutputFolder(dir.path(), kept));
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "lies inside the database's folder",
                      UsageErrorOf([&] { CheckOutputFolder(dir / "var/bucket/", kept); }));
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "does not exist",
                      UsageErrorOf([&] { CheckOutputFolder(dir / "a/b", kept); }));
}

}  // namespace
}  // namespace loadcast
