#include "model/calendar_design.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <set>
#include <string>
#include <utility>
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
  /// Names and values of the nonzero columns whose name starts with `prefix`.
  std::vector<std::pair<std::string, double>> Weights(const std::string& prefix) const {
    std::vector<std::pair<std::string, double>> out;
    for (std::size_t c = 0; c < values_.size(); ++c) {
      if (values_[c] != 0.0 && design_.names()[c].starts_with(prefix)) {
        out.emplace_back(design_.names()[c], values_[c]);
      }
    }
    return out;
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
using Weights = std::vector<std::pair<std::string, double>>;

/// Checks that a day sets exactly the named columns under `prefix`, with the given values.
void ExpectWeights(const CalendarDesign& design, const char* iso, const std::string& prefix,
                   const Weights& expected) {
  SCOPED_TRACE(iso);
  const Weights actual = Row(design, D(iso)).Weights(prefix);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    EXPECT_EQ(actual[i].first, expected[i].first);
    EXPECT_NEAR(actual[i].second, expected[i].second, 1e-12) << expected[i].first;
  }
}

// Columns besides levels and annual harmonics: 6 weekday dummies (Monday is the baseline), 8
// weekend-season terms (cos and sin of harmonics 1 and 2 for Saturday and Sunday), 12 holidays,
// holiday_on_saturday, holiday_on_sunday, bridge, workday_before_holiday, workday_after_holiday, 19
// Christmas days times 2 day types, christmas_saturday, 3 short runs of Christmas working days,
// and 3 day types times 6 Ferragosto knots.
constexpr int kFixedCols = 6 + 8 + 12 + 2 + 1 + 2 + 19 * 2 + 1 + 3 + 3 * 6;

TEST(CalendarDesign, CountsColumnsPerGroup) {
  const CalendarDesign design(4, 2013, 2018);
  EXPECT_EQ(design.level_cols(), 6);
  EXPECT_EQ(design.cols(), 6 + 8 + kFixedCols);
  EXPECT_EQ(design.first_year(), 2013);
  EXPECT_EQ(design.last_year(), 2018);
  EXPECT_EQ(static_cast<int>(design.names().size()), design.cols());
  const CalendarDesign single(0, 2020, 2020);
  EXPECT_EQ(single.level_cols(), 1);
  EXPECT_EQ(single.cols(), 1 + 0 + kFixedCols);
  EXPECT_EQ(CalendarDesign(12, 2000, 2029).cols(), 30 + 24 + kFixedCols);
}

