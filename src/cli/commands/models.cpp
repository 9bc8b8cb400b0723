// `loadcast models`: the model registry by hand. Lists the registered versions with their
// aliases and validation scores, shows one with its artifact's metadata and the decisions about
// it, promotes one, rolls a champion back, and prints the decisions log.
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/table.hpp"
#include "core/errors.hpp"
#include "pipeline/interval_calibrator.hpp"
#include "pipeline/model_registry.hpp"
#include "pipeline/promotion_gate.hpp"

namespace loadcast::cli {
namespace {

// Every decision on record: a registry holds a few per training run at most.
constexpr int kAllDecisions = 1'000'000;
// Feature names shown in the text of `models show`; --json has them all.
constexpr std::size_t kFeaturesShown = 8;

struct ListOptions {
  std::string horizon;  // empty: every horizon
  int limit = 50;
  bool json = false;
};

void AddHorizonOption(CLI::App& command, std::string& horizon, const std::string& description) {
  command.add_option("--horizon", horizon, description)->check(CLI::IsMember({"year", "day"}));
}

void AddLimitOption(CLI::App& command, int& limit) {
  command.add_option("--limit", limit, "Most recent rows to show")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

std::optional<Horizon> OptionalHorizon(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return ParseHorizon(text);
}

/// A model's artifact, or why it could not be read: a listing shows what it can.
struct ArtifactRead {
  std::optional<nlohmann::json> artifact;
  std::string error;
};

ArtifactRead ReadArtifact(const DataController& data, const ModelRecord& model) {
  try {
    if (auto stored = data.models().Load(model.id)) return {std::move(stored->artifact), ""};
    return {std::nullopt, "not registered"};
  } catch (const Error& e) {
    spdlog::warn("model {}: {}", model.id, e.what());
    return {std::nullopt, e.what()};
  }
}

/// The validation scores an artifact records; nullopt when it records none or is unreadable.
std::optional<ValidationScores> Validation(const ArtifactRead& read, int64_t model_id) {
  if (!read.artifact) return std::nullopt;
  try {
    auto scores = ValidationFromArtifact(*read.artifact);
    if (!scores || scores->empty()) return std::nullopt;
    return scores;
  } catch (const Error& e) {
    spdlog::warn("model {}: {}", model_id, e.what());
    return std::nullopt;
  }
}

std::vector<std::string> AliasesOf(const ModelAliases& aliases, int64_t model_id) {
  const auto it = aliases.find(model_id);
  return it == aliases.end() ? std::vector<std::string>{} : it->second;
}

// --- models list ---

struct ListedModel {
  ModelRecord model;
  std::optional<ValidationScores> validation;
  std::vector<std::string> aliases;
};

std::vector<ListedModel> ListRegistered(const DataController& data, const ListOptions& options) {
  const std::optional<Horizon> horizon = OptionalHorizon(options.horizon);
  const ModelAliases aliases = AliasesByModel(data.models().ListAliases(horizon));
  std::vector<ListedModel> listed;
  for (ModelRecord& m : data.models().List(horizon, options.limit)) {
    std::optional<ValidationScores> validation = Validation(ReadArtifact(data, m), m.id);
    std::vector<std::string> names = AliasesOf(aliases, m.id);
    listed.push_back({std::move(m), std::move(validation), std::move(names)});
  }
  return listed;
}

nlohmann::json ListToJson(const std::vector<ListedModel>& listed) {
  nlohmann::json j = nlohmann::json::array();
  for (const ListedModel& l : listed) {
    // As the dashboard lists a model: its aliases and the validation years and mean scores.
    nlohmann::json model = ModelWithAliasesJson(l.model, l.aliases);
    model["validation"] = nullptr;
    if (l.validation) {
      model["validation"] = {{"years", l.validation->year_list()},
                             {"mean", ToJson(l.validation->mean)}};
    }
    j.push_back(model);
  }
  return j;
}

std::string FormatList(const std::vector<ListedModel>& listed) {
  if (listed.empty()) return "no models registered yet\n";
  Table table({"id", "horizon", "number", "version", "kind", "target", "trained on",
               "validation MAPE", "aliases", "created"});
  for (const ListedModel& l : listed) {
    const ModelRecord& m = l.model;
    table.Add({std::to_string(m.id), std::string(NameOf(m.horizon)), fmt::format("v{}", m.number),
               m.version, m.kind, std::to_string(m.target_year),
               fmt::format("{} .. {}", m.trained_from, m.trained_to),
               l.validation ? Pct(l.validation->mean.mape) : "-",
               l.aliases.empty() ? "-" : fmt::format("{}", fmt::join(l.aliases, ", ")),
               m.created_at});
  }
  return table.Render();
}

// --- models show ---

struct ModelDetails {
  ModelRecord model;
  std::vector<std::string> aliases;
  ArtifactRead artifact;
  std::vector<ModelDecision> decisions;  // naming it as candidate or champion, newest first
};

ModelDetails FindModelDetails(const DataController& data, const std::string& ref) {
  ModelDetails details;
  details.model = ResolveModel(data, ref);
  const Horizon horizon = details.model.horizon;
  details.aliases = AliasesOf(AliasesByModel(data.models().ListAliases(horizon)), details.model.id);
  details.artifact = ReadArtifact(data, details.model);
  for (ModelDecision& d : data.models().ListDecisions(horizon, kAllDecisions)) {
    if (d.candidate_id == details.model.id || d.champion_id == details.model.id) {
      details.decisions.push_back(std::move(d));
    }
  }
  return details;
}

nlohmann::json DetailsToJson(const ModelDetails& details) {
  nlohmann::json model = ModelWithAliasesJson(details.model, details.aliases);
  nlohmann::json artifact = nullptr;
  if (details.artifact.artifact) {
    // The metadata: everything but the learned state, which only the model can read.
    artifact = *details.artifact.artifact;
    artifact.erase("state");
  }
  nlohmann::json j = {
      {"model", model}, {"artifact", artifact}, {"decisions", ToJsonArray(details.decisions)}};
  if (!details.artifact.error.empty()) j["artifact_error"] = details.artifact.error;
  return j;
}

/// A log-ratio bound as the relative change it allows: -0.05 -> "-4.9%".
std::string RelativeBound(double log_ratio) {
  return fmt::format("{:+.1f}%", 100.0 * std::expm1(log_ratio));
}

std::string FormatIntervals(const nlohmann::json& json) {
  const IntervalCalibration c = CalibrationFromJson(json);
  std::string out = fmt::format(
      "intervals: {:.0f}% calibrated on the backtests of {} ({} residuals):", 100.0 * c.coverage,
      c.years.empty() ? "no year" : fmt::format("{}", fmt::join(c.years, ", ")), c.residuals);
  auto bounds = [](std::string_view name, const LogBounds& b) {
    return fmt::format(" {} {} .. {}{}", name, RelativeBound(b.lower), RelativeBound(b.upper),
                       b.fallback ? " (all days' bounds)" : "");
  };
  out += bounds("all days", c.all);
  for (DayType type : {DayType::kWorkday, DayType::kSaturday, DayType::kSundayOrHoliday}) {
    out += ";" + bounds(DayTypeName(type), c.bounds(type));
  }
  return out + "\n";
}

std::string FormatArtifact(const nlohmann::json& a) {
  std::string out;
  if (const auto params = a.find("params"); params != a.end()) {
    std::vector<std::string> pairs;
    for (const auto& [key, value] : params->items()) {
      pairs.push_back(
          fmt::format("{}={}", key, value.is_string() ? value.get<std::string>() : value.dump()));
    }
    out += fmt::format("params: {}\n", fmt::join(pairs, ", "));
  }
  if (const auto features = a.find("features"); features != a.end() && features->is_array()) {
    std::vector<std::string> names;
    for (const auto& f : *features) {
      if (names.size() == kFeaturesShown) break;
      names.push_back(f.is_string() ? f.get<std::string>() : f.dump());
    }
    out += fmt::format("features: {} ({}{})\n", features->size(), fmt::join(names, ", "),
                       features->size() > names.size() ? ", ..." : "");
  }
  out += fmt::format("artifact format version {}\n", a.value("format_version", 0));
  if (const auto inputs = a.find("inputs"); inputs != a.end() && inputs->is_object()) {
    Table table({"input", "sha256"});
    for (const auto& [key, hash] : inputs->items()) {
      table.Add({key, hash.is_string() ? hash.get<std::string>() : hash.dump()});
    }
    out += fmt::format("inputs ({}, data hash {}):\n", inputs->size(),
                       a.value("data_hash", std::string("-"))) +
           table.Render();
  }
  if (const auto scores = ValidationFromArtifact(a); scores && !scores->empty()) {
    out += fmt::format("validation (rolling-origin backtest {}, data hash {}):\n",
                       scores->Describe(), scores->data_hash);
    Table table({"year", "days", "MAPE", "MAE (MWh)", "RMSE (MWh)", "skill", "naive MAPE"});
    auto add = [&table](const std::string& label, const MetricRow& m) {
      table.Add({label, std::to_string(m.days), Pct(m.mape), Num(m.mae, 0), Num(m.rmse, 0),
                 Num(m.skill, 3), Pct(m.naive_mape)});
    };
    for (const MetricRow& m : scores->years) add(m.period, m);
    add("mean", scores->mean);
    out += table.Render();
  } else {
    out += "validation: none recorded\n";
  }
  if (const auto intervals = a.find("intervals"); intervals != a.end()) {
    out += FormatIntervals(*intervals);
  } else {
    out += "intervals: the model's own (not calibrated)\n";
  }
  return out;
}

std::string FormatDetails(const ModelDetails& details) {
  const ModelRecord& m = details.model;
  std::string out = fmt::format("{}: {} version {}\n", ModelLabel(m), m.kind, m.version);
  out += fmt::format("aliases: {}\n", details.aliases.empty()
                                          ? "none"
                                          : fmt::format("{}", fmt::join(details.aliases, ", ")));
  out += fmt::format("target year {}, trained on {} .. {}, registered {} by run {}\n",
                     m.target_year, m.trained_from, m.trained_to, m.created_at, m.run_id);
  out += fmt::format(
      "spec hash {}, config hash {}, data hash {}, code version {}\n",
      m.spec_hash.empty() ? "-" : m.spec_hash, m.config_hash.empty() ? "-" : m.config_hash,
      m.data_hash.empty() ? "-" : m.data_hash, m.code_version.empty() ? "-" : m.code_version);
  out += fmt::format("artifact: {}\n", m.artifact);
  if (details.artifact.artifact) {
    out += FormatArtifact(*details.artifact.artifact);
  } else {
    out += fmt::format("artifact unreadable: {}\n", details.artifact.error);
  }
  out += "decisions:\n";
  out += FormatDecisions(details.decisions);
  return out;
}

// --- models promote, models rollback ---

nlohmann::json ChangeToJson(const RegistryChange& change) {
  return {{"run_id", change.run_id},
          {"decision", ToJson(change.decision)},
          {"champion", ToJson(change.champion)}};
}

std::string FormatChange(const RegistryChange& change) {
  const ModelDecision& d = change.decision;
  return fmt::format("run {}: {} champion is now {} ({} {}, decision {}): {}\n", change.run_id,
                     change.champion.horizon, ModelLabel(change.champion), d.action, d.outcome,
                     d.id, d.reason);
}

/// Adds --reason (described by `reason_help`) to a command that changes the registry and sets
/// its action: make the change with the reason given, and print the change made.
void SetChangeAction(CLI::App& command, Action& action, const std::string& reason_help,
                     std::function<RegistryChange(const std::string& reason)> change) {
  auto reason = std::make_shared<std::string>();
  command.add_option("--reason", *reason, reason_help);
  SetPrintAction(command, action, [reason, change = std::move(change)](bool) -> Output {
    const RegistryChange made = change(*reason);
    return {ChangeToJson(made), FormatChange(made)};
  });
}

}  // namespace

void AddModelsCommand(CLI::App& app, Context& context, Action& action) {
  auto* command = app.add_subcommand(
      "models", "The model registry: list (the default), show, promote, rollback, decisions");

  // `models` alone lists, with the options of `models list`.
  auto list_options = std::make_shared<ListOptions>();
  auto* list = command->add_subcommand("list", "The registered models, newest first");
  for (CLI::App* c : {command, list}) {
    AddHorizonOption(*c, list_options->horizon, "Only models of this horizon: year or day");
    AddLimitOption(*c, list_options->limit);
    c->add_flag("--json", list_options->json, "Print one JSON document");
  }
  auto list_action = [&context, list_options] {
    const auto listed = ListRegistered(context.data(), *list_options);
    Print(list_options->json, ListToJson(listed), FormatList(listed));
    return 0;
  };
  list->callback([&action, list_action] { action = list_action; });

  auto show_ref = std::make_shared<std::string>();
  auto* show = command->add_subcommand(
      "show", "One model: its aliases, its artifact's metadata and the decisions about it");
  show->add_option("id", *show_ref, "Model id or version prefix (loadcast models list)")
      ->required();
  SetPrintAction(*show, action, [&context, show_ref](bool) -> Output {
    const ModelDetails details = FindModelDetails(context.data(), *show_ref);
    return {DetailsToJson(details), FormatDetails(details)};
  });

  auto promote_ref = std::make_shared<std::string>();
  auto* promote = command->add_subcommand(
      "promote", "Make a model the champion of its horizon, bypassing the gate (recorded)");
  promote->add_option("id", *promote_ref, "Model id or version prefix (loadcast models list)")
      ->required();
  SetChangeAction(*promote, action, "Why, for the decisions log",
                  [&context, promote_ref](const std::string& reason) {
                    return PromoteFlow(context.data(), context.config(), *promote_ref, reason);
                  });

  auto rollback_horizon = std::make_shared<std::string>();
  auto* rollback = command->add_subcommand(
      "rollback", "Return the champion of a horizon to the one before it (recorded, with why)");
  AddHorizonOption(*rollback, *rollback_horizon, "The horizon: year or day");
  rollback->get_option("--horizon")->required();
  // Not required by the parser: RollbackFlow refuses an empty reason with a message saying why.
  SetChangeAction(*rollback, action, "Why (required): the decisions log keeps it",
                  [&context, rollback_horizon](const std::string& reason) {
                    return RollbackFlow(context.data(), context.config(),
                                        ParseHorizon(*rollback_horizon), reason);
                  });

  auto decisions_options = std::make_shared<ListOptions>();
  auto* decisions = command->add_subcommand(
      "decisions", "The decisions log: every promotion, rejection and rollback, newest first");
  AddHorizonOption(*decisions, decisions_options->horizon,
                   "Only decisions about this horizon: year or day");
  AddLimitOption(*decisions, decisions_options->limit);
  SetPrintAction(*decisions, action, [&context, decisions_options](bool) -> Output {
    const auto rows = context.data().models().ListDecisions(
        OptionalHorizon(decisions_options->horizon), decisions_options->limit);
    return {ToJsonArray(rows), FormatDecisions(rows)};
  });

  command->callback([command, &action, list_action] {
    if (!command->get_subcommands().empty()) return;  // a subcommand set its own action
    action = list_action;
  });
}

}  // namespace loadcast::cli
