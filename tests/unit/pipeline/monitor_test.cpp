#include "pipeline/monitor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

namespace loadcast {
namespace {

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

/// A calendar-shaped load: weekly and annual cycles with a small deterministic wiggle, from 2010
/// to the end of 2020, multiplied by `factor` from `break_day` on.
TimeSeries SyntheticLoad(Date break_day, double factor) {
  TimeSeries s;
  int i = 0;
  for (Date d = D(2010, 1, 1); d < D(2021, 1, 1); ++d, ++i) {
    const double weekly = d.weekday() == 6 ? -0.25 : (d.weekday() == 5 ? -0.12 : 0.0);
    const double annual = 0.08 * std::cos(2.0 * std::numbers::pi * (d.day_of_year() - 200) / 365.0);
    const double wiggle = 0.015 * std::sin(i * 2.3) + 0.01 * std::cos(i * 0.7);
    double load = 800000.0 * std::exp(weekly + annual + wiggle);
    if (d >= break_day) load *= factor;
    s.set(d, load);
  }
  return s;
}

ModelSpec Params() {
  return {.common = {.training_years = 10}, .params = CalendarRegressionParams{.fourier_order = 4}};
}

TEST(MeasureDrift, AQuietYearDoesNotDrift) {
  const TimeSeries load = SyntheticLoad(D(2030, 1, 1), 1.0);
  const DriftReport report = MeasureDrift(load, 2020, D(2020, 6, 30), Params(), MonitorSettings{});
  ASSERT_EQ(report.reference_years.size(), 10u);
  EXPECT_EQ(report.reference_years.front(), 2010);
  ASSERT_GE(report.windows.size(), 20u);
  for (const DriftWindow& w : report.windows) {
    EXPECT_EQ(w.status, WindowStatus::kPass) << w.end.ToIso() << " " << w.reason;
    EXPECT_LT(std::abs(w.statistics.mean_shift_percent), 2.0);
  }
  EXPECT_EQ(report.drift_share, 0.0);
}

TEST(MeasureDrift, ALevelBreakIsCriticalOnceItFillsTheWindow) {
  const TimeSeries load = SyntheticLoad(D(2020, 3, 9), 0.8);
  const DriftReport report = MeasureDrift(load, 2020, D(2020, 4, 30), Params(), MonitorSettings{});
  ASSERT_FALSE(report.windows.empty());
  for (const DriftWindow& w : report.windows) {
    if (w.end < D(2020, 3, 9)) {
      EXPECT_EQ(w.status, WindowStatus::kPass) << w.end.ToIso();
    }
    if (w.start >= D(2020, 3, 9)) {
      EXPECT_EQ(w.status, WindowStatus::kCritical) << w.end.ToIso();
      EXPECT_NEAR(w.statistics.mean_shift_percent, -20.0, 2.0);
      EXPECT_LT(w.statistics.ks_p_value, 1e-6);
    }
  }
  EXPECT_GT(report.drift_share, 0.0);
}

TEST(MeasureDrift, WindowsEndOnSundaysEveryStepAndNeverAfterAsOf) {
  const TimeSeries load = SyntheticLoad(D(2030, 1, 1), 1.0);
  const DriftReport report = MeasureDrift(load, 2020, D(2020, 3, 31), Params(), MonitorSettings{});
  ASSERT_FALSE(report.windows.empty());
  EXPECT_EQ(report.windows.back().end, D(2020, 3, 29));  // the Sunday before Tuesday 31 March
  for (std::size_t i = 0; i < report.windows.size(); ++i) {
    const DriftWindow& w = report.windows[i];
    EXPECT_EQ(w.end.weekday(), 6);
    EXPECT_EQ(w.end - w.start, 27);
    EXPECT_GE(w.start, D(2020, 1, 1));
    EXPECT_EQ(w.statistics.current_size, 28u);
    EXPECT_EQ(w.statistics.reference_size, 280u);
    if (i > 0) {
      EXPECT_EQ(w.end - report.windows[i - 1].end, 7);
    }
  }
}

BacktestResiduals ConstantError(double ape_percent) {
  BacktestResiduals b;
  for (int year : {2017, 2018, 2019}) {
    for (Date d = D(year, 1, 1); d < D(year + 1, 1, 1); ++d) {
      b.dates.push_back(d);
      // A forecast `ape_percent` above the actual: log(actual / forecast) < 0.
      b.log_residuals.push_back(-std::log(1.0 + ape_percent / 100.0));
    }
    b.years.push_back(year);
  }
  return b;
}

TEST(ClassifyMeanShift, IsWarningFromTheWarningLimitAndCriticalFromTheCriticalOneEitherWay) {
  MonitorSettings settings;
  settings.drift_shift_warning = 5.0;
  settings.drift_shift_critical = 10.0;
  EXPECT_EQ(ClassifyMeanShift(4.9, settings), WindowStatus::kPass);
  EXPECT_EQ(ClassifyMeanShift(5.0, settings), WindowStatus::kWarning);
  EXPECT_EQ(ClassifyMeanShift(-7.0, settings), WindowStatus::kWarning);
  EXPECT_EQ(ClassifyMeanShift(10.0, settings), WindowStatus::kCritical);
  EXPECT_EQ(ClassifyMeanShift(-12.0, settings), WindowStatus::kCritical);
}

TEST(MeasureLevelDrift, ClassifiesTheLastTrainingDaysByTheMeanShiftRule) {
  const int level_days = 90;
  const MonitorSettings settings;
  const LevelDrift quiet = MeasureLevelDrift(std::log(1.01), D(2021, 1, 1), level_days, settings);
  EXPECT_NEAR(quiet.shift_percent, 1.0, 1e-9);
  EXPECT_EQ(quiet.status, WindowStatus::kPass);
  EXPECT_FALSE(quiet.threshold);
  const LevelDrift shifted = MeasureLevelDrift(std::log(1.2), D(2021, 1, 1), level_days, settings);
  EXPECT_NEAR(shifted.shift_percent, 20.0, 1e-9);
  EXPECT_EQ(shifted.status, ClassifyMeanShift(20.0, settings));
  EXPECT_EQ(shifted.threshold, settings.drift_shift_critical);
  EXPECT_EQ(shifted.start, D(2020, 10, 3));
  EXPECT_EQ(shifted.end, D(2020, 12, 31));
  EXPECT_NE(shifted.reason.find("the last 90 training days ran +20.0%"), std::string::npos)
      << shifted.reason;
}

TEST(DeriveErrorThresholds, AreTheQuantileOfBacktestedRollingAndMonthlyErrors) {
  MonitorSettings settings;
  const auto t = DeriveErrorThresholds(ConstantError(3.0), settings);
  ASSERT_TRUE(t.has_value());
  EXPECT_NEAR(t->rolling_warning, 3.0, 1e-9);
  EXPECT_NEAR(t->monthly_warning, 3.0, 1e-9);
  EXPECT_NEAR(t->rolling_critical, 1.5 * 3.0, 1e-9);
  EXPECT_NEAR(t->monthly_critical, 1.5 * 3.0, 1e-9);
  EXPECT_EQ(t->years, (std::vector<int>{2017, 2018, 2019}));
  EXPECT_FALSE(DeriveErrorThresholds(BacktestResiduals{}, settings).has_value());
}

TEST(MeasurePerformance, ScoresCompleteRollingWindowsAndMonthsUpToAsOf) {
  TimeSeries actuals;
  std::vector<Date> dates;
  std::vector<double> forecast;
  for (Date d = D(2020, 1, 1); d < D(2021, 1, 1); ++d) {
    actuals.set(d, 1000.0);
    dates.push_back(d);
    // 2 % off in January and February, 20 % off from 10 March.
    forecast.push_back(d < D(2020, 3, 10) ? 1020.0 : 1200.0);
  }
  const ErrorThresholds thresholds{5.0, 10.0, 4.0, 8.0, {2019}};
  const auto windows =
      MeasurePerformance(dates, forecast, actuals, D(2020, 3, 31), thresholds, MonitorSettings{});
  int months = 0;
  bool saw_critical = false;
  for (const PerformanceWindow& w : windows) {
    EXPECT_LE(w.end, D(2020, 3, 31));
    if (w.scope == "month") {
      ++months;
      if (w.start == D(2020, 1, 1)) {
        EXPECT_EQ(w.status, WindowStatus::kPass);
      }
      if (w.start == D(2020, 3, 1)) {
        EXPECT_NEAR(w.mape, (9 * 2.0 + 22 * 20.0) / 31.0, 1e-9);
        EXPECT_EQ(w.status, WindowStatus::kCritical);
      }
      continue;
    }
    EXPECT_EQ(w.days, 7);
    if (w.end < D(2020, 3, 10)) {
      EXPECT_EQ(w.status, WindowStatus::kPass) << w.end.ToIso();
    }
    if (w.start >= D(2020, 3, 10)) {
      EXPECT_NEAR(w.mape, 20.0, 1e-9);
      saw_critical = saw_critical || w.status == WindowStatus::kCritical;
    }
  }
  EXPECT_EQ(months, 3);
  EXPECT_TRUE(saw_critical);
}

TEST(MeasurePerformance, SkipsWindowsWithUnknownDaysAndIncompleteMonths) {
  TimeSeries actuals;
  std::vector<Date> dates;
  std::vector<double> forecast;
  for (Date d = D(2020, 1, 1); d < D(2020, 2, 15); ++d) {
    if (d != D(2020, 1, 10)) actuals.set(d, 1000.0);
    dates.push_back(d);
    forecast.push_back(1010.0);
  }
  const ErrorThresholds thresholds{5.0, 10.0, 4.0, 8.0, {2019}};
  const auto windows =
      MeasurePerformance(dates, forecast, actuals, D(2020, 2, 14), thresholds, MonitorSettings{});
  int months = 0;
  for (const PerformanceWindow& w : windows) {
    if (w.scope == "month") {
      // January counts with 30 known days; February is not complete.
      EXPECT_EQ(w.start, D(2020, 1, 1));
      EXPECT_EQ(w.days, 30);
      ++months;
      continue;
    }
    EXPECT_FALSE(w.start <= D(2020, 1, 10) && w.end >= D(2020, 1, 10)) << w.start.ToIso();
  }
  EXPECT_EQ(months, 1);
}

}  // namespace
}  // namespace loadcast
