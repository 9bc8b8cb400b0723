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
  std::string statistic;  // which statistic fired it (value and threshold are its); "" for none
  // An episode: one alert for a run of breaching windows, from the first (period_start) to the
  // latest (period_end), with the worst severity and value. Its fingerprint leaves out
  // period_end, so that each monitor run brings the same alert up to date (AlertsDataset::Track).
  AlertEpisode episode = AlertEpisode::kNone;
  std::optional<Date> closed_on;  // the end of the first window that passed again
  std::string updated_at;         // when an episode was last brought up to date
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
  // Only alerts whose period overlaps [covering_from, covering_to] (either may be absent).
  std::optional<Date> covering_from;
  std::optional<Date> covering_to;
  std::optional<AlertEpisode> episode;  // only alerts in this episode state
  int limit = 50;
};

/// What acknowledging an alert did.
struct AlertAcknowledgement {
  AlertRecord alert;                  // as stored afterwards
  bool already_acknowledged = false;  // it was before: nothing changed
};

/// What tracking an episode did to the alerts table.
struct EpisodeWrite {
  int64_t id = 0;          // the episode's alert
  bool opened = false;     // a new alert
  bool updated = false;    // an alert on record brought up to date (a later window, or closed)
  bool escalated = false;  // ... to a higher severity: its acknowledgement is withdrawn
};

/// The alerts table.
class AlertsDataset {
 public:
  explicit AlertsDataset(sql::Connection& db) : db_(db, "alerts") {}

  /// Stores an alert unless one with the same fingerprint is stored already. An empty
  /// fingerprint is derived (AlertFingerprint), an empty created_at is now. Returns the new id,
  /// or nothing when the alert was already on record (that one is left as it is).
  std::optional<int64_t> Add(const AlertRecord& alert);
  /// Stores an episode (alert.episode not kNone): adds it when its fingerprint is new, or brings
  /// the stored one up to date when this view of it reaches as far (period_end) or further and
  /// differs. A view that ends earlier (a monitor of an earlier as-of date) leaves it as it is.
  EpisodeWrite Track(const AlertRecord& alert);
  std::vector<AlertRecord> List(const AlertFilter& filter) const;
  /// The most recent alerts, unfiltered.
  std::vector<AlertRecord> List(int limit) const;
  /// Marks an alert acknowledged now, unless it already is; nothing when no alert has that id.
  std::optional<AlertAcknowledgement> Acknowledge(int64_t id);
  /// How many alerts a run raised.
  int Count(int64_t run_id) const;

 private:
  /// Add, inside a transaction.
  std::optional<int64_t> Insert(const AlertRecord& alert);

  sql::DatasetConnection db_;
};

}  // namespace loadcast
