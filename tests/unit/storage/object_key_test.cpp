#include "storage/object_key.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"

namespace loadcast {
namespace {

std::string ProblemWith(const std::string& key) {
  try {
    CheckObjectKey(key);
  } catch (const StorageError& e) {
    return e.what();
  }
  return "";
}

TEST(ObjectKeyTest, KeysTheProjectWritesAreValid) {
  for (const std::string key :
       {"actuals/2021.csv", "models/year/0123456789abcdef/model.json",
        "quarantine/20261127T033000Z-load..2022.csv", "a..b/c...d", ".hidden", "x"}) {
    EXPECT_NO_THROW(CheckObjectKey(key)) << key;
  }
}

TEST(ObjectKeyTest, KeysThatCouldNameSomethingOutsideTheBucketAreRejected) {
  const std::pair<std::string, std::string> cases[] = {
      {"../outside", "'.' or '..' path segment"},
      {"a/../../outside", "'.' or '..' path segment"},
      {"a/..", "'.' or '..' path segment"},
      {"..", "'.' or '..' path segment"},
      {"./a", "'.' or '..' path segment"},
      {"a/./b", "'.' or '..' path segment"},
      {"/etc/passwd", "it is absolute"},
      {"a//b", "empty path segment"},
      {"a/", "empty path segment"},
      {"", "it is empty"},
      {"..\\..\\windows", "backslash"},
      {std::string("a\0/../b", 7), "control byte"},
      {"a\nb", "control byte"},
      {std::string(1025, 'k'), "longer than 1024 bytes"},
  };
  for (const auto& [key, problem] : cases) {
    const std::string message = ProblemWith(key);
    EXPECT_NE(message.find(problem), std::string::npos) << "key '" << key << "': " << message;
  }
}

TEST(ObjectKeyTest, MessageShowsTheKeyWithControlBytesEscapedAndShortened) {
  EXPECT_NE(ProblemWith("a\x01/../b").find("'a\\x01/../b'"), std::string::npos);
  const std::string long_key(2000, 'k');
  const std::string message = ProblemWith(long_key);
  EXPECT_NE(message.find(std::string(80, 'k') + "...'"), std::string::npos);
  EXPECT_LT(message.size(), 200u);
}

TEST(ObjectKeyTest, TheLongestKeyIsAccepted) {
  EXPECT_NO_THROW(CheckObjectKey(std::string(kMaxObjectKeyBytes, 'k')));
}

}  // namespace
}  // namespace loadcast
