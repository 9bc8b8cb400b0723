#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace loadcast::cli {

void AddTargetOptions(CLI::App& command, TargetOptions& options, bool with_json) {
  AddYearOption(command, "--target-year", options.target_year,
                "Year to forecast (trained on the years before)")
      ->required();
  command
      .add_option("--horizon", options.horizon, "year (one-shot, whole year) or day (day-ahead)")
      ->check(CLI::IsMember({"year", "day"}))
      ->capture_default_str();
  if (with_json) command.add_flag("--json", options.json, "Print one JSON document");
}

CLI::Option* AddYearOption(CLI::App& command, const std::string& name, int& year,
                           const std::string& description) {
  return command.add_option(name, year, description)->check(CLI::Range(1900, 2999));
}

void AddFlowCommand(CLI::App& app, Context& context, Action& action, const std::string& name,
                    const std::string& description, FlowOptions flow_options, FlowFunction flow) {
  struct Options : TargetOptions {
    std::string out;
    std::string model;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(name, description);
  AddTargetOptions(*command, *options, /*with_json=*/true);
  if (flow_options.out) {
    command->add_option("--out", options->out,
                        "Also write the forecast as CSV (date,forecast,lower,upper,actual)");
  }
  if (flow_options.model) {
    command->add_option("--model", options->model,
                        "Forecast with this model (id or version prefix, 'loadcast models list') "
                        "instead of the horizon's champion");
  }
  command->callback([&context, &action, options, flow = std::move(flow)] {
    action = [&context, options, flow] {
      FlowRequest request;
      request.target_year = options->target_year;
      request.horizon = ParseHorizon(options->horizon);
      if (!options->out.empty()) {
        request.out = context.config().Resolve(options->out);
        // Refused before any work, not after a run that cannot write its result.
        context.data().CheckExport(*request.out);
      }
      request.model = options->model;
      const FlowResult result = flow(context.data(), context.config(), request);
      // Which aliases the flow's models hold now, after its gate: "champion model 3".
      ModelAliases aliases;
      if (result.model || result.trained) {
        aliases = AliasesByModel(context.data().models().ListAliases(request.horizon));
      }
      Print(options->json, ToJson(result, aliases), FormatFlow(result, aliases));
      return 0;
    };
  });
}

void Print(bool json, const nlohmann::json& document, const std::string& text) {
  if (json) {
    std::cout << document.dump(2) << "\n";
  } else {
    std::cout << text;
  }
  std::cout.flush();
}

void SetPrintAction(CLI::App& command, Action& action, OutputFunction produce) {
  auto json = std::make_shared<bool>(false);
  command.add_flag("--json", *json, "Print one JSON document");
  command.callback([&command, &action, json, produce = std::move(produce)] {
    if (!command.get_subcommands().empty()) return;  // the subcommand set its own action
    action = [json, produce] {
      const Output output = produce(*json);
      Print(*json, output.document, output.text);
      return 0;
    };
  });
}

}  // namespace loadcast::cli
