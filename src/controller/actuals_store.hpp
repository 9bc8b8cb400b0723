// Dataset "actuals": the daily load of each year, one canonical CSV object per year in the
// bucket (actuals/<year>.csv).
#pragma once

#include <string>

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
};

}  // namespace loadcast
