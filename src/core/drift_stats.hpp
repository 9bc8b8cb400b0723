// Distribution-drift statistics: how far a recent sample (typically log ratios of load over the
// expected load) has moved away from a reference sample. Pure functions, no I/O.
//
// Every function copies and sorts what it needs, so inputs are never modified, and runs in
// O((n + m) log(n + m)) for samples of sizes n and m. An empty sample, or a sample holding a NaN or
// an infinity, throws std::invalid_argument naming the function, the sample and the offending
// index. Infinities are rejected as well as NaNs because the Wasserstein distance, the standard
// deviation and the mean are undefined for them (log(0) is the usual source in log ratios).
#pragma once

#include <cstddef>
#include <span>

namespace loadcast {

/// Floor applied to each bin proportion in PopulationStabilityIndex, so a bin that is empty on one
/// side contributes a large but finite term instead of infinity. Proportions are not renormalised
/// after flooring.
inline constexpr double kPsiProportionFloor = 1e-4;

/// Number of bins PopulationStabilityIndex and CompareDistributions use unless told otherwise.
inline constexpr int kDefaultPsiBins = 10;

/// Population Stability Index: sum over bins of (c - r) * ln(c / r), where r and c are the
/// proportions of `reference` and `current` in each bin (floored at kPsiProportionFloor).
///
/// The bins are equal-frequency bins of the reference: the k-th interior edge is the lower
/// empirical quantile at k / bins (the smallest reference value x with F_ref(x) >= k / bins),
/// and bins are closed on the right, (-inf, e1], (e1, e2], ..., (e_last, +inf). Tied reference
/// values can make edges coincide; duplicates are merged, and an edge equal to the reference
/// maximum is dropped, so every bin holds at least one reference value and there may be fewer
/// than `bins` bins. A constant reference therefore has a single bin and a PSI of 0 whatever the
/// current sample is: PSI cannot see drift away from a reference without spread (KS and
/// Wasserstein can). Throws std::invalid_argument if `bins` < 2.
double PopulationStabilityIndex(std::span<const double> reference, std::span<const double> current,
                                int bins = kDefaultPsiBins);

struct KsResult {
  double statistic = 0.0;  // D, the largest absolute difference of the two ECDFs, in [0, 1]
  double p_value = 1.0;    // asymptotic p-value of D under "same distribution"
};

/// Two-sample Kolmogorov-Smirnov test. D is computed exactly (tied values, within and across
/// samples, are stepped over together). The p-value is asymptotic, as in Numerical Recipes'
/// kstwo: KolmogorovSurvival((en + 0.12 + 0.11 / en) * D) with en = sqrt(n * m / (n + m)).
KsResult KolmogorovSmirnov(std::span<const double> a, std::span<const double> b);

/// Survival function of the Kolmogorov distribution,
/// Q_KS(lambda) = 2 * sum_{j >= 1} (-1)^(j - 1) * exp(-2 * j^2 * lambda^2), clamped to [0, 1];
/// 1 for lambda <= 0. Below lambda = 1.18, where that series converges slowly and cancels, the
/// equivalent (Jacobi theta) form 1 - sqrt(2 pi) / lambda * sum_{j >= 1}
/// exp(-(2j - 1)^2 pi^2 / (8 lambda^2)) is used instead; it reaches exactly 1 for tiny lambda.
double KolmogorovSurvival(double lambda);

/// Exact 1-Wasserstein (earth mover's) distance between the empirical distributions of `a` and
/// `b`: the integral over x of |F_a(x) - F_b(x)|, in the units of the samples.
double Wasserstein1(std::span<const double> a, std::span<const double> b);

/// Wasserstein1(reference, current) divided by the population standard deviation (divisor n) of
/// `reference`, so it is unitless and unchanged when both samples are scaled or shifted together.
/// For a constant reference (standard deviation 0) it is 0 when the distance is 0 and +infinity
/// otherwise: any movement away from a point mass is infinitely many standard deviations.
double NormalisedWasserstein(std::span<const double> reference, std::span<const double> current);

/// For samples of log ratios (log of load over expected load): the change in the geometric-mean
/// ratio, in percent, 100 * (exp(mean(current) - mean(reference)) - 1). Positive means the
/// current load runs above the reference relative to the expectation.
double MeanShiftPercent(std::span<const double> reference_log, std::span<const double> current_log);

/// All the drift statistics for one pair of samples.
struct DriftStatistics {
  double psi = 0.0;                 // PopulationStabilityIndex with kDefaultPsiBins bins
  double ks_statistic = 0.0;        // KolmogorovSmirnov D
  double ks_p_value = 1.0;          // KolmogorovSmirnov asymptotic p-value
  double wasserstein = 0.0;         // Wasserstein1, in log-ratio units (not normalised)
  double mean_shift_percent = 0.0;  // MeanShiftPercent
  std::size_t reference_size = 0;
  std::size_t current_size = 0;
};

/// Computes every statistic above for `current_log` against `reference_log`, validating and
/// sorting each sample once.
DriftStatistics CompareDistributions(std::span<const double> reference_log,
                                     std::span<const double> current_log);

}  // namespace loadcast
