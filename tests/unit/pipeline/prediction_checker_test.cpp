#include "pipeline/prediction_checker.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "support/records.hpp"

namespace loadcast {
namespace {

/// A load with the Italian week in it: working days 900000 MWh, Saturdays 800000, Sundays
/// 720000, public holidays 700000.
double PatternLoad(Date d) {
  if (HolidayOn(d) != Holiday::kNone) return 700000.0;
  if (d.weekday() == 6) return 720000.0;
  if (d.weekday() == 5) return 800000.0;
  return 900000.0;
}

/// Enriched data whose training loads (2019 and 2020) span [700000, 900000] MWh; with the default
/// 25% margin the envelope is [525000, 1125000].
EnrichedData Enriched() {
  ExtractedData extracted;
  extracted.target_year = 2021;
  extracted.first_year = 2019;
  for (Date d = Date::FromYmd(2019, 1, 1); d < Date::FromYmd(2021, 1, 1); ++d) {
    extracted.actuals.set(d, PatternLoad(d));
  }
  return Enrich(extracted, Horizon::kYear);
}

/// A sane forecast for every target day: the pattern, with a 10% wide interval.
Forecast SaneForecast(const EnrichedData& enriched) {
  Forecast f;
  for (const CalendarDay& day : enriched.targets.days) {
    const double v = PatternLoad(day.date);
    f.dates.push_back(day.date);
    f.mean.push_back(v);
    f.lower.push_back(v * 0.95);
    f.upper.push_back(v * 1.05);
  }
  return f;
}

const CheckRow& Find(const std::vector<CheckRow>& checks, const std::string& name) {
  for (const CheckRow& c : checks) {
    if (c.check == name) return c;
  }
  ADD_FAILURE() << "no check named " << name;
  static const CheckRow kNone;
  return kNone;
}

class PredictionCheckerTest : public ::testing::Test {
 protected:
  std::vector<CheckRow> Check(const Forecast& f) const {
    return CheckPrediction(f, enriched_, config_);
  }
  Config config_ = DefaultConfig("/tmp");
  EnrichedData enriched_ = Enriched();
  Forecast forecast_ = SaneForecast(enriched_);
};

TEST_F(PredictionCheckerTest, SaneForecastPassesEveryCheck) {
  const auto checks = Check(forecast_);
  ASSERT_EQ(checks.size(), 9u);
  const std::vector<std::string> names = {"one_value_per_day",
                                          "finite",
                                          "positive",
                                          "history_envelope",
                                          "interval_contains_forecast",
                                          "annual_total",
                                          "weekly_pattern",
                                          "holidays_lower",
                                          "interval_width"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(checks[i].check, names[i]);
    EXPECT_EQ(checks[i].status, "pass") << checks[i].check << ": " << checks[i].detail;
  }
  EXPECT_FALSE(AnyFailed(checks));
  EXPECT_EQ(Find(checks, "one_value_per_day").detail, "365 values for 365 target days");
  EXPECT_EQ(Find(checks, "history_envelope").detail, "all values within [525000, 1125000] MWh");
}

TEST_F(PredictionCheckerTest, FailsAWrongNumberOfValues) {
  forecast_.dates.pop_back();
  forecast_.mean.pop_back();
  forecast_.lower.pop_back();
  forecast_.upper.pop_back();
  const auto checks = Check(forecast_);
  EXPECT_EQ(Find(checks, "one_value_per_day").status, "fail");
  EXPECT_EQ(Find(checks, "one_value_per_day").detail, "364 values for 365 target days");
  EXPECT_TRUE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, FailsValuesForTheWrongDates) {
  // The right count, shifted by one day: every value lands on the wrong date.
  for (Date& d : forecast_.dates) d = d + 1;
  const auto checks = Check(forecast_);
  EXPECT_EQ(Find(checks, "one_value_per_day").status, "fail");
  EXPECT_TRUE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, FailsNaNNamingTheFirstDate) {
  forecast_.mean[40] = std::numeric_limits<double>::quiet_NaN();
  forecast_.mean[50] = std::numeric_limits<double>::infinity();
  const auto checks = Check(forecast_);
  const CheckRow& finite = Find(checks, "finite");
  EXPECT_EQ(finite.status, "fail");
  EXPECT_EQ(finite.detail, "2 values not finite (first on 2021-02-10)");
  EXPECT_TRUE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, FailsNonPositiveValues) {
  forecast_.mean[0] = 0.0;
  forecast_.mean[1] = -5.0;
  forecast_.lower[0] = forecast_.lower[1] = -10.0;
  const auto checks = Check(forecast_);
  EXPECT_EQ(Find(checks, "positive").status, "fail");
  EXPECT_EQ(Find(checks, "positive").detail, "2 values not positive");
  EXPECT_EQ(Find(checks, "finite").status, "pass");
  EXPECT_TRUE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, FailsValuesAboveTheEnvelope) {
  forecast_.mean[10] = 1200000.0;
  forecast_.upper[10] = 1300000.0;
  const auto checks = Check(forecast_);
  const CheckRow& envelope = Find(checks, "history_envelope");
  EXPECT_EQ(envelope.status, "fail");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "1 values outside [525000, 1125000] MWh",
                      envelope.detail);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "1200000 on 2021-01-11", envelope.detail);
  EXPECT_EQ(Find(checks, "positive").status, "pass");
  EXPECT_TRUE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, FailsValuesBelowTheEnvelope) {
  forecast_.mean[3] = 500000.0;
  forecast_.lower[3] = 450000.0;
  const auto checks = Check(forecast_);
  EXPECT_EQ(Find(checks, "history_envelope").status, "fail");
  EXPECT_TRUE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, EnvelopeMarginComesFromTheConfig) {
  forecast_.mean[3] = 500000.0;
  forecast_.lower[3] = 450000.0;
  config_.envelope_margin = 0.5;  // envelope [350000, 1350000]
  EXPECT_EQ(Find(Check(forecast_), "history_envelope").status, "pass");
}

