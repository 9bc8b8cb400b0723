// Dataset "models": the registry of model versions, the aliases naming the champion and the
// challenger of each horizon, and the decisions that moved them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// A registered model version. The version is the content hash of its artifact: the same
/// inputs, config and code make the same artifact, hence the same version, registered once.
struct ModelRecord {
  int64_t id = 0;
  int64_t run_id = 0;   // the run that registered it
  std::string version;  // content hash of the artifact
  std::string kind;
  Horizon horizon = Horizon::kYear;
  int target_year = 0;
  Date trained_from;
  Date trained_to;       // inclusive
  std::string artifact;  // object key in the bucket
  std::string created_at;
  int number = 0;            // 1, 2, ... per horizon, in order of registration
  std::string spec_hash;     // kind and hyper-parameters: same spec, same model up to data/code
  std::string config_hash;   // the settings that shaped the model
  std::string data_hash;     // over the SHA-256 of every input object the model was fitted on
  std::string code_version;  // the loadcast build that trained it
};

/// What Register did: the row, and whether it is new (false: this version was on record).
struct Registration {
  ModelRecord model;
  bool created = false;
};

/// A name pointing at one model of a horizon: "champion" (what predict uses by default) or
/// "challenger" (the latest candidate that was not promoted).
struct ModelAlias {
  Horizon horizon = Horizon::kYear;
  std::string alias;
  int64_t model_id = 0;
  std::string updated_at;
};

/// How a decision moves the aliases of its horizon, all in the decision's transaction.
struct AliasChange {
  std::optional<int64_t> champion;    // point champion here (nullopt: leave it)
  std::optional<int64_t> challenger;  // point challenger here (nullopt: leave it)
  bool clear_challenger = false;      // remove the challenger alias (after `challenger`)
};

/// One decision about the champion of a horizon: the promotion gate's verdict on a candidate, a
/// promotion by hand, or a rollback, with the figures it rested on.
struct ModelDecision {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  std::string created_at;  // empty: now
  Horizon horizon = Horizon::kYear;
  std::optional<int> target_year;  // the target year of the run that decided
  DecisionAction action = DecisionAction::kGate;
  DecisionOutcome outcome = DecisionOutcome::kPromoted;
  int64_t candidate_id = 0;            // the model decided on (rollback: the model restored)
  std::optional<int64_t> champion_id;  // the champion before the decision
  std::string metric;                  // mape, mae or rmse; empty when no figure was compared
  std::optional<double> candidate_value;
  std::optional<double> champion_value;
  std::optional<double> improvement;      // (champion - candidate) / champion
  std::optional<double> min_improvement;  // the relative margin required
  std::string validation;                 // what the figures come from ("backtest 2018-2020")
  std::string reason;
};

/// The models, model_aliases and model_decisions tables.
class ModelsDataset {
 public:
  explicit ModelsDataset(sql::Connection& db) : db_(db, "models") {}

  /// Registers a model version: the next number of its horizon, created_at now. When the horizon
  /// holds this version already, registers nothing and returns the row on record.
  Registration Register(const ModelRecord& model);
  std::optional<ModelRecord> Find(int64_t id) const;
  /// The models whose version starts with `prefix`, by id.
  std::vector<ModelRecord> FindByVersion(const std::string& prefix) const;
  /// The models of a horizon (every horizon when nullopt), newest first.
  std::vector<ModelRecord> List(std::optional<Horizon> horizon, int limit) const;
  /// The model an alias of a horizon points at.
  std::optional<ModelRecord> FindAliased(Horizon horizon, const std::string& alias) const;
  /// The aliases of a horizon (every horizon when nullopt), by horizon and alias.
  std::vector<ModelAlias> ListAliases(std::optional<Horizon> horizon) const;
  /// Stores a decision and moves the aliases as `change` says, in one transaction. The new id.
  int64_t RecordDecision(const ModelDecision& decision, const AliasChange& change);
  /// The decisions of a horizon (every horizon when nullopt), newest first.
  std::vector<ModelDecision> ListDecisions(std::optional<Horizon> horizon, int limit) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
