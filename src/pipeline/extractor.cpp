#include "pipeline/extractor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/errors.hpp"
#include "core/load_csv.hpp"

namespace loadcast {
namespace {

constexpr int kMinTrainingDays = 2 * 365;

}  // namespace

Extractor::Extractor(DataController& data, const Validator& validator)
    : data_(data), validator_(validator) {}

IngestReport Extractor::Ingest(const std::vector<std::filesystem::path>& files) {
  IngestReport report;
  // Years as they will be after this ingest: stored data overlaid with every file's rows.
  std::map<int, TimeSeries> updated;
  // The first line of each file that touched a year, to point at it in messages.
  std::map<int, std::string> origin;
  for (const auto& file : files) {
    const std::string source = file.string();
    const LoadTable table = ParseLoadCsv(data_.ReadInputFile(file), source);
    validator_.ValidateTable(table);
    for (const LoadRow& row : table.rows) {
      const int year = row.date.year();
      auto [it, inserted] = updated.try_emplace(year);
      if (inserted) {
        it->second = data_.LoadActualYear(year);
        origin[year] = fmt::format("{}:{}", source, row.line);
      }
      it->second.set(row.date, row.load);
    }
    report.files.push_back(source);
    report.rows += table.rows.size();
  }

  // The bucket must stay one contiguous series: check the union of stored and updated years.
  std::vector<int> years = data_.ActualYears();
  for (const auto& [year, series] : updated) years.push_back(year);
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  TimeSeries all;
  for (int year : years) {
    const auto it = updated.find(year);
    const TimeSeries part = it != updated.end() ? it->second : data_.LoadActualYear(year);
    for (std::size_t i = 0; i < part.size(); ++i) {
      if (!std::isnan(part.values()[i])) all.set(part.date_at(i), part.values()[i]);
    }
  }
  // A hole is reported against the file that brought the data after (or before) it.
  for (std::size_t i = 1; i < all.size(); ++i) {
    if (!std::isnan(all.values()[i]) || std::isnan(all.values()[i - 1])) continue;
    std::size_t j = i;
    while (std::isnan(all.values()[j])) ++j;
    const Date gap_from = all.date_at(i);
    const Date gap_to = all.date_at(j - 1);
    const int after = all.date_at(j).year();
    const int before = all.date_at(i - 1).year();
    const auto it = origin.contains(after) ? origin.find(after) : origin.find(before);
    throw DataError(
        fmt::format("{}: ingesting would leave a gap in the bucket's actuals: no data "
                    "from {} to {} ({} days)",
                    it != origin.end() ? it->second : report.files.front(), gap_from.ToIso(),
                    gap_to.ToIso(), j - i));
  }
  validator_.ValidateSeries(all, "bucket actuals after ingest");

  for (const auto& [year, series] : updated) {
    if (data_.ActualYearChanged(year, series)) {
      data_.SaveActualYear(year, series);
      report.years_stored.push_back(year);
      spdlog::info("stored actuals of {} ({} days)", year, series.count_known());
    } else {
      report.years_unchanged.push_back(year);
    }
  }
  return report;
}

ExtractedData Extractor::Extract(int target_year, int training_years, int extra_years) const {
  const std::vector<int> stored = data_.ActualYears();
  ExtractedData out;
  out.target_year = target_year;
  out.first_year = target_year - training_years;
  int load_from = out.first_year - std::max(extra_years, 0);
  if (!stored.empty()) {
    out.first_year = std::max(out.first_year, stored.front());
    load_from = std::max(load_from, stored.front());
  }
  out.actuals = data_.LoadActuals(load_from, target_year);
  for (int year = load_from; year <= target_year; ++year) {
    const std::string hash = data_.ActualYearHash(year);
    if (!hash.empty()) out.object_hashes[year] = hash;
  }
  const Date cutoff = Date::FromYmd(target_year, 1, 1);
  const TimeSeries history = out.actuals.slice(out.actuals.start(), cutoff);
  const auto last = history.last_known();
  if (!last || *last != cutoff - 1) {
    throw DataError(
        fmt::format("actuals: training for {} needs data through {}, but the bucket's data {}",
                    target_year, (cutoff - 1).ToIso(),
                    last ? "ends on " + last->ToIso() : std::string("has no years before it")));
  }
  if (static_cast<int>(history.count_known()) < kMinTrainingDays) {
    throw DataError(
        fmt::format("actuals: {} days before {} in the bucket; training needs at "
                    "least {}",
                    history.count_known(), target_year, kMinTrainingDays));
  }
  return out;
}

}  // namespace loadcast
