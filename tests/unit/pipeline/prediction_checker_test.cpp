#include "pipeline/prediction_checker.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace loadcast {
namespace {

/// Enriched data whose training loads span [700000, 900000] MWh; with the default 25% margin
/// the envelope is [525000, 1125000].
EnrichedData Enriched() {
  ExtractedData extracted;
  extracted.target_year = 2021;
  extracted.first_year = 2019;
  for (Date d = Date::FromYmd(2019, 1, 1); d < Date::FromYmd(2021, 1, 1); ++d) {
    extracted.actuals.set(d, d.day() == 1 ? 700000.0 : (d.day() == 2 ? 900000.0 : 800000.0));
  }
  return Enrich(extracted, Horizon::kYear);
}

/// A sane forecast for every target day.
Forecast SaneForecast(const EnrichedData& enriched) {
  Forecast f;
  for (const CalendarDay& day : enriched.targets.days) {
    f.dates.push_back(day.date);
    f.mean.push_back(800000.0);
    f.lower.push_back(760000.0);
    f.upper.push_back(840000.0);
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
  ASSERT_EQ(checks.size(), 5u);
  const std::vector<std::string> names = {"one_value_per_day", "finite", "positive",
                                          "history_envelope", "interval_contains_forecast"};
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
  EXPECT_FALSE(AnyFailed({{"a", "pass", ""}, {"b", "warn", ""}}));
  EXPECT_TRUE(AnyFailed({{"a", "pass", ""}, {"b", "fail", ""}}));
}

}  // namespace
}  // namespace loadcast
