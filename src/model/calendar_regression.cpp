#include "model/calendar_regression.hpp"

#include <fmt/format.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

#include "core/errors.hpp"
#include "model/quantile.hpp"

namespace loadcast {
namespace {

constexpr double kConvergence = 1e-9;
// Bounds of a design loaded from a state: annual harmonics above 182 alias on daily data, and
// the level years are those of the data's four-digit dates. They keep a corrupt state from
// building a design of billions of columns.
constexpr int kMaxFourierOrder = 182;
constexpr int kMinYear = 0;
constexpr int kMaxYear = 9999;

/// The integer at `key` of a state, within [min, max]; StorageError for a fraction, a number out
/// of range or another type (converting those to int would be undefined or silently wrong).
int StateInt(const nlohmann::json& state, const char* key, int min, int max) {
  const nlohmann::json& value = state.at(key);
  std::optional<std::int64_t> number;
  if (value.is_number_unsigned()) {
    if (value.get<std::uint64_t>() <= static_cast<std::uint64_t>(max)) {
      number = static_cast<std::int64_t>(value.get<std::uint64_t>());
    }
  } else if (value.is_number_integer()) {
    number = value.get<std::int64_t>();
  }
  if (!number || *number < min || *number > max) {
    const std::string what =
        value.is_number() ? value.dump() : fmt::format("of type {}", value.type_name());
    throw StorageError(
        fmt::format("calendar_regression state has an invalid design: '{}' is {}, "
                    "not an integer from {} to {}",
                    key, what, min, max));
  }
  return static_cast<int>(*number);
}

}  // namespace

double RobustScale(const std::vector<double>& residuals) {
  std::vector<double> abs_resid = residuals;
  for (double& r : abs_resid) r = std::abs(r);
  return kMadToSigma * Quantile(std::move(abs_resid), 0.5);
}

std::vector<double> RecencyWeights(std::span<const Date> days, double halflife) {
  std::vector<double> prior;
  if (halflife <= 0.0 || days.empty()) return prior;
  prior.reserve(days.size());
  for (const Date day : days) {
    const double age = (days.back() - day) / 365.25;
    prior.push_back(std::exp2(-age / halflife));
  }
  return prior;
}

ResidualSummary SummarizeResiduals(const std::vector<double>& residuals,
                                   const CalendarRegressionParams& params,
                                   double interval_coverage) {
  ResidualSummary out;
  if (params.level_days > 0) {
    // The mean deviation over the last days, Huber-clipped so that a few odd days do not move it.
    const std::size_t n =
        std::min<std::size_t>(static_cast<std::size_t>(params.level_days), residuals.size());
    std::vector<double> recent(residuals.end() - static_cast<std::ptrdiff_t>(n), residuals.end());
    const double clip = params.huber_k * std::max(RobustScale(recent), kHuberMinScale);
    double sum = 0.0;
    for (double r : recent) sum += std::clamp(r, -clip, clip);
    out.level_shift = n > 0 ? sum / static_cast<double>(n) : 0.0;
  }
  out.scale = RobustScale(residuals);
  out.lower = Quantile(residuals, (1.0 - interval_coverage) / 2.0);
  out.upper = Quantile(residuals, (1.0 + interval_coverage) / 2.0);
  return out;
}

void SparseRows::AppendDense(std::span<const double> row) {
  assert(row.size() == cols_);
  for (std::size_t c = 0; c < row.size(); ++c) {
    if (row[c] == 0.0) continue;
    index_.push_back(static_cast<std::uint32_t>(c));
    value_.push_back(row[c]);
  }
  row_start_.push_back(static_cast<std::uint32_t>(index_.size()));
}

std::vector<double> FitHuber(const std::vector<double>& x_rowmajor, std::size_t rows,
                             std::size_t cols, const std::vector<double>& y, int epochs,
                             double huber_k, std::vector<double>& residuals,
                             const std::vector<double>& prior_weights) {
  SparseRows x(cols);
  for (std::size_t r = 0; r < rows; ++r) {
    x.AppendDense(std::span<const double>(x_rowmajor.data() + r * cols, cols));
  }
  return FitHuber(x, y, epochs, huber_k, residuals, prior_weights);
}

std::vector<double> FitHuber(const SparseRows& x, const std::vector<double>& y, int epochs,
                             double huber_k, std::vector<double>& residuals,
                             const std::vector<double>& prior_weights) {
  // Kept as compressed rows, X'WX costs rows x nonzeros^2 instead of rows x columns^2: the dense
  // product was nine tenths of a training's time.
  const std::size_t rows = x.rows();
  const std::vector<std::uint32_t>& index = x.index();
  const std::vector<double>& value = x.value();
  const auto n = static_cast<Eigen::Index>(x.cols());
  std::vector<double> prior(rows, 1.0);
  if (!prior_weights.empty()) prior = prior_weights;
  std::vector<double> weights = prior;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(n);
  std::vector<double> resid = y;
  std::vector<double> abs_resid(rows);
  const double ridge = kHuberRidge * static_cast<double>(rows);
  // Huber weights equal the prior weights except on the rows with large residuals (a fifth or
  // so), so X'WX and X'Wy are those of the prior weights, computed once, less the outliers'
  // share: an iteration only visits the rows whose weight is cut.
  Eigen::MatrixXd prior_xtwx = Eigen::MatrixXd::Zero(n, n);
  Eigen::VectorXd prior_xtwy = Eigen::VectorXd::Zero(n);
  // Adds w x_r x_r' to the lower triangle of `gram` and w y_r x_r to `moment`.
  const auto accumulate = [&](std::size_t r, double w, Eigen::MatrixXd& gram,
                              Eigen::VectorXd& moment) {
    for (std::uint32_t a = x.begin(r); a < x.end(r); ++a) {
      const double wv = w * value[a];
      const Eigen::Index i = index[a];
      moment[i] += wv * y[r];
      for (std::uint32_t b = x.begin(r); b <= a; ++b) gram(i, index[b]) += wv * value[b];
    }
  };
  for (std::size_t r = 0; r < rows; ++r) accumulate(r, prior[r], prior_xtwx, prior_xtwy);
  prior_xtwx.diagonal().array() += ridge;
  Eigen::MatrixXd xtwx(n, n);
  Eigen::VectorXd xtwy(n);
  for (int epoch = 0; epoch < epochs; ++epoch) {
    // The lower triangle of X'WX (column index j <= i, since a row's indices ascend) and X'Wy.
    xtwx = prior_xtwx;
    xtwy = prior_xtwy;
    for (std::size_t r = 0; r < rows; ++r) {
      if (weights[r] != prior[r]) accumulate(r, weights[r] - prior[r], xtwx, xtwy);
    }
    const Eigen::VectorXd next = xtwx.selfadjointView<Eigen::Lower>().ldlt().solve(xtwy);
    const double change = (next - beta).squaredNorm();
    beta = next;
    for (std::size_t r = 0; r < rows; ++r) {
      double fitted = 0.0;
      for (std::uint32_t a = x.begin(r); a < x.end(r); ++a) {
        fitted += value[a] * beta[index[a]];
      }
      resid[r] = y[r] - fitted;
      abs_resid[r] = std::abs(resid[r]);
    }
    const double scale = std::max(kMadToSigma * Quantile(abs_resid, 0.5), kHuberMinScale);
    for (std::size_t r = 0; r < rows; ++r) {
      const double a = abs_resid[r];
      weights[r] = prior[r] * (a <= huber_k * scale ? 1.0 : huber_k * scale / a);
    }
    if (change < kConvergence) break;
  }
  residuals = std::move(resid);
  return {beta.data(), beta.data() + beta.size()};
}

CalendarRegression::CalendarRegression(const CommonModelParams& common,
                                       const CalendarRegressionParams& params)
    : params_(params), interval_coverage_(common.interval_coverage) {}

void CalendarRegression::Fit(const Frame& training) {
  int first_year = 0;
  int last_year = 0;
  std::vector<std::size_t> rows;
  for (std::size_t i = 0; i < training.size(); ++i) {
    if (std::isnan(training.load[i]) || training.load[i] <= 0.0) continue;
    const int y = training.days[i].date.year();
    if (rows.empty()) first_year = y;
    last_year = y;
    rows.push_back(i);
  }
  if (rows.empty()) throw DataError("calendar_regression: no training days with a known load");
  design_.emplace(params_.fourier_order, first_year, last_year);
  const auto cols = static_cast<std::size_t>(design_->cols());
  SparseRows x(cols);
  std::vector<double> row(cols);
  std::vector<double> y(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const CalendarDay& day = training.days[rows[r]];
    design_->Fill(day, design_->LevelWeights(day.date.year(), params_.level_years), row);
    x.AppendDense(row);
    y[r] = std::log(training.load[rows[r]]);
  }
  std::vector<Date> dates;
  dates.reserve(rows.size());
  for (std::size_t r : rows) dates.push_back(training.days[r].date);
  const std::vector<double> prior = RecencyWeights(dates, params_.recency_halflife);
  std::vector<double> residuals;
  coefficients_ = FitHuber(x, y, params_.epochs, params_.huber_k, residuals, prior);
  const ResidualSummary summary = SummarizeResiduals(residuals, params_, interval_coverage_);
  level_shift_ = summary.level_shift;
  residual_scale_ = summary.scale;
  lower_residual_ = summary.lower;
  upper_residual_ = summary.upper;
}

double CalendarRegression::Dot(const CalendarDay& day,
                               std::span<const double> level_weights) const {
  assert(design_.has_value());
  std::vector<double> row(static_cast<std::size_t>(design_->cols()));
  design_->Fill(day, level_weights, row);
  double value = 0.0;
  for (std::size_t c = 0; c < row.size(); ++c) value += row[c] * coefficients_[c];
  return value;
}

double CalendarRegression::LogExpectation(const CalendarDay& day) const {
  const int year = day.date.year();
  const double value = Dot(day, design_->LevelWeights(year, params_.level_years));
  return year > design_->last_year() ? value + level_shift_ : value;
}

double CalendarRegression::LogExpectationAtLevelOf(const CalendarDay& day, int level_year) const {
  return Dot(day, design_->LevelWeights(level_year, 1));
}

Forecast CalendarRegression::Predict(const Frame& targets, const TimeSeries& /*known*/) const {
  Forecast out;
  for (const CalendarDay& day : targets.days) {
    const double log_mean = LogExpectation(day);
    out.dates.push_back(day.date);
    out.mean.push_back(std::exp(log_mean));
    out.lower.push_back(std::exp(log_mean + lower_residual_));
    out.upper.push_back(std::exp(log_mean + upper_residual_));
  }
  return out;
}

std::vector<std::string> CalendarRegression::Features() const {
  return design_ ? design_->names() : std::vector<std::string>{};
}

nlohmann::json CalendarRegression::SaveState() const {
  assert(design_.has_value());
  nlohmann::json coefficients = nlohmann::json::object();
  for (std::size_t c = 0; c < coefficients_.size(); ++c) {
    coefficients[design_->names()[c]] = coefficients_[c];
  }
  return {{"first_year", design_->first_year()},
          {"last_year", design_->last_year()},
          {"fourier_order", params_.fourier_order},
          {"level_years", params_.level_years},
          {"coefficients", coefficients},
          {"residual_scale", residual_scale_},
          {"level_shift", level_shift_},
          {"lower_residual", lower_residual_},
          {"upper_residual", upper_residual_}};
}

void CalendarRegression::LoadState(const nlohmann::json& state) {
  try {
    params_.fourier_order = StateInt(state, "fourier_order", 0, kMaxFourierOrder);
    params_.level_years = StateInt(state, "level_years", 1, std::numeric_limits<int>::max());
    const int first_year = StateInt(state, "first_year", kMinYear, kMaxYear);
    const int last_year = StateInt(state, "last_year", kMinYear, kMaxYear);
    if (first_year > last_year) {
      throw StorageError("calendar_regression state has an invalid design");
    }
    design_.emplace(params_.fourier_order, first_year, last_year);
    const auto& coefficients = state.at("coefficients");
    coefficients_.clear();
    for (const std::string& name : design_->names()) {
      coefficients_.push_back(coefficients.at(name).get<double>());
    }
    if (coefficients.size() != coefficients_.size()) {
      throw StorageError("calendar_regression state has coefficients the design does not know");
    }
    residual_scale_ = state.at("residual_scale").get<double>();
    level_shift_ = state.at("level_shift").get<double>();
    lower_residual_ = state.at("lower_residual").get<double>();
    upper_residual_ = state.at("upper_residual").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(std::string("calendar_regression state is malformed: ") + e.what());
  }
}

}  // namespace loadcast
