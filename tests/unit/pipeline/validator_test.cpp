#include "pipeline/validator.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/load_csv.hpp"
#include "support/expect.hpp"
#include "support/records.hpp"
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

// --- The suite, rule by rule ---

/// The findings of the row rules on `rows` of a file named `source`, with stored `history`.
std::vector<Finding> Check(const std::vector<std::string>& rows,
                           const std::string& source = "in.csv", const TimeSeries& history = {}) {
  std::string text = "date,load\n";
  for (const std::string& row : rows) text += row + "\n";
  const Validator validator(DefaultConfig("/tmp"), kToday);
  return validator.CheckFile(text, source, history).findings;
}

/// The findings of one rule.
std::vector<Finding> Of(const std::vector<Finding>& findings, const std::string& rule) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.rule == rule) out.push_back(f);
  }
  return out;
}

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

TEST(ValidationSuite, DeclaresEveryRuleOnceWithItsSeverityDescriptionAndAction) {
  const std::vector<std::string> expected = {
      "file_format",         "columns",        "semicolon_separator", "decimal_comma",
      "thousands_separator", "date_format",    "missing_value",       "not_a_number",
      "date_order",          "duplicate_date", "file_conflict",       "gap",
      "file_year",           "early_date",     "future_date",         "positive_load",
      "plausible_load",      "daily_jump",     "unusual_jump",        "monthly_envelope"};
  std::vector<std::string> names;
  for (const ValidationRule& rule : ValidationSuite()) {
    names.push_back(std::string(rule.name));
    EXPECT_FALSE(rule.description.empty()) << rule.name;
    EXPECT_FALSE(rule.action.empty()) << rule.name;
    // Parse rules are the parser's, rules across files the ingest plan's; row rules have their
    // check.
    EXPECT_EQ(rule.stage == "parse" || rule.stage == "files", rule.check == nullptr) << rule.name;
    EXPECT_EQ(rule.threshold_key.empty(), rule.threshold == nullptr) << rule.name;
    const bool warning = rule.name == "unusual_jump" || rule.name == "monthly_envelope";
    EXPECT_EQ(rule.severity, warning ? Severity::kWarning : Severity::kError) << rule.name;
  }
  EXPECT_EQ(names, expected);
  EXPECT_EQ(FindValidationRule("gap").name, "gap");
}

TEST(ValidationSuite, ReferenceListsEveryRuleWithItsConfiguredThreshold) {
  Config config = DefaultConfig("/tmp");
  const std::string reference = ValidationRulesReference(config);
  EXPECT_EQ(reference.rfind("| rule | severity | threshold | requires | what to do |\n", 0), 0u);
  for (const ValidationRule& rule : ValidationSuite()) {
    EXPECT_CONTAINS(reference, "| `" + std::string(rule.name) + "` | " +
                                   std::string(SeverityName(rule.severity)) + " |");
  }
  EXPECT_CONTAINS(reference, "| `daily_jump` | error | `validation.max_daily_jump` = 0.7 |");
  EXPECT_CONTAINS(reference, "| `unusual_jump` | warning | `validation.warn_daily_jump` = 0.5 |");
  EXPECT_CONTAINS(reference,
                  "`validation.min_load`, `validation.max_load` = [200000, 1500000] MWh");
  config.max_daily_jump = 0.9;
  EXPECT_EQ(RuleThreshold(FindValidationRule("daily_jump"), config), "0.9");
  EXPECT_EQ(RuleThreshold(FindValidationRule("duplicate_date"), config), "");
}

TEST(ValidationSuite, DocsListTheRulesAsValidateRulesPrintsThem) {
  std::ifstream in(std::filesystem::path(LOADCAST_SOURCE_DIR) / "docs/operations.md");
  std::ostringstream docs;
  docs << in.rdbuf();
  EXPECT_NE(docs.str().find(ValidationRulesReference(DefaultConfig("/tmp"))), std::string::npos)
      << "docs/operations.md is out of date: paste the table of 'loadcast validate --rules'";
}

TEST(ValidationSuite, TheBundledDataRaisesNoFindingNotEvenAWarning) {
  std::ifstream in(testing::BundledData(), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  const Validator validator(DefaultConfig("/tmp"), D(2026, 1, 1));
  const ParsedLoadCsv first = validator.CheckFile(text.str(), "load.csv");
  EXPECT_TRUE(first.findings.empty()) << FormatFinding(first.findings.front());
  // Ingested again over itself: every load lies within its month's stored range.
  TimeSeries stored;
  for (const LoadRow& row : first.table.rows) stored.set(row.date, row.load);
  const ParsedLoadCsv again = validator.CheckFile(text.str(), "load.csv", stored);
  EXPECT_TRUE(again.findings.empty()) << FormatFinding(again.findings.front());
}

TEST(ValidationSuite, ParseFindingsComeAloneAndAreErrors) {
  // The decimal comma leaves line 3 unparsed: no gap is reported for the day it would have held.
  const auto findings = Check({"2021-01-01,700000", "2021-01-02,700000,5", "2021-01-03,700000"});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule, "decimal_comma");
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_EQ(findings[0].line, 3);
}

