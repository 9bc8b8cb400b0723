#include "cli/commands.hpp"

namespace loadcast::cli {

void AddEvaluateCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "evaluate",
                 "Score the published forecast of the target year against its actuals",
                 /*with_out=*/false,
                 [](DataController& data, const Config& config, int year, Horizon horizon,
                    const std::optional<std::filesystem::path>&) {
                   return EvaluateFlow(data, config, year, horizon);
                 });
}

}  // namespace loadcast::cli
