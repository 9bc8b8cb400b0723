#include "controller/yearly_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "controller/dataset_error.hpp"

namespace loadcast {

std::string YearObjectKey(std::string_view prefix, int year) {
  return fmt::format("{}{}.csv", prefix, year);
}

std::vector<int> YearsWithObjects(const ObjectStore& bucket, std::string_view prefix,
                                  const std::string& dataset) {
  return WithDataset(dataset, [&] {
    std::vector<int> years;
    for (const std::string& key : bucket.List(std::string(prefix))) {
      int year = 0;
      // Only the key the year would be stored under counts: "02019.csv" or "2021.csv.bak" do not.
      if (std::sscanf(key.c_str() + prefix.size(), "%d.csv", &year) == 1 &&
          YearObjectKey(prefix, year) == key) {
        years.push_back(year);
      }
    }
    std::sort(years.begin(), years.end());
    return years;
  });
}

}  // namespace loadcast
