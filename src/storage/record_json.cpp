#include "storage/record_json.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include "core/date.hpp"
#include "storage/database.hpp"

namespace loadcast {
namespace {

using nlohmann::json;

constexpr double kNoFigure = std::numeric_limits<double>::quiet_NaN();

/// A figure, or null when it is not a finite number (JSON has no NaN).
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json Number(const std::optional<double>& v) { return v ? Number(*v) : json(nullptr); }

template <typename T>
json Optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

/// A date as its ISO text; null for none.
json Day(Date date) { return date.ToIso(); }
json Day(const std::optional<Date>& date) { return date ? Day(*date) : json(nullptr); }

/// The name of an enum's value, as the database stores it; null for none.
template <Named E>
json Name(E value) {
  return std::string(NameOf(value));
}
template <Named E>
json Name(const std::optional<E>& value) {
  return value ? Name(*value) : json(nullptr);
}

/// Parses "HH:MM:SS" with an optional fraction; seconds of the day.
std::optional<double> SecondsOfDay(std::string_view text) {
  if (text.size() < 8 || text[2] != ':' || text[5] != ':') return std::nullopt;
  const auto field = [text](std::size_t at, std::size_t length) -> std::optional<int> {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data() + at, text.data() + at + length, value);
    if (error != std::errc() || end != text.data() + at + length) return std::nullopt;
    return value;
  };
  const auto h = field(0, 2), m = field(3, 2), s = field(6, 2);
  if (!h || !m || !s) return std::nullopt;
  double fraction = 0.0;
  if (text.size() > 8) {
    if (text[8] != '.') return std::nullopt;
    double scale = 0.1;
    for (char c : text.substr(9)) {
      if (c < '0' || c > '9') return std::nullopt;
      fraction += scale * (c - '0');
      scale /= 10;
    }
  }
  return *h * 3600.0 + *m * 60.0 + *s + fraction;
}

/// A UTC time "2021-03-01T12:00:00.123Z" as its day and the seconds into it, kept apart so that
/// a difference of two keeps its milliseconds.
std::optional<std::pair<int, double>> ParseUtc(const std::string& text) {
  if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z') return std::nullopt;
  const auto date = Date::ParseIso(std::string_view(text).substr(0, 10));
  const auto seconds = SecondsOfDay(std::string_view(text).substr(11, text.size() - 12));
  if (!date || !seconds) return std::nullopt;
  return std::pair{date->days(), *seconds};
}

}  // namespace

std::optional<double> SecondsBetween(const std::string& start, const std::string& end) {
  const auto from = ParseUtc(start);
  const auto to = ParseUtc(end);
  if (!from || !to) return std::nullopt;
  const double seconds = (to->first - from->first) * 86400.0 + (to->second - from->second);
  return std::round(seconds * 1000.0) / 1000.0;
}

json RunInputsJson(const RunRecord& r) {
  // Stored as a JSON object; a run that read none (or predates them) has "".
  if (r.inputs.empty()) return json::object();
  json inputs = json::parse(r.inputs, nullptr, /*allow_exceptions=*/false);
  return inputs.is_object() ? inputs : json(r.inputs);
}

json ToJson(const RunRecord& r) {
  return {{"id", r.id},
          {"command", r.command},
          {"target_year", Optional(r.target_year)},
          {"horizon", Name(r.horizon)},
          {"status", Name(r.status)},
          {"started_at", r.started_at},
          {"finished_at", TextOrNull(r.finished_at)},
          {"message", r.message},
          {"config_hash", r.config_hash},
          {"inputs", RunInputsJson(r)},
          {"model_id", Optional(r.model_id)}};
}

json ToJson(const ModelRecord& m) {
  return {{"id", m.id},
          {"number", m.number},
          {"horizon", Name(m.horizon)},
          {"version", m.version},
          {"kind", m.kind},
          {"target_year", m.target_year},
          {"trained_from", Day(m.trained_from)},
          {"trained_to", Day(m.trained_to)},
          {"artifact", m.artifact},
          {"created_at", m.created_at},
          {"run_id", m.run_id},
          {"spec_hash", m.spec_hash},
          {"config_hash", m.config_hash},
          {"data_hash", m.data_hash},
          {"code_version", m.code_version}};
}

