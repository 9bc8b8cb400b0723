// Rendering results for people (aligned tables) and for programs (one JSON document).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/flows.hpp"
#include "storage/records.hpp"

namespace loadcast::cli {

nlohmann::json ToJson(const FlowResult& result);
nlohmann::json ToJson(const IngestResult& result);
nlohmann::json ToJson(const std::vector<RunRecord>& runs);
nlohmann::json ToJson(const std::vector<AlertRecord>& alerts);
nlohmann::json ToJson(const std::vector<EvaluationSummary>& evaluations);
nlohmann::json ToJson(const BacktestResult& result);

std::string FormatFlow(const FlowResult& result);
std::string FormatIngest(const IngestResult& result);
std::string FormatRuns(const std::vector<RunRecord>& runs);
std::string FormatAlerts(const std::vector<AlertRecord>& alerts);
std::string FormatEvaluations(const std::vector<EvaluationSummary>& evaluations);
std::string FormatBacktest(const BacktestResult& result);

}  // namespace loadcast::cli
