#include "pipeline/prediction_checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/calendar.hpp"

namespace loadcast {
namespace {

constexpr std::size_t kMinSundays = 4;  // fewer: the weekly pattern is not judged
constexpr std::size_t kMinWorkdays = 10;

CheckOutcome Result(std::string check, bool ok, std::string detail, bool warn_only = false) {
  CheckOutcome outcome;
  outcome.row = {std::move(check),
                 ok ? CheckStatus::kPass : (warn_only ? CheckStatus::kWarn : CheckStatus::kFail),
                 std::move(detail)};
  return outcome;
}

/// The forecast's span, for checks about all of it.
void SetSpan(CheckOutcome& outcome, const Forecast& forecast) {
  if (forecast.size() == 0) return;
  outcome.first_date = forecast.dates.front();
  outcome.last_date = forecast.dates.back();
}

/// True when every day of [from, to) has a load.
bool Complete(const TimeSeries& series, Date from, Date to) {
  if (from < series.start() || series.end() < to) return false;
  const auto first = series.values().begin() + (from - series.start());
  return std::none_of(first, first + (to - from), [](double v) { return std::isnan(v); });
}

// The checks below that read the forecast's dates take their calendar facts from `calendar`,
// whose days are the forecast's dates.

CheckOutcome CheckAnnualTotal(const Forecast& forecast, const TargetCalendar& calendar,
                              const CheckBasis& basis, const Config& config) {
  // The forecast's days with a finite value, and their mean.
  double sum = 0.0;
  std::size_t days = 0;
  for (double v : forecast.mean) {
    if (!std::isfinite(v)) continue;
    sum += v;
    ++days;
  }
  // The mean load of the same calendar days in each of the last complete years before the target.
  const TimeSeries& history = basis.history;
  std::vector<int> years;
  double reference = 0.0;
  for (int year = calendar.target_year() - 1; days > 0 && year >= history.start().year() &&
                                              static_cast<int>(years.size()) < kAnnualTotalYears;
       --year) {
    const Date first = Date::FromYmd(year, 1, 1);
    const Date next = Date::FromYmd(year + 1, 1, 1);
    if (!Complete(history, first, next)) continue;
    double year_sum = 0.0;
    std::size_t year_days = 0;
    for (std::size_t i = 0; i < forecast.size(); ++i) {
      if (!std::isfinite(forecast.mean[i])) continue;
      // The same month and day in that year; none for 29 February in a common year.
      const int offset = calendar.SameDayOffset(i, year);
      if (offset < 0) continue;
      year_sum += history.at(first + offset);
      ++year_days;
    }
    if (year_days == 0) continue;
    reference += year_sum / static_cast<double>(year_days);
    years.push_back(year);
  }
  if (years.empty()) {
    CheckOutcome outcome =
        Result("annual_total", true,
               fmt::format("no complete year before {} to compare with", calendar.target_year()));
    SetSpan(outcome, forecast);
    return outcome;
  }
  reference /= static_cast<double>(years.size());
  const double mean = sum / static_cast<double>(days);
  const double change = mean / reference - 1.0;
  const double distance = std::abs(change);
  const bool fail = distance > config.annual_total_fail;
  const bool warn = distance > config.annual_total_warn;
  const std::string period = years.size() == 1 ? fmt::format("{}", years.front())
                                               : fmt::format("{}-{}", years.back(), years.front());
  CheckOutcome outcome = Result(
      "annual_total", !warn,
      fmt::format("total {:.2f} TWh over {} days is {:+.1f}% from {:.2f} TWh, the mean of the same "
                  "days in {} (warn beyond {:.0f}%, fail beyond {:.0f}%)",
                  sum / 1e6, days, 100.0 * change, reference * static_cast<double>(days) / 1e6,
                  period, 100.0 * config.annual_total_warn, 100.0 * config.annual_total_fail),
      /*warn_only=*/!fail);
  outcome.value = change;
  outcome.threshold = fail ? config.annual_total_fail : config.annual_total_warn;
  SetSpan(outcome, forecast);
  return outcome;
}

CheckOutcome CheckWeeklyPattern(const Forecast& forecast, const TargetCalendar& calendar,
                                const Config& config) {
  double workday_sum = 0.0;
  double sunday_sum = 0.0;
  std::size_t workdays = 0;
  std::size_t sundays = 0;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const double v = forecast.mean[i];
    if (!std::isfinite(v)) continue;
    const Date d = forecast.dates[i];
    if (d.weekday() == 6) {
      sunday_sum += v;
      ++sundays;
    } else if (d.weekday() < 5 && calendar.holiday(i) == Holiday::kNone) {
      workday_sum += v;
      ++workdays;
    }
  }
  if (sundays < kMinSundays || workdays < kMinWorkdays) {
    CheckOutcome outcome =
        Result("weekly_pattern", true,
               fmt::format("not judged: {} Sundays and {} working days (needs {} and {})", sundays,
                           workdays, kMinSundays, kMinWorkdays));
    SetSpan(outcome, forecast);
    return outcome;
  }
  const double workday_mean = workday_sum / static_cast<double>(workdays);
  const double sunday_mean = sunday_sum / static_cast<double>(sundays);
  const double ratio = sunday_mean > 0.0 ? workday_mean / sunday_mean : 0.0;
  CheckOutcome outcome =
      Result("weekly_pattern", ratio >= config.min_weekday_ratio,
             fmt::format("working days {:.0f} MWh on average, {:.2f} times Sundays' {:.0f} MWh (at "
                         "least {:.2f})",
                         workday_mean, ratio, sunday_mean, config.min_weekday_ratio));
  outcome.value = ratio;
  outcome.threshold = config.min_weekday_ratio;
  SetSpan(outcome, forecast);
  return outcome;
}

CheckOutcome CheckHolidaysLower(const Forecast& forecast, const TargetCalendar& calendar) {
  // The days with a finite forecast, by date (the last of a date given twice): the index of each.
  std::vector<std::pair<Date, std::size_t>> by_date;
  by_date.reserve(forecast.size());
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    if (std::isfinite(forecast.mean[i])) by_date.emplace_back(forecast.dates[i], i);
  }
  const auto earlier = [](const auto& a, const auto& b) { return a.first < b.first; };
  // A forecast's dates are usually in order already.
  if (!std::is_sorted(by_date.begin(), by_date.end(), earlier)) {
    std::stable_sort(by_date.begin(), by_date.end(), earlier);
  }
  std::size_t kept = 0;
  for (std::size_t k = 0; k < by_date.size(); ++k) {
    if (k + 1 < by_date.size() && by_date[k + 1].first == by_date[k].first) continue;
    by_date[kept++] = by_date[k];
  }
  by_date.resize(kept);
  const auto find = [&](Date date) {
    const auto it = std::lower_bound(by_date.begin(), by_date.end(), date,
                                     [](const auto& entry, Date d) { return entry.first < d; });
    return it != by_date.end() && it->first == date ? it : by_date.end();
  };
  std::size_t judged = 0;
  std::vector<std::string> not_lower;
  std::optional<double> worst;
  std::optional<Date> first;
  std::optional<Date> last;
  for (const auto& [date, index] : by_date) {
    const double value = forecast.mean[index];
    const Holiday holiday = calendar.holiday(index);
    // A holiday on a Sunday falls on a day off anyway: in the actuals of 2012-2021 some (Easter,
    // Christmas) lie well below the Sundays around them, others (1 November, 8 December,
    // Ferragosto) within 5% either side, so a forecast there says nothing about the model.
    if (holiday == Holiday::kNone || date.weekday() == 6) continue;
    double sum = 0.0;
    int count = 0;
    for (const Date neighbour : {date - 7, date + 7}) {
      const auto it = find(neighbour);
      if (it == by_date.end() || calendar.holiday(it->second) != Holiday::kNone) continue;
      sum += forecast.mean[it->second];
      ++count;
    }
    if (count == 0) continue;
    ++judged;
    const double ratio = value / (sum / count);
    if (ratio < 1.0) continue;
    not_lower.push_back(fmt::format("{} ({}, {:.2f} times its neighbours)", date.ToIso(),
                                    HolidayName(holiday), ratio));
    worst = worst ? std::max(*worst, ratio) : ratio;
    if (!first) first = date;
    last = date;
  }
  std::string detail;
  if (not_lower.empty()) {
    detail = fmt::format(
        "all {} holidays (not on Sundays) below the mean of the same weekday a "
        "week before and after",
        judged);
  } else {
    detail = fmt::format(
        "{} of {} holidays (not on Sundays) not below the mean of the same "
        "weekday a week before and after:",
        not_lower.size(), judged);
    for (const std::string& h : not_lower) detail += " " + h;
  }
  CheckOutcome outcome = Result("holidays_lower", not_lower.empty(), detail, /*warn_only=*/true);
  if (worst) {
    outcome.value = worst;
    outcome.threshold = 1.0;
    outcome.first_date = first;
    outcome.last_date = last;
  } else {
    SetSpan(outcome, forecast);
  }
  return outcome;
}

