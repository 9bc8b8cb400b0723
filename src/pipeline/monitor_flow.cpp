#include "pipeline/monitor_flow.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/errors.hpp"
#include "model/kinds.hpp"
#include "pipeline/extractor.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {
namespace {

constexpr Horizon kHorizons[] = {Horizon::kYear, Horizon::kDay};

AlertSeverity Severity(WindowStatus status) {
  return status == WindowStatus::kCritical ? AlertSeverity::kCritical : AlertSeverity::kWarning;
}

AlertRecord DriftAlert(const DriftWindow& w, int target_year, const MonitorSettings& settings,
                       const std::vector<int>& reference_years) {
  const DriftStatistics& s = w.statistics;
  AlertRecord a;
  a.severity = Severity(w.status);
  a.source = AlertSource::kDrift;
  a.code = "drift.window";
  a.target_year = target_year;
  a.period_start = w.start;
  a.period_end = w.end;
  a.subject = fmt::format("load over calendar expectation, reference {}-{}",
                          reference_years.front(), reference_years.back());
  a.value = s.mean_shift_percent;
  a.threshold = w.status == WindowStatus::kCritical ? settings.drift_shift_critical
                                                    : settings.drift_shift_warning;
  a.message = fmt::format(
      "load of {} to {} drifted from the same weeks of {}-{}: mean shift {:+.1f}%, PSI {:.2f}, "
      "KS D {:.2f} (p {:.2g}), Wasserstein {:.2f} sd ({})",
      w.start, w.end, reference_years.front(), reference_years.back(), s.mean_shift_percent, s.psi,
      s.ks_statistic, s.ks_p_value, w.wasserstein_normalised, w.reason);
  return a;
}

AlertRecord PerformanceAlert(const PerformanceWindow& w, WindowStatus level, int target_year,
                             Horizon horizon) {
  AlertRecord a;
  a.severity = Severity(level);
  a.source = AlertSource::kPerformance;
  a.code = w.scope == "month" ? "performance.monthly_mape" : "performance.rolling_mape";
  a.target_year = target_year;
  a.horizon = horizon;
  a.period_start = w.start;
  a.period_end = w.end;
  a.value = w.mape;
  a.threshold = level == WindowStatus::kCritical ? w.critical_threshold : w.warning_threshold;
  a.message = fmt::format(
      "{} forecast of {}: MAPE {:.2f}% over {} to {} ({} days), above the {} threshold {:.2f}% "
      "(backtested error of the model)",
      HorizonName(horizon), target_year, w.mape, w.start, w.end, w.days, Severity(level),
      *a.threshold);
  return a;
}

/// One alert per breach of the rolling windows: a run of consecutive windows above the warning
/// threshold raises a warning for its first window and, if it gets there, a critical alert for
/// the first window above the critical threshold. Months alert one by one.
std::vector<AlertRecord> PerformanceAlerts(const PerformanceReport& report, int target_year) {
  std::vector<AlertRecord> out;
  std::optional<Date> previous_end;
  bool warned = false;
  bool critical = false;
  for (const PerformanceWindow& w : report.windows) {
    if (w.scope != "rolling") {
      if (w.status != WindowStatus::kPass) {
        out.push_back(PerformanceAlert(w, w.status, target_year, report.horizon));
      }
      continue;
    }
    const bool continues = previous_end && w.end - *previous_end == 1;
    previous_end = w.end;
    if (w.status == WindowStatus::kPass || !continues) warned = critical = false;
    if (w.status == WindowStatus::kPass) continue;
    if (!warned) {
      out.push_back(PerformanceAlert(w, WindowStatus::kWarning, target_year, report.horizon));
      warned = true;
    }
    if (w.status == WindowStatus::kCritical && !critical) {
      out.push_back(PerformanceAlert(w, WindowStatus::kCritical, target_year, report.horizon));
      critical = true;
    }
  }
  return out;
}

}  // namespace

