// The extractor brings data in and out of the bucket: it ingests yearly load files (validated
// whole before anything is written) and extracts the years a run needs.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/actuals_history.hpp"
#include "controller/data_controller.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {

/// A file checked for ingest: its bytes, content hash and what the validation suite found.
struct CheckedFile {
  std::string source;  // the path as given, as messages name it
  std::string name;    // the file name without folders
  std::string sha256;
  std::string bytes;
  std::vector<Finding> findings;  // errors and warnings, parse and row rules, the bucket's gap
  bool rejected() const { return HasErrors(findings); }
};

/// What an ingest would do: every file checked and, when none is rejected, every year the files
/// touch as it would be stored (the stored year overlaid with the files' rows, in file order).
/// Once its files parsed, a plan holds the write locks of the years they touch and of the years
/// around them: what it was checked against stays as it is until the plan is stored or dropped.
struct IngestPlan {
  std::vector<CheckedFile> files;
  std::map<int, TimeSeries> years;
  std::size_t rows = 0;
  std::vector<std::unique_ptr<HeldLock>> locks;
  bool rejected() const;
  /// The findings of every file, in file order.
  std::vector<Finding> findings() const;
};

struct IngestReport {
  std::vector<std::string> files;
  std::size_t rows = 0;
  std::vector<int> years_stored;     // objects created or replaced
  std::vector<int> years_unchanged;  // identical data already stored
  // The revisions recorded, by year then number: one per year stored, plus one for a stored
  // object that was not on record yet (see StoreActuals).
  std::vector<StoredRevision> revisions;
};

/// The actuals a run works on: the training window and the target year, as far as they exist.
struct ExtractedData {
  int target_year = 0;
  int first_year = 0;  // first training year
  // From first_year, or up to `extra_years` earlier when those were asked for (interval
  // calibration backtests the years before the target), through the target year (partial or
  // absent).
  TimeSeries actuals;
  std::map<int, std::string> object_hashes;  // SHA-256 of each year object read
  // The revision of each year object read, when the revisions on record describe it.
  std::map<int, int> object_revisions;
};

class Extractor {
 public:
  Extractor(DataController& data, const Validator& validator);

  /// Runs the validation suite on every file (with the stored actuals, overlaid with the files
  /// before it, as history; files that disagree on a date break file_conflict), merges each year
  /// with what is stored and checks the bucket stays contiguous (rule gap, against the file that
  /// brought the data after the hole). Stores nothing, but holds the years' write locks (see
  /// IngestPlan). DataError for a file that cannot be read, or stored data that no longer
  /// passes; LockTimeout when another ingest held a year too long.
  IngestPlan Plan(const std::vector<std::filesystem::path>& files) const;
  /// Stores the years of a plan whose data changed, each as a new revision recorded for run
  /// `run_id` (see StoreActuals); the plan must not be rejected.
  IngestReport Store(const IngestPlan& plan, std::optional<int64_t> run_id = std::nullopt);
  /// Plan, then Store; a rejected plan throws DataError listing its errors and stores nothing.
  IngestReport Ingest(const std::vector<std::filesystem::path>& files);

  /// The actuals for training on the `training_years` years before `target_year` and scoring it,
  /// plus up to `extra_years` earlier years as far as the bucket holds them. DataError when the
  /// bucket lacks the years before the target.
  ExtractedData Extract(int target_year, int training_years, int extra_years = 0) const;

 private:
  DataController& data_;
  const Validator& validator_;
};

}  // namespace loadcast
