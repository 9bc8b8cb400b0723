#include "storage/datasets/models.hpp"

#include <fmt/format.h>

#include <string_view>

#include "core/crash_point.hpp"
#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Cursor;
using sql::DatasetConnection;
using sql::V;

// Every column of models but the id, in the order ReadModel and Register use them.
constexpr const char* kModelFields =
    "run_id, version, kind, horizon, target_year, trained_from, trained_to, artifact, created_at, "
    "number, spec_hash, config_hash, data_hash, code_version";
constexpr const char* kModelTypes = "iitttittttitttt";

/// The horizon argument of the listings: its name, or empty for every horizon.
std::string HorizonFilter(std::optional<Horizon> horizon) {
  return horizon ? std::string(HorizonName(*horizon)) : std::string();
}

/// "SELECT id, <kModelFields> FROM models <rest>".
std::string SelectModels(std::string_view rest) {
  return fmt::format("SELECT id, {} FROM models {}", kModelFields, rest);
}

/// A models row, selected as SelectModels lists them.
ModelRecord ReadModel(const Cursor& c) {
  ModelRecord m;
  m.id = c.Int(0);
  m.run_id = c.Int(1);
  m.version = c.Text(2);
  m.kind = c.Text(3);
  m.horizon = c.Text(4);
  m.target_year = static_cast<int>(c.Int(5));
  m.trained_from = c.Text(6);
  m.trained_to = c.Text(7);
  m.artifact = c.Text(8);
  m.created_at = c.Text(9);
  m.number = static_cast<int>(c.Int(10));
  m.spec_hash = c.Text(11);
  m.config_hash = c.Text(12);
  m.data_hash = c.Text(13);
  m.code_version = c.Text(14);
  return m;
}

std::vector<ModelRecord> ReadModels(Cursor& c) {
  std::vector<ModelRecord> out;
  while (c.Next()) out.push_back(ReadModel(c));
  return out;
}

// Every column of model_decisions but the id, in the order ReadDecision and RecordDecision use.
constexpr const char* kDecisionFields =
    "run_id, created_at, horizon, target_year, action, outcome, candidate_id, champion_id, "
    "metric, candidate_value, champion_value, improvement, min_improvement, validation, reason";
constexpr const char* kDecisionTypes = "iittittiitrrrrtt";

/// A model_decisions row, selected as "id, <kDecisionFields>".
ModelDecision ReadDecision(const Cursor& c) {
  ModelDecision d;
  d.id = c.Int(0);
  d.run_id = c.OptionalInt(1);
  d.created_at = c.Text(2);
  d.horizon = c.Text(3);
  d.target_year = c.OptionalInt32(4);
  d.action = c.Text(5);
  d.outcome = c.Text(6);
  d.candidate_id = c.Int(7);
  d.champion_id = c.OptionalInt(8);
  d.metric = c.Text(9);
  d.candidate_value = c.OptionalReal(10);
  d.champion_value = c.OptionalReal(11);
  d.improvement = c.OptionalReal(12);
  d.min_improvement = c.OptionalReal(13);
  d.validation = c.Text(14);
  d.reason = c.Text(15);
  return d;
}

/// Fails unless model `id` exists and belongs to `horizon`: an alias or a decision of one horizon
/// never names a model of the other (the foreign key alone would allow it).
void RequireModelOfHorizon(const DatasetConnection& db, int64_t id, const std::string& horizon,
                           std::string_view role) {
  Cursor c(db.session(), "SELECT horizon FROM models WHERE id = :id", V(id), "t");
  if (!c.Next()) throw StorageError(fmt::format("{} model {} does not exist", role, id));
  if (c.Text(0) != horizon) {
    throw StorageError(fmt::format("{} model {} is a model of horizon '{}', not '{}'", role, id,
                                   c.Text(0), horizon));
  }
}

/// Points an alias of a horizon at a model, creating the alias when absent.
void PointAlias(const DatasetConnection& db, const std::string& horizon, const char* alias,
                int64_t model_id, const std::string& updated_at) {
  db.Exec(
      "INSERT INTO model_aliases (horizon, alias, model_id, updated_at) "
      "VALUES (:horizon, :alias, :model, :at) "
      "ON CONFLICT (horizon, alias) DO UPDATE SET model_id = excluded.model_id, "
      "updated_at = excluded.updated_at",
      V(horizon, alias, model_id, updated_at));
}

}  // namespace

Registration ModelsDataset::Register(const ModelRecord& m) {
  // One write transaction: two processes registering at once cannot both see the version
  // absent, nor both take the same number.
  return db_.Write([&]() -> Registration {
    {
      Cursor existing(db_.session(),
                      SelectModels("WHERE horizon = :horizon AND version = :version"),
                      V(m.horizon, m.version), kModelTypes);
      if (existing.Next()) return {ReadModel(existing), false};
    }
    ModelRecord stored = m;
    {
      Cursor next(db_.session(),
                  "SELECT COALESCE(MAX(number), 0) + 1 FROM models WHERE horizon = :horizon",
                  V(m.horizon), "i");
      next.Next();
      stored.number = static_cast<int>(next.Int(0));
    }
    stored.created_at = UtcNow();
    Cursor id(db_.session(),
              fmt::format("INSERT INTO models ({}) VALUES (:run, :version, :kind, :horizon, "
                          ":year, :from, :to, :artifact, :at, :number, :spec, :config, :data, "
                          ":code) RETURNING id",
                          kModelFields),
              V(stored.run_id, stored.version, stored.kind, stored.horizon, stored.target_year,
                stored.trained_from, stored.trained_to, stored.artifact, stored.created_at,
                stored.number, stored.spec_hash, stored.config_hash, stored.data_hash,
                stored.code_version),
              "i");
    id.Next();
    stored.id = id.Int(0);
    return {std::move(stored), true};
  });
}

