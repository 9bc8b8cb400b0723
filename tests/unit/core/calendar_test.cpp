#include "core/calendar.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>

namespace loadcast {
namespace {

Date D(const char* iso) {
  const auto date = Date::ParseIso(iso);
  EXPECT_TRUE(date.has_value()) << iso;
  return date.value_or(Date());
}

// Western (Gregorian) Easter Sundays, from published tables.
constexpr const char* kEasterSundays[] = {
    "2000-04-23", "2001-04-15", "2002-03-31", "2003-04-20", "2004-04-11", "2005-03-27",
    "2006-04-16", "2007-04-08", "2008-03-23", "2009-04-12", "2010-04-04", "2011-04-24",
    "2012-04-08", "2013-03-31", "2014-04-20", "2015-04-05", "2016-03-27", "2017-04-16",
    "2018-04-01", "2019-04-21", "2020-04-12", "2021-04-04", "2022-04-17", "2023-04-09",
    "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16", "2029-04-01",
    "2030-04-21"};

TEST(Easter, MatchesKnownDatesFrom2000To2030) {
  int year = 2000;
  for (const char* iso : kEasterSundays) {
    EXPECT_EQ(EasterSunday(year).ToIso(), iso) << year;
    ++year;
  }
}

TEST(Easter, MatchesKnownDatesOutsideTheDataRange) {
  // The extremes of the Gregorian Easter range and century years exercise the century terms.
  EXPECT_EQ(EasterSunday(1818).ToIso(), "1818-03-22");  // earliest possible date
  EXPECT_EQ(EasterSunday(1943).ToIso(), "1943-04-25");  // latest possible date
  EXPECT_EQ(EasterSunday(1900).ToIso(), "1900-04-15");
  EXPECT_EQ(EasterSunday(1961).ToIso(), "1961-04-02");
  EXPECT_EQ(EasterSunday(2038).ToIso(), "2038-04-25");
  EXPECT_EQ(EasterSunday(2100).ToIso(), "2100-03-28");
}

TEST(Easter, IsAlwaysASundayBetweenMarch22AndApril25) {
  for (int year = 1900; year <= 2200; ++year) {
    const Date easter = EasterSunday(year);
    EXPECT_EQ(easter.weekday(), 6) << year;
    EXPECT_EQ(easter.year(), year);
    EXPECT_GE(easter, Date::FromYmd(year, 3, 22)) << year;
    EXPECT_LE(easter, Date::FromYmd(year, 4, 25)) << year;
  }
}

TEST(HolidayOn, MarksEasterSundayAndMondayEveryYear) {
  for (int year = 2000; year <= 2030; ++year) {
    const Date easter = EasterSunday(year);
    EXPECT_EQ(HolidayOn(easter), Holiday::kEasterSunday) << year;
    if (year == 2011) {
      // Easter Monday 2011 fell on 25 April; the day is reported once, as Liberation Day.
      EXPECT_EQ(HolidayOn(easter + 1), Holiday::kLiberation);
    } else {
      EXPECT_EQ(HolidayOn(easter + 1), Holiday::kEasterMonday) << year;
    }
    EXPECT_EQ((easter + 1).weekday(), 0);
    // Good Friday, Holy Saturday and Easter Tuesday are ordinary days in Italy.
    EXPECT_EQ(HolidayOn(easter - 2), Holiday::kNone) << year;
    EXPECT_EQ(HolidayOn(easter - 1), Holiday::kNone) << year;
    if (Date::FromYmd(year, 4, 25) != easter + 2) {
      EXPECT_EQ(HolidayOn(easter + 2), Holiday::kNone) << year;
    }
  }
}

TEST(HolidayOn, MarksEveryFixedHolidayEveryYear) {
  const std::pair<std::pair<int, int>, Holiday> kFixed[] = {
      {{1, 1}, Holiday::kNewYear},     {{1, 6}, Holiday::kEpiphany},
      {{4, 25}, Holiday::kLiberation}, {{5, 1}, Holiday::kLabour},
      {{6, 2}, Holiday::kRepublic},    {{8, 15}, Holiday::kFerragosto},
      {{11, 1}, Holiday::kAllSaints},  {{12, 8}, Holiday::kImmaculate},
      {{12, 25}, Holiday::kChristmas}, {{12, 26}, Holiday::kStStephen},
  };
  for (int year = 1990; year <= 2040; ++year) {
    for (const auto& [md, holiday] : kFixed) {
      EXPECT_EQ(HolidayOn(Date::FromYmd(year, md.first, md.second)), holiday)
          << year << "-" << md.first << "-" << md.second;
    }
  }
}

TEST(HolidayOn, CountsTwelveHolidayDaysInAYear) {
  // Ten fixed holidays plus Easter Sunday and Monday, except when Easter Monday is 25 April.
  for (int year = 2000; year <= 2030; ++year) {
    int count = 0;
    for (Date d = Date::FromYmd(year, 1, 1); d < Date::FromYmd(year + 1, 1, 1); ++d) {
      if (HolidayOn(d) != Holiday::kNone) ++count;
    }
    EXPECT_EQ(count, year == 2011 ? 11 : 12) << year;
  }
}

TEST(HolidayOn, IgnoresOrdinaryDaysAndAbolishedHolidays) {
  for (const char* iso :
       {"2021-01-02", "2021-01-05", "2021-01-07", "2021-02-14", "2021-03-19", "2021-04-24",
        "2021-04-26", "2021-04-30", "2021-05-02", "2021-06-01", "2021-06-03", "2021-06-29",
        "2021-08-14", "2021-08-16", "2021-10-31", "2021-11-02", "2021-11-04", "2021-12-07",
        "2021-12-24", "2021-12-27", "2021-12-31", "2020-02-29", "2019-04-19"}) {
    EXPECT_EQ(HolidayOn(D(iso)), Holiday::kNone) << iso;
  }
}

TEST(HolidayName, NamesEveryHolidayUniquely) {
  std::set<std::string_view> names;
  for (int h = 0; h < kHolidayCount; ++h) names.insert(HolidayName(static_cast<Holiday>(h)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kHolidayCount));
  EXPECT_EQ(HolidayName(Holiday::kNone), "none");
  EXPECT_EQ(HolidayName(Holiday::kEasterMonday), "easter_monday");
  EXPECT_EQ(HolidayName(Holiday::kStStephen), "st_stephen");
}

TEST(PeriodName, NamesEveryPeriodUniquely) {
  std::set<std::string_view> names;
  for (int p = 0; p < kPeriodCount; ++p) names.insert(PeriodName(static_cast<Period>(p)));
  EXPECT_EQ(names.size(), static_cast<std::size_t>(kPeriodCount));
  EXPECT_EQ(PeriodName(Period::kNone), "none");
  EXPECT_EQ(PeriodName(Period::kAugustPeak), "august_peak");
  EXPECT_EQ(PeriodName(Period::kNewYearWeek), "new_year_week");
}

TEST(DescribeDay, FillsBasicFields) {
  const CalendarDay day = DescribeDay(D("2021-03-01"));
  EXPECT_EQ(day.date, D("2021-03-01"));
  EXPECT_EQ(day.weekday, 0);
  EXPECT_EQ(day.day_of_year, 60);
  EXPECT_DOUBLE_EQ(day.year_phase, 59.0 / 365.0);
  EXPECT_EQ(day.holiday, Holiday::kNone);
  EXPECT_FALSE(day.bridge);
  EXPECT_EQ(day.period, Period::kNone);

  const CalendarDay christmas = DescribeDay(D("2019-12-25"));
  EXPECT_EQ(christmas.holiday, Holiday::kChristmas);
  EXPECT_EQ(christmas.weekday, 2);
}

TEST(DescribeDay, MarksMondayBeforeTuesdayHolidayAsBridge) {
  // 1 May 2018 and 2 June 2020 were Tuesdays; 25 April 2006 too.
  for (const char* iso : {"2018-04-30", "2020-06-01", "2006-04-24", "2015-12-07"}) {
    const CalendarDay day = DescribeDay(D(iso));
    EXPECT_EQ(day.weekday, 0) << iso;
    EXPECT_TRUE(day.bridge) << iso;
  }
}

TEST(DescribeDay, MarksFridayAfterThursdayHolidayAsBridge) {
  // 25 April 2019, 1 November 2018, 26 December 2019 and 2 June 2022 were Thursdays.
  for (const char* iso : {"2019-04-26", "2018-11-02", "2019-12-27", "2022-06-03"}) {
    const CalendarDay day = DescribeDay(D(iso));
    EXPECT_EQ(day.weekday, 4) << iso;
    EXPECT_TRUE(day.bridge) << iso;
  }
}

TEST(DescribeDay, NeverMarksWeekendsOrHolidaysAsBridges) {
  // 26 December 2014 is a Friday after a Thursday Christmas, but itself a holiday; 25 December
  // 2017 is a Monday before a Tuesday holiday, but itself a holiday.
  EXPECT_FALSE(DescribeDay(D("2014-12-26")).bridge);
  EXPECT_FALSE(DescribeDay(D("2017-12-25")).bridge);
  for (Date d = D("2006-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    if (day.weekday >= 5 || day.holiday != Holiday::kNone) {
      EXPECT_FALSE(day.bridge) << d.ToIso();
    }
    if (day.bridge) {
      // Only Mondays and Fridays adjacent to a holiday.
      EXPECT_TRUE((day.weekday == 0 && HolidayOn(d + 1) != Holiday::kNone) ||
                  (day.weekday == 4 && HolidayOn(d - 1) != Holiday::kNone))
          << d.ToIso();
    }
  }
}

TEST(DescribeDay, DoesNotMarkOtherWorkingDaysAsBridges) {
  // A Wednesday holiday (2 June 2021) leaves no single working day to bridge; the Tuesday after
  // Easter Monday is no bridge, nor is a Friday after an ordinary Thursday (27 April 2018).
  for (const char* iso : {"2021-06-01", "2021-06-03", "2021-06-04", "2021-05-31", "2019-04-23",
                          "2019-04-24", "2018-04-27", "2021-04-06"}) {
    EXPECT_FALSE(DescribeDay(D(iso)).bridge) << iso;
  }
}

TEST(DescribeDay, MarksAugustPeriods) {
  EXPECT_EQ(DescribeDay(D("2021-07-31")).period, Period::kNone);
  for (int day = 1; day <= 31; ++day) {
    const Period expected = day <= 9    ? Period::kAugustEarly
                            : day <= 23 ? Period::kAugustPeak
                                        : Period::kAugustLate;
    EXPECT_EQ(DescribeDay(Date::FromYmd(2021, 8, day)).period, expected) << day;
  }
  EXPECT_EQ(DescribeDay(D("2021-09-01")).period, Period::kNone);
}

TEST(DescribeDay, MarksChristmasAndNewYearPeriods) {
  EXPECT_EQ(DescribeDay(D("2021-12-23")).period, Period::kNone);
  EXPECT_EQ(DescribeDay(D("2021-12-24")).period, Period::kChristmasEve);
  // Christmas and St Stephen are holidays, not periods.
  EXPECT_EQ(DescribeDay(D("2021-12-25")).period, Period::kNone);
  EXPECT_EQ(DescribeDay(D("2021-12-26")).period, Period::kNone);
  for (int day = 27; day <= 30; ++day) {
    EXPECT_EQ(DescribeDay(Date::FromYmd(2021, 12, day)).period, Period::kYearEndWeek) << day;
  }
  EXPECT_EQ(DescribeDay(D("2021-12-31")).period, Period::kNewYearsEve);
  EXPECT_EQ(DescribeDay(D("2022-01-01")).period, Period::kNone);
  for (int day = 2; day <= 5; ++day) {
    EXPECT_EQ(DescribeDay(Date::FromYmd(2022, 1, day)).period, Period::kNewYearWeek) << day;
  }
  EXPECT_EQ(DescribeDay(D("2022-01-06")).period, Period::kNone);
  EXPECT_EQ(DescribeDay(D("2022-01-07")).period, Period::kNone);
}

TEST(DescribeDay, LeavesTheRestOfTheYearOutsidePeriods) {
  for (Date d = D("2021-01-06"); d < D("2021-08-01"); ++d) {
    EXPECT_EQ(DescribeDay(d).period, Period::kNone) << d.ToIso();
  }
  for (Date d = D("2021-09-01"); d < D("2021-12-24"); ++d) {
    EXPECT_EQ(DescribeDay(d).period, Period::kNone) << d.ToIso();
  }
}

TEST(DescribeDay, YearPhaseStartsAtZeroAndStaysBelowOne) {
  for (int year : {1900, 2000, 2019, 2020, 2021}) {
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 1, 1)).year_phase, 0.0) << year;
    double previous = -1.0;
    for (Date d = Date::FromYmd(year, 1, 1); d < Date::FromYmd(year + 1, 1, 1); ++d) {
      const CalendarDay day = DescribeDay(d);
      ASSERT_GE(day.year_phase, 0.0) << d.ToIso();
      ASSERT_LT(day.year_phase, 1.0) << d.ToIso();
      ASSERT_GT(day.year_phase, previous) << d.ToIso();
      previous = day.year_phase;
    }
    // The last day sits one day's step short of 1.
    EXPECT_DOUBLE_EQ(previous, 1.0 - 1.0 / Date::DaysInYear(year)) << year;
  }
}

}  // namespace
}  // namespace loadcast
