#include "pipeline/target_calendar.hpp"

namespace loadcast {

TargetCalendar::TargetCalendar(int target_year, std::span<const Date> days)
    : target_year_(target_year), days_(days.begin(), days.end()) {
  holidays_.reserve(days_.size());
  for (int leap = 0; leap < 2; ++leap) same_day_offset_[leap].reserve(days_.size());
  // Where a month and day fall in a year depends only on whether the year is a leap year.
  constexpr std::array<int, 2> kExampleYear = {2001, 2000};
  for (const Date day : days_) {
    holidays_.push_back(HolidayOn(day));
    const int month = day.month();
    const int day_of_month = day.day();
    for (int leap = 0; leap < 2; ++leap) {
      const int year = kExampleYear[leap];
      same_day_offset_[leap].push_back(Date::IsValidYmd(year, month, day_of_month)
                                           ? Date::FromYmd(year, month, day_of_month) -
                                                 Date::FromYmd(year, 1, 1)
                                           : -1);
    }
  }
  const Date year_start = Date::FromYmd(target_year, 1, 1);
  const Date year_end = Date::FromYmd(target_year + 1, 1, 1);
  year_days_.reserve(static_cast<std::size_t>(year_end - year_start));
  for (Date d = year_start; d < year_end; ++d) year_days_.push_back(DescribeDay(d));
}

}  // namespace loadcast
