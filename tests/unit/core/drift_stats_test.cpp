#include "core/drift_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace loadcast {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// Two small samples of log ratios with ties inside `kA`. The expected values below were computed
// once with numpy 1.24.2 and scipy 1.10.1: scipy.stats.ks_2samp for D,
// scipy.special.kolmogorov((en + 0.12 + 0.11 / en) * D) for the Stephens-corrected p-value,
// scipy.stats.wasserstein_distance, numpy's population standard deviation, and an independent
// numpy PSI (edges from np.quantile(method='inverted_cdf'), np.unique, edges below the maximum,
// np.searchsorted(side='right') counts, proportions floored at 1e-4).
const std::vector<double> kA = {-0.006, -0.016, 0.004,  -0.054, 0.009, -0.010, -0.022,
                                0.003,  -0.059, -0.005, -0.022, 0.012, 0.013,  -0.028,
                                -0.028, -0.044, -0.024, 0.010,  0.026, 0.007,  0.001,
                                -0.026, 0.006,  -0.024, 0.007};
const std::vector<double> kB = {0.002, 0.044,  0.018,  0.065,  -0.006, 0.040,
                                0.019, 0.078,  -0.068, 0.045,  -0.031, -0.025,
                                0.009, -0.050, -0.038, -0.010, -0.003, -0.066};

// Deterministic normal sample: std::mt19937 is specified exactly by the standard (unlike the
// standard distributions), and Box-Muller turns its output into normal deviates.
std::vector<double> NormalSample(std::uint32_t seed, std::size_t size, double mean, double sd) {
  std::mt19937 engine(seed);
  const auto uniform = [&engine] { return (static_cast<double>(engine()) + 0.5) / 4294967296.0; };
  std::vector<double> sample;
  sample.reserve(size);
  while (sample.size() < size) {
    const double radius = std::sqrt(-2.0 * std::log(uniform()));
    const double angle = 2.0 * std::numbers::pi * uniform();
    sample.push_back(mean + sd * radius * std::cos(angle));
    if (sample.size() < size) sample.push_back(mean + sd * radius * std::sin(angle));
  }
  return sample;
}

std::vector<double> Scaled(std::vector<double> sample, double factor, double offset = 0.0) {
  for (double& x : sample) x = factor * x + offset;
  return sample;
}

