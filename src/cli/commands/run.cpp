#include "cli/commands.hpp"

namespace loadcast::cli {

void AddRunCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "run",
                 "Both flows in one go: extract, validate, enrich, train, gate, predict, check, "
                 "evaluate",
                 {.out = true},
                 [](DataController& data, const Config& config, const FlowRequest& request) {
                   return RunFlow(data, config, request.target_year, request.horizon, request.out);
                 });
}

}  // namespace loadcast::cli
