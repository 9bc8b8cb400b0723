#include "controller/series_store.hpp"

namespace loadcast {

SeriesTable SeriesStore::Load(int year) const {
  auto table = Parse(year, [&](const std::string& bytes, const std::string& location) {
    return ParseSeriesCsv(bytes, location, SeriesCsvRules{});
  });
  if (!table) return SeriesTable{.source = Locate(year)};
  return std::move(*table);
}

void SeriesStore::Save(int year, const std::vector<std::string>& names,
                       const std::vector<TimeSeries>& loads) {
  Put(year, FormatSeriesCsv(names, loads));
}

}  // namespace loadcast
