// Assertions the tests share beyond GoogleTest's own.
#pragma once

#include <gtest/gtest.h>

/// Expects `needle` to occur in `haystack`, printing both when it does not.
#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, needle, haystack)
