#include "model/calendar_design.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <string>
#include <vector>

#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

using testing::D;

/// The row of a day as a name -> value lookup.
class Row {
 public:
  Row(const CalendarDesign& design, Date date, int level_years = 1)
      : design_(design), values_(static_cast<std::size_t>(design.cols())) {
    design.Fill(DescribeDay(date), design.LevelWeights(date.year(), level_years), values_);
  }
  double operator[](const std::string& name) const {
    const auto& names = design_.names();
    const auto it = std::find(names.begin(), names.end(), name);
    EXPECT_NE(it, names.end()) << "no column " << name;
    return it == names.end() ? std::nan("") : values_[static_cast<std::size_t>(it - names.begin())];
  }
  /// Names of the nonzero columns whose name starts with `prefix`.
  std::vector<std::string> Set(const std::string& prefix) const {
    std::vector<std::string> out;
    for (std::size_t c = 0; c < values_.size(); ++c) {
      if (values_[c] != 0.0 && design_.names()[c].starts_with(prefix)) {
        out.push_back(design_.names()[c]);
      }
    }
    return out;
  }

 private:
  const CalendarDesign& design_;
  std::vector<double> values_;
};

using Names = std::vector<std::string>;

TEST(CalendarDesign, CountsColumnsPerGroup) {
  // Levels, 6 weekday dummies (Monday is the baseline), 4 weekend-season terms, 2 per harmonic,
  // 12 holidays, holiday_on_saturday, bridge and 7 periods.
  const CalendarDesign design(4, 2013, 2018);
  EXPECT_EQ(design.level_cols(), 6);
  EXPECT_EQ(design.cols(), 6 + 6 + 4 + 8 + 12 + 1 + 1 + 7);
  EXPECT_EQ(design.first_year(), 2013);
  EXPECT_EQ(design.last_year(), 2018);
  EXPECT_EQ(static_cast<int>(design.names().size()), design.cols());
  const CalendarDesign single(0, 2020, 2020);
  EXPECT_EQ(single.level_cols(), 1);
  EXPECT_EQ(single.cols(), 1 + 6 + 4 + 0 + 12 + 1 + 1 + 7);
  EXPECT_EQ(CalendarDesign(12, 2000, 2029).cols(), 30 + 6 + 4 + 24 + 12 + 1 + 1 + 7);
}

