// A daily series: a start date and one value per consecutive day, NaN where unknown.
#pragma once

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "core/date.hpp"

namespace loadcast {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

class TimeSeries {
 public:
  TimeSeries() = default;
  TimeSeries(Date start, std::vector<double> values) : start_(start), values_(std::move(values)) {}

  bool empty() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }
  Date start() const { return start_; }
  /// One past the last day held.
  Date end() const { return start_ + static_cast<int>(values_.size()); }
  const std::vector<double>& values() const { return values_; }

  /// The value on a date, or NaN when the date is outside the series or unknown.
  double at(Date date) const {
    const int i = date - start_;
    if (i < 0 || i >= static_cast<int>(values_.size())) return kMissing;
    return values_[static_cast<std::size_t>(i)];
  }
  bool has(Date date) const { return !std::isnan(at(date)); }
  Date date_at(std::size_t index) const { return start_ + static_cast<int>(index); }

  /// Sets a value, growing the series (with NaN holes) when the date lies outside it.
  void set(Date date, double value);
  /// The part of the series in [from, to), clipped to what exists.
  TimeSeries slice(Date from, Date to) const;
  /// The last date with a known value, if any.
  std::optional<Date> last_known() const;
  /// Number of known (non-NaN) values.
  std::size_t count_known() const;

 private:
  Date start_;
  std::vector<double> values_;
};

}  // namespace loadcast
