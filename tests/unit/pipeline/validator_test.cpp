#include "pipeline/validator.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/load_csv.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

// The validator is given "today" so the future-date rule does not depend on the clock.
const Date kToday = Date::FromYmd(2021, 6, 30);

/// A table parsed from rows "date,load" under a header, so row N sits on line N + 1.
LoadTable Table(const std::vector<std::string>& rows) {
  std::string text = "date,load\n";
  for (const std::string& row : rows) text += row + "\n";
  return ParseLoadCsv(text, "in.csv");
}

class ValidatorTest : public ::testing::Test {
 protected:
  /// The DataError message of validating `rows`, or a test failure when they pass.
  std::string Rejection(const std::vector<std::string>& rows) const {
    try {
      validator_.ValidateTable(Table(rows));
    } catch (const DataError& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected DataError";
    return "";
  }
  std::string SeriesRejection(const TimeSeries& series) const {
    try {
      validator_.ValidateSeries(series, "actuals 2015-2021");
    } catch (const DataError& e) {
      return e.what();
    }
    ADD_FAILURE() << "expected DataError";
    return "";
  }

  Config config_ = DefaultConfig("/tmp");
  Validator validator_{config_, kToday};
};

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, needle, haystack)

TEST_F(ValidatorTest, AcceptsValidRows) {
  EXPECT_NO_THROW(validator_.ValidateTable(
      Table({"2021-01-01,700000", "2021-01-02,800000", "2021-01-03,850000.5"})));
}

TEST_F(ValidatorTest, AcceptsASingleRow) {
  EXPECT_NO_THROW(validator_.ValidateTable(Table({"2021-01-01,700000"})));
}

TEST_F(ValidatorTest, AcceptsTheBundledData) {
  // The real series passes every rule with the default thresholds.
  const Validator validator(config_, Date::FromYmd(2026, 1, 1));
  const LoadTable table = ParseLoadCsv(
      [] {
        std::ifstream in(testing::BundledData(), std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
      }(),
      "load.csv");
  EXPECT_NO_THROW(validator.ValidateTable(table));
}

TEST_F(ValidatorTest, RejectsOutOfOrderDates) {
  const std::string message = Rejection({"2021-01-02,700000", "2021-01-01,700000"});
  EXPECT_CONTAINS(message, "in.csv:3:");
  EXPECT_CONTAINS(message, "2021-01-01 is out of order (after 2021-01-02 on line 2)");
}

TEST_F(ValidatorTest, RejectsDuplicateDates) {
  const std::string message =
      Rejection({"2021-01-01,700000", "2021-01-02,700000", "2021-01-02,710000"});
  EXPECT_CONTAINS(message, "in.csv:4:");
  EXPECT_CONTAINS(message, "duplicate date 2021-01-02 (first on line 3)");
}

TEST_F(ValidatorTest, RejectsAGapCountingTheMissingDays) {
  const std::string message = Rejection({"2021-01-01,700000", "2021-01-05,700000"});
  EXPECT_CONTAINS(message, "in.csv:3:");
  EXPECT_CONTAINS(message, "gap: 2021-01-05 follows 2021-01-01 on line 2 (3 days missing)");
}

TEST_F(ValidatorTest, RejectsFutureDates) {
  const std::string message = Rejection({"2021-06-30,700000", "2021-07-01,700000"});
  EXPECT_CONTAINS(message, "in.csv:3:");
  EXPECT_CONTAINS(message, "date 2021-07-01 is in the future (today is 2021-06-30)");
  // Today itself is not the future.
  EXPECT_EQ(message.find("in.csv:2:"), std::string::npos) << message;
}

TEST_F(ValidatorTest, RejectsNonPositiveLoads) {
  EXPECT_CONTAINS(Rejection({"2021-01-01,0"}), "in.csv:2: load 0 on 2021-01-01 is not positive");
  EXPECT_CONTAINS(Rejection({"2021-01-01,700000", "2021-01-02,-5"}),
                  "in.csv:3: load -5 on 2021-01-02 is not positive");
}

TEST_F(ValidatorTest, RejectsLoadsBelowTheMinimum) {
  // Default minimum: 200000 MWh/day.
  const std::string message = Rejection({"2021-01-01,199999"});
  EXPECT_CONTAINS(message, "in.csv:2:");
  EXPECT_CONTAINS(message, "load 199999 on 2021-01-01 is implausible");
}

TEST_F(ValidatorTest, RejectsLoadsAboveTheMaximum) {
  // Default maximum: 1500000 MWh/day.
  const std::string message = Rejection({"2021-01-01,1500001"});
  EXPECT_CONTAINS(message, "in.csv:2:");
  EXPECT_CONTAINS(message, "load 1500001 on 2021-01-01 is implausible");
}

TEST_F(ValidatorTest, AcceptsLoadsOnTheBounds) {
  EXPECT_NO_THROW(validator_.ValidateTable(Table({"2021-01-01,200000"})));
  EXPECT_NO_THROW(validator_.ValidateTable(Table({"2021-01-01,1500000"})));
}

TEST_F(ValidatorTest, RejectsADailyJumpBeyondTheLimit) {
  // Default limit: 70%. 800000 -> 1400000 is +75%.
  const std::string message = Rejection({"2021-01-01,800000", "2021-01-02,1400000"});
  EXPECT_CONTAINS(message, "in.csv:3:");
  EXPECT_CONTAINS(message, "load 1400000 on 2021-01-02 changes by 75% from the day before");
}

TEST_F(ValidatorTest, RejectsADailyDropBeyondTheLimit) {
  const std::string message = Rejection({"2021-01-01,1000000", "2021-01-02,250000"});
  EXPECT_CONTAINS(message, "in.csv:3:");
  EXPECT_CONTAINS(message, "load 250000 on 2021-01-02 changes by -75%");
}

TEST_F(ValidatorTest, AcceptsAJumpWithinTheLimit) {
  EXPECT_NO_THROW(validator_.ValidateTable(Table({"2021-01-01,800000", "2021-01-02,1300000"})));
}

TEST_F(ValidatorTest, ThresholdsComeFromTheConfig) {
  Config strict = DefaultConfig("/tmp");
  strict.min_load = 750000;
  strict.max_daily_jump = 0.05;
  const Validator validator(strict, kToday);
  EXPECT_THROW(validator.ValidateTable(Table({"2021-01-01,700000"})), DataError);
  EXPECT_THROW(validator.ValidateTable(Table({"2021-01-01,800000", "2021-01-02,900000"})),
               DataError);
}

TEST_F(ValidatorTest, ReportsEveryProblemNotJustTheFirst) {
  const std::string message =
      Rejection({"2021-01-01,700000", "2021-01-01,700000", "2021-01-03,100"});
  EXPECT_CONTAINS(message, "in.csv:3: duplicate date");
  EXPECT_CONTAINS(message, "in.csv:4: load 100 on 2021-01-03 is implausible");
  EXPECT_CONTAINS(message, "in.csv:4: gap");
}

TEST_F(ValidatorTest, CapsTheNumberOfReportedProblems) {
  std::vector<std::string> rows;
  for (int d = 1; d <= 25; ++d) rows.push_back(Date::FromYmd(2021, 1, d).ToIso() + ",1");
  const std::string message = Rejection(rows);
  EXPECT_CONTAINS(message, "in.csv:21:");
  EXPECT_EQ(message.find("in.csv:22:"), std::string::npos) << message;
  EXPECT_CONTAINS(message, "in.csv: ... and 5 more problems");
}

TEST_F(ValidatorTest, RejectionIsADataRejectedExitCode) {
  try {
    validator_.ValidateTable(Table({"2021-01-01,0"}));
    FAIL() << "expected DataError";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::kDataRejected);
  }
}

