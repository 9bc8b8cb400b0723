#include "model/calendar_batch.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numeric>

#include "core/calendar.hpp"
#include "model/quantile.hpp"

namespace loadcast {
namespace {

// The fit stops when no coefficient moved more than this (log units: a millionth of the load).
constexpr double kStepTolerance = 1e-6;
// Fixed-Hessian steps are shorter than reweighted ones: a cap well above what fits take (20 to 40
// iterations) that still bounds a pathological series.
constexpr int kMaxIterations = 400;
// The correction of the step never more than doubles it.
constexpr double kMinInsideShare = 0.5;

/// The rows of the days [from, to), each with the level weights of `level_year` (or of its own
/// year when `level_year` is 0).
SparseRows DesignRows(const CalendarDesign& design, Date from, Date to, int level_year,
                      int level_years) {
  SparseRows rows(static_cast<std::size_t>(design.cols()));
  std::vector<double> row(static_cast<std::size_t>(design.cols()));
  for (Date d = from; d < to; ++d) {
    const CalendarDay day = DescribeDay(d);
    const int year = level_year != 0 ? level_year : d.year();
    design.Fill(day, design.LevelWeights(year, level_years), row);
    rows.AppendDense(row);
  }
  return rows;
}

}  // namespace

CalendarBatch::CalendarBatch(const CommonModelParams& common,
                             const CalendarRegressionParams& params, Date train_from, Date train_to,
                             Date target_from, Date target_to)
    : params_(params),
      interval_coverage_(common.interval_coverage),
      design_(params.fourier_order, train_from.year(), (train_to - 1).year()),
      x_(DesignRows(design_, train_from, train_to, 0, params.level_years)),
      target_(DesignRows(design_, target_from, target_to, target_from.year(), params.level_years)) {
  assert(train_from < train_to && target_from.year() > design_.last_year());
  std::vector<Date> days;
  for (Date d = train_from; d < train_to; ++d) days.push_back(d);
  prior_ = RecencyWeights(days, params.recency_halflife);
  if (prior_.empty()) prior_.assign(days.size(), 1.0);
  prior_sum_ = std::accumulate(prior_.begin(), prior_.end(), 0.0);
  // X'PX, the same for every series trained on these days, with CalendarRegression's ridge.
  const auto n = static_cast<Eigen::Index>(x_.cols());
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(n, n);
  const auto& index = x_.index();
  const auto& value = x_.value();
  for (std::size_t r = 0; r < x_.rows(); ++r) {
    for (std::uint32_t a = x_.begin(r); a < x_.end(r); ++a) {
      const double wv = prior_[r] * value[a];
      for (std::uint32_t b = x_.begin(r); b <= a; ++b) gram(index[a], index[b]) += wv * value[b];
    }
  }
  gram.diagonal().array() += kHuberRidge * static_cast<double>(x_.rows());
  factor_.compute(gram.selfadjointView<Eigen::Lower>());
}

/// A block of kLanes series fitted side by side. Each lane follows the same sequence as a series
/// fitted alone would: X'P y solved for a start, then steps of X'P psi(r) solved and corrected,
/// then the final residuals; its arithmetic never mixes with the other lanes', so a series' result
/// does not depend on its lane or its neighbours. A lane that finishes takes the next series.
class CalendarBatch::Lanes {
 public:
  explicit Lanes(const CalendarBatch& batch)
      : batch_(batch),
        rows_(batch.x_.rows()),
        cols_(batch.x_.cols()),
        beta_(cols_ * kLanes, 0.0),
        fitted_(rows_ * kLanes, 0.0),
        psi_(rows_ * kLanes, 0.0),
        gradient_(cols_ * kLanes, 0.0),
        resid_(rows_),
        abs_resid_(rows_) {}

