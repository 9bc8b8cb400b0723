#include "model/calendar_ar.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "model/quantile.hpp"

namespace loadcast {
namespace {

constexpr int kWeek = 7;
// How far back the latest ordinary day of a kind is looked for.
constexpr int kOrdinaryLookback = 10;

bool IsOrdinaryWorkday(const CalendarDay& day) {
  return day.weekday < 5 && day.holiday == Holiday::kNone && day.christmas_offset == kNoOffset &&
         !day.bridge;
}

bool IsOrdinaryWeekend(const CalendarDay& day) {
  return day.weekday >= 5 && day.holiday == Holiday::kNone && day.christmas_offset == kNoOffset;
}

const std::array<std::string_view, CalendarAr::kTerms> kArTerms = {"intercept",
                                                                   "dev_lag1",
                                                                   "dev_lag2",
                                                                   "dev_lag7",
                                                                   "dev_lag14",
                                                                   "dev_mean7",
                                                                   "dev_mean28",
                                                                   "dev_lag1_after_special",
                                                                   "dev_lag1_on_monday",
                                                                   "dev_lag1_on_sunday",
                                                                   "dev_last_ordinary_workday",
                                                                   "dev_last_ordinary_same_type"};

}  // namespace

CalendarAr::CalendarAr(const CommonModelParams& common, const CalendarArParams& params)
    : params_(params), interval_coverage_(common.interval_coverage), base_(common, params) {}

TimeSeries CalendarAr::Deviations(const TimeSeries& known, Date from, Date to,
                                  bool as_forecast) const {
  const int first_year = known.empty() ? 0 : known.start().year();
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(std::max(0, to - from)));
  for (Date d = from; d < to; ++d) {
    const double load = known.at(d);
    const int year = d.year();
    if (std::isnan(load) || load <= 0.0 || (as_forecast && year == first_year)) {
      values.push_back(kMissing);
      continue;
    }
    const CalendarDay day = DescribeDay(d);
    const double expected =
        as_forecast ? base_.LogExpectationAtLevelOf(day, year - 1) : base_.LogExpectation(day);
    values.push_back(std::log(load) - expected);
  }
  return TimeSeries(from, std::move(values));
}

bool CalendarAr::Regressors(Date date, const TimeSeries& deviations,
                            std::array<double, kTerms>& x) const {
  const double e1 = deviations.at(date - 1);
  if (std::isnan(e1)) return false;
  auto or_zero = [](double v) { return std::isnan(v) ? 0.0 : v; };
  auto mean = [&](int days) {
    double sum = 0.0;
    int count = 0;
    for (int k = 1; k <= days; ++k) {
      const double e = deviations.at(date - k);
      if (!std::isnan(e)) {
        sum += e;
        ++count;
      }
    }
    return count > 0 ? sum / count : 0.0;
  };
  // The deviation of the latest ordinary working day (or weekend day) before `date`: the level
  // the load holds on days the calendar knows well.
  auto latest = [&](bool (*ordinary)(const CalendarDay&)) {
    for (int k = 1; k <= kOrdinaryLookback; ++k) {
      if (ordinary(DescribeDay(date - k))) return or_zero(deviations.at(date - k));
    }
    return 0.0;
  };
  // Yesterday's deviation says less about today when yesterday was a holiday or a Christmas
  // season day, whose effects the calendar knows least well.
  const CalendarDay yesterday = DescribeDay(date - 1);
  const bool after_special =
      yesterday.holiday != Holiday::kNone || yesterday.christmas_offset != kNoOffset;
  const bool weekend = date.weekday() >= 5;
  x = {1.0,
       e1,
       or_zero(deviations.at(date - 2)),
       or_zero(deviations.at(date - kWeek)),
       or_zero(deviations.at(date - 2 * kWeek)),
       mean(kWeek),
       mean(4 * kWeek),
       after_special ? e1 : 0.0,
       date.weekday() == 0 ? e1 : 0.0,
       date.weekday() == 6 ? e1 : 0.0,
       latest(IsOrdinaryWorkday),
       latest(weekend ? IsOrdinaryWeekend : IsOrdinaryWorkday)};
  return true;
}

void CalendarAr::Fit(const Frame& training) {
  base_.Fit(training);
  if (training.empty()) return;
  TimeSeries known(training.days.front().date, training.load);
  const TimeSeries deviations = Deviations(known, known.start(), known.end(), true);
  std::vector<double> x;
  std::vector<double> y;
  std::array<double, kTerms> row{};
  for (Date d = known.start() + 4 * kWeek; d < known.end(); ++d) {
    const double target = deviations.at(d);
    if (std::isnan(target) || !Regressors(d, deviations, row)) continue;
    x.insert(x.end(), row.begin(), row.end());
    y.push_back(target);
  }
  if (y.size() < 2 * kTerms) {
    throw DataError("calendar_ar: too few consecutive training days for the autoregression");
  }
  std::vector<double> residuals;
  const auto phi = FitHuber(x, y.size(), kTerms, y, params_.epochs, params_.huber_k, residuals);
  std::copy(phi.begin(), phi.end(), phi_.begin());
  lower_residual_ = Quantile(residuals, (1.0 - interval_coverage_) / 2.0);
  upper_residual_ = Quantile(residuals, (1.0 + interval_coverage_) / 2.0);
}

Forecast CalendarAr::Predict(const Frame& targets, const TimeSeries& known) const {
  Forecast out;
  if (targets.empty()) return out;
  const Date first = targets.days.front().date;
  const TimeSeries deviations =
      Deviations(known, first - 4 * kWeek, targets.days.back().date, false);
  std::array<double, kTerms> x{};
  for (const CalendarDay& day : targets.days) {
    out.dates.push_back(day.date);
    if (!Regressors(day.date, deviations, x)) {
      out.mean.push_back(kMissing);
      out.lower.push_back(kMissing);
      out.upper.push_back(kMissing);
      continue;
    }
    double correction = 0.0;
    for (std::size_t k = 0; k < kTerms; ++k) correction += phi_[k] * x[k];
    const double log_mean = base_.LogExpectation(day) + correction;
    out.mean.push_back(std::exp(log_mean));
    out.lower.push_back(std::exp(log_mean + lower_residual_));
    out.upper.push_back(std::exp(log_mean + upper_residual_));
  }
  return out;
}

std::vector<std::string> CalendarAr::Features() const {
  std::vector<std::string> names = base_.Features();
  for (std::string_view term : kArTerms) names.push_back("ar." + std::string(term));
  return names;
}

nlohmann::json CalendarAr::SaveState() const {
  return {{"calendar", base_.SaveState()},
          {"ar_terms", kArTerms},
          {"ar_coefficients", phi_},
          {"lower_residual", lower_residual_},
          {"upper_residual", upper_residual_}};
}

void CalendarAr::LoadState(const nlohmann::json& state) {
  try {
    base_.LoadState(state.at("calendar"));
    const auto phi = state.at("ar_coefficients").get<std::vector<double>>();
    if (phi.size() != kTerms) throw StorageError("calendar_ar state has the wrong number of terms");
    std::copy(phi.begin(), phi.end(), phi_.begin());
    lower_residual_ = state.at("lower_residual").get<double>();
    upper_residual_ = state.at("upper_residual").get<double>();
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(std::string("calendar_ar state is malformed: ") + e.what());
  }
}

}  // namespace loadcast