TEST_F(ValidatorTest, SeriesWithoutGapsPasses) {
  TimeSeries series(Date::FromYmd(2021, 1, 1), {700000, 710000, 720000});
  EXPECT_NO_THROW(validator_.ValidateSeries(series, "actuals"));
  EXPECT_NO_THROW(validator_.ValidateSeries(TimeSeries(), "actuals"));
}

TEST_F(ValidatorTest, SeriesReportsGapsWithTheirDates) {
  TimeSeries series;
  series.set(Date::FromYmd(2021, 1, 1), 700000);
  series.set(Date::FromYmd(2021, 1, 5), 700000);
  series.set(Date::FromYmd(2021, 1, 8), 700000);
  const std::string message = SeriesRejection(series);
  EXPECT_CONTAINS(message, "actuals 2015-2021: gap: no data from 2021-01-02 to 2021-01-04");
  EXPECT_CONTAINS(message, "actuals 2015-2021: gap: no data from 2021-01-06 to 2021-01-07");
}

TEST_F(ValidatorTest, SeriesTrailingUnknownDaysAreNotAGap) {
  // A series may end with unknown days (a target year not yet observed); only holes count.
  TimeSeries series(Date::FromYmd(2021, 1, 1), {700000, 710000, kMissing, kMissing});
  EXPECT_NO_THROW(validator_.ValidateSeries(series, "actuals"));
}

TEST_F(ValidatorTest, SeriesReportsImplausibleLoads) {
  TimeSeries series(Date::FromYmd(2021, 1, 1), {700000, -3, 2000000});
  const std::string message = SeriesRejection(series);
  EXPECT_CONTAINS(message, "actuals 2015-2021: load -3 on 2021-01-02 is implausible");
  EXPECT_CONTAINS(message, "load 2000000 on 2021-01-03 is implausible");
}

}  // namespace
}  // namespace loadcast
