#include "pipeline/prediction_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace loadcast {
namespace {

CheckRow Result(std::string check, bool ok, std::string detail, bool warn_only = false) {
  return {std::move(check), ok ? "pass" : (warn_only ? "warn" : "fail"), std::move(detail)};
}

}  // namespace

std::vector<CheckRow> CheckPrediction(const Forecast& forecast, const EnrichedData& enriched,
                                      const Config& config) {
  std::vector<CheckRow> checks;
  const std::size_t expected = enriched.targets.size();
  bool dates_match = forecast.size() == expected;
  for (std::size_t i = 0; dates_match && i < expected; ++i) {
    dates_match = forecast.dates[i] == enriched.targets.days[i].date;
  }
  checks.push_back(Result("one_value_per_day", dates_match,
                          fmt::format("{} values for {} target days", forecast.size(), expected)));

  std::size_t non_finite = 0;
  std::size_t non_positive = 0;
  std::string first_bad;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const double v = forecast.mean[i];
    if (!std::isfinite(v)) {
      ++non_finite;
      if (first_bad.empty()) first_bad = forecast.dates[i].ToIso();
    } else if (v <= 0.0) {
      ++non_positive;
      if (first_bad.empty()) first_bad = forecast.dates[i].ToIso();
    }
  }
  checks.push_back(Result(
      "finite", non_finite == 0,
      non_finite == 0 ? "all values finite"
                      : fmt::format("{} values not finite (first on {})", non_finite, first_bad)));
  checks.push_back(
      Result("positive", non_positive == 0, fmt::format("{} values not positive", non_positive)));

  double lo = INFINITY;
  double hi = -INFINITY;
  for (double v : enriched.training.load) {
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const double floor = lo * (1.0 - config.envelope_margin);
  const double ceiling = hi * (1.0 + config.envelope_margin);
  std::size_t outside = 0;
  std::string first_outside;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const double v = forecast.mean[i];
    if (std::isfinite(v) && (v < floor || v > ceiling)) {
      if (outside++ == 0) first_outside = fmt::format("{} on {}", v, forecast.dates[i].ToIso());
    }
  }
  checks.push_back(
      Result("history_envelope", outside == 0,
             outside == 0 ? fmt::format("all values within [{:.0f}, {:.0f}] MWh", floor, ceiling)
                          : fmt::format("{} values outside [{:.0f}, {:.0f}] MWh (first: {})",
                                        outside, floor, ceiling, first_outside)));

  std::size_t bad_interval = 0;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    if (!(forecast.lower[i] <= forecast.mean[i] && forecast.mean[i] <= forecast.upper[i])) {
      ++bad_interval;
    }
  }
  checks.push_back(
      Result("interval_contains_forecast", bad_interval == 0,
             fmt::format("{} days with the forecast outside its interval", bad_interval),
             /*warn_only=*/true));
  return checks;
}

bool AnyFailed(const std::vector<CheckRow>& checks) {
  return std::any_of(checks.begin(), checks.end(),
                     [](const CheckRow& c) { return c.status == "fail"; });
}

}  // namespace loadcast
