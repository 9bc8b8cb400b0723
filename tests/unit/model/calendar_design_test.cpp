#include "model/calendar_design.hpp"

#include <fmt/format.h>
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

// Columns besides levels and annual harmonics: 6 weekday dummies (Monday is the baseline), 8
// weekend-season terms (cos and sin of harmonics 1 and 2 for Saturday and Sunday), 12 holidays,
// holiday_on_saturday, holiday_on_sunday, bridge, workday_before_holiday, workday_after_holiday, 19
// Christmas days times 2 day types and 6 Ferragosto weeks times 3 day types.
constexpr int kFixedCols = 6 + 8 + 12 + 2 + 1 + 2 + 19 * 2 + 6 * 3;

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
  EXPECT_EQ(names.back(), "ferragosto_week+2_sunday");
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
                           "ferragosto_week-3_workday",
                           "ferragosto_week-1_saturday",
                           "ferragosto_week+0_workday",
                           "ferragosto_week+0_saturday",
                           "ferragosto_week+0_sunday",
                           "ferragosto_week+2_workday"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  for (const char* name :
       {"holiday_none", "weekday_mon", "cos5", "sat_cos3", "sun_sin3", "christmas-7_workday",
        "christmas+13_workday", "christmas-0_workday", "ferragosto_week-4_workday",
        "ferragosto_week+3_sunday", "ferragosto_week+0_weekend"}) {
    EXPECT_EQ(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  // No column is left over from the old shutdown periods.
  for (const std::string& name : names) EXPECT_FALSE(name.starts_with("period_")) << name;
  // 19 Christmas columns of each day type, 6 Ferragosto columns of each.
  const auto count = [&](const std::string& prefix, const std::string& suffix) {
    return std::count_if(names.begin(), names.end(), [&](const std::string& n) {
      return n.starts_with(prefix) && n.ends_with(suffix);
    });
  };
  EXPECT_EQ(count("christmas", "_workday"), 19);
  EXPECT_EQ(count("christmas", "_weekend"), 19);
  EXPECT_EQ(count("ferragosto_week", "_workday"), 6);
  EXPECT_EQ(count("ferragosto_week", "_saturday"), 6);
  EXPECT_EQ(count("ferragosto_week", "_sunday"), 6);
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
}

TEST(CalendarDesignFill, SetsTheWorkdaysBeforeAndAfterHolidays) {
  const CalendarDesign design(4, 2021, 2022);
  const auto around = [&](const char* iso) {
    const Row row(design, D(iso));
    return Names(row.Set("workday_"));
  };
  const Names before{"workday_before_holiday"};
  const Names after{"workday_after_holiday"};
  EXPECT_EQ(around("2021-12-24"), before);  // Friday before a Saturday Christmas
  EXPECT_EQ(around("2021-12-27"), after);   // Monday after a Sunday St Stephen
  EXPECT_EQ(around("2021-12-31"), before);  // Friday before a Saturday New Year
  EXPECT_EQ(around("2022-01-05"), before);  // Wednesday before a Thursday Epiphany
  EXPECT_EQ(around("2022-01-07"), after);   // Friday after it (also a bridge)
  EXPECT_EQ(Row(design, D("2022-01-07"))["bridge"], 1.0);
  EXPECT_EQ(around("2021-04-06"), after);  // Tuesday after Easter Monday
  EXPECT_EQ(around("2021-03-10"), Names{});
  // A holiday between two holidays is neither: 2022-12-25 is a Sunday, 2022-12-26 a Monday
  // holiday, and 2022-12-27 the workday after.
  EXPECT_EQ(around("2022-12-24"), Names{});  // Saturday
  EXPECT_EQ(around("2022-12-25"), Names{});  // holiday (and Sunday)
  EXPECT_EQ(around("2022-12-26"), Names{});  // holiday after a holiday
  EXPECT_EQ(around("2022-12-27"), after);
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
    ASSERT_EQ(row[bridge], workday && day.bridge ? 1.0 : 0.0) << d.ToIso();
    ASSERT_EQ(row[before], workday && day.before_holiday ? 1.0 : 0.0) << d.ToIso();
    ASSERT_EQ(row[after], workday && day.after_holiday ? 1.0 : 0.0) << d.ToIso();
    befores += row[before] != 0.0 ? 1 : 0;
    afters += row[after] != 0.0 ? 1 : 0;
  }
  // Most years have several of each.
  EXPECT_GT(befores, 25 * 4);
  EXPECT_GT(afters, 25 * 4);
}

/// The Christmas and Ferragosto columns a day should set, from its calendar facts.
Names ExpectedSeasonColumns(const CalendarDay& day) {
  if (day.holiday != Holiday::kNone) return {};
  Names out;
  if (day.christmas_offset != kNoOffset) {
    out.push_back(fmt::format("christmas{:+}_{}", day.christmas_offset,
                              day.weekday < 5 ? "workday" : "weekend"));
  }
  if (day.ferragosto_week != kNoOffset) {
    out.push_back(
        fmt::format("ferragosto_week{:+}_{}", day.ferragosto_week,
                    day.weekday < 5 ? "workday" : (day.weekday == 5 ? "saturday" : "sunday")));
  }
  return out;
}

