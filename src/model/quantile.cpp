#include "model/quantile.hpp"

#include <algorithm>
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

}  // namespace loadcast
