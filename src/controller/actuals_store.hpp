// Dataset "actuals": the daily load of each year, one canonical CSV object per year in the
// bucket (actuals/<year>.csv). The bytes of each revision of a year are kept beside it, under
// actuals/revisions/<year>/<revision>.csv, which Years() does not count as years.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "controller/yearly_objects.hpp"
#include "core/time_series.hpp"

namespace loadcast {

/// Years() lists the years with actuals (see YearlyObjects).
class ActualsStore : public YearlyObjects {
 public:
  explicit ActualsStore(ObjectStore& bucket) : YearlyObjects(bucket, "actuals/") {}

  /// The key of a year's object: actuals/<year>.csv.
  static std::string Key(int year) { return YearlyObjects::Key("actuals/", year); }
  /// The stored actuals of a year; empty series when the year has no object. DataError naming
  /// the object when it is not a valid load file.
  TimeSeries Load(int year) const;
  /// The stored actuals of the years in [first_year, last_year], as one series.
  TimeSeries LoadRange(int first_year, int last_year) const;
  /// Whether `series`, stored in canonical form, would differ from the year's stored object.
  bool Changed(int year, const TimeSeries& series) const;
  /// Stores a year's actuals (atomic replace of the year's object).
  void Save(int year, const TimeSeries& series);
  /// Content hash (SHA-256) of a year's stored object; empty when absent.
  std::string Hash(int year) const;
  /// The bytes of a year's stored object; nothing when absent.
  std::optional<std::string> Bytes(int year) const { return Get(year); }
  /// Replaces a year's object with `bytes` (canonical load CSV) atomically.
  void SaveBytes(int year, std::string_view bytes) { Put(year, bytes); }

  /// The key the bytes of revision `revision` of a year are kept under:
  /// actuals/revisions/<year>/<revision>.csv.
  static std::string RevisionKey(int year, int revision);
  /// Keeps `bytes` as revision `revision` of a year (replacing what an interrupted ingest may
  /// have left under that key).
  void KeepRevision(int year, int revision, std::string_view bytes);
  /// The actuals of a kept revision; empty series when its object is absent. DataError naming
  /// the object when it is not a valid load file.
  TimeSeries LoadRevision(int year, int revision) const;
  /// Where an object of the dataset is, for people.
  std::string LocateKey(const std::string& key) const { return bucket().Locate(key); }
};

}  // namespace loadcast