TEST(ValidationRule, DateOrder) {
  const auto f = Of(Check({"2021-01-02,700000", "2021-01-01,700000"}), "date_order");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 3);
  EXPECT_EQ(f[0].first_date, D(2021, 1, 1));
  EXPECT_CONTAINS(f[0].problem, "2021-01-01 is out of order (after 2021-01-02 on line 2)");
}

TEST(ValidationRule, DuplicateDateEvenWhenNotAdjacent) {
  const auto f =
      Of(Check({"2021-01-01,700000", "2021-01-02,700000", "2021-01-01,710000"}), "duplicate_date");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 4);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].problem, "duplicate date 2021-01-01 (first on line 2)");
}

TEST(ValidationRule, GapNamesTheMissingDays) {
  const auto f = Of(Check({"2021-01-01,700000", "2021-01-05,700000"}), "gap");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].first_date, D(2021, 1, 2));
  EXPECT_EQ(f[0].last_date, D(2021, 1, 4));
  EXPECT_EQ(f[0].value, 3.0);
}

TEST(ValidationRule, FileYearAppliesWhenTheNameSaysTheYear) {
  const std::vector<std::string> rows = {"2021-12-31,700000", "2022-01-01,700000"};
  const auto f = Of(Check(rows, "/data/2021.csv"), "file_year");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 3);
  EXPECT_EQ(f[0].problem, "date 2022-01-01 is outside 2021, the year the file name says");
  EXPECT_EQ(f[0].first_date, D(2022, 1, 1));
  EXPECT_TRUE(Of(Check(rows, "/data/load-2022.csv"), "file_year").size() == 1u);
  EXPECT_TRUE(Of(Check(rows, "/data/2021-2022.csv"), "file_year").size() == 1u);
  EXPECT_TRUE(Of(Check(rows, "/data/extract.csv"), "file_year").empty());
}

TEST(YearInFileName, ReadsAYearClosingTheName) {
  EXPECT_EQ(YearInFileName("2021.csv"), 2021);
  EXPECT_EQ(YearInFileName("/var/in/2021.csv"), 2021);
  EXPECT_EQ(YearInFileName("load-2021.csv"), 2021);
  EXPECT_EQ(YearInFileName("load_2021.CSV"), 2021);
  EXPECT_EQ(YearInFileName("2021"), 2021);
  EXPECT_EQ(YearInFileName("load.csv"), std::nullopt);
  EXPECT_EQ(YearInFileName("20210101.csv"), std::nullopt);  // a date, not a year
  EXPECT_EQ(YearInFileName("v12021.csv"), std::nullopt);
  EXPECT_EQ(YearInFileName("batch-0001.csv"), std::nullopt);  // not a plausible year
  EXPECT_EQ(YearInFileName("2021/load.csv"), std::nullopt);   // a folder does not count
}

TEST(ValidationRule, EarlyDate) {
  const auto f = Of(Check({"1989-12-31,700000", "1990-01-01,700000"}), "early_date");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 2);
  EXPECT_EQ(f[0].problem, "date 1989-12-31 is before 1990-01-01 (validation.earliest_year)");
}

TEST(ValidationRule, FutureDate) {
  const auto f = Of(Check({"2021-06-30,700000", "2021-07-01,700000"}), "future_date");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 3);
}

TEST(ValidationRule, PositiveLoadCarriesTheValue) {
  const auto f = Of(Check({"2021-01-01,-5"}), "positive_load");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].value, -5.0);
  EXPECT_EQ(f[0].threshold, 0.0);
  // A non-positive load is not also reported as implausible.
  EXPECT_TRUE(Of(Check({"2021-01-01,-5"}), "plausible_load").empty());
}

TEST(ValidationRule, PlausibleLoadCarriesTheCrossedBound) {
  const auto low = Of(Check({"2021-01-01,150000"}), "plausible_load");
  ASSERT_EQ(low.size(), 1u);
  EXPECT_EQ(low[0].value, 150000.0);
  EXPECT_EQ(low[0].threshold, 200000.0);
  const auto high = Of(Check({"2021-01-01,1600000"}), "plausible_load");
  ASSERT_EQ(high.size(), 1u);
  EXPECT_EQ(high[0].threshold, 1500000.0);
}

