// The Italian calendar as it shapes electricity demand: public holidays, bridge days and the
// August and Christmas shutdown seasons.
#pragma once

#include <array>
#include <string_view>

#include "core/date.hpp"

namespace loadcast {

/// Italian national public holidays, each its own kind because each moves load differently.
enum class Holiday {
  kNone,
  kNewYear,       // 1 January
  kEpiphany,      // 6 January
  kEasterSunday,  // computed
  kEasterMonday,  // computed
  kLiberation,    // 25 April
  kLabour,        // 1 May
  kRepublic,      // 2 June
  kFerragosto,    // 15 August
  kAllSaints,     // 1 November
  kImmaculate,    // 8 December
  kChristmas,     // 25 December
  kStStephen,     // 26 December
};
inline constexpr int kHolidayCount = 13;  // including kNone
std::string_view HolidayName(Holiday holiday);

/// The shutdown seasons, as windows of days around their anchor day, so that a model can learn
/// their shape wherever the weekdays fall in a given year.
inline constexpr int kNoOffset = -1000;
inline constexpr int kChristmasFirstOffset = -6;    // 19 December
inline constexpr int kChristmasLastOffset = 12;     // 6 January
inline constexpr int kFerragostoFirstOffset = -21;  // 25 July
inline constexpr int kFerragostoLastOffset = 14;    // 29 August

/// Everything the calendar says about one day.
struct CalendarDay {
  Date date;
  int weekday = 0;  // 0 = Monday ... 6 = Sunday
  int day_of_year = 1;
  double year_phase = 0.0;  // position in the year in [0, 1)
  Holiday holiday = Holiday::kNone;
  bool bridge = false;          // a working day squeezed between a holiday and the weekend
  bool before_holiday = false;  // the next day is a public holiday
  bool after_holiday = false;   // the previous day was a public holiday
  // Days from the nearest 25 December, inside [kChristmasFirstOffset, kChristmasLastOffset].
  int christmas_offset = kNoOffset;
  // For a working day of the Christmas season, the length of the run of working days holding it
  // (1 is a bridge between days off, whatever the weekday), counting 24 and 31 December as days
  // off and capped at kMaxWorkdayRun; 0 for any other day.
  int christmas_workday_run = 0;
  // Days from 15 August, inside [kFerragostoFirstOffset, kFerragostoLastOffset].
  int ferragosto_offset = kNoOffset;
};
inline constexpr int kMaxWorkdayRun = 4;

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm).
Date EasterSunday(int year);
/// The public holiday falling on a date, if any.
Holiday HolidayOn(Date date);
/// Annotates a date with its calendar facts.
CalendarDay DescribeDay(Date date);

}  // namespace loadcast
