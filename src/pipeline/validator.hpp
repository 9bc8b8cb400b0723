// Validation of load data before anything is stored or trained on. Every problem is reported as
// "source:line: problem" and rejects the data with DataError (exit code 3).
#pragma once

#include <string_view>

#include "core/config.hpp"
#include "core/load_csv.hpp"
#include "core/time_series.hpp"

namespace loadcast {

class Validator {
 public:
  /// Rules take their thresholds from the config; `today` bounds dates (nothing from the future).
  Validator(const Config& config, Date today);

  /// Rows of one file: ascending dates without duplicates or gaps, none in the future, loads
  /// positive, inside [validation.min_load, validation.max_load], and no day-to-day jump beyond
  /// validation.max_daily_jump.
  void ValidateTable(const LoadTable& table) const;
  /// A stored or merged series: contiguous (no gaps), loads positive and plausible. `source`
  /// names it in messages.
  void ValidateSeries(const TimeSeries& series, std::string_view source) const;

 private:
  double min_load_;
  double max_load_;
  double max_daily_jump_;
  Date today_;
};

}  // namespace loadcast
