// One function per command: each adds its subcommand and, when chosen, sets the action main runs.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

#include "cli/context.hpp"

namespace loadcast::cli {

/// What main runs after parsing; returns the process exit code.
using Action = std::function<int()>;

void AddIngestCommand(CLI::App& app, Context& context, Action& action);
void AddTrainCommand(CLI::App& app, Context& context, Action& action);
void AddPredictCommand(CLI::App& app, Context& context, Action& action);
void AddEvaluateCommand(CLI::App& app, Context& context, Action& action);
void AddRunCommand(CLI::App& app, Context& context, Action& action);
void AddAlertsCommand(CLI::App& app, Context& context, Action& action);
void AddRunsCommand(CLI::App& app, Context& context, Action& action);
void AddMetricsCommand(CLI::App& app, Context& context, Action& action);
void AddConfigCommand(CLI::App& app, Context& context, Action& action);

/// Options shared by the commands about one target year and horizon.
struct TargetOptions {
  int target_year = 0;
  std::string horizon = "year";
  bool json = false;
};
/// Adds --target-year (required), --horizon and, when `with_json`, --json.
void AddTargetOptions(CLI::App& command, TargetOptions& options, bool with_json);
/// Prints a JSON document or text to standard output.
void Print(bool json, const nlohmann::json& document, const std::string& text);

}  // namespace loadcast::cli
