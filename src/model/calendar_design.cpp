#include "model/calendar_design.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

namespace loadcast {
namespace {

// Weekend days whose effect varies along the year through the first annual harmonic.
constexpr int kSaturday = 5;
constexpr int kSunday = 6;

}  // namespace

CalendarDesign::CalendarDesign(int fourier_order, int first_year, int last_year)
    : fourier_order_(fourier_order), first_year_(first_year), last_year_(last_year) {
  assert(first_year <= last_year);
  for (int y = first_year; y <= last_year; ++y) names_.push_back(fmt::format("level_{}", y));
  static constexpr const char* kDays[] = {"tue", "wed", "thu", "fri", "sat", "sun"};
  for (const char* d : kDays) names_.push_back(fmt::format("weekday_{}", d));
  names_.insert(names_.end(), {"sat_cos1", "sat_sin1", "sun_cos1", "sun_sin1"});
  for (int k = 1; k <= fourier_order; ++k) {
    names_.push_back(fmt::format("cos{}", k));
    names_.push_back(fmt::format("sin{}", k));
  }
  for (int h = 1; h < kHolidayCount; ++h) {
    names_.push_back(fmt::format("holiday_{}", HolidayName(static_cast<Holiday>(h))));
  }
  names_.push_back("holiday_on_saturday");
  names_.push_back("bridge");
  for (int p = 1; p < kPeriodCount; ++p) {
    names_.push_back(fmt::format("period_{}", PeriodName(static_cast<Period>(p))));
  }
}

std::vector<double> CalendarDesign::LevelWeights(int year, int level_years) const {
  std::vector<double> w(static_cast<std::size_t>(level_cols()), 0.0);
  if (year >= first_year_ && year <= last_year_) {
    w[static_cast<std::size_t>(year - first_year_)] = 1.0;
    return w;
  }
  if (year < first_year_) {
    w.front() = 1.0;
    return w;
  }
  const int n = std::clamp(level_years, 1, level_cols());
  for (int i = 0; i < n; ++i) w[w.size() - 1 - static_cast<std::size_t>(i)] = 1.0 / n;
  return w;
}

void CalendarDesign::Fill(const CalendarDay& day, std::span<const double> level_weights,
                          std::span<double> row) const {
  assert(static_cast<int>(row.size()) == cols());
  std::fill(row.begin(), row.end(), 0.0);
  std::size_t c = 0;
  for (double w : level_weights) row[c++] = w;
  if (day.weekday > 0) row[c + static_cast<std::size_t>(day.weekday - 1)] = 1.0;
  c += 6;
  const double angle = 2.0 * std::numbers::pi * day.year_phase;
  const double cos1 = std::cos(angle);
  const double sin1 = std::sin(angle);
  if (day.weekday == kSaturday) {
    row[c] = cos1;
    row[c + 1] = sin1;
  } else if (day.weekday == kSunday) {
    row[c + 2] = cos1;
    row[c + 3] = sin1;
  }
  c += 4;
  for (int k = 1; k <= fourier_order_; ++k) {
    row[c++] = std::cos(k * angle);
    row[c++] = std::sin(k * angle);
  }
  // A holiday's own effect is learnt on weekdays (and Easter, always a Sunday); on a Saturday
  // holidays share one effect, and on a Sunday the day is already a Sunday.
  if (day.holiday != Holiday::kNone) {
    if (day.holiday == Holiday::kEasterSunday || day.weekday < kSaturday) {
      row[c + static_cast<std::size_t>(day.holiday) - 1] = 1.0;
    } else if (day.weekday == kSaturday) {
      row[c + kHolidayCount - 1] = 1.0;
    }
  }
  c += kHolidayCount;  // kHolidayCount - 1 holidays plus holiday_on_saturday
  if (day.bridge) row[c] = 1.0;
  c += 1;
  if (day.period != Period::kNone) row[c + static_cast<std::size_t>(day.period) - 1] = 1.0;
  c += kPeriodCount - 1;
  assert(static_cast<int>(c) == cols());
}

}  // namespace loadcast
