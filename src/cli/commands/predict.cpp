#include "cli/commands.hpp"

namespace loadcast::cli {

void AddPredictCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "predict",
                 "Forecast the target year with its registered model, check and publish it",
                 /*with_out=*/true, PredictFlow);
}

}  // namespace loadcast::cli
