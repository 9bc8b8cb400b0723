// The year-ahead calendar model fitted to many series at once. Series trained on the same days
// share the design matrix and the factorization of its prior-weighted cross-product, which
// depend only on the calendar; each series then costs a few sparse products per iteration.
//
// The fit is the same Huber M-estimator as CalendarRegression's (the same design, prior weights,
// Huber threshold, robust scale, level shift and residual quantiles), reached by fixed-Hessian
// iterations ("modified residuals": beta += (X'PX)^-1 X'P psi(r)) instead of reweighted least
// squares, whose matrix changes with every series and iteration. Both converge to the point
// where X'P psi(r) = 0; a series' result depends only on its own loads and its training days,
// never on the other series of a batch.
#pragma once

#include <Eigen/Dense>
#include <cstddef>
#include <span>
#include <vector>

#include "core/config.hpp"
#include "core/date.hpp"
#include "model/calendar_design.hpp"
#include "model/calendar_regression.hpp"
#include "model/kinds.hpp"

namespace loadcast {

/// One series' year-ahead forecast, day by day from the batch's first target day.
struct SeriesForecast {
  std::vector<double> mean;
  std::vector<double> lower;
  std::vector<double> upper;
  int iterations = 0;         // fixed-Hessian iterations the fit took
  double residual_scale = 0;  // robust residual scale of the fit, in log units
  double level_shift = 0;     // mean deviation of the last level_days training days, log units
};

class CalendarBatch {
 public:
  /// Prepares the design of the training days [train_from, train_to) and of the target days
  /// [target_from, target_to), which must follow the training days' last year.
  CalendarBatch(const CommonModelParams& common, const CalendarRegressionParams& params,
                Date train_from, Date train_to, Date target_from, Date target_to);

  std::size_t training_days() const { return x_.rows(); }
  std::size_t target_days() const { return target_.rows(); }

  /// Fits one series (its load on each training day, every one known and above zero) and
  /// forecasts the target days. Safe to call from several threads at once.
  SeriesForecast FitPredict(std::span<const double> load) const;
  /// The same for many series, kLanes at a time: loads[i] gives forecast i, exactly what
  /// FitPredict(loads[i]) gives. Safe to call from several threads at once.
  std::vector<SeriesForecast> FitPredictMany(std::span<const std::span<const double>> loads) const;

  /// Series iterated side by side: each sparse product reads the design once for all of them.
  static constexpr std::size_t kLanes = 8;

 private:
  class Lanes;

  CalendarRegressionParams params_;
  double interval_coverage_;
  CalendarDesign design_;
  SparseRows x_;
  SparseRows target_;
  std::vector<double> prior_;
  double prior_sum_ = 0.0;
  Eigen::LDLT<Eigen::MatrixXd> factor_;
};

}  // namespace loadcast
