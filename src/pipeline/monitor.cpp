#include "pipeline/monitor.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/calendar.hpp"
#include "core/frame.hpp"
#include "model/calendar_regression.hpp"
#include "model/quantile.hpp"

namespace loadcast {
namespace {

constexpr int kSunday = 6;
// A month of backtest or actuals counts when at least this many of its days are known.
constexpr int kMinMonthDays = 20;

/// The same month and day in another year (29 February becomes the 28th).
Date SameDayIn(Date date, int year) {
  const YearMonthDay ymd = ToYmd(date);
  const int day = Date::IsValidYmd(year, ymd.month, ymd.day) ? ymd.day : ymd.day - 1;
  return Date::FromYmd(year, ymd.month, day);
}

double AbsolutePercentError(double forecast, double actual) {
  return 100.0 * std::abs(forecast - actual) / actual;
}

WindowStatus Classify(double value, double warning, double critical) {
  if (value > critical) return WindowStatus::kCritical;
  if (value > warning) return WindowStatus::kWarning;
  return WindowStatus::kPass;
}

double Mean(const std::vector<double>& values, std::size_t from, std::size_t to) {
  double sum = 0.0;
  for (std::size_t i = from; i < to; ++i) sum += values[i];
  return sum / static_cast<double>(to - from);
}

}  // namespace

WindowStatus ClassifyMeanShift(double shift_percent, const MonitorSettings& settings) {
  const double shift = std::abs(shift_percent);
  if (shift >= settings.drift_shift_critical) return WindowStatus::kCritical;
  if (shift >= settings.drift_shift_warning) return WindowStatus::kWarning;
  return WindowStatus::kPass;
}

LevelDrift MeasureLevelDrift(double level_shift, Date target_from, int level_days,
                             const MonitorSettings& settings) {
  LevelDrift drift;
  drift.start = target_from - level_days;
  drift.end = target_from - 1;
  drift.shift_percent = std::expm1(level_shift) * 100.0;
  drift.status = ClassifyMeanShift(drift.shift_percent, settings);
  drift.reason = fmt::format("the last {} training days ran {:+.1f}% from the calendar fit",
                             level_days, drift.shift_percent);
  if (drift.status != WindowStatus::kPass) {
    drift.threshold = drift.status == WindowStatus::kCritical ? settings.drift_shift_critical
                                                              : settings.drift_shift_warning;
  }
  return drift;
}

DriftReport MeasureDrift(const TimeSeries& actuals, int target_year, Date as_of,
                         const ModelSpec& params, const MonitorSettings& settings) {
  DriftReport report;
  if (actuals.empty()) return report;
  const Date year_start = Date::FromYmd(target_year, 1, 1);
  const int first_year =
      std::max(target_year - params.common.training_years, actuals.start().year());
  if (first_year >= target_year) return report;
  for (int y = first_year; y < target_year; ++y) report.reference_years.push_back(y);

  CalendarRegression model(params.common, CalendarParamsOf(params));
  model.Fit(BuildFrame(actuals, Date::FromYmd(first_year, 1, 1), year_start));
  // Log load over the model's expectation: in-sample in the reference years (each at its own
  // level), out of sample in the target year (at the level the forecast starts from).
  auto deviation = [&](Date d) {
    const double load = actuals.at(d);
    if (!(load > 0.0)) return std::nan("");
    return std::log(load) - model.LogExpectation(DescribeDay(d));
  };

  const int window = settings.drift_window_days;
  const Date last_end = as_of - (as_of.weekday() - kSunday + 7) % 7;
  std::vector<DriftWindow> windows;
  for (Date end = last_end; end - (window - 1) >= year_start;
       end = end - settings.drift_step_days) {
    const Date start = end - (window - 1);
    std::vector<double> current;
    for (Date d = start; d <= end; ++d) {
      if (const double e = deviation(d); !std::isnan(e)) current.push_back(e);
    }
    if (static_cast<int>(current.size()) * 2 < window) continue;
    std::vector<double> reference;
    for (int y : report.reference_years) {
      const Date from = SameDayIn(start, y);
      const Date to = std::min(from + (end - start), Date::FromYmd(y, 12, 31));
      for (Date d = from; d <= to; ++d) {
        if (const double e = deviation(d); !std::isnan(e)) reference.push_back(e);
      }
    }
    if (reference.size() < current.size()) continue;

    DriftWindow w{start,
                  end,
                  CompareDistributions(reference, current),
                  NormalisedWasserstein(reference, current),
                  WindowStatus::kPass,
                  "",
                  "",
                  0.0,
                  0.0};
    const DriftStatistics& s = w.statistics;
    if (s.ks_p_value < settings.drift_p_value) {
      const double shift = std::abs(s.mean_shift_percent);
      std::vector<std::string> crossed;
      if (shift >= settings.drift_shift_warning) {
        crossed.push_back(fmt::format("mean shift {:+.1f}% beyond {:.1f}%", s.mean_shift_percent,
                                      shift >= settings.drift_shift_critical
                                          ? settings.drift_shift_critical
                                          : settings.drift_shift_warning));
      }
      if (s.psi >= settings.drift_psi_warning) {
        crossed.push_back(
            fmt::format("PSI {:.2f} beyond {:.2f}", s.psi, settings.drift_psi_warning));
      }
      if (w.wasserstein_normalised >= settings.drift_wasserstein_warning) {
        crossed.push_back(fmt::format("Wasserstein {:.2f} beyond {:.2f}", w.wasserstein_normalised,
                                      settings.drift_wasserstein_warning));
      }
      if (!crossed.empty()) {
        // A significant window that crossed a limit drifts at least to a warning; how far its
        // mean shifted decides whether it is critical.
        w.status =
            std::max(ClassifyMeanShift(s.mean_shift_percent, settings), WindowStatus::kWarning);
        w.reason = fmt::format("KS p-value {:.2g} below {:.2g}; {}", s.ks_p_value,
                               settings.drift_p_value, fmt::join(crossed, "; "));
        if (w.status == WindowStatus::kCritical || shift >= settings.drift_shift_warning) {
          w.statistic = "mean_shift";
          w.statistic_value = s.mean_shift_percent;
          w.statistic_threshold = w.status == WindowStatus::kCritical
                                      ? settings.drift_shift_critical
                                      : settings.drift_shift_warning;
        } else if (s.psi >= settings.drift_psi_warning) {
          w.statistic = "psi";
          w.statistic_value = s.psi;
          w.statistic_threshold = settings.drift_psi_warning;
        } else {
          w.statistic = "wasserstein";
          w.statistic_value = w.wasserstein_normalised;
          w.statistic_threshold = settings.drift_wasserstein_warning;
        }
      }
    }
    windows.push_back(std::move(w));
  }
  report.windows.assign(windows.rbegin(), windows.rend());
  if (!report.windows.empty()) {
    std::size_t drifting = 0;
    for (const DriftWindow& w : report.windows) drifting += w.status != WindowStatus::kPass;
    report.drift_share = static_cast<double>(drifting) / static_cast<double>(report.windows.size());
  }
  return report;
}

std::optional<ErrorThresholds> DeriveErrorThresholds(const BacktestResiduals& backtest,
                                                     const MonitorSettings& settings) {
  const std::size_t n = backtest.dates.size();
  std::vector<double> ape(n);
  for (std::size_t i = 0; i < n; ++i) {
    ape[i] = 100.0 * std::abs(std::exp(-backtest.log_residuals[i]) - 1.0);
  }
  const auto window = static_cast<std::size_t>(settings.performance_window_days);
  std::vector<double> rolling;
  for (std::size_t end = window; end <= n; ++end) {
    // Only runs of consecutive days of one backtested year.
    const std::size_t start = end - window;
    if (backtest.dates[end - 1] - backtest.dates[start] != static_cast<int>(window) - 1) continue;
    if (backtest.dates[end - 1].year() != backtest.dates[start].year()) continue;
    rolling.push_back(Mean(ape, start, end));
  }
  std::map<std::pair<int, int>, std::vector<double>> months;
  for (std::size_t i = 0; i < n; ++i) {
    const YearMonthDay ymd = ToYmd(backtest.dates[i]);
    months[{ymd.year, ymd.month}].push_back(ape[i]);
  }
  std::vector<double> monthly;
  for (const auto& [month, values] : months) {
    if (static_cast<int>(values.size()) >= kMinMonthDays) {
      monthly.push_back(Mean(values, 0, values.size()));
    }
  }
  if (rolling.empty() || monthly.empty()) return std::nullopt;
  ErrorThresholds t;
  t.rolling_warning = Quantile(rolling, settings.performance_quantile);
  t.rolling_critical = settings.performance_critical_factor * t.rolling_warning;
  t.monthly_warning = Quantile(monthly, settings.performance_quantile);
  t.monthly_critical = settings.performance_critical_factor * t.monthly_warning;
  t.years = backtest.years;
  return t;
}

std::vector<PerformanceWindow> MeasurePerformance(const std::vector<Date>& dates,
                                                  const std::vector<double>& forecast,
                                                  const TimeSeries& actuals, Date as_of,
                                                  const ErrorThresholds& thresholds,
                                                  const MonitorSettings& settings) {
  std::map<Date, double> ape;
  for (std::size_t i = 0; i < dates.size() && i < forecast.size(); ++i) {
    const double actual = actuals.at(dates[i]);
    if (dates[i] > as_of || !(actual > 0.0) || !(forecast[i] > 0.0)) continue;
    ape[dates[i]] = AbsolutePercentError(forecast[i], actual);
  }
  std::vector<PerformanceWindow> out;
  const int window = settings.performance_window_days;
  for (const auto& [end, unused] : ape) {
    const Date start = end - (window - 1);
    double sum = 0.0;
    int days = 0;
    for (Date d = start; d <= end; ++d) {
      const auto it = ape.find(d);
      if (it == ape.end()) break;
      sum += it->second;
      ++days;
    }
    if (days < window) continue;
    const double mape = sum / days;
    out.push_back({"rolling", start, end, days, mape, thresholds.rolling_warning,
                   thresholds.rolling_critical,
                   Classify(mape, thresholds.rolling_warning, thresholds.rolling_critical)});
  }
  std::map<std::pair<int, int>, std::vector<double>> months;
  for (const auto& [date, value] : ape) {
    const YearMonthDay ymd = ToYmd(date);
    months[{ymd.year, ymd.month}].push_back(value);
  }
  for (const auto& [month, values] : months) {
    const Date start = Date::FromYmd(month.first, month.second, 1);
    const Date end = (month.second == 12 ? Date::FromYmd(month.first + 1, 1, 1)
                                         : Date::FromYmd(month.first, month.second + 1, 1)) -
                     1;
    if (end > as_of || static_cast<int>(values.size()) < kMinMonthDays) continue;
    const double mape = Mean(values, 0, values.size());
    out.push_back({"month", start, end, static_cast<int>(values.size()), mape,
                   thresholds.monthly_warning, thresholds.monthly_critical,
                   Classify(mape, thresholds.monthly_warning, thresholds.monthly_critical)});
  }
  return out;
}

}  // namespace loadcast