  void Run(std::span<const std::span<const double>> loads, std::vector<SeriesForecast>& out) {
    std::size_t next = 0;
    for (Lane& lane : lanes_) Load(lane, loads, next);
    while (std::any_of(lanes_.begin(), lanes_.end(),
                       [](const Lane& l) { return l.state != State::kIdle; })) {
      Multiply();
      for (std::size_t l = 0; l < kLanes; ++l) {
        Lane& lane = lanes_[l];
        if (lane.state == State::kIterating) {
          Residuals(l);
          Psi(l);
        } else if (lane.state == State::kFinishing) {
          Residuals(l);
          out[lane.series] = Finish(l);
          Load(lane, loads, next);
        }
      }
      Gradient();
      for (std::size_t l = 0; l < kLanes; ++l) Step(l);
    }
  }

 private:
  enum class State { kIdle, kStarting, kIterating, kFinishing };
  struct Lane {
    State state = State::kIdle;
    std::size_t series = 0;
    std::vector<double> y;  // log load
    int iterations = 0;
    double inside = 1.0;       // prior-weighted share of rows inside the clip at the last step
    double median_hint = 0.0;  // the last median absolute residual (0: none yet)
  };

  /// Gives the lane the next series, if any: its log load, and psi = y so that the coming
  /// gradient is X'P y, the weighted least-squares start.
  void Load(Lane& lane, std::span<const std::span<const double>> loads, std::size_t& next) {
    const std::size_t l = static_cast<std::size_t>(&lane - lanes_.data());
    for (std::size_t c = 0; c < cols_; ++c) beta_[c * kLanes + l] = 0.0;
    if (next == loads.size()) {
      lane.state = State::kIdle;
      for (std::size_t r = 0; r < rows_; ++r) psi_[r * kLanes + l] = 0.0;
      return;
    }
    assert(loads[next].size() == rows_);
    lane.state = State::kStarting;
    lane.series = next;
    lane.iterations = 0;
    lane.median_hint = 0.0;
    lane.y.resize(rows_);
    for (std::size_t r = 0; r < rows_; ++r) {
      lane.y[r] = std::log(loads[next][r]);
      psi_[r * kLanes + l] = lane.y[r];
    }
    ++next;
  }

  /// fitted = X beta, every lane.
  void Multiply() {
    const auto& index = batch_.x_.index();
    const auto& value = batch_.x_.value();
    for (std::size_t r = 0; r < rows_; ++r) {
      std::array<double, kLanes> sum{};
      for (std::uint32_t a = batch_.x_.begin(r); a < batch_.x_.end(r); ++a) {
        const double v = value[a];
        const double* beta = &beta_[index[a] * kLanes];
        for (std::size_t l = 0; l < kLanes; ++l) sum[l] += v * beta[l];
      }
      std::copy(sum.begin(), sum.end(), fitted_.begin() + static_cast<std::ptrdiff_t>(r * kLanes));
    }
  }

  /// gradient = X'P psi, every lane.
  void Gradient() {
    std::fill(gradient_.begin(), gradient_.end(), 0.0);
    const auto& index = batch_.x_.index();
    const auto& value = batch_.x_.value();
    for (std::size_t r = 0; r < rows_; ++r) {
      std::array<double, kLanes> pv;
      for (std::size_t l = 0; l < kLanes; ++l) pv[l] = batch_.prior_[r] * psi_[r * kLanes + l];
      for (std::uint32_t a = batch_.x_.begin(r); a < batch_.x_.end(r); ++a) {
        const double v = value[a];
        double* g = &gradient_[index[a] * kLanes];
        for (std::size_t l = 0; l < kLanes; ++l) g[l] += pv[l] * v;
      }
    }
  }

  void Residuals(std::size_t l) {
    const Lane& lane = lanes_[l];
    for (std::size_t r = 0; r < rows_; ++r) {
      resid_[r] = lane.y[r] - fitted_[r * kLanes + l];
      abs_resid_[r] = std::abs(resid_[r]);
    }
  }

