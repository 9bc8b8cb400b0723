// The monitor flow: extract -> validate -> drift -> performance -> alert, as one recorded run
// (command "monitor"). Findings become alerts; the same finding on the same data is stored once,
// so a scheduler can run the monitor every night.
#pragma once

#include <optional>
#include <vector>

#include "controller/data_controller.hpp"
#include "pipeline/monitor.hpp"
#include "pipeline/run.hpp"

namespace loadcast {

struct MonitorResult {
  int64_t run_id = 0;
  int target_year = 0;
  std::optional<Date> as_of;  // nothing when the target year has no actuals yet
  DriftReport drift;
  std::vector<PerformanceReport> performance;  // one per horizon monitored
  std::vector<AlertRecord> alerts;  // the episodes this run saw, new or already on record
  int new_alerts = 0;               // of which opened by this run
  int updated_alerts = 0;           // of which on record and brought up to date by this run
  std::vector<StepTiming> timings;
};

/// Monitors `target_year` on the actuals up to `as_of` (default: the last actual of the year).
/// `horizon` limits the performance monitor to one horizon (default: both, where published).
/// UsageError when `as_of` is not in the target year.
MonitorResult MonitorFlow(DataController& data, const Config& config, int target_year,
                          std::optional<Date> as_of, std::optional<Horizon> horizon);

/// The windows of a monitor run as the database keeps them (and `monitor --json` prints them):
/// drift, then each horizon's.
std::vector<MonitorWindowRow> MonitorWindowRows(const MonitorResult& result);

}  // namespace loadcast
