// Rendering results for people (aligned tables) and for programs (one JSON document).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/flows.hpp"
#include "storage/record_json.hpp"
#include "storage/records.hpp"

namespace loadcast::cli {

/// The aliases ("champion", "challenger") each model holds, by model id.
using ModelAliases = std::map<int64_t, std::vector<std::string>>;
ModelAliases AliasesByModel(const std::vector<ModelAlias>& aliases);

/// "model 3 (year v2)".
std::string ModelLabel(const ModelRecord& model);
/// The label with the model's aliases in front: "champion model 3 (year v2)".
std::string ModelLabel(const ModelRecord& model, const ModelAliases& aliases);

// The records' own JSON forms (ToJson, ToJsonArray, RunWithDurationJson, ...) are those of
// storage/record_json.hpp; what follows are the forms of what only commands print.

/// `aliases` are the registry's now, for the models the flow trained and used.
nlohmann::json ToJson(const FlowResult& result, const ModelAliases& aliases = {});
nlohmann::json ToJson(const IngestResult& result);
nlohmann::json ToJson(const BacktestResult& result);
/// The time each step of a flow took, as [{step, ms}].
nlohmann::json TimingsJson(const std::vector<StepTiming>& timings);

std::string FormatFlow(const FlowResult& result, const ModelAliases& aliases = {});
/// A metric value as decisions hold it: MAPE in percent, MAE and RMSE in MWh; "-" when absent.
std::string FormatFigure(const std::optional<double>& value);
/// The decisions log as a table.
std::string FormatDecisions(const std::vector<ModelDecision>& decisions);
std::string FormatIngest(const IngestResult& result);
std::string FormatRuns(const std::vector<RunRecord>& runs);
std::string FormatAlerts(const std::vector<AlertRecord>& alerts);
std::string FormatEvaluations(const std::vector<EvaluationSummary>& evaluations);
std::string FormatBacktest(const BacktestResult& result);

}  // namespace loadcast::cli
