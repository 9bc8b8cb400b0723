#include "controller/yearly_objects.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "controller/dataset_error.hpp"

namespace loadcast {

std::string YearlyObjects::Key(std::string_view prefix, int year) {
  return fmt::format("{}{}.csv", prefix, year);
}

std::vector<int> YearlyObjects::Years() const {
  return WithDataset(std::string(name()), [&] {
    std::vector<int> years;
    for (const std::string& key : bucket_->List(std::string(prefix_))) {
      int year = 0;
      // Only the key the year would be stored under counts: "02019.csv" or "2021.csv.bak" do not.
      if (std::sscanf(key.c_str() + prefix_.size(), "%d.csv", &year) == 1 &&
          Key(prefix_, year) == key) {
        years.push_back(year);
      }
    }
    std::sort(years.begin(), years.end());
    return years;
  });
}

std::optional<std::string> YearlyObjects::Get(int year) const {
  const std::string key = Key(prefix_, year);
  return WithDataset(key, [&] { return bucket_->Get(key); });
}

void YearlyObjects::Put(int year, std::string_view bytes) {
  const std::string key = Key(prefix_, year);
  WithDataset(key, [&] { bucket_->Put(key, bytes); });
}

std::string YearlyObjects::Locate(int year) const { return bucket_->Locate(Key(prefix_, year)); }

}  // namespace loadcast