  /// psi(r) of the lane's residuals, and the prior-weighted share of rows inside the clip, where
  /// psi' = 1: dividing the step by it (Huber and Dutter's correction) makes up for the clipped
  /// rows' missing curvature, so that steps are nearly Newton steps.
  void Psi(std::size_t l) {
    Lane& lane = lanes_[l];
    if (lane.median_hint <= 0.0) {
      lane.median_hint =
          std::accumulate(abs_resid_.begin(), abs_resid_.end(), 0.0) / static_cast<double>(rows_);
    }
    lane.median_hint = MedianOfNonNegative(abs_resid_, lane.median_hint, scratch_);
    const double scale = std::max(kMadToSigma * lane.median_hint, kHuberMinScale);
    const double clip = batch_.params_.huber_k * scale;
    double inside = 0.0;
    for (std::size_t r = 0; r < rows_; ++r) {
      psi_[r * kLanes + l] = std::clamp(resid_[r], -clip, clip);
      if (abs_resid_[r] <= clip) inside += batch_.prior_[r];
    }
    lane.inside = inside / batch_.prior_sum_;
  }

  void Step(std::size_t l) {
    Lane& lane = lanes_[l];
    if (lane.state != State::kStarting && lane.state != State::kIterating) return;
    Eigen::VectorXd g(static_cast<Eigen::Index>(cols_));
    for (std::size_t c = 0; c < cols_; ++c)
      g[static_cast<Eigen::Index>(c)] = gradient_[c * kLanes + l];
    Eigen::VectorXd step = batch_.factor_.solve(g);
    if (lane.state == State::kStarting) {
      lane.state = State::kIterating;
    } else {
      step /= std::max(lane.inside, kMinInsideShare);
      ++lane.iterations;
    }
    double largest = 0.0;
    for (std::size_t c = 0; c < cols_; ++c) {
      beta_[c * kLanes + l] += step[static_cast<Eigen::Index>(c)];
      largest = std::max(largest, std::abs(step[static_cast<Eigen::Index>(c)]));
    }
    if (lane.iterations > 0 && (largest < kStepTolerance || lane.iterations == kMaxIterations)) {
      lane.state = State::kFinishing;
    }
  }

  /// The forecast of a lane whose residuals are those of its final coefficients.
  SeriesForecast Finish(std::size_t l) const {
    SeriesForecast out;
    out.iterations = lanes_[l].iterations;
    const ResidualSummary summary =
        SummarizeResiduals(resid_, batch_.params_, batch_.interval_coverage_);
    out.residual_scale = summary.scale;
    out.level_shift = summary.level_shift;
    const SparseRows& target = batch_.target_;
    const auto& index = target.index();
    const auto& value = target.value();
    for (std::size_t r = 0; r < target.rows(); ++r) {
      double fitted = 0.0;
      for (std::uint32_t a = target.begin(r); a < target.end(r); ++a) {
        fitted += value[a] * beta_[index[a] * kLanes + l];
      }
      const double log_mean = fitted + summary.level_shift;
      out.mean.push_back(std::exp(log_mean));
      out.lower.push_back(std::exp(log_mean + summary.lower));
      out.upper.push_back(std::exp(log_mean + summary.upper));
    }
    return out;
  }

  const CalendarBatch& batch_;
  std::size_t rows_;
  std::size_t cols_;
  std::vector<double> beta_;      // column c of lane l at c * kLanes + l
  std::vector<double> fitted_;    // row r of lane l at r * kLanes + l
  std::vector<double> psi_;       // the same
  std::vector<double> gradient_;  // as beta_
  std::vector<double> resid_;     // of the lane at hand
  std::vector<double> abs_resid_;
  std::vector<double> scratch_;  // of the median
  std::array<Lane, kLanes> lanes_;
};

SeriesForecast CalendarBatch::FitPredict(std::span<const double> load) const {
  const std::span<const double> one[] = {load};
  return std::move(FitPredictMany(one).front());
}

std::vector<SeriesForecast> CalendarBatch::FitPredictMany(
    std::span<const std::span<const double>> loads) const {
  std::vector<SeriesForecast> out(loads.size());
  Lanes(*this).Run(loads, out);
  return out;
}

}  // namespace loadcast
