#include <iostream>

#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace loadcast::cli {

void AddTargetOptions(CLI::App& command, TargetOptions& options, bool with_json) {
  command
      .add_option("--target-year", options.target_year,
                  "Year to forecast (trained on the years before)")
      ->required()
      ->check(CLI::Range(1900, 2999));
  command
      .add_option("--horizon", options.horizon, "year (one-shot, whole year) or day (day-ahead)")
      ->check(CLI::IsMember({"year", "day"}))
      ->capture_default_str();
  if (with_json) command.add_flag("--json", options.json, "Print one JSON document");
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
      if (!options->out.empty()) request.out = context.config().Resolve(options->out);
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

}  // namespace loadcast::cli
