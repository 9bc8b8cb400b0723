#include "controller/actuals_history.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>

#include "core/crash_point.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/load_csv.hpp"

namespace loadcast {
namespace {

/// The series a canonical load CSV holds.
TimeSeries ParseSeries(const std::string& bytes, const std::string& location) {
  TimeSeries series;
  for (const LoadRow& row : ParseLoadCsv(bytes, location).rows) series.set(row.date, row.load);
  return series;
}

/// The day of `changes` whose load changed most, relative to its old load.
std::optional<DayChange> Largest(const std::vector<DayChange>& changes) {
  std::optional<DayChange> largest;
  double largest_share = -1.0;
  for (const DayChange& c : changes) {
    const double share = std::abs(c.new_load - c.old_load) / std::abs(c.old_load);
    if (share > largest_share) {
      largest_share = share;
      largest = c;
    }
  }
  return largest;
}

/// Days of `after` unknown in `before`.
int AddedDays(const TimeSeries& before, const TimeSeries& after) {
  int added = 0;
  for (std::size_t i = 0; i < after.size(); ++i) {
    if (!std::isnan(after.values()[i]) && !before.has(after.date_at(i))) ++added;
  }
  return added;
}

/// Adds the row of revision `number` of `year`, whose bytes are kept already, against `before`.
StoredRevision Record(DataController& data, int year, int number, const std::string& bytes,
                      const TimeSeries& before, const std::string& source,
                      std::optional<int64_t> run_id) {
  const std::string key = ActualsStore::RevisionKey(year, number);
  const TimeSeries after = ParseSeries(bytes, data.actuals().LocateKey(key));
  const std::vector<DayChange> changes = ChangedDays(before, after);
  RevisionRecord row;
  row.year = year;
  row.run_id = run_id;
  row.source = source;
  row.object = key;
  row.sha256 = Sha256Hex(bytes);
  row.days = static_cast<int>(after.count_known());
  row.days_added = AddedDays(before, after);
  StoredRevision stored{data.revisions().Add(row, changes), Largest(changes)};
  if (stored.record.revision != number) {
    // Another process recorded a revision of the year meanwhile; the row must name its own bytes.
    throw StorageError(fmt::format(
        "actuals of {}: revision {} was recorded by another process while this one kept {}; "
        "ingest again",
        year, stored.record.revision, key));
  }
  spdlog::info("actuals of {}: revision {} recorded ({} days changed, {} added), kept as {}", year,
               number, stored.record.days_changed, stored.record.days_added, key);
  return stored;
}

}  // namespace

std::vector<DayChange> ChangedDays(const TimeSeries& before, const TimeSeries& after) {
  std::vector<DayChange> changes;
  for (std::size_t i = 0; i < after.size(); ++i) {
    const double now = after.values()[i];
    const Date date = after.date_at(i);
    if (std::isnan(now) || !before.has(date)) continue;
    const double was = before.at(date);
    if (was != now) changes.push_back({date, was, now});
  }
  return changes;
}

StoredActuals StoreActuals(DataController& data, int year, const TimeSeries& series,
                           const std::string& source, std::optional<int64_t> run_id) {
  StoredActuals out;
  const std::string bytes = FormatLoadCsv(series);
  const std::optional<std::string> stored = data.actuals().Bytes(year);
  std::optional<RevisionRecord> latest = data.revisions().Latest(year);

  // The stored object must be on record before it is replaced, or its values would be lost
  // without trace: adopt it as a revision of its own.
  if (stored && (!latest || latest->sha256 != Sha256Hex(*stored))) {
    const TimeSeries before =
        latest ? data.actuals().LoadRevision(year, latest->revision) : TimeSeries();
    const int number = latest ? latest->revision + 1 : 1;
    const std::string how = latest ? "found in the bucket but not on record (an ingest stopped "
                                     "before recording it, or a change by hand)"
                                   : "stored before revisions were recorded";
    spdlog::warn("actuals of {}: the stored object was {}; recording it as revision {}", year, how,
                 number);
    data.actuals().KeepRevision(year, number, *stored);
    out.revisions.push_back(Record(data, year, number, *stored, before,
                                   fmt::format("{}; recorded by the ingest of {}", how, source),
                                   run_id));
    latest = out.revisions.back().record;
  }
  if (stored && *stored == bytes) return out;

  const int number = latest ? latest->revision + 1 : 1;
  const TimeSeries before =
      stored ? ParseSeries(*stored, data.actuals().LocateKey(ActualsStore::Key(year)))
             : TimeSeries();
  data.actuals().KeepRevision(year, number, bytes);
  data.actuals().SaveBytes(year, bytes);
  out.replaced = true;
  CrashPoint("ingest:object-replaced");
  out.revisions.push_back(Record(data, year, number, bytes, before, source, run_id));
  return out;
}

}  // namespace loadcast
