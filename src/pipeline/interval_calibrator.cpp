#include "pipeline/interval_calibrator.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "core/parallel.hpp"
#include "model/quantile.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/trainer.hpp"

namespace loadcast {
namespace {

// A backtested year needs as much training history as a run does (Extractor::Extract).
constexpr int kMinTrainingYears = 2;
constexpr int kMinTrainingDays = 2 * 365;

constexpr std::array<DayType, kDayTypeCount> kDayTypes = {DayType::kWorkday, DayType::kSaturday,
                                                          DayType::kSundayOrHoliday};

LogBounds BoundsOf(const std::vector<double>& residuals, double coverage) {
  LogBounds b;
  b.residuals = residuals.size();
  // An interval that misses its own forecast would fail the prediction checks; a biased
  // backtest can put both quantiles on one side of 0, so the bound on that side is moved to 0.
  b.lower = std::min(Quantile(residuals, (1.0 - coverage) / 2.0), 0.0);
  b.upper = std::max(Quantile(residuals, (1.0 + coverage) / 2.0), 0.0);
  return b;
}

nlohmann::json BoundsToJson(const LogBounds& b) {
  return {
      {"lower", b.lower}, {"upper", b.upper}, {"residuals", b.residuals}, {"fallback", b.fallback}};
}

LogBounds BoundsFromJson(const nlohmann::json& j) {
  LogBounds b;
  b.lower = j.at("lower").get<double>();
  b.upper = j.at("upper").get<double>();
  b.residuals = j.at("residuals").get<std::size_t>();
  b.fallback = j.at("fallback").get<bool>();
  if (!std::isfinite(b.lower) || !std::isfinite(b.upper) || b.lower > 0.0 || b.upper < 0.0) {
    throw StorageError("model artifact: interval calibration bounds must bracket 0");
  }
  return b;
}

/// True when `history` holds what training for `year` needs: data through the day before it and
/// at least two years of it from `first_year` on.
bool CanBacktest(const TimeSeries& history, int first_year, int year) {
  if (year - first_year < kMinTrainingYears) return false;
  const Date start = Date::FromYmd(year, 1, 1);
  if (!history.has(start - 1)) return false;
  const TimeSeries before = history.slice(Date::FromYmd(first_year, 1, 1), start);
  return static_cast<int>(before.count_known()) >= kMinTrainingDays;
}

}  // namespace

DayType DayTypeOf(const CalendarDay& day) {
  if (day.holiday != Holiday::kNone || day.weekday == 6) return DayType::kSundayOrHoliday;
  if (day.weekday == 5) return DayType::kSaturday;
  return DayType::kWorkday;
}

IntervalCalibration CalibrationFromResiduals(const std::vector<Date>& dates,
                                             const std::vector<double>& log_residuals,
                                             double coverage, std::vector<int> years) {
  std::array<std::vector<double>, kDayTypeCount> grouped;
  for (std::size_t i = 0; i < dates.size() && i < log_residuals.size(); ++i) {
    grouped[static_cast<std::size_t>(DayTypeOf(DescribeDay(dates[i])))].push_back(log_residuals[i]);
  }
  IntervalCalibration out;
  out.coverage = coverage;
  out.years = std::move(years);
  out.residuals = std::min(dates.size(), log_residuals.size());
  out.all = BoundsOf({log_residuals.begin(), log_residuals.begin() + out.residuals}, coverage);
  for (DayType type : kDayTypes) {
    const auto& group = grouped[static_cast<std::size_t>(type)];
    LogBounds& b = out.groups[static_cast<std::size_t>(type)];
    if (group.size() >= kMinGroupResiduals) {
      b = BoundsOf(group, coverage);
    } else {
      // Tail quantiles of a handful of residuals are noise; the pooled ones are the better guess.
      b = out.all;
      b.residuals = group.size();
      b.fallback = true;
    }
  }
  return out;
}

const BacktestFold* FoldCache::Find(int year, const TimeSeries& slice) const {
  const auto it = folds_.find(year);
  if (it == folds_.end()) return nullptr;
  const TimeSeries& held = it->second.slice;
  if (held.start() != slice.start() || held.size() != slice.size()) return nullptr;
  const bool same =
      std::equal(held.values().begin(), held.values().end(), slice.values().begin(),
                 [](double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); });
  return same ? &it->second.fold : nullptr;
}

void FoldCache::Add(TimeSeries slice, const BacktestFold& fold) {
  folds_.insert_or_assign(fold.year, Entry{std::move(slice), fold});
}

