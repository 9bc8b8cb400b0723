#include "model/calendar_design.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <numbers>

namespace loadcast {
namespace {

constexpr int kSaturday = 5;
constexpr int kSunday = 6;
// Saturday and Sunday effects vary along the year through these annual harmonics.
constexpr int kWeekendSeasonOrder = 2;
constexpr int kChristmasDays = kChristmasLastOffset - kChristmasFirstOffset + 1;
// Christmas days are split into working days and weekends (with a shared Saturday adjustment);
// the Ferragosto season into working days, Saturdays and Sundays, because a shutdown empties
// offices and factories, not homes.
constexpr int kChristmasDayTypes = 2;
constexpr int kFerragostoDayTypes = 3;
// Short runs of working days inside the Christmas season (1, 2 or 3 days between days off).
constexpr int kShortRuns = 3;
// The Ferragosto season is a piecewise-linear function of the days from 15 August, one per day
// type, with a knot every week: the effect of a day moves smoothly with its date, so the season
// is learnt from every year whichever weekday 15 August falls on.
constexpr int kFerragostoKnotSpacing = 7;
constexpr int kFerragostoKnots =
    (kFerragostoLastOffset - kFerragostoFirstOffset) / kFerragostoKnotSpacing + 1;
static_assert((kFerragostoLastOffset - kFerragostoFirstOffset) % kFerragostoKnotSpacing == 0);

bool IsWorkday(const CalendarDay& day) {
  return day.weekday < kSaturday && day.holiday == Holiday::kNone;
}

}  // namespace

CalendarDesign::CalendarDesign(int fourier_order, int first_year, int last_year)
    : fourier_order_(fourier_order), first_year_(first_year), last_year_(last_year) {
  assert(first_year <= last_year);
  for (int y = first_year; y <= last_year; ++y) names_.push_back(fmt::format("level_{}", y));
  static constexpr const char* kDays[] = {"tue", "wed", "thu", "fri", "sat", "sun"};
  for (const char* d : kDays) names_.push_back(fmt::format("weekday_{}", d));
  for (const char* d : {"sat", "sun"}) {
    for (int k = 1; k <= kWeekendSeasonOrder; ++k) {
      names_.push_back(fmt::format("{}_cos{}", d, k));
      names_.push_back(fmt::format("{}_sin{}", d, k));
    }
  }
  for (int k = 1; k <= fourier_order; ++k) {
    names_.push_back(fmt::format("cos{}", k));
    names_.push_back(fmt::format("sin{}", k));
  }
  for (int h = 1; h < kHolidayCount; ++h) {
    names_.push_back(fmt::format("holiday_{}", HolidayName(static_cast<Holiday>(h))));
  }
  names_.insert(names_.end(), {"holiday_on_saturday", "holiday_on_sunday", "bridge",
                               "workday_before_holiday", "workday_after_holiday"});
  for (int o = kChristmasFirstOffset; o <= kChristmasLastOffset; ++o) {
    names_.push_back(fmt::format("christmas{:+}_workday", o));
    names_.push_back(fmt::format("christmas{:+}_weekend", o));
  }
  names_.push_back("christmas_saturday");
  for (int run = 1; run <= kShortRuns; ++run) {
    names_.push_back(fmt::format("christmas_workday_run{}", run));
  }
  for (const char* type : {"workday", "saturday", "sunday"}) {
    for (int k = 0; k < kFerragostoKnots; ++k) {
      names_.push_back(fmt::format("ferragosto{:+}_{}",
                                   kFerragostoFirstOffset + k * kFerragostoKnotSpacing, type));
    }
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
  for (int weekend_day : {kSaturday, kSunday}) {
    for (int k = 1; k <= kWeekendSeasonOrder; ++k) {
      if (day.weekday == weekend_day) {
        row[c] = std::cos(k * angle);
        row[c + 1] = std::sin(k * angle);
      }
      c += 2;
    }
  }
  for (int k = 1; k <= fourier_order_; ++k) {
    row[c++] = std::cos(k * angle);
    row[c++] = std::sin(k * angle);
  }
  // Each holiday has its own effect wherever it falls; on a weekend it shrinks, since the day is
  // already quiet, by a shared Saturday or Sunday adjustment.
  const bool holiday = day.holiday != Holiday::kNone;
  if (holiday) {
    row[c + static_cast<std::size_t>(day.holiday) - 1] = 1.0;
    if (day.holiday != Holiday::kEasterSunday && day.weekday == kSaturday) {
      row[c + kHolidayCount - 1] = 1.0;
    } else if (day.holiday != Holiday::kEasterSunday && day.weekday == kSunday) {
      row[c + kHolidayCount] = 1.0;
    }
  }
  c += kHolidayCount + 1;  // kHolidayCount - 1 holidays, holiday_on_saturday, holiday_on_sunday
  // Inside the Christmas season, bridges and the days around holidays are the short runs of
  // working days below, which also count Christmas Eve and New Year's Eve as days off.
  const bool christmas = day.christmas_offset != kNoOffset;
  row[c++] = day.bridge && !christmas ? 1.0 : 0.0;
  row[c++] = IsWorkday(day) && day.before_holiday && !christmas ? 1.0 : 0.0;
  row[c++] = IsWorkday(day) && day.after_holiday && !christmas ? 1.0 : 0.0;
  // Seasonal days that are holidays keep only their holiday effect: one column per fact.
  if (!holiday && christmas) {
    const int type = day.weekday < kSaturday ? 0 : 1;
    row[c + static_cast<std::size_t>(
                (day.christmas_offset - kChristmasFirstOffset) * kChristmasDayTypes + type)] = 1.0;
  }
  c += kChristmasDays * kChristmasDayTypes;
  row[c++] = !holiday && christmas && day.weekday == kSaturday ? 1.0 : 0.0;
  if (day.christmas_workday_run >= 1 && day.christmas_workday_run <= kShortRuns) {
    row[c + static_cast<std::size_t>(day.christmas_workday_run - 1)] = 1.0;
  }
  c += kShortRuns;
  if (!holiday && day.ferragosto_offset != kNoOffset) {
    const int type = day.weekday < kSaturday ? 0 : (day.weekday == kSaturday ? 1 : 2);
    const int distance = day.ferragosto_offset - kFerragostoFirstOffset;
    const int knot = std::min(distance / kFerragostoKnotSpacing, kFerragostoKnots - 1);
    const double fraction =
        static_cast<double>(distance - knot * kFerragostoKnotSpacing) / kFerragostoKnotSpacing;
    const std::size_t first = c + static_cast<std::size_t>(type * kFerragostoKnots + knot);
    row[first] = 1.0 - fraction;
    if (fraction > 0.0) row[first + 1] = fraction;
  }
  c += kFerragostoDayTypes * kFerragostoKnots;
  assert(static_cast<int>(c) == cols());
}

}  // namespace loadcast
