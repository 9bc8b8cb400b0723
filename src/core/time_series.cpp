#include "core/time_series.hpp"

#include <algorithm>

namespace loadcast {

void TimeSeries::set(Date date, double value) {
  if (values_.empty()) {
    start_ = date;
    values_.push_back(value);
    return;
  }
  if (date < start_) {
    values_.insert(values_.begin(), static_cast<std::size_t>(start_ - date), kMissing);
    start_ = date;
  } else if (date >= end()) {
    values_.resize(static_cast<std::size_t>(date - start_) + 1, kMissing);
  }
  values_[static_cast<std::size_t>(date - start_)] = value;
}

TimeSeries TimeSeries::slice(Date from, Date to) const {
  const Date lo = std::max(from, start_);
  const Date hi = std::min(to, end());
  if (!(lo < hi)) return TimeSeries(from, {});
  const auto first = values_.begin() + (lo - start_);
  return TimeSeries(lo, std::vector<double>(first, first + (hi - lo)));
}

std::optional<Date> TimeSeries::last_known() const {
  for (std::size_t i = values_.size(); i > 0; --i) {
    if (!std::isnan(values_[i - 1])) return date_at(i - 1);
  }
  return std::nullopt;
}

std::size_t TimeSeries::count_known() const {
  return static_cast<std::size_t>(
      std::count_if(values_.begin(), values_.end(), [](double v) { return !std::isnan(v); }));
}

}  // namespace loadcast
