// Commands that read back what the database holds: alerts, runs, metrics.
#include "cli/commands.hpp"
#include "cli/output.hpp"

namespace loadcast::cli {
namespace {

struct ListOptions {
  int limit = 50;
  bool json = false;
};

std::shared_ptr<ListOptions> AddListOptions(CLI::App& command) {
  auto options = std::make_shared<ListOptions>();
  command.add_option("--limit", options->limit, "Most recent rows to show")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command.add_flag("--json", options->json, "Print one JSON document");
  return options;
}

}  // namespace

void AddAlertsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("alerts", "List the alerts raised by runs, newest first");
  auto options = AddListOptions(*command);
  command->callback([&context, &action, options] {
    action = [&context, options] {
      const auto alerts = context.data().ListAlerts(options->limit);
      Print(options->json, ToJson(alerts), FormatAlerts(alerts));
      return 0;
    };
  });
}

void AddRunsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("runs", "List the recorded runs, newest first");
  auto options = AddListOptions(*command);
  command->callback([&context, &action, options] {
    action = [&context, options] {
      const auto runs = context.data().ListRuns(options->limit);
      Print(options->json, ToJson(runs), FormatRuns(runs));
      return 0;
    };
  });
}

void AddMetricsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command =
      app.add_subcommand("metrics", "The latest yearly scores per target year and horizon");
  auto json = std::make_shared<bool>(false);
  command->add_flag("--json", *json, "Print one JSON document");
  command->callback([&context, &action, json] {
    action = [&context, json] {
      const auto evaluations = context.data().LatestEvaluations();
      Print(*json, ToJson(evaluations), FormatEvaluations(evaluations));
      return 0;
    };
  });
}

}  // namespace loadcast::cli
