#include "storage/datasets/revisions.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

constexpr const char* kRevisionColumns =
    "id, year, revision, created_at, run_id, source, object, sha256, days, days_added, "
    "days_changed, largest_change_percent";
constexpr const char* kRevisionTypes = "iiititttiiir";

/// An actual_revisions row, selected as kRevisionColumns lists them.
RevisionRecord ReadRevision(const Cursor& c) {
  RevisionRecord r;
  r.id = c.Int(0);
  r.year = static_cast<int>(c.Int(1));
  r.revision = static_cast<int>(c.Int(2));
  r.created_at = c.Text(3);
  r.run_id = c.OptionalInt(4);
  r.source = c.Text(5);
  r.object = c.Text(6);
  r.sha256 = c.Text(7);
  r.days = static_cast<int>(c.Int(8));
  r.days_added = static_cast<int>(c.Int(9));
  r.days_changed = static_cast<int>(c.Int(10));
  r.largest_change_percent = c.OptionalReal(11);
  return r;
}

/// The largest |new - old| / old of `changes`, in percent; nothing when there are none.
std::optional<double> LargestChangePercent(const std::vector<DayChange>& changes) {
  std::optional<double> largest;
  for (const DayChange& c : changes) {
    const double percent = 100.0 * std::abs(c.new_load - c.old_load) / std::abs(c.old_load);
    largest = std::max(largest.value_or(percent), percent);
  }
  return largest;
}

}  // namespace

RevisionRecord RevisionsDataset::Add(RevisionRecord revision,
                                     const std::vector<DayChange>& changes) {
  revision.days_changed = static_cast<int>(changes.size());
  revision.largest_change_percent = LargestChangePercent(changes);
  revision.created_at = UtcNow();
  return db_.Write([&] {
    {
      Cursor next(db_.session(),
                  "SELECT COALESCE(MAX(revision), 0) + 1 FROM actual_revisions WHERE year = :year",
                  V(revision.year), "i");
      next.Next();
      revision.revision = static_cast<int>(next.Int(0));
    }
    {
      Cursor id(db_.session(),
                "INSERT INTO actual_revisions (year, revision, created_at, run_id, source, "
                "object, sha256, days, days_added, days_changed, largest_change_percent) VALUES "
                "(:year, :revision, :created_at, :run, :source, :object, :sha256, :days, "
                ":added, :changed, :largest) RETURNING id",
                V(revision.year, revision.revision, revision.created_at, revision.run_id,
                  revision.source, revision.object, revision.sha256, revision.days,
                  revision.days_added, revision.days_changed, revision.largest_change_percent),
                "i");
      id.Next();
      revision.id = id.Int(0);
    }
    if (!changes.empty()) {
      Batch batch;
      for (const DayChange& c : changes) {
        batch.Row().Add(revision.id).Add(c.date.ToIso()).Add(c.old_load).Add(c.new_load);
      }
      db_.Exec(
          "INSERT INTO actual_changes (revision_id, date, old_load, new_load) "
          "VALUES (:revision, :date, :old, :new)",
          batch);
    }
    return revision;
  });
}

std::optional<RevisionRecord> RevisionsDataset::Latest(int year) const {
  return db_.Read([&]() -> std::optional<RevisionRecord> {
    Cursor c(db_.session(),
             fmt::format("SELECT {} FROM actual_revisions WHERE year = :year "
                         "ORDER BY revision DESC LIMIT 1",
                         kRevisionColumns),
             V(year), kRevisionTypes);
    if (!c.Next()) return std::nullopt;
    return ReadRevision(c);
  });
}

std::optional<RevisionRecord> RevisionsDataset::Find(int year, int revision) const {
  return db_.Read([&]() -> std::optional<RevisionRecord> {
    Cursor c(db_.session(),
             fmt::format("SELECT {} FROM actual_revisions WHERE year = :year AND "
                         "revision = :revision",
                         kRevisionColumns),
             V(year, revision), kRevisionTypes);
    if (!c.Next()) return std::nullopt;
    return ReadRevision(c);
  });
}

std::vector<RevisionRecord> RevisionsDataset::List(std::optional<int> year) const {
  return db_.Read([&] {
    // A NULL year lists every year.
    Cursor c(db_.session(),
             fmt::format("SELECT {} FROM actual_revisions WHERE (CAST(:any AS INTEGER) IS NULL OR "
                         "year = CAST(:year AS INTEGER)) ORDER BY id DESC",
                         kRevisionColumns),
             V(year, year), kRevisionTypes);
    std::vector<RevisionRecord> revisions;
    while (c.Next()) revisions.push_back(ReadRevision(c));
    return revisions;
  });
}

std::vector<DayChange> RevisionsDataset::Changes(int64_t revision_id) const {
  return db_.Read([&] {
    Cursor c(db_.session(),
             "SELECT date, old_load, new_load FROM actual_changes WHERE revision_id = :revision "
             "ORDER BY date",
             V(revision_id), "trr");
    std::vector<DayChange> changes;
    while (c.Next()) {
      const auto date = Date::ParseIso(c.Text(0));
      if (!date) {
        throw StorageError(fmt::format("table actual_changes, revision {}: malformed date '{}'",
                                       revision_id, c.Text(0)));
      }
      changes.push_back(DayChange{*date, c.Real(1), c.Real(2)});
    }
    return changes;
  });
}

}  // namespace loadcast
