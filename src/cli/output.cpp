#include "cli/output.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>

#include "cli/table.hpp"

namespace loadcast::cli {
namespace {

void AddMetricRow(Table& table, const std::string& label, const MetricRow& m) {
  table.Add({label, std::to_string(m.days), Pct(m.mape), Num(m.mae, 0), Num(m.rmse, 0),
             Num(m.bias, 0), Num(m.skill, 3), Pct(m.naive_mape)});
}

std::vector<std::string> MetricHeader(const std::string& first) {
  return {first, "days", "MAPE", "MAE (MWh)", "RMSE (MWh)", "bias (MWh)", "skill", "naive MAPE"};
}

void AddBacktestRow(Table& table, const std::string& label, const BacktestRow& b) {
  table.Add({label, std::to_string(b.days), Pct(b.mape), Num(b.mae, 0), Num(b.rmse, 0),
             Num(b.bias, 0), Num(b.skill, 3), Pct(b.naive_mape), Pct(b.coverage),
             Pct(b.interval_width)});
}

/// The gate's verdict and, on a second line, the figures it compared.
std::string FormatGate(const GateResult& gate) {
  if (!gate.decision) return fmt::format("gate: {}\n", gate.summary);
  const ModelDecision& d = *gate.decision;
  std::string out = fmt::format("gate: {} (decision {}{}): {}\n", d.outcome, d.id,
                                gate.recorded ? "" : ", on record", d.reason);
  if (d.candidate_value) {
    out += fmt::format("  {} on {}: candidate {}", d.metric, d.validation,
                       FormatFigure(d.candidate_value));
    if (d.champion_value) {
      out += fmt::format(", champion {}", FormatFigure(d.champion_value));
      if (d.champion_id) out += fmt::format(" (model {})", *d.champion_id);
    }
    if (d.improvement) out += fmt::format(", improvement {:+.2f}%", 100.0 * *d.improvement);
    if (d.improvement && d.min_improvement) {
      out += fmt::format(", required {:.2f}%", 100.0 * *d.min_improvement);
    }
    out += "\n";
  }
  return out;
}

}  // namespace

ModelAliases AliasesByModel(const std::vector<ModelAlias>& aliases) {
  ModelAliases by_model;
  for (const ModelAlias& a : aliases) by_model[a.model_id].push_back(a.alias);
  return by_model;
}

std::string ModelLabel(const ModelRecord& m) {
  return fmt::format("model {} ({} v{})", m.id, m.horizon, m.number);
}

std::string ModelLabel(const ModelRecord& m, const ModelAliases& aliases) {
  const auto it = aliases.find(m.id);
  if (it == aliases.end()) return ModelLabel(m);
  return fmt::format("{} {}", fmt::join(it->second, " and "), ModelLabel(m));
}

nlohmann::json ToJson(const FlowResult& r, const ModelAliases& aliases) {
  nlohmann::json j = {{"run_id", r.run_id},
                      {"command", r.command},
                      {"target_year", r.target_year},
                      {"horizon", HorizonName(r.horizon)},
                      {"alerts", r.alerts}};
  auto with_aliases = [&aliases](const ModelRecord& m) {
    const auto it = aliases.find(m.id);
    return ModelWithAliasesJson(m, it == aliases.end() ? std::vector<std::string>{} : it->second);
  };
  if (r.model) j["model"] = with_aliases(*r.model);
  if (r.trained) {
    j["trained"] = with_aliases(*r.trained);
    j["trained"]["new"] = r.trained_new;
  }
  if (r.gate) {
    nlohmann::json gate = r.gate->decision ? ToJson(*r.gate->decision) : nlohmann::json::object();
    gate["recorded"] = r.gate->recorded;
    gate["summary"] = r.gate->summary;
    j["gate"] = gate;
  }
  if (r.forecast) {
    j["unchanged_since"] = r.unchanged_since ? nlohmann::json(*r.unchanged_since) : nullptr;
    nlohmann::json rows = nlohmann::json::array();
    for (std::size_t i = 0; i < r.forecast->size(); ++i) {
      // The published row, with the actual of its day where known.
      nlohmann::json row = ToJson(ForecastRow{r.forecast->dates[i], r.forecast->mean[i],
                                              r.forecast->lower[i], r.forecast->upper[i]});
      row["actual"] = i < r.actuals.size() ? Nullable(r.actuals[i]) : nullptr;
      rows.push_back(row);
    }
    j["forecast"] = rows;
  }
  if (!r.checks.empty()) j["checks"] = ToJsonArray(r.checks);
  if (r.evaluation) {
    j["evaluation"] = {{"forecast_run_id", r.evaluation->forecast_run_id},
                       {"year", ToJson(r.evaluation->year)},
                       {"months", ToJsonArray(r.evaluation->months)}};
  }
  if (r.exported) j["out"] = r.exported->string();
  j["timings"] = TimingsJson(r.timings);
  return j;
}

nlohmann::json ToJson(const IngestResult& r) {
  return {{"run_id", r.run_id},
          {"files", r.report.files},
          {"rows", r.report.rows},
          {"years_stored", r.report.years_stored},
          {"years_unchanged", r.report.years_unchanged},
          {"revisions", [&] {
             nlohmann::json revisions = nlohmann::json::array();
             for (const StoredRevision& s : r.report.revisions)
               revisions.push_back(ToJson(s.record));
             return revisions;
           }()}};
}

nlohmann::json TimingsJson(const std::vector<StepTiming>& timings) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& t : timings) out.push_back({{"step", t.step}, {"ms", t.milliseconds}});
  return out;
}

