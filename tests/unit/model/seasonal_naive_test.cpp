#include "model/seasonal_naive.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

using testing::D;
using testing::YearStart;

/// A series whose value encodes its date, so a forecast reveals which day it copied.
TimeSeries DayNumberSeries(Date from, Date to) {
  TimeSeries series;
  for (Date d = from; d < to; ++d) series.set(d, static_cast<double>(d.days()));
  return series;
}

Frame Targets(Date from, Date to) { return BuildFrame(TimeSeries(), from, to); }

TEST(SeasonalNaive, HasItsKindAndA52WeekLag) {
  EXPECT_EQ(SeasonalNaive().kind(), "seasonal_naive");
  EXPECT_EQ(SeasonalNaive::kLagDays, 364);
  EXPECT_EQ(SeasonalNaive::kLagDays % 7, 0);  // same weekday
}

TEST(SeasonalNaive, CopiesTheSameWeekday52WeeksEarlier) {
  const TimeSeries known = DayNumberSeries(D("2017-01-01"), D("2019-01-01"));
  const SeasonalNaive model;
  const Frame targets = Targets(D("2019-01-01"), D("2019-01-15"));
  const Forecast forecast = model.Predict(targets, known);
  ASSERT_EQ(forecast.size(), targets.size());
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const Date target = targets.days[i].date;
    EXPECT_EQ(forecast.dates[i], target);
    EXPECT_EQ(forecast.mean[i], static_cast<double>((target - 364).days())) << target.ToIso();
    EXPECT_EQ(Date::FromDays(static_cast<int32_t>(forecast.mean[i])).weekday(), target.weekday());
  }
}

TEST(SeasonalNaive, StepsBack104WeeksWhenTheNearerDayIsUnknown) {
  TimeSeries known = DayNumberSeries(D("2017-01-01"), D("2019-01-01"));
  const Date target = D("2019-06-12");
  known.set(target - 364, kMissing);
  const Forecast forecast = SeasonalNaive().Predict(Targets(target, target + 2), known);
  EXPECT_EQ(forecast.mean[0], static_cast<double>((target - 728).days()));
  EXPECT_EQ(forecast.mean[1], static_cast<double>((target + 1 - 364).days()));
}

TEST(SeasonalNaive, StepsBackWhenTheNearerDayIsNotKnownYet) {
  // Forecasting 2020 from data ending in mid-2019: the second half of 2020 has no actual 52 weeks
  // earlier, so it falls back to 104 weeks.
  const TimeSeries known = DayNumberSeries(D("2017-01-01"), D("2019-07-01"));
  const Forecast forecast =
      SeasonalNaive().Predict(Targets(YearStart(2020), YearStart(2021)), known);
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const Date target = forecast.dates[i];
    const Date source = target - 364 < D("2019-07-01") ? target - 364 : target - 728;
    ASSERT_EQ(forecast.mean[i], static_cast<double>(source.days())) << target.ToIso();
  }
}

TEST(SeasonalNaive, NeverReadsTheTargetDayOrLater) {
  // Known data that includes the target period must not leak into the forecast: only the days 52
  // (or 104...) weeks back are read.
  const TimeSeries known = DayNumberSeries(D("2018-01-01"), D("2020-01-01"));
  const Forecast forecast =
      SeasonalNaive().Predict(Targets(YearStart(2019), YearStart(2020)), known);
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    ASSERT_LT(forecast.mean[i], static_cast<double>(forecast.dates[i].days()));
  }
}

TEST(SeasonalNaive, IsMissingWithoutHistory) {
  const TimeSeries known = DayNumberSeries(D("2018-06-01"), D("2019-01-01"));
  const Forecast forecast =
      SeasonalNaive().Predict(Targets(D("2019-01-01"), D("2019-05-31")), known);
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    EXPECT_TRUE(std::isnan(forecast.mean[i])) << forecast.dates[i].ToIso();
    EXPECT_TRUE(std::isnan(forecast.lower[i]));
    EXPECT_TRUE(std::isnan(forecast.upper[i]));
  }
  const Forecast none = SeasonalNaive().Predict(Targets(D("2019-01-01"), D("2019-01-08")), {});
  for (double v : none.mean) EXPECT_TRUE(std::isnan(v));
}

TEST(SeasonalNaive, ReturnsNothingForNoTargets) {
  EXPECT_EQ(SeasonalNaive().Predict(Frame{}, TimeSeries()).size(), 0u);
}

