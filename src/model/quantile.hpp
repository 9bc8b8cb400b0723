// Small statistics helpers shared by the forecasters.
#pragma once

#include <vector>

namespace loadcast {

/// Linear-interpolated quantile (0 <= q <= 1) of the values; 0 when empty.
double Quantile(std::vector<double> values, double q);

}  // namespace loadcast
