// One function per command: each adds its subcommand and, when chosen, sets the action main runs.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <functional>
#include <optional>

#include "cli/context.hpp"
#include "pipeline/flows.hpp"

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
void AddBacktestCommand(CLI::App& app, Context& context, Action& action);
void AddValidateCommand(CLI::App& app, Context& context, Action& action);
void AddMonitorCommand(CLI::App& app, Context& context, Action& action);

/// Options shared by the commands about one target year and horizon.
struct TargetOptions {
  int target_year = 0;
  std::string horizon = "year";
  bool json = false;
};
/// Adds --target-year (required), --horizon and, when `with_json`, --json.
void AddTargetOptions(CLI::App& command, TargetOptions& options, bool with_json);
/// A flow about one target year and horizon, writing the forecast to `out` when it has one.
using FlowFunction = std::function<FlowResult(DataController&, const Config&, int, Horizon,
                                              const std::optional<std::filesystem::path>& out)>;
/// Adds a command that runs `flow` for --target-year/--horizon (and --out when `with_out`) and
/// prints its result as a table or, with --json, one JSON document.
void AddFlowCommand(CLI::App& app, Context& context, Action& action, const std::string& name,
                    const std::string& description, bool with_out, FlowFunction flow);
/// Prints a JSON document or text to standard output.
void Print(bool json, const nlohmann::json& document, const std::string& text);

}  // namespace loadcast::cli
