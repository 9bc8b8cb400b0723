// Commands that read back what the database holds: alerts, runs (and one run in full), metrics.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/table.hpp"
#include "core/date.hpp"
#include "core/errors.hpp"
#include "storage/alerts.hpp"

namespace loadcast::cli {
namespace {

/// Adds --limit: how many of the most recent rows a listing shows.
std::shared_ptr<int> AddLimitOption(CLI::App& command) {
  auto limit = std::make_shared<int>(50);
  command.add_option("--limit", *limit, "Most recent rows to show")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return limit;
}

// Every decision on record: a database holds a few per run at most.
constexpr int kAllDecisions = 1'000'000;

/// What `runs show` prints about one run.
struct RunDetails {
  RunRecord run;
  std::optional<ModelRecord> model;
  std::vector<ModelDecision> decisions;  // made by the run, newest first
};

RunDetails FindRunDetails(const DataController& data, int64_t id) {
  const auto run = data.runs().Find(id);
  if (!run) {
    throw UsageError(fmt::format("runs show: there is no run {} (loadcast runs lists them)", id));
  }
  RunDetails details{*run, std::nullopt, {}};
  if (run->model_id) details.model = data.models().Find(*run->model_id);
  for (ModelDecision& d : data.models().ListDecisions(std::nullopt, kAllDecisions)) {
    if (d.run_id == id) details.decisions.push_back(std::move(d));
  }
  return details;
}

nlohmann::json DetailsToJson(const RunDetails& details) {
  nlohmann::json j = RunWithDurationJson(details.run);
  j["config"] = details.run.config;
  j["model"] = details.model ? ToJson(*details.model) : nlohmann::json(nullptr);
  j["decisions"] = ToJsonArray(details.decisions);
  return j;
}

std::string FormatDetails(const RunDetails& details) {
  const RunRecord& r = details.run;
  std::string out = fmt::format("run {}: {}", r.id, r.command);
  if (r.target_year) out += fmt::format(" {}", *r.target_year);
  if (r.horizon) out += fmt::format(" (horizon {})", *r.horizon);
  out += fmt::format(" {}\nstarted {}, finished {}\n", r.status, r.started_at,
                     r.finished_at.empty() ? "-" : r.finished_at);
  if (!r.message.empty()) out += fmt::format("message: {}\n", r.message);
  out += fmt::format("config hash: {}\n", r.config_hash.empty() ? "-" : r.config_hash);
  if (details.model) {
    const ModelRecord& m = *details.model;
    out +=
        fmt::format("model: {}, {} version {}, target year {}, trained on {} .. {}\n",
                    ModelLabel(m), m.kind, m.version, m.target_year, m.trained_from, m.trained_to);
  } else if (r.model_id) {
    out += fmt::format("model: {} (not registered)\n", *r.model_id);
  }
  const nlohmann::json inputs = RunInputsJson(r);
  if (inputs.is_object() && !inputs.empty()) {
    Table table({"input", "sha256"});
    for (const auto& [key, hash] : inputs.items()) {
      table.Add({key, hash.is_string() ? hash.get<std::string>() : hash.dump()});
    }
    out += "inputs:\n" + table.Render();
  } else {
    out += "inputs: none recorded\n";
  }
  if (!details.decisions.empty()) out += "decisions:\n" + FormatDecisions(details.decisions);
  out += "effective config:\n" + r.config;
  if (!r.config.empty() && r.config.back() != '\n') out += '\n';
  return out;
}

/// "FROM..TO", "FROM..", "..TO" or one day "DATE": the period an alert must overlap.
std::optional<std::pair<std::optional<Date>, std::optional<Date>>> ParseCovering(
    const std::string& text) {
  const std::size_t dots = text.find("..");
  const auto part = [](std::string_view s) -> std::optional<std::optional<Date>> {
    if (s.empty()) return std::optional<Date>();
    if (auto d = Date::ParseIso(s)) return d;
    return std::nullopt;
  };
  if (dots == std::string::npos) {
    const auto day = Date::ParseIso(text);
    if (!day) return std::nullopt;
    return std::pair{day, day};
  }
  const auto from = part(std::string_view(text).substr(0, dots));
  const auto to = part(std::string_view(text).substr(dots + 2));
  if (!from || !to || (!*from && !*to)) return std::nullopt;
  if (*from && *to && **to < **from) return std::nullopt;
  return std::pair{*from, *to};
}

}  // namespace

void AddAlertsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("alerts", "List the alerts raised by runs, newest first");
  auto limit = AddLimitOption(*command);
  auto filter = std::make_shared<AlertFilter>();
  auto unacknowledged = std::make_shared<bool>(false);
  auto open_only = std::make_shared<bool>(false);
  auto covering = std::make_shared<std::string>();
  // The names as typed; IsMember checks them, the action makes them values.
  auto severities = std::make_shared<std::vector<std::string>>();
  auto sources = std::make_shared<std::vector<std::string>>();
  const auto severity_names = VocabularyNames<AlertSeverity>();
  const auto source_names = VocabularyNames<AlertSource>();
  // The listing; "alerts ack ID" sets its own action.
  SetPrintAction(*command, action,
                 [&context, limit, filter, severities, sources, unacknowledged, open_only,
                  covering](bool) -> Output {
                   AlertFilter f = *filter;
                   for (const std::string& name : *severities) {
                     f.severities.push_back(ParseName<AlertSeverity>(name));
                   }
                   for (const std::string& name : *sources) {
                     f.sources.push_back(ParseName<AlertSource>(name));
                   }
                   f.limit = *limit;
                   if (*unacknowledged) f.acknowledged = false;
                   if (*open_only) f.episode = AlertEpisode::kOpen;
                   if (!covering->empty()) {
                     std::tie(f.covering_from, f.covering_to) = *ParseCovering(*covering);
                   }
                   const auto alerts = context.data().alerts().List(f);
                   return {ToJsonArray(alerts), FormatAlerts(alerts)};
                 });
  command
      ->add_option("--severity", *severities,
                   "Only alerts of these severities (exactly; comma-separated: warning,critical)")
      ->delimiter(',')
      ->check(
          CLI::IsMember(std::vector<std::string>(severity_names.begin(), severity_names.end())));
  command->add_option("--source", *sources, "Only alerts from these sources (comma-separated)")
      ->delimiter(',')
      ->check(CLI::IsMember(std::vector<std::string>(source_names.begin(), source_names.end())));
  const CLI::Validator date(
      [](std::string& text) -> std::string {
        return Date::ParseIso(text) ? "" : "'" + text + "' is not a date YYYY-MM-DD";
      },
      "DATE");
  command->add_option("--since", filter->since, "Only alerts created on or after this UTC date")
      ->check(date);
  command->add_option("--until", filter->until, "Only alerts created on or before this UTC date")
      ->check(date);
  command->add_option("--target-year", filter->target_year, "Only alerts about this target year");
  command
      ->add_option("--covering", *covering,
                   "Only alerts whose period overlaps FROM..TO (dates; either may be left out: "
                   "2020-03-01.., ..2020-06-30, or one day)")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            return ParseCovering(text) ? ""
                                       : "'" + text + "' is not DATE, DATE..DATE, DATE.. or ..DATE";
          },
          "FROM..TO"));
  command->add_flag("--open", *open_only, "Only alerts of episodes still on (drift, performance)");
  command->add_flag("--unacknowledged", *unacknowledged, "Only alerts not acknowledged yet");

  auto* ack = command->add_subcommand("ack", "Acknowledge an alert: mark it seen, with the time");
  auto id = std::make_shared<int64_t>(0);
  ack->add_option("id", *id, "The alert's id (loadcast alerts)")->required();
  SetPrintAction(*ack, action, [&context, id](bool) -> Output {
    const auto done = context.data().alerts().Acknowledge(*id);
    if (!done) {
      throw UsageError(
          fmt::format("alerts ack: there is no alert {} (loadcast alerts lists them)", *id));
    }
    const AlertRecord& a = done->alert;
    return {ToJson(*done),
            done->already_acknowledged
                ? fmt::format("alert {} was already acknowledged at {}\n", a.id, a.acknowledged_at)
                : fmt::format("alert {} acknowledged at {}\n", a.id, a.acknowledged_at)};
  });
}

void AddRunsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand("runs", "List the recorded runs, newest first");
  auto limit = AddLimitOption(*command);

  auto* show = command->add_subcommand(
      "show", "One run: its config and inputs with their hashes, its model and decisions");
  auto id = std::make_shared<int64_t>(0);
  show->add_option("id", *id, "The run's id (loadcast runs)")->required();
  SetPrintAction(*show, action, [&context, id](bool) -> Output {
    const RunDetails details = FindRunDetails(context.data(), *id);
    return {DetailsToJson(details), FormatDetails(details)};
  });

  // "runs show ID" sets its own action.
  SetPrintAction(*command, action, [&context, limit](bool) -> Output {
    const auto runs = context.data().runs().List(*limit);
    return {RunsWithDurationJson(runs), FormatRuns(runs)};
  });
}

void AddMetricsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command =
      app.add_subcommand("metrics", "The latest yearly scores per target year and horizon");
  SetPrintAction(*command, action, [&context](bool) -> Output {
    const auto evaluations = context.data().scores().LatestEvaluations();
    return {ToJsonArray(evaluations), FormatEvaluations(evaluations)};
  });
}

}  // namespace loadcast::cli
