#include "core/drift_stats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace loadcast {
namespace {

void CheckSample(std::span<const double> sample, std::string_view function, std::string_view name) {
  if (sample.empty())
    throw std::invalid_argument(fmt::format("{}: the {} sample is empty", function, name));
  for (std::size_t i = 0; i < sample.size(); ++i) {
    if (!std::isfinite(sample[i]))
      throw std::invalid_argument(
          fmt::format("{}: the {} sample has a non-finite value ({}) at index {}", function, name,
                      sample[i], i));
  }
}

std::vector<double> SortedCopy(std::span<const double> sample) {
  std::vector<double> sorted(sample.begin(), sample.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

std::vector<double> CheckedSortedCopy(std::span<const double> sample, std::string_view function,
                                      std::string_view name) {
  CheckSample(sample, function, name);
  return SortedCopy(sample);
}

void CheckBins(int bins, std::string_view function) {
  if (bins < 2)
    throw std::invalid_argument(fmt::format("{}: bins must be at least 2, got {}", function, bins));
}

double Mean(std::span<const double> sample) {
  double sum = 0.0;
  for (const double x : sample) sum += x;
  return sum / static_cast<double>(sample.size());
}

// Population standard deviation of a sorted, non-empty sample. A constant sample is detected
// directly, because the two-pass formula can leave a rounding residue around an inexact mean.
double PopulationStdDev(const std::vector<double>& sorted) {
  if (sorted.front() == sorted.back()) return 0.0;
  const double mean = Mean(sorted);
  double sum_sq = 0.0;
  for (const double x : sorted) sum_sq += (x - mean) * (x - mean);
  return std::sqrt(sum_sq / static_cast<double>(sorted.size()));
}

// Bin proportions of a sorted sample for right-closed bins (-inf, e1], ..., (e_last, +inf),
// floored at kPsiProportionFloor.
std::vector<double> BinProportions(const std::vector<double>& sorted,
                                   const std::vector<double>& edges) {
  const double size = static_cast<double>(sorted.size());
  std::vector<double> proportions;
  proportions.reserve(edges.size() + 1);
  std::size_t below = 0;
  for (const double edge : edges) {
    const auto up = static_cast<std::size_t>(std::upper_bound(sorted.begin(), sorted.end(), edge) -
                                             sorted.begin());
    proportions.push_back(std::max(static_cast<double>(up - below) / size, kPsiProportionFloor));
    below = up;
  }
  proportions.push_back(
      std::max(static_cast<double>(sorted.size() - below) / size, kPsiProportionFloor));
  return proportions;
}

double PsiOfSorted(const std::vector<double>& reference, const std::vector<double>& current,
                   int bins) {
  const std::size_t n = reference.size();
  const auto b = static_cast<std::size_t>(bins);
  std::vector<double> edges;
  for (std::size_t k = 1; k < b; ++k) {
    // The smallest index i with (i + 1) / n >= k / bins, that is i = ceil(k * n / bins) - 1.
    const double edge = reference[(k * n + b - 1) / b - 1];
    // Edges never decrease; once one reaches the maximum, so do the rest, and a bin above the
    // maximum would hold no reference value.
    if (edge == reference.back()) break;
    if (edges.empty() || edge > edges.back()) edges.push_back(edge);
  }
  const std::vector<double> r = BinProportions(reference, edges);
  const std::vector<double> c = BinProportions(current, edges);
  double psi = 0.0;
  for (std::size_t i = 0; i < r.size(); ++i) psi += (c[i] - r[i]) * std::log(c[i] / r[i]);
  return psi;
}

/// Walks the distinct values of the pooled sorted samples `a` (n values) and `b` (m values) in
/// increasing order. At each value x but the last, once every copy of x in both is counted (the
/// ECDFs are only defined after a whole tie), calls step(gap, width): gap is |i * m - j * n|,
/// i and j the values of a and of b up to x, that is the ECDF difference times n * m, carried as
/// an exact integer in a double (up to 2^53) so that statistics divided by n * m once are exactly
/// symmetric and exactly 0 for identical samples; width is the distance to the next distinct
/// value, over which both ECDFs stay constant. Nothing is called when a sample is empty.
template <typename Step>
void WalkEcdfGap(const std::vector<double>& a, const std::vector<double>& b, Step step) {
  if (a.empty() || b.empty()) return;
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  const double dn = static_cast<double>(n);
  const double dm = static_cast<double>(m);
  constexpr double kInf = std::numeric_limits<double>::infinity();
  double x = std::min(a.front(), b.front());
  std::size_t i = 0;
  std::size_t j = 0;
  while (true) {
    while (i < n && a[i] == x) ++i;
    while (j < m && b[j] == x) ++j;
    if (i == n && j == m) return;
    const double next = std::min(i < n ? a[i] : kInf, j < m ? b[j] : kInf);
    step(std::abs(static_cast<double>(i) * dm - static_cast<double>(j) * dn), next - x);
    x = next;
  }
}

KsResult KsOfSorted(const std::vector<double>& a, const std::vector<double>& b) {
  double largest = 0.0;
  // The gap only shrinks once either sample is exhausted, so the walk's end changes nothing.
  WalkEcdfGap(a, b, [&](double gap, double) { largest = std::max(largest, gap); });
  const double dn = static_cast<double>(a.size());
  const double dm = static_cast<double>(b.size());
  KsResult result;
  result.statistic = largest / (dn * dm);
  const double en = std::sqrt(dn * dm / (dn + dm));
  result.p_value = KolmogorovSurvival((en + 0.12 + 0.11 / en) * result.statistic);
  return result;
}

double Wasserstein1OfSorted(const std::vector<double>& a, const std::vector<double>& b) {
  // Between consecutive distinct values of the pooled sample both ECDFs are constant, so the
  // integral of |F_a - F_b| is a finite sum.
  double area = 0.0;
  WalkEcdfGap(a, b, [&](double gap, double width) { area += gap * width; });
  return area / (static_cast<double>(a.size()) * static_cast<double>(b.size()));
}

double NormalisedWasserstein1OfSorted(const std::vector<double>& reference,
                                      const std::vector<double>& current) {
  const double distance = Wasserstein1OfSorted(reference, current);
  const double sd = PopulationStdDev(reference);
  if (sd == 0.0) return distance == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return distance / sd;
}

double MeanShiftPercentOfChecked(std::span<const double> reference_log,
                                 std::span<const double> current_log) {
  // expm1 keeps small shifts accurate, where exp(x) - 1 would lose digits.
  return 100.0 * std::expm1(Mean(current_log) - Mean(reference_log));
}

}  // namespace

double PopulationStabilityIndex(std::span<const double> reference, std::span<const double> current,
                                int bins) {
  constexpr std::string_view kFunction = "PopulationStabilityIndex";
  CheckBins(bins, kFunction);
  const std::vector<double> r = CheckedSortedCopy(reference, kFunction, "reference");
  const std::vector<double> c = CheckedSortedCopy(current, kFunction, "current");
  return PsiOfSorted(r, c, bins);
}

KsResult KolmogorovSmirnov(std::span<const double> a, std::span<const double> b) {
  constexpr std::string_view kFunction = "KolmogorovSmirnov";
  return KsOfSorted(CheckedSortedCopy(a, kFunction, "first"),
                    CheckedSortedCopy(b, kFunction, "second"));
}

double KolmogorovSurvival(double lambda) {
  if (std::isnan(lambda)) return lambda;
  if (lambda <= 0.0) return 1.0;
  // Stop once a term no longer changes the sum; both series converge within a few terms in their
  // ranges, and the cap only guards against a mistake.
  constexpr double kRelativeTolerance = 1e-17;
  constexpr int kMaxTerms = 100;
  if (lambda < 1.18) {
    // The alternating series needs many terms here and cancels; the theta-function form of the
    // same function converges fast, and underflows to exactly 1 for tiny lambda.
    const double w = -std::numbers::pi * std::numbers::pi / (8.0 * lambda * lambda);
    double sum = 0.0;
    for (int j = 1; j <= kMaxTerms; ++j) {
      const double odd = 2.0 * j - 1.0;
      const double term = std::exp(odd * odd * w);
      sum += term;
      if (term <= kRelativeTolerance * sum) break;
    }
    const double cdf = std::sqrt(2.0 * std::numbers::pi) / lambda * sum;
    return std::clamp(1.0 - cdf, 0.0, 1.0);
  }
  const double a2 = -2.0 * lambda * lambda;
  double sum = 0.0;
  double sign = 1.0;
  for (int j = 1; j <= kMaxTerms; ++j) {
    const double term = std::exp(a2 * j * j);
    sum += sign * term;
    if (term <= kRelativeTolerance * std::abs(sum)) break;
    sign = -sign;
  }
  return std::clamp(2.0 * sum, 0.0, 1.0);
}

double Wasserstein1(std::span<const double> a, std::span<const double> b) {
  constexpr std::string_view kFunction = "Wasserstein1";
  return Wasserstein1OfSorted(CheckedSortedCopy(a, kFunction, "first"),
                              CheckedSortedCopy(b, kFunction, "second"));
}

double NormalisedWasserstein(std::span<const double> reference, std::span<const double> current) {
  constexpr std::string_view kFunction = "NormalisedWasserstein";
  return NormalisedWasserstein1OfSorted(CheckedSortedCopy(reference, kFunction, "reference"),
                                        CheckedSortedCopy(current, kFunction, "current"));
}

double MeanShiftPercent(std::span<const double> reference_log,
                        std::span<const double> current_log) {
  constexpr std::string_view kFunction = "MeanShiftPercent";
  CheckSample(reference_log, kFunction, "reference");
  CheckSample(current_log, kFunction, "current");
  return MeanShiftPercentOfChecked(reference_log, current_log);
}

DriftStatistics CompareDistributions(std::span<const double> reference_log,
                                     std::span<const double> current_log) {
  constexpr std::string_view kFunction = "CompareDistributions";
  const std::vector<double> r = CheckedSortedCopy(reference_log, kFunction, "reference");
  const std::vector<double> c = CheckedSortedCopy(current_log, kFunction, "current");
  DriftStatistics stats;
  stats.psi = PsiOfSorted(r, c, kDefaultPsiBins);
  const KsResult ks = KsOfSorted(r, c);
  stats.ks_statistic = ks.statistic;
  stats.ks_p_value = ks.p_value;
  stats.wasserstein = Wasserstein1OfSorted(r, c);
  // The means come from the inputs in their own order, as in MeanShiftPercent, so the two agree
  // to the last bit.
  stats.mean_shift_percent = MeanShiftPercentOfChecked(reference_log, current_log);
  stats.reference_size = r.size();
  stats.current_size = c.size();
  return stats;
}

}  // namespace loadcast
