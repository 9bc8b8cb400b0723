#include "pipeline/interval_calibrator.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/errors.hpp"
#include "model/quantile.hpp"

namespace loadcast {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

DayType TypeOf(Date date) { return DayTypeOf(DescribeDay(date)); }

/// Residuals for every day of `year`, spread evenly over ±`spread` of the day's type, so that each
/// type has a known, different distribution.
struct Residuals {
  std::vector<Date> dates;
  std::vector<double> values;
};

Residuals SpreadByDayType(int year, double workday, double saturday, double holiday) {
  Residuals r;
  int i = 0;
  for (Date d = D(year, 1, 1); d < D(year + 1, 1, 1); ++d, ++i) {
    const DayType type = TypeOf(d);
    const double spread = type == DayType::kWorkday    ? workday
                          : type == DayType::kSaturday ? saturday
                                                       : holiday;
    r.dates.push_back(d);
    r.values.push_back(spread * (static_cast<double>(i % 21) / 10.0 - 1.0));
  }
  return r;
}

std::vector<double> OfType(const Residuals& r, DayType type) {
  std::vector<double> out;
  for (std::size_t i = 0; i < r.dates.size(); ++i) {
    if (TypeOf(r.dates[i]) == type) out.push_back(r.values[i]);
  }
  return out;
}

/// A positive daily load with a weekly pattern and a deterministic wobble.
TimeSeries SyntheticLoad(Date from, Date to) {
  TimeSeries series;
  for (Date d = from; d < to; ++d) {
    const double weekly = d.weekday() == 6 ? 0.7 : d.weekday() == 5 ? 0.85 : 1.0;
    series.set(d, 800000.0 * weekly * (1.0 + 0.03 * std::sin(d.days() * 0.37)));
  }
  return series;
}

ModelSpec NaiveParams(int calibration_years) {
  return {.common = {.training_years = 2,
                     .calibration_years = calibration_years,
                     .interval_coverage = 0.9},
          .params = SeasonalNaiveParams{}};
}

TEST(DayTypeOf, SeparatesWorkdaysSaturdaysAndSundaysOrHolidays) {
  EXPECT_EQ(TypeOf(D(2021, 1, 4)), DayType::kWorkday);            // Monday
  EXPECT_EQ(TypeOf(D(2021, 1, 8)), DayType::kWorkday);            // Friday
  EXPECT_EQ(TypeOf(D(2021, 1, 9)), DayType::kSaturday);           // Saturday
  EXPECT_EQ(TypeOf(D(2021, 1, 10)), DayType::kSundayOrHoliday);   // Sunday
  EXPECT_EQ(TypeOf(D(2021, 1, 6)), DayType::kSundayOrHoliday);    // Epiphany, a Wednesday
  EXPECT_EQ(TypeOf(D(2021, 12, 25)), DayType::kSundayOrHoliday);  // Christmas, a Saturday
  EXPECT_EQ(DayTypeName(DayType::kSundayOrHoliday), "sunday_or_holiday");
}

TEST(CalibrationFromResiduals, TakesTheCoverageQuantilesOfEachDayType) {
  const Residuals r = SpreadByDayType(2019, 0.02, 0.05, 0.1);
  const IntervalCalibration c = CalibrationFromResiduals(r.dates, r.values, 0.9, {2019});
  EXPECT_EQ(c.residuals, 365u);
  EXPECT_EQ(c.years, std::vector<int>{2019});
  for (DayType type : {DayType::kWorkday, DayType::kSaturday, DayType::kSundayOrHoliday}) {
    const std::vector<double> group = OfType(r, type);
    const LogBounds& b = c.bounds(type);
    EXPECT_FALSE(b.fallback) << DayTypeName(type);
    EXPECT_EQ(b.residuals, group.size());
    EXPECT_DOUBLE_EQ(b.lower, Quantile(group, 0.05)) << DayTypeName(type);
    EXPECT_DOUBLE_EQ(b.upper, Quantile(group, 0.95)) << DayTypeName(type);
  }
  EXPECT_LT(c.bounds(DayType::kWorkday).upper, c.bounds(DayType::kSaturday).upper);
  EXPECT_LT(c.bounds(DayType::kSaturday).upper, c.bounds(DayType::kSundayOrHoliday).upper);
  EXPECT_DOUBLE_EQ(c.all.lower, Quantile(r.values, 0.05));
  EXPECT_DOUBLE_EQ(c.all.upper, Quantile(r.values, 0.95));
}

TEST(CalibrationFromResiduals, SmallGroupsFallBackToAllDays) {
  // The first five weeks of 2019: 24 workdays, 5 Saturdays, 6 Sundays or holidays, all under 30.
  Residuals r = SpreadByDayType(2019, 0.02, 0.05, 0.1);
  r.dates.resize(35);
  r.values.resize(35);
  const IntervalCalibration c = CalibrationFromResiduals(r.dates, r.values, 0.8, {2019});
  for (DayType type : {DayType::kWorkday, DayType::kSaturday, DayType::kSundayOrHoliday}) {
    const LogBounds& b = c.bounds(type);
    EXPECT_TRUE(b.fallback) << DayTypeName(type);
    EXPECT_EQ(b.residuals, OfType(r, type).size());
    EXPECT_DOUBLE_EQ(b.lower, c.all.lower);
    EXPECT_DOUBLE_EQ(b.upper, c.all.upper);
  }
  EXPECT_DOUBLE_EQ(c.all.lower, Quantile(r.values, 0.1));

  // A whole year has enough Saturdays, but a year with only a few Saturdays kept does not.
  Residuals mixed = SpreadByDayType(2019, 0.02, 0.05, 0.1);
  Residuals kept;
  int saturdays = 0;
  for (std::size_t i = 0; i < mixed.dates.size(); ++i) {
    if (TypeOf(mixed.dates[i]) == DayType::kSaturday && ++saturdays > 10) continue;
    kept.dates.push_back(mixed.dates[i]);
    kept.values.push_back(mixed.values[i]);
  }
  const IntervalCalibration k = CalibrationFromResiduals(kept.dates, kept.values, 0.9, {2019});
  EXPECT_FALSE(k.bounds(DayType::kWorkday).fallback);
  EXPECT_FALSE(k.bounds(DayType::kSundayOrHoliday).fallback);
  EXPECT_TRUE(k.bounds(DayType::kSaturday).fallback);
  EXPECT_EQ(k.bounds(DayType::kSaturday).residuals, 10u);
  EXPECT_DOUBLE_EQ(k.bounds(DayType::kSaturday).upper, k.all.upper);
}

TEST(CalibrationFromResiduals, IntervalAlwaysContainsTheForecast) {
  // Every forecast too low: both quantiles are positive, yet the interval must hold the forecast.
  Residuals r = SpreadByDayType(2019, 0.02, 0.05, 0.1);
  for (double& v : r.values) v = 0.2 + v;
  const IntervalCalibration c = CalibrationFromResiduals(r.dates, r.values, 0.9, {2019});
  EXPECT_EQ(c.all.lower, 0.0);
  EXPECT_EQ(c.bounds(DayType::kWorkday).lower, 0.0);
  EXPECT_GT(c.bounds(DayType::kWorkday).upper, 0.2);
}

TEST(ApplyCalibration, ScalesEachDayByItsTypeBounds) {
  const Residuals r = SpreadByDayType(2019, 0.02, 0.05, 0.1);
  const IntervalCalibration c = CalibrationFromResiduals(r.dates, r.values, 0.9, {2019});
  Forecast f;
  f.dates = {D(2021, 1, 4), D(2021, 1, 9), D(2021, 1, 10)};
  f.mean = {1000.0, 900.0, 800.0};
  f.lower = {1.0, 1.0, 1.0};
  f.upper = {2.0, 2.0, 2.0};
  ApplyCalibration(c, f);
  const std::vector<DayType> types = {DayType::kWorkday, DayType::kSaturday,
                                      DayType::kSundayOrHoliday};
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_DOUBLE_EQ(f.lower[i], f.mean[i] * std::exp(c.bounds(types[i]).lower));
    EXPECT_DOUBLE_EQ(f.upper[i], f.mean[i] * std::exp(c.bounds(types[i]).upper));
    EXPECT_LE(f.lower[i], f.mean[i]);
    EXPECT_GE(f.upper[i], f.mean[i]);
  }
}

