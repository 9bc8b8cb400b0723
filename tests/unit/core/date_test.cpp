#include "core/date.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <string>

namespace loadcast {
namespace {

TEST(DateParseIso, AcceptsWellFormedDates) {
  const auto date = Date::ParseIso("2021-03-14");
  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(date->year(), 2021);
  EXPECT_EQ(date->month(), 3);
  EXPECT_EQ(date->day(), 14);
  EXPECT_EQ(*date, Date::FromYmd(2021, 3, 14));
}

TEST(DateParseIso, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_TRUE(Date::ParseIso("2020-02-29").has_value());
  EXPECT_TRUE(Date::ParseIso("2000-02-29").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-02-29").has_value());
  EXPECT_FALSE(Date::ParseIso("1900-02-29").has_value());
}

TEST(DateParseIso, RejectsImpossibleMonthsAndDays) {
  EXPECT_FALSE(Date::ParseIso("2021-13-01").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-00-10").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-01-00").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-01-32").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-04-31").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-06-31").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-09-31").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-11-31").has_value());
  EXPECT_FALSE(Date::ParseIso("2021-02-30").has_value());
}

TEST(DateParseIso, RejectsNonCanonicalLayouts) {
  // Only the strict YYYY-MM-DD form is a date: a lenient parser would let European day-first
  // files or truncated values slip through as wrong dates.
  for (const char* text :
       {"2021-1-01",        "2021-01-1",  "21-01-01",    "02021-01-01", "2021/01/01",
        "01-01-2021",       "01/02/2021", "2021-01-01 ", " 2021-01-01", "2021-01-01x",
        "2021-01-01T00:00", "2021-01-0a", "+021-01-01",  "-021-01-01",  "2021-+1-01",
        "2021--1-01",       "",           "2021",        "2021-01",     "20210101",
        "2021_01_01",       "yyyy-mm-dd"}) {
    EXPECT_FALSE(Date::ParseIso(text).has_value()) << "'" << text << "'";
  }
}

TEST(DateParseIso, RejectsEmbeddedNul) {
  const std::string text("2021-01\0001", 10);
  EXPECT_FALSE(Date::ParseIso(text).has_value());
}

TEST(DateIsLeapYear, FollowsGregorianRules) {
  EXPECT_TRUE(Date::IsLeapYear(2000));   // divisible by 400
  EXPECT_FALSE(Date::IsLeapYear(1900));  // divisible by 100 but not 400
  EXPECT_FALSE(Date::IsLeapYear(2100));
  EXPECT_TRUE(Date::IsLeapYear(2400));
  EXPECT_TRUE(Date::IsLeapYear(2020));
  EXPECT_TRUE(Date::IsLeapYear(2024));
  EXPECT_FALSE(Date::IsLeapYear(2021));
  EXPECT_FALSE(Date::IsLeapYear(2023));
  EXPECT_EQ(Date::DaysInYear(2000), 366);
  EXPECT_EQ(Date::DaysInYear(1900), 365);
  EXPECT_EQ(Date::DaysInYear(2020), 366);
  EXPECT_EQ(Date::DaysInYear(2021), 365);
}

TEST(DateIsValidYmd, ChecksMonthLengths) {
  EXPECT_TRUE(Date::IsValidYmd(2021, 1, 31));
  EXPECT_TRUE(Date::IsValidYmd(2021, 12, 31));
  EXPECT_FALSE(Date::IsValidYmd(2021, 4, 31));
  EXPECT_FALSE(Date::IsValidYmd(2021, 0, 1));
  EXPECT_FALSE(Date::IsValidYmd(2021, 13, 1));
  EXPECT_FALSE(Date::IsValidYmd(2021, 1, 0));
  EXPECT_FALSE(Date::IsValidYmd(2021, 1, -1));
  EXPECT_TRUE(Date::IsValidYmd(2024, 2, 29));
  EXPECT_FALSE(Date::IsValidYmd(2023, 2, 29));
}

TEST(Date, EpochIsDayZero) {
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).days(), 0);
  EXPECT_EQ(Date::FromYmd(1970, 1, 2).days(), 1);
  EXPECT_EQ(Date::FromYmd(1969, 12, 31).days(), -1);
  EXPECT_EQ(Date::FromYmd(2000, 1, 1).days(), 10957);
  EXPECT_EQ(Date().ToIso(), "1970-01-01");
}

