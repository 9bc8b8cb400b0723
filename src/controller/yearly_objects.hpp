// The key rule of the datasets kept as one bucket object per year (actuals, series):
// <prefix><year>.csv.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/object_store.hpp"

namespace loadcast {

/// The key of a year's object: "<prefix><year>.csv".
std::string YearObjectKey(std::string_view prefix, int year);

/// The years with an object under `prefix`, ascending. Other objects under the prefix (backups,
/// notes, sub-folders, temporary files) are not years. Failures name `dataset`.
std::vector<int> YearsWithObjects(const ObjectStore& bucket, std::string_view prefix,
                                  const std::string& dataset);

}  // namespace loadcast
