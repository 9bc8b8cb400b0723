#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pipeline/flows.hpp"

namespace loadcast::cli {

void AddEvaluateCommand(CLI::App& app, Context& context, Action& action) {
  auto options = std::make_shared<TargetOptions>();
  auto* command = app.add_subcommand(
      "evaluate", "Score the published forecast of the target year against its actuals");
  AddTargetOptions(*command, *options, /*with_json=*/true);
  command->callback([&context, &action, options] {
    action = [&context, options] {
      const FlowResult result = EvaluateFlow(context.data(), context.config(),
                                             options->target_year, ParseHorizon(options->horizon));
      Print(options->json, ToJson(result), FormatFlow(result));
      return 0;
    };
  });
}

}  // namespace loadcast::cli
