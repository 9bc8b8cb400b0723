#include "pipeline/promotion_gate.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/errors.hpp"
#include "model/registry.hpp"
#include "pipeline/evaluator.hpp"

namespace loadcast {
namespace {

constexpr std::string_view kChampion = "champion";

/// The validation's mean row: each score averaged over the years, scope "mean", period the years.
MetricRow MeanOf(const std::vector<MetricRow>& rows) {
  MetricRow mean = MeanScores<MetricRow>(rows);
  mean.scope = "mean";
  if (rows.empty()) return mean;
  mean.period = rows.size() == 1 ? rows.front().period
                                 : fmt::format("{}-{}", rows.front().period, rows.back().period);
  return mean;
}

nlohmann::json RowToJson(const MetricRow& r) {
  return {{"period", r.period}, {"days", r.days}, {"mape", r.mape},   {"mae", r.mae},
          {"rmse", r.rmse},     {"bias", r.bias}, {"skill", r.skill}, {"naive_mape", r.naive_mape}};
}

MetricRow RowFromJson(const nlohmann::json& j, std::string scope) {
  return {{j.at("days").get<int>(), j.at("mape").get<double>(), j.at("mae").get<double>(),
           j.at("rmse").get<double>(), j.at("bias").get<double>(), j.at("skill").get<double>(),
           j.at("naive_mape").get<double>()},
          std::move(scope),
          j.at("period").get<std::string>()};
}

std::string Label(const ModelRecord& m) {
  return fmt::format("model {} ({} v{})", m.id, m.horizon, m.number);
}

/// The actuals objects of years [first, last] that exist, by year, with their SHA-256.
std::map<int, std::string> StoredObjects(const DataController& data, int first, int last) {
  std::map<int, std::string> objects;
  for (int year = first; year <= last; ++year) {
    if (std::string hash = data.actuals().Hash(year); !hash.empty()) objects[year] = hash;
  }
  return objects;
}

/// The champion's scores on the candidate's validation years: its own recorded ones when they
/// come from those years and the same data (they were computed by the code that trained it),
/// else its specification backtested again on the stored actuals by this build.
GateChampion ScoreChampion(const DataController& data, const StoredModel& champion,
                           const ValidationScores& candidate, Horizon horizon, int target_year) {
  GateChampion out{champion.record, std::nullopt, ""};
  const std::vector<int> years = candidate.year_list();
  if (years.empty()) return out;
  if (const auto recorded = ValidationFromArtifact(champion.artifact);
      recorded && recorded->year_list() == years && !recorded->data_hash.empty()) {
    const auto objects = StoredObjects(data, recorded->first_input_year, recorded->last_input_year);
    std::map<std::string, std::string> keyed;
    for (const auto& [year, hash] : objects) keyed[ActualsStore::Key(year)] = hash;
    if (InputsHash(keyed) == recorded->data_hash) {
      out.scores = *recorded;
      out.scores_source = "as recorded";
      return out;
    }
  }
  const ModelSpec params = ArtifactParams(champion.artifact);
  const int first = years.front() - std::max(params.common.training_years, 2);
  const int last = target_year - 1;
  const TimeSeries history = data.actuals().LoadRange(first, last);
  const auto folds =
      BacktestFolds(history, params, horizon, target_year, target_year - years.front());
  ValidationScores rescored =
      ScoreFolds(folds, years.front(), horizon, StoredObjects(data, first, last));
  out.scores = RestrictScores(rescored, years);
  out.scores_source = "rescored";
  return out;
}

}  // namespace

std::vector<int> ValidationScores::year_list() const {
  std::vector<int> out;
  for (const MetricRow& r : years) out.push_back(std::stoi(r.period));
  return out;
}

std::string ValidationScores::Describe() const {
  if (years.empty()) return "none";
  if (years.size() == 1) return years.front().period;
  return fmt::format("{}-{}", years.front().period, years.back().period);
}

double MetricValue(const MetricRow& row, std::string_view metric) {
  if (metric == "mae") return row.mae;
  if (metric == "rmse") return row.rmse;
  return row.mape;
}

ValidationScores ScoreFolds(const std::vector<BacktestFold>& folds, int from_year, Horizon horizon,
                            const std::map<int, std::string>& inputs) {
  ValidationScores out;
  for (const BacktestFold& fold : folds) {
    if (fold.year < from_year) continue;
    MetricRow row = ScoreAgainstNaive("year", std::to_string(fold.year), fold.enriched.targets,
                                      fold.forecast.mean, fold.enriched.history, horizon);
    if (row.days > 0) out.years.push_back(std::move(row));
  }
  out.mean = MeanOf(out.years);
  if (!inputs.empty()) {
    out.first_input_year = inputs.begin()->first;
    out.last_input_year = inputs.rbegin()->first;
    std::map<std::string, std::string> keyed;
    for (const auto& [year, hash] : inputs) keyed[ActualsStore::Key(year)] = hash;
    out.data_hash = InputsHash(keyed);
  }
  return out;
}

ValidationScores RestrictScores(const ValidationScores& scores, const std::vector<int>& years) {
  ValidationScores out = scores;
  out.years.clear();
  for (const MetricRow& r : scores.years) {
    if (std::find(years.begin(), years.end(), std::stoi(r.period)) != years.end()) {
      out.years.push_back(r);
    }
  }
  out.mean = MeanOf(out.years);
  return out;
}

nlohmann::json ValidationToJson(const ValidationScores& scores) {
  nlohmann::json by_year = nlohmann::json::array();
  for (const MetricRow& r : scores.years) by_year.push_back(RowToJson(r));
  return {{"method", "rolling_origin_backtest"},
          {"years", scores.year_list()},
          {"by_year", by_year},
          {"mean", RowToJson(scores.mean)},
          {"inputs",
           {{"first_year", scores.first_input_year},
            {"last_year", scores.last_input_year},
            {"data_hash", scores.data_hash}}}};
}

std::optional<ValidationScores> ValidationFromArtifact(const nlohmann::json& artifact) {
  const auto it = artifact.find("validation");
  if (it == artifact.end()) return std::nullopt;
  try {
    ValidationScores out;
    for (const auto& row : it->at("by_year")) out.years.push_back(RowFromJson(row, "year"));
    out.mean = RowFromJson(it->at("mean"), "mean");
    const auto& inputs = it->at("inputs");
    out.first_input_year = inputs.at("first_year").get<int>();
    out.last_input_year = inputs.at("last_year").get<int>();
    out.data_hash = inputs.at("data_hash").get<std::string>();
    return out;
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(fmt::format("model artifact: malformed validation: {}", e.what()));
  }
}

GateVerdict DecidePromotion(const GateCandidate& candidate,
                            const std::optional<GateChampion>& champion,
                            const RegistrySettings& settings, Horizon horizon, int target_year) {
  GateVerdict verdict;
  ModelDecision& d = verdict.decision;
  d.horizon = horizon;
  d.target_year = target_year;
  d.action = DecisionAction::kGate;
  d.candidate_id = candidate.model.id;
  d.metric = settings.metric;
  d.min_improvement = settings.min_improvement;
  d.validation = fmt::format("backtest {}", candidate.scores.Describe());
  if (!candidate.scores.empty()) {
    d.candidate_value = MetricValue(candidate.scores.mean, settings.metric);
  }
  auto promote = [&](std::string reason) {
    d.outcome = DecisionOutcome::kPromoted;
    d.reason = std::move(reason);
    verdict.change.champion = candidate.model.id;
    verdict.change.clear_challenger = true;
    return verdict;
  };
  auto reject = [&](std::string reason) {
    d.outcome = DecisionOutcome::kRejected;
    d.reason = std::move(reason);
    verdict.change.challenger = candidate.model.id;
    return verdict;
  };

  if (!champion) {
    return promote(fmt::format("first {} model: it becomes champion", d.horizon));
  }
  d.champion_id = champion->model.id;
  const std::string champ = Label(champion->model);
  if (champion->scores && !champion->scores->empty()) {
    d.champion_value = MetricValue(champion->scores->mean, settings.metric);
    if (d.candidate_value && *d.champion_value > 0.0) {
      d.improvement = (*d.champion_value - *d.candidate_value) / *d.champion_value;
    }
  }
  if (candidate.scores.empty()) {
    return reject(fmt::format(
        "no year before {} has enough history to validate the candidate; {} stays champion",
        target_year, champ));
  }
  const MetricRow& mean = candidate.scores.mean;
  if (mean.mape > settings.max_mape(horizon)) {
    return reject(
        fmt::format("validation MAPE {:.3f}% is above the {:.3f}% limit; {} stays champion",
                    mean.mape, settings.max_mape(horizon), champ));
  }
  if (mean.skill < settings.min_skill) {
    return reject(fmt::format(
        "validation skill {:.3f} against the seasonal naive is below the {:.3f} limit; {} stays "
        "champion",
        mean.skill, settings.min_skill, champ));
  }
  if (champion->model.trained_to >= Date::FromYmd(target_year, 1, 1)) {
    return promote(fmt::format(
        "{} was trained on data through {} and cannot forecast {} without having seen it", champ,
        champion->model.trained_to, target_year));
  }
  if (champion->model.spec_hash == candidate.model.spec_hash &&
      champion->model.data_hash != candidate.model.data_hash) {
    return promote(fmt::format(
        "refresh: the same specification as {}, trained on changed or newer data", champ));
  }
  if (!d.improvement) {
    return promote(fmt::format("{} has no validation score on {} to compare with", champ,
                               candidate.scores.Describe()));
  }
  const std::string figures = fmt::format(
      "{} {:.4g} against {:.4g} for {} ({}), {:+.2f}% where {:.2f}% is required", settings.metric,
      *d.candidate_value, *d.champion_value, champ, champion->scores_source, 100.0 * *d.improvement,
      100.0 * settings.min_improvement);
  if (*d.improvement >= settings.min_improvement) {
    return promote(fmt::format("better on {}: {}", d.validation, figures));
  }
  return reject(fmt::format("not better enough on {}: {}", d.validation, figures));
}

GateResult RunPromotionGate(DataController& data, const Config& config, int64_t run_id,
                            int target_year, Horizon horizon, const GateCandidate& candidate) {
  GateResult result;
  const auto champion = data.models().LoadAliased(horizon, std::string(kChampion));
  if (champion && champion->record.id == candidate.model.id) {
    result.summary = fmt::format("{} is the champion already", Label(candidate.model));
    spdlog::info("promotion gate: {}", result.summary);
    return result;
  }
  std::optional<GateChampion> scored;
  if (champion) {
    scored = ScoreChampion(data, *champion, candidate.scores, horizon, target_year);
  }
  GateVerdict verdict = DecidePromotion(candidate, scored, config.registry, horizon, target_year);
  verdict.decision.run_id = run_id;
  // A re-run on the same data meets the same candidate and champion: the verdict is on record.
  const auto latest = data.models().ListDecisions(horizon, 1);
  if (!latest.empty() && latest.front().action == DecisionAction::kGate &&
      latest.front().candidate_id == verdict.decision.candidate_id &&
      latest.front().champion_id == verdict.decision.champion_id &&
      latest.front().outcome == verdict.decision.outcome) {
    result.decision = latest.front();
    result.summary = fmt::format("{} {} (decision {}, on record): {}", Label(candidate.model),
                                 latest.front().outcome, latest.front().id, latest.front().reason);
    spdlog::info("promotion gate: {}", result.summary);
    return result;
  }
  verdict.decision.id = data.models().RecordDecision(verdict.decision, verdict.change);
  result.decision = verdict.decision;
  result.recorded = true;
  result.summary =
      fmt::format("{} {} (decision {}): {}", Label(candidate.model), verdict.decision.outcome,
                  verdict.decision.id, verdict.decision.reason);
  spdlog::info("promotion gate: {}", result.summary);
  return result;
}

}  // namespace loadcast