nlohmann::json ToJson(const BacktestResult& r) {
  // The mean is of every year, so it has no target year of its own.
  nlohmann::json mean = ToJson(r.mean);
  mean["target_year"] = nullptr;
  return {{"run_id", r.run_id},
          {"horizon", HorizonName(r.horizon)},
          {"years", ToJsonArray(r.years)},
          {"mean", mean},
          {"timings", TimingsJson(r.timings)}};
}

std::string FormatFlow(const FlowResult& r, const ModelAliases& aliases) {
  std::string out = fmt::format("run {}: {} {} (horizon {}) succeeded\n", r.run_id, r.command,
                                r.target_year, HorizonName(r.horizon));
  if (r.trained) {
    out += fmt::format("trained: {}, {} version {} on {} .. {}, {}\n", ModelLabel(*r.trained),
                       r.trained->kind, r.trained->version, r.trained->trained_from,
                       r.trained->trained_to, r.trained_new ? "new" : "already registered");
  }
  if (r.gate) out += FormatGate(*r.gate);
  if (r.model && r.forecast) {
    out += fmt::format("forecast by: {}, {} version {}, trained on {} .. {}\n",
                       ModelLabel(*r.model, aliases), r.model->kind, r.model->version,
                       r.model->trained_from, r.model->trained_to);
  }
  if (r.forecast) {
    const std::size_t passed = static_cast<std::size_t>(
        std::count_if(r.checks.begin(), r.checks.end(),
                      [](const CheckRow& c) { return c.status == CheckStatus::kPass; }));
    out += fmt::format("forecast: {} days ({} .. {}), {} of {} checks passed\n", r.forecast->size(),
                       r.forecast->size() ? r.forecast->dates.front().ToIso() : "-",
                       r.forecast->size() ? r.forecast->dates.back().ToIso() : "-", passed,
                       r.checks.size());
  }
  if (r.evaluation) {
    Table table(MetricHeader("period"));
    AddMetricRow(table, r.evaluation->year.period, r.evaluation->year);
    for (const auto& m : r.evaluation->months) AddMetricRow(table, m.period, m);
    out += table.Render();
  } else if (r.command == "evaluate" || r.command == "run") {
    out += fmt::format("evaluation: no actuals of {} in the bucket yet\n", r.target_year);
  }
  if (r.unchanged_since) {
    out +=
        fmt::format("forecast unchanged since run {}: nothing new published\n", *r.unchanged_since);
  }
  out += fmt::format("alerts raised: {}\n", r.alerts);
  if (r.exported) out += fmt::format("forecast written to {}\n", r.exported->string());
  return out;
}

std::string FormatIngest(const IngestResult& r) {
  std::string revised;
  for (const StoredRevision& s : r.report.revisions) {
    if (s.record.days_changed > 0) {
      revised += fmt::format(
          "actuals of {}: revision {} changed {} stored days (loadcast actuals "
          "diff --year {} --revision {})\n",
          s.record.year, s.record.revision, s.record.days_changed, s.record.year,
          s.record.revision);
    }
  }
  return revised +
         fmt::format("run {}: ingested {} rows from {} file(s); stored years: {}; unchanged: {}\n",
                     r.run_id, r.report.rows, r.report.files.size(),
                     r.report.years_stored.empty()
                         ? "none"
                         : fmt::format("{}", fmt::join(r.report.years_stored, ", ")),
                     r.report.years_unchanged.empty()
                         ? "none"
                         : fmt::format("{}", fmt::join(r.report.years_unchanged, ", ")));
}

std::string FormatRuns(const std::vector<RunRecord>& runs) {
  Table table({"id", "command", "year", "horizon", "status", "started", "finished", "config",
               "model", "message"});
  for (const auto& r : runs) {
    std::string message = r.message.substr(0, r.message.find('\n'));
    if (message.size() > 60) message = message.substr(0, 57) + "...";
    table.Add({std::to_string(r.id), r.command,
               r.target_year ? std::to_string(*r.target_year) : "-",
               r.horizon ? std::string(NameOf(*r.horizon)) : "-", std::string(NameOf(r.status)),
               r.started_at, r.finished_at.empty() ? "-" : r.finished_at,
               r.config_hash.empty() ? "-" : r.config_hash.substr(0, 8),
               r.model_id ? std::to_string(*r.model_id) : "-", message});
  }
  return table.Render();
}