TEST(ValidationRule, DailyJumpIsAnErrorAndUnusualJumpAWarning) {
  // +75%: an error only; +56%: a warning only; +25%: nothing.
  const auto error = Check({"2021-01-01,800000", "2021-01-02,1400000"});
  ASSERT_EQ(Of(error, "daily_jump").size(), 1u);
  EXPECT_TRUE(Of(error, "unusual_jump").empty());
  EXPECT_NEAR(*Of(error, "daily_jump")[0].value, 0.75, 1e-12);
  EXPECT_EQ(Of(error, "daily_jump")[0].threshold, 0.7);
  EXPECT_EQ(Of(error, "daily_jump")[0].first_date, D(2021, 1, 1));
  EXPECT_EQ(Of(error, "daily_jump")[0].last_date, D(2021, 1, 2));

  const auto warning = Check({"2021-01-01,800000", "2021-01-02,1250000"});
  ASSERT_EQ(warning.size(), 1u);
  EXPECT_EQ(warning[0].rule, "unusual_jump");
  EXPECT_EQ(warning[0].severity, Severity::kWarning);
  EXPECT_EQ(warning[0].line, 3);
  EXPECT_EQ(warning[0].threshold, 0.5);
  EXPECT_CONTAINS(warning[0].problem,
                  "load 1250000 on 2021-01-02 changes by 56% from the day before (unusual above "
                  "50%)");
  EXPECT_FALSE(HasErrors(warning));

  EXPECT_TRUE(Check({"2021-01-01,800000", "2021-01-02,1000000"}).empty());
}

TEST(ValidationRule, JumpsOfAFilesFirstDayAreMeasuredFromTheStoredDayBefore) {
  const TimeSeries stored(D(2020, 12, 30), {800000, 800000});
  const auto f = Check({"2021-01-01,1250000"}, "in.csv", stored);
  ASSERT_EQ(Of(f, "unusual_jump").size(), 1u);
  EXPECT_CONTAINS(Of(f, "unusual_jump")[0].problem, "from the stored load of the day before");
  EXPECT_EQ(Of(Check({"2021-01-01,1400000"}, "in.csv", stored), "daily_jump").size(), 1u);
  // Without a stored day before, there is nothing to compare with.
  EXPECT_TRUE(Of(Check({"2021-01-01,1250000"}), "unusual_jump").empty());
}

TEST(ValidationRule, JumpsToTheStoredDayAfterARowAreMeasuredToo) {
  // One new day between two stored ones: -66% from the day before is within the limit, and the
  // stored day after is +200% from it.
  const TimeSeries stored(D(2021, 6, 15), {900000, 880000, 900000});
  const auto f = Check({"2021-06-16,300000"}, "in.csv", stored);
  const auto jumps = Of(f, "daily_jump");
  ASSERT_EQ(jumps.size(), 1u);
  EXPECT_EQ(jumps[0].line, 2);
  EXPECT_EQ(jumps[0].problem,
            "the stored load of the day after (900000 on 2021-06-17) changes by 200% from load "
            "300000 on 2021-06-16 (limit 70%)");
  EXPECT_EQ(jumps[0].first_date, D(2021, 6, 16));
  EXPECT_EQ(jumps[0].last_date, D(2021, 6, 17));
  EXPECT_DOUBLE_EQ(jumps[0].value.value(), 2.0);
  EXPECT_EQ(Of(f, "unusual_jump").size(), 1u);  // the -67% from the day before
  // Inside a file the next row is the day after, not the stored one.
  EXPECT_TRUE(Of(Check({"2021-06-16,300000", "2021-06-17,310000"}, "in.csv", stored), "daily_jump")
                  .empty());
  // A file whose last day's next day is not stored has no seam after it.
  EXPECT_TRUE(Of(Check({"2021-06-17,500000"}, "in.csv", stored), "daily_jump").empty());
}

TEST(ValidationRule, MonthlyEnvelopeWarnsOutsideTheStoredRangeOfTheMonthWidened) {
  // Stored Januaries span [600000, 900000]; with the 10% margin: [540000, 990000].
  TimeSeries stored;
  for (Date d = D(2019, 1, 1); d <= D(2019, 1, 31); ++d) {
    stored.set(d, d.day() == 1 ? 600000.0 : (d.day() == 2 ? 900000.0 : 750000.0));
  }
  const auto f = Check({"2021-01-10,995000", "2021-01-11,990000"}, "in.csv", stored);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "monthly_envelope");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].line, 2);
  EXPECT_EQ(f[0].value, 995000.0);
  EXPECT_NEAR(*f[0].threshold, 990000.0, 1e-6);
  EXPECT_CONTAINS(f[0].problem, "outside the stored January loads widened by 10%");
  EXPECT_EQ(Of(Check({"2021-01-10,530000"}, "in.csv", stored), "monthly_envelope").size(), 1u);
  // No stored February: February is not judged; no history at all: nothing is.
  EXPECT_TRUE(Check({"2021-02-10,995000"}, "in.csv", stored).empty());
  EXPECT_TRUE(Check({"2021-01-10,995000"}).empty());
}

