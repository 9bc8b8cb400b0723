// Dataset "monitor windows": what each monitor run measured, window by window.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// One window the monitor measured: the drift of the load against the calendar expectation
/// (kind "drift", no horizon), or the error of a published forecast over a rolling window or a
/// month (kind "rolling" or "month").
struct MonitorWindowRow {
  std::string kind;
  std::optional<Horizon> horizon;  // none for drift
  Date start;                      // inclusive
  Date end;
  int days = 0;
  double value = 0.0;         // drift: mean shift in percent; rolling and month: MAPE in percent
  std::optional<double> psi;  // drift only
  std::optional<double> ks;   // drift only: Kolmogorov-Smirnov D
  std::optional<double> ks_p_value;          // drift only
  std::optional<double> wasserstein;         // drift only: in reference standard deviations
  std::optional<double> warning_threshold;   // performance only
  std::optional<double> critical_threshold;  // performance only
  WindowStatus status = WindowStatus::kPass;
  std::string reason;
};

/// The windows one monitor run measured for a target year.
struct MonitorSnapshot {
  int64_t run_id = 0;
  int target_year = 0;
  Date as_of;                             // the last day measured
  std::vector<MonitorWindowRow> windows;  // drift, then performance, each chronological
};

/// The monitor_windows table.
class MonitorDataset {
 public:
  explicit MonitorDataset(sql::Connection& db) : db_(db, "monitor") {}

  /// Writes the windows a monitor run measured, with the last day it measured (all or none).
  void Save(int64_t run_id, Date as_of, const std::vector<MonitorWindowRow>& windows);
  /// The windows of the latest succeeded monitor run of a target year that measured any.
  std::optional<MonitorSnapshot> Latest(int target_year) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
