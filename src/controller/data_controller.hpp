// The data controller: the catalog of loadcast's datasets, and the one place that knows which
// backend serves each. Pipeline steps ask it for a dataset by name (data.actuals(), data.runs(),
// data.models(), ...) and never open files or run SQL themselves. Every failure names the dataset
// it concerns.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "controller/actuals_store.hpp"
#include "controller/alerts_store.hpp"
#include "controller/models_store.hpp"
#include "controller/quarantine_store.hpp"
#include "controller/series_store.hpp"
#include "core/config.hpp"
#include "storage/alert_notifier.hpp"
#include "storage/database.hpp"
#include "storage/local_files.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

class DataController {
 public:
  /// Opens the backends named by the config (storage.url, database.url, alerts.webhook_url),
  /// then marks the runs whose process is gone (AbandonDeadRuns). Opening a local bucket removes
  /// the temporary files of killed writes (LocalBucket::SweepTemporaryFiles).
  explicit DataController(const Config& config);
  /// Uses the given backends (tests, other wiring); `notifier` may be null: alerts go nowhere.
  DataController(std::unique_ptr<ObjectStore> bucket, std::unique_ptr<Database> database,
                 std::unique_ptr<AlertNotifier> notifier = nullptr);
  DataController(const DataController&) = delete;
  DataController& operator=(const DataController&) = delete;

  // --- The datasets. In the database: runs, forecasts, scores (metrics, backtests, checks),
  // monitor (windows), series_results, revisions (the history of the actuals). In the bucket:
  // actuals, series, quarantine. Both: models (artifacts in the bucket, registry in the
  // database), alerts (stored, then notified).
  RunsDataset& runs() { return database_->runs(); }
  ModelsStore& models() { return models_; }
  ForecastsDataset& forecasts() { return database_->forecasts(); }
  ScoresDataset& scores() { return database_->scores(); }
  AlertsStore& alerts() { return alerts_; }
  MonitorDataset& monitor() { return database_->monitor(); }
  SeriesResultsDataset& series_results() { return database_->series_results(); }
  RevisionsDataset& revisions() { return database_->revisions(); }
  ActualsStore& actuals() { return actuals_; }
  SeriesStore& series() { return series_; }
  QuarantineStore& quarantine() { return quarantine_; }
  // The same datasets, to read only.
  const RunsDataset& runs() const { return database_->runs(); }
  const ModelsStore& models() const { return models_; }
  const ForecastsDataset& forecasts() const { return database_->forecasts(); }
  const ScoresDataset& scores() const { return database_->scores(); }
  const AlertsStore& alerts() const { return alerts_; }
  const MonitorDataset& monitor() const { return database_->monitor(); }
  const SeriesResultsDataset& series_results() const { return database_->series_results(); }
  const RevisionsDataset& revisions() const { return database_->revisions(); }
  const ActualsStore& actuals() const { return actuals_; }
  const SeriesStore& series() const { return series_; }
  const QuarantineStore& quarantine() const { return quarantine_; }

  // --- Input files and exports (local disk) ---
  /// Bytes of an input file to ingest; DataError naming the path when it cannot be used.
  std::string ReadInputFile(const std::filesystem::path& path) const;
  /// Bytes of a many-series input file; DataError naming the path when it cannot be used. Such
  /// files hold thousands of series, so their size limit is far above ReadInputFile's.
  std::string ReadSeriesInputFile(const std::filesystem::path& path) const;
  /// Checks that an export (--out) may be written to `path`: UsageError naming the path and
  /// why when it lies inside the local bucket or the SQLite database's folder, is not a regular
  /// file, is a symbolic link, or its folder does not exist (CheckOutputFile).
  void CheckExport(const std::filesystem::path& path) const;
  /// The same for a folder of exports, which may be missing if its parent exists.
  void CheckExportFolder(const std::filesystem::path& folder) const;
  /// Writes an export (forecast CSV, report) atomically, after CheckExport.
  void WriteExport(const std::filesystem::path& path, const std::string& bytes) const;

  // --- Locks held in the database ---
  /// Waits until no other process works on `target_year` and `horizon`, up to
  /// runs.lock_timeout_seconds, then holds the target until the lock is destroyed; LockTimeout
  /// (exit code 5) when it stayed held. See Database::LockTarget.
  std::unique_ptr<HeldLock> LockTarget(int target_year, Horizon horizon);
  /// The same, waiting up to `timeout` (zero: only tries).
  std::unique_ptr<HeldLock> LockTarget(int target_year, Horizon horizon,
                                       std::chrono::milliseconds timeout);

  /// Waits until no other process writes any of `years` of a yearly dataset (data.actuals(),
  /// data.series()), up to runs.lock_timeout_seconds, then holds them until the locks are
  /// destroyed; LockTimeout (exit code 5) when one stayed held. The years are taken in ascending
  /// order, so that two writers of overlapping years never hold one each while waiting for the
  /// other's.
  std::vector<std::unique_ptr<HeldLock>> LockYears(const YearlyObjects& dataset,
                                                   const std::set<int>& years);

  /// Marks failed, each with a run_abandoned warning, the runs recorded as running whose process
  /// ran on this machine and is gone (killed, crashed): they would otherwise stay running
  /// forever. Runs of other machines are left to the target lock (Run::LockTarget), since their
  /// processes cannot be seen from here. Returns the ids of the runs marked.
  std::vector<int64_t> AbandonDeadRuns();

  /// Where the database is, for people.
  std::string DatabaseLocation() const { return database_->location(); }
  /// Where an object of the bucket is, for people.
  std::string BucketLocation(const std::string& key) const { return bucket_->Locate(key); }

 private:
  std::unique_ptr<ObjectStore> bucket_;
  std::unique_ptr<Database> database_;
  std::unique_ptr<AlertNotifier> notifier_;
  std::chrono::milliseconds lock_timeout_;
  // The local folders of the stores, which no export may go into (none for given backends).
  std::vector<KeptFolder> kept_folders_;
  ModelsStore models_;
  AlertsStore alerts_;
  ActualsStore actuals_;
  SeriesStore series_;
  QuarantineStore quarantine_;
};

}  // namespace loadcast
