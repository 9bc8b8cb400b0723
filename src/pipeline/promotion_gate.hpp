// The promotion gate: a newly trained model (the candidate) replaces the champion of its horizon
// only when it forecasts better. Both are scored on the same validation backtest, a rolling
// origin over the latest complete years before the target year, each year forecast by a model
// of the same specification fitted on the years before it; the candidate must beat the champion
// by a relative margin on the configured metric and pass absolute limits. Each verdict is a
// decision on record, and the aliases move in the same transaction.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
#include "pipeline/interval_calibrator.hpp"

namespace loadcast {

/// A model specification's scores on a validation backtest, with the data they came from.
struct ValidationScores {
  std::vector<MetricRow> years;  // scope "year", period the year, by year
  MetricRow mean;                // scope "mean": each score averaged over the years
  int first_input_year = 0;      // the actuals objects the backtest could read...
  int last_input_year = 0;       // ...and the last (the year before the target)
  std::string data_hash;         // InputsHash of those objects

  bool empty() const { return years.empty(); }
  std::vector<int> year_list() const;
  /// "2018-2020" (or the single year), "none" when empty.
  std::string Describe() const;
};

/// The value of `metric` (mape, mae, rmse) in a score row.
double MetricValue(const MetricRow& row, std::string_view metric);

/// Scores the folds of years at or after `from_year` against their actuals, beside the seasonal
/// naive; `inputs` maps each year whose actuals object the backtest could read to its SHA-256.
ValidationScores ScoreFolds(const std::vector<BacktestFold>& folds, int from_year, Horizon horizon,
                            const std::map<int, std::string>& inputs);
/// The same scores restricted to `years` (the mean taken again).
ValidationScores RestrictScores(const ValidationScores& scores, const std::vector<int>& years);

nlohmann::json ValidationToJson(const ValidationScores& scores);
/// The "validation" section of an artifact; nullopt when it has none (older artifacts).
/// StorageError when malformed.
std::optional<ValidationScores> ValidationFromArtifact(const nlohmann::json& artifact);

/// The candidate, as registered, with its validation scores.
struct GateCandidate {
  ModelRecord model;
  ValidationScores scores;
};

/// The champion, with its scores on the candidate's validation years when it could be scored.
struct GateChampion {
  ModelRecord model;
  std::optional<ValidationScores> scores;
  std::string scores_source;  // "as recorded" (its artifact's own) or "rescored"
};

struct GateVerdict {
  ModelDecision decision;
  AliasChange change;
};

/// The verdict, in this order: no champion, and the candidate becomes champion; a candidate
/// without validation scores, or over the absolute limits (validation MAPE, skill), is rejected;
/// a champion trained on data of the target year or later cannot forecast it, and the candidate
/// replaces it; a candidate of the same specification trained on other data refreshes it;
/// otherwise the candidate is promoted when its metric improves on the champion's by at least
/// `settings.min_improvement` (relative). Promoted: champion moves to the candidate and the
/// challenger alias is cleared; rejected: the candidate becomes challenger.
GateVerdict DecidePromotion(const GateCandidate& candidate,
                            const std::optional<GateChampion>& champion,
                            const RegistrySettings& settings, Horizon horizon, int target_year);

/// What the gate did for a candidate.
struct GateResult {
  std::optional<ModelDecision> decision;  // the verdict: new, or the same one already on record
  bool recorded = false;                  // a new decision row was written
  std::string summary;                    // one line for people
};

/// Runs the gate for a candidate registered by `run_id`: finds the champion, scores it on the
/// candidate's validation years (reusing its recorded scores when they come from the same years
/// and the same data, rescoring its specification on the stored actuals otherwise), decides and
/// records the decision with its alias change. Nothing is recorded when the candidate already is
/// the champion, or when the latest decision of the horizon was this very one (a re-run).
GateResult RunPromotionGate(DataController& data, const Config& config, int64_t run_id,
                            int target_year, Horizon horizon, const GateCandidate& candidate);

}  // namespace loadcast
