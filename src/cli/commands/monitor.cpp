#include <fmt/format.h>

#include <map>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "core/errors.hpp"
#include "core/printable.hpp"
#include "pipeline/monitor_flow.hpp"
#include "storage/alerts.hpp"
#include "storage/record_json.hpp"

namespace loadcast::cli {
namespace {

// Every alert of a target year: a monitor run raises a few per window at most.
constexpr int kAllAlerts = 1'000'000;

/// The alerts the run raised as the database holds them (with id, time and fingerprint); one
/// that was already on record shows the run that first raised it. An episode shows what this
/// run saw of it (its windows up to the as-of date), which a monitor of a later date may have
/// taken further on record.
nlohmann::json StoredAlertsJson(const DataController& data, const MonitorResult& r) {
  AlertFilter filter;
  filter.target_year = r.target_year;
  filter.limit = kAllAlerts;
  std::map<std::string, AlertRecord> stored;
  for (AlertRecord& a : data.alerts().List(filter)) stored.emplace(a.fingerprint, std::move(a));
  nlohmann::json out = nlohmann::json::array();
  for (const AlertRecord& a : r.alerts) {
    const auto it = stored.find(a.fingerprint.empty() ? AlertFingerprint(a) : a.fingerprint);
    if (it == stored.end()) {
      out.push_back(ToJson(a));
      continue;
    }
    AlertRecord shown = it->second;
    if (a.episode != AlertEpisode::kNone) {
      shown.severity = a.severity;
      shown.message = EscapeControlBytes(a.message);
      shown.period_end = a.period_end;
      shown.value = a.value;
      shown.threshold = a.threshold;
      shown.statistic = a.statistic;
      shown.episode = a.episode;
      shown.closed_on = a.closed_on;
    }
    out.push_back(ToJson(shown));
  }
  return out;
}

nlohmann::json ToJson(const DataController& data, const MonitorResult& r,
                      const MonitorSettings& settings) {
  // Each window in its record form, as the dashboard shows the stored windows; a drift window
  // adds the size of its reference sample, which only the run itself knows.
  const std::vector<MonitorWindowRow> rows = MonitorWindowRows(r);
  nlohmann::json drift_windows = nlohmann::json::array();
  for (std::size_t i = 0; i < r.drift.windows.size(); ++i) {
    nlohmann::json window = ToJson(rows[i]);
    window["reference_days"] = r.drift.windows[i].statistics.reference_size;
    drift_windows.push_back(window);
  }
  nlohmann::json drift = {{"reference_years", r.drift.reference_years},
                          {"window_days", settings.drift_window_days},
                          {"thresholds",
                           {{"ks_p_value", settings.drift_p_value},
                            {"mean_shift_warning", settings.drift_shift_warning},
                            {"mean_shift_critical", settings.drift_shift_critical},
                            {"psi_warning", settings.drift_psi_warning},
                            {"wasserstein_warning", settings.drift_wasserstein_warning},
                            {"share_warning", settings.drift_share_warning}}},
                          {"drift_share", r.drift.drift_share},
                          {"windows", drift_windows}};
  nlohmann::json performance = nlohmann::json::array();
  for (const PerformanceReport& p : r.performance) {
    nlohmann::json windows = nlohmann::json::array();
    for (std::size_t i = r.drift.windows.size(); i < rows.size(); ++i) {
      if (rows[i].horizon == p.horizon) windows.push_back(ToJson(rows[i]));
    }
    performance.push_back({{"horizon", HorizonName(p.horizon)},
                           {"published", p.published},
                           {"backtest_years", p.thresholds.years},
                           {"thresholds",
                            {{"rolling_warning", p.thresholds.rolling_warning},
                             {"rolling_critical", p.thresholds.rolling_critical},
                             {"monthly_warning", p.thresholds.monthly_warning},
                             {"monthly_critical", p.thresholds.monthly_critical}}},
                           {"windows", windows}});
  }
  return {{"run_id", r.run_id},
          {"target_year", r.target_year},
          {"as_of", r.as_of ? nlohmann::json(r.as_of->ToIso()) : nlohmann::json(nullptr)},
          {"drift", drift},
          {"performance", performance},
          {"alerts", StoredAlertsJson(data, r)},
          {"new_alerts", r.new_alerts}};
}

std::string Format(const MonitorResult& r) {
  std::string out = fmt::format("run {}: monitor {} ", r.run_id, r.target_year);
  if (!r.as_of) return out + "found no actuals of the target year yet\n";
  out += fmt::format("as of {}\n\n", r.as_of->ToIso());
  if (!r.drift.reference_years.empty()) {
    out += fmt::format("drift of the load over the calendar expectation, against {}-{}:\n",
                       r.drift.reference_years.front(), r.drift.reference_years.back());
    Table table({"window", "days", "shift", "PSI", "KS D", "p-value", "W (sd)", "status"});
    for (const DriftWindow& w : r.drift.windows) {
      const DriftStatistics& s = w.statistics;
      table.Add({fmt::format("{} .. {}", w.start.ToIso(), w.end.ToIso()),
                 std::to_string(s.current_size), fmt::format("{:+.1f}%", s.mean_shift_percent),
                 Num(s.psi, 2), Num(s.ks_statistic, 2), fmt::format("{:.2g}", s.ks_p_value),
                 Num(w.wasserstein_normalised, 2), std::string(NameOf(w.status))});
    }
    out += table.Render();
    out += fmt::format("drift share: {:.0f}% of {} windows\n\n", 100.0 * r.drift.drift_share,
                       r.drift.windows.size());
  }
  for (const PerformanceReport& p : r.performance) {
    if (!p.published) {
      out += fmt::format("{} horizon: no published forecast of {}\n\n", HorizonName(p.horizon),
                         r.target_year);
      continue;
    }
    out += fmt::format(
        "{} horizon: rolling MAPE thresholds {:.2f}% / {:.2f}%, monthly {:.2f}% / {:.2f}% "
        "(warning / critical, from backtests of {} years)\n",
        HorizonName(p.horizon), p.thresholds.rolling_warning, p.thresholds.rolling_critical,
        p.thresholds.monthly_warning, p.thresholds.monthly_critical, p.thresholds.years.size());
    Table table({"window", "days", "MAPE", "status"});
    int rolling_breaches = 0;
    for (const PerformanceWindow& w : p.windows) {
      if (w.scope == "rolling") {
        rolling_breaches += w.status != WindowStatus::kPass;
        continue;
      }
      table.Add({fmt::format("month {} .. {}", w.start.ToIso(), w.end.ToIso()),
                 std::to_string(w.days), Pct(w.mape), std::string(NameOf(w.status))});
    }
    out += table.Render();
    out += fmt::format("rolling windows above the warning threshold: {}\n\n", rolling_breaches);
  }
  if (r.alerts.empty()) return out + "no alerts\n";
  Table table({"severity", "code", "period", "value", "threshold"});
  for (const AlertRecord& a : r.alerts) {
    const auto iso = [](const std::optional<Date>& d) { return d ? d->ToIso() : ""; };
    table.Add({std::string(NameOf(a.severity)), a.code,
               fmt::format("{} .. {}", iso(a.period_start), iso(a.period_end)),
               a.value ? Num(*a.value, 2) : "-", a.threshold ? Num(*a.threshold, 2) : "-"});
  }
  out += fmt::format("alerts ({} new):\n", r.new_alerts) + table.Render();
  return out;
}

}  // namespace

void AddMonitorCommand(CLI::App& app, Context& context, Action& action) {
  struct Options {
    int target_year = 0;
    std::string as_of;
    std::string horizon;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "monitor",
      "Drift of the target year's load against the calendar of past years, and the error of "
      "its published forecasts against their backtested error, up to --as-of; raises alerts");
  AddYearOption(*command, "--target-year", options->target_year, "Year to monitor")->required();
  command->add_option("--as-of", options->as_of,
                      "Last day of actuals to use, YYYY-MM-DD (default: the last one stored)");
  command
      ->add_option("--horizon", options->horizon,
                   "Monitor the forecasts of this horizon only: year or day (default: both)")
      ->check(CLI::IsMember({"year", "day"}));
  SetPrintAction(*command, action, [&context, options](bool json) -> Output {
    std::optional<Date> as_of;
    if (!options->as_of.empty()) {
      as_of = Date::ParseIso(options->as_of);
      if (!as_of) {
        throw UsageError(
            fmt::format("monitor: --as-of '{}' is not a date (YYYY-MM-DD)", options->as_of));
      }
    }
    std::optional<Horizon> horizon;
    if (!options->horizon.empty()) horizon = ParseHorizon(options->horizon);
    const MonitorResult result =
        MonitorFlow(context.data(), context.config(), options->target_year, as_of, horizon);
    // The JSON reads the stored alerts back: only when it is asked for.
    return {json ? ToJson(context.data(), result, context.config().monitor) : nlohmann::json(),
            Format(result)};
  });
}

}  // namespace loadcast::cli