TEST(CalendarDesign, NamesAreUniqueAndDescriptive) {
  const CalendarDesign design(4, 2013, 2018);
  const auto& names = design.names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  EXPECT_EQ(names.front(), "level_2013");
  EXPECT_EQ(names[5], "level_2018");
  EXPECT_EQ(names[6], "weekday_tue");
  EXPECT_EQ(names.back(), "period_new_year_week");
  for (const char* name : {"weekday_sun", "sat_cos1", "sun_sin1", "cos4", "sin4",
                           "holiday_new_year", "holiday_easter_monday", "holiday_st_stephen",
                           "holiday_on_saturday", "bridge", "period_august_peak"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  EXPECT_EQ(std::find(names.begin(), names.end(), "holiday_none"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "weekday_mon"), names.end());
  EXPECT_EQ(std::find(names.begin(), names.end(), "cos5"), names.end());
}

TEST(CalendarDesignLevelWeights, IsOneHotInsideTheTrainingSpan) {
  const CalendarDesign design(4, 2013, 2018);
  for (int year = 2013; year <= 2018; ++year) {
    std::vector<double> expected(6, 0.0);
    expected[static_cast<std::size_t>(year - 2013)] = 1.0;
    EXPECT_EQ(design.LevelWeights(year, 1), expected) << year;
    EXPECT_EQ(design.LevelWeights(year, 3), expected) << year;  // level_years is for the future
  }
}

TEST(CalendarDesignLevelWeights, AveragesTheLastYearsAfterTheSpan) {
  const CalendarDesign design(4, 2013, 2018);
  EXPECT_EQ(design.LevelWeights(2019, 1), (std::vector<double>{0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(design.LevelWeights(2019, 2), (std::vector<double>{0, 0, 0, 0, 0.5, 0.5}));
  EXPECT_EQ(design.LevelWeights(2025, 2), (std::vector<double>{0, 0, 0, 0, 0.5, 0.5}));
  const std::vector<double> three = design.LevelWeights(2019, 3);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(three[i], 0.0);
  for (std::size_t i = 3; i < 6; ++i) EXPECT_DOUBLE_EQ(three[i], 1.0 / 3.0);
}

TEST(CalendarDesignLevelWeights, ClampsLevelYearsToTheSpan) {
  const CalendarDesign design(4, 2016, 2018);
  for (double w : design.LevelWeights(2019, 10)) EXPECT_DOUBLE_EQ(w, 1.0 / 3.0);
  EXPECT_EQ(design.LevelWeights(2019, 0), (std::vector<double>{0, 0, 1}));
}

TEST(CalendarDesignLevelWeights, UsesTheFirstYearBeforeTheSpan) {
  const CalendarDesign design(4, 2016, 2018);
  EXPECT_EQ(design.LevelWeights(2010, 1), (std::vector<double>{1, 0, 0}));
}

TEST(CalendarDesignLevelWeights, AlwaysSumsToOne) {
  // The levels act as the intercept: every row must carry exactly one unit of level.
  const CalendarDesign design(4, 2010, 2018);
  for (int year = 2005; year <= 2025; ++year) {
    for (int level_years = 1; level_years <= 10; ++level_years) {
      double sum = 0.0;
      for (double w : design.LevelWeights(year, level_years)) sum += w;
      EXPECT_NEAR(sum, 1.0, 1e-12) << year << " " << level_years;
    }
  }
}

TEST(CalendarDesignFill, PutsTheLevelWeightsFirst) {
  const CalendarDesign design(2, 2017, 2019);
  const Row in_sample(design, D("2018-03-07"));
  EXPECT_EQ(in_sample["level_2017"], 0.0);
  EXPECT_EQ(in_sample["level_2018"], 1.0);
  EXPECT_EQ(in_sample["level_2019"], 0.0);
  const Row future(design, D("2020-03-04"), 2);
  EXPECT_EQ(future["level_2017"], 0.0);
  EXPECT_EQ(future["level_2018"], 0.5);
  EXPECT_EQ(future["level_2019"], 0.5);
}

TEST(CalendarDesignFill, SetsOneWeekdayDummyWithMondayAsBaseline) {
  const CalendarDesign design(4, 2021, 2021);
  // 2021-03-08 is a Monday with no holiday or period.
  EXPECT_EQ(Row(design, D("2021-03-08")).Set("weekday_"), Names{});
  EXPECT_EQ(Row(design, D("2021-03-09")).Set("weekday_"), Names{"weekday_tue"});
  EXPECT_EQ(Row(design, D("2021-03-10")).Set("weekday_"), Names{"weekday_wed"});
  EXPECT_EQ(Row(design, D("2021-03-11")).Set("weekday_"), Names{"weekday_thu"});
  EXPECT_EQ(Row(design, D("2021-03-12")).Set("weekday_"), Names{"weekday_fri"});
  EXPECT_EQ(Row(design, D("2021-03-13")).Set("weekday_"), Names{"weekday_sat"});
  EXPECT_EQ(Row(design, D("2021-03-14")).Set("weekday_"), Names{"weekday_sun"});
  EXPECT_EQ(Row(design, D("2021-03-14"))["weekday_sun"], 1.0);
}

TEST(CalendarDesignFill, SetsWeekendSeasonTermsOnlyOnWeekends) {
  const CalendarDesign design(1, 2021, 2021);
  const double angle = 2.0 * std::numbers::pi * DescribeDay(D("2021-03-13")).year_phase;
  const Row saturday(design, D("2021-03-13"));
  EXPECT_DOUBLE_EQ(saturday["sat_cos1"], std::cos(angle));
  EXPECT_DOUBLE_EQ(saturday["sat_sin1"], std::sin(angle));
  EXPECT_EQ(saturday["sun_cos1"], 0.0);
  EXPECT_EQ(saturday["sun_sin1"], 0.0);
  const Row sunday(design, D("2021-03-14"));
  EXPECT_EQ(sunday["sat_cos1"], 0.0);
  EXPECT_NE(sunday["sun_cos1"], 0.0);
  const Row wednesday(design, D("2021-03-10"));
  for (const char* name : {"sat_cos1", "sat_sin1", "sun_cos1", "sun_sin1"}) {
    EXPECT_EQ(wednesday[name], 0.0) << name;
  }
}

TEST(CalendarDesignFill, SetsAnnualHarmonics) {
  const CalendarDesign design(3, 2021, 2021);
  const Date date = D("2021-05-20");
  const double angle = 2.0 * std::numbers::pi * DescribeDay(date).year_phase;
  const Row row(design, date);
  for (int k = 1; k <= 3; ++k) {
    EXPECT_DOUBLE_EQ(row["cos" + std::to_string(k)], std::cos(k * angle)) << k;
    EXPECT_DOUBLE_EQ(row["sin" + std::to_string(k)], std::sin(k * angle)) << k;
  }
  // On 1 January the phase is zero.
  const Row new_year(design, D("2021-01-01"));
  EXPECT_EQ(new_year["cos2"], 1.0);
  EXPECT_EQ(new_year["sin2"], 0.0);
}

TEST(CalendarDesignFill, SetsHolidayOnlyOnWeekdays) {
  const CalendarDesign design(4, 2019, 2021);
  // 25 April 2019 was a Thursday.
  EXPECT_EQ(Row(design, D("2019-04-25")).Set("holiday_"), Names{"holiday_liberation"});
  // Easter Monday is always a Monday.
  EXPECT_EQ(Row(design, D("2019-04-22")).Set("holiday_"), Names{"holiday_easter_monday"});
  // 1 November 2020 was a Sunday: the Sunday dummy already covers it.
  const Row sunday(design, D("2020-11-01"));
  EXPECT_EQ(sunday.Set("holiday_"), Names{});
  EXPECT_EQ(sunday.Set("weekday_"), Names{"weekday_sun"});
  EXPECT_EQ(Row(design, D("2019-03-13")).Set("holiday_"), Names{});
}

TEST(CalendarDesignFill, SetsEasterSundayDespiteItBeingASunday) {
  const CalendarDesign design(4, 2019, 2021);
  const Row easter(design, D("2021-04-04"));
  EXPECT_EQ(easter.Set("holiday_"), Names{"holiday_easter_sunday"});
  EXPECT_EQ(easter["weekday_sun"], 1.0);
}

TEST(CalendarDesignFill, SharesOneEffectForSaturdayHolidays) {
  const CalendarDesign design(4, 2019, 2021);
  // 25 April 2020 and 1 May 2021 were Saturdays.
  EXPECT_EQ(Row(design, D("2020-04-25")).Set("holiday_"), Names{"holiday_on_saturday"});
  EXPECT_EQ(Row(design, D("2021-05-01")).Set("holiday_"), Names{"holiday_on_saturday"});
  EXPECT_EQ(Row(design, D("2021-05-01"))["weekday_sat"], 1.0);
  // An ordinary Saturday carries no holiday effect.
  EXPECT_EQ(Row(design, D("2021-05-08")).Set("holiday_"), Names{});
}

TEST(CalendarDesignFill, SetsBridge) {
  const CalendarDesign design(4, 2019, 2019);
  EXPECT_EQ(Row(design, D("2019-04-26"))["bridge"], 1.0);  // Friday after a Thursday holiday
  EXPECT_EQ(Row(design, D("2019-04-25"))["bridge"], 0.0);
  EXPECT_EQ(Row(design, D("2019-04-24"))["bridge"], 0.0);
}

TEST(CalendarDesignFill, SetsPeriods) {
  const CalendarDesign design(4, 2019, 2020);
  EXPECT_EQ(Row(design, D("2019-08-05")).Set("period_"), Names{"period_august_early"});
  // Ferragosto is both a holiday and inside the shutdown peak.
  const Row ferragosto(design, D("2019-08-15"));
  EXPECT_EQ(ferragosto.Set("period_"), Names{"period_august_peak"});
  EXPECT_EQ(ferragosto.Set("holiday_"), Names{"holiday_ferragosto"});
  EXPECT_EQ(Row(design, D("2019-08-30")).Set("period_"), Names{"period_august_late"});
  EXPECT_EQ(Row(design, D("2019-12-24")).Set("period_"), Names{"period_christmas_eve"});
  EXPECT_EQ(Row(design, D("2019-12-27")).Set("period_"), Names{"period_year_end_week"});
  EXPECT_EQ(Row(design, D("2019-12-31")).Set("period_"), Names{"period_new_years_eve"});
  EXPECT_EQ(Row(design, D("2020-01-03")).Set("period_"), Names{"period_new_year_week"});
  EXPECT_EQ(Row(design, D("2019-10-15")).Set("period_"), Names{});
}

TEST(CalendarDesignFill, OverwritesEveryValueOfTheRow) {
  // Fill must not leave stale values behind when a buffer is reused from day to day.
  const CalendarDesign design(4, 2019, 2019);
  std::vector<double> reused(static_cast<std::size_t>(design.cols()), 7.0);
  std::vector<double> fresh(static_cast<std::size_t>(design.cols()), 0.0);
  for (Date d = D("2019-01-01"); d < D("2020-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    const auto weights = design.LevelWeights(2019, 1);
    design.Fill(day, weights, reused);
    std::fill(fresh.begin(), fresh.end(), 0.0);
    design.Fill(day, weights, fresh);
    ASSERT_EQ(reused, fresh) << d.ToIso();
  }
}

TEST(CalendarDesignFill, EveryColumnIsUsedOverAFewYears) {
  // A column that is never nonzero would be unidentifiable; the ridge would silently pin it at 0.
  const CalendarDesign design(4, 2016, 2019);
  std::vector<int> used(static_cast<std::size_t>(design.cols()), 0);
  std::vector<double> row(static_cast<std::size_t>(design.cols()));
  for (Date d = D("2016-01-01"); d < D("2020-01-01"); ++d) {
    design.Fill(DescribeDay(d), design.LevelWeights(d.year(), 1), row);
    for (std::size_t c = 0; c < row.size(); ++c) used[c] += row[c] != 0.0 ? 1 : 0;
  }
  for (std::size_t c = 0; c < used.size(); ++c) EXPECT_GT(used[c], 0) << design.names()[c];
}

}  // namespace
}  // namespace loadcast
