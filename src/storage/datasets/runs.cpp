#include "storage/datasets/runs.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Cursor;
using sql::V;

constexpr const char* kRunColumns =
    "id, command, target_year, horizon, started_at, COALESCE(finished_at, ''), status, message, "
    "config, config_hash, inputs, model_id";
constexpr const char* kRunTypes = "ititttttttti";

/// A runs row, selected as kRunColumns lists them.
RunRecord ReadRun(const Cursor& c) {
  RunRecord r;
  r.id = c.Int(0);
  r.command = c.Text(1);
  r.target_year = c.OptionalInt32(2);
  r.horizon = c.Text(3);
  r.started_at = c.Text(4);
  r.finished_at = c.Text(5);
  r.status = c.Text(6);
  r.message = c.Text(7);
  r.config = c.Text(8);
  r.config_hash = c.Text(9);
  r.inputs = c.Text(10);
  r.model_id = c.OptionalInt(11);
  return r;
}

}  // namespace

int64_t RunsDataset::Begin(const RunRecord& run) {
  return db_.Write([&] {
    Cursor id(db_.session(),
              "INSERT INTO runs (command, target_year, horizon, started_at, status, config, "
              "config_hash) VALUES (:command, :target_year, :horizon, :started_at, 'running', "
              ":config, :config_hash) RETURNING id",
              V(run.command, run.target_year, run.horizon,
                run.started_at.empty() ? UtcNow() : run.started_at, run.config, run.config_hash),
              "i");
    id.Next();
    return id.Int(0);
  });
}

void RunsDataset::Finish(int64_t run_id, const std::string& status, const std::string& message) {
  db_.Write([&] {
    db_.Exec("UPDATE runs SET finished_at = :now, status = :status, message = :message "
             "WHERE id = :id",
             V(UtcNow(), status, message, run_id));
  });
}

std::vector<int64_t> RunsDataset::Claim(int target_year, Horizon horizon,
                                        int64_t run_id, const std::string& message) {
  return db_.Write([&] {
    const std::string now = UtcNow();
    std::vector<int64_t> ids;
    {
      Cursor find(db_.session(),
                  "SELECT id FROM runs WHERE status = 'running' AND locked_at IS NOT NULL AND "
                  "target_year = :year AND horizon = :horizon AND id <> :run ORDER BY id",
                  V(target_year, std::string(HorizonName(horizon)), run_id), "i");
      while (find.Next()) ids.push_back(find.Int(0));
    }
    for (const int64_t id : ids) {
      db_.Exec("UPDATE runs SET finished_at = :now, status = 'failed', message = :message "
               "WHERE id = :id",
               V(now, message, id));
    }
    db_.Exec("UPDATE runs SET locked_at = :now WHERE id = :id", V(now, run_id));
    return ids;
  });
}

std::vector<RunRecord> RunsDataset::List(int limit) const {
  return db_.Read([&] {
    Cursor c(db_.session(),
             fmt::format("SELECT {} FROM runs ORDER BY id DESC LIMIT :limit", kRunColumns),
             V(limit), kRunTypes);
    std::vector<RunRecord> runs;
    while (c.Next()) runs.push_back(ReadRun(c));
    return runs;
  });
}

std::optional<RunRecord> RunsDataset::Find(int64_t run_id) const {
  return db_.Read([&]() -> std::optional<RunRecord> {
    Cursor c(db_.session(), fmt::format("SELECT {} FROM runs WHERE id = :id", kRunColumns),
             V(run_id), kRunTypes);
    if (!c.Next()) return std::nullopt;
    return ReadRun(c);
  });
}

void RunsDataset::SetInputs(int64_t run_id, const std::map<std::string, std::string>& inputs) {
  // A JSON object, its keys in order: the same inputs always read the same.
  const std::string text = nlohmann::json(inputs).dump();
  db_.Write([&] {
    // Provenance written to no run would be lost without a word.
    if (db_.Exec("UPDATE runs SET inputs = :inputs WHERE id = :id", V(text, run_id)) == 0) {
      throw StorageError(fmt::format("no run {}", run_id));
    }
  });
}

void RunsDataset::SetModel(int64_t run_id, int64_t model_id) {
  db_.Write([&] {
    if (db_.Exec("UPDATE runs SET model_id = :model WHERE id = :id", V(model_id, run_id)) == 0) {
      throw StorageError(fmt::format("no run {}", run_id));
    }
  });
}

}  // namespace loadcast
