#include "core/calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(DescribeDay, FillsBasicFields) {
  const CalendarDay day = DescribeDay(D("2021-03-01"));
  EXPECT_EQ(day.date, D("2021-03-01"));
  EXPECT_EQ(day.weekday, 0);
  EXPECT_EQ(day.day_of_year, 60);
  EXPECT_DOUBLE_EQ(day.year_phase, 59.0 / 365.0);
  EXPECT_EQ(day.holiday, Holiday::kNone);
  EXPECT_FALSE(day.bridge);
  EXPECT_FALSE(day.before_holiday);
  EXPECT_FALSE(day.after_holiday);
  EXPECT_EQ(day.christmas_offset, kNoOffset);
  EXPECT_EQ(day.christmas_workday_run, 0);
  EXPECT_EQ(day.ferragosto_offset, kNoOffset);

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

TEST(DescribeDay, MarksTheDaysBeforeAndAfterHolidays) {
  // Christmas 2021 was a Saturday, St Stephen a Sunday, New Year 2022 a Saturday.
  const struct {
    const char* iso;
    bool before;
    bool after;
  } kCases[] = {
      {"2021-12-23", false, false},
      {"2021-12-24", true, false},
      {"2021-12-25", true, false},
      {"2021-12-26", false, true},
      {"2021-12-27", false, true},
      {"2021-12-28", false, false},
      {"2021-12-31", true, false},
      {"2022-01-01", false, false},
      {"2022-01-02", false, true},
      {"2022-01-05", true, false},
      {"2022-01-06", false, false},
      {"2022-01-07", false, true},
      // Easter 2021 was 4 April: Saturday before, Tuesday after Easter Monday.
      {"2021-04-02", false, false},
      {"2021-04-03", true, false},
      {"2021-04-04", true, false},
      {"2021-04-05", false, true},
      {"2021-04-06", false, true},
      {"2021-04-07", false, false},
      // 2011: Easter Monday was Liberation Day; 24 and 26 April still border a holiday.
      {"2011-04-24", true, false},
      {"2011-04-26", false, true},
      {"2021-08-14", true, false},
      {"2021-08-16", false, true},
      {"2021-03-10", false, false},
  };
  for (const auto& c : kCases) {
    const CalendarDay day = DescribeDay(D(c.iso));
    EXPECT_EQ(day.before_holiday, c.before) << c.iso;
    EXPECT_EQ(day.after_holiday, c.after) << c.iso;
  }
}

TEST(DescribeDay, BeforeAndAfterHolidayFollowHolidayOnEveryDay) {
  // Weekends and holidays included: the flags say only what the neighbouring days are.
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    ASSERT_EQ(day.before_holiday, HolidayOn(d + 1) != Holiday::kNone) << d.ToIso();
    ASSERT_EQ(day.after_holiday, HolidayOn(d - 1) != Holiday::kNone) << d.ToIso();
  }
}

TEST(DescribeDay, ChristmasOffsetCrossesTheYearBoundary) {
  EXPECT_EQ(DescribeDay(D("2021-12-18")).christmas_offset, kNoOffset);
  EXPECT_EQ(DescribeDay(D("2021-12-19")).christmas_offset, -6);
  EXPECT_EQ(DescribeDay(D("2021-12-24")).christmas_offset, -1);
  EXPECT_EQ(DescribeDay(D("2021-12-25")).christmas_offset, 0);
  EXPECT_EQ(DescribeDay(D("2021-12-26")).christmas_offset, 1);
  EXPECT_EQ(DescribeDay(D("2021-12-31")).christmas_offset, 6);
  EXPECT_EQ(DescribeDay(D("2022-01-01")).christmas_offset, 7);
  EXPECT_EQ(DescribeDay(D("2022-01-02")).christmas_offset, 8);
  EXPECT_EQ(DescribeDay(D("2022-01-06")).christmas_offset, 12);
  EXPECT_EQ(DescribeDay(D("2022-01-07")).christmas_offset, kNoOffset);
  // Across a leap year's end and a leap year's start the offsets stay day counts.
  EXPECT_EQ(DescribeDay(D("2020-01-06")).christmas_offset, 12);
  EXPECT_EQ(DescribeDay(D("2020-12-19")).christmas_offset, -6);
  EXPECT_EQ(DescribeDay(D("2021-01-06")).christmas_offset, 12);
  EXPECT_EQ(DescribeDay(D("2021-01-07")).christmas_offset, kNoOffset);
  // The window bounds are the documented constants.
  EXPECT_EQ(kChristmasFirstOffset, -6);
  EXPECT_EQ(kChristmasLastOffset, 12);
  EXPECT_LT(kNoOffset, kFerragostoFirstOffset);
  EXPECT_LT(kNoOffset, kChristmasFirstOffset);
}