// The message a std::invalid_argument from `call` carries, or "" if nothing is thrown.
template <typename Call>
std::string InvalidArgumentMessage(Call call) {
  try {
    call();
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

TEST(DriftStats, IdenticalSamplesShowNoDrift) {
  const DriftStatistics s = CompareDistributions(kA, kA);
  EXPECT_EQ(s.psi, 0.0);
  EXPECT_EQ(s.ks_statistic, 0.0);
  EXPECT_EQ(s.ks_p_value, 1.0);
  EXPECT_EQ(s.wasserstein, 0.0);
  EXPECT_EQ(s.mean_shift_percent, 0.0);
  EXPECT_EQ(NormalisedWasserstein(kA, kA), 0.0);
}

TEST(DriftStats, SamplesWithTheSameValuesInAnotherOrderShowNoDrift) {
  const std::vector<double> reversed(kA.rbegin(), kA.rend());
  EXPECT_EQ(PopulationStabilityIndex(kA, reversed), 0.0);
  EXPECT_EQ(KolmogorovSmirnov(kA, reversed).statistic, 0.0);
  EXPECT_EQ(Wasserstein1(kA, reversed), 0.0);
  EXPECT_NEAR(MeanShiftPercent(kA, reversed), 0.0, 1e-12);
}

TEST(PopulationStabilityIndex, MatchesHandComputedEqualFrequencyBins) {
  // Five bins of 1..10 have edges 2, 4, 6, 8 and hold two reference values each (0.2). Values on
  // an edge belong to the bin below it, so the current sample counts 4, 2, 1, 1, 2.
  const std::vector<double> reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> current = {1, 2, 2, 2, 3, 4, 5, 7, 9, 10};
  // (0.4 - 0.2) ln 2 + 2 * (0.1 - 0.2) ln(1/2) = 0.4 ln 2.
  EXPECT_NEAR(PopulationStabilityIndex(reference, current, 5), 0.4 * std::log(2.0), 1e-15);
}

TEST(PopulationStabilityIndex, SplitsUnevenSizesIntoNearlyEqualBins) {
  // Three bins of seven values: edges at the 3rd and 5th values, so 3, 2 and 2 reference values.
  const std::vector<double> reference = {1, 2, 3, 4, 5, 6, 7};
  const std::vector<double> current = {1, 1, 1, 1, 1, 1, 7};
  const double r[] = {3.0 / 7.0, 2.0 / 7.0, 2.0 / 7.0};
  const double c[] = {6.0 / 7.0, kPsiProportionFloor, 1.0 / 7.0};
  double expected = 0.0;
  for (int i = 0; i < 3; ++i) expected += (c[i] - r[i]) * std::log(c[i] / r[i]);
  EXPECT_NEAR(PopulationStabilityIndex(reference, current, 3), expected, 1e-14);
}

TEST(PopulationStabilityIndex, MergesBinsWhoseEdgesAreTied) {
  // Six tied zeros give the deciles 0, 0, 0, 0, 0, 0, 1, 2, 3; merged, the bins are (-inf, 0],
  // (0, 1], (1, 2], (2, 3], (3, inf) holding 0.6, 0.1, 0.1, 0.1, 0.1 of the reference.
  const std::vector<double> reference = {0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
  const std::vector<double> current = {0, 0, 1, 1, 2, 2, 3, 3, 4, 4};
  // (0.2 - 0.6) ln(1/3) + 4 * (0.2 - 0.1) ln 2 = 0.4 ln 6.
  EXPECT_NEAR(PopulationStabilityIndex(reference, current), 0.4 * std::log(6.0), 1e-15);
}

TEST(PopulationStabilityIndex, DropsAnEdgeAtTheReferenceMaximum) {
  // The deciles are 0, 1, 2, 3, 4, 5, 5, 5, 5. An edge at the maximum 5 would leave (5, inf)
  // without reference values; dropped, the top bin (4, inf) holds half the reference.
  const std::vector<double> reference = {0, 1, 2, 3, 4, 5, 5, 5, 5, 5};
  const std::vector<double> current = {6, 6, 6, 6, 6, 6, 6, 6, 6, 6};
  const double expected = 5.0 * (kPsiProportionFloor - 0.1) * std::log(kPsiProportionFloor / 0.1) +
                          (1.0 - 0.5) * std::log(1.0 / 0.5);
  EXPECT_NEAR(PopulationStabilityIndex(reference, current), expected, 1e-13);
}

TEST(PopulationStabilityIndex, FloorsEmptyBinsToStayFinite) {
  // Every current value lies above the reference: nine empty bins and one full one.
  const std::vector<double> reference = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> current = {100, 100, 100};
  const double expected = 9.0 * (kPsiProportionFloor - 0.1) * std::log(kPsiProportionFloor / 0.1) +
                          (1.0 - 0.1) * std::log(1.0 / 0.1);
  const double psi = PopulationStabilityIndex(reference, current);
  EXPECT_TRUE(std::isfinite(psi));
  EXPECT_NEAR(psi, expected, 1e-13);
}

TEST(PopulationStabilityIndex, IsZeroForAConstantReference) {
  // A documented limitation: a reference without spread has a single bin.
  const std::vector<double> reference = {0.5, 0.5, 0.5};
  const std::vector<double> current = {-1.0, 2.0};
  EXPECT_EQ(PopulationStabilityIndex(reference, current), 0.0);
}

TEST(PopulationStabilityIndex, MatchesIndependentImplementation) {
  // Values from numpy; see the comment on kA.
  EXPECT_NEAR(PopulationStabilityIndex(kA, kB), 1.7406722740270242, 1e-12);
  EXPECT_NEAR(PopulationStabilityIndex(kB, kA), 2.2995521549374516, 1e-12);
  EXPECT_NEAR(PopulationStabilityIndex(kA, kB, 5), 0.59686602708878622, 1e-12);
  EXPECT_NEAR(PopulationStabilityIndex(kB, kA, 5), 1.5236350641846814, 1e-12);
}

TEST(PopulationStabilityIndex, RejectsFewerThanTwoBins) {
  const std::string message =
      InvalidArgumentMessage([] { return PopulationStabilityIndex(kA, kB, 1); });
  EXPECT_NE(message.find("bins must be at least 2, got 1"), std::string::npos) << message;
}

TEST(KolmogorovSmirnov, MatchesHandComputedStatistic) {
  // ECDF differences after 1, 2, 3, 4, 5: 1/3, 2/3 - 1/4, 1 - 1/2, 1 - 3/4, 0.
  const std::vector<double> a = {3, 1, 2};
  const std::vector<double> b = {5, 2, 4, 3};
  EXPECT_DOUBLE_EQ(KolmogorovSmirnov(a, b).statistic, 0.5);
}

TEST(KolmogorovSmirnov, StepsOverTiesTogether) {
  // After the whole tie at 2 both ECDFs are 3/4; counting the copies of 2 one at a time would
  // wrongly see 3/4 - 0 in between.
  const std::vector<double> a = {1, 2, 2, 3};
  const std::vector<double> b = {2, 2, 2, 4};
  EXPECT_DOUBLE_EQ(KolmogorovSmirnov(a, b).statistic, 0.25);
}

TEST(KolmogorovSmirnov, IsOneForDisjointSamples) {
  const std::vector<double> a = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> b = {11, 12, 13, 14, 15, 16, 17, 18, 19, 20};
  const KsResult ks = KolmogorovSmirnov(a, b);
  EXPECT_EQ(ks.statistic, 1.0);
  // lambda = (sqrt(5) + 0.12 + 0.11 / sqrt(5)) * 1.
  const double en = std::sqrt(5.0);
  EXPECT_DOUBLE_EQ(ks.p_value, KolmogorovSurvival(en + 0.12 + 0.11 / en));
  EXPECT_LT(ks.p_value, 1e-4);
}

TEST(KolmogorovSmirnov, IsSymmetric) {
  const KsResult ab = KolmogorovSmirnov(kA, kB);
  const KsResult ba = KolmogorovSmirnov(kB, kA);
  EXPECT_EQ(ab.statistic, ba.statistic);
  EXPECT_EQ(ab.p_value, ba.p_value);
}

TEST(KolmogorovSmirnov, MatchesScipy) {
  const KsResult ks = KolmogorovSmirnov(kA, kB);
  EXPECT_NEAR(ks.statistic, 0.3488888888888888, 1e-15);
  // The Stephens-corrected p-value, from scipy.special.kolmogorov; see the comment on kA.
  EXPECT_NEAR(ks.p_value, 0.12207446999616096, 1e-12);
  // scipy.stats.ks_2samp(method='asymp') uses a different small-sample correction and gives
  // 0.13624538293305299: only close.
  EXPECT_NEAR(ks.p_value, 0.13624538293305299, 0.03);
}

TEST(KolmogorovSurvival, MatchesScipyKolmogorov) {
  // scipy.special.kolmogorov(lambda), which is the same Q_KS; the table spans the switch between
  // the two series at 1.18 and the far tail, where the comparison is relative.
  struct Point {
    double lambda;
    double q;
  };
  const Point points[] = {
      {0.05, 1.0},
      {0.2, 0.99999999999949496},
      {0.5, 0.96394524366487511},
      {0.8, 0.54414241157419807},
      {1.0, 0.26999967167735456},
      {1.17, 0.12939004218561884},
      {1.18, 0.12345380942976571},
      {1.19, 0.11774229287977166},
      {1.36, 0.049485876755377876},
      {1.5, 0.022217962616525127},
      {2.0, 0.00067092525577969533},
      {3.0, 3.0459959489425258e-08},
      {5.0, 3.8574996959278356e-22},
  };
  for (const Point& p : points) {
    EXPECT_NEAR(KolmogorovSurvival(p.lambda), p.q, 1e-13 * p.q) << "lambda " << p.lambda;
  }
}

TEST(KolmogorovSurvival, IsOneAtAndBelowZero) {
  EXPECT_EQ(KolmogorovSurvival(0.0), 1.0);
  EXPECT_EQ(KolmogorovSurvival(-1.0), 1.0);
  EXPECT_EQ(KolmogorovSurvival(1e-3), 1.0);
}

TEST(KolmogorovSurvival, IsContinuousWhereTheSeriesSwitch) {
  const double below = KolmogorovSurvival(std::nextafter(1.18, 0.0));
  const double at = KolmogorovSurvival(1.18);
  EXPECT_NEAR(below, at, 1e-15);
}

TEST(Wasserstein1, MatchesHandComputedDistance) {
  // Every unit of mass moves 5 to the right.
  const std::vector<double> a = {0, 1, 3};
  const std::vector<double> b = {5, 6, 8};
  EXPECT_DOUBLE_EQ(Wasserstein1(a, b), 5.0);
  // Unequal sizes: half of the mass moves from 0 to 1.
  const std::vector<double> zero = {0};
  const std::vector<double> zero_one = {0, 1};
  EXPECT_DOUBLE_EQ(Wasserstein1(zero, zero_one), 0.5);
}

TEST(Wasserstein1, HandlesTies) {
  // On [1, 2) the ECDFs are 2/3 and 1/3.
  const std::vector<double> a = {1, 1, 2};
  const std::vector<double> b = {1, 2, 2};
  EXPECT_DOUBLE_EQ(Wasserstein1(a, b), 1.0 / 3.0);
}

TEST(Wasserstein1, IsSymmetric) {
  EXPECT_EQ(Wasserstein1(kA, kB), Wasserstein1(kB, kA));
  const std::vector<double> x = NormalSample(1, 101, 0.0, 1.0);
  const std::vector<double> y = NormalSample(2, 37, 0.3, 2.0);
  EXPECT_EQ(Wasserstein1(x, y), Wasserstein1(y, x));
}

TEST(Wasserstein1, EqualsMeanGapOfSortedValuesForEqualSizes) {
  std::vector<double> x = NormalSample(3, 200, 0.0, 1.0);
  std::vector<double> y = NormalSample(4, 200, 0.5, 1.5);
  const double distance = Wasserstein1(x, y);
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  double gap = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) gap += std::abs(x[i] - y[i]);
  EXPECT_NEAR(distance, gap / 200.0, 1e-12);
}

TEST(Wasserstein1, EqualsTheShiftOfATranslatedSample) {
  EXPECT_NEAR(Wasserstein1(kA, Scaled(kA, 1.0, 0.25)), 0.25, 1e-12);
}

TEST(Wasserstein1, MatchesScipy) { EXPECT_NEAR(Wasserstein1(kA, kB), 0.01942, 1e-15); }

TEST(NormalisedWasserstein, DividesByTheReferencePopulationStandardDeviation) {
  // {0, 1, 3} has mean 4/3 and population variance 14/9.
  const std::vector<double> a = {0, 1, 3};
  const std::vector<double> b = {5, 6, 8};
  EXPECT_DOUBLE_EQ(NormalisedWasserstein(a, b), 5.0 / (std::sqrt(14.0) / 3.0));
  // Values from scipy and numpy; see the comment on kA.
  EXPECT_NEAR(NormalisedWasserstein(kA, kB), 0.90436187585405492, 1e-12);
  EXPECT_NEAR(NormalisedWasserstein(kB, kA), 0.46596362717253803, 1e-12);
}

TEST(NormalisedWasserstein, IsInvariantToScalingAndShiftingBothSamples) {
  const double base = NormalisedWasserstein(kA, kB);
  for (const double factor : {1000.0, 1e-3, -3.7}) {
    const double scaled = NormalisedWasserstein(Scaled(kA, factor, 42.0), Scaled(kB, factor, 42.0));
    EXPECT_NEAR(scaled, base, 1e-9 * base) << "factor " << factor;
  }
}

TEST(NormalisedWasserstein, HandlesAConstantReference) {
  const std::vector<double> reference = {0.1, 0.1, 0.1};
  const std::vector<double> same = {0.1};
  const std::vector<double> moved = {0.1, 0.2};
  EXPECT_EQ(NormalisedWasserstein(reference, same), 0.0);
  EXPECT_EQ(NormalisedWasserstein(reference, moved), kInf);
}

TEST(MeanShiftPercent, MatchesHandComputedShifts) {
  const std::vector<double> flat = {0.0, 0.0};
  const std::vector<double> five_up = {std::log(1.05), std::log(1.05)};
  EXPECT_NEAR(MeanShiftPercent(flat, five_up), 5.0, 1e-12);
  // From 10% above the expectation to 1% below it: 0.99 / 1.1 - 1 = -10%. The mean of logs is
  // the log of the geometric mean, which for 0.99 * 1.02 and 0.99 / 1.02 is 0.99.
  const std::vector<double> above = {std::log(1.1)};
  const std::vector<double> below = {std::log(0.99 * 1.02), std::log(0.99 / 1.02)};
  EXPECT_NEAR(MeanShiftPercent(above, below), -10.0, 1e-12);
}

TEST(MeanShiftPercent, MatchesNumpy) {
  EXPECT_NEAR(MeanShiftPercent(kA, kB), 1.2151008660941898, 1e-12);
  EXPECT_NEAR(MeanShiftPercent(kB, kA), -1.2005134171646452, 1e-12);
}

TEST(CompareDistributions, AgreesWithTheSingleStatistics) {
  const DriftStatistics s = CompareDistributions(kA, kB);
  const KsResult ks = KolmogorovSmirnov(kA, kB);
  EXPECT_EQ(s.psi, PopulationStabilityIndex(kA, kB));
  EXPECT_EQ(s.ks_statistic, ks.statistic);
  EXPECT_EQ(s.ks_p_value, ks.p_value);
  EXPECT_EQ(s.wasserstein, Wasserstein1(kA, kB));
  EXPECT_EQ(s.mean_shift_percent, MeanShiftPercent(kA, kB));
  EXPECT_EQ(s.reference_size, kA.size());
  EXPECT_EQ(s.current_size, kB.size());
}

TEST(CompareDistributions, FlagsAShiftedNormalSample) {
  // One standard deviation of shift: PSI well above the usual 0.25 alarm, a tiny KS p-value, and
  // a normalised Wasserstein distance near the true value of 1.
  const std::vector<double> reference = NormalSample(11, 500, 0.0, 0.05);
  const std::vector<double> current = NormalSample(12, 500, 0.05, 0.05);
  const DriftStatistics s = CompareDistributions(reference, current);
  EXPECT_GT(s.psi, 0.25);
  EXPECT_GT(s.ks_statistic, 0.3);
  EXPECT_LT(s.ks_p_value, 1e-10);
  EXPECT_NEAR(NormalisedWasserstein(reference, current), 1.0, 0.15);
  EXPECT_NEAR(s.mean_shift_percent, 100.0 * std::expm1(0.05), 1.0);
}

TEST(CompareDistributions, StaysQuietForAnotherSampleOfTheSameDistribution) {
  const std::vector<double> reference = NormalSample(21, 500, 0.0, 0.05);
  const std::vector<double> current = NormalSample(22, 500, 0.0, 0.05);
  const DriftStatistics s = CompareDistributions(reference, current);
  EXPECT_LT(s.psi, 0.1);
  EXPECT_GT(s.ks_p_value, 0.05);
  EXPECT_LT(NormalisedWasserstein(reference, current), 0.15);
  EXPECT_LT(std::abs(s.mean_shift_percent), 1.0);
}

TEST(DriftStats, LeavesInputsUntouched) {
  const std::vector<double> original_a = kA;
  const std::vector<double> original_b = kB;
  std::vector<double> a = kA;
  std::vector<double> b = kB;
  PopulationStabilityIndex(a, b);
  KolmogorovSmirnov(a, b);
  Wasserstein1(a, b);
  NormalisedWasserstein(a, b);
  MeanShiftPercent(a, b);
  CompareDistributions(a, b);
  EXPECT_EQ(a, original_a);
  EXPECT_EQ(b, original_b);
}

TEST(DriftStats, RejectsEmptySamples) {
  const std::vector<double> empty;
  const std::vector<double> some = {1.0, 2.0};
  const std::string psi = InvalidArgumentMessage([&] { PopulationStabilityIndex(empty, some); });
  EXPECT_EQ(psi, "PopulationStabilityIndex: the reference sample is empty");
  const std::string ks = InvalidArgumentMessage([&] { KolmogorovSmirnov(some, empty); });
  EXPECT_EQ(ks, "KolmogorovSmirnov: the second sample is empty");
  EXPECT_THROW(Wasserstein1(empty, some), std::invalid_argument);
  EXPECT_THROW(NormalisedWasserstein(some, empty), std::invalid_argument);
  EXPECT_THROW(MeanShiftPercent(empty, some), std::invalid_argument);
  EXPECT_THROW(CompareDistributions(some, empty), std::invalid_argument);
}

TEST(DriftStats, RejectsNanAndInfinity) {
  const std::vector<double> good = {1.0, 2.0, 3.0};
  const std::vector<double> with_nan = {1.0, 2.0, kNan};
  const std::vector<double> with_inf = {-kInf, 2.0};
  const std::string nan = InvalidArgumentMessage([&] { CompareDistributions(good, with_nan); });
  EXPECT_EQ(nan,
            "CompareDistributions: the current sample has a non-finite value (nan) at index 2");
  const std::string inf = InvalidArgumentMessage([&] { MeanShiftPercent(with_inf, good); });
  EXPECT_EQ(inf, "MeanShiftPercent: the reference sample has a non-finite value (-inf) at index 0");
  EXPECT_THROW(PopulationStabilityIndex(good, with_nan), std::invalid_argument);
  EXPECT_THROW(KolmogorovSmirnov(with_nan, good), std::invalid_argument);
  EXPECT_THROW(Wasserstein1(good, with_inf), std::invalid_argument);
  EXPECT_THROW(NormalisedWasserstein(with_nan, good), std::invalid_argument);
}

}  // namespace
}  // namespace loadcast