CheckOutcome CheckIntervalWidth(const Forecast& forecast, const Config& config) {
  double sum = 0.0;
  std::size_t days = 0;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const double width = (forecast.upper[i] - forecast.lower[i]) / forecast.mean[i];
    if (!std::isfinite(width) || !(forecast.mean[i] > 0.0)) continue;
    sum += width;
    ++days;
  }
  const double mean = days > 0 ? sum / static_cast<double>(days) : 0.0;
  const bool narrow = mean < config.min_interval_width;
  const bool wide = mean > config.max_interval_width;
  CheckOutcome outcome = Result(
      "interval_width", !narrow && !wide,
      fmt::format("mean width {:.1f}% of the forecast (expected {:.1f}% to {:.1f}%)", 100.0 * mean,
                  100.0 * config.min_interval_width, 100.0 * config.max_interval_width),
      /*warn_only=*/true);
  outcome.value = mean;
  outcome.threshold = narrow ? config.min_interval_width : config.max_interval_width;
  SetSpan(outcome, forecast);
  return outcome;
}

}  // namespace

std::vector<CheckOutcome> RunPredictionChecks(const Forecast& forecast, const CheckBasis& basis,
                                              const Config& config) {
  std::vector<CheckOutcome> checks;
  checks.reserve(9);
  const std::vector<Date>& target_days = basis.calendar.days();
  const std::size_t expected = target_days.size();
  const bool dates_match = std::equal(forecast.dates.begin(), forecast.dates.end(),
                                      target_days.begin(), target_days.end());
  checks.push_back(Result("one_value_per_day", dates_match,
                          fmt::format("{} values for {} target days", forecast.size(), expected)));
  checks.back().value = static_cast<double>(forecast.size());
  checks.back().threshold = static_cast<double>(expected);
  SetSpan(checks.back(), forecast);

  std::size_t non_finite = 0;
  std::size_t non_positive = 0;
  std::optional<Date> first_bad;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const double v = forecast.mean[i];
    if (!std::isfinite(v)) {
      ++non_finite;
      if (!first_bad) first_bad = forecast.dates[i];
    } else if (v <= 0.0) {
      ++non_positive;
      if (!first_bad) first_bad = forecast.dates[i];
    }
  }
  checks.push_back(Result("finite", non_finite == 0,
                          non_finite == 0
                              ? "all values finite"
                              : fmt::format("{} values not finite (first on {})", non_finite,
                                            first_bad ? first_bad->ToIso() : std::string())));
  checks.back().value = static_cast<double>(non_finite);
  checks.back().threshold = 0.0;
  SetSpan(checks.back(), forecast);
  checks.push_back(
      Result("positive", non_positive == 0, fmt::format("{} values not positive", non_positive)));
  checks.back().value = static_cast<double>(non_positive);
  checks.back().threshold = 0.0;
  SetSpan(checks.back(), forecast);

  double lo = INFINITY;
  double hi = -INFINITY;
  for (double v : basis.training_load) {
    if (std::isnan(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const double floor = lo * (1.0 - config.envelope_margin);
  const double ceiling = hi * (1.0 + config.envelope_margin);
  std::size_t outside = 0;
  std::string first_outside;
  std::optional<double> first_value;
  std::optional<Date> first_date;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    const double v = forecast.mean[i];
    if (std::isfinite(v) && (v < floor || v > ceiling)) {
      if (outside++ == 0) {
        first_outside = fmt::format("{} on {}", v, forecast.dates[i].ToIso());
        first_value = v;
        first_date = forecast.dates[i];
      }
    }
  }
  checks.push_back(
      Result("history_envelope", outside == 0,
             outside == 0 ? fmt::format("all values within [{:.0f}, {:.0f}] MWh", floor, ceiling)
                          : fmt::format("{} values outside [{:.0f}, {:.0f}] MWh (first: {})",
                                        outside, floor, ceiling, first_outside)));
  if (first_value) {
    checks.back().value = first_value;
    checks.back().threshold = *first_value < floor ? floor : ceiling;
    checks.back().first_date = first_date;
    checks.back().last_date = first_date;
  } else {
    SetSpan(checks.back(), forecast);
  }

  std::size_t bad_interval = 0;
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    if (!(forecast.lower[i] <= forecast.mean[i] && forecast.mean[i] <= forecast.upper[i])) {
      ++bad_interval;
    }
  }
  checks.push_back(
      Result("interval_contains_forecast", bad_interval == 0,
             fmt::format("{} days with the forecast outside its interval", bad_interval),
             /*warn_only=*/true));
  checks.back().value = static_cast<double>(bad_interval);
  checks.back().threshold = 0.0;
  SetSpan(checks.back(), forecast);

  // The calendar of the forecast's own dates: the run's, unless they are not the target days.
  std::optional<TargetCalendar> own;
  if (!dates_match) own.emplace(basis.calendar.target_year(), forecast.dates);
  const TargetCalendar& calendar = own ? *own : basis.calendar;
  checks.push_back(CheckAnnualTotal(forecast, calendar, basis, config));
  checks.push_back(CheckWeeklyPattern(forecast, calendar, config));
  checks.push_back(CheckHolidaysLower(forecast, calendar));
  checks.push_back(CheckIntervalWidth(forecast, config));
  return checks;
}

