#include "cli/commands.hpp"

namespace loadcast::cli {

void AddTrainCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "train",
                 "Fit the model on the years before the target year and register it",
                 /*with_out=*/false,
                 [](DataController& data, const Config& config, int year, Horizon horizon,
                    const std::optional<std::filesystem::path>&) {
                   return TrainFlow(data, config, year, horizon);
                 });
}

}  // namespace loadcast::cli
