// Civil dates as a count of days, the unit every series in loadcast is indexed by.
#pragma once

#include <fmt/format.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace loadcast {

/// A proleptic Gregorian calendar date stored as days since 1970-01-01.
class Date {
 public:
  constexpr Date() = default;
  static Date FromDays(int32_t days) { return Date(days); }
  /// Builds a date from year, month (1-12) and day (1-31); asserts the date exists.
  static Date FromYmd(int year, int month, int day);
  /// Parses a strict ISO 8601 calendar date (YYYY-MM-DD); nullopt when malformed or impossible.
  static std::optional<Date> ParseIso(std::string_view text);
  static bool IsValidYmd(int year, int month, int day);
  static bool IsLeapYear(int year);
  static int DaysInYear(int year) { return IsLeapYear(year) ? 366 : 365; }
  /// Today's date in UTC.
  static Date Today();

  int32_t days() const { return days_; }
  int year() const;
  int month() const;
  int day() const;
  /// 0 = Monday ... 6 = Sunday (ISO weekday minus one).
  int weekday() const;
  /// 1-based day of the year.
  int day_of_year() const;
  std::string ToIso() const;

  Date operator+(int n) const { return Date(days_ + n); }
  Date operator-(int n) const { return Date(days_ - n); }
  int operator-(Date other) const { return days_ - other.days_; }
  Date& operator++() {
    ++days_;
    return *this;
  }
  auto operator<=>(const Date&) const = default;

 private:
  explicit constexpr Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

struct YearMonthDay {
  int year;
  int month;
  int day;
};
YearMonthDay ToYmd(Date date);

}  // namespace loadcast

/// Formats a date as its ISO text (YYYY-MM-DD).
template <>
struct fmt::formatter<loadcast::Date> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(loadcast::Date date, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(date.ToIso(), ctx);
  }
};