std::string FormatAlerts(const std::vector<AlertRecord>& alerts) {
  if (alerts.empty()) return "no alerts\n";
  Table table({"id", "run", "created", "severity", "source", "code", "period", "episode",
               "statistic", "value", "threshold", "ack", "message"});
  for (const auto& a : alerts) {
    const std::string start = a.period_start ? a.period_start->ToIso() : "";
    const std::string end = a.period_end ? a.period_end->ToIso() : "";
    std::string period = start.empty() ? "-" : start;
    if (end != start) period += " .. " + end;
    std::string message = a.message.substr(0, a.message.find('\n'));
    std::string episode = "-";
    if (a.episode == AlertEpisode::kOpen) episode = "open";
    if (a.episode == AlertEpisode::kClosed) {
      episode = a.closed_on ? "closed " + a.closed_on->ToIso() : "closed";
    }
    table.Add({std::to_string(a.id), a.run_id ? std::to_string(*a.run_id) : "-", a.created_at,
               std::string(NameOf(a.severity)), std::string(NameOf(a.source)), a.code, period,
               episode, a.statistic.empty() ? "-" : a.statistic, FormatFigure(a.value),
               FormatFigure(a.threshold), a.acknowledged ? "yes" : "no", message});
  }
  return table.Render();
}

std::string FormatEvaluations(const std::vector<EvaluationSummary>& evaluations) {
  if (evaluations.empty()) return "no evaluations yet\n";
  Table table({"year", "horizon", "days", "MAPE", "MAE (MWh)", "RMSE (MWh)", "bias (MWh)", "skill",
               "naive MAPE", "alerts", "run"});
  for (const auto& e : evaluations) {
    const MetricRow& m = e.metrics;
    table.Add({std::to_string(e.target_year), std::string(NameOf(e.horizon)),
               std::to_string(m.days), Pct(m.mape), Num(m.mae, 0), Num(m.rmse, 0), Num(m.bias, 0),
               Num(m.skill, 3), Pct(m.naive_mape), std::to_string(e.alerts),
               std::to_string(e.run_id)});
  }
  return table.Render();
}

std::string FormatFigure(const std::optional<double>& v) {
  // Loads are hundreds of thousands of MWh, percentages and indices are small: no one number of
  // decimals suits every figure.
  if (!v || std::isnan(*v)) return "-";
  return std::abs(*v) >= 1e4 ? fmt::format("{:.0f}", *v) : fmt::format("{:.4g}", *v);
}

std::string FormatDecisions(const std::vector<ModelDecision>& decisions) {
  if (decisions.empty()) return "no decisions yet\n";
  Table table({"id", "created", "horizon", "year", "action", "outcome", "candidate", "champion",
               "metric", "candidate value", "champion value", "improvement", "required",
               "validation", "reason"});
  for (const ModelDecision& d : decisions) {
    table.Add({std::to_string(d.id), d.created_at, std::string(NameOf(d.horizon)),
               d.target_year ? std::to_string(*d.target_year) : "-", std::string(NameOf(d.action)),
               std::string(NameOf(d.outcome)), std::to_string(d.candidate_id),
               d.champion_id ? std::to_string(*d.champion_id) : "-",
               d.metric.empty() ? "-" : d.metric, FormatFigure(d.candidate_value),
               FormatFigure(d.champion_value),
               d.improvement ? fmt::format("{:+.2f}%", 100.0 * *d.improvement) : "-",
               d.min_improvement ? fmt::format("{:.2f}%", 100.0 * *d.min_improvement) : "-",
               d.validation.empty() ? "-" : d.validation, d.reason});
  }
  return table.Render();
}

std::string FormatBacktest(const BacktestResult& r) {
  std::string out =
      fmt::format("run {}: backtest {} .. {} (horizon {}) succeeded\n", r.run_id,
                  r.years.empty() ? 0 : r.years.front().target_year,
                  r.years.empty() ? 0 : r.years.back().target_year, HorizonName(r.horizon));
  Table table({"year", "days", "MAPE", "MAE (MWh)", "RMSE (MWh)", "bias (MWh)", "skill",
               "naive MAPE", "coverage", "width"});
  for (const auto& b : r.years) AddBacktestRow(table, std::to_string(b.target_year), b);
  // The mean weighs every year once; its days are the total.
  AddBacktestRow(table, "mean", r.mean);
  return out + table.Render();
}

}  // namespace loadcast::cli
