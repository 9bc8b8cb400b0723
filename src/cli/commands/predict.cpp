#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pipeline/flows.hpp"

namespace loadcast::cli {

void AddPredictCommand(CLI::App& app, Context& context, Action& action) {
  struct Options : TargetOptions {
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "predict", "Forecast the target year with its registered model, check and publish it");
  AddTargetOptions(*command, *options, /*with_json=*/true);
  command->add_option("--out", options->out, "Also write the forecast as CSV (date,forecast,...)");
  command->callback([&context, &action, options] {
    action = [&context, options] {
      std::optional<std::filesystem::path> out;
      if (!options->out.empty()) out = context.config().Resolve(options->out);
      const FlowResult result = PredictFlow(context.data(), context.config(), options->target_year,
                                            ParseHorizon(options->horizon), out);
      Print(options->json, ToJson(result), FormatFlow(result));
      return 0;
    };
  });
}

}  // namespace loadcast::cli