TEST(DateWeekday, MatchesKnownDates) {
  // 0 = Monday ... 6 = Sunday.
  EXPECT_EQ(Date::FromYmd(1970, 1, 1).weekday(), 3);    // Thursday
  EXPECT_EQ(Date::FromYmd(1969, 12, 28).weekday(), 6);  // Sunday, before the epoch
  EXPECT_EQ(Date::FromYmd(1900, 1, 1).weekday(), 0);    // Monday
  EXPECT_EQ(Date::FromYmd(2000, 1, 1).weekday(), 5);    // Saturday
  EXPECT_EQ(Date::FromYmd(2006, 1, 1).weekday(), 6);    // Sunday, first day of the data
  EXPECT_EQ(Date::FromYmd(2019, 4, 25).weekday(), 3);   // Thursday
  EXPECT_EQ(Date::FromYmd(2020, 2, 29).weekday(), 5);   // Saturday
  EXPECT_EQ(Date::FromYmd(2021, 12, 31).weekday(), 4);  // Friday, last day of the data
  EXPECT_EQ(Date::FromYmd(2024, 1, 1).weekday(), 0);    // Monday
}

TEST(DateWeekday, CyclesThroughTheWeekDayByDay) {
  Date d = Date::FromYmd(1960, 1, 4);  // a Monday, well before the epoch
  ASSERT_EQ(d.weekday(), 0);
  for (int i = 0; i < 40000; ++i, ++d) ASSERT_EQ(d.weekday(), i % 7) << d.ToIso();
}

TEST(DateDayOfYear, CountsFromOne) {
  EXPECT_EQ(Date::FromYmd(2021, 1, 1).day_of_year(), 1);
  EXPECT_EQ(Date::FromYmd(2021, 2, 1).day_of_year(), 32);
  EXPECT_EQ(Date::FromYmd(2021, 3, 1).day_of_year(), 60);
  EXPECT_EQ(Date::FromYmd(2020, 3, 1).day_of_year(), 61);  // after a leap day
  EXPECT_EQ(Date::FromYmd(2021, 12, 31).day_of_year(), 365);
  EXPECT_EQ(Date::FromYmd(2020, 12, 31).day_of_year(), 366);
  EXPECT_EQ(Date::FromYmd(1900, 12, 31).day_of_year(), 365);
  EXPECT_EQ(Date::FromYmd(2000, 12, 31).day_of_year(), 366);
}

TEST(Date, RoundTripsThroughYmdAndIsoForEveryDayOver150Years) {
  // Walks day by day from 1900 to 2050 and checks that the day count, the civil fields and the
  // ISO text agree with a naive calendar walk.
  int year = 1900;
  int month = 1;
  int day = 1;
  Date expected = Date::FromYmd(1900, 1, 1);
  int day_of_year = 1;
  while (year < 2050) {
    const Date d = Date::FromYmd(year, month, day);
    ASSERT_EQ(d, expected);
    const YearMonthDay ymd = ToYmd(d);
    ASSERT_EQ(ymd.year, year);
    ASSERT_EQ(ymd.month, month);
    ASSERT_EQ(ymd.day, day);
    ASSERT_EQ(d.day_of_year(), day_of_year);
    const std::string iso = d.ToIso();
    ASSERT_EQ(Date::ParseIso(iso), d) << iso;
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", year, month, day);
    ASSERT_EQ(iso, buffer);

    ++expected;
    ++day_of_year;
    if (!Date::IsValidYmd(year, month, day + 1)) {
      day = 1;
      if (++month > 12) {
        month = 1;
        ++year;
        day_of_year = 1;
      }
    } else {
      ++day;
    }
  }
}

TEST(Date, ArithmeticMovesByDays) {
  const Date d = Date::FromYmd(2020, 2, 28);
  EXPECT_EQ((d + 1).ToIso(), "2020-02-29");
  EXPECT_EQ((d + 2).ToIso(), "2020-03-01");
  EXPECT_EQ((d - 59).ToIso(), "2019-12-31");
  EXPECT_EQ(Date::FromYmd(2021, 1, 1) - Date::FromYmd(2020, 1, 1), 366);
  EXPECT_EQ(Date::FromYmd(2020, 1, 1) - Date::FromYmd(2021, 1, 1), -366);
  EXPECT_LT(Date::FromYmd(2020, 1, 1), Date::FromYmd(2020, 1, 2));
  EXPECT_EQ(Date::FromDays(d.days()), d);
}

TEST(DateToday, IsTheCurrentUtcDate) {
  // Compared against the C library's UTC clock; retried once in case midnight passes between.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    const Date expected = Date::FromYmd(utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday);
    const Date today = Date::Today();
    if (today == expected) return;
  }
  ADD_FAILURE() << "Date::Today() disagrees with gmtime";
}

TEST(DateToday, IsPlausible) {
  const Date today = Date::Today();
  EXPECT_GT(today, Date::FromYmd(2024, 1, 1));
  EXPECT_LT(today, Date::FromYmd(2100, 1, 1));
}

}  // namespace
}  // namespace loadcast