std::vector<BacktestFold> BacktestFolds(const TimeSeries& history, const ModelSpec& params,
                                        Horizon horizon, int target_year, int years,
                                        FoldCache* cache) {
  std::vector<BacktestFold> folds;
  if (years <= 0 || history.empty()) return folds;
  // The slices first, then the folds the cache lacks, fitted in parallel: each is independent.
  std::vector<TimeSeries> slices;
  std::vector<int> first_years;
  std::vector<std::size_t> missing;
  for (int year = target_year - years; year < target_year; ++year) {
    const int first_year = std::max(year - params.common.training_years, history.start().year());
    if (!CanBacktest(history, first_year, year)) continue;
    // The same extract a run for `year` would get, from the history already in memory.
    TimeSeries slice =
        history.slice(Date::FromYmd(first_year, 1, 1), Date::FromYmd(year + 1, 1, 1));
    const BacktestFold* known = cache != nullptr ? cache->Find(year, slice) : nullptr;
    if (known != nullptr) {
      folds.push_back(*known);
    } else {
      folds.push_back(BacktestFold{year, {}, {}});
      missing.push_back(folds.size() - 1);
    }
    slices.push_back(std::move(slice));
    first_years.push_back(first_year);
  }
  ParallelFor(missing.size(), [&](std::size_t m) {
    const std::size_t i = missing[m];
    BacktestFold& fold = folds[i];
    ExtractedData extracted;
    extracted.target_year = fold.year;
    extracted.first_year = first_years[i];
    extracted.actuals = slices[i];
    fold.enriched = Enrich(extracted, horizon);
    fold.forecast =
        FitModel(fold.enriched, params)->Predict(fold.enriched.targets, fold.enriched.known);
  });
  if (cache != nullptr) {
    for (const std::size_t i : missing) cache->Add(std::move(slices[i]), folds[i]);
  }
  return folds;
}

BacktestResiduals FoldResiduals(const std::vector<BacktestFold>& folds, int from_year) {
  BacktestResiduals out;
  for (const BacktestFold& fold : folds) {
    if (fold.year < from_year) continue;
    const Forecast& forecast = fold.forecast;
    const std::vector<double>& actuals = fold.enriched.targets.load;
    const std::size_t before = out.log_residuals.size();
    for (std::size_t i = 0; i < forecast.size() && i < actuals.size(); ++i) {
      const double actual = actuals[i];
      const double predicted = forecast.mean[i];
      if (!(actual > 0.0) || !(predicted > 0.0) || !std::isfinite(actual) ||
          !std::isfinite(predicted)) {
        continue;
      }
      out.dates.push_back(forecast.dates[i]);
      out.log_residuals.push_back(std::log(actual / predicted));
    }
    if (out.log_residuals.size() > before) out.years.push_back(fold.year);
  }
  return out;
}

BacktestResiduals BacktestYearsBefore(const TimeSeries& history, const ModelSpec& params,
                                      Horizon horizon, int target_year) {
  if (params.common.calibration_years <= 0) return {};
  return FoldResiduals(
      BacktestFolds(history, params, horizon, target_year, params.common.calibration_years),
      target_year - params.common.calibration_years);
}

std::optional<IntervalCalibration> CalibrateIntervals(const TimeSeries& history,
                                                      const ModelSpec& params, Horizon horizon,
                                                      int target_year) {
  if (params.common.calibration_years <= 0 || history.empty()) return std::nullopt;
  return CalibrateFromResiduals(BacktestYearsBefore(history, params, horizon, target_year), params,
                                horizon, target_year);
}

std::optional<IntervalCalibration> CalibrateFromResiduals(BacktestResiduals backtest,
                                                          const ModelSpec& params, Horizon horizon,
                                                          int target_year) {
  if (params.common.calibration_years <= 0) return std::nullopt;
  const std::vector<Date>& dates = backtest.dates;
  const std::vector<double>& residuals = backtest.log_residuals;
  std::vector<int>& years = backtest.years;
  if (residuals.empty()) {
    spdlog::info("no year before {} can be backtested: keeping the model's own {} intervals",
                 target_year, HorizonName(horizon));
    return std::nullopt;
  }
  IntervalCalibration calibration =
      CalibrationFromResiduals(dates, residuals, params.common.interval_coverage, std::move(years));
  spdlog::debug("calibrated {} intervals for {} from {} residuals of {} years",
                HorizonName(horizon), target_year, calibration.residuals, calibration.years.size());
  return calibration;
}

void ApplyCalibration(const IntervalCalibration& calibration, Forecast& forecast) {
  forecast.lower.resize(forecast.size());
  forecast.upper.resize(forecast.size());
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const LogBounds& b = calibration.bounds(DayTypeOf(DescribeDay(forecast.dates[i])));
    forecast.lower[i] = forecast.mean[i] * std::exp(b.lower);
    forecast.upper[i] = forecast.mean[i] * std::exp(b.upper);
  }
}

nlohmann::json CalibrationToJson(const IntervalCalibration& calibration) {
  nlohmann::json groups = nlohmann::json::object();
  for (DayType type : kDayTypes) {
    groups[std::string(DayTypeName(type))] = BoundsToJson(calibration.bounds(type));
  }
  return {{"method", "backtest_log_residual_quantiles"},
          {"coverage", calibration.coverage},
          {"years", calibration.years},
          {"residuals", calibration.residuals},
          {"all", BoundsToJson(calibration.all)},
          {"groups", groups}};
}

IntervalCalibration CalibrationFromJson(const nlohmann::json& json) {
  try {
    IntervalCalibration out;
    out.coverage = json.at("coverage").get<double>();
    out.years = json.at("years").get<std::vector<int>>();
    out.residuals = json.at("residuals").get<std::size_t>();
    out.all = BoundsFromJson(json.at("all"));
    const nlohmann::json& groups = json.at("groups");
    for (DayType type : kDayTypes) {
      out.groups[static_cast<std::size_t>(type)] =
          BoundsFromJson(groups.at(std::string(DayTypeName(type))));
    }
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(fmt::format("model artifact: malformed intervals: {}", e.what()));
  }
}

}  // namespace loadcast
