#include "core/metrics.hpp"

#include <cassert>
#include <cmath>
#include <limits>

namespace loadcast {

Scores Score(std::span<const double> actual, std::span<const double> forecast) {
  assert(actual.size() == forecast.size());
  Scores s;
  double abs_pct = 0.0;
  double abs_err = 0.0;
  double sq_err = 0.0;
  double err = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i];
    const double f = forecast[i];
    if (std::isnan(a) || std::isnan(f)) continue;
    const double e = f - a;
    ++s.days;
    err += e;
    abs_err += std::abs(e);
    sq_err += e * e;
    abs_pct += std::abs(e) / std::abs(a);
  }
  if (s.days == 0) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {0, nan, nan, nan, nan};
  }
  const double n = static_cast<double>(s.days);
  s.mape = 100.0 * abs_pct / n;
  s.mae = abs_err / n;
  s.rmse = std::sqrt(sq_err / n);
  s.bias = err / n;
  return s;
}

IntervalScores ScoreInterval(std::span<const double> actual, std::span<const double> forecast,
                             std::span<const double> lower, std::span<const double> upper) {
  assert(actual.size() == forecast.size() && lower.size() == forecast.size() &&
         upper.size() == forecast.size());
  IntervalScores s;
  std::size_t covered = 0;
  std::size_t widths = 0;
  double width = 0.0;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const double a = actual[i];
    const double f = forecast[i];
    if (std::isnan(a) || std::isnan(f)) continue;
    ++s.days;
    // NaN bounds fail both comparisons, so they never cover a day.
    if (lower[i] <= a && a <= upper[i]) ++covered;
    if (std::isfinite(lower[i]) && std::isfinite(upper[i]) && f != 0.0) {
      width += (upper[i] - lower[i]) / std::abs(f);
      ++widths;
    }
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.coverage = s.days ? 100.0 * static_cast<double>(covered) / static_cast<double>(s.days) : nan;
  s.width = widths ? 100.0 * width / static_cast<double>(widths) : nan;
  return s;
}

double Skill(const Scores& model, const Scores& benchmark) {
  if (benchmark.days == 0 || !(benchmark.mape > 0.0))
    return std::numeric_limits<double>::quiet_NaN();
  return 1.0 - model.mape / benchmark.mape;
}

}  // namespace loadcast
