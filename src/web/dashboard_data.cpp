#include "web/dashboard_data.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
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
#include "storage/record_json.hpp"

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

json ValidationJson(const ValidationScores& scores) {
  return {{"years", scores.year_list()}, {"mean", ToJson(scores.mean)}};
}

/// The validation scores recorded in a model's artifact; null when the artifact has none or
/// cannot be read, so that one missing artifact does not fail the page that lists it.
json ArtifactValidation(const DataController& data, int64_t model_id) {
  try {
    const auto stored = data.models().Load(model_id);
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

/// The model as the dashboard lists it: with its aliases now and its validation scores.
json ModelJson(const DataController& data, const ModelRecord& m, const AliasesByModel& aliases) {
  const auto it = aliases.find(m.id);
  json out = ModelWithAliasesJson(m, it == aliases.end() ? std::vector<std::string>{} : it->second);
  out["validation"] = ArtifactValidation(data, m.id);
  return out;
}

/// A model by id with its aliases now; null when no model has that id.
json ModelById(const DataController& data, std::optional<int64_t> id) {
  if (!id) return nullptr;
  const auto model = data.models().Find(*id);
  if (!model) return nullptr;
  return ModelJson(data, *model, IndexAliases(data.models().ListAliases(std::nullopt)));
}

/// How well the interval of a published forecast held the actuals known so far; null before
/// any actual of its days is known.
json Coverage(const PublishedForecast& forecast, const TimeSeries& actuals) {
  std::vector<double> actual, mean, lower, upper;
  for (const ForecastRow& row : forecast.rows) {
    actual.push_back(actuals.at(row.date));
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
    if (e.horizon == horizon && (!latest || e.target_year > latest->target_year)) {
      latest = &e;
    }
  }
  if (!latest) return nullptr;
  json out = ToJson(*latest);
  const auto forecast = data.forecasts().Current(latest->target_year, horizon, 0);
  out["coverage"] =
      forecast ? Coverage(*forecast, data.actuals().Load(latest->target_year)) : json(nullptr);
  return out;
}

json HorizonPanel(const DataController& data, const std::vector<EvaluationSummary>& evaluations,
                  const AliasesByModel& aliases, Horizon horizon) {
  const auto champion = data.models().FindAliased(horizon, "champion");
  const auto challenger = data.models().FindAliased(horizon, "challenger");
  json out = {{"horizon", HorizonName(horizon)},
              {"champion", champion ? ModelJson(data, *champion, aliases) : json(nullptr)},
              {"challenger", challenger ? ModelJson(data, *challenger, aliases) : json(nullptr)}};
  out["validation"] = champion ? out["champion"]["validation"] : json(nullptr);
  out["latest"] = LatestScores(data, evaluations, horizon);
  return out;
}

json AlertCounts(const DataController& data) {
  json open = json::object();
  for (std::size_t i = 0; i < VocabularyNames<AlertSeverity>().size(); ++i) {
    const auto severity = static_cast<AlertSeverity>(i);
    AlertFilter filter;
    filter.severities = {severity};
    filter.acknowledged = false;
    filter.limit = kAll;
    open[std::string(NameOf(severity))] = data.alerts().List(filter).size();
  }
  AlertFilter all;
  all.limit = kAll;
  return {{"open", open}, {"total", data.alerts().List(all).size()}};
}

/// The monthly thresholds of the performance monitor for a horizon, from the month windows of
/// the latest monitor run; null where it has none.
std::pair<json, json> MonthlyThresholds(const std::optional<MonitorSnapshot>& monitor,
                                        Horizon horizon) {
  if (monitor) {
    for (const MonitorWindowRow& w : monitor->windows) {
      if (w.kind == "month" && w.horizon == horizon && w.warning_threshold) {
        return {json(*w.warning_threshold), Optional(w.critical_threshold)};
      }
    }
  }
  return {json(nullptr), json(nullptr)};
}

/// The monitor snapshot with the performance windows of `horizon` only (and every drift one).
json MonitorJson(std::optional<MonitorSnapshot> monitor, Horizon horizon) {
  if (!monitor) return nullptr;
  std::erase_if(monitor->windows, [horizon](const MonitorWindowRow& w) {
    return w.kind != "drift" && w.horizon != horizon;
  });
  return ToJson(*monitor);
}

}  // namespace

json Overview(const DataController& data, const Config& /*config*/) {
  const std::vector<EvaluationSummary> evaluations = data.scores().LatestEvaluations();
  std::optional<int> latest_year;
  for (const EvaluationSummary& e : evaluations) {
    latest_year = std::max(latest_year.value_or(e.target_year), e.target_year);
  }
  const AliasesByModel aliases = IndexAliases(data.models().ListAliases(std::nullopt));
  json horizons = json::array();
  for (Horizon horizon : kHorizons) {
    horizons.push_back(HorizonPanel(data, evaluations, aliases, horizon));
  }
  return {{"generated_at", UtcNow()},
          {"latest_target_year", Optional(latest_year)},
          {"horizons", horizons},
          {"alerts", AlertCounts(data)},
          {"runs", RunsWithDurationJson(data.runs().List(kOverviewRuns))}};
}

json YearView(const DataController& data, const Config& config, int year, Horizon horizon) {
  const std::string horizon_name(HorizonName(horizon));
  const auto published = data.forecasts().Current(year, horizon, 0);
  if (!published) {
    throw NotFoundError(fmt::format("no {} forecast of {} is published", horizon_name, year));
  }
  const TimeSeries actuals = data.actuals().Load(year);
  json days = json::array();
  for (const ForecastRow& row : published->rows) {
    const double actual = actuals.at(row.date);
    // The published row with what its day turned out to be.
    json day = ToJson(row);
    day["actual"] = Number(actual);
    day["residual"] = Number(actual - row.forecast);
    days.push_back(day);
  }

  // Scored as `evaluate` scores it; nothing before the first actual of the year is known.
  json metrics = {{"year", nullptr}, {"months", json::array()}};
  if (const auto evaluation = Evaluate(data, year, horizon, 0)) {
    metrics["year"] = ToJson(evaluation->year);
    metrics["year"]["coverage"] = Coverage(*published, actuals);
    metrics["months"] = ToJsonArray(evaluation->months);
  }

  const auto monitor = data.monitor().Latest(year);
  const auto [monthly_warning, monthly_critical] = MonthlyThresholds(monitor, horizon);

  AlertFilter filter;
  filter.target_year = year;
  filter.limit = kAll;
  std::vector<AlertRecord> alerts;
  for (AlertRecord& a : data.alerts().List(filter)) {
    if (!a.horizon || *a.horizon == horizon) alerts.push_back(std::move(a));
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
          {"checks", ToJsonArray(data.scores().ListChecks(published->run_id))},
          {"monitor", MonitorJson(monitor, horizon)},
          {"alerts", ToJsonArray(alerts)}};
}

json Backtests(const DataController& data, const Config& /*config*/) {
  json horizons = json::object();
  for (Horizon horizon : kHorizons) {
    horizons[std::string(HorizonName(horizon))] =
        ToJsonArray(data.scores().LatestBacktests(horizon));
  }
  return {{"horizons", horizons}};
}

json Alerts(const DataController& data, const Config& /*config*/, const AlertFilter& filter) {
  for (const auto& [name, value] : {std::pair{"since", &filter.since}, {"until", &filter.until}}) {
    if (!value->empty() && !Date::ParseIso(*value)) {
      throw UsageError(fmt::format("{} '{}' is not a date YYYY-MM-DD", name, *value));
    }
  }
  if (filter.limit <= 0) throw UsageError(fmt::format("limit {} is not positive", filter.limit));
  return {{"alerts", ToJsonArray(data.alerts().List(filter))}};
}

json Models(const DataController& data, const Config& /*config*/, std::optional<Horizon> horizon) {
  const std::vector<ModelAlias> aliases = data.models().ListAliases(horizon);
  const AliasesByModel by_model = IndexAliases(data.models().ListAliases(std::nullopt));
  json models = json::array();
  for (const ModelRecord& m : data.models().List(horizon, kAll)) {
    models.push_back(ModelJson(data, m, by_model));
  }
  return {{"models", models},
          {"aliases", ToJsonArray(aliases)},
          {"decisions", ToJsonArray(data.models().ListDecisions(horizon, kAll))}};
}

json Runs(const DataController& data, const Config& /*config*/, int limit) {
  if (limit <= 0) throw UsageError(fmt::format("limit {} is not positive", limit));
  return {{"runs", RunsWithDurationJson(data.runs().List(limit))}};
}

json RunDetail(const DataController& data, const Config& /*config*/, int64_t id) {
  const auto run = data.runs().Find(id);
  if (!run) throw NotFoundError(fmt::format("there is no run {}", id));
  AlertFilter filter;
  filter.run_id = id;
  filter.limit = kAll;
  json decisions = json::array();
  for (const ModelDecision& d : data.models().ListDecisions(std::nullopt, kAll)) {
    if (d.run_id == id) decisions.push_back(ToJson(d));
  }
  return {{"run", RunWithDurationJson(*run)},
          {"config", run->config},
          {"model", ModelById(data, run->model_id)},
          {"checks", ToJsonArray(data.scores().ListChecks(id))},
          {"alerts", ToJsonArray(data.alerts().List(filter))},
          {"decisions", decisions}};
}

json AcknowledgeAlert(DataController& data, int64_t id) {
  const auto done = data.alerts().Acknowledge(id);
  if (!done) throw NotFoundError(fmt::format("there is no alert {}", id));
  return ToJson(*done);
}

namespace {

/// The run a series page reads: the one asked for, else the latest succeeded series run.
std::optional<int64_t> SeriesRun(const DataController& data, int64_t run_id,
                                 std::optional<int> target_year) {
  if (run_id > 0) return run_id;
  return data.series_results().LatestRun(target_year);
}

}  // namespace

json SeriesList(const DataController& data, const SeriesListQuery& query) {
  if (query.sort != "series" && query.sort != "mape") {
    throw UsageError(fmt::format("sort '{}' is not series or mape", query.sort));
  }
  if (query.limit <= 0) throw UsageError(fmt::format("limit {} is not positive", query.limit));
  const std::optional<int64_t> run = SeriesRun(data, query.run_id, query.target_year);
  json out = {
      {"run_id", nullptr},      {"target_year", nullptr}, {"counts", json::object()}, {"scored", 0},
      {"median_mape", nullptr}, {"matched", 0},           {"series", json::array()}};
  if (!run) return out;
  std::vector<SeriesResultRow> rows =
      data.series_results().List(SeriesQuery{*run, "", std::nullopt, false});
  if (rows.empty() && query.run_id > 0) {
    throw NotFoundError(fmt::format("run {} has no series results", query.run_id));
  }
  out["run_id"] = *run;
  std::map<std::string, int> counts;
  for (const std::string_view status : VocabularyNames<SeriesStatus>()) counts[std::string(status)];
  std::vector<double> mapes;
  for (const SeriesResultRow& r : rows) {
    ++counts[std::string(NameOf(r.status))];
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
    return (query.status && r.status != *query.status) ||
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
  for (const SeriesResultRow& r : rows) out["series"].push_back(ToJson(r));
  return out;
}

json SeriesDetail(const DataController& data, const std::string& name, int64_t run_id) {
  const std::optional<int64_t> run = SeriesRun(data, run_id, std::nullopt);
  if (!run) throw NotFoundError("there is no series run on record");
  const std::vector<SeriesResultRow> rows =
      data.series_results().List(SeriesQuery{*run, name, std::nullopt, true});
  if (rows.empty()) throw NotFoundError(fmt::format("run {} has no series '{}'", *run, name));
  return SeriesResultWithForecastJson(rows.front());
}

}  // namespace loadcast::web