TEST(DescribeDay, ChristmasOffsetIsTheDistanceToTheNearestChristmasInsideTheWindow) {
  int in_window = 0;
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    // The Christmas of the season: this year's from 19 December, last year's in early January.
    const Date christmas = Date::FromYmd(d.month() == 12 ? d.year() : d.year() - 1, 12, 25);
    const int distance = d - christmas;
    const int expected = distance >= kChristmasFirstOffset && distance <= kChristmasLastOffset
                             ? distance
                             : kNoOffset;
    ASSERT_EQ(DescribeDay(d).christmas_offset, expected) << d.ToIso();
    if (expected != kNoOffset) ++in_window;
  }
  // 19 days a season: 30 whole seasons (2000/01 ... 2029/30), plus the first days of 2000 and the
  // last of 2030.
  EXPECT_EQ(in_window, 30 * 19 + 6 + 13);
}

TEST(DescribeDay, FerragostoOffsetRunsFromTwentyFifthJulyToTwentyNinthAugust) {
  // The window bounds are the documented constants: 25 July to 29 August.
  EXPECT_EQ(kFerragostoFirstOffset, -21);
  EXPECT_EQ(kFerragostoLastOffset, 14);
  // 15 August fell on a Sunday in 2021, a Monday in 2022, a Saturday in 2020, a Thursday in 2019
  // and a Wednesday in 2018; 2020 and 2024 are leap years. The window is the same dates every
  // year, whatever the weekday.
  for (int year : {2018, 2019, 2020, 2021, 2022, 2024}) {
    SCOPED_TRACE(year);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 7, 24)).ferragosto_offset, kNoOffset);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 7, 25)).ferragosto_offset, kFerragostoFirstOffset);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 7, 31)).ferragosto_offset, -15);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 1)).ferragosto_offset, -14);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 8)).ferragosto_offset, -7);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 14)).ferragosto_offset, -1);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 15)).ferragosto_offset, 0);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 16)).ferragosto_offset, 1);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 22)).ferragosto_offset, 7);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 29)).ferragosto_offset, kFerragostoLastOffset);
    EXPECT_EQ(DescribeDay(Date::FromYmd(year, 8, 30)).ferragosto_offset, kNoOffset);
  }
  // Spot checks by date.
  EXPECT_EQ(DescribeDay(D("2021-08-09")).ferragosto_offset, -6);  // the Monday before a Sunday
  EXPECT_EQ(DescribeDay(D("2021-08-15")).holiday, Holiday::kFerragosto);
  EXPECT_EQ(DescribeDay(D("2022-08-26")).ferragosto_offset, 11);
  // The old Monday-to-Sunday weeks reached 19 July and 4 September; the day window does not.
  EXPECT_EQ(DescribeDay(D("2021-07-19")).ferragosto_offset, kNoOffset);
  EXPECT_EQ(DescribeDay(D("2022-09-01")).ferragosto_offset, kNoOffset);
  EXPECT_EQ(DescribeDay(D("2022-09-04")).ferragosto_offset, kNoOffset);
  EXPECT_EQ(DescribeDay(D("2021-06-15")).ferragosto_offset, kNoOffset);
  EXPECT_EQ(DescribeDay(D("2021-09-15")).ferragosto_offset, kNoOffset);
}

