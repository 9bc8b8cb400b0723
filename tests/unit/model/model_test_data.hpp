// Data shared by the model tests: the bundled Italian load series and synthetic series generated
// from the calendar design with known coefficients.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "core/frame.hpp"
#include "core/load_csv.hpp"
#include "core/time_series.hpp"
#include "model/calendar_design.hpp"
#include "support/temp_dir.hpp"

namespace loadcast::testing {

inline Date D(const char* iso) { return Date::ParseIso(iso).value(); }
inline Date YearStart(int year) { return Date::FromYmd(year, 1, 1); }

/// The bundled 2006-2021 daily load, parsed once per test binary.
inline const TimeSeries& BundledSeries() {
  static const TimeSeries series = [] {
    std::ifstream in(BundledData(), std::ios::binary);
    EXPECT_TRUE(in) << BundledData();
    std::stringstream text;
    text << in.rdbuf();
    TimeSeries out;
    for (const LoadRow& row : ParseLoadCsv(text.str(), "load.csv").rows)
      out.set(row.date, row.load);
    return out;
  }();
  return series;
}

/// Plausible calendar effects on log load, by design column name. Levels start near 800 GWh/day.
inline double TrueCoefficient(const std::string& name, int first_year) {
  static const std::map<std::string, double> kEffects = {
      {"weekday_tue", 0.015},
      {"weekday_wed", 0.02},
      {"weekday_thu", 0.018},
      {"weekday_fri", 0.005},
      {"weekday_sat", -0.14},
      {"weekday_sun", -0.32},
      {"sat_cos1", 0.03},
      {"sat_sin1", -0.01},
      {"sun_cos1", 0.05},
      {"sun_sin1", 0.02},
      {"sat_cos2", -0.015},
      {"sat_sin2", 0.008},
      {"sun_cos2", 0.02},
      {"sun_sin2", -0.012},
      {"cos1", 0.06},
      {"sin1", -0.04},
      {"cos2", 0.05},
      {"sin2", 0.01},
      {"cos3", -0.02},
      {"sin3", 0.015},
      {"cos4", 0.01},
      {"sin4", -0.005},
      {"holiday_new_year", -0.35},
      {"holiday_epiphany", -0.25},
      {"holiday_easter_sunday", -0.08},
      {"holiday_easter_monday", -0.3},
      {"holiday_liberation", -0.28},
      {"holiday_labour", -0.33},
      {"holiday_republic", -0.27},
      {"holiday_ferragosto", -0.22},
      {"holiday_all_saints", -0.26},
      {"holiday_immaculate", -0.24},
      {"holiday_christmas", -0.4},
      {"holiday_st_stephen", -0.34},
      {"holiday_on_saturday", 0.12},  // a weekend holiday moves an already quiet day less
      {"holiday_on_sunday", 0.2},
      {"bridge", -0.09},
      {"workday_before_holiday", -0.03},
      {"workday_after_holiday", -0.02},
      // Inside the Christmas season: Saturdays stay busier than Sundays (shops are open), and a
      // short run of working days between days off is emptier the shorter it is.
      {"christmas_saturday", 0.03},
      {"christmas_workday_run1", -0.08},
      {"christmas_workday_run2", -0.05},
      {"christmas_workday_run3", -0.025},
  };
  if (name.starts_with("level_")) {
    const int year = std::stoi(name.substr(6));
    return std::log(800000.0) + 0.012 * (year - first_year) - 0.01 * ((year - first_year) % 2);
  }
  // The Christmas season deepens towards the days between Christmas and New Year, and the
  // Ferragosto shutdown towards 15 August; weekends lose less than workdays.
  int offset = 0;
  char type[16] = {};
  if (std::sscanf(name.c_str(), "christmas%d_%15s", &offset, type) == 2) {
    const double depth = -0.22 * std::exp(-std::pow((offset - 3) / 5.0, 2)) - 0.02;
    return std::string_view(type) == "workday" ? depth : 0.4 * depth;
  }
  if (std::sscanf(name.c_str(), "ferragosto%d_%15s", &offset, type) == 2) {
    // The knots of the Ferragosto basis, one a week from 25 July (-21) to 29 August (+14).
    static const double kKnotDepth[] = {-0.02, -0.04, -0.09, -0.21, -0.12, -0.05};
    constexpr int kSpacing = 7;
    const int knot = (offset - kFerragostoFirstOffset) / kSpacing;
    const bool valid = offset >= kFerragostoFirstOffset && offset <= kFerragostoLastOffset &&
                       (offset - kFerragostoFirstOffset) % kSpacing == 0;
    EXPECT_TRUE(valid) << "unexpected Ferragosto knot " << name;
    if (!valid) return 0.0;
    const double depth = kKnotDepth[knot];
    const std::string_view t(type);
    return t == "workday" ? depth : (t == "saturday" ? 0.6 * depth : 0.35 * depth);
  }
  const auto it = kEffects.find(name);
  EXPECT_NE(it, kEffects.end()) << "no true coefficient for design column " << name;
  return it == kEffects.end() ? 0.0 : it->second;
}

/// How many days of the design's years set each column of a design (nonzero value).
inline std::vector<int> ColumnDaysInSpan(const CalendarDesign& design) {
  std::vector<int> days(static_cast<std::size_t>(design.cols()), 0);
  std::vector<double> row(days.size());
  for (Date d = YearStart(design.first_year()); d < YearStart(design.last_year() + 1); ++d) {
    design.Fill(DescribeDay(d), design.LevelWeights(d.year(), 1), row);
    for (std::size_t c = 0; c < row.size(); ++c) days[c] += row[c] != 0.0 ? 1 : 0;
  }
  return days;
}

/// True coefficients for every column of a design. A column that no day of the design's years
/// sets (a Christmas offset that is always a public holiday, or one that never fell on a weekend
/// in a short span) cannot be learnt: the fit's ridge holds it at zero, so zero is its truth.
inline std::vector<double> TrueCoefficients(const CalendarDesign& design) {
  const std::vector<int> days = ColumnDaysInSpan(design);
  std::vector<double> beta;
  for (std::size_t c = 0; c < days.size(); ++c) {
    beta.push_back(days[c] > 0 ? TrueCoefficient(design.names()[c], design.first_year()) : 0.0);
  }
  return beta;
}

/// The exact log load the design and coefficients give for a day.
inline double DesignLogLoad(const CalendarDesign& design, const std::vector<double>& beta,
                            const CalendarDay& day, int level_years) {
  std::vector<double> row(static_cast<std::size_t>(design.cols()));
  design.Fill(day, design.LevelWeights(day.date.year(), level_years), row);
  double value = 0.0;
  for (std::size_t c = 0; c < row.size(); ++c) value += row[c] * beta[c];
  return value;
}

/// A deterministic uniform number in [-0.5, 0.5) (portable, unlike std::*_distribution).
class Noise {
 public:
  explicit Noise(uint64_t seed) : state_(seed) {}
  double Next() {
    // SplitMix64.
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) / 9007199254740992.0 - 0.5;
  }

 private:
  uint64_t state_;
};

/// Daily load over years [first_year, last_year] generated from the design's true coefficients,
/// with multiplicative noise of the given amplitude (log units) when nonzero.
inline TimeSeries SyntheticSeries(int first_year, int last_year, int fourier_order,
                                  double noise = 0.0, uint64_t seed = 1) {
  const CalendarDesign design(fourier_order, first_year, last_year);
  const std::vector<double> beta = TrueCoefficients(design);
  Noise random(seed);
  TimeSeries series;
  for (Date d = YearStart(first_year); d < YearStart(last_year + 1); ++d) {
    const double log_load = DesignLogLoad(design, beta, DescribeDay(d), 1);
    series.set(d, std::exp(log_load + noise * random.Next()));
  }
  return series;
}

}  // namespace loadcast::testing
