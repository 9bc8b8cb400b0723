// The year-ahead calendar model: log load regressed on the calendar design, fit by iteratively
// reweighted least squares with Huber weights so that anomalous stretches (spring 2020) do not
// bend the calendar effects.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "model/calendar_design.hpp"
#include "model/forecaster.hpp"
#include "model/kinds.hpp"

namespace loadcast {

class CalendarRegression final : public Forecaster {
 public:
  static constexpr std::string_view kKind = "calendar_regression";

  CalendarRegression(const CommonModelParams& common, const CalendarRegressionParams& params);
  std::string_view kind() const override { return kKind; }
  void Fit(const Frame& training) override;
  Forecast Predict(const Frame& targets, const TimeSeries& known) const override;
  std::vector<std::string> Features() const override;
  nlohmann::json SaveState() const override;
  void LoadState(const nlohmann::json& state) override;

  /// The model's expected log load for a day (in-sample level inside the training years, the
  /// recent level after them). Requires a fitted model.
  double LogExpectation(const CalendarDay& day) const;
  /// The same, with the level of training year `level_year` instead of the day's own: what a
  /// forecast made a year earlier would have expected.
  double LogExpectationAtLevelOf(const CalendarDay& day, int level_year) const;
  /// Robust residual scale of the fit, in log units.
  double residual_scale() const { return residual_scale_; }

 private:
  CalendarRegressionParams params_;
  double interval_coverage_;
  std::optional<CalendarDesign> design_;
  std::vector<double> coefficients_;
  double Dot(const CalendarDay& day, std::span<const double> level_weights) const;

  double residual_scale_ = 0.0;
  // Mean deviation of the last training days from the fit, added to the level after them.
  double level_shift_ = 0.0;
  double lower_residual_ = 0.0;
  double upper_residual_ = 0.0;
};

/// A design matrix as compressed rows: each row's nonzero values with their columns, in column
/// order. The calendar design is mostly indicators (about 20 nonzeros in 130 columns a day).
class SparseRows {
 public:
  explicit SparseRows(std::size_t cols) : cols_(cols) {}

  /// Appends a row given densely (`cols` values); its zeros are not stored.
  void AppendDense(std::span<const double> row);

  std::size_t rows() const { return row_start_.size() - 1; }
  std::size_t cols() const { return cols_; }
  /// The positions in index() and value() of row `r`: [begin(r), end(r)).
  std::uint32_t begin(std::size_t r) const { return row_start_[r]; }
  std::uint32_t end(std::size_t r) const { return row_start_[r + 1]; }
  const std::vector<std::uint32_t>& index() const { return index_; }
  const std::vector<double>& value() const { return value_; }

 private:
  std::size_t cols_;
  std::vector<std::uint32_t> row_start_{0};
  std::vector<std::uint32_t> index_;
  std::vector<double> value_;
};

/// A ridge just large enough to pin columns that never fire (a holiday that fell on a weekend in
/// every training year) at zero, far too small to shrink the used ones; times the rows.
inline constexpr double kHuberRidge = 1e-10;
/// Residuals below this (log units, 0.01%) are exact for our purposes: a floor on the robust
/// scale keeps near-perfect fits from down-weighting everything else into divergence.
inline constexpr double kHuberMinScale = 1e-4;
/// The median absolute residual times this estimates the standard deviation of normal errors.
inline constexpr double kMadToSigma = 1.4826;

/// Robust standard deviation (scaled median absolute value) of residuals.
double RobustScale(const std::vector<double>& residuals);

/// The prior weight of each training day: halving every `halflife` years before the last day
/// (empty, meaning all 1, when the half-life is not positive).
std::vector<double> RecencyWeights(std::span<const Date> days, double halflife);

/// What a fit's residuals, in training-day order, say about its forecasts.
struct ResidualSummary {
  double scale = 0.0;        // robust residual scale
  double level_shift = 0.0;  // Huber-clipped mean of the last params.level_days residuals
  double lower = 0.0;        // residual quantiles of the interval of `interval_coverage`
  double upper = 0.0;
};
ResidualSummary SummarizeResiduals(const std::vector<double>& residuals,
                                   const CalendarRegressionParams& params,
                                   double interval_coverage);

/// Weighted least squares with Huber reweighting: returns coefficients and fills `residuals`.
/// `epochs` bounds the reweighting iterations; a tiny ridge keeps unused columns at zero.
/// `prior_weights` (empty: all 1) multiply the Huber weights, e.g. to favour recent days.
std::vector<double> FitHuber(const SparseRows& x, const std::vector<double>& y, int epochs,
                             double huber_k, std::vector<double>& residuals,
                             const std::vector<double>& prior_weights = {});

/// The same with the design given densely, row after row.
std::vector<double> FitHuber(const std::vector<double>& x_rowmajor, std::size_t rows,
                             std::size_t cols, const std::vector<double>& y, int epochs,
                             double huber_k, std::vector<double>& residuals,
                             const std::vector<double>& prior_weights = {});

}  // namespace loadcast
