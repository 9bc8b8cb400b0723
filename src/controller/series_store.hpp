// Dataset "series": many series, one canonical CSV object per year in the bucket
// (series/<year>.csv).
#pragma once

#include <string>
#include <vector>

#include "core/series_csv.hpp"
#include "core/time_series.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

class SeriesStore {
 public:
  explicit SeriesStore(ObjectStore& bucket) : bucket_(&bucket) {}

  /// The key of a year's object: series/<year>.csv.
  static std::string Key(int year);
  /// Years with a series object, ascending.
  std::vector<int> Years() const;
  /// The series stored for a year (none when the year has no object); DataError when the stored
  /// object breaks a rule.
  SeriesTable Load(int year, const SeriesCsvRules& rules) const;
  /// Stores a year's series (atomic replace of the year's object) in canonical form.
  void Save(int year, const std::vector<std::string>& names, const std::vector<TimeSeries>& loads);

 private:
  ObjectStore* bucket_;
};

}  // namespace loadcast
