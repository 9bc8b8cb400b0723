#include "model/calendar_ar.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "model/seasonal_naive.hpp"
#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

using testing::BundledSeries;
using testing::D;
using testing::YearStart;

CalendarArParams DayParams() { return {}; }

/// The day-ahead model trained once on 2013-2018 of the bundled data; fitting is the slow part.
class CalendarArOnBundledData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    model_ = new CalendarAr({}, DayParams());
    model_->Fit(BuildFrame(BundledSeries(), YearStart(2013), YearStart(2019)));
  }
  static void TearDownTestSuite() {
    delete model_;
    model_ = nullptr;
  }
  static const CalendarAr& model() { return *model_; }

 private:
  static CalendarAr* model_;
};
CalendarAr* CalendarArOnBundledData::model_ = nullptr;

TEST(CalendarAr, HasItsKind) { EXPECT_EQ(CalendarAr({}, DayParams()).kind(), "calendar_ar"); }

TEST_F(CalendarArOnBundledData, PredictsDayAheadMuchBetterThanSeasonalNaive) {
  const TimeSeries& series = BundledSeries();
  const Frame targets = BuildFrame(series, YearStart(2019), YearStart(2020));
  // Day-ahead: the model may see every actual before each target day.
  const Forecast forecast =
      model().Predict(targets, series.slice(YearStart(2013), YearStart(2020)));
  const Scores scores = Score(targets.load, forecast.mean);
  EXPECT_EQ(scores.days, 365u);
  EXPECT_LT(scores.mape, 3.5);

  const Forecast naive =
      SeasonalNaive().Predict(targets, series.slice(YearStart(2013), YearStart(2019)));
  const Scores naive_scores = Score(targets.load, naive.mean);
  EXPECT_GT(Skill(scores, naive_scores), 0.3);
}

TEST_F(CalendarArOnBundledData, IsMissingWhereThePreviousDayIsUnknown) {
  TimeSeries known = BundledSeries().slice(YearStart(2013), D("2019-04-01"));
  known.set(D("2019-03-10"), kMissing);
  const Frame targets = BuildFrame(known, D("2019-03-05"), D("2019-04-05"));
  const Forecast forecast = model().Predict(targets, known);
  ASSERT_EQ(forecast.size(), targets.size());
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const Date date = forecast.dates[i];
    EXPECT_EQ(date, targets.days[i].date);
    // Unknown yesterday: the day after the hole and every day after the data ends.
    const bool expect_missing = date == D("2019-03-11") || date > D("2019-04-01");
    EXPECT_EQ(std::isnan(forecast.mean[i]), expect_missing) << date.ToIso();
    EXPECT_EQ(std::isnan(forecast.lower[i]), expect_missing) << date.ToIso();
    EXPECT_EQ(std::isnan(forecast.upper[i]), expect_missing) << date.ToIso();
  }
}

TEST_F(CalendarArOnBundledData, ForecastsTheFirstDayAfterTheData) {
  const TimeSeries known = BundledSeries().slice(YearStart(2013), YearStart(2019));
  const Forecast forecast =
      model().Predict(BuildFrame(known, YearStart(2019), D("2019-01-03")), known);
  EXPECT_FALSE(std::isnan(forecast.mean[0]));
  EXPECT_TRUE(std::isnan(forecast.mean[1]));
  // New Year's Day is far below an ordinary December working day, and the forecast knows it.
  EXPECT_LT(forecast.mean[0], 0.8 * known.at(D("2018-12-12")));
}

TEST_F(CalendarArOnBundledData, NeverReadsTheTargetDayOrLater) {
  // Changing actuals on and after a target day must not change its forecast.
  const TimeSeries& series = BundledSeries();
  TimeSeries altered = series;
  for (Date d = D("2019-06-01"); d < YearStart(2020); ++d) altered.set(d, altered.at(d) * 1.5);
  const Frame targets = BuildFrame(series, D("2019-05-20"), D("2019-06-02"));
  const Forecast a = model().Predict(targets, series);
  const Forecast b = model().Predict(targets, altered);
  EXPECT_EQ(a.mean, b.mean);
}

TEST_F(CalendarArOnBundledData, IntervalsBracketTheMean) {
  const TimeSeries& series = BundledSeries();
  const Frame targets = BuildFrame(series, YearStart(2019), YearStart(2020));
  const Forecast forecast = model().Predict(targets, series);
  int covered = 0;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    EXPECT_LT(forecast.lower[i], forecast.mean[i]);
    EXPECT_GT(forecast.upper[i], forecast.mean[i]);
    if (targets.load[i] >= forecast.lower[i] && targets.load[i] <= forecast.upper[i]) ++covered;
  }
  // Nominal 90%: allow for 2019 being a little different from the training years.
  EXPECT_GT(covered, 365 * 0.75);
}

TEST_F(CalendarArOnBundledData, SaveLoadRoundTripGivesIdenticalPredictions) {
  const nlohmann::json state = nlohmann::json::parse(model().SaveState().dump());
  EXPECT_EQ(state.at("ar_coefficients").size(), CalendarAr::kTerms);
  EXPECT_EQ(state.at("ar_terms").size(), CalendarAr::kTerms);
  CalendarAr loaded({}, DayParams());
  loaded.LoadState(state);
  EXPECT_EQ(loaded.SaveState(), model().SaveState());
  const TimeSeries& series = BundledSeries();
  const Frame targets = BuildFrame(series, YearStart(2019), YearStart(2020));
  const Forecast a = model().Predict(targets, series);
  const Forecast b = loaded.Predict(targets, series);
  EXPECT_EQ(a.dates, b.dates);
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
}

