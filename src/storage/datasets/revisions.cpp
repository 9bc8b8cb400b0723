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

constexpr sql::Columns kRevisionColumns = {
    "id, year, revision, created_at, run_id, source, object, sha256, days, days_added, "
    "days_changed, largest_change_percent",
    "iiititttiiir"};

/// An actual_revisions row, selected as kRevisionColumns lists them.
RevisionRecord ReadRevision(const Cursor& c) {
  return RevisionRecord(c.Int(0), static_cast<int>(c.Int(1)), static_cast<int>(c.Int(2)), c.Text(3),
                        c.OptionalInt(4), c.Text(5), c.Text(6), c.Text(7),
                        static_cast<int>(c.Int(8)), static_cast<int>(c.Int(9)),
                        static_cast<int>(c.Int(10)), c.OptionalReal(11));
}

/// The SELECT of kRevisionColumns from actual_revisions, then `rest` (WHERE, ORDER BY).
std::string SelectRevisions(const char* rest) {
  return fmt::format("SELECT {} FROM actual_revisions {}", kRevisionColumns.names, rest);
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
        batch.Row().Add(revision.id).Add(c.date).Add(c.old_load).Add(c.new_load);
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
  return db_.Read([&] {
    return sql::FirstRow(db_, SelectRevisions("WHERE year = :year ORDER BY revision DESC LIMIT 1"),
                         V(year), kRevisionColumns.types, ReadRevision);
  });
}

std::optional<RevisionRecord> RevisionsDataset::Find(int year, int revision) const {
  return db_.Read([&] {
    return sql::FirstRow(db_, SelectRevisions("WHERE year = :year AND revision = :revision"),
                         V(year, revision), kRevisionColumns.types, ReadRevision);
  });
}

std::vector<RevisionRecord> RevisionsDataset::List(std::optional<int> year) const {
  return db_.Read([&] {
    // A NULL year lists every year.
    return sql::Rows(db_,
                     SelectRevisions("WHERE CAST(:any AS INTEGER) IS NULL OR "
                                     "year = CAST(:year AS INTEGER) ORDER BY id DESC"),
                     V(year, year), kRevisionColumns.types, ReadRevision);
  });
}

std::vector<DayChange> RevisionsDataset::Changes(int64_t revision_id) const {
  return db_.Read([&] {
    return sql::Rows(
        db_,
        "SELECT date, old_load, new_load FROM actual_changes "
        "WHERE revision_id = :revision ORDER BY date",
        V(revision_id), "trr", [&](const Cursor& c) {
          const sql::RowOf row{"actual_changes", "revision_id", revision_id, c.Text(0)};
          return DayChange{c.Day(0, "date", row), c.Real(1), c.Real(2)};
        });
  });
}

}  // namespace loadcast