TEST(DescribeDay, FerragostoOffsetIsTheDistanceToFifteenAugustInsideTheWindow) {
  for (int year = 2000; year <= 2030; ++year) {
    SCOPED_TRACE(year);
    const Date ferragosto = Date::FromYmd(year, 8, 15);
    int days = 0;
    Date first;
    Date last;
    for (Date d = Date::FromYmd(year, 1, 1); d < Date::FromYmd(year + 1, 1, 1); ++d) {
      const int distance = d - ferragosto;
      const int expected = distance >= kFerragostoFirstOffset && distance <= kFerragostoLastOffset
                               ? distance
                               : kNoOffset;
      const int offset = DescribeDay(d).ferragosto_offset;
      ASSERT_EQ(offset, expected) << d.ToIso();
      if (offset == kNoOffset) continue;
      if (days == 0) {
        first = d;
      } else {
        ASSERT_EQ(d, last + 1) << "the window is one stretch of days";
      }
      last = d;
      ++days;
    }
    // 36 days a summer, from 25 July to 29 August.
    EXPECT_EQ(days, kFerragostoLastOffset - kFerragostoFirstOffset + 1);
    EXPECT_EQ(days, 36);
    EXPECT_EQ(first, Date::FromYmd(year, 7, 25));
    EXPECT_EQ(last, Date::FromYmd(year, 8, 29));
  }
}

TEST(DescribeDay, LeavesTheRestOfTheYearOutsideTheSeasons) {
  for (Date d = D("2021-01-07"); d < D("2021-07-25"); ++d) {
    EXPECT_EQ(DescribeDay(d).christmas_offset, kNoOffset) << d.ToIso();
    EXPECT_EQ(DescribeDay(d).ferragosto_offset, kNoOffset) << d.ToIso();
    EXPECT_EQ(DescribeDay(d).christmas_workday_run, 0) << d.ToIso();
  }
  for (Date d = D("2021-08-30"); d < D("2021-12-19"); ++d) {
    EXPECT_EQ(DescribeDay(d).christmas_offset, kNoOffset) << d.ToIso();
    EXPECT_EQ(DescribeDay(d).ferragosto_offset, kNoOffset) << d.ToIso();
    EXPECT_EQ(DescribeDay(d).christmas_workday_run, 0) << d.ToIso();
  }
  // The two seasons never overlap.
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    ASSERT_TRUE(day.christmas_offset == kNoOffset || day.ferragosto_offset == kNoOffset)
        << d.ToIso();
  }
}

