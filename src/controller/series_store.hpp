// Dataset "series": many series, one canonical CSV object per year in the bucket
// (series/<year>.csv).
#pragma once

#include <string>
#include <vector>

#include "controller/yearly_objects.hpp"
#include "core/series_csv.hpp"
#include "core/time_series.hpp"

namespace loadcast {

/// Years() lists the years with series (see YearlyObjects).
class SeriesStore : public YearlyObjects {
 public:
  explicit SeriesStore(ObjectStore& bucket) : YearlyObjects(bucket, "series/") {}

  /// The series stored for a year (none when the year has no object); DataError when the stored
  /// object is not in the series format. Its values are not checked again: they were when they
  /// were ingested, and a stored value that breaks a rule since the rules changed must not keep
  /// the ingest that corrects it from reading the object.
  SeriesTable Load(int year) const;
  /// Stores a year's series (atomic replace of the year's object) in canonical form.
  void Save(int year, const std::vector<std::string>& names, const std::vector<TimeSeries>& loads);
};

}  // namespace loadcast
