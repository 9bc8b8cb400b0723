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
  /// object breaks a rule.
  SeriesTable Load(int year, const SeriesCsvRules& rules) const;
  /// Stores a year's series (atomic replace of the year's object) in canonical form.
  void Save(int year, const std::vector<std::string>& names, const std::vector<TimeSeries>& loads);
};

}  // namespace loadcast