TEST(CalendarDesignFill, SetsChristmasDaysByOffsetAndDayType) {
  const CalendarDesign design(4, 2021, 2022);
  const auto christmas = [&](const char* iso) { return Row(design, D(iso)).Set("christmas"); };
  EXPECT_EQ(christmas("2021-12-18"), Names{});
  EXPECT_EQ(christmas("2021-12-19"), Names{"christmas-6_weekend"});  // Sunday
  EXPECT_EQ(christmas("2021-12-20"), Names{"christmas-5_workday"});  // Monday
  EXPECT_EQ(christmas("2021-12-24"), Names{"christmas-1_workday"});  // Friday
  EXPECT_EQ(christmas("2021-12-27"), Names{"christmas+2_workday"});
  EXPECT_EQ(christmas("2021-12-31"), Names{"christmas+6_workday"});
  EXPECT_EQ(christmas("2022-01-02"), Names{"christmas+8_weekend"});  // Sunday
  EXPECT_EQ(christmas("2022-01-03"), Names{"christmas+9_workday"});
  EXPECT_EQ(christmas("2022-01-05"), Names{"christmas+11_workday"});
  EXPECT_EQ(christmas("2022-01-07"), Names{});
  EXPECT_EQ(christmas("2022-12-24"), Names{"christmas-1_weekend"});  // Saturday
  EXPECT_EQ(christmas("2022-12-31"), Names{"christmas+6_weekend"});
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

TEST(CalendarDesignFill, SetsFerragostoWeeksByDayType) {
  const CalendarDesign design(4, 2019, 2022);
  const auto ferragosto = [&](const char* iso) { return Row(design, D(iso)).Set("ferragosto"); };
  // 2021: 15 August a Sunday, week 0 from Monday 9 August.
  EXPECT_EQ(ferragosto("2021-07-18"), Names{});
  EXPECT_EQ(ferragosto("2021-07-19"), Names{"ferragosto_week-3_workday"});
  EXPECT_EQ(ferragosto("2021-07-24"), Names{"ferragosto_week-3_saturday"});
  EXPECT_EQ(ferragosto("2021-07-25"), Names{"ferragosto_week-3_sunday"});
  EXPECT_EQ(ferragosto("2021-08-09"), Names{"ferragosto_week+0_workday"});
  EXPECT_EQ(ferragosto("2021-08-13"), Names{"ferragosto_week+0_workday"});
  EXPECT_EQ(ferragosto("2021-08-14"), Names{"ferragosto_week+0_saturday"});
  EXPECT_EQ(ferragosto("2021-08-15"), Names{});  // the holiday itself
  EXPECT_EQ(Row(design, D("2021-08-15")).Set("holiday_"),
            (Names{"holiday_ferragosto", "holiday_on_sunday"}));
  EXPECT_EQ(ferragosto("2021-08-16"), Names{"ferragosto_week+1_workday"});
  EXPECT_EQ(ferragosto("2021-08-29"), Names{"ferragosto_week+2_sunday"});
  EXPECT_EQ(ferragosto("2021-08-30"), Names{});
  // 2022: 15 August a Monday holiday, week 0 from that Monday.
  EXPECT_EQ(ferragosto("2022-08-14"), Names{"ferragosto_week-1_sunday"});
  EXPECT_EQ(ferragosto("2022-08-15"), Names{});
  EXPECT_EQ(Row(design, D("2022-08-15")).Set("holiday_"), Names{"holiday_ferragosto"});
  EXPECT_EQ(ferragosto("2022-08-16"), Names{"ferragosto_week+0_workday"});
  EXPECT_EQ(ferragosto("2022-09-02"), Names{"ferragosto_week+2_workday"});
  EXPECT_EQ(ferragosto("2022-09-05"), Names{});
  // 2020: a Saturday holiday; 2019: a Thursday holiday with its Friday bridge.
  EXPECT_EQ(ferragosto("2020-08-15"), Names{});
  EXPECT_EQ(Row(design, D("2020-08-15")).Set("holiday_"),
            (Names{"holiday_ferragosto", "holiday_on_saturday"}));
  EXPECT_EQ(ferragosto("2020-08-16"), Names{"ferragosto_week+0_sunday"});
  EXPECT_EQ(ferragosto("2019-08-15"), Names{});
  const Row bridge(design, D("2019-08-16"));
  EXPECT_EQ(bridge.Set("ferragosto"), Names{"ferragosto_week+0_workday"});
  EXPECT_EQ(bridge["bridge"], 1.0);
  EXPECT_EQ(bridge["workday_after_holiday"], 1.0);
  EXPECT_EQ(ferragosto("2019-10-15"), Names{});
}

TEST(CalendarDesignFill, SetsExactlyTheSeasonColumnOfEachDay) {
  // Every day of many years: one Christmas or Ferragosto column at most, the one named by the
  // day's offset (or week) and type, and none on public holidays.
  const CalendarDesign design(2, 2000, 2030);
  int christmas_days = 0;
  int ferragosto_days = 0;
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    const Row row(design, d);
    Names set = row.Set("christmas");
    const Names ferragosto = row.Set("ferragosto");
    set.insert(set.end(), ferragosto.begin(), ferragosto.end());
    ASSERT_EQ(set, ExpectedSeasonColumns(day)) << d.ToIso();
    for (const std::string& name : set) ASSERT_EQ(row[name], 1.0) << d.ToIso() << " " << name;
    christmas_days += row.Set("christmas").empty() ? 0 : 1;
    ferragosto_days += ferragosto.empty() ? 0 : 1;
  }
  // 19 days a season less its 4 fixed holidays (25 and 26 December, 1 and 6 January), plus 2 to 5
  // January 2000 and 19 to 31 December 2030 less their holidays; 42 days a summer less 15 August.
  EXPECT_EQ(christmas_days, 30 * 15 + 4 + 11);
  EXPECT_EQ(ferragosto_days, 31 * 41);
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
    ASSERT_LE(row.Set("christmas").size() + row.Set("ferragosto").size(), 1u) << d.ToIso();
  }
}

}  // namespace
}  // namespace loadcast
