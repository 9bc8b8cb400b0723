#include "pipeline/model_registry.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "core/errors.hpp"
#include "pipeline/run.hpp"

namespace loadcast {
namespace {

constexpr std::size_t kMinVersionPrefix = 4;
constexpr int kAllDecisions = 1'000'000;

bool IsHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<int64_t> ParseId(const std::string& s) {
  int64_t id = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  if (ec != std::errc() || ptr != s.data() + s.size() || id <= 0) return std::nullopt;
  return id;
}

std::vector<ModelDecision> OldestFirst(const DataController& data, Horizon horizon) {
  std::vector<ModelDecision> decisions = data.models().ListDecisions(horizon, kAllDecisions);
  std::reverse(decisions.begin(), decisions.end());
  return decisions;
}

}  // namespace

ModelRecord ResolveModel(const DataController& data, const std::string& ref) {
  if (const auto id = ParseId(ref)) {
    if (auto model = data.models().Find(*id)) return *model;
  }
  if (ref.size() >= kMinVersionPrefix && IsHex(ref)) {
    const auto matches = data.models().FindByVersion(ref);
    if (matches.size() == 1) return matches.front();
    if (matches.size() > 1) {
      throw UsageError(fmt::format("version prefix '{}' matches {} models: give more digits", ref,
                                   matches.size()));
    }
  }
  throw UsageError(fmt::format(
      "no model has id or version '{}': 'loadcast models list' shows the registered ones", ref));
}

std::vector<int64_t> ChampionLineage(const std::vector<ModelDecision>& decisions) {
  std::vector<int64_t> lineage;
  for (const ModelDecision& d : decisions) {
    if (d.outcome == DecisionOutcome::kPromoted) {
      if (lineage.empty() || lineage.back() != d.candidate_id) lineage.push_back(d.candidate_id);
    } else if (d.outcome == DecisionOutcome::kRolledBack && !lineage.empty()) {
      lineage.pop_back();
      if (lineage.empty() || lineage.back() != d.candidate_id) lineage.push_back(d.candidate_id);
    }
  }
  return lineage;
}

RegistryChange PromoteFlow(DataController& data, const Config& config, const std::string& ref,
                           const std::string& reason) {
  const ModelRecord model = ResolveModel(data, ref);
  const Horizon horizon = model.horizon;
  const auto champion = data.models().FindAliased(horizon, "champion");
  if (champion && champion->id == model.id) {
    throw UsageError(fmt::format("model {} is the {} champion already", model.id, model.horizon));
  }
  const auto challenger = data.models().FindAliased(horizon, "challenger");
  RegistryChange change;
  ModelDecision& d = change.decision;
  d.horizon = model.horizon;
  d.target_year = model.target_year;
  d.action = DecisionAction::kManual;
  d.outcome = DecisionOutcome::kPromoted;
  d.candidate_id = model.id;
  if (champion) d.champion_id = champion->id;
  d.reason = reason.empty() ? "promoted by hand" : reason;
  AliasChange aliases;
  aliases.champion = model.id;
  aliases.clear_challenger = challenger && challenger->id == model.id;
  ExecuteRun(data, config, "promote", model.target_year, horizon, [&](Run& run) {
    change.run_id = d.run_id.emplace(run.id());
    run.Step("promote", [&] { d.id = data.models().RecordDecision(d, aliases); });
  });
  change.champion = model;
  spdlog::info("model {} promoted to {} champion by hand", model.id, model.horizon);
  return change;
}

RegistryChange RollbackFlow(DataController& data, const Config& config, Horizon horizon,
                            const std::string& reason) {
  if (reason.empty()) {
    throw UsageError(
        "rollback needs --reason: the decision records why the champion was rolled back");
  }
  const auto champion = data.models().FindAliased(horizon, "champion");
  if (!champion) throw UsageError(fmt::format("no {} champion to roll back", HorizonName(horizon)));
  const std::vector<int64_t> lineage = ChampionLineage(OldestFirst(data, horizon));
  if (lineage.size() < 2 || lineage.back() != champion->id) {
    throw UsageError(
        fmt::format("the {} champion (model {}) has no earlier champion on record to return to",
                    HorizonName(horizon), champion->id));
  }
  const int64_t previous = lineage[lineage.size() - 2];
  const auto restored = data.models().Find(previous);
  if (!restored) {
    throw StorageError(fmt::format("model {}, the earlier champion, is not registered", previous));
  }
  RegistryChange change;
  ModelDecision& d = change.decision;
  d.horizon = horizon;
  d.target_year = restored->target_year;
  d.action = DecisionAction::kRollback;
  d.outcome = DecisionOutcome::kRolledBack;
  d.candidate_id = previous;
  d.champion_id = champion->id;
  d.reason = reason;
  AliasChange aliases;
  aliases.champion = previous;
  // A model is champion or challenger, not both.
  const auto challenger = data.models().FindAliased(horizon, "challenger");
  aliases.clear_challenger = challenger && challenger->id == previous;
  ExecuteRun(data, config, "rollback", restored->target_year, horizon, [&](Run& run) {
    change.run_id = d.run_id.emplace(run.id());
    run.Step("rollback", [&] { d.id = data.models().RecordDecision(d, aliases); });
  });
  change.champion = *restored;
  spdlog::info("{} champion rolled back from model {} to model {}: {}", HorizonName(horizon),
               champion->id, previous, reason);
  return change;
}

}  // namespace loadcast
