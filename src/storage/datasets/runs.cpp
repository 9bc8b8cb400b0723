#include "storage/datasets/runs.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Cursor;
using sql::V;

constexpr sql::Columns kRunColumns = {
    "id, command, target_year, horizon, started_at, COALESCE(finished_at, ''), status, message, "
    "config, config_hash, inputs, model_id",
    "ititttttttti"};

/// A runs row, selected as kRunColumns lists them: finished_at reads as "" while the run goes
/// on, horizon "" as none.
RunRecord ReadRun(const Cursor& c) {
  const sql::RowOf row{"runs", "id", c.Int(0)};
  return RunRecord(c.Int(0), c.Text(1), c.OptionalInt32(2),
                   c.OptionalEnum<Horizon>(3, "horizon", row), c.Text(4), c.Text(5),
                   c.Enum<RunStatus>(6, "status", row), c.Text(7), c.Text(8), c.Text(9), c.Text(10),
                   c.OptionalInt(11), ProcessIdentity{});
}

}  // namespace

int64_t RunsDataset::Begin(const RunRecord& run) {
  return db_.Write([&] {
    Cursor id(db_.session(),
              "INSERT INTO runs (command, target_year, horizon, started_at, status, config, "
              "config_hash, host, pid, process_started) VALUES (:command, :target_year, "
              ":horizon, :started_at, :status, :config, :config_hash, :host, :pid, :started) "
              "RETURNING id",
              V(run.command, run.target_year, sql::OrEmpty(run.horizon),
                run.started_at.empty() ? UtcNow() : run.started_at, RunStatus::kRunning, run.config,
                run.config_hash, run.process.host,
                run.process.pid > 0 ? std::optional<int64_t>(run.process.pid) : std::nullopt,
                run.process.started),
              "i");
    id.Next();
    return id.Int(0);
  });
}

void RunsDataset::Finish(int64_t run_id, RunStatus status, const std::string& message) {
  db_.Write([&] {
    db_.Exec(
        "UPDATE runs SET finished_at = :now, status = :status, message = :message "
        "WHERE id = :id",
        V(UtcNow(), status, message, run_id));
  });
}

std::vector<int64_t> RunsDataset::Claim(int target_year, Horizon horizon, int64_t run_id,
                                        const std::string& message) {
  return db_.Write([&] {
    const std::string now = UtcNow();
    std::vector<int64_t> ids;
    {
      Cursor find(db_.session(),
                  "SELECT id FROM runs WHERE status = :running AND locked_at IS NOT NULL AND "
                  "target_year = :year AND horizon = :horizon AND id <> :run ORDER BY id",
                  V(RunStatus::kRunning, target_year, horizon, run_id), "i");
      while (find.Next()) ids.push_back(find.Int(0));
    }
    for (const int64_t id : ids) {
      db_.Exec(
          "UPDATE runs SET finished_at = :now, status = :failed, message = :message "
          "WHERE id = :id",
          V(now, RunStatus::kFailed, message, id));
    }
    db_.Exec("UPDATE runs SET locked_at = :now WHERE id = :id", V(now, run_id));
    return ids;
  });
}

std::vector<RunningRun> RunsDataset::Running() const {
  return db_.Read([&] {
    return sql::Rows(db_,
                     "SELECT id, command, host, COALESCE(pid, 0), process_started FROM runs "
                     "WHERE status = :running ORDER BY id",
                     V(RunStatus::kRunning), "ittit", [](const Cursor& c) {
                       return RunningRun{
                           c.Int(0), c.Text(1), {c.Text(2), static_cast<int>(c.Int(3)), c.Text(4)}};
                     });
  });
}

bool RunsDataset::Abandon(int64_t run_id, const std::string& message) {
  return db_.Write([&] {
    // Only a run still running: a run that finished meanwhile keeps how it ended.
    Cursor done(db_.session(),
                "UPDATE runs SET finished_at = :now, status = :failed, message = :message "
                "WHERE id = :id AND status = :running RETURNING id",
                V(UtcNow(), RunStatus::kFailed, message, run_id, RunStatus::kRunning), "i");
    return done.Next();
  });
}

std::vector<RunRecord> RunsDataset::List(int limit) const {
  return db_.Read([&] {
    return sql::Rows(
        db_, fmt::format("SELECT {} FROM runs ORDER BY id DESC LIMIT :limit", kRunColumns.names),
        V(limit), kRunColumns.types, ReadRun);
  });
}

std::optional<RunRecord> RunsDataset::Find(int64_t run_id) const {
  return db_.Read([&] {
    return sql::FirstRow(db_, fmt::format("SELECT {} FROM runs WHERE id = :id", kRunColumns.names),
                         V(run_id), kRunColumns.types, ReadRun);
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
