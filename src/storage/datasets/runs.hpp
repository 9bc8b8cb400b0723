// Dataset "runs": one row per command loadcast ran, with how it ended, the config it ran with,
// the inputs it read and the model it used; and which run holds each target's lock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/process.hpp"
#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

struct RunRecord {
  int64_t id = 0;
  std::string command;
  std::optional<int> target_year;
  std::optional<Horizon> horizon;  // none when the command is not about one horizon
  std::string started_at;
  std::string finished_at;  // empty while running
  RunStatus status = RunStatus::kRunning;
  std::string message;
  std::string config;       // effective configuration (YAML, secrets redacted)
  std::string config_hash;  // SHA-256 of `config`, first 16 hex digits
  // The input objects the run read, as a JSON object of key -> SHA-256 ("" until recorded).
  std::string inputs;
  std::optional<int64_t> model_id;  // the model the run trained or predicted with
  // The process that ran it (set by Begin from `process`, not read back by List or Find).
  ProcessIdentity process;
};

/// A run recorded as running, and the process recorded as running it.
struct RunningRun {
  int64_t id = 0;
  std::string command;
  ProcessIdentity process;  // host empty for runs recorded before processes were
};

/// The runs table. Each write is one transaction.
class RunsDataset {
 public:
  explicit RunsDataset(sql::Connection& db) : db_(db, "runs") {}

  /// Records a run as 'running', started now unless `run` says when. The new id.
  int64_t Begin(const RunRecord& run);
  void Finish(int64_t run_id, RunStatus status, const std::string& message);
  /// Called by run `run_id` once it holds the lock of the target year and horizon: records that
  /// it holds it (runs.locked_at), and marks failed, with `message`, the runs of the target that
  /// held it before and are still 'running' (their process died holding it), in one transaction.
  /// Returns the ids of those runs.
  std::vector<int64_t> Claim(int target_year, Horizon horizon, int64_t run_id,
                             const std::string& message);
  /// The runs recorded as running, oldest first.
  std::vector<RunningRun> Running() const;
  /// Marks run `run_id` failed with `message` if it is still running; false when it is not
  /// (it finished meanwhile, or another process marked it first).
  bool Abandon(int64_t run_id, const std::string& message);
  /// The latest runs, newest first.
  std::vector<RunRecord> List(int limit) const;
  std::optional<RunRecord> Find(int64_t run_id) const;
  /// Records the input objects a run read, object key -> SHA-256, as a JSON object.
  void SetInputs(int64_t run_id, const std::map<std::string, std::string>& inputs);
  /// Records the model a run trained or predicted with.
  void SetModel(int64_t run_id, int64_t model_id);

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
