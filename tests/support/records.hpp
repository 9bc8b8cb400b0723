// Builders of the database's records (src/storage/records.hpp) with plausible defaults, so that a
// test spells out only the fields it is about.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "storage/records.hpp"

namespace loadcast::testing {

/// A run of `command`, about `target_year` and `horizon` when given, with a small config.
inline RunRecord MakeRun(std::string command, std::optional<int> target_year = std::nullopt,
                         std::string horizon = "") {
  RunRecord run;
  run.command = std::move(command);
  run.target_year = target_year;
  run.horizon = std::move(horizon);
  run.config = "storage:\n  url: var/bucket\n";
  return run;
}

/// A calendar-regression model registered by `run_id`, trained from 2015 up to the year before
/// `target_year`, its artifact under models/<horizon>/<version>/.
inline ModelRecord MakeModel(int64_t run_id, std::string horizon, int target_year,
                             std::string version) {
  ModelRecord m;
  m.run_id = run_id;
  m.version = std::move(version);
  m.kind = "calendar_regression";
  m.horizon = std::move(horizon);
  m.target_year = target_year;
  m.trained_from = "2015-01-01";
  m.trained_to = std::to_string(target_year - 1) + "-12-31";
  m.artifact = "models/" + m.horizon + "/" + m.version + "/model.json";
  return m;
}

/// An alert of the pipeline with `severity` and `code`, about `subject` when given.
inline AlertRecord MakeAlert(std::optional<int64_t> run_id, std::string severity, std::string code,
                             std::string subject = "") {
  AlertRecord a;
  a.run_id = run_id;
  a.severity = std::move(severity);
  a.source = "pipeline";
  a.code = std::move(code);
  a.message = "something happened";
  a.subject = std::move(subject);
  return a;
}

}  // namespace loadcast::testing
