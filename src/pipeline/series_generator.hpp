// Synthetic many-series data for scale tests and benchmarks: N series made from a real load
// series (the stored Italian actuals), each scaled, with its own trend, its own strength of the
// weekly and seasonal pattern, a local holiday of its own and autocorrelated noise. The same seed
// gives the same bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "core/time_series.hpp"

namespace loadcast {

struct SeriesGeneratorOptions {
  int count = 100;
  int first_year = 2006;
  int last_year = 2021;
  std::uint64_t seed = 1;
};

/// The many-series CSV text of each year in [first_year, last_year] (date,series,load; series
/// S001, S002, ... in name order), from `base`, which must cover those years without gaps.
/// DataError naming the first missing day otherwise.
std::map<int, std::string> GenerateSeries(const TimeSeries& base,
                                          const SeriesGeneratorOptions& options);

}  // namespace loadcast
