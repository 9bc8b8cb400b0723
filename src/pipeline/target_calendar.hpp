// The calendar facts of a forecast's target days that its checks and its score read. They depend
// on the dates only, never on a series' loads, so they are computed once and shared: a series run
// builds one for all its series, the single-series flow one per forecast or evaluation, and both
// pass it to the same RunPredictionChecks and EvaluateForecast.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <vector>

#include "core/calendar.hpp"
#include "core/date.hpp"

namespace loadcast {

class TargetCalendar {
 public:
  /// The calendar of `days` (the forecast's days, in order) of a forecast of `target_year`.
  TargetCalendar(int target_year, std::span<const Date> days);

  int target_year() const { return target_year_; }
  /// The forecast's days, in order.
  const std::vector<Date>& days() const { return days_; }
  /// HolidayOn(days()[i]).
  Holiday holiday(std::size_t i) const { return holidays_[i]; }
  /// The days after 1 January of `year` of the same month and day as days()[i]; -1 for 29
  /// February in a common year. 1 January of `year` plus it is SameDayIn(days()[i], year).
  int SameDayOffset(std::size_t i, int year) const {
    return same_day_offset_[Date::IsLeapYear(year) ? 1 : 0][i];
  }
  /// DescribeDay of every day of the target year, from 1 January: the frame a forecast is scored
  /// on.
  const std::vector<CalendarDay>& year_days() const { return year_days_; }

 private:
  int target_year_;
  std::vector<Date> days_;
  std::vector<Holiday> holidays_;
  std::array<std::vector<int>, 2> same_day_offset_;  // in a common year, in a leap year
  std::vector<CalendarDay> year_days_;
};

}  // namespace loadcast
