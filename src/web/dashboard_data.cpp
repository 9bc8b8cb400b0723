#include "web/dashboard_data.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/metrics.hpp"
#include "pipeline/evaluator.hpp"
#include "pipeline/promotion_gate.hpp"
#include "storage/alerts.hpp"

namespace loadcast::web {
namespace {

using nlohmann::json;

// Every row of a list the database holds a few of per run (models, decisions, alerts of a year).
constexpr int kAll = 1'000'000;
constexpr int kOverviewRuns = 10;
constexpr std::array<Horizon, 2> kHorizons = {Horizon::kYear, Horizon::kDay};

/// A figure, or null when it is not a finite number (JSON has no NaN).
json Number(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

template <typename T>
json Optional(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json TextOrNull(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

json ScoresJson(const MetricRow& m) {
  return {{"period", m.period},       {"days", m.days},
          {"mape", Number(m.mape)},   {"mae", Number(m.mae)},
          {"rmse", Number(m.rmse)},   {"bias", Number(m.bias)},
          {"skill", Number(m.skill)}, {"naive_mape", Number(m.naive_mape)}};
}

json ValidationJson(const ValidationScores& scores) {
  return {{"years", scores.year_list()}, {"mean", ScoresJson(scores.mean)}};
}

/// The validation scores recorded in a model's artifact; null when the artifact has none or
/// cannot be read, so that one missing artifact does not fail the page that lists it.
json ArtifactValidation(const DataController& data, int64_t model_id) {
  try {
    const auto stored = data.LoadModel(model_id);
    if (!stored) return nullptr;
    const auto scores = ValidationFromArtifact(stored->artifact);
    return scores ? ValidationJson(*scores) : json(nullptr);
  } catch (const StorageError&) {
    return nullptr;
  }
}

using AliasesByModel = std::map<int64_t, std::vector<std::string>>;

AliasesByModel IndexAliases(const std::vector<ModelAlias>& aliases) {
  AliasesByModel out;
  for (const ModelAlias& a : aliases) out[a.model_id].push_back(a.alias);
  return out;
}

json ModelJson(const DataController& data, const ModelRecord& m, const AliasesByModel& aliases) {
  const auto it = aliases.find(m.id);
  return {{"id", m.id},
          {"number", m.number},
          {"version", m.version},
          {"kind", m.kind},
          {"horizon", m.horizon},
          {"target_year", m.target_year},
          {"trained_from", m.trained_from},
          {"trained_to", m.trained_to},
          {"created_at", m.created_at},
          {"run_id", m.run_id},
          {"spec_hash", m.spec_hash},
          {"config_hash", m.config_hash},
          {"data_hash", m.data_hash},
          {"code_version", m.code_version},
          {"aliases", it == aliases.end() ? std::vector<std::string>{} : it->second},
          {"validation", ArtifactValidation(data, m.id)}};
}

/// A model by id with its aliases now; null when no model has that id.
json ModelById(const DataController& data, std::optional<int64_t> id) {
  if (!id) return nullptr;
  const auto model = data.FindModel(*id);
  if (!model) return nullptr;
  return ModelJson(data, *model, IndexAliases(data.ListAliases(std::nullopt)));
}

json RunJson(const RunRecord& r) {
  return {{"id", r.id},
          {"command", r.command},
          {"target_year", Optional(r.target_year)},
          {"horizon", TextOrNull(r.horizon)},
          {"status", r.status},
          {"started_at", r.started_at},
          {"finished_at", TextOrNull(r.finished_at)},
          {"duration_seconds", Optional(SecondsBetween(r.started_at, r.finished_at))},
          {"message", r.message},
          {"config_hash", r.config_hash},
          {"model_id", Optional(r.model_id)}};
}

json RunsJson(const std::vector<RunRecord>& runs) {
  json out = json::array();
  for (const RunRecord& r : runs) out.push_back(RunJson(r));
  return out;
}

json DecisionJson(const ModelDecision& d) {
  return {{"id", d.id},
          {"run_id", Optional(d.run_id)},
          {"created_at", TextOrNull(d.created_at)},
          {"horizon", d.horizon},
          {"target_year", Optional(d.target_year)},
          {"action", d.action},
          {"outcome", d.outcome},
          {"candidate_id", d.candidate_id},
          {"champion_id", Optional(d.champion_id)},
          {"metric", TextOrNull(d.metric)},
          {"candidate_value", Optional(d.candidate_value)},
          {"champion_value", Optional(d.champion_value)},
          {"improvement", Optional(d.improvement)},
          {"min_improvement", Optional(d.min_improvement)},
          {"validation", d.validation},
          {"reason", d.reason}};
}

json ChecksJson(const std::vector<CheckRow>& checks) {
  json out = json::array();
  for (const CheckRow& c : checks) {
    out.push_back({{"check", c.check}, {"status", c.status}, {"detail", c.detail}});
  }
  return out;
}

json AlertsJson(const std::vector<AlertRecord>& alerts) {
  json out = json::array();
  for (const AlertRecord& a : alerts) out.push_back(AlertToJson(a));
  return out;
}

json DriftWindowJson(const MonitorWindowRow& w) {
  return {{"start", w.start},
          {"end", w.end},
          {"days", w.days},
          {"mean_shift", Number(w.value)},
          {"psi", Optional(w.psi)},
          {"ks", Optional(w.ks)},
          {"ks_p_value", Optional(w.ks_p_value)},
          {"wasserstein", Optional(w.wasserstein)},
          {"status", w.status},
          {"reason", w.reason}};
}

json PerformanceWindowJson(const MonitorWindowRow& w) {
  return {{"horizon", w.horizon},
          {"scope", w.kind},
          {"start", w.start},
          {"end", w.end},
          {"days", w.days},
          {"mape", Number(w.value)},
          {"warning_threshold", Optional(w.warning_threshold)},
          {"critical_threshold", Optional(w.critical_threshold)},
          {"status", w.status}};
}

/// How well the interval of a published forecast held the actuals known so far; null before
/// any actual of its days is known.
json Coverage(const PublishedForecast& forecast, const TimeSeries& actuals) {
  std::vector<double> actual, mean, lower, upper;
  for (const ForecastRow& row : forecast.rows) {
    const auto date = Date::ParseIso(row.date);
    actual.push_back(date ? actuals.at(*date) : kMissing);
    mean.push_back(row.forecast);
    lower.push_back(row.lower);
    upper.push_back(row.upper);
  }
  const IntervalScores scores = ScoreInterval(actual, mean, lower, upper);
  return scores.days == 0 ? json(nullptr) : Number(scores.coverage);
}

/// The scores of the latest evaluated target year of a horizon, with its coverage.
json LatestScores(const DataController& data, const std::vector<EvaluationSummary>& evaluations,
                  Horizon horizon) {
  const EvaluationSummary* latest = nullptr;
  for (const EvaluationSummary& e : evaluations) {
    if (e.horizon == HorizonName(horizon) && (!latest || e.target_year > latest->target_year)) {
      latest = &e;
    }
  }
  if (!latest) return nullptr;
  json out = ScoresJson(latest->metrics);
  out["target_year"] = latest->target_year;
  out["run_id"] = latest->run_id;
  const auto forecast = data.CurrentForecast(latest->target_year, horizon, 0);
  out["coverage"] =
      forecast ? Coverage(*forecast, data.LoadActualYear(latest->target_year)) : json(nullptr);
  return out;
}

json HorizonPanel(const DataController& data, const std::vector<EvaluationSummary>& evaluations,
                  const AliasesByModel& aliases, Horizon horizon) {
  const auto champion = data.FindAliased(horizon, "champion");
  const auto challenger = data.FindAliased(horizon, "challenger");
  json out = {{"horizon", HorizonName(horizon)},
              {"champion", champion ? ModelJson(data, *champion, aliases) : json(nullptr)},
              {"challenger", challenger ? ModelJson(data, *challenger, aliases) : json(nullptr)}};
  out["validation"] = champion ? out["champion"]["validation"] : json(nullptr);
  out["latest"] = LatestScores(data, evaluations, horizon);
  return out;
}

json AlertCounts(const DataController& data) {
  json open = json::object();
  for (std::string_view severity : kAlertSeverities) {
    AlertFilter filter;
    filter.severities = {std::string(severity)};
    filter.acknowledged = false;
    filter.limit = kAll;
    open[std::string(severity)] = data.ListAlerts(filter).size();
  }
  AlertFilter all;
  all.limit = kAll;
  return {{"open", open}, {"total", data.ListAlerts(all).size()}};
}

/// The monthly thresholds of the performance monitor for a horizon, from the month windows of
/// the latest monitor run; null where it has none.
std::pair<json, json> MonthlyThresholds(const std::optional<MonitorSnapshot>& monitor,
                                        Horizon horizon) {
  if (monitor) {
    for (const MonitorWindowRow& w : monitor->windows) {
      if (w.kind == "month" && w.horizon == HorizonName(horizon) && w.warning_threshold) {
        return {json(*w.warning_threshold), Optional(w.critical_threshold)};
      }
    }
  }
  return {json(nullptr), json(nullptr)};
}

json MonitorJson(const std::optional<MonitorSnapshot>& monitor, Horizon horizon) {
  if (!monitor) return nullptr;
  json drift = json::array();
  json performance = json::array();
  for (const MonitorWindowRow& w : monitor->windows) {
    if (w.kind == "drift") {
      drift.push_back(DriftWindowJson(w));
    } else if (w.horizon == HorizonName(horizon)) {
      performance.push_back(PerformanceWindowJson(w));
    }
  }
  return {{"run_id", monitor->run_id},
          {"as_of", monitor->as_of},
          {"drift", drift},
          {"performance", performance}};
}

void CheckMembers(const std::vector<std::string>& values, auto valid, std::string_view what) {
  for (const std::string& value : values) {
    if (std::find(valid.begin(), valid.end(), value) == valid.end()) {
      throw UsageError(
          fmt::format("unknown {} '{}': valid are {}", what, value, fmt::join(valid, ", ")));
    }
  }
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

json Overview(const DataController& data, const Config& /*config*/) {
  const std::vector<EvaluationSummary> evaluations = data.LatestEvaluations();
  std::optional<int> latest_year;
  for (const EvaluationSummary& e : evaluations) {
    latest_year = std::max(latest_year.value_or(e.target_year), e.target_year);
  }
  const AliasesByModel aliases = IndexAliases(data.ListAliases(std::nullopt));
  json horizons = json::array();
  for (Horizon horizon : kHorizons) {
    horizons.push_back(HorizonPanel(data, evaluations, aliases, horizon));
  }
  return {{"generated_at", UtcNow()},
          {"latest_target_year", Optional(latest_year)},
          {"horizons", horizons},
          {"alerts", AlertCounts(data)},
          {"runs", RunsJson(data.ListRuns(kOverviewRuns))}};
}

json YearView(const DataController& data, const Config& config, int year, Horizon horizon) {
  const std::string horizon_name(HorizonName(horizon));
  const auto published = data.CurrentForecast(year, horizon, 0);
  if (!published) {
    throw NotFoundError(fmt::format("no {} forecast of {} is published", horizon_name, year));
  }
  const TimeSeries actuals = data.LoadActualYear(year);
  json days = json::array();
  for (const ForecastRow& row : published->rows) {
    const auto date = Date::ParseIso(row.date);
    const double actual = date ? actuals.at(*date) : kMissing;
    days.push_back({{"date", row.date},
                    {"forecast", Number(row.forecast)},
                    {"lower", Number(row.lower)},
                    {"upper", Number(row.upper)},
                    {"actual", Number(actual)},
                    {"residual", Number(actual - row.forecast)}});
  }

  // Scored as `evaluate` scores it; nothing before the first actual of the year is known.
  json metrics = {{"year", nullptr}, {"months", json::array()}};
  if (const auto evaluation = Evaluate(data, year, horizon, 0)) {
    metrics["year"] = ScoresJson(evaluation->year);
    metrics["year"]["coverage"] = Coverage(*published, actuals);
    for (const MetricRow& m : evaluation->months) metrics["months"].push_back(ScoresJson(m));
  }

  const auto monitor = data.LatestMonitor(year);
  const auto [monthly_warning, monthly_critical] = MonthlyThresholds(monitor, horizon);

  AlertFilter filter;
  filter.target_year = year;
  filter.limit = kAll;
  std::vector<AlertRecord> alerts;
  for (AlertRecord& a : data.ListAlerts(filter)) {
    if (a.horizon.empty() || a.horizon == horizon_name) alerts.push_back(std::move(a));
  }

  return {{"target_year", year},
          {"horizon", horizon_name},
          {"forecast_run_id", published->run_id},
          {"model", ModelById(data, published->model_id)},
          {"days", days},
          {"metrics", metrics},
          {"thresholds",
           {{"monthly_mape_warning", monthly_warning},
            {"monthly_mape_critical", monthly_critical},
            {"yearly_mape_warning", config.mape_warning}}},
          {"checks", ChecksJson(data.ListChecks(published->run_id))},
          {"monitor", MonitorJson(monitor, horizon)},
          {"alerts", AlertsJson(alerts)}};
}

json Backtests(const DataController& data, const Config& /*config*/) {
  json horizons = json::object();
  for (Horizon horizon : kHorizons) {
    json rows = json::array();
    for (const BacktestRow& b : data.LatestBacktests(horizon)) {
      rows.push_back({{"target_year", b.target_year},
                      {"run_id", b.run_id},
                      {"days", b.days},
                      {"mape", Number(b.mape)},
                      {"naive_mape", Number(b.naive_mape)},
                      {"mae", Number(b.mae)},
                      {"rmse", Number(b.rmse)},
                      {"bias", Number(b.bias)},
                      {"skill", Number(b.skill)},
                      {"coverage", Number(b.coverage)},
                      {"interval_width", Number(b.interval_width)}});
    }
    horizons[std::string(HorizonName(horizon))] = rows;
  }
  return {{"horizons", horizons}};
}

json Alerts(const DataController& data, const Config& /*config*/, const AlertFilter& filter) {
  CheckMembers(filter.severities, kAlertSeverities, "severity");
  CheckMembers(filter.sources, kAlertSources, "source");
  for (const auto& [name, value] : {std::pair{"since", &filter.since}, {"until", &filter.until}}) {
    if (!value->empty() && !Date::ParseIso(*value)) {
      throw UsageError(fmt::format("{} '{}' is not a date YYYY-MM-DD", name, *value));
    }
  }
  if (filter.limit <= 0) throw UsageError(fmt::format("limit {} is not positive", filter.limit));
  return {{"alerts", AlertsJson(data.ListAlerts(filter))}};
}

json Models(const DataController& data, const Config& /*config*/, std::optional<Horizon> horizon) {
  const std::vector<ModelAlias> aliases = data.ListAliases(horizon);
  const AliasesByModel by_model = IndexAliases(data.ListAliases(std::nullopt));
  json models = json::array();
  for (const ModelRecord& m : data.ListModels(horizon, kAll)) {
    models.push_back(ModelJson(data, m, by_model));
  }
  json alias_rows = json::array();
  for (const ModelAlias& a : aliases) {
    alias_rows.push_back({{"horizon", a.horizon},
                          {"alias", a.alias},
                          {"model_id", a.model_id},
                          {"updated_at", a.updated_at}});
  }
  json decisions = json::array();
  for (const ModelDecision& d : data.ListDecisions(horizon, kAll)) {
    decisions.push_back(DecisionJson(d));
  }
  return {{"models", models}, {"aliases", alias_rows}, {"decisions", decisions}};
}

json Runs(const DataController& data, const Config& /*config*/, int limit) {
  if (limit <= 0) throw UsageError(fmt::format("limit {} is not positive", limit));
  return {{"runs", RunsJson(data.ListRuns(limit))}};
}

json RunDetail(const DataController& data, const Config& /*config*/, int64_t id) {
  const auto run = data.FindRun(id);
  if (!run) throw NotFoundError(fmt::format("there is no run {}", id));
  // Stored as a JSON object; a run that read none (or predates them) has "".
  json inputs = json::object();
  if (!run->inputs.empty()) {
    const json parsed = json::parse(run->inputs, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object()) inputs = parsed;
  }
  AlertFilter filter;
  filter.run_id = id;
  filter.limit = kAll;
  json decisions = json::array();
  for (const ModelDecision& d : data.ListDecisions(std::nullopt, kAll)) {
    if (d.run_id == id) decisions.push_back(DecisionJson(d));
  }
  return {{"run", RunJson(*run)},
          {"config", run->config},
          {"inputs", inputs},
          {"model", ModelById(data, run->model_id)},
          {"checks", ChecksJson(data.ListChecks(id))},
          {"alerts", AlertsJson(data.ListAlerts(filter))},
          {"decisions", decisions}};
}

json AcknowledgeAlert(DataController& data, int64_t id) {
  const auto done = data.AcknowledgeAlert(id);
  if (!done) throw NotFoundError(fmt::format("there is no alert {}", id));
  return {{"alert", AlertToJson(done->alert)},
          {"already_acknowledged", done->already_acknowledged}};
}

namespace {

/// The run a series page reads: the one asked for, else the latest succeeded series run.
std::optional<int64_t> SeriesRun(const DataController& data, int64_t run_id,
                                 std::optional<int> target_year) {
  if (run_id > 0) return run_id;
  return data.LatestSeriesRun(target_year);
}

}  // namespace

json SeriesResultJson(const SeriesResultRow& r, bool with_forecast) {
  json out = {{"run_id", r.run_id},
              {"series", r.series},
              {"target_year", r.target_year},
              {"status", r.status},
              {"message", r.message},
              {"train_from", TextOrNull(r.train_from)},
              {"train_to", TextOrNull(r.train_to)},
              {"iterations", r.iterations},
              {"drift", Optional(r.drift)},
              {"days", r.days},
              {"mape", Optional(r.mape)},
              {"mae", Optional(r.mae)},
              {"rmse", Optional(r.rmse)},
              {"bias", Optional(r.bias)}};
  if (!with_forecast) return out;
  json days = json::array();
  const std::optional<Date> start = Date::ParseIso(r.forecast_start);
  for (std::size_t d = 0; start && d < r.forecast.size(); ++d) {
    days.push_back({{"date", (*start + static_cast<int>(d)).ToIso()},
                    {"forecast", r.forecast[d]},
                    {"lower", d < r.lower.size() ? json(r.lower[d]) : json(nullptr)},
                    {"upper", d < r.upper.size() ? json(r.upper[d]) : json(nullptr)}});
  }
  out["forecast"] = days;
  return out;
}

json SeriesList(const DataController& data, const SeriesListQuery& query) {
  if (!query.status.empty() && query.status != "ok" && query.status != "warning" &&
      query.status != "failed") {
    throw UsageError(fmt::format("status '{}' is not ok, warning or failed", query.status));
  }
  if (query.sort != "series" && query.sort != "mape") {
    throw UsageError(fmt::format("sort '{}' is not series or mape", query.sort));
  }
  if (query.limit <= 0) throw UsageError(fmt::format("limit {} is not positive", query.limit));
  const std::optional<int64_t> run = SeriesRun(data, query.run_id, query.target_year);
  json out = {
      {"run_id", nullptr},      {"target_year", nullptr}, {"counts", json::object()}, {"scored", 0},
      {"median_mape", nullptr}, {"matched", 0},           {"series", json::array()}};
  if (!run) return out;
  std::vector<SeriesResultRow> rows = data.ListSeriesResults(SeriesQuery{*run, "", "", false});
  if (rows.empty() && query.run_id > 0) {
    throw NotFoundError(fmt::format("run {} has no series results", query.run_id));
  }
  out["run_id"] = *run;
  std::map<std::string, int> counts = {{"ok", 0}, {"warning", 0}, {"failed", 0}};
  std::vector<double> mapes;
  for (const SeriesResultRow& r : rows) {
    ++counts[r.status];
    if (r.mape) mapes.push_back(*r.mape);
    out["target_year"] = r.target_year;
  }
  out["counts"] = counts;
  out["scored"] = mapes.size();
  if (!mapes.empty()) {
    const auto mid = mapes.begin() + static_cast<std::ptrdiff_t>(mapes.size() / 2);
    std::nth_element(mapes.begin(), mid, mapes.end());
    out["median_mape"] = *mid;
  }
  std::erase_if(rows, [&](const SeriesResultRow& r) {
    return (!query.status.empty() && r.status != query.status) ||
           (!query.search.empty() && r.series.find(query.search) == std::string::npos);
  });
  out["matched"] = rows.size();
  if (query.sort == "mape") {
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
      return a.mape.value_or(-1.0) > b.mape.value_or(-1.0);
    });
  }
  if (rows.size() > static_cast<std::size_t>(query.limit)) {
    rows.resize(static_cast<std::size_t>(query.limit));
  }
  for (const SeriesResultRow& r : rows) out["series"].push_back(SeriesResultJson(r, false));
  return out;
}

json SeriesDetail(const DataController& data, const std::string& name, int64_t run_id) {
  const std::optional<int64_t> run = SeriesRun(data, run_id, std::nullopt);
  if (!run) throw NotFoundError("there is no series run on record");
  const std::vector<SeriesResultRow> rows =
      data.ListSeriesResults(SeriesQuery{*run, name, "", true});
  if (rows.empty()) throw NotFoundError(fmt::format("run {} has no series '{}'", *run, name));
  const SeriesResultRow& r = rows.front();
  return SeriesResultJson(r, true);
}

}  // namespace loadcast::web
