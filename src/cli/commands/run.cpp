#include "cli/commands.hpp"

namespace loadcast::cli {

void AddRunCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "run",
                 "Both flows in one go: extract, validate, enrich, train, predict, check, evaluate",
                 /*with_out=*/true, RunFlow);
}

}  // namespace loadcast::cli