std::vector<MonitorWindowRow> MonitorWindowRows(const MonitorResult& result) {
  std::vector<MonitorWindowRow> rows;
  for (const DriftWindow& w : result.drift.windows) {
    MonitorWindowRow row;
    row.kind = "drift";
    row.start = w.start;
    row.end = w.end;
    row.days = static_cast<int>(w.statistics.current_size);
    row.value = w.statistics.mean_shift_percent;
    row.psi = w.statistics.psi;
    row.ks = w.statistics.ks_statistic;
    row.ks_p_value = w.statistics.ks_p_value;
    row.wasserstein = w.wasserstein_normalised;
    row.status = w.status;
    row.reason = w.reason;
    rows.push_back(std::move(row));
  }
  for (const PerformanceReport& report : result.performance) {
    for (const PerformanceWindow& w : report.windows) {
      MonitorWindowRow row;
      row.kind = w.scope;
      row.horizon = report.horizon;
      row.start = w.start;
      row.end = w.end;
      row.days = w.days;
      row.value = w.mape;
      row.warning_threshold = w.warning_threshold;
      row.critical_threshold = w.critical_threshold;
      row.status = w.status;
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

MonitorResult MonitorFlow(DataController& data, const Config& config, int target_year,
                          std::optional<Date> as_of, std::optional<Horizon> horizon) {
  if (as_of && as_of->year() != target_year) {
    throw UsageError(fmt::format("monitor: --as-of {} is not in the target year {}", as_of->ToIso(),
                                 target_year));
  }
  MonitorResult result;
  result.target_year = target_year;
  const MonitorSettings& settings = config.monitor;
  ExecuteRun(data, config, "monitor", target_year, horizon, [&](Run& run) {
    result.run_id = run.id();
    const Validator validator(config, Date::Today());
    const ModelSpec year_spec = ModelSpecOf(config, Horizon::kYear);
    const ModelSpec day_spec = ModelSpecOf(config, Horizon::kDay);
    const int extra_years =
        std::max(year_spec.common.calibration_years, day_spec.common.calibration_years);
    const int training_years =
        std::max(year_spec.common.training_years, day_spec.common.training_years);
    ExtractedData extracted = run.Step("extract", [&] {
      return Extractor(run.data(), validator).Extract(target_year, training_years, extra_years);
    });
    // Nothing after as-of exists for the monitor.
    const TimeSeries& all = extracted.actuals;
    const Date year_start = Date::FromYmd(target_year, 1, 1);
    const TimeSeries in_year = all.slice(year_start, Date::FromYmd(target_year + 1, 1, 1));
    if (!as_of) as_of = in_year.last_known();
    result.as_of = as_of;
    if (!as_of) {
      spdlog::info("monitor: no actuals of {} yet, nothing to monitor", target_year);
      return;
    }
    const TimeSeries actuals = all.slice(all.start(), *as_of + 1);
    run.Step("validate", [&] {
      validator.ValidateSeries(actuals, fmt::format("actuals up to {}", as_of->ToIso()));
    });
    result.drift = run.Step(
        "drift", [&] { return MeasureDrift(actuals, target_year, *as_of, year_spec, settings); });
    run.Step("performance", [&] {
      for (Horizon h : kHorizons) {
        if (horizon && *horizon != h) continue;
        PerformanceReport report;
        report.horizon = h;
        const auto published = run.data().forecasts().Current(target_year, h, 0);
        report.published = published.has_value();
        if (published) {
          const BacktestResiduals backtest = BacktestYearsBefore(
              actuals.slice(actuals.start(), year_start), ModelSpecOf(config, h), h, target_year);
          if (const auto thresholds = DeriveErrorThresholds(backtest, settings)) {
            report.thresholds = *thresholds;
            std::vector<Date> dates;
            std::vector<double> forecast;
            for (const ForecastRow& row : published->rows) {
              dates.push_back(row.date);
              forecast.push_back(row.forecast);
            }
            report.windows =
                MeasurePerformance(dates, forecast, actuals, *as_of, *thresholds, settings);
          } else {
            spdlog::warn("monitor: no backtest before {} to set {} error thresholds", target_year,
                         HorizonName(h));
          }
        }
        result.performance.push_back(std::move(report));
      }
    });
    run.Step("alert", [&] {
      std::vector<AlertRecord> alerts;
      for (const DriftWindow& w : result.drift.windows) {
        if (w.status != WindowStatus::kPass) {
          alerts.push_back(DriftAlert(w, target_year, settings, result.drift.reference_years));
        }
      }
      if (!result.drift.windows.empty() &&
          result.drift.drift_share >= settings.drift_share_warning &&
          result.drift.drift_share > 0.0) {
        AlertRecord a;
        a.severity = AlertSeverity::kWarning;
        a.source = AlertSource::kDrift;
        a.code = "drift.share";
        a.target_year = target_year;
        a.period_start = result.drift.windows.front().start;
        a.period_end = result.drift.windows.back().end;
        a.value = result.drift.drift_share;
        a.threshold = settings.drift_share_warning;
        a.message =
            fmt::format("{:.0f}% of the drift windows of {} to {} drift (threshold {:.0f}%)",
                        100.0 * result.drift.drift_share, *a.period_start, *a.period_end,
                        100.0 * settings.drift_share_warning);
        alerts.push_back(std::move(a));
      }
      for (const PerformanceReport& report : result.performance) {
        for (AlertRecord& a : PerformanceAlerts(report, target_year))
          alerts.push_back(std::move(a));
      }
      for (AlertRecord& a : alerts) {
        if (run.Raise(a)) ++result.new_alerts;
        result.alerts.push_back(std::move(a));
      }
    });
    run.Step("save", [&] {
      run.data().monitor().Save(run.id(), *as_of, MonitorWindowRows(result));
    });
    result.timings = run.timings();
  });
  return result;
}

}  // namespace loadcast
