#include "cli/commands.hpp"

namespace loadcast::cli {

void AddTrainCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "train",
                 "Fit the model on the years before the target year, register it and run the "
                 "promotion gate",
                 {}, [](DataController& data, const Config& config, const FlowRequest& request) {
                   return TrainFlow(data, config, request.target_year, request.horizon);
                 });
}

}  // namespace loadcast::cli