TEST(CalendarDesign, NamesAreUniqueAndDescriptive) {
  for (const CalendarDesign& design : {CalendarDesign(4, 2013, 2018), CalendarDesign(0, 2020, 2020),
                                       CalendarDesign(12, 2000, 2029)}) {
    const auto& names = design.names();
    EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  }
  const CalendarDesign design(4, 2013, 2018);
  const auto& names = design.names();
  EXPECT_EQ(names.front(), "level_2013");
  EXPECT_EQ(names[5], "level_2018");
  EXPECT_EQ(names[6], "weekday_tue");
  EXPECT_EQ(names.back(), "ferragosto+14_sunday");
  for (const char* name : {"weekday_sun",
                           "sat_cos1",
                           "sat_sin2",
                           "sun_cos2",
                           "sun_sin1",
                           "cos4",
                           "sin4",
                           "holiday_new_year",
                           "holiday_easter_monday",
                           "holiday_st_stephen",
                           "holiday_on_saturday",
                           "holiday_on_sunday",
                           "bridge",
                           "workday_before_holiday",
                           "workday_after_holiday",
                           "christmas-6_workday",
                           "christmas-6_weekend",
                           "christmas-1_workday",
                           "christmas+0_workday",
                           "christmas+6_weekend",
                           "christmas+12_weekend",
                           "christmas_saturday",
                           "christmas_workday_run1",
                           "christmas_workday_run2",
                           "christmas_workday_run3",
                           "ferragosto-21_workday",
                           "ferragosto-14_saturday",
                           "ferragosto-7_sunday",
                           "ferragosto+0_workday",
                           "ferragosto+0_saturday",
                           "ferragosto+0_sunday",
                           "ferragosto+7_workday",
                           "ferragosto+14_workday"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  for (const char* name : {"holiday_none", "weekday_mon", "cos5", "sat_cos3", "sun_sin3",
                           "christmas-7_workday", "christmas+13_workday", "christmas-0_workday",
                           "christmas_workday_run0", "christmas_workday_run4", "christmas_sunday",
                           "ferragosto-28_workday", "ferragosto+21_sunday", "ferragosto-0_workday",
                           "ferragosto+0_weekend", "ferragosto-6_workday", "ferragosto+1_workday",
                           "ferragosto_week+0_workday", "ferragosto_week-3_sunday"}) {
    EXPECT_EQ(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  // No column is left over from the old shutdown periods.
  for (const std::string& name : names) EXPECT_FALSE(name.starts_with("period_")) << name;
  // 19 Christmas columns of each day type, 6 Ferragosto knots of each.
  const auto count = [&](const std::string& prefix, const std::string& suffix) {
    return std::count_if(names.begin(), names.end(), [&](const std::string& n) {
      return n.starts_with(prefix) && n.ends_with(suffix);
    });
  };
  EXPECT_EQ(count("christmas", "_workday"), 19);
  EXPECT_EQ(count("christmas", "_weekend"), 19);
  EXPECT_EQ(count("ferragosto", "_workday"), 6);
  EXPECT_EQ(count("ferragosto", "_saturday"), 6);
  EXPECT_EQ(count("ferragosto", "_sunday"), 6);
  EXPECT_EQ(count("ferragosto_week", ""), 0);
  EXPECT_EQ(count("christmas_workday_run", ""), 3);
}

TEST(CalendarDesign, OrdersTheSeasonColumnsAfterTheChristmasDays) {
  // The Christmas day columns, then the Christmas Saturday and short runs, then the Ferragosto
  // knots: all workday knots, then Saturday, then Sunday.
  const CalendarDesign design(4, 2013, 2018);
  const auto& names = design.names();
  const auto at = std::find(names.begin(), names.end(), "christmas+12_weekend");
  ASSERT_NE(at, names.end());
  const Names tail(at + 1, names.end());
  const Names expected = {
      "christmas_saturday",     "christmas_workday_run1", "christmas_workday_run2",
      "christmas_workday_run3", "ferragosto-21_workday",  "ferragosto-14_workday",
      "ferragosto-7_workday",   "ferragosto+0_workday",   "ferragosto+7_workday",
      "ferragosto+14_workday",  "ferragosto-21_saturday", "ferragosto-14_saturday",
      "ferragosto-7_saturday",  "ferragosto+0_saturday",  "ferragosto+7_saturday",
      "ferragosto+14_saturday", "ferragosto-21_sunday",   "ferragosto-14_sunday",
      "ferragosto-7_sunday",    "ferragosto+0_sunday",    "ferragosto+7_sunday",
      "ferragosto+14_sunday"};
  EXPECT_EQ(tail, expected);
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
  // 2021-03-08 is a Monday with no holiday nor season.
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
  for (int k = 1; k <= 2; ++k) {
    const std::string n = std::to_string(k);
    EXPECT_DOUBLE_EQ(saturday["sat_cos" + n], std::cos(k * angle)) << k;
    EXPECT_DOUBLE_EQ(saturday["sat_sin" + n], std::sin(k * angle)) << k;
    EXPECT_EQ(saturday["sun_cos" + n], 0.0) << k;
    EXPECT_EQ(saturday["sun_sin" + n], 0.0) << k;
  }
  const double sunday_angle = 2.0 * std::numbers::pi * DescribeDay(D("2021-03-14")).year_phase;
  const Row sunday(design, D("2021-03-14"));
  for (int k = 1; k <= 2; ++k) {
    const std::string n = std::to_string(k);
    EXPECT_EQ(sunday["sat_cos" + n], 0.0) << k;
    EXPECT_EQ(sunday["sat_sin" + n], 0.0) << k;
    EXPECT_DOUBLE_EQ(sunday["sun_cos" + n], std::cos(k * sunday_angle)) << k;
    EXPECT_DOUBLE_EQ(sunday["sun_sin" + n], std::sin(k * sunday_angle)) << k;
  }
  // On weekdays, holidays included, every weekend term is zero.
  for (const char* iso : {"2021-03-08", "2021-03-10", "2021-03-12", "2021-06-02", "2021-11-01"}) {
    const Row row(design, D(iso));
    EXPECT_EQ(row.Set("sat_"), Names{}) << iso;
    EXPECT_EQ(row.Set("sun_"), Names{}) << iso;
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

TEST(CalendarDesignFill, SetsEachHolidayWhereverItFalls) {
  const CalendarDesign design(4, 2019, 2021);
  // 25 April 2019 was a Thursday.
  EXPECT_EQ(Row(design, D("2019-04-25")).Set("holiday_"), Names{"holiday_liberation"});
  // Easter Monday is always a Monday.
  EXPECT_EQ(Row(design, D("2019-04-22")).Set("holiday_"), Names{"holiday_easter_monday"});
  // 1 November 2020 was a Sunday: its own effect, shrunk by the shared Sunday adjustment.
  const Row sunday(design, D("2020-11-01"));
  EXPECT_EQ(sunday.Set("holiday_"), (Names{"holiday_all_saints", "holiday_on_sunday"}));
  EXPECT_EQ(sunday.Set("weekday_"), Names{"weekday_sun"});
  EXPECT_EQ(Row(design, D("2019-03-13")).Set("holiday_"), Names{});
  EXPECT_EQ(Row(design, D("2021-03-14")).Set("holiday_"), Names{});  // an ordinary Sunday
}

TEST(CalendarDesignFill, SetsEasterSundayWithoutTheSundayAdjustment) {
  // Easter is always a Sunday: its own effect is already the Sunday-holiday effect.
  const CalendarDesign design(4, 2019, 2021);
  const Row easter(design, D("2021-04-04"));
  EXPECT_EQ(easter.Set("holiday_"), Names{"holiday_easter_sunday"});
  EXPECT_EQ(easter["weekday_sun"], 1.0);
}

TEST(CalendarDesignFill, SharesOneAdjustmentForSaturdayHolidays) {
  const CalendarDesign design(4, 2019, 2021);
  // 25 April 2020 and 1 May 2021 were Saturdays.
  EXPECT_EQ(Row(design, D("2020-04-25")).Set("holiday_"),
            (Names{"holiday_liberation", "holiday_on_saturday"}));
  EXPECT_EQ(Row(design, D("2021-05-01")).Set("holiday_"),
            (Names{"holiday_labour", "holiday_on_saturday"}));
  EXPECT_EQ(Row(design, D("2021-05-01"))["weekday_sat"], 1.0);
  // An ordinary Saturday carries no holiday effect.
  EXPECT_EQ(Row(design, D("2021-05-08")).Set("holiday_"), Names{});
}

TEST(CalendarDesignFill, SetsHolidayColumnsOnEveryHolidayOfManyYears) {
  const CalendarDesign design(2, 2000, 2030);
  int saturdays = 0;
  int sundays = 0;
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    const Row row(design, d);
    Names expected;
    if (day.holiday != Holiday::kNone) {
      expected.push_back("holiday_" + std::string(HolidayName(day.holiday)));
      if (day.holiday != Holiday::kEasterSunday && day.weekday == 5) {
        expected.push_back("holiday_on_saturday");
      }
      if (day.holiday != Holiday::kEasterSunday && day.weekday == 6) {
        expected.push_back("holiday_on_sunday");
      }
    }
    ASSERT_EQ(row.Set("holiday_"), expected) << d.ToIso();
    for (const std::string& name : expected) ASSERT_EQ(row[name], 1.0) << d.ToIso() << name;
    saturdays += row["holiday_on_saturday"] != 0.0 ? 1 : 0;
    sundays += row["holiday_on_sunday"] != 0.0 ? 1 : 0;
  }
  // Ten fixed holidays over 31 years, each on a Saturday or a Sunday about one year in seven.
  EXPECT_GT(saturdays, 30);
  EXPECT_GT(sundays, 30);
}

TEST(CalendarDesignFill, SetsBridge) {
  const CalendarDesign design(4, 2019, 2019);
  EXPECT_EQ(Row(design, D("2019-04-26"))["bridge"], 1.0);  // Friday after a Thursday holiday
  EXPECT_EQ(Row(design, D("2019-04-25"))["bridge"], 0.0);
  EXPECT_EQ(Row(design, D("2019-04-24"))["bridge"], 0.0);
  EXPECT_EQ(Row(design, D("2019-08-16"))["bridge"], 1.0);  // Friday after a Thursday Ferragosto
  // Friday 27 December 2019, after a Thursday St Stephen, is a bridge for the calendar, but inside
  // the Christmas season it is a short run of working days instead.
  ASSERT_TRUE(DescribeDay(D("2019-12-27")).bridge);
  EXPECT_EQ(Row(design, D("2019-12-27"))["bridge"], 0.0);
  EXPECT_EQ(Row(design, D("2019-12-27"))["christmas_workday_run1"], 1.0);
}

TEST(CalendarDesignFill, SetsTheWorkdaysBeforeAndAfterHolidays) {
  const CalendarDesign design(4, 2021, 2022);
  const auto around = [&](const char* iso) {
    const Row row(design, D(iso));
    return Names(row.Set("workday_"));
  };
  const Names before{"workday_before_holiday"};
  const Names after{"workday_after_holiday"};
  EXPECT_EQ(around("2022-01-07"), after);  // Friday after a Thursday Epiphany (also a bridge)
  EXPECT_EQ(Row(design, D("2022-01-07"))["bridge"], 1.0);
  EXPECT_EQ(around("2021-04-06"), after);  // Tuesday after Easter Monday
  EXPECT_EQ(around("2021-03-10"), Names{});
  EXPECT_EQ(around("2021-04-30"), before);  // Friday before a Saturday 1 May
  EXPECT_EQ(around("2021-11-02"), after);   // Tuesday after a Monday All Saints
  EXPECT_EQ(around("2022-12-07"), before);  // Wednesday before a Thursday Immaculate
  EXPECT_EQ(around("2022-12-09"), after);   // Friday after it (also a bridge)
  // A holiday between two holidays is neither: Easter Monday 2021 follows Easter Sunday.
  EXPECT_EQ(around("2021-04-03"), Names{});  // Saturday
  EXPECT_EQ(around("2021-04-04"), Names{});  // holiday (and Sunday)
  EXPECT_EQ(around("2021-04-05"), Names{});  // holiday after a holiday
  // Weekend days next to holidays carry nothing: 2021-04-24 is a Saturday before a Sunday
  // Liberation Day, 2021-08-14 a Saturday before a Sunday Ferragosto.
  EXPECT_EQ(around("2021-04-24"), Names{});
  EXPECT_EQ(around("2021-08-14"), Names{});
  EXPECT_EQ(around("2022-08-16"), after);   // Tuesday after a Monday Ferragosto
  EXPECT_EQ(around("2022-06-01"), before);  // Wednesday before a Thursday 2 June
  EXPECT_EQ(around("2022-06-03"), (Names{"workday_after_holiday"}));  // the Friday bridge after it
}

TEST(CalendarDesignFill, SetsBridgeAndHolidayNeighboursOnlyOnWorkdays) {
  const CalendarDesign design(4, 2006, 2030);
  std::vector<double> row(static_cast<std::size_t>(design.cols()));
  const auto& names = design.names();
  const auto column = [&](const char* name) {
    return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
  };
  const std::size_t bridge = column("bridge");
  const std::size_t before = column("workday_before_holiday");
  const std::size_t after = column("workday_after_holiday");
  ASSERT_LT(after, names.size());
  int befores = 0;
  int afters = 0;
  for (Date d = D("2006-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    design.Fill(day, design.LevelWeights(d.year(), 1), row);
    const bool workday = day.weekday < 5 && day.holiday == Holiday::kNone;
    // Inside the Christmas season the short runs of working days take their place.
    const bool counted = workday && day.christmas_offset == kNoOffset;
    ASSERT_EQ(row[bridge], counted && day.bridge ? 1.0 : 0.0) << d.ToIso();
    ASSERT_EQ(row[before], counted && day.before_holiday ? 1.0 : 0.0) << d.ToIso();
    ASSERT_EQ(row[after], counted && day.after_holiday ? 1.0 : 0.0) << d.ToIso();
    befores += row[before] != 0.0 ? 1 : 0;
    afters += row[after] != 0.0 ? 1 : 0;
  }
  // Most years have several of each.
  EXPECT_GT(befores, 25 * 4);
  EXPECT_GT(afters, 25 * 4);
}

TEST(CalendarDesignFill, SetsNoBridgeNorHolidayNeighbourInsideTheChristmasSeason) {
  const CalendarDesign design(4, 2018, 2023);
  // Days the calendar marks as bridges or next to holidays, all inside the Christmas season.
  for (const char* iso : {"2021-12-24",     // Friday before a Saturday Christmas
                          "2021-12-27",     // Monday after a Sunday St Stephen
                          "2021-12-31",     // Friday before a Saturday New Year
                          "2022-01-05",     // Wednesday before a Thursday Epiphany
                          "2022-12-27",     // Tuesday after a Monday St Stephen
                          "2019-12-24",     // Tuesday before a Wednesday Christmas
                          "2019-12-27",     // Friday bridge after a Thursday St Stephen
                          "2019-12-31",     // Tuesday before a Wednesday New Year
                          "2020-01-02"}) {  // Thursday after a Wednesday New Year
    const CalendarDay day = DescribeDay(D(iso));
    ASSERT_NE(day.christmas_offset, kNoOffset) << iso;
    EXPECT_TRUE(day.bridge || day.before_holiday || day.after_holiday) << iso;
    const Row row(design, D(iso));
    EXPECT_EQ(row["bridge"], 0.0) << iso;
    EXPECT_EQ(row.Set("workday_"), Names{}) << iso;
  }
  // Just outside the season the generic columns come back: 7 January 2022 is the Friday bridge
  // after a Thursday Epiphany, and 7 December 2015 the Monday bridge before a Tuesday Immaculate.
  EXPECT_EQ(Row(design, D("2022-01-07"))["bridge"], 1.0);
  EXPECT_EQ(Row(design, D("2022-01-07"))["workday_after_holiday"], 1.0);
  EXPECT_EQ(Row(design, D("2015-12-07"))["bridge"], 1.0);
  EXPECT_EQ(Row(design, D("2015-12-07"))["workday_before_holiday"], 1.0);
  // Over many seasons, no day of the season sets any of them.
  const CalendarDesign wide(2, 2000, 2030);
  int season_workdays = 0;
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    if (day.christmas_offset == kNoOffset) continue;
    const Row row(wide, d);
    ASSERT_EQ(row["bridge"], 0.0) << d.ToIso();
    ASSERT_EQ(row.Set("workday_"), Names{}) << d.ToIso();
    if (day.weekday < 5 && day.holiday == Holiday::kNone) ++season_workdays;
  }
  EXPECT_GT(season_workdays, 30 * 10);
}

/// A day's weights on the Ferragosto knots of its type: 1 - f on the knot at or below its offset
/// and f on the next one, f being the fraction of the week between them.
Weights ExpectedFerragostoWeights(const CalendarDay& day) {
  if (day.holiday != Holiday::kNone || day.ferragosto_offset == kNoOffset) return {};
  const char* type = day.weekday < 5 ? "workday" : (day.weekday == 5 ? "saturday" : "sunday");
  int below = kFerragostoFirstOffset;
  while (below + 7 <= day.ferragosto_offset) below += 7;
  const double f = (day.ferragosto_offset - below) / 7.0;
  Weights out{{fmt::format("ferragosto{:+}_{}", below, type), 1.0 - f}};
  if (f > 0.0) out.emplace_back(fmt::format("ferragosto{:+}_{}", below + 7, type), f);
  return out;
}

/// The Christmas columns a day should set, from its calendar facts: its offset and type, the
/// shared Saturday adjustment and its short run of working days.
Names ExpectedChristmasColumns(const CalendarDay& day) {
  if (day.holiday != Holiday::kNone || day.christmas_offset == kNoOffset) return {};
  Names out;
  out.push_back(fmt::format("christmas{:+}_{}", day.christmas_offset,
                            day.weekday < 5 ? "workday" : "weekend"));
  if (day.weekday == 5) out.push_back("christmas_saturday");
  if (day.christmas_workday_run >= 1 && day.christmas_workday_run <= 3) {
    out.push_back(fmt::format("christmas_workday_run{}", day.christmas_workday_run));
  }
  return out;
}

TEST(CalendarDesignFill, SetsChristmasDaysByOffsetAndDayType) {
  const CalendarDesign design(4, 2021, 2022);
  const auto christmas = [&](const char* iso) { return Row(design, D(iso)).Set("christmas"); };
  EXPECT_EQ(christmas("2021-12-18"), Names{});
  EXPECT_EQ(christmas("2021-12-19"), Names{"christmas-6_weekend"});  // Sunday
  // Monday 20 to Thursday 23 December 2021 are a run of four working days: no short-run column.
  EXPECT_EQ(christmas("2021-12-20"), Names{"christmas-5_workday"});
  EXPECT_EQ(christmas("2021-12-24"), Names{"christmas-1_workday"});  // Friday, Christmas Eve
  EXPECT_EQ(christmas("2021-12-27"), Names{"christmas+2_workday"});
  EXPECT_EQ(christmas("2021-12-31"), Names{"christmas+6_workday"});  // Friday, New Year's Eve
  EXPECT_EQ(christmas("2022-01-02"), Names{"christmas+8_weekend"});  // Sunday
  // Monday 3 to Wednesday 5 January 2022, between a Sunday and a Thursday Epiphany: a run of 3.
  EXPECT_EQ(christmas("2022-01-03"), (Names{"christmas+9_workday", "christmas_workday_run3"}));
  EXPECT_EQ(christmas("2022-01-05"), (Names{"christmas+11_workday", "christmas_workday_run3"}));
  EXPECT_EQ(christmas("2022-01-07"), Names{});
  EXPECT_EQ(christmas("2022-12-24"), (Names{"christmas-1_weekend", "christmas_saturday"}));
  EXPECT_EQ(christmas("2022-12-31"), (Names{"christmas+6_weekend", "christmas_saturday"}));
  EXPECT_EQ(Row(design, D("2021-12-24"))["christmas-1_workday"], 1.0);
  // Holidays keep only their holiday effect: Christmas 2021 was a Saturday, St Stephen a Sunday,
  // New Year 2022 a Saturday and Epiphany a Thursday.
  const Row christmas_day(design, D("2021-12-25"));
  EXPECT_EQ(christmas_day.Set("christmas"), Names{});
  EXPECT_EQ(christmas_day.Set("holiday_"), (Names{"holiday_christmas", "holiday_on_saturday"}));
  EXPECT_EQ(christmas("2021-12-26"), Names{});
  EXPECT_EQ(christmas("2022-01-01"), Names{});
  EXPECT_EQ(christmas("2022-01-06"), Names{});
  EXPECT_EQ(Row(design, D("2022-01-06")).Set("holiday_"), Names{"holiday_epiphany"});
  EXPECT_EQ(Row(design, D("2022-12-26")).Set("holiday_"), Names{"holiday_st_stephen"});
  EXPECT_EQ(christmas("2022-12-26"), Names{});
}

TEST(CalendarDesignFill, SetsTheChristmasSaturdayOnNonHolidaySaturdaysOfTheSeason) {
  const CalendarDesign design(4, 2019, 2023);
  // Christmas 2022 was a Sunday: Christmas Eve and New Year's Eve were Saturdays.
  EXPECT_EQ(Row(design, D("2022-12-24"))["christmas_saturday"], 1.0);
  EXPECT_EQ(Row(design, D("2022-12-31"))["christmas_saturday"], 1.0);
  EXPECT_EQ(Row(design, D("2021-12-18"))["christmas_saturday"], 0.0);  // the Saturday before
  EXPECT_EQ(Row(design, D("2022-12-17"))["christmas_saturday"], 0.0);  // offset -8
  EXPECT_EQ(Row(design, D("2023-01-07"))["christmas_saturday"], 0.0);  // offset +13
  EXPECT_EQ(Row(design, D("2021-03-13"))["christmas_saturday"], 0.0);  // an ordinary Saturday
  // Saturday holidays keep only their holiday effect: Christmas 2021 and New Year 2022.
  EXPECT_EQ(Row(design, D("2021-12-25"))["christmas_saturday"], 0.0);
  EXPECT_EQ(Row(design, D("2022-01-01"))["christmas_saturday"], 0.0);
  // Sundays and working days of the season do not set it.
  EXPECT_EQ(Row(design, D("2021-12-19"))["christmas_saturday"], 0.0);
  EXPECT_EQ(Row(design, D("2022-01-02"))["christmas_saturday"], 0.0);
  EXPECT_EQ(Row(design, D("2022-12-23"))["christmas_saturday"], 0.0);
  // It comes on top of the day's own weekend column.
  const Row saturday(design, D("2022-12-24"));
  EXPECT_EQ(saturday["christmas-1_weekend"], 1.0);
  EXPECT_EQ(saturday["weekday_sat"], 1.0);
}

TEST(CalendarDesignFill, SetsTheShortRunsOfChristmasWorkingDays) {
  const CalendarDesign design(4, 2018, 2022);
  const auto runs = [&](const char* iso) { return Row(design, D(iso)).Set("christmas_workday"); };
  const Names one{"christmas_workday_run1"};
  const Names two{"christmas_workday_run2"};
  const Names three{"christmas_workday_run3"};
  // 2019/20: Christmas on a Wednesday.
  EXPECT_EQ(runs("2019-12-19"), Names{});  // Monday 16 to Friday 20: a long run
  EXPECT_EQ(runs("2019-12-23"), one);      // Monday between a Sunday and Christmas Eve
  EXPECT_EQ(runs("2019-12-24"), Names{});  // Christmas Eve
  EXPECT_EQ(runs("2019-12-27"), one);      // Friday between St Stephen and a Saturday
  EXPECT_EQ(runs("2019-12-28"), Names{});  // Saturday
  EXPECT_EQ(runs("2019-12-30"), one);      // Monday between a Sunday and New Year's Eve
  EXPECT_EQ(runs("2019-12-31"), Names{});  // New Year's Eve
  EXPECT_EQ(runs("2020-01-01"), Names{});  // New Year
  EXPECT_EQ(runs("2020-01-02"), two);      // Thursday and Friday before a weekend
  EXPECT_EQ(runs("2020-01-03"), two);
  EXPECT_EQ(runs("2020-01-07"), Names{});  // after the season
  // 2018/19: Christmas on a Tuesday.
  EXPECT_EQ(runs("2018-12-27"), two);  // Thursday and Friday after St Stephen
  EXPECT_EQ(runs("2018-12-28"), two);
  EXPECT_EQ(runs("2019-01-02"), three);  // Wednesday to Friday after New Year
  EXPECT_EQ(runs("2019-01-04"), three);
  // 2021/22: Christmas on a Saturday; runs of four carry no column.
  EXPECT_EQ(runs("2021-12-20"), Names{});
  EXPECT_EQ(runs("2021-12-23"), Names{});
  EXPECT_EQ(runs("2021-12-30"), Names{});
  EXPECT_EQ(runs("2022-01-04"), three);
  // The run comes on top of the day's own Christmas column.
  const Row bridge(design, D("2019-12-23"));
  EXPECT_EQ(bridge["christmas_workday_run1"], 1.0);
  EXPECT_EQ(bridge["christmas-2_workday"], 1.0);
  // A working day outside the season with a short run of its own sets none: Friday 7 January 2022
  // falls between Epiphany and a Saturday.
  EXPECT_EQ(runs("2022-01-07"), Names{});
  EXPECT_EQ(runs("2021-04-30"), Names{});
}

TEST(CalendarDesignFill, SetsFerragostoHatWeightsByDayType) {
  const CalendarDesign design(4, 2019, 2022);
  const auto ferragosto = [&](const char* iso) { return Row(design, D(iso)).Set("ferragosto"); };
  const auto expect = [&](const char* iso, const Weights& expected) {
    ExpectWeights(design, iso, "ferragosto", expected);
  };
  // 2021: 15 August a Sunday.
  expect("2021-07-24", {});                                  // offset -22, before the window
  expect("2021-07-25", {{"ferragosto-21_sunday", 1.0}});     // offset -21, on the first knot
  expect("2021-07-26", {{"ferragosto-21_workday", 6.0 / 7},  // Monday, offset -20
                        {"ferragosto-14_workday", 1.0 / 7}});
  expect("2021-08-01", {{"ferragosto-14_sunday", 1.0}});  // offset -14, on a knot
  // Monday, offset -6: one day past the -7 knot, so 6/7 of it and 1/7 of the +0 knot.
  expect("2021-08-09", {{"ferragosto-7_workday", 6.0 / 7}, {"ferragosto+0_workday", 1.0 / 7}});
  expect("2021-08-13", {{"ferragosto-7_workday", 2.0 / 7},  // Friday, offset -2
                        {"ferragosto+0_workday", 5.0 / 7}});
  expect("2021-08-14", {{"ferragosto-7_saturday", 1.0 / 7},  // Saturday, offset -1
                        {"ferragosto+0_saturday", 6.0 / 7}});
  expect("2021-08-15", {});  // the holiday itself
  EXPECT_EQ(Row(design, D("2021-08-15")).Set("holiday_"),
            (Names{"holiday_ferragosto", "holiday_on_sunday"}));
  expect("2021-08-16", {{"ferragosto+0_workday", 6.0 / 7},  // Monday, offset +1
                        {"ferragosto+7_workday", 1.0 / 7}});
  expect("2021-08-22", {{"ferragosto+7_sunday", 1.0}});
  expect("2021-08-28", {{"ferragosto+7_saturday", 1.0 / 7},  // Saturday, offset +13
                        {"ferragosto+14_saturday", 6.0 / 7}});
  expect("2021-08-29", {{"ferragosto+14_sunday", 1.0}});  // the last day, on the last knot
  expect("2021-08-30", {});
  // 2022: 15 August a Monday holiday.
  expect("2022-08-14", {{"ferragosto-7_sunday", 1.0 / 7},  // Sunday, offset -1
                        {"ferragosto+0_sunday", 6.0 / 7}});
  expect("2022-08-15", {});
  EXPECT_EQ(Row(design, D("2022-08-15")).Set("holiday_"), Names{"holiday_ferragosto"});
  expect("2022-08-16", {{"ferragosto+0_workday", 6.0 / 7},  // Tuesday, offset +1
                        {"ferragosto+7_workday", 1.0 / 7}});
  expect("2022-08-29", {{"ferragosto+14_workday", 1.0}});  // Monday, offset +14
  EXPECT_EQ(ferragosto("2022-09-02"), Names{});            // inside the old weeks, not any more
  EXPECT_EQ(ferragosto("2022-07-24"), Names{});
  // 2020: a Saturday holiday; 2019: a Thursday holiday with its Friday bridge.
  EXPECT_EQ(ferragosto("2020-08-15"), Names{});
  EXPECT_EQ(Row(design, D("2020-08-15")).Set("holiday_"),
            (Names{"holiday_ferragosto", "holiday_on_saturday"}));
  expect("2020-08-08", {{"ferragosto-7_saturday", 1.0}});
  expect("2020-08-16", {{"ferragosto+0_sunday", 6.0 / 7},  // Sunday, offset +1
                        {"ferragosto+7_sunday", 1.0 / 7}});
  EXPECT_EQ(ferragosto("2019-08-15"), Names{});
  expect("2019-08-16", {{"ferragosto+0_workday", 6.0 / 7},  // Friday, offset +1
                        {"ferragosto+7_workday", 1.0 / 7}});
  const Row bridge(design, D("2019-08-16"));
  EXPECT_EQ(bridge["bridge"], 1.0);
  EXPECT_EQ(bridge["workday_after_holiday"], 1.0);
  EXPECT_EQ(ferragosto("2019-10-15"), Names{});
}

TEST(CalendarDesignFill, FerragostoWeightsInterpolateTheOffsetBetweenKnots) {
  // On every day of the window the weights sum to one and their weighted knot positions give
  // back the day's offset: the basis is a linear interpolation between weekly knots.
  const CalendarDesign design(2, 2000, 2030);
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    if (day.ferragosto_offset == kNoOffset || day.holiday != Holiday::kNone) continue;
    const Weights weights = Row(design, d).Weights("ferragosto");
    ASSERT_GE(weights.size(), 1u) << d.ToIso();
    ASSERT_LE(weights.size(), 2u) << d.ToIso();
    double sum = 0.0;
    double position = 0.0;
    for (const auto& [name, weight] : weights) {
      int knot = 0;
      ASSERT_EQ(std::sscanf(name.c_str(), "ferragosto%d_", &knot), 1) << name;
      ASSERT_GT(weight, 0.0) << d.ToIso() << " " << name;
      ASSERT_LE(weight, 1.0) << d.ToIso() << " " << name;
      sum += weight;
      position += weight * knot;
    }
    ASSERT_NEAR(sum, 1.0, 1e-12) << d.ToIso();
    ASSERT_NEAR(position, day.ferragosto_offset, 1e-12) << d.ToIso();
    if (weights.size() == 2) {
      int first = 0;
      int second = 0;
      std::sscanf(weights[0].first.c_str(), "ferragosto%d_", &first);
      std::sscanf(weights[1].first.c_str(), "ferragosto%d_", &second);
      ASSERT_EQ(second - first, 7) << d.ToIso();  // neighbouring knots
    }
  }
}

TEST(CalendarDesignFill, SetsExactlyTheSeasonColumnsOfEachDay) {
  // Every day of many years: the Christmas columns named by the day's offset, type and short run,
  // or the Ferragosto knots around its offset, and none on public holidays.
  const CalendarDesign design(2, 2000, 2030);
  int christmas_days = 0;
  int ferragosto_days = 0;
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    const Row row(design, d);
    const Names christmas = row.Set("christmas");
    ASSERT_EQ(christmas, ExpectedChristmasColumns(day)) << d.ToIso();
    for (const std::string& name : christmas) {
      ASSERT_EQ(row[name], 1.0) << d.ToIso() << " " << name;
    }
    const Weights ferragosto = row.Weights("ferragosto");
    const Weights expected = ExpectedFerragostoWeights(day);
    ASSERT_EQ(ferragosto.size(), expected.size()) << d.ToIso();
    for (std::size_t i = 0; i < ferragosto.size(); ++i) {
      ASSERT_EQ(ferragosto[i].first, expected[i].first) << d.ToIso();
      ASSERT_NEAR(ferragosto[i].second, expected[i].second, 1e-12) << d.ToIso();
    }
    christmas_days += christmas.empty() ? 0 : 1;
    ferragosto_days += ferragosto.empty() ? 0 : 1;
  }
  // 19 days a season less its 4 fixed holidays (25 and 26 December, 1 and 6 January), plus 2 to 5
  // January 2000 and 19 to 31 December 2030 less their holidays; 36 days a summer less 15 August.
  EXPECT_EQ(christmas_days, 30 * 15 + 4 + 11);
  EXPECT_EQ(ferragosto_days, 31 * 35);
}

TEST(CalendarDesignFill, SetsNoSeasonColumnOnHolidays) {
  const CalendarDesign design(4, 2000, 2030);
  for (const char* iso : {"2021-12-25", "2021-12-26", "2022-01-01", "2022-01-06", "2021-08-15",
                          "2022-08-15", "2019-12-25", "2019-08-15", "2020-01-06"}) {
    const Row row(design, D(iso));
    EXPECT_EQ(row.Set("christmas"), Names{}) << iso;
    EXPECT_EQ(row.Set("ferragosto"), Names{}) << iso;
  }
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    if (HolidayOn(d) == Holiday::kNone) continue;
    const Row row(design, d);
    ASSERT_EQ(row.Set("christmas"), Names{}) << d.ToIso();
    ASSERT_EQ(row.Set("ferragosto"), Names{}) << d.ToIso();
    ASSERT_EQ(row.Set("workday_"), Names{}) << d.ToIso();
    ASSERT_EQ(row["bridge"], 0.0) << d.ToIso();
  }
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

TEST(CalendarDesignFill, EveryColumnIsUsedOverTheYears) {
  // A column that is never nonzero would be unidentifiable; the ridge would silently pin it at 0.
  // Over many years every date falls on every day type, so every column fires, except the
  // Christmas offsets that are always a fixed public holiday (0, +1, +7 and +12: 25 and 26
  // December, 1 and 6 January), which carry their holiday effect instead.
  const CalendarDesign design(4, 2000, 2030);
  std::vector<int> used(static_cast<std::size_t>(design.cols()), 0);
  std::vector<double> row(static_cast<std::size_t>(design.cols()));
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    design.Fill(DescribeDay(d), design.LevelWeights(d.year(), 1), row);
    for (std::size_t c = 0; c < row.size(); ++c) used[c] += row[c] != 0.0 ? 1 : 0;
  }
  const std::set<std::string> kAlwaysHolidays = {
      "christmas+0_workday", "christmas+0_weekend", "christmas+1_workday",  "christmas+1_weekend",
      "christmas+7_workday", "christmas+7_weekend", "christmas+12_workday", "christmas+12_weekend"};
  for (std::size_t c = 0; c < used.size(); ++c) {
    const std::string& name = design.names()[c];
    if (kAlwaysHolidays.contains(name)) {
      EXPECT_EQ(used[c], 0) << name;
    } else {
      EXPECT_GT(used[c], 0) << name;
    }
  }
}

TEST(CalendarDesignFill, EveryRowHasOneUnitOfLevelAndAtMostOneDummyPerGroup) {
  const CalendarDesign design(3, 2015, 2020);
  for (Date d = D("2015-01-01"); d < D("2021-01-01"); ++d) {
    const Row row(design, d);
    ASSERT_EQ(row.Set("level_").size(), 1u) << d.ToIso();
    ASSERT_LE(row.Set("weekday_").size(), 1u) << d.ToIso();
    ASSERT_LE(row.Set("holiday_").size(), 2u) << d.ToIso();  // a holiday and its weekend adjustment
    // A Christmas day column with at most its Saturday adjustment or its short run; at most two
    // neighbouring Ferragosto knots; never both seasons.
    ASSERT_LE(row.Set("christmas").size(), 2u) << d.ToIso();
    ASSERT_LE(row.Set("ferragosto").size(), 2u) << d.ToIso();
    ASSERT_TRUE(row.Set("christmas").empty() || row.Set("ferragosto").empty()) << d.ToIso();
  }
}

}  // namespace
}  // namespace loadcast