TEST(ValidationRule, MonthlyEnvelopeMarginComesFromTheConfig) {
  TimeSeries stored(D(2019, 1, 1), std::vector<double>(31, 800000.0));
  Config config = DefaultConfig("/tmp");
  config.validation_envelope_margin = 0.3;
  const Validator validator(config, kToday);
  EXPECT_TRUE(validator.CheckTable(Table({"2021-01-10,1000000"}), stored).empty());
  config.validation_envelope_margin = 0.2;
  EXPECT_EQ(Validator(config, kToday).CheckTable(Table({"2021-01-10,1000000"}), stored).size(), 1u);
}

TEST(ValidationRule, SeriesGapsCarryTheirPeriod) {
  TimeSeries series;
  series.set(D(2021, 1, 1), 700000);
  series.set(D(2021, 1, 5), 700000);
  const auto f = Validator(DefaultConfig("/tmp"), kToday).CheckSeries(series, "actuals");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "gap");
  EXPECT_EQ(f[0].line, 0);
  EXPECT_EQ(f[0].first_date, D(2021, 1, 2));
  EXPECT_EQ(f[0].last_date, D(2021, 1, 4));
}

TEST(RejectionMessage, ListsErrorsByLineWithTheirRuleAndLeavesOutWarnings) {
  const auto findings =
      Check({"2021-01-01,800000", "2021-01-02,1250000", "2021-01-02,700000", "2021-01-05,0"});
  const std::string message = RejectionMessage(findings);
  EXPECT_CONTAINS(message,
                  "in.csv:4: duplicate date 2021-01-02 (first on line 3) [duplicate_date]");
  EXPECT_CONTAINS(message, "in.csv:5: load 0 on 2021-01-05 is not positive [positive_load]");
  EXPECT_LT(message.find("in.csv:4:"), message.find("in.csv:5:"));
  EXPECT_EQ(message.find("unusual_jump"), std::string::npos) << message;
  EXPECT_THROW(RejectIfErrors(findings), DataError);
  EXPECT_NO_THROW(RejectIfErrors(Check({"2021-01-01,800000", "2021-01-02,1250000"})));
}

TEST(FindingAlerts, OneAlertPerFindingWithCodeSeverityPeriodAndFigures) {
  const auto findings = Check({"2021-01-01,800000", "2021-01-02,1250000", "2021-01-03,-1"});
  const auto alerts = FindingAlerts(findings, "file in.csv sha256:abc");
  ASSERT_EQ(alerts.size(), 2u);
  const AlertRecord& error = alerts[0];
  EXPECT_EQ(error.source, "validation");
  EXPECT_EQ(error.code, "validation.positive_load");
  EXPECT_EQ(error.severity, "critical");
  EXPECT_EQ(error.message, "in.csv:4: load -1 on 2021-01-03 is not positive");
  EXPECT_EQ(error.period_start, "2021-01-03");
  EXPECT_EQ(error.period_end, "2021-01-03");
  EXPECT_EQ(error.value, -1.0);
  EXPECT_EQ(error.threshold, 0.0);
  EXPECT_EQ(error.subject, "file in.csv sha256:abc");
  EXPECT_TRUE(error.fingerprint.empty());
  const AlertRecord& warning = alerts[1];
  EXPECT_EQ(warning.code, "validation.unusual_jump");
  EXPECT_EQ(warning.severity, "warning");
  EXPECT_EQ(warning.period_start, "2021-01-01");
  EXPECT_EQ(warning.period_end, "2021-01-02");
}

TEST(FindingAlerts, AFloodOfOneRuleBecomesTenAlertsAndOneThatCountsTheRest) {
  std::vector<std::string> rows;
  for (int d = 1; d <= 25; ++d) rows.push_back(D(2021, 1, d).ToIso() + ",-1");
  const auto alerts = FindingAlerts(Check(rows), "file in.csv");
  ASSERT_EQ(alerts.size(), kMaxAlertsPerRule + 1);
  const AlertRecord& rest = alerts.back();
  EXPECT_EQ(rest.code, "validation.positive_load");
  EXPECT_EQ(rest.message, "in.csv: 15 more findings of rule positive_load (lines 12 to 26)");
  EXPECT_EQ(rest.period_start, "2021-01-11");
  EXPECT_EQ(rest.period_end, "2021-01-25");
  EXPECT_EQ(rest.value, 15.0);
}

}  // namespace
}  // namespace loadcast
