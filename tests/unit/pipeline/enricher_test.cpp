#include "pipeline/enricher.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace loadcast {
namespace {

/// Synthetic actuals for every day in [from, through], with a value that encodes the date so a
/// misplaced day shows.
TimeSeries Actuals(Date from, Date through) {
  TimeSeries series;
  for (Date d = from; !(through < d); ++d) series.set(d, 600000.0 + d.days());
  return series;
}

ExtractedData Extracted(int target_year, Date from, Date through) {
  ExtractedData out;
  out.target_year = target_year;
  out.first_year = from.year();
  out.actuals = Actuals(from, through);
  return out;
}

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

TEST(Enricher, YearHorizonTargetsEveryDayOfTheYear) {
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kYear);
  EXPECT_EQ(e.target_year, 2021);
  EXPECT_EQ(e.horizon, Horizon::kYear);
  ASSERT_EQ(e.targets.size(), 365u);
  EXPECT_EQ(e.targets.days.front().date, D(2021, 1, 1));
  EXPECT_EQ(e.targets.days.back().date, D(2021, 12, 31));
  ASSERT_EQ(e.targets.load.size(), 365u);
}

TEST(Enricher, YearHorizonOfALeapYearHas366Targets) {
  const EnrichedData e = Enrich(Extracted(2020, D(2017, 1, 1), D(2020, 3, 31)), Horizon::kYear);
  ASSERT_EQ(e.targets.size(), 366u);
  EXPECT_EQ(e.targets.days[59].date, D(2020, 2, 29));
}

TEST(Enricher, YearHorizonTargetsCarryTheActualsWhereTheyExist) {
  // The target year is observed up to March 31: later targets have no load yet.
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 3, 31)), Horizon::kYear);
  ASSERT_EQ(e.targets.size(), 365u);
  EXPECT_DOUBLE_EQ(e.targets.load[0], 600000.0 + D(2021, 1, 1).days());
  EXPECT_DOUBLE_EQ(e.targets.load[89], 600000.0 + D(2021, 3, 31).days());
  EXPECT_TRUE(std::isnan(e.targets.load[90]));
  EXPECT_TRUE(std::isnan(e.targets.load[364]));
}

TEST(Enricher, YearHorizonOfAnUnobservedYearStillTargetsTheWholeYear) {
  const EnrichedData e = Enrich(Extracted(2022, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kYear);
  ASSERT_EQ(e.targets.size(), 365u);
  for (double v : e.targets.load) ASSERT_TRUE(std::isnan(v));
}

TEST(Enricher, YearHorizonKnownExcludesTheTargetYear) {
  // A year-ahead forecast is made on Dec 31: nothing of the target year may leak into it.
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kYear);
  EXPECT_EQ(e.known.start(), D(2018, 1, 1));
  EXPECT_EQ(e.known.end(), D(2021, 1, 1));
  EXPECT_EQ(e.known.last_known(), D(2020, 12, 31));
  EXPECT_FALSE(e.known.has(D(2021, 1, 1)));
}

TEST(Enricher, TrainingFrameSpansTheWindowBeforeTheTargetYear) {
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kYear);
  EXPECT_EQ(e.trained_from, D(2018, 1, 1));
  EXPECT_EQ(e.trained_to, D(2020, 12, 31));
  ASSERT_EQ(e.training.size(), 365u + 365u + 366u);
  EXPECT_EQ(e.training.days.front().date, D(2018, 1, 1));
  EXPECT_EQ(e.training.days.back().date, D(2020, 12, 31));
  ASSERT_EQ(e.training.load.size(), e.training.size());
  for (std::size_t i = 0; i < e.training.size(); ++i) {
    ASSERT_DOUBLE_EQ(e.training.load[i], 600000.0 + e.training.days[i].date.days()) << i;
  }
}

TEST(Enricher, TrainingFrameIsTheSameForBothHorizons) {
  const ExtractedData x = Extracted(2021, D(2018, 1, 1), D(2021, 6, 15));
  const EnrichedData year = Enrich(x, Horizon::kYear);
  const EnrichedData day = Enrich(x, Horizon::kDay);
  EXPECT_EQ(year.training.size(), day.training.size());
  EXPECT_EQ(year.trained_from, day.trained_from);
  EXPECT_EQ(year.trained_to, day.trained_to);
}

TEST(Enricher, FramesCarryCalendarFacts) {
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kYear);
  EXPECT_EQ(e.targets.days[0].holiday, Holiday::kNewYear);
  EXPECT_EQ(e.targets.days[0].weekday, 4);  // 2021-01-01 was a Friday
  EXPECT_EQ(e.targets.days[D(2021, 12, 25) - D(2021, 1, 1)].holiday, Holiday::kChristmas);
  EXPECT_EQ(e.targets.days[D(2021, 8, 15) - D(2021, 1, 1)].holiday, Holiday::kFerragosto);
}

TEST(Enricher, DayHorizonTargetsStopTheDayAfterTheLastActual) {
  // Actuals through June 15: the last day-ahead forecast possible is for June 16.
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 6, 15)), Horizon::kDay);
  EXPECT_EQ(e.horizon, Horizon::kDay);
  ASSERT_EQ(e.targets.size(), static_cast<std::size_t>(D(2021, 6, 16) - D(2021, 1, 1) + 1));
  EXPECT_EQ(e.targets.days.front().date, D(2021, 1, 1));
  EXPECT_EQ(e.targets.days.back().date, D(2021, 6, 16));
  EXPECT_TRUE(std::isnan(e.targets.load.back()));
  EXPECT_FALSE(std::isnan(e.targets.load[e.targets.size() - 2]));
}

TEST(Enricher, DayHorizonOfACompleteYearTargetsTheWholeYear) {
  // The day after Dec 31 belongs to the next year: the targets stop at the year's end.
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kDay);
  ASSERT_EQ(e.targets.size(), 365u);
  EXPECT_EQ(e.targets.days.back().date, D(2021, 12, 31));
}

TEST(Enricher, DayHorizonOfAnUnobservedYearTargetsOnlyJanuaryFirst) {
  const EnrichedData e = Enrich(Extracted(2022, D(2018, 1, 1), D(2021, 12, 31)), Horizon::kDay);
  ASSERT_EQ(e.targets.size(), 1u);
  EXPECT_EQ(e.targets.days[0].date, D(2022, 1, 1));
}

TEST(Enricher, DayHorizonKnowsEveryActual) {
  // Each day-ahead forecast may read up to the day before it, so all actuals are available.
  const EnrichedData e = Enrich(Extracted(2021, D(2018, 1, 1), D(2021, 6, 15)), Horizon::kDay);
  EXPECT_EQ(e.known.last_known(), D(2021, 6, 15));
  EXPECT_EQ(e.known.count_known(), e.known.size());
  EXPECT_EQ(e.known.start(), D(2018, 1, 1));
}

}  // namespace
}  // namespace loadcast
