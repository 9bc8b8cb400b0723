#include "controller/actuals_store.hpp"

#include <cmath>

#include "core/hash.hpp"
#include "core/load_csv.hpp"

namespace loadcast {

TimeSeries ActualsStore::Load(int year) const {
  const auto rows = Parse(year, [](const std::string& bytes, const std::string& location) {
    return ParseLoadCsv(bytes, location).rows;
  });
  TimeSeries series;
  if (rows) {
    for (const LoadRow& row : *rows) series.set(row.date, row.load);
  }
  return series;
}

TimeSeries ActualsStore::LoadRange(int first_year, int last_year) const {
  TimeSeries all;
  for (int year = first_year; year <= last_year; ++year) {
    const TimeSeries part = Load(year);
    for (std::size_t i = 0; i < part.size(); ++i) {
      if (!std::isnan(part.values()[i])) all.set(part.date_at(i), part.values()[i]);
    }
  }
  return all;
}

bool ActualsStore::Changed(int year, const TimeSeries& series) const {
  const auto stored = Get(year);
  return !stored || *stored != FormatLoadCsv(series);
}

void ActualsStore::Save(int year, const TimeSeries& series) { Put(year, FormatLoadCsv(series)); }

std::string ActualsStore::Hash(int year) const {
  const auto bytes = Get(year);
  return bytes ? Sha256Hex(*bytes) : std::string();
}

}  // namespace loadcast