TEST(CalibrationJson, RoundTripsAndRejectsMalformed) {
  const Residuals r = SpreadByDayType(2019, 0.02, 0.05, 0.1);
  const IntervalCalibration c = CalibrationFromResiduals(r.dates, r.values, 0.9, {2018, 2019});
  const nlohmann::json j = CalibrationToJson(c);
  EXPECT_EQ(CalibrationToJson(CalibrationFromJson(j)), j);
  nlohmann::json missing = j;
  missing["groups"].erase("saturday");
  EXPECT_THROW(CalibrationFromJson(missing), StorageError);
  nlohmann::json inverted = j;
  inverted["all"]["lower"] = 0.1;
  EXPECT_THROW(CalibrationFromJson(inverted), StorageError);
}

TEST(CalibrateIntervals, ZeroYearsDisablesCalibration) {
  const TimeSeries history = SyntheticLoad(D(2012, 1, 1), D(2021, 1, 1));
  EXPECT_FALSE(CalibrateIntervals(history, NaiveParams(0), Horizon::kYear, 2020).has_value());
  EXPECT_FALSE(CalibrateIntervals(TimeSeries(), NaiveParams(3), Horizon::kYear, 2020).has_value());
}

TEST(CalibrateIntervals, BacktestsTheYearsBeforeTheTargetThatHaveEnoughHistory) {
  // History from 2016: 2017 has one training year and is skipped; 2018 and 2019 are backtested.
  const TimeSeries history = SyntheticLoad(D(2016, 1, 1), D(2021, 1, 1));
  const auto c = CalibrateIntervals(history, NaiveParams(3), Horizon::kYear, 2020);
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->years, (std::vector<int>{2018, 2019}));
  EXPECT_EQ(c->residuals, 365u + 365u);
  EXPECT_LE(c->all.lower, 0.0);
  EXPECT_GE(c->all.upper, 0.0);
  EXPECT_GT(c->all.upper - c->all.lower, 0.0);

  // Only two years of history before the only candidate year: nothing can be backtested.
  const TimeSeries short_history = SyntheticLoad(D(2018, 1, 1), D(2021, 1, 1));
  EXPECT_FALSE(CalibrateIntervals(short_history, NaiveParams(1), Horizon::kYear, 2020));
}

