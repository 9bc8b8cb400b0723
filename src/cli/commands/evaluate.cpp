#include "cli/commands.hpp"

namespace loadcast::cli {

void AddEvaluateCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "evaluate",
                 "Score the published forecast of the target year against its actuals", {},
                 [](DataController& data, const Config& config, const FlowRequest& request) {
                   return EvaluateFlow(data, config, request.target_year, request.horizon);
                 });
}

}  // namespace loadcast::cli
