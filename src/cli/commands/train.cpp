#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pipeline/flows.hpp"

namespace loadcast::cli {

void AddTrainCommand(CLI::App& app, Context& context, Action& action) {
  auto options = std::make_shared<TargetOptions>();
  auto* command = app.add_subcommand(
      "train", "Fit the model on the years before the target year and register it");
  AddTargetOptions(*command, *options, /*with_json=*/true);
  command->callback([&context, &action, options] {
    action = [&context, options] {
      const FlowResult result = TrainFlow(context.data(), context.config(), options->target_year,
                                          ParseHorizon(options->horizon));
      Print(options->json, ToJson(result), FormatFlow(result));
      return 0;
    };
  });
}

}  // namespace loadcast::cli
