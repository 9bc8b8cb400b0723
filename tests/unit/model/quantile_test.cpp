#include "model/quantile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
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

TEST(MedianOfNonNegative, IsQuantileOfOneHalfToTheBitWhateverTheHint) {
  std::vector<double> scratch;
  uint64_t state = 42;
  const auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (const std::size_t n : {1u, 2u, 3u, 10u, 365u, 3652u}) {
    std::vector<double> values;
    for (std::size_t i = 0; i < n; ++i) {
      const double u = next();
      values.push_back(u < 0.1 ? 0.0 : u < 0.2 ? 0.25 : u * u * u * 0.1);  // ties, zeros, skew
    }
    const double expected = Quantile(values, 0.5);
    for (const double hint : {0.0, 1e-12, 0.01, expected, 1.0, 1e9}) {
      EXPECT_EQ(MedianOfNonNegative(values, hint, scratch), expected) << n << " " << hint;
    }
  }
  EXPECT_EQ(MedianOfNonNegative({}, 1.0, scratch), 0.0);
}

}  // namespace
}  // namespace loadcast
