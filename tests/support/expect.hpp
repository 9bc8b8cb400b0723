// Assertions the tests share beyond GoogleTest's own.
#pragma once

#include <gtest/gtest.h>

#include <string>

/// Expects `needle` to occur in `haystack`, printing both when it does not.
#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, needle, haystack)

namespace loadcast::testing {

/// The message of the `Error` that `body` throws; a test failure when it throws none.
template <typename Error, typename F>
std::string ErrorOf(F&& body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an error";
  return "";
}

}  // namespace loadcast::testing
