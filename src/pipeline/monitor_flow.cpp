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

/// An episode: a run of consecutive breaching windows of one kind, as indices into its windows
/// (chronological), with the worst of them and the first window after it (none: it goes on).
struct Episode {
  std::size_t first = 0;
  std::size_t last = 0;
  std::size_t worst = 0;
  std::optional<std::size_t> after;
};

/// The episodes of `windows`: an episode opens on a window whose status is not pass and goes on
/// through every such window until windows have passed for `quiet_days` (from the end of its
/// last breaching window to the end of a passing one), so that a threshold crossed back and
/// forth is one episode. The worst window of an episode is the one of highest status, then
/// furthest beyond its threshold (`beyond`).
template <typename W, typename Beyond>
std::vector<Episode> FindEpisodes(const std::vector<const W*>& windows, int quiet_days,
                                  Beyond beyond) {
  std::vector<Episode> out;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    const W& w = *windows[i];
    if (w.status == WindowStatus::kPass) {
      if (!out.empty() && !out.back().after &&
          w.end - windows[out.back().last]->end >= quiet_days) {
        out.back().after = i;
      }
      continue;
    }
    if (out.empty() || out.back().after) out.push_back({i, i, i, std::nullopt});
    Episode& e = out.back();
    e.last = i;
    const W& worst = *windows[e.worst];
    if (w.status > worst.status || (w.status == worst.status && beyond(w) > beyond(worst))) {
      e.worst = i;
    }
  }
  return out;
}

/// An episode's alert as far as its windows say: severity of the worst, period from the first
/// window's start to the last one's end, open or closed (on the end of the window after it).
template <typename W>
AlertRecord EpisodeAlert(const std::vector<const W*>& windows, const Episode& e) {
  AlertRecord a;
  a.severity = Severity(windows[e.worst]->status);
  a.period_start = windows[e.first]->start;
  a.period_end = windows[e.last]->end;
  a.episode = e.after ? AlertEpisode::kClosed : AlertEpisode::kOpen;
  if (e.after) a.closed_on = windows[*e.after]->end;
  return a;
}

/// The end of an episode's message: whether it goes on, or since when it is over.
std::string EpisodeEnd(const std::optional<Date>& closed_on, Date as_of) {
  return closed_on ? fmt::format("over: windows passed until {}", *closed_on)
                   : fmt::format("still on as of {}", as_of);
}

std::string StatisticText(const DriftWindow& w) {
  if (w.statistic == "mean_shift") return fmt::format("mean shift {:+.2f}%", w.statistic_value);
  if (w.statistic == "psi") return fmt::format("PSI {:.2f}", w.statistic_value);
  return fmt::format("Wasserstein {:.2f} sd", w.statistic_value);
}

/// One alert per drift episode: from its first window to its latest, with its worst window's
/// statistic, value and threshold.
std::vector<AlertRecord> DriftAlerts(const DriftReport& report, int target_year, Date as_of,
                                     int quiet_days) {
  std::vector<const DriftWindow*> windows;
  for (const DriftWindow& w : report.windows) windows.push_back(&w);
  const auto beyond = [](const DriftWindow& w) {
    return w.statistic_threshold > 0.0 ? std::abs(w.statistic_value) / w.statistic_threshold : 0.0;
  };
  std::vector<AlertRecord> out;
  for (const Episode& e : FindEpisodes(windows, quiet_days, beyond)) {
    const DriftWindow& first = *windows[e.first];
    const DriftWindow& last = *windows[e.last];
    const DriftWindow& worst = *windows[e.worst];
    const DriftStatistics& s = worst.statistics;
    AlertRecord a = EpisodeAlert(windows, e);
    a.source = AlertSource::kDrift;
    a.code = "drift.window";
    a.target_year = target_year;
    a.subject = fmt::format("load over calendar expectation, reference {}-{}",
                            report.reference_years.front(), report.reference_years.back());
    a.statistic = worst.statistic;
    a.value = worst.statistic_value;
    a.threshold = worst.statistic_threshold;
    a.message = fmt::format(
        "load of {} to {} drifted from the same weeks of {}-{} ({} window{}): worst {} to {}, "
        "{} beyond {:.2f} (mean shift {:+.1f}%, PSI {:.2f}, KS D {:.2f} (p {:.2g}), "
        "Wasserstein {:.2f} sd); {}",
        first.start, last.end, report.reference_years.front(), report.reference_years.back(),
        e.last - e.first + 1, e.last == e.first ? "" : "s", worst.start, worst.end,
        StatisticText(worst), worst.statistic_threshold, s.mean_shift_percent, s.psi,
        s.ks_statistic, s.ks_p_value, worst.wasserstein_normalised, EpisodeEnd(a.closed_on, as_of));
    out.push_back(std::move(a));
  }
  return out;
}

