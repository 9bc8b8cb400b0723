// Dataset "alerts": what checks found, one alert per fingerprint, and which were acknowledged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "core/vocabulary.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// One alert: what a check found, about which period, with the figure and the threshold it
/// crossed. The same check on the same data gives the same fingerprint, and the database keeps
/// one alert per fingerprint.
struct AlertRecord {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  std::string created_at;
  AlertSeverity severity = AlertSeverity::kInfo;
  AlertSource source = AlertSource::kValidation;
  std::string code;  // stable machine-readable identifier, documented in docs/operations.md
  std::string message;
  std::optional<int> target_year;
  std::optional<Horizon> horizon;    // none when not about one horizon
  std::optional<Date> period_start;  // the period concerned; none when none
  std::optional<Date> period_end;
  std::string subject;  // what else identifies the data checked (a file and its hash, a window)
  std::optional<double> value;      // the figure that was checked
  std::optional<double> threshold;  // the limit it crossed
  std::string fingerprint;          // empty: derived from the fields above when stored
  bool acknowledged = false;
  std::string acknowledged_at;
};

/// Which alerts AlertsDataset::List returns, newest first. Empty fields do not filter.
struct AlertFilter {
  std::vector<AlertSeverity> severities;  // any of these
  std::vector<AlertSource> sources;       // any of these
  std::string since;                      // created at or after this UTC date or ISO time
  std::string until;                 // created on or before this UTC date (or before this time)
  std::optional<bool> acknowledged;  // only acknowledged (true) or only open (false) alerts
  std::optional<int> target_year;    // only alerts about this target year
  std::optional<int64_t> run_id;     // only alerts raised by this run
  int limit = 50;
};

/// What acknowledging an alert did.
struct AlertAcknowledgement {
  AlertRecord alert;                  // as stored afterwards
  bool already_acknowledged = false;  // it was before: nothing changed
};

/// The alerts table.
class AlertsDataset {
 public:
  explicit AlertsDataset(sql::Connection& db) : db_(db, "alerts") {}

  /// Stores an alert unless one with the same fingerprint is stored already. An empty
  /// fingerprint is derived (AlertFingerprint), an empty created_at is now. Returns the new id,
  /// or nothing when the alert was already on record (that one is left as it is).
  std::optional<int64_t> Add(const AlertRecord& alert);
  std::vector<AlertRecord> List(const AlertFilter& filter) const;
  /// The most recent alerts, unfiltered.
  std::vector<AlertRecord> List(int limit) const;
  /// Marks an alert acknowledged now, unless it already is; nothing when no alert has that id.
  std::optional<AlertAcknowledgement> Acknowledge(int64_t id);
  /// How many alerts a run raised.
  int Count(int64_t run_id) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