TEST_F(CalendarArOnBundledData, NamesEveryAutoregressionTermInOrder) {
  const nlohmann::json state = model().SaveState();
  EXPECT_EQ(CalendarAr::kTerms, 12u);
  const auto terms = state.at("ar_terms").get<std::vector<std::string>>();
  const std::vector<std::string> expected = {"intercept",
                                             "dev_lag1",
                                             "dev_lag2",
                                             "dev_lag7",
                                             "dev_lag14",
                                             "dev_mean7",
                                             "dev_mean28",
                                             "dev_lag1_after_special",
                                             "dev_lag1_on_monday",
                                             "dev_lag1_on_sunday",
                                             "dev_last_ordinary_workday",
                                             "dev_last_ordinary_same_type"};
  EXPECT_EQ(terms, expected);
  // One coefficient per term, all finite.
  const auto phi = state.at("ar_coefficients").get<std::vector<double>>();
  ASSERT_EQ(phi.size(), terms.size());
  for (std::size_t k = 0; k < phi.size(); ++k) EXPECT_TRUE(std::isfinite(phi[k])) << terms[k];
}

TEST_F(CalendarArOnBundledData, LoadStateRejectsMalformedState) {
  const nlohmann::json good = model().SaveState();
  std::vector<nlohmann::json> bad;
  bad.push_back(nlohmann::json::object());
  bad.push_back(nlohmann::json::array());
  nlohmann::json no_calendar = good;
  no_calendar.erase("calendar");
  bad.push_back(no_calendar);
  nlohmann::json bad_calendar = good;
  bad_calendar["calendar"].erase("coefficients");
  bad.push_back(bad_calendar);
  nlohmann::json short_phi = good;
  short_phi["ar_coefficients"] = {0.1, 0.2};
  bad.push_back(short_phi);
  // A state saved before the two latest-ordinary-day terms were added has 10 coefficients.
  nlohmann::json old_phi = good;
  old_phi["ar_coefficients"] = std::vector<double>(10, 0.1);
  bad.push_back(old_phi);
  nlohmann::json long_phi = good;
  long_phi["ar_coefficients"] = std::vector<double>(CalendarAr::kTerms + 1, 0.1);
  bad.push_back(long_phi);
  nlohmann::json text_phi = good;
  text_phi["ar_coefficients"] = "0.5";
  bad.push_back(text_phi);
  nlohmann::json no_residual = good;
  no_residual.erase("upper_residual");
  bad.push_back(no_residual);
  for (const nlohmann::json& state : bad) {
    CalendarAr fresh({}, DayParams());
    EXPECT_THROW(fresh.LoadState(state), StorageError) << state.dump().substr(0, 200);
  }
}

TEST(CalendarAr, LearnsAnAutoregressionOnSyntheticDeviations) {
  // Deviations from the calendar following e(t) = 0.8 e(t-1) + shock: the model must pick up the
  // persistence and beat the calendar alone day-ahead.
  const int first = 2014;
  const int last = 2017;
  TimeSeries series = testing::SyntheticSeries(first, last + 1, 2);
  testing::Noise shock(4);
  double e = 0.0;
  for (Date d = YearStart(first); d < YearStart(last + 2); ++d) {
    e = 0.8 * e + 0.04 * shock.Next();
    series.set(d, series.at(d) * std::exp(e));
  }
  CalendarArParams params = DayParams();
  params.fourier_order = 2;
  CalendarAr model({}, params);
  model.Fit(BuildFrame(series, YearStart(first), YearStart(last + 1)));
  const nlohmann::json state = model.SaveState();
  const auto phi = state.at("ar_coefficients").get<std::vector<double>>();
  // Lag-1 and the weekly mean together carry the persistence; the intercept stays near zero.
  EXPECT_NEAR(phi[0], 0.0, 0.01);
  EXPECT_GT(phi[1] + phi[4], 0.6);

  CalendarRegression base({}, params);
  base.Fit(BuildFrame(series, YearStart(first), YearStart(last + 1)));
  const Frame targets = BuildFrame(series, YearStart(last + 1), YearStart(last + 2));
  const Scores ar = Score(targets.load, model.Predict(targets, series).mean);
  const Scores calendar = Score(targets.load, base.Predict(targets, series).mean);
  EXPECT_LT(ar.mape, 0.8 * calendar.mape);
}

TEST(CalendarAr, RejectsTooFewConsecutiveTrainingDays) {
  // Known days only every other day: no day has a known yesterday.
  TimeSeries series = testing::SyntheticSeries(2017, 2018, 1, 0.01);
  for (Date d = YearStart(2017); d < YearStart(2019); d = d + 2) series.set(d, kMissing);
  CalendarAr model({}, DayParams());
  EXPECT_THROW(model.Fit(BuildFrame(series, YearStart(2017), YearStart(2019))), DataError);
}

TEST(CalendarAr, RejectsTrainingWithoutKnownLoads) {
  CalendarAr model({}, DayParams());
  EXPECT_THROW(model.Fit(BuildFrame(TimeSeries(), YearStart(2017), YearStart(2019))), DataError);
}

TEST(CalendarAr, ReturnsNothingForNoTargets) {
  CalendarAr model({}, DayParams());
  model.Fit(
      BuildFrame(testing::SyntheticSeries(2017, 2018, 1, 0.02), YearStart(2017), YearStart(2019)));
  EXPECT_EQ(model.Predict(Frame{}, TimeSeries()).size(), 0u);
}

}  // namespace
}  // namespace loadcast
