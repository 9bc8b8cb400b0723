// Small statistics helpers shared by the forecasters.
#pragma once

#include <span>
#include <vector>

namespace loadcast {

/// Linear-interpolated quantile (0 <= q <= 1) of the values; 0 when empty.
double Quantile(std::vector<double> values, double q);

/// The median of non-negative values, exactly as Quantile(values, 0.5) gives it, found by
/// counting the values into bins of [0, 4 * hint) and selecting inside the bin that holds the
/// middle: two passes instead of a full selection. `hint` is a guess of the median (any positive
/// number works; a good one leaves few values to select among); `scratch` is reused memory.
double MedianOfNonNegative(std::span<const double> values, double hint,
                           std::vector<double>& scratch);

}  // namespace loadcast
