#include "pipeline/target_calendar.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace loadcast {
namespace {

std::vector<Date> DaysOf(int year) {
  std::vector<Date> days;
  for (Date d = Date::FromYmd(year, 1, 1); d < Date::FromYmd(year + 1, 1, 1); ++d) {
    days.push_back(d);
  }
  return days;
}

TEST(TargetCalendarTest, HolidaysAreThoseOfEachDay) {
  const std::vector<Date> days = DaysOf(2024);
  const TargetCalendar calendar(2024, days);
  ASSERT_EQ(calendar.days(), days);
  for (std::size_t i = 0; i < days.size(); ++i) {
    EXPECT_EQ(calendar.holiday(i), HolidayOn(days[i])) << days[i].ToIso();
  }
}

TEST(TargetCalendarTest, SameDayOffsetIsTheSameMonthAndDayInAnotherYear) {
  for (const int target : {2020, 2021}) {
    const std::vector<Date> days = DaysOf(target);
    const TargetCalendar calendar(target, days);
    for (const int year : {2015, 2016, 2019, 2020}) {
      const Date first = Date::FromYmd(year, 1, 1);
      for (std::size_t i = 0; i < days.size(); ++i) {
        const int offset = calendar.SameDayOffset(i, year);
        if (!Date::IsValidYmd(year, days[i].month(), days[i].day())) {
          EXPECT_EQ(offset, -1) << days[i].ToIso() << " in " << year;
          continue;
        }
        EXPECT_EQ(first + offset, Date::FromYmd(year, days[i].month(), days[i].day()))
            << days[i].ToIso() << " in " << year;
      }
    }
  }
}

TEST(TargetCalendarTest, YearDaysDescribeEveryDayOfTheTargetYear) {
  const std::vector<Date> some = {Date::FromYmd(2021, 3, 1), Date::FromYmd(2021, 3, 2)};
  const TargetCalendar calendar(2021, some);
  const std::vector<Date> days = DaysOf(2021);
  ASSERT_EQ(calendar.year_days().size(), days.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    const CalendarDay expected = DescribeDay(days[i]);
    const CalendarDay& day = calendar.year_days()[i];
    EXPECT_EQ(day.date, expected.date);
    EXPECT_EQ(day.holiday, expected.holiday);
    EXPECT_EQ(day.weekday, expected.weekday);
    EXPECT_EQ(day.bridge, expected.bridge);
    EXPECT_EQ(day.christmas_offset, expected.christmas_offset);
  }
}

}  // namespace
}  // namespace loadcast
