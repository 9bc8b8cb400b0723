#include "core/series_csv.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/errors.hpp"

namespace loadcast {
namespace {

Date D(const char* iso) { return Date::ParseIso(iso).value(); }

ParsedSeriesCsv Read(const std::string& text) {
  return ReadSeriesCsv(text, "in.csv", SeriesCsvRules{.max_daily_jump = 0.7});
}

/// The rule of each finding, in order.
std::vector<std::string> Rules(const ParsedSeriesCsv& parsed) {
  std::vector<std::string> rules;
  for (const Finding& f : parsed.findings) rules.push_back(f.rule);
  return rules;
}

TEST(SeriesCsvTest, ReadsEachSeriesAsConsecutiveDays) {
  const ParsedSeriesCsv parsed = Read(
      "date,series,load\n2021-01-01,north,10\n2021-01-02,north,11\n2021-01-01,south,5.5\n"
      "2021-01-02,south,6e0\n2021-01-03,north,12\n");
  ASSERT_EQ(parsed.problems, 0u) << parsed.findings.front().problem;
  const SeriesTable& t = parsed.table;
  ASSERT_EQ(t.names, (std::vector<std::string>{"north", "south"}));
  EXPECT_EQ(t.rows, 5u);
  EXPECT_EQ(t.loads[0].start(), D("2021-01-01"));
  EXPECT_EQ(t.loads[0].values(), (std::vector<double>{10, 11, 12}));
  EXPECT_EQ(t.loads[1].values(), (std::vector<double>{5.5, 6}));
}

TEST(SeriesCsvTest, AcceptsColumnsInAnyOrderCaseQuotesBomAndCrlf) {
  const ParsedSeriesCsv parsed = Read(
      "\xEF\xBB\xBFLoad, Series ,DATE\r\n\"7\",\"a-1.x\",2020-02-29\r\n8 ,a-1.x, 2020-03-01\r\n");
  ASSERT_EQ(parsed.problems, 0u) << parsed.findings.front().problem;
  EXPECT_EQ(parsed.table.names.front(), "a-1.x");
  EXPECT_EQ(parsed.table.loads.front().values(), (std::vector<double>{7, 8}));
}

TEST(SeriesCsvTest, NamesTheLineAndRuleOfEachProblem) {
  const ParsedSeriesCsv parsed = Read(
      "date,series,load\n"
      "2021-01-01,a,10\n"
      "2021-01-02,a\n"       // 3: columns
      "2021-13-01,a,10\n"    // 4: date_format
      "2021-01-02,a b,10\n"  // 5: series_name
      "2021-01-02,a,\n"      // 6: missing_value
      "2021-01-02,a,ten\n"   // 7: not_a_number
      "2021-01-02,a,-1\n"    // 8: load_range
      "2021-01-02,a,11\n"    // 9: fine
      "2021-01-02,a,11\n"    // 10: duplicate_date
      "2021-01-05,a,11\n"    // 11: missing_day
      "2021-01-06,a,30\n"    // 12: daily_jump
      "2020-12-31,a,11\n");  // 13: date_order
  EXPECT_EQ(Rules(parsed),
            (std::vector<std::string>{"columns", "date_format", "series_name", "missing_value",
                                      "not_a_number", "load_range", "duplicate_date", "missing_day",
                                      "daily_jump", "date_order"}));
  std::vector<int> lines;
  for (const Finding& f : parsed.findings) lines.push_back(f.line);
  EXPECT_EQ(lines, (std::vector<int>{3, 4, 5, 6, 7, 8, 10, 11, 12, 13}));
  EXPECT_NE(parsed.findings[7].problem.find("series a: 2 day(s) missing, from 2021-01-03 to "
                                            "2021-01-04"),
            std::string::npos)
      << parsed.findings[7].problem;
}

TEST(SeriesCsvTest, AppliesTheDateAndLoadBoundsOfTheRules) {
  const SeriesCsvRules rules{
      .max_load = 1e8, .earliest = D("1990-01-01"), .latest = D("2022-06-30")};
  const ParsedSeriesCsv parsed = ReadSeriesCsv(
      "date,series,load\n"
      "1900-01-01,a,10\n"     // 2: early_date
      "2100-01-01,a,10\n"     // 3: future_date
      "2021-01-01,a,5e300\n"  // 4: load_range
      "2021-01-01,a,1e8\n",   // 5: on the bound
      "in.csv", rules);
  EXPECT_EQ(Rules(parsed), (std::vector<std::string>{"early_date", "future_date", "load_range"}));
  EXPECT_EQ(parsed.table.rows, 1u);
  // Without rules, only the format is checked: a stored object is read as it is.
  EXPECT_EQ(
      ReadSeriesCsv("date,series,load\n2021-01-01,a,10\n2021-01-02,a,1000\n", "s", {}).problems,
      0u);
}

TEST(SeriesCsvTest, KeepsTheLinesOfEachSeriesFirstAndLastRows) {
  const ParsedSeriesCsv parsed = Read(
      "date,series,load\n2021-01-01,a,10\n2021-01-01,b,7\n2021-01-02,a,11\n"
      "2021-01-03,a,12\n");
  ASSERT_EQ(parsed.table.lines.size(), 2u);
  EXPECT_EQ(parsed.table.lines[0].first, 2);
  EXPECT_EQ(parsed.table.lines[0].last, 5);
  EXPECT_EQ(parsed.table.lines[1].first, 3);
  EXPECT_EQ(parsed.table.lines[1].last, 3);
}

TEST(SeriesCsvTest, RejectsAWrongHeaderEmptyAndBinaryFiles) {
  EXPECT_EQ(Rules(Read("date,load\n2021-01-01,5\n")), (std::vector<std::string>{"columns"}));
  EXPECT_EQ(Rules(Read("")), (std::vector<std::string>{"file_format"}));
  EXPECT_EQ(Rules(Read("date,series,load\n")), (std::vector<std::string>{"file_format"}));
  EXPECT_EQ(Rules(Read(std::string("date,series,load\n\0", 18))),
            (std::vector<std::string>{"file_format"}));
}

TEST(SeriesCsvTest, KeepsTwentyFindingsAndCountsTheRest) {
  std::string text = "date,series,load\n";
  for (int i = 0; i < 50; ++i) text += "bad,a,1\n";
  const ParsedSeriesCsv parsed = Read(text);
  EXPECT_EQ(parsed.problems, 50u);
  EXPECT_EQ(parsed.findings.size(), 20u);
  try {
    ParseSeriesCsv(text, "in.csv", {});
    FAIL() << "accepted";
  } catch (const DataError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("in.csv:2: the date 'bad'"), std::string::npos) << message;
    EXPECT_NE(message.find("and 30 more problems"), std::string::npos) << message;
  }
}

TEST(SeriesCsvTest, FormatsCanonicallyAndReadsBackTheSame) {
  const std::vector<std::string> names = {"zeta", "alpha"};
  const std::vector<TimeSeries> loads = {TimeSeries(D("2021-12-31"), {1.25, 2.0}),
                                         TimeSeries(D("2021-01-01"), {1e6 / 3.0})};
  const std::string text = FormatSeriesCsv(names, loads);
  EXPECT_EQ(text.substr(0, 56), "date,series,load\n2021-01-01,alpha,333333.3333333333\n2021")
      << text;
  const SeriesTable back = ParseSeriesCsv(text, "x", {});
  ASSERT_EQ(back.names, (std::vector<std::string>{"alpha", "zeta"}));
  EXPECT_EQ(back.loads[0].values(), loads[1].values());
  EXPECT_EQ(back.loads[1].values(), loads[0].values());
  EXPECT_EQ(FormatSeriesCsv(back.names, back.loads), text);
}

TEST(SeriesCsvTest, SeriesNames) {
  EXPECT_TRUE(IsValidSeriesName("zone_NORD-1.a"));
  EXPECT_FALSE(IsValidSeriesName(""));
  EXPECT_FALSE(IsValidSeriesName(".hidden"));
  EXPECT_FALSE(IsValidSeriesName("a/b"));
  EXPECT_FALSE(IsValidSeriesName(std::string(65, 'a')));
}

}  // namespace
}  // namespace loadcast
