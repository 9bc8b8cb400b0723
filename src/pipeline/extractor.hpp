// The extractor brings data in and out of the bucket: it ingests yearly load files (validated
// whole before anything is written) and extracts the years a run needs.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {

struct IngestReport {
  std::vector<std::string> files;
  std::size_t rows = 0;
  std::vector<int> years_stored;     // objects created or replaced
  std::vector<int> years_unchanged;  // identical data already stored
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
};

class Extractor {
 public:
  Extractor(DataController& data, const Validator& validator);

  /// Validates every file, merges each year with what is stored, checks the bucket stays
  /// contiguous, and only then stores the years whose data changed. Any problem throws DataError
  /// and leaves the bucket untouched.
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