std::optional<ModelRecord> ModelsDataset::Find(int64_t id) const {
  return db_.Read([&]() -> std::optional<ModelRecord> {
    Cursor c(db_.session(), SelectModels("WHERE id = :id"), V(id), kModelTypes);
    if (!c.Next()) return std::nullopt;
    return ReadModel(c);
  });
}

std::vector<ModelRecord> ModelsDataset::FindByVersion(const std::string& prefix) const {
  return db_.Read([&] {
    // A plain comparison of the first characters: unlike LIKE, no character of the prefix is a
    // wildcard and case matters.
    Cursor c(db_.session(),
             SelectModels("WHERE substr(version, 1, length(CAST(:length_of AS TEXT))) = "
                          "CAST(:prefix AS TEXT) ORDER BY id"),
             V(prefix, prefix), kModelTypes);
    return ReadModels(c);
  });
}

std::vector<ModelRecord> ModelsDataset::List(std::optional<Horizon> horizon, int limit) const {
  const std::string filter = HorizonFilter(horizon);
  return db_.Read([&] {
    Cursor c(db_.session(),
             SelectModels("WHERE CAST(:any AS TEXT) = '' OR horizon = CAST(:horizon AS TEXT) "
                          "ORDER BY id DESC LIMIT :limit"),
             V(filter, filter, limit), kModelTypes);
    return ReadModels(c);
  });
}

std::optional<ModelRecord> ModelsDataset::FindAliased(Horizon horizon,
                                                      const std::string& alias) const {
  return db_.Read([&]() -> std::optional<ModelRecord> {
    Cursor c(db_.session(),
             SelectModels("WHERE id = (SELECT model_id FROM model_aliases "
                          "WHERE horizon = :horizon AND alias = :alias)"),
             V(std::string(HorizonName(horizon)), alias), kModelTypes);
    if (!c.Next()) return std::nullopt;
    return ReadModel(c);
  });
}

std::vector<ModelAlias> ModelsDataset::ListAliases(std::optional<Horizon> horizon) const {
  const std::string filter = HorizonFilter(horizon);
  return db_.Read([&] {
    Cursor c(db_.session(),
             "SELECT horizon, alias, model_id, updated_at FROM model_aliases "
             "WHERE CAST(:any AS TEXT) = '' OR horizon = CAST(:horizon AS TEXT) "
             "ORDER BY horizon, alias",
             V(filter, filter), "ttit");
    std::vector<ModelAlias> out;
    while (c.Next()) out.push_back({c.Text(0), c.Text(1), c.Int(2), c.Text(3)});
    return out;
  });
}

int64_t ModelsDataset::RecordDecision(const ModelDecision& d, const AliasChange& change) {
  return db_.Write([&] {
    const std::string now = UtcNow();
    RequireModelOfHorizon(db_, d.candidate_id, d.horizon, "candidate");
    if (change.champion) RequireModelOfHorizon(db_, *change.champion, d.horizon, "champion");
    if (change.challenger) {
      RequireModelOfHorizon(db_, *change.challenger, d.horizon, "challenger");
    }
    int64_t id = 0;
    {
      Cursor inserted(
          db_.session(),
          fmt::format("INSERT INTO model_decisions ({}) VALUES (:run, :at, :horizon, :year, "
                      ":action, :outcome, :candidate, :champion, :metric, :candidate_value, "
                      ":champion_value, :improvement, :min_improvement, :validation, :reason) "
                      "RETURNING id",
                      kDecisionFields),
          V(d.run_id, d.created_at.empty() ? now : d.created_at, d.horizon, d.target_year,
            d.action, d.outcome, d.candidate_id, d.champion_id, d.metric, d.candidate_value,
            d.champion_value, d.improvement, d.min_improvement, d.validation, d.reason),
          "i");
      inserted.Next();
      id = inserted.Int(0);
    }
    CrashPoint("decision:written");
    if (change.champion) PointAlias(db_, d.horizon, "champion", *change.champion, now);
    if (change.challenger) PointAlias(db_, d.horizon, "challenger", *change.challenger, now);
    if (change.clear_challenger) {
      db_.Exec("DELETE FROM model_aliases WHERE horizon = :horizon AND alias = 'challenger'",
               V(d.horizon));
    }
    return id;
  });
}

std::vector<ModelDecision> ModelsDataset::ListDecisions(std::optional<Horizon> horizon,
                                                        int limit) const {
  const std::string filter = HorizonFilter(horizon);
  return db_.Read([&] {
    Cursor c(db_.session(),
             fmt::format("SELECT id, {} FROM model_decisions WHERE CAST(:any AS TEXT) = '' OR "
                         "horizon = CAST(:horizon AS TEXT) ORDER BY id DESC LIMIT :limit",
                         kDecisionFields),
             V(filter, filter, limit), kDecisionTypes);
    std::vector<ModelDecision> out;
    while (c.Next()) out.push_back(ReadDecision(c));
    return out;
  });
}

}  // namespace loadcast
