#include "pipeline/extractor.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cassert>
#include <set>

#include "core/crash_point.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/load_csv.hpp"

namespace loadcast {
namespace {

constexpr int kMinTrainingDays = 2 * 365;

/// Where a day's new value comes from: a file of the ingest, and its line.
struct Origin {
  std::size_t file = 0;
  int line = 0;
  double load = 0.0;
};

}  // namespace

Extractor::Extractor(DataController& data, const Validator& validator)
    : data_(data), validator_(validator) {}

bool IngestPlan::rejected() const {
  return std::any_of(files.begin(), files.end(), [](const CheckedFile& f) { return f.rejected(); });
}

std::vector<Finding> IngestPlan::findings() const {
  std::vector<Finding> all;
  for (const CheckedFile& file : files)
    all.insert(all.end(), file.findings.begin(), file.findings.end());
  return all;
}

IngestPlan Extractor::Plan(const std::vector<std::filesystem::path>& files) const {
  IngestPlan plan;
  // Every file is read and parsed first: the years its rows fall in are the years to lock.
  std::vector<LoadTable> tables;
  std::set<int> touched;
  for (const auto& path : files) {
    CheckedFile file;
    file.source = path.string();
    file.name = path.filename().string();
    file.bytes = data_.ReadInputFile(path);
    file.sha256 = Sha256Hex(file.bytes);
    ParsedLoadCsv parsed = validator_.ParseFile(file.bytes, file.source);
    file.findings = std::move(parsed.findings);
    for (const LoadRow& row : parsed.table.rows) touched.insert(row.date.year());
    tables.push_back(std::move(parsed.table));
    plan.files.push_back(std::move(file));
  }

  // The years the files touch, and their neighbours (whose days border them at the seams), stay
  // as read here until the plan is stored or dropped: another ingest of any of them waits.
  std::set<int> locked;
  for (const int year : touched) locked.insert({year - 1, year, year + 1});
  plan.locks = data_.LockYears(data_.actuals(), locked);

  // The stored actuals, read under the locks: the days around each file's rows, and the monthly
  // envelope. Each file is checked against them overlaid with the files before it, so that files
  // ingested together are checked at their seams with each other as well.
  const std::vector<int> stored_years = data_.actuals().Years();
  TimeSeries history = stored_years.empty()
                           ? TimeSeries()
                           : data_.actuals().LoadRange(stored_years.front(), stored_years.back());
  // The file and line each new value comes from.
  std::map<Date, Origin> origin;
  for (std::size_t f = 0; f < tables.size(); ++f) {
    CheckedFile& file = plan.files[f];
    // Row rules on a file with unparsed lines would report the holes those lines leave: its
    // parse findings come alone (see Validator::CheckFile).
    if (!file.findings.empty()) continue;
    file.findings = validator_.CheckTable(tables[f], history);
    RuleFindings conflicts(FindValidationRule("file_conflict"), file.source, file.findings);
    for (const LoadRow& row : tables[f].rows) {
      const auto [it, first] = origin.try_emplace(row.date, Origin{f, row.line, row.load});
      if (!first && it->second.load != row.load) {
        Finding& finding = conflicts.Add(
            row.line,
            fmt::format("load {} on {} differs from {}:{}, which gives {} for that date", row.load,
                        row.date.ToIso(), plan.files[it->second.file].source, it->second.line,
                        it->second.load),
            row.date);
        finding.value = row.load;
      }
      history.set(row.date, row.load);
    }
  }
  if (plan.rejected()) return plan;

  // Years as they will be after this ingest: stored data overlaid with every file's rows.
  std::map<int, TimeSeries>& updated = plan.years;
  for (std::size_t f = 0; f < tables.size(); ++f) {
    for (const LoadRow& row : tables[f].rows) {
      const int year = row.date.year();
      auto [it, inserted] = updated.try_emplace(year);
      if (inserted) it->second = data_.actuals().Load(year);
      it->second.set(row.date, row.load);
    }
    plan.rows += tables[f].rows.size();
  }

  // The bucket must stay one contiguous series: check the union of stored and updated years.
  std::vector<int> years = stored_years;
  for (const auto& [year, series] : updated) years.push_back(year);
  std::sort(years.begin(), years.end());
  years.erase(std::unique(years.begin(), years.end()), years.end());
  TimeSeries all;
  for (int year : years) {
    const auto it = updated.find(year);
    const TimeSeries part = it != updated.end() ? it->second : data_.actuals().Load(year);
    for (std::size_t i = 0; i < part.size(); ++i) {
      if (!std::isnan(part.values()[i])) all.set(part.date_at(i), part.values()[i]);
    }
  }
  // A hole is reported against the file row just after it (or, when that day is stored, just
  // before it).
  for (std::size_t i = 1; i < all.size(); ++i) {
    if (!std::isnan(all.values()[i]) || std::isnan(all.values()[i - 1])) continue;
    std::size_t j = i;
    while (std::isnan(all.values()[j])) ++j;
    const Date gap_from = all.date_at(i);
    const Date gap_to = all.date_at(j - 1);
    auto it = origin.find(all.date_at(j));
    if (it == origin.end()) it = origin.find(all.date_at(i - 1));
    const Origin where = it != origin.end() ? it->second : Origin{};
    CheckedFile& culprit = plan.files[where.file];
    RuleFindings out(FindValidationRule("gap"), culprit.source, culprit.findings);
    Finding& finding = out.Add(
        where.line,
        fmt::format("ingesting would leave a gap in the bucket's actuals: no data from {} to "
                    "{} ({} days)",
                    gap_from.ToIso(), gap_to.ToIso(), j - i));
    finding.first_date = gap_from;
    finding.last_date = gap_to;
    finding.value = static_cast<double>(j - i);
    i = j;
  }
  if (plan.rejected()) {
    plan.years.clear();
    return plan;
  }
  // The files passed; stored data that no longer passes (the bounds changed) is no file's fault.
  validator_.ValidateSeries(all, "bucket actuals after ingest");
  return plan;
}

IngestReport Extractor::Store(const IngestPlan& plan, std::optional<int64_t> run_id) {
  assert(!plan.rejected() && "a rejected plan is not stored");
  IngestReport report;
  std::string source;
  for (const CheckedFile& file : plan.files) {
    report.files.push_back(file.source);
    source += (source.empty() ? "" : ", ") + file.source;
  }
  report.rows = plan.rows;
  for (const auto& [year, series] : plan.years) {
    StoredActuals stored = StoreActuals(data_, year, series, source, run_id);
    for (StoredRevision& revision : stored.revisions)
      report.revisions.push_back(std::move(revision));
    if (stored.replaced) {
      report.years_stored.push_back(year);
      spdlog::info("stored actuals of {} ({} days)", year, series.count_known());
      CrashPoint("ingest:year-stored");
    } else {
      report.years_unchanged.push_back(year);
    }
  }
  return report;
}

IngestReport Extractor::Ingest(const std::vector<std::filesystem::path>& files) {
  const IngestPlan plan = Plan(files);
  RejectIfErrors(plan.findings());
  return Store(plan);
}

ExtractedData Extractor::Extract(int target_year, int training_years, int extra_years) const {
  const std::vector<int> stored = data_.actuals().Years();
  ExtractedData out;
  out.target_year = target_year;
  out.first_year = target_year - training_years;
  int load_from = out.first_year - std::max(extra_years, 0);
  if (!stored.empty()) {
    out.first_year = std::max(out.first_year, stored.front());
    load_from = std::max(load_from, stored.front());
  }
  out.actuals = data_.actuals().LoadRange(load_from, target_year);
  for (int year = load_from; year <= target_year; ++year) {
    const std::string hash = data_.actuals().Hash(year);
    if (hash.empty()) continue;
    out.object_hashes[year] = hash;
    const auto revision = data_.revisions().Latest(year);
    if (revision && revision->sha256 == hash) out.object_revisions[year] = revision->revision;
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
