#include "controller/series_store.hpp"

#include <fmt/format.h>

#include "controller/dataset_error.hpp"
#include "controller/yearly_objects.hpp"
#include "core/errors.hpp"

namespace loadcast {
namespace {

constexpr std::string_view kSeriesPrefix = "series/";

}  // namespace

std::string SeriesStore::Key(int year) { return YearObjectKey(kSeriesPrefix, year); }

std::vector<int> SeriesStore::Years() const {
  return YearsWithObjects(*bucket_, kSeriesPrefix, "series");
}

SeriesTable SeriesStore::Load(int year, const SeriesCsvRules& rules) const {
  const std::string key = Key(year);
  return WithDataset(key, [&] {
    const auto bytes = bucket_->Get(key);
    if (!bytes) return SeriesTable{bucket_->Locate(key), {}, {}, 0};
    try {
      return ParseSeriesCsv(*bytes, bucket_->Locate(key), rules);
    } catch (const DataError& e) {
      throw DataError(fmt::format("stored object is not valid: {}", e.what()));
    }
  });
}

void SeriesStore::Save(int year, const std::vector<std::string>& names,
                       const std::vector<TimeSeries>& loads) {
  const std::string key = Key(year);
  WithDataset(key, [&] { bucket_->Put(key, FormatSeriesCsv(names, loads)); });
}

}  // namespace loadcast