std::vector<CheckOutcome> RunPredictionChecks(const Forecast& forecast,
                                              const EnrichedData& enriched, const Config& config) {
  std::vector<Date> days;
  days.reserve(enriched.targets.size());
  for (const CalendarDay& day : enriched.targets.days) days.push_back(day.date);
  const TargetCalendar calendar(enriched.target_year, days);
  return RunPredictionChecks(
      forecast, CheckBasis{calendar, enriched.training.load, enriched.history}, config);
}

std::vector<CheckRow> CheckPrediction(const Forecast& forecast, const EnrichedData& enriched,
                                      const Config& config) {
  std::vector<CheckRow> rows;
  for (CheckOutcome& outcome : RunPredictionChecks(forecast, enriched, config)) {
    rows.push_back(std::move(outcome.row));
  }
  return rows;
}

bool AnyFailed(const std::vector<CheckRow>& checks) {
  return std::any_of(checks.begin(), checks.end(),
                     [](const CheckRow& c) { return c.status == CheckStatus::kFail; });
}

AlertRecord CheckAlert(const CheckOutcome& outcome) {
  AlertRecord alert;
  alert.severity =
      outcome.row.status == CheckStatus::kFail ? AlertSeverity::kCritical : AlertSeverity::kWarning;
  alert.source = AlertSource::kPrediction;
  alert.code = "prediction." + outcome.row.check;
  alert.message = fmt::format("{}: {}", outcome.row.check, outcome.row.detail);
  alert.period_start = outcome.first_date;
  alert.period_end = outcome.last_date;
  alert.value = outcome.value;
  alert.threshold = outcome.threshold;
  return alert;
}

}  // namespace loadcast