json ToJson(const ModelAlias& a) {
  return {{"horizon", Name(a.horizon)},
          {"alias", a.alias},
          {"model_id", a.model_id},
          {"updated_at", a.updated_at}};
}

json ToJson(const ModelDecision& d) {
  return {{"id", d.id},
          {"run_id", Optional(d.run_id)},
          {"created_at", TextOrNull(d.created_at)},
          {"horizon", Name(d.horizon)},
          {"target_year", Optional(d.target_year)},
          {"action", Name(d.action)},
          {"outcome", Name(d.outcome)},
          {"candidate_id", d.candidate_id},
          {"champion_id", Optional(d.champion_id)},
          {"metric", TextOrNull(d.metric)},
          {"candidate_value", Number(d.candidate_value)},
          {"champion_value", Number(d.champion_value)},
          {"improvement", Number(d.improvement)},
          {"min_improvement", Number(d.min_improvement)},
          {"validation", d.validation},
          {"reason", d.reason}};
}

json ToJson(const ForecastRow& row) {
  return {{"date", Day(row.date)},
          {"forecast", Number(row.forecast)},
          {"lower", Number(row.lower)},
          {"upper", Number(row.upper)}};
}

json ToJson(const MetricRow& m) {
  return {
      {"scope", m.scope},       {"period", m.period},       {"days", m.days},
      {"mape", Number(m.mape)}, {"mae", Number(m.mae)},     {"rmse", Number(m.rmse)},
      {"bias", Number(m.bias)}, {"skill", Number(m.skill)}, {"naive_mape", Number(m.naive_mape)}};
}

json ToJson(const EvaluationSummary& e) {
  json out = ToJson(e.metrics);
  out["run_id"] = e.run_id;
  out["target_year"] = e.target_year;
  out["horizon"] = Name(e.horizon);
  out["evaluated_at"] = e.evaluated_at;
  out["alerts"] = e.alerts;
  return out;
}

json ToJson(const BacktestRow& b) {
  return {{"run_id", b.run_id},
          {"target_year", b.target_year},
          {"horizon", Name(b.horizon)},
          {"days", b.days},
          {"mape", Number(b.mape)},
          {"mae", Number(b.mae)},
          {"rmse", Number(b.rmse)},
          {"bias", Number(b.bias)},
          {"skill", Number(b.skill)},
          {"naive_mape", Number(b.naive_mape)},
          {"coverage", Number(b.coverage)},
          {"interval_width", Number(b.interval_width)}};
}

json ToJson(const SeriesResultRow& r) {
  return {{"run_id", r.run_id},           {"series", r.series},
          {"target_year", r.target_year}, {"status", Name(r.status)},
          {"message", r.message},         {"train_from", Day(r.train_from)},
          {"train_to", Day(r.train_to)},  {"iterations", r.iterations},
          {"drift", Number(r.drift)},     {"days", r.days},
          {"mape", Number(r.mape)},       {"mae", Number(r.mae)},
          {"rmse", Number(r.rmse)},       {"bias", Number(r.bias)}};
}

json ToJson(const CheckRow& c) {
  return {{"check", c.check}, {"status", Name(c.status)}, {"detail", c.detail}};
}

json ToJson(const RevisionRecord& r) {
  return {{"id", r.id},
          {"year", r.year},
          {"revision", r.revision},
          {"created_at", r.created_at},
          {"run_id", Optional(r.run_id)},
          {"source", r.source},
          {"object", r.object},
          {"sha256", r.sha256},
          {"days", r.days},
          {"days_added", r.days_added},
          {"days_changed", r.days_changed},
          {"largest_change_percent", Number(r.largest_change_percent)}};
}

