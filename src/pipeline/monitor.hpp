// The monitor: has the data, or the world, changed since the model was trained? Two views, both
// over the actuals of the target year up to an as-of date:
//   drift:       the load over the calendar model's expectation, window by window, against the
//                same calendar window of the reference (training) years, so that the season and
//                the calendar do not count as drift;
//   performance: the error of the published forecasts, over rolling windows and months, against
//                thresholds taken from the model's own backtested error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/drift_stats.hpp"
#include "core/time_series.hpp"
#include "core/vocabulary.hpp"
#include "pipeline/interval_calibrator.hpp"

namespace loadcast {

struct DriftWindow {
  Date start;
  Date end;  // inclusive
  DriftStatistics statistics;
  double wasserstein_normalised = 0.0;  // Wasserstein distance in reference standard deviations
  WindowStatus status = WindowStatus::kPass;
  std::string reason;  // which thresholds the window crossed
  // The statistic that set the status, when not pass: "mean_shift" (percent; what makes a window
  // critical), else the first of "mean_shift", "psi" and "wasserstein" beyond its warning limit.
  std::string statistic;
  double statistic_value = 0.0;
  double statistic_threshold = 0.0;
};

struct DriftReport {
  std::vector<int> reference_years;
  std::vector<DriftWindow> windows;  // chronological
  double drift_share = 0.0;          // share of windows that drift (warning or critical)
};

/// One window of the performance monitor.
struct PerformanceWindow {
  std::string scope;  // "rolling" or "month"
  Date start;
  Date end;  // inclusive
  int days = 0;
  double mape = 0.0;
  double warning_threshold = 0.0;
  double critical_threshold = 0.0;
  WindowStatus status = WindowStatus::kPass;
};

/// The error thresholds of a model, from the MAPE of its backtests over the calibration years.
struct ErrorThresholds {
  double rolling_warning = 0.0;
  double rolling_critical = 0.0;
  double monthly_warning = 0.0;
  double monthly_critical = 0.0;
  std::vector<int> years;  // the backtested years they come from
};

struct PerformanceReport {
  Horizon horizon = Horizon::kYear;
  bool published = false;  // false: no forecast to monitor
  ErrorThresholds thresholds;
  std::vector<PerformanceWindow> windows;  // rolling windows, then months; chronological
};

/// The severity of a mean shift of the load over its calendar expectation (percent, either way):
/// critical from drift.mean_shift_critical, warning from drift.mean_shift_warning. The one rule
/// for both views of drift: MeasureDrift's windows and a series' level drift.
WindowStatus ClassifyMeanShift(double shift_percent, const MonitorSettings& settings);

/// How far a series' last training days ran from its calendar fit when its forecast was made.
struct LevelDrift {
  Date start;
  Date end;                    // inclusive: the day before the target year
  double shift_percent = 0.0;  // mean of those days over the fit, in percent
  WindowStatus status = WindowStatus::kPass;
  std::optional<double> threshold;  // the limit crossed, when not pass
  std::string reason;               // what was measured and, when not pass, the limit crossed
};

/// The level drift of a fit whose last `level_days` days before `target_from` ran
/// `level_shift` (mean log deviation, as CalendarBatch measures it) from the fit, classified by
/// ClassifyMeanShift. A series run monitors every series with it when it forecasts, before any
/// actual of the target year exists for MeasureDrift.
LevelDrift MeasureLevelDrift(double level_shift, Date target_from, int level_days,
                             const MonitorSettings& settings);

/// Drift of `actuals` (the target year's days from Jan 1 to `as_of`, plus the reference years
/// before it) against the calendar model fitted on the years before `target_year`.
DriftReport MeasureDrift(const TimeSeries& actuals, int target_year, Date as_of,
                         const ModelSpec& params, const MonitorSettings& settings);

/// Thresholds from the backtests of the calibration years before the target.
std::optional<ErrorThresholds> DeriveErrorThresholds(const BacktestResiduals& backtest,
                                                     const MonitorSettings& settings);

/// Rolling and monthly MAPE of a forecast against the actuals up to `as_of`; every window whose
/// days are all known. Months count once complete (their last day on or before `as_of`).
std::vector<PerformanceWindow> MeasurePerformance(const std::vector<Date>& dates,
                                                  const std::vector<double>& forecast,
                                                  const TimeSeries& actuals, Date as_of,
                                                  const ErrorThresholds& thresholds,
                                                  const MonitorSettings& settings);

}  // namespace loadcast
