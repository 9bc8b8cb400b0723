// The Italian calendar as it shapes electricity demand: public holidays, bridge days and the
// August and Christmas shutdown periods.
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

/// Stretches of the year when industry and offices slow down regardless of weekday.
enum class Period {
  kNone,
  kAugustEarly,   // 1-9 August, before the shutdown peak
  kAugustPeak,    // 10-23 August, the industrial shutdown
  kAugustLate,    // 24-31 August, restart
  kChristmasEve,  // 24 December
  kYearEndWeek,   // 27-30 December
  kNewYearsEve,   // 31 December
  kNewYearWeek,   // 2-5 January
};
inline constexpr int kPeriodCount = 8;  // including kNone
std::string_view PeriodName(Period period);

/// Everything the calendar says about one day.
struct CalendarDay {
  Date date;
  int weekday = 0;  // 0 = Monday ... 6 = Sunday
  int day_of_year = 1;
  double year_phase = 0.0;  // position in the year in [0, 1)
  Holiday holiday = Holiday::kNone;
  bool bridge = false;  // a working day squeezed between a holiday and the weekend
  Period period = Period::kNone;
};

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm).
Date EasterSunday(int year);
/// The public holiday falling on a date, if any.
Holiday HolidayOn(Date date);
/// Annotates a date with its calendar facts.
CalendarDay DescribeDay(Date date);

}  // namespace loadcast
