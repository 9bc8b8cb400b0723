#include "controller/actuals_store.hpp"

#include <fmt/format.h>

#include <cmath>

#include "controller/dataset_error.hpp"
#include "controller/yearly_objects.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/load_csv.hpp"

namespace loadcast {
namespace {

constexpr std::string_view kActualsPrefix = "actuals/";

}  // namespace

std::string ActualsStore::Key(int year) { return YearObjectKey(kActualsPrefix, year); }

std::vector<int> ActualsStore::Years() const {
  return YearsWithObjects(*bucket_, kActualsPrefix, "actuals");
}

TimeSeries ActualsStore::Load(int year) const {
  const std::string key = Key(year);
  return WithDataset(key, [&] {
    const auto bytes = bucket_->Get(key);
    if (!bytes) return TimeSeries();
    TimeSeries series;
    try {
      for (const LoadRow& row : ParseLoadCsv(*bytes, bucket_->Locate(key)).rows) {
        series.set(row.date, row.load);
      }
    } catch (const DataError& e) {
      throw DataError(fmt::format("stored object is not valid: {}", e.what()));
    }
    return series;
  });
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
  const std::string key = Key(year);
  return WithDataset(key, [&] {
    const auto stored = bucket_->Get(key);
    return !stored || *stored != FormatLoadCsv(series);
  });
}

void ActualsStore::Save(int year, const TimeSeries& series) {
  const std::string key = Key(year);
  WithDataset(key, [&] { bucket_->Put(key, FormatLoadCsv(series)); });
}

std::string ActualsStore::Hash(int year) const {
  const std::string key = Key(year);
  return WithDataset(key, [&] {
    const auto bytes = bucket_->Get(key);
    return bytes ? Sha256Hex(*bytes) : std::string();
  });
}

}  // namespace loadcast
