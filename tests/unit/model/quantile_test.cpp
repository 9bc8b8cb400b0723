#include "model/quantile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

/// The definition: linear interpolation between the order statistics around q (n - 1).
double SortedQuantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double pos = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(pos);
  const auto hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (pos - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

TEST(Quantile, InterpolatesBetweenTheOrderStatisticsAroundThePosition) {
  EXPECT_DOUBLE_EQ(Quantile({3.0, 1.0, 2.0, 4.0}, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(Quantile({3.0, 1.0, 2.0, 4.0}, 0.0), 1.0);
  EXPECT_DOUBLE_EQ(Quantile({3.0, 1.0, 2.0, 4.0}, 1.0), 4.0);
  EXPECT_DOUBLE_EQ(Quantile({10.0, 0.0}, 0.25), 2.5);
  EXPECT_DOUBLE_EQ(Quantile({7.0}, 0.9), 7.0);
  EXPECT_DOUBLE_EQ(Quantile({}, 0.5), 0.0);
  EXPECT_DOUBLE_EQ(Quantile({2.0, 2.0, 1.0, 2.0}, 0.5), 2.0);  // ties
}

TEST(Quantile, MatchesTheSortedDefinitionOnNoise) {
  testing::Noise noise(11);
  for (const std::size_t n : {2u, 3u, 10u, 365u, 1096u}) {
    std::vector<double> values(n);
    for (double& v : values) v = noise.Next();
    for (const double q : {0.0, 0.05, 0.1, 0.5, 0.9, 0.95, 1.0}) {
      EXPECT_NEAR(Quantile(values, q), SortedQuantile(values, q), 1e-12) << n << " " << q;
    }
  }
}

}  // namespace
}  // namespace loadcast