TEST(CalibrateIntervals, IsDeterministicForBothHorizons) {
  const TimeSeries history = SyntheticLoad(D(2014, 1, 1), D(2021, 1, 1));
  for (Horizon h : {Horizon::kYear, Horizon::kDay}) {
    const auto a = CalibrateIntervals(history, NaiveParams(3), h, 2020);
    const auto b = CalibrateIntervals(history, NaiveParams(3), h, 2020);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->years, (std::vector<int>{2017, 2018, 2019}));
    EXPECT_EQ(CalibrationToJson(*a), CalibrationToJson(*b));
  }
}

TEST(BacktestFolds, ACacheFitsEachYearOnceAndGivesTheSameFolds) {
  const TimeSeries history = SyntheticLoad(D(2012, 1, 1), D(2022, 1, 1));
  for (Horizon h : {Horizon::kYear, Horizon::kDay}) {
    const ModelSpec params = NaiveParams(3);
    const auto uncached = BacktestFolds(history, params, h, 2021, 5);
    FoldCache cache;
    const auto first = BacktestFolds(history, params, h, 2021, 5, &cache);
    // Later targets ask for overlapping years: 2017-2020 come from the cache.
    const auto second = BacktestFolds(history, params, h, 2022, 5, &cache);
    ASSERT_EQ(uncached.size(), first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
      EXPECT_EQ(first[i].year, uncached[i].year);
      EXPECT_EQ(first[i].forecast.mean, uncached[i].forecast.mean);
      EXPECT_EQ(first[i].forecast.dates, uncached[i].forecast.dates);
    }
    ASSERT_EQ(second.size(), 5u);
    EXPECT_EQ(second.front().year, 2017);
    EXPECT_EQ(second.back().year, 2021);
    EXPECT_EQ(second.front().forecast.mean, first[1].forecast.mean);
  }
}

TEST(FoldCache, ReusesAFoldOnlyForTheSameSliceOfHistory) {
  const TimeSeries history = SyntheticLoad(D(2014, 1, 1), D(2021, 1, 1));
  const ModelSpec params = NaiveParams(3);
  FoldCache cache;
  const auto folds = BacktestFolds(history, params, Horizon::kYear, 2020, 1, &cache);
  ASSERT_EQ(folds.size(), 1u);
  const TimeSeries slice = history.slice(D(2017, 1, 1), D(2020, 1, 1));
  ASSERT_NE(cache.Find(2019, slice), nullptr);
  EXPECT_EQ(cache.Find(2018, slice), nullptr);

  // A changed training day, a missing day, a longer slice: not the same data, not the same fold.
  TimeSeries changed = slice;
  changed.set(D(2018, 3, 1), slice.at(D(2018, 3, 1)) * 1.01);
  EXPECT_EQ(cache.Find(2019, changed), nullptr);
  TimeSeries holed = slice;
  holed.set(D(2018, 3, 1), kMissing);
  EXPECT_EQ(cache.Find(2019, holed), nullptr);
  EXPECT_EQ(cache.Find(2019, history.slice(D(2016, 1, 1), D(2020, 1, 1))), nullptr);

  // Refitted on the changed data, the fold is the new data's, and replaces the old one.
  TimeSeries edited = history;
  edited.set(D(2018, 3, 1), history.at(D(2018, 3, 1)) * 1.5);
  const auto refitted = BacktestFolds(edited, params, Horizon::kYear, 2020, 1, &cache);
  const auto fresh = BacktestFolds(edited, params, Horizon::kYear, 2020, 1);
  ASSERT_EQ(refitted.size(), 1u);
  EXPECT_EQ(refitted.front().forecast.mean, fresh.front().forecast.mean);
  EXPECT_NE(refitted.front().forecast.mean, folds.front().forecast.mean);
}

}  // namespace
}  // namespace loadcast
