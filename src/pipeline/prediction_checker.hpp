// Checks a forecast must pass before it is published: one finite, positive value per target day,
// inside a plausible envelope of history, a total near the recent years', the weekly pattern,
// holidays below ordinary days, and a sane interval.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/config.hpp"
#include "model/forecaster.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/target_calendar.hpp"
#include "storage/records.hpp"

namespace loadcast {

/// One check's result with the figure it measured, the limit it compared it with and the days
/// concerned, for the alert a warn or fail raises.
struct CheckOutcome {
  CheckRow row;
  std::optional<double> value;
  std::optional<double> threshold;
  std::optional<Date> first_date;
  std::optional<Date> last_date;
};

/// The complete years before the target at most whose same days annual_total compares with.
inline constexpr int kAnnualTotalYears = 3;

/// What a forecast is checked against, passed in so that the checks read nothing else: the
/// single-series flow takes it from its EnrichedData, a series run from each series' own history
/// and the one calendar of the run. The calendar, the span and the history must outlive the
/// checks.
struct CheckBasis {
  const TargetCalendar& calendar;         // the target year and the days the forecast must cover
  std::span<const double> training_load;  // the loads the model was trained on, NaN where none
  const TimeSeries& history;  // the series' actuals; annual_total reads the years before target
};

/// Every check, in order (status pass, warn or fail; any fail rejects the forecast):
///   one_value_per_day, finite, positive, history_envelope (fail);
///   interval_contains_forecast (warn);
///   annual_total: the forecast's total against the mean total of the same days in the last (up
///     to 3) complete years before the target: warn beyond checks.annual_total_warn, fail beyond
///     checks.annual_total_fail;
///   weekly_pattern: the mean forecast of working days (Monday to Friday, not holidays) at least
///     checks.min_weekday_ratio times that of Sundays (fail); judged on 4 Sundays or more;
///   holidays_lower: each public holiday not on a Sunday below the mean of its neighbours, the
///     same weekday a week before and after that are not holidays themselves (warn);
///   interval_width: the mean relative width (upper - lower) / forecast within
///     [checks.min_interval_width, checks.max_interval_width] (warn).
/// Thread-safe: a series run checks its series side by side.
std::vector<CheckOutcome> RunPredictionChecks(const Forecast& forecast, const CheckBasis& basis,
                                              const Config& config);
/// The checks of a single-series forecast: RunPredictionChecks against its enriched data.
std::vector<CheckOutcome> RunPredictionChecks(const Forecast& forecast,
                                              const EnrichedData& enriched, const Config& config);
/// The rows of RunPredictionChecks.
std::vector<CheckRow> CheckPrediction(const Forecast& forecast, const EnrichedData& enriched,
                                      const Config& config);
/// True when any check failed.
bool AnyFailed(const std::vector<CheckRow>& checks);

/// The alert a warned (warning) or failed (critical) check raises: source "prediction", code
/// "prediction.CHECK", the check's figure, limit and days. The flow adds what it is about
/// (target year, horizon, subject).
AlertRecord CheckAlert(const CheckOutcome& outcome);

}  // namespace loadcast
