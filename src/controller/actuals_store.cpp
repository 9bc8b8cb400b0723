#include "controller/actuals_store.hpp"

#include <fmt/format.h>

#include <cmath>

#include "controller/dataset_error.hpp"
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

std::string ActualsStore::RevisionKey(int year, int revision) {
  return fmt::format("actuals/revisions/{}/{}.csv", year, revision);
}

void ActualsStore::KeepRevision(int year, int revision, std::string_view bytes) {
  const std::string key = RevisionKey(year, revision);
  WithDataset(key, [&] { bucket().Put(key, bytes); });
}

TimeSeries ActualsStore::LoadRevision(int year, int revision) const {
  const std::string key = RevisionKey(year, revision);
  const auto bytes = WithDataset(key, [&] { return bucket().Get(key); });
  TimeSeries series;
  if (!bytes) return series;
  try {
    for (const LoadRow& row : ParseLoadCsv(*bytes, bucket().Locate(key)).rows)
      series.set(row.date, row.load);
  } catch (const DataError& e) {
    throw DataError(std::string("stored object is not valid: ") + e.what());
  }
  return series;
}

}  // namespace loadcast
