#include "cli/commands.hpp"
#include "pipeline/model_registry.hpp"

namespace loadcast::cli {

void AddPredictCommand(CLI::App& app, Context& context, Action& action) {
  AddFlowCommand(app, context, action, "predict",
                 "Forecast the target year with the horizon's champion (or --model), check and "
                 "publish it",
                 {.out = true, .model = true},
                 [](DataController& data, const Config& config, const FlowRequest& request) {
                   std::optional<int64_t> model_id;
                   if (!request.model.empty()) model_id = ResolveModel(data, request.model).id;
                   return PredictFlow(data, config, request.target_year, request.horizon,
                                      request.out, model_id);
                 });
}

}  // namespace loadcast::cli
