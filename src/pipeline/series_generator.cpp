#include "pipeline/series_generator.hpp"

#include <fmt/format.h>

#include <cmath>
#include <random>
#include <vector>

#include "core/errors.hpp"

namespace loadcast {

std::map<int, std::string> GenerateSeries(const TimeSeries& base,
                                          const SeriesGeneratorOptions& options) {
  const Date from = Date::FromYmd(options.first_year, 1, 1);
  const Date to = Date::FromYmd(options.last_year + 1, 1, 1);
  double mean = 0.0;
  for (Date d = from; d < to; ++d) {
    if (!base.has(d)) {
      throw DataError(
          fmt::format("series generate: the stored actuals have no load for {}", d.ToIso()));
    }
    mean += base.at(d);
  }
  mean /= static_cast<double>(to - from);
  const int width = static_cast<int>(std::to_string(options.count).size());
  std::map<int, std::string> years;
  for (int y = options.first_year; y <= options.last_year; ++y) years[y] = "date,series,load\n";
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::normal_distribution<double> normal(0.0, 1.0);
  fmt::memory_buffer row;
  for (int k = 1; k <= options.count; ++k) {
    const std::string name = fmt::format("S{:0{}d}", k, width);
    // A feeder of a few hundred MWh a day up to a region of tens of thousands.
    const double scale = std::exp(std::log(2e-4) + unit(random) * std::log(100.0)) * mean;
    const double growth = -0.02 + 0.05 * unit(random);  // per year
    const double pattern = 0.7 + 0.4 * unit(random);    // strength of the calendar pattern
    // A patron saint's day: a day of the year with less load when it falls mid-week.
    const int local_holiday = 32 + static_cast<int>(unit(random) * 300.0);
    const double holiday_drop = 0.05 + 0.1 * unit(random);
    const double sigma = 0.01 + 0.02 * unit(random);  // noise, log units
    constexpr double kPersistence = 0.7;
    double noise = 0.0;
    for (Date d = from; d < to; ++d) {
      noise = kPersistence * noise +
              std::sqrt(1.0 - kPersistence * kPersistence) * sigma * normal(random);
      const double years_in = (d - from) / 365.25;
      double load = scale * std::pow(base.at(d) / mean, pattern) *
                    std::pow(1.0 + growth, years_in) * std::exp(noise);
      if (d.day_of_year() == local_holiday && d.weekday() >= 1 && d.weekday() <= 3) {
        load *= 1.0 - holiday_drop;
      }
      const YearMonthDay ymd = ToYmd(d);
      row.clear();
      fmt::format_to(std::back_inserter(row), "{:04d}-{:02d}-{:02d},{},{:.1f}\n", ymd.year,
                     ymd.month, ymd.day, name, load);
      years[ymd.year].append(row.data(), row.size());
    }
  }
  return years;
}

}  // namespace loadcast
