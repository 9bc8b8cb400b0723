// Storing a year's actuals with its history: every object a year's actuals/<year>.csv held is
// kept as a numbered revision, and each revision is recorded in the revisions dataset with the
// days it changed (old and new load), so that revised actuals never overwrite silently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/time_series.hpp"

namespace loadcast {

/// A revision recorded by StoreActuals: its row and the day that changed most.
struct StoredRevision {
  RevisionRecord record;
  std::optional<DayChange> largest;  // the day whose load changed most; none when none changed
};

/// What StoreActuals did to a year.
struct StoredActuals {
  bool replaced = false;                  // the year's object was created or replaced
  std::vector<StoredRevision> revisions;  // recorded, oldest first (none: nothing changed)
};

/// Stores `series` as the actuals of `year`, recording the revision in the order that keeps the
/// bucket and the database agreeing:
///   1. the new bytes are kept as the next revision, actuals/revisions/<year>/<n>.csv;
///   2. actuals/<year>.csv is replaced (atomically), so the object runs read is always whole;
///   3. the revision row is added, with each day whose load changed (old -> new).
/// An ingest killed between 2 and 3 leaves an object no revision row describes. The next store
/// of the year (any ingest touching it, even of identical data) first records that object as a
/// revision of its own, its changes taken against the latest recorded revision's kept bytes;
/// a year stored before revisions were recorded is adopted the same way, as revision 1. A year
/// stored unchanged and on record records nothing. `source` names the input files, `run_id` the
/// run that stores.
StoredActuals StoreActuals(DataController& data, int year, const TimeSeries& series,
                           const std::string& source, std::optional<int64_t> run_id);

/// The days of `after` whose load differs from `before`'s (days only in `after` are not
/// changes), by date.
std::vector<DayChange> ChangedDays(const TimeSeries& before, const TimeSeries& after);

}  // namespace loadcast
