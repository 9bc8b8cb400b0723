#include "core/time_series.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace loadcast {
namespace {

Date D(const char* iso) { return Date::ParseIso(iso).value(); }

TEST(TimeSeries, DefaultIsEmpty) {
  const TimeSeries series;
  EXPECT_TRUE(series.empty());
  EXPECT_EQ(series.size(), 0u);
  EXPECT_EQ(series.end(), series.start());
  EXPECT_EQ(series.count_known(), 0u);
  EXPECT_FALSE(series.last_known().has_value());
  EXPECT_TRUE(std::isnan(series.at(D("2021-01-01"))));
  EXPECT_FALSE(series.has(D("2021-01-01")));
}

TEST(TimeSeries, ReadsValuesByDate) {
  const TimeSeries series(D("2021-01-01"), {1.0, kMissing, 3.0});
  EXPECT_EQ(series.start(), D("2021-01-01"));
  EXPECT_EQ(series.end(), D("2021-01-04"));
  EXPECT_EQ(series.at(D("2021-01-01")), 1.0);
  EXPECT_TRUE(std::isnan(series.at(D("2021-01-02"))));
  EXPECT_EQ(series.at(D("2021-01-03")), 3.0);
  EXPECT_TRUE(series.has(D("2021-01-03")));
  EXPECT_FALSE(series.has(D("2021-01-02")));
  // Outside the series is unknown, not an error.
  EXPECT_TRUE(std::isnan(series.at(D("2020-12-31"))));
  EXPECT_TRUE(std::isnan(series.at(D("2021-01-04"))));
  EXPECT_EQ(series.date_at(2), D("2021-01-03"));
}

TEST(TimeSeriesSet, StartsAnEmptySeriesAtTheDate) {
  TimeSeries series;
  series.set(D("2021-06-15"), 42.0);
  EXPECT_EQ(series.start(), D("2021-06-15"));
  EXPECT_EQ(series.size(), 1u);
  EXPECT_EQ(series.at(D("2021-06-15")), 42.0);
}

TEST(TimeSeriesSet, OverwritesInsideTheSeries) {
  TimeSeries series(D("2021-01-01"), {1.0, 2.0, 3.0});
  series.set(D("2021-01-02"), 20.0);
  EXPECT_EQ(series.size(), 3u);
  EXPECT_EQ(series.values(), (std::vector<double>{1.0, 20.0, 3.0}));
}

TEST(TimeSeriesSet, GrowsForwardWithMissingHoles) {
  TimeSeries series(D("2021-01-01"), {1.0});
  series.set(D("2021-01-04"), 4.0);
  EXPECT_EQ(series.start(), D("2021-01-01"));
  ASSERT_EQ(series.size(), 4u);
  EXPECT_EQ(series.at(D("2021-01-01")), 1.0);
  EXPECT_FALSE(series.has(D("2021-01-02")));
  EXPECT_FALSE(series.has(D("2021-01-03")));
  EXPECT_EQ(series.at(D("2021-01-04")), 4.0);
  // The day right after the end grows by exactly one.
  series.set(D("2021-01-05"), 5.0);
  EXPECT_EQ(series.size(), 5u);
  EXPECT_EQ(series.count_known(), 3u);
}

TEST(TimeSeriesSet, GrowsBackwardWithMissingHoles) {
  TimeSeries series(D("2021-01-10"), {10.0, 11.0});
  series.set(D("2021-01-07"), 7.0);
  EXPECT_EQ(series.start(), D("2021-01-07"));
  ASSERT_EQ(series.size(), 5u);
  EXPECT_EQ(series.at(D("2021-01-07")), 7.0);
  EXPECT_FALSE(series.has(D("2021-01-08")));
  EXPECT_FALSE(series.has(D("2021-01-09")));
  EXPECT_EQ(series.at(D("2021-01-10")), 10.0);
  EXPECT_EQ(series.at(D("2021-01-11")), 11.0);
  EXPECT_EQ(series.end(), D("2021-01-12"));
}

TEST(TimeSeriesSet, GrowsBothWaysAcrossYearBoundaries) {
  TimeSeries series;
  series.set(D("2021-01-01"), 1.0);
  series.set(D("2020-12-30"), 2.0);
  series.set(D("2021-03-01"), 3.0);
  EXPECT_EQ(series.start(), D("2020-12-30"));
  EXPECT_EQ(series.end(), D("2021-03-02"));
  EXPECT_EQ(series.size(), static_cast<std::size_t>(D("2021-03-02") - D("2020-12-30")));
  EXPECT_EQ(series.count_known(), 3u);
  EXPECT_EQ(series.at(D("2020-12-30")), 2.0);
  EXPECT_EQ(series.at(D("2021-01-01")), 1.0);
  EXPECT_EQ(series.at(D("2021-03-01")), 3.0);
}

TEST(TimeSeriesSet, CanStoreMissingToForgetAValue) {
  TimeSeries series(D("2021-01-01"), {1.0, 2.0});
  series.set(D("2021-01-02"), kMissing);
  EXPECT_EQ(series.size(), 2u);
  EXPECT_EQ(series.count_known(), 1u);
  EXPECT_EQ(series.last_known(), D("2021-01-01"));
}

TEST(TimeSeriesSlice, ReturnsTheHalfOpenRange) {
  const TimeSeries series(D("2021-01-01"), {1.0, 2.0, 3.0, 4.0, 5.0});
  const TimeSeries part = series.slice(D("2021-01-02"), D("2021-01-04"));
  EXPECT_EQ(part.start(), D("2021-01-02"));
  EXPECT_EQ(part.values(), (std::vector<double>{2.0, 3.0}));
}

TEST(TimeSeriesSlice, ClipsToWhatExists) {
  const TimeSeries series(D("2021-01-01"), {1.0, 2.0, 3.0});
  const TimeSeries before = series.slice(D("2020-12-01"), D("2021-01-03"));
  EXPECT_EQ(before.start(), D("2021-01-01"));
  EXPECT_EQ(before.values(), (std::vector<double>{1.0, 2.0}));
  const TimeSeries after = series.slice(D("2021-01-02"), D("2021-12-31"));
  EXPECT_EQ(after.start(), D("2021-01-02"));
  EXPECT_EQ(after.values(), (std::vector<double>{2.0, 3.0}));
  const TimeSeries all = series.slice(D("2000-01-01"), D("2100-01-01"));
  EXPECT_EQ(all.start(), series.start());
  EXPECT_EQ(all.values(), series.values());
}

TEST(TimeSeriesSlice, IsEmptyOutsideOrForEmptyRanges) {
  const TimeSeries series(D("2021-01-01"), {1.0, 2.0, 3.0});
  EXPECT_TRUE(series.slice(D("2020-01-01"), D("2020-12-31")).empty());
  EXPECT_TRUE(series.slice(D("2021-01-04"), D("2021-02-01")).empty());
  EXPECT_TRUE(series.slice(D("2021-01-02"), D("2021-01-02")).empty());
  EXPECT_TRUE(series.slice(D("2021-01-03"), D("2021-01-01")).empty());  // reversed
  EXPECT_TRUE(TimeSeries().slice(D("2021-01-01"), D("2022-01-01")).empty());
}

TEST(TimeSeriesSlice, KeepsMissingHoles) {
  const TimeSeries series(D("2021-01-01"), {1.0, kMissing, 3.0});
  const TimeSeries part = series.slice(D("2021-01-02"), D("2021-01-04"));
  ASSERT_EQ(part.size(), 2u);
  EXPECT_FALSE(part.has(D("2021-01-02")));
  EXPECT_EQ(part.at(D("2021-01-03")), 3.0);
}

TEST(TimeSeriesLastKnown, SkipsTrailingMissingValues) {
  const TimeSeries series(D("2021-01-01"), {1.0, kMissing, 3.0, kMissing, kMissing});
  EXPECT_EQ(series.last_known(), D("2021-01-03"));
  const TimeSeries full(D("2021-01-01"), {1.0, 2.0});
  EXPECT_EQ(full.last_known(), D("2021-01-02"));
  const TimeSeries unknown(D("2021-01-01"), {kMissing, kMissing});
  EXPECT_FALSE(unknown.last_known().has_value());
}

TEST(TimeSeriesCountKnown, CountsNonMissingValues) {
  EXPECT_EQ(TimeSeries(D("2021-01-01"), {1.0, kMissing, 0.0, kMissing, -2.0}).count_known(), 3u);
  EXPECT_EQ(TimeSeries(D("2021-01-01"), {kMissing}).count_known(), 0u);
  EXPECT_EQ(TimeSeries(D("2021-01-01"), std::vector<double>(400, 1.0)).count_known(), 400u);
}

}  // namespace
}  // namespace loadcast
