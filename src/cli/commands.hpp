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
void AddModelsCommand(CLI::App& app, Context& context, Action& action);
void AddServeCommand(CLI::App& app, Context& context, Action& action);
void AddReportCommand(CLI::App& app, Context& context, Action& action);
void AddSeriesCommand(CLI::App& app, Context& context, Action& action);
void AddActualsCommand(CLI::App& app, Context& context, Action& action);

/// Options shared by the commands about one target year and horizon.
struct TargetOptions {
  int target_year = 0;
  std::string horizon = "year";
  bool json = false;
};
/// Adds --target-year (required), --horizon and, when `with_json`, --json.
void AddTargetOptions(CLI::App& command, TargetOptions& options, bool with_json);
/// What a flow command was asked for on its command line.
struct FlowRequest {
  int target_year = 0;
  Horizon horizon = Horizon::kYear;
  std::optional<std::filesystem::path> out;  // --out, resolved against the working directory
  std::string model;                         // --model (id or version prefix); empty: champion
};
/// The options a flow command has beyond --target-year, --horizon and --json.
struct FlowOptions {
  bool out = false;    // --out FILE.csv: the command writes a forecast
  bool model = false;  // --model ID: the command forecasts with a chosen model
};
/// A flow about one target year and horizon.
using FlowFunction = std::function<FlowResult(DataController&, const Config&, const FlowRequest&)>;
/// Adds a command that runs `flow` for --target-year/--horizon (and the `options` it has) and
/// prints its result as a table or, with --json, one JSON document.
void AddFlowCommand(CLI::App& app, Context& context, Action& action, const std::string& name,
                    const std::string& description, FlowOptions options, FlowFunction flow);
/// Prints a JSON document or text to standard output.
void Print(bool json, const nlohmann::json& document, const std::string& text);

/// What a command prints: `document` with --json, `text` (for people) otherwise.
struct Output {
  nlohmann::json document;
  std::string text;
};
/// Computes a command's output; `json` says whether --json was given, for a document that costs
/// more to build than the text.
using OutputFunction = std::function<Output(bool json)>;
/// Adds --json to `command` and, when the command is chosen without one of its subcommands
/// (which set their own action), sets the action that prints what `produce` returns and exits 0.
void SetPrintAction(CLI::App& command, Action& action, OutputFunction produce);

/// Adds the option `name` into `year`, which must be from 1900 to 2999 as a command's years are.
CLI::Option* AddYearOption(CLI::App& command, const std::string& name, int& year,
                           const std::string& description);

}  // namespace loadcast::cli
