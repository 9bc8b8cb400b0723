// Dataset "actual revisions": the history of each year's actuals object. Every time the stored
// object of a year changes, a revision records what it became and which days changed, with their
// old and new loads, so that no stored value is ever lost without trace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast {

/// One revision of a year's actuals: the object as one ingest stored it.
struct RevisionRecord {
  int64_t id = 0;
  int year = 0;
  int revision = 0;               // 1, 2, ... per year, in the order stored
  std::string created_at;         // set when stored
  std::optional<int64_t> run_id;  // the run that stored it
  std::string source;             // the input file or files it came from
  std::string object;             // bucket key of this revision's bytes
  std::string sha256;             // of those bytes
  int days = 0;                   // days in the object
  int days_added = 0;             // days the previous revision did not have
  int days_changed = 0;           // days whose load changed: set when stored, from the changes
  // The largest change of a day's load, |new - old| / old in percent; nothing when no day
  // changed. Set when stored, from the changes.
  std::optional<double> largest_change_percent;
};

/// One day a revision changed: its load before and after.
struct DayChange {
  Date date;
  double old_load = 0.0;
  double new_load = 0.0;
};

/// The actual_revisions table and the days each revision changed (actual_changes).
class RevisionsDataset {
 public:
  explicit RevisionsDataset(sql::Connection& db) : db_(db, "revisions") {}

  /// Stores a revision of `revision.year` with the days it changed, numbered one above the
  /// year's latest revision, all in one transaction. `days_changed` and
  /// `largest_change_percent` are derived from `changes`. Returns the revision as stored.
  RevisionRecord Add(RevisionRecord revision, const std::vector<DayChange>& changes);
  /// The latest revision of a year; nothing when the year has none.
  std::optional<RevisionRecord> Latest(int year) const;
  /// Revision `revision` of a year; nothing when there is no such revision.
  std::optional<RevisionRecord> Find(int year, int revision) const;
  /// The revisions of one year, or of every year when nullopt, newest first.
  std::vector<RevisionRecord> List(std::optional<int> year) const;
  /// The days a revision changed, by date.
  std::vector<DayChange> Changes(int64_t revision_id) const;

 private:
  sql::DatasetConnection db_;
};

}  // namespace loadcast
