#include "core/calendar.hpp"

namespace loadcast {

namespace {

// By Holiday: each holiday's name, and its day as month * 100 + day (0: none, or computed).
constexpr std::array<std::string_view, kHolidayCount> kHolidayNames = {
    "none",       "new_year",  "epiphany",  "easter_sunday", "easter_monday",
    "liberation", "labour",    "republic",  "ferragosto",    "all_saints",
    "immaculate", "christmas", "st_stephen"};
constexpr std::array<int, kHolidayCount> kHolidayMonthDays = {0,   101, 106,  0,    0,    425, 501,
                                                              602, 815, 1101, 1208, 1225, 1226};

}  // namespace

std::string_view HolidayName(Holiday holiday) {
  return kHolidayNames[static_cast<std::size_t>(holiday)];
}

Date EasterSunday(int year) {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date::FromYmd(year, month, day);
}

Holiday HolidayOn(Date date) {
  const YearMonthDay ymd = ToYmd(date);
  const int month_day = ymd.month * 100 + ymd.day;
  for (std::size_t h = 1; h < kHolidayMonthDays.size(); ++h) {
    if (kHolidayMonthDays[h] == month_day) return static_cast<Holiday>(h);
  }
  if (ymd.month == 3 || ymd.month == 4) {
    const Date easter = EasterSunday(ymd.year);
    if (date == easter) return Holiday::kEasterSunday;
    if (date == easter + 1) return Holiday::kEasterMonday;
  }
  return Holiday::kNone;
}

namespace {

int ChristmasOffset(Date date, int year) {
  for (int y : {year - 1, year}) {
    const int offset = date - Date::FromYmd(y, 12, 25);
    if (offset >= kChristmasFirstOffset && offset <= kChristmasLastOffset) return offset;
  }
  return kNoOffset;
}

int FerragostoOffset(Date date, int year) {
  const int offset = date - Date::FromYmd(year, 8, 15);
  return offset >= kFerragostoFirstOffset && offset <= kFerragostoLastOffset ? offset : kNoOffset;
}

bool IsWorkingDay(Date date) { return date.weekday() < 5 && HolidayOn(date) == Holiday::kNone; }

// Christmas Eve and New Year's Eve are no public holidays, but most offices close for them.
bool IsSeasonWorkingDay(Date date) {
  const YearMonthDay ymd = ToYmd(date);
  return IsWorkingDay(date) && !(ymd.month == 12 && (ymd.day == 24 || ymd.day == 31));
}

int SeasonWorkdayRun(Date date) {
  if (!IsSeasonWorkingDay(date)) return 0;
  int run = 1;
  for (Date d = date - 1; run < kMaxWorkdayRun && IsSeasonWorkingDay(d); d = d - 1) ++run;
  for (Date d = date + 1; run < kMaxWorkdayRun && IsSeasonWorkingDay(d); d = d + 1) ++run;
  return run;
}

}  // namespace

CalendarDay DescribeDay(Date date) {
  const YearMonthDay ymd = ToYmd(date);
  CalendarDay day;
  day.date = date;
  day.weekday = date.weekday();
  day.day_of_year = date.day_of_year();
  day.year_phase = (day.day_of_year - 1) / static_cast<double>(Date::DaysInYear(ymd.year));
  day.holiday = HolidayOn(date);
  day.before_holiday = HolidayOn(date + 1) != Holiday::kNone;
  day.after_holiday = HolidayOn(date - 1) != Holiday::kNone;
  day.christmas_offset = ChristmasOffset(date, ymd.year);
  if (day.christmas_offset != kNoOffset) day.christmas_workday_run = SeasonWorkdayRun(date);
  day.ferragosto_offset = FerragostoOffset(date, ymd.year);
  // A Monday before a Tuesday holiday or a Friday after a Thursday holiday is a classic "ponte".
  if (IsWorkingDay(date)) {
    day.bridge = (day.weekday == 0 && HolidayOn(date + 1) != Holiday::kNone) ||
                 (day.weekday == 4 && HolidayOn(date - 1) != Holiday::kNone);
  }
  return day;
}

}  // namespace loadcast