TEST(SeasonalNaive, IntervalComesFromTrainingYearOnYearRatios) {
  // Every day of the second training year is exactly 10% above 52 weeks before: the interval is a
  // point at 10% growth.
  TimeSeries training;
  for (Date d = D("2017-01-02"); d < D("2017-01-02") + 364; ++d) {
    training.set(d, 600000.0 + 1000.0 * (d.weekday()));
    training.set(d + 364, training.at(d) * 1.1);
  }
  SeasonalNaive model;
  model.Fit(BuildFrame(training, training.start(), training.end()));
  const Forecast forecast = model.Predict(Targets(D("2019-02-01"), D("2019-02-08")), training);
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    EXPECT_NEAR(forecast.lower[i], forecast.mean[i] * 1.1, 1e-6);
    EXPECT_NEAR(forecast.upper[i], forecast.mean[i] * 1.1, 1e-6);
  }
}

TEST(SeasonalNaive, UnfittedModelHasAPointInterval) {
  const TimeSeries known = DayNumberSeries(D("2018-01-01"), D("2019-01-01"));
  const Forecast forecast =
      SeasonalNaive().Predict(Targets(D("2019-01-01"), D("2019-01-03")), known);
  EXPECT_EQ(forecast.lower, forecast.mean);
  EXPECT_EQ(forecast.upper, forecast.mean);
}

TEST(SeasonalNaive, IntervalWidensWithCoverage) {
  const TimeSeries& series = testing::BundledSeries();
  const Frame training = BuildFrame(series, YearStart(2013), YearStart(2019));
  SeasonalNaive narrow(CommonModelParams{.interval_coverage = 0.5});
  SeasonalNaive wide(CommonModelParams{.interval_coverage = 0.99});
  narrow.Fit(training);
  wide.Fit(training);
  const Frame targets = Targets(D("2019-03-01"), D("2019-03-02"));
  const Forecast a = narrow.Predict(targets, series);
  const Forecast b = wide.Predict(targets, series);
  EXPECT_LT(a.lower[0], a.mean[0]);
  EXPECT_GT(a.upper[0], a.mean[0]);
  EXPECT_LT(b.lower[0], a.lower[0]);
  EXPECT_GT(b.upper[0], a.upper[0]);
}

TEST(SeasonalNaive, Scores2019OnBundledDataAroundFivePercent) {
  // The benchmark the other models are measured against.
  const TimeSeries& series = testing::BundledSeries();
  const Frame targets = BuildFrame(series, YearStart(2019), YearStart(2020));
  const Forecast forecast =
      SeasonalNaive().Predict(targets, series.slice(YearStart(2013), YearStart(2019)));
  const Scores scores = Score(targets.load, forecast.mean);
  EXPECT_EQ(scores.days, 365u);
  EXPECT_GT(scores.mape, 4.5);
  EXPECT_LT(scores.mape, 6.5);
}

TEST(SeasonalNaive, SaveLoadRoundTripGivesIdenticalPredictions) {
  const TimeSeries& series = testing::BundledSeries();
  SeasonalNaive model;
  model.Fit(BuildFrame(series, YearStart(2015), YearStart(2019)));
  const nlohmann::json state = nlohmann::json::parse(model.SaveState().dump());
  EXPECT_EQ(state.at("lag_days"), 364);
  SeasonalNaive loaded;
  loaded.LoadState(state);
  EXPECT_EQ(loaded.SaveState(), model.SaveState());
  const Frame targets = BuildFrame(series, YearStart(2019), YearStart(2020));
  const TimeSeries known = series.slice(YearStart(2015), YearStart(2019));
  const Forecast a = model.Predict(targets, known);
  const Forecast b = loaded.Predict(targets, known);
  EXPECT_EQ(a.mean, b.mean);
  EXPECT_EQ(a.lower, b.lower);
  EXPECT_EQ(a.upper, b.upper);
}

TEST(SeasonalNaive, LoadStateRejectsMalformedState) {
  SeasonalNaive model;
  EXPECT_THROW(model.LoadState(nlohmann::json::object()), StorageError);
  EXPECT_THROW(model.LoadState(nlohmann::json::array()), StorageError);
  EXPECT_THROW(model.LoadState({{"lower_log_ratio", "low"}, {"upper_log_ratio", 0.1}}),
               StorageError);
  EXPECT_THROW(model.LoadState({{"lower_log_ratio", -0.1}}), StorageError);
}

}  // namespace
}  // namespace loadcast