/// One alert per episode of the rolling windows and one per episode of the months: from the
/// first window above the warning threshold to the latest, with the worst MAPE.
std::vector<AlertRecord> PerformanceAlerts(const PerformanceReport& report, int target_year,
                                           Date as_of, int quiet_days) {
  std::vector<AlertRecord> out;
  for (const char* scope : {"rolling", "month"}) {
    std::vector<const PerformanceWindow*> windows;
    for (const PerformanceWindow& w : report.windows) {
      if (w.scope == scope) windows.push_back(&w);
    }
    const auto beyond = [](const PerformanceWindow& w) { return w.mape - w.warning_threshold; };
    for (const Episode& e : FindEpisodes(windows, quiet_days, beyond)) {
      const PerformanceWindow& first = *windows[e.first];
      const PerformanceWindow& last = *windows[e.last];
      const PerformanceWindow& worst = *windows[e.worst];
      AlertRecord a = EpisodeAlert(windows, e);
      a.source = AlertSource::kPerformance;
      a.code = worst.scope == "month" ? "performance.monthly_mape" : "performance.rolling_mape";
      a.target_year = target_year;
      a.horizon = report.horizon;
      a.statistic = "mape";
      a.value = worst.mape;
      a.threshold = worst.status == WindowStatus::kCritical ? worst.critical_threshold
                                                            : worst.warning_threshold;
      a.message = fmt::format(
          "{} forecast of {}: MAPE above its threshold from {} to {} ({} {}{}): worst {:.2f}% "
          "over {} to {} ({} days), above the {} threshold {:.2f}% (backtested error of the "
          "model); {}",
          HorizonName(report.horizon), target_year, first.start, last.end, e.last - e.first + 1,
          worst.scope == "month" ? "month" : "rolling window", e.last == e.first ? "" : "s",
          worst.mape, worst.start, worst.end, worst.days, Severity(worst.status), *a.threshold,
          EpisodeEnd(a.closed_on, as_of));
      out.push_back(std::move(a));
    }
  }
  return out;
}

/// The drift.share episode of a year: open while the share of drifting windows is at or above
/// its threshold. Below it, the open one on record (if any) is closed.
std::optional<AlertRecord> DriftShareAlert(DataController& data, const DriftReport& report,
                                           int target_year, Date as_of,
                                           const MonitorSettings& settings) {
  if (report.windows.empty()) return std::nullopt;
  AlertRecord a;
  a.severity = AlertSeverity::kWarning;
  a.source = AlertSource::kDrift;
  a.code = "drift.share";
  a.target_year = target_year;
  a.period_start = report.windows.front().start;
  a.period_end = report.windows.back().end;
  a.statistic = "drift_share";
  a.value = report.drift_share;
  a.threshold = settings.drift_share_warning;
  const bool above = report.drift_share >= settings.drift_share_warning && report.drift_share > 0;
  a.episode = above ? AlertEpisode::kOpen : AlertEpisode::kClosed;
  if (!above) {
    AlertFilter open;
    open.target_year = target_year;
    open.sources = {AlertSource::kDrift};
    open.episode = AlertEpisode::kOpen;
    open.limit = 1000;
    const auto stored = data.alerts().List(open);
    if (std::none_of(stored.begin(), stored.end(), [&](const AlertRecord& s) {
          return s.code == a.code && s.period_start == a.period_start;
        })) {
      return std::nullopt;
    }
    a.closed_on = report.windows.back().end;
  }
  a.message = fmt::format("{:.0f}% of the drift windows of {} to {} drift (threshold {:.0f}%); {}",
                          100.0 * report.drift_share, *a.period_start, *a.period_end,
                          100.0 * settings.drift_share_warning, EpisodeEnd(a.closed_on, as_of));
  return a;
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
      std::vector<AlertRecord> alerts =
          DriftAlerts(result.drift, target_year, *as_of, settings.episode_quiet_days);
      if (auto share = DriftShareAlert(run.data(), result.drift, target_year, *as_of, settings)) {
        alerts.push_back(std::move(*share));
      }
      for (const PerformanceReport& report : result.performance) {
        for (AlertRecord& a :
             PerformanceAlerts(report, target_year, *as_of, settings.episode_quiet_days)) {
          alerts.push_back(std::move(a));
        }
      }
      for (AlertRecord& a : alerts) {
        const EpisodeWrite write = run.Track(a);
        a.id = write.id;
        result.new_alerts += write.opened;
        result.updated_alerts += write.updated;
        result.alerts.push_back(std::move(a));
      }
    });
    run.Step("save",
             [&] { run.data().monitor().Save(run.id(), *as_of, MonitorWindowRows(result)); });
    result.timings = run.timings();
  });
  return result;
}

}  // namespace loadcast