TEST(DescribeDay, ChristmasWorkdayRunCountsTheWorkingDaysBetweenDaysOff) {
  EXPECT_EQ(kMaxWorkdayRun, 4);
  const struct {
    const char* iso;
    int run;
  } kCases[] = {
      // 2019/20: Christmas a Wednesday, New Year a Wednesday, Epiphany a Monday.
      {"2019-12-18", 0},  // a working day, but before the season
      {"2019-12-19", 4},  // Thursday: Monday 16 to Friday 20, days outside the season included
      {"2019-12-20", 4},  // Friday
      {"2019-12-21", 0},  // Saturday
      {"2019-12-22", 0},  // Sunday
      {"2019-12-23", 1},  // Monday between a Sunday and Christmas Eve
      {"2019-12-24", 0},  // Christmas Eve (a Tuesday) counts as a day off
      {"2019-12-25", 0},  // Christmas
      {"2019-12-26", 0},  // St Stephen
      {"2019-12-27", 1},  // Friday between St Stephen and a Saturday
      {"2019-12-28", 0},
      {"2019-12-29", 0},
      {"2019-12-30", 1},  // Monday between a Sunday and New Year's Eve
      {"2019-12-31", 0},  // New Year's Eve (a Tuesday) counts as a day off
      {"2020-01-01", 0},  // New Year
      {"2020-01-02", 2},  // Thursday and Friday between New Year and a Saturday
      {"2020-01-03", 2},
      {"2020-01-04", 0},
      {"2020-01-05", 0},
      {"2020-01-06", 0},  // Epiphany, a Monday
      {"2020-01-07", 0},  // a working day, but after the season
      // 2021/22: Christmas a Saturday, St Stephen a Sunday, New Year a Saturday, Epiphany a
      // Thursday.
      {"2021-12-19", 0},  // Sunday
      {"2021-12-20", 4},  // Monday to Thursday, before Christmas Eve on a Friday
      {"2021-12-21", 4},
      {"2021-12-22", 4},
      {"2021-12-23", 4},
      {"2021-12-24", 0},
      {"2021-12-27", 4},  // Monday to Thursday, before New Year's Eve on a Friday
      {"2021-12-30", 4},
      {"2021-12-31", 0},
      {"2022-01-03", 3},  // Monday to Wednesday, between a Sunday and Epiphany
      {"2022-01-04", 3},
      {"2022-01-05", 3},
      {"2022-01-06", 0},  // Epiphany
      {"2022-01-07", 0},  // a Friday bridge, but after the season
      // 2018/19: Christmas a Tuesday, New Year a Tuesday, Epiphany a Sunday.
      {"2018-12-19", 4},  // Wednesday: Monday 17 to Friday 21
      {"2018-12-21", 4},
      {"2018-12-24", 0},  // Christmas Eve on a Monday
      {"2018-12-27", 2},  // Thursday and Friday after St Stephen
      {"2018-12-28", 2},
      {"2018-12-31", 0},  // New Year's Eve on a Monday
      {"2019-01-02", 3},  // Wednesday to Friday after New Year
      {"2019-01-04", 3},
      {"2019-01-06", 0},  // Epiphany, a Sunday
  };
  for (const auto& c : kCases) {
    EXPECT_EQ(DescribeDay(D(c.iso)).christmas_workday_run, c.run) << c.iso;
  }
}

TEST(DescribeDay, ChristmasWorkdayRunIsTheCappedLengthOfTheRunOfSeasonWorkingDays) {
  // Every day of many years, against an uncapped count of the working days around it.
  const auto season_working_day = [](Date d) {
    const bool eve = d.month() == 12 && (d.day() == 24 || d.day() == 31);
    return d.weekday() < 5 && HolidayOn(d) == Holiday::kNone && !eve;
  };
  int runs[kMaxWorkdayRun + 1] = {};
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    ASSERT_GE(day.christmas_workday_run, 0) << d.ToIso();
    ASSERT_LE(day.christmas_workday_run, kMaxWorkdayRun) << d.ToIso();
    if (day.christmas_offset == kNoOffset || !season_working_day(d)) {
      ASSERT_EQ(day.christmas_workday_run, 0) << d.ToIso();
      continue;
    }
    int length = 1;
    for (Date e = d - 1; season_working_day(e); e = e - 1) ++length;
    for (Date e = d + 1; season_working_day(e); ++e) ++length;
    ASSERT_EQ(day.christmas_workday_run, std::min(length, kMaxWorkdayRun)) << d.ToIso();
    ++runs[day.christmas_workday_run];
  }
  // Over 31 seasons every run length occurs.
  for (int run = 1; run <= kMaxWorkdayRun; ++run) EXPECT_GT(runs[run], 0) << run;
}

TEST(DescribeDay, ChristmasWorkdayRunIsZeroOnDaysOff) {
  for (Date d = D("2000-01-01"); d < D("2031-01-01"); ++d) {
    const CalendarDay day = DescribeDay(d);
    if (day.weekday >= 5 || day.holiday != Holiday::kNone ||
        (d.month() == 12 && (d.day() == 24 || d.day() == 31))) {
      ASSERT_EQ(day.christmas_workday_run, 0) << d.ToIso();
    }
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
