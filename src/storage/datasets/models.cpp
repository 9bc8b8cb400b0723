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
constexpr sql::Columns kModelFields = {
    "run_id, version, kind, horizon, target_year, trained_from, trained_to, artifact, created_at, "
    "number, spec_hash, config_hash, data_hash, code_version",
    "iitttittttitttt"};

/// "SELECT id, <kModelFields> FROM models <rest>".
std::string SelectModels(std::string_view rest) {
  return fmt::format("SELECT id, {} FROM models {}", kModelFields.names, rest);
}

/// A models row, selected as SelectModels lists them.
ModelRecord ReadModel(const Cursor& c) {
  const sql::RowOf row{"models", "id", c.Int(0)};
  return ModelRecord(c.Int(0), c.Int(1), c.Text(2), c.Text(3), c.Enum<Horizon>(4, "horizon", row),
                     static_cast<int>(c.Int(5)), c.Day(6, "trained_from", row),
                     c.Day(7, "trained_to", row), c.Text(8), c.Text(9), static_cast<int>(c.Int(10)),
                     c.Text(11), c.Text(12), c.Text(13), c.Text(14));
}

/// A model_decisions row, selected as "id, <kDecisionFields>".
ModelDecision ReadDecision(const Cursor& c) {
  const sql::RowOf row{"model_decisions", "id", c.Int(0)};
  return ModelDecision(c.Int(0), c.OptionalInt(1), c.Text(2), c.Enum<Horizon>(3, "horizon", row),
                       c.OptionalInt32(4), c.Enum<DecisionAction>(5, "action", row),
                       c.Enum<DecisionOutcome>(6, "outcome", row), c.Int(7), c.OptionalInt(8),
                       c.Text(9), c.OptionalReal(10), c.OptionalReal(11), c.OptionalReal(12),
                       c.OptionalReal(13), c.Text(14), c.Text(15));
}

// Every column of model_decisions but the id, in the order ReadDecision and RecordDecision use.
constexpr sql::Columns kDecisionFields = {
    "run_id, created_at, horizon, target_year, action, outcome, candidate_id, champion_id, "
    "metric, candidate_value, champion_value, improvement, min_improvement, validation, reason",
    "iittittiitrrrrtt"};

/// Fails unless model `id` exists and belongs to `horizon`: an alias or a decision of one horizon
/// never names a model of the other (the foreign key alone would allow it).
void RequireModelOfHorizon(const DatasetConnection& db, int64_t id, Horizon horizon,
                           std::string_view role) {
  Cursor c(db.session(), "SELECT horizon FROM models WHERE id = :id", V(id), "t");
  if (!c.Next()) throw StorageError(fmt::format("{} model {} does not exist", role, id));
  if (c.Text(0) != NameOf(horizon)) {
    throw StorageError(fmt::format("{} model {} is a model of horizon '{}', not '{}'", role, id,
                                   c.Text(0), NameOf(horizon)));
  }
}

/// Points an alias of a horizon at a model, creating the alias when absent.
void PointAlias(const DatasetConnection& db, Horizon horizon, const char* alias, int64_t model_id,
                const std::string& updated_at) {
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
    if (auto existing =
            sql::FirstRow(db_, SelectModels("WHERE horizon = :horizon AND version = :version"),
                          V(m.horizon, m.version), kModelFields.types, ReadModel)) {
      return {std::move(*existing), false};
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
    Cursor id(
        db_.session(),
        fmt::format("INSERT INTO models ({}) VALUES (:run, :version, :kind, :horizon, "
                    ":year, :from, :to, :artifact, :at, :number, :spec, :config, :data, "
                    ":code) RETURNING id",
                    kModelFields.names),
        V(stored.run_id, stored.version, stored.kind, stored.horizon, stored.target_year,
          stored.trained_from, stored.trained_to, stored.artifact, stored.created_at, stored.number,
          stored.spec_hash, stored.config_hash, stored.data_hash, stored.code_version),
        "i");
    id.Next();
    stored.id = id.Int(0);
    return {std::move(stored), true};
  });
}

std::optional<ModelRecord> ModelsDataset::Find(int64_t id) const {
  return db_.Read([&] {
    return sql::FirstRow(db_, SelectModels("WHERE id = :id"), V(id), kModelFields.types, ReadModel);
  });
}

std::vector<ModelRecord> ModelsDataset::FindByVersion(const std::string& prefix) const {
  return db_.Read([&] {
    // A plain comparison of the first characters: unlike LIKE, no character of the prefix is a
    // wildcard and case matters.
    return sql::Rows(db_,
                     SelectModels("WHERE substr(version, 1, length(CAST(:length_of AS TEXT))) = "
                                  "CAST(:prefix AS TEXT) ORDER BY id"),
                     V(prefix, prefix), kModelFields.types, ReadModel);
  });
}

std::vector<ModelRecord> ModelsDataset::List(std::optional<Horizon> horizon, int limit) const {
  const std::string filter = sql::OrEmpty(horizon);
  return db_.Read([&] {
    return sql::Rows(
        db_,
        SelectModels("WHERE CAST(:any AS TEXT) = '' OR horizon = CAST(:horizon AS TEXT) "
                     "ORDER BY id DESC LIMIT :limit"),
        V(filter, filter, limit), kModelFields.types, ReadModel);
  });
}

std::optional<ModelRecord> ModelsDataset::FindAliased(Horizon horizon,
                                                      const std::string& alias) const {
  return db_.Read([&] {
    return sql::FirstRow(db_,
                         SelectModels("WHERE id = (SELECT model_id FROM model_aliases "
                                      "WHERE horizon = :horizon AND alias = :alias)"),
                         V(horizon, alias), kModelFields.types, ReadModel);
  });
}

std::vector<ModelAlias> ModelsDataset::ListAliases(std::optional<Horizon> horizon) const {
  const std::string filter = sql::OrEmpty(horizon);
  return db_.Read([&] {
    return sql::Rows(
        db_,
        "SELECT horizon, alias, model_id, updated_at FROM model_aliases "
        "WHERE CAST(:any AS TEXT) = '' OR horizon = CAST(:horizon AS TEXT) "
        "ORDER BY horizon, alias",
        V(filter, filter), "ttit", [](const Cursor& c) {
          const sql::RowOf row{"model_aliases", "model_id", c.Int(2), c.Text(1)};
          return ModelAlias{c.Enum<Horizon>(0, "horizon", row), c.Text(1), c.Int(2), c.Text(3)};
        });
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
                      kDecisionFields.names),
          V(d.run_id, d.created_at.empty() ? now : d.created_at, d.horizon, d.target_year, d.action,
            d.outcome, d.candidate_id, d.champion_id, d.metric, d.candidate_value, d.champion_value,
            d.improvement, d.min_improvement, d.validation, d.reason),
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
  const std::string filter = sql::OrEmpty(horizon);
  return db_.Read([&] {
    return sql::Rows(
        db_,
        fmt::format("SELECT id, {} FROM model_decisions WHERE CAST(:any AS TEXT) = '' OR "
                    "horizon = CAST(:horizon AS TEXT) ORDER BY id DESC LIMIT :limit",
                    kDecisionFields.names),
        V(filter, filter, limit), kDecisionFields.types, ReadDecision);
  });
}

}  // namespace loadcast
