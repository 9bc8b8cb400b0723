#include "model/quantile.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace loadcast {

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const double frac = pos - static_cast<double>(lo);
  // Selection, not a sort: the two order statistics either side of the position.
  const auto at_lo = values.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(values.begin(), at_lo, values.end());
  const double low = *at_lo;
  const double high = lo + 1 < values.size() ? *std::min_element(at_lo + 1, values.end()) : low;
  return low * (1.0 - frac) + high * frac;
}

double MedianOfNonNegative(std::span<const double> values, double hint,
                           std::vector<double>& scratch) {
  if (values.empty()) return 0.0;
  constexpr std::size_t kBins = 512;
  const std::size_t n = values.size();
  // The two middle order statistics (the same one twice for an odd count).
  const std::size_t lo = (n - 1) / 2;
  const std::size_t hi = n / 2;
  const double scale = kBins / (hint > 0.0 && std::isfinite(hint) ? 4.0 * hint : 1.0);
  // The bin of a value: kBins for those at or beyond 4 * hint (and NaN).
  const auto bin = [scale](double v) {
    const double b = v * scale;
    return b < static_cast<double>(kBins) ? static_cast<std::size_t>(b) : kBins;
  };
  std::array<std::size_t, kBins + 1> counts{};
  for (const double v : values) ++counts[bin(v)];
  // The bins holding ranks lo and hi, and how many values come before the first.
  std::size_t before = 0;
  std::size_t first = 0;
  while (before + counts[first] <= lo) before += counts[first++];
  std::size_t last = first;
  for (std::size_t seen = before + counts[first]; seen <= hi;) seen += counts[++last];
  scratch.resize(n);
  std::size_t kept = 0;
  for (const double v : values) {
    scratch[kept] = v;
    kept += bin(v) - first <= last - first ? 1 : 0;
  }
  scratch.resize(kept);
  const auto at_lo = scratch.begin() + static_cast<std::ptrdiff_t>(lo - before);
  std::nth_element(scratch.begin(), at_lo, scratch.end());
  const double low = *at_lo;
  const double high = hi == lo ? low : *std::min_element(at_lo + 1, scratch.end());
  const double frac = 0.5 * static_cast<double>(n - 1) - static_cast<double>(lo);
  return low * (1.0 - frac) + high * frac;
}

}  // namespace loadcast