TEST_F(PredictionCheckerTest, WarnsButDoesNotFailWhenTheIntervalMissesTheForecast) {
  forecast_.lower[5] = 810000.0;  // above the mean
  forecast_.upper[6] = 790000.0;  // below the mean
  const auto checks = Check(forecast_);
  const CheckRow& interval = Find(checks, "interval_contains_forecast");
  EXPECT_EQ(interval.status, "warn");
  EXPECT_EQ(interval.detail, "2 days with the forecast outside its interval");
  EXPECT_FALSE(AnyFailed(checks));
}

TEST_F(PredictionCheckerTest, AnIntervalOfOnePointContainsItsForecast) {
  forecast_.lower = forecast_.mean;
  forecast_.upper = forecast_.mean;
  EXPECT_EQ(Find(Check(forecast_), "interval_contains_forecast").status, "pass");
}

TEST(AnyFailed, IsTrueOnlyForAFailStatus) {
  EXPECT_FALSE(AnyFailed({}));
  EXPECT_FALSE(AnyFailed({{"a", CheckStatus::kPass, ""}, {"b", CheckStatus::kWarn, ""}}));
  EXPECT_TRUE(AnyFailed({{"a", CheckStatus::kPass, ""}, {"b", CheckStatus::kFail, ""}}));
}

/// The outcome of one check, with its figures.
CheckOutcome Outcome(const std::vector<CheckOutcome>& outcomes, const std::string& name) {
  for (const CheckOutcome& o : outcomes) {
    if (o.row.check == name) return o;
  }
  ADD_FAILURE() << "no check named " << name;
  return {};
}

TEST_F(PredictionCheckerTest, AnnualTotalWarnsThenFailsAwayFromTheRecentYears) {
  for (double& v : forecast_.mean) v *= 1.10;
  const CheckOutcome warn =
      Outcome(RunPredictionChecks(forecast_, enriched_, config_), "annual_total");
  EXPECT_EQ(warn.row.status, "warn") << warn.row.detail;
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "the mean of the same days in 2019-2020",
                      warn.row.detail);
  EXPECT_NEAR(*warn.value, 0.10, 0.01);
  EXPECT_EQ(warn.threshold, 0.08);
  EXPECT_EQ(warn.first_date, Date::FromYmd(2021, 1, 1));
  EXPECT_EQ(warn.last_date, Date::FromYmd(2021, 12, 31));

  for (double& v : forecast_.mean) v *= 0.7;  // 23% below
  const CheckOutcome fail =
      Outcome(RunPredictionChecks(forecast_, enriched_, config_), "annual_total");
  EXPECT_EQ(fail.row.status, "fail") << fail.row.detail;
  EXPECT_LT(*fail.value, -0.15);
  EXPECT_EQ(fail.threshold, 0.15);
}

