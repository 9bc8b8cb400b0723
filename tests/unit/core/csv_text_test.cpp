#include "core/csv_text.hpp"

#include <gtest/gtest.h>

#include <string>

namespace loadcast {
namespace {

TEST(QuoteValue, QuotesAPlainValueAsItIs) {
  EXPECT_EQ(QuoteValue("2021-13-01"), "'2021-13-01'");
  EXPECT_EQ(QuoteValue(""), "''");
}

TEST(QuoteValue, EscapesControlAndNonAsciiBytes) {
  EXPECT_EQ(QuoteValue("a\tb\r"), "'a\\x09b\\x0d'");
  EXPECT_EQ(QuoteValue("\xEF\xBB\xBF"
                       "date"),
            "'\\xef\\xbb\\xbfdate'");
}

TEST(QuoteValue, CutsALongValue) {
  const std::string kept(kMaxQuotedValue, 'x');
  EXPECT_EQ(QuoteValue(kept), "'" + kept + "'");
  EXPECT_EQ(QuoteValue(kept + "yz"), "'" + kept + "...'");
}

TEST(ToLower, LowersAsciiLettersOnly) { EXPECT_EQ(ToLower("Date,LOAD 1"), "date,load 1"); }

}  // namespace
}  // namespace loadcast
