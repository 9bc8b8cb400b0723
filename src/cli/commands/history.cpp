// Commands that read back what the database holds: alerts, runs, metrics.
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "core/date.hpp"
#include "core/errors.hpp"
#include "storage/alerts.hpp"

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
  auto filter = std::make_shared<AlertFilter>();
  auto unacknowledged = std::make_shared<bool>(false);
  const std::vector<std::string> severities(kAlertSeverities.begin(), kAlertSeverities.end());
  const std::vector<std::string> sources(kAlertSources.begin(), kAlertSources.end());
  command
      ->add_option("--severity", filter->severities,
                   "Only alerts of these severities (exactly; comma-separated: warning,critical)")
      ->delimiter(',')
      ->check(CLI::IsMember(severities));
  command
      ->add_option("--source", filter->sources, "Only alerts from these sources (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember(sources));
  command->add_option("--since", filter->since, "Only alerts created on or after this UTC date")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return Date::ParseIso(text) ? "" : "'" + text + "' is not a date YYYY-MM-DD";
          },
          "DATE"));
  command->add_flag("--unacknowledged", *unacknowledged, "Only alerts not acknowledged yet");

  auto* ack = command->add_subcommand("ack", "Acknowledge an alert: mark it seen, with the time");
  auto id = std::make_shared<int64_t>(0);
  auto ack_json = std::make_shared<bool>(false);
  ack->add_option("id", *id, "The alert's id (loadcast alerts)")->required();
  ack->add_flag("--json", *ack_json, "Print one JSON document");
  ack->callback([&context, &action, id, ack_json] {
    action = [&context, id, ack_json] {
      const auto done = context.data().AcknowledgeAlert(*id);
      if (!done) {
        throw UsageError(
            fmt::format("alerts ack: there is no alert {} (loadcast alerts lists them)", *id));
      }
      const AlertRecord& a = done->alert;
      Print(*ack_json,
            {{"alert", AlertToJson(a)}, {"already_acknowledged", done->already_acknowledged}},
            done->already_acknowledged
                ? fmt::format("alert {} was already acknowledged at {}\n", a.id, a.acknowledged_at)
                : fmt::format("alert {} acknowledged at {}\n", a.id, a.acknowledged_at));
      return 0;
    };
  });

  command->callback([&context, &action, options, filter, unacknowledged, ack] {
    if (ack->parsed()) return;  // "alerts ack ID" set its own action
    action = [&context, options, filter, unacknowledged] {
      AlertFilter f = *filter;
      f.limit = options->limit;
      if (*unacknowledged) f.acknowledged = false;
      const auto alerts = context.data().ListAlerts(f);
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