TEST_F(PredictionCheckerTest, AnnualTotalBandComesFromTheConfig) {
  for (double& v : forecast_.mean) v *= 1.10;
  config_.annual_total_warn = 0.12;
  config_.annual_total_fail = 0.2;
  EXPECT_EQ(Find(Check(forecast_), "annual_total").status, "pass");
}

TEST_F(PredictionCheckerTest, AnnualTotalPassesWithoutACompleteYearToCompareWith) {
  ExtractedData extracted;
  extracted.target_year = 2021;
  extracted.first_year = 2020;
  for (Date d = Date::FromYmd(2020, 3, 1); d < Date::FromYmd(2021, 1, 1); ++d) {
    extracted.actuals.set(d, PatternLoad(d));
  }
  const EnrichedData partial = Enrich(extracted, Horizon::kYear);
  const CheckRow row = Find(CheckPrediction(forecast_, partial, config_), "annual_total");
  EXPECT_EQ(row.status, "pass");
  EXPECT_EQ(row.detail, "no complete year before 2021 to compare with");
}

TEST_F(PredictionCheckerTest, AFlatForecastFailsTheWeeklyPattern) {
  for (std::size_t i = 0; i < forecast_.size(); ++i) forecast_.mean[i] = 840000.0;
  const CheckOutcome weekly =
      Outcome(RunPredictionChecks(forecast_, enriched_, config_), "weekly_pattern");
  EXPECT_EQ(weekly.row.status, "fail");
  EXPECT_DOUBLE_EQ(*weekly.value, 1.0);
  EXPECT_EQ(weekly.threshold, 1.1);
  EXPECT_TRUE(AnyFailed(CheckPrediction(forecast_, enriched_, config_)));
}

TEST_F(PredictionCheckerTest, WeeklyPatternIsNotJudgedOnAFewDays) {
  Forecast few;
  for (std::size_t i = 0; i < 10; ++i) {
    few.dates.push_back(forecast_.dates[i]);
    few.mean.push_back(840000.0);
    few.lower.push_back(800000.0);
    few.upper.push_back(880000.0);
  }
  const CheckRow row = Find(Check(few), "weekly_pattern");
  EXPECT_EQ(row.status, "pass");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "not judged", row.detail);
}

TEST_F(PredictionCheckerTest, AHolidayNotBelowItsNeighboursWarns) {
  // 2 June 2021 is a Wednesday: its neighbours are the Wednesdays 26 May and 9 June.
  const std::size_t i = static_cast<std::size_t>(Date::FromYmd(2021, 6, 2) - forecast_.dates[0]);
  forecast_.mean[i] = 950000.0;
  forecast_.upper[i] = 1000000.0;
  const CheckOutcome holidays =
      Outcome(RunPredictionChecks(forecast_, enriched_, config_), "holidays_lower");
  EXPECT_EQ(holidays.row.status, "warn");
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "1 of 8 holidays (not on Sundays) not below",
                      holidays.row.detail);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "2021-06-02 (republic, 1.06 times",
                      holidays.row.detail);
  EXPECT_EQ(holidays.first_date, Date::FromYmd(2021, 6, 2));
  EXPECT_NEAR(*holidays.value, 950000.0 / 900000.0, 1e-9);
  EXPECT_FALSE(AnyFailed(CheckPrediction(forecast_, enriched_, config_)));
}

TEST_F(PredictionCheckerTest, IntervalWidthWarnsWhenTooNarrowOrTooWide) {
  EXPECT_EQ(Find(Check(forecast_), "interval_width").detail,
            "mean width 10.0% of the forecast (expected 1.0% to 40.0%)");
  forecast_.lower = forecast_.mean;
  forecast_.upper = forecast_.mean;
  const auto narrow = Check(forecast_);
  EXPECT_EQ(Find(narrow, "interval_width").status, "warn");
  EXPECT_EQ(Find(narrow, "interval_contains_forecast").status, "pass");
  for (std::size_t i = 0; i < forecast_.size(); ++i) {
    forecast_.lower[i] = forecast_.mean[i] * 0.7;
    forecast_.upper[i] = forecast_.mean[i] * 1.3;
  }
  const CheckOutcome wide =
      Outcome(RunPredictionChecks(forecast_, enriched_, config_), "interval_width");
  EXPECT_EQ(wide.row.status, "warn");
  EXPECT_NEAR(*wide.value, 0.6, 1e-9);
  EXPECT_EQ(wide.threshold, 0.4);
  EXPECT_FALSE(AnyFailed(CheckPrediction(forecast_, enriched_, config_)));
}

}  // namespace
}  // namespace loadcast