json ToJson(const DayChange& c) {
  return {{"date", Day(c.date)},
          {"old_load", Number(c.old_load)},
          {"new_load", Number(c.new_load)},
          {"change_percent", Number(100.0 * (c.new_load - c.old_load) / std::abs(c.old_load))}};
}

json ToJson(const AlertRecord& a) {
  return {{"id", a.id},
          {"run_id", Optional(a.run_id)},
          {"created_at", a.created_at},
          {"severity", Name(a.severity)},
          {"source", Name(a.source)},
          {"code", a.code},
          {"message", a.message},
          {"target_year", Optional(a.target_year)},
          {"horizon", Name(a.horizon)},
          {"period_start", Day(a.period_start)},
          {"period_end", Day(a.period_end)},
          {"subject", TextOrNull(a.subject)},
          {"value", Number(a.value)},
          {"threshold", Number(a.threshold)},
          {"fingerprint", a.fingerprint},
          {"acknowledged", a.acknowledged},
          {"acknowledged_at", TextOrNull(a.acknowledged_at)},
          {"statistic", TextOrNull(a.statistic)},
          {"episode", a.episode == AlertEpisode::kNone ? json(nullptr) : json(Name(a.episode))},
          {"closed_on", Day(a.closed_on)},
          {"updated_at", TextOrNull(a.updated_at)}};
}

json ToJson(const AlertAcknowledgement& a) {
  return {{"alert", ToJson(a.alert)}, {"already_acknowledged", a.already_acknowledged}};
}

json ToJson(const MonitorWindowRow& w) {
  // The record keeps one figure per window; its name here says what it is for the scope.
  const bool drift = w.kind == "drift";
  return {{"scope", w.kind},
          {"horizon", Name(w.horizon)},
          {"start", Day(w.start)},
          {"end", Day(w.end)},
          {"days", w.days},
          {"mean_shift_percent", drift ? Number(w.value) : json(nullptr)},
          {"mape", drift ? json(nullptr) : Number(w.value)},
          {"psi", Number(w.psi)},
          {"ks_statistic", Number(w.ks)},
          {"ks_p_value", Number(w.ks_p_value)},
          {"wasserstein", Number(w.wasserstein)},
          {"warning_threshold", Number(w.warning_threshold)},
          {"critical_threshold", Number(w.critical_threshold)},
          {"status", Name(w.status)},
          {"reason", w.reason}};
}

json ToJson(const MonitorSnapshot& s) {
  json drift = json::array();
  json performance = json::array();
  for (const MonitorWindowRow& w : s.windows) {
    (w.kind == "drift" ? drift : performance).push_back(ToJson(w));
  }
  return {{"run_id", s.run_id},
          {"target_year", s.target_year},
          {"as_of", Day(s.as_of)},
          {"drift", drift},
          {"performance", performance}};
}

json RunWithDurationJson(const RunRecord& run) {
  json out = ToJson(run);
  out["duration_seconds"] = Optional(SecondsBetween(run.started_at, run.finished_at));
  return out;
}

json RunsWithDurationJson(const std::vector<RunRecord>& runs) {
  json out = json::array();
  for (const RunRecord& r : runs) out.push_back(RunWithDurationJson(r));
  return out;
}

json ModelWithAliasesJson(const ModelRecord& model, const std::vector<std::string>& aliases) {
  json out = ToJson(model);
  out["aliases"] = aliases;
  return out;
}

json SeriesResultWithForecastJson(const SeriesResultRow& r) {
  json out = ToJson(r);
  json days = json::array();
  const std::optional<Date> start = r.forecast_start;
  for (std::size_t d = 0; start && d < r.forecast.size(); ++d) {
    // A day the interval does not reach is NaN, hence null.
    days.push_back(ToJson(ForecastRow{*start + static_cast<int>(d), r.forecast[d],
                                      d < r.lower.size() ? r.lower[d] : kNoFigure,
                                      d < r.upper.size() ? r.upper[d] : kNoFigure}));
  }
  out["forecast"] = days;
  return out;
}

}  // namespace loadcast
