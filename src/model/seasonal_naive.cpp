#include "model/seasonal_naive.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/errors.hpp"
#include "model/quantile.hpp"

namespace loadcast {

SeasonalNaive::SeasonalNaive(const CommonModelParams& common)
    : coverage_(common.interval_coverage) {}

void SeasonalNaive::Fit(const Frame& training) {
  std::vector<double> log_ratios;
  for (std::size_t i = kLagDays; i < training.size(); ++i) {
    const double now = training.load[i];
    const double before = training.load[i - kLagDays];
    if (std::isnan(now) || std::isnan(before)) continue;
    log_ratios.push_back(std::log(now / before));
  }
  lower_log_ratio_ = Quantile(log_ratios, (1.0 - coverage_) / 2.0);
  upper_log_ratio_ = Quantile(log_ratios, (1.0 + coverage_) / 2.0);
}

Forecast SeasonalNaive::Predict(const Frame& targets, const TimeSeries& known) const {
  Forecast out;
  out.dates.reserve(targets.size());
  out.mean.reserve(targets.size());
  out.lower.reserve(targets.size());
  out.upper.reserve(targets.size());
  for (const CalendarDay& day : targets.days) {
    double value = kMissing;
    // Step back whole 52-week blocks until a known day strictly before the target is found.
    for (Date d = day.date - kLagDays; !(d < known.start()); d = d - kLagDays) {
      if (d < day.date && known.has(d)) {
        value = known.at(d);
        break;
      }
    }
    out.dates.push_back(day.date);
    out.mean.push_back(value);
    out.lower.push_back(value * std::exp(lower_log_ratio_));
    out.upper.push_back(value * std::exp(upper_log_ratio_));
  }
  return out;
}

std::vector<std::string> SeasonalNaive::Features() const {
  return {fmt::format("load_lag{}", kLagDays)};
}

nlohmann::json SeasonalNaive::SaveState() const {
  return {{"lag_days", kLagDays},
          {"lower_log_ratio", lower_log_ratio_},
          {"upper_log_ratio", upper_log_ratio_}};
}

void SeasonalNaive::LoadState(const nlohmann::json& state) {
  try {
    lower_log_ratio_ = state.at("lower_log_ratio").get<double>();
    upper_log_ratio_ = state.at("upper_log_ratio").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(std::string("seasonal_naive state is malformed: ") + e.what());
  }
}

}  // namespace loadcast
