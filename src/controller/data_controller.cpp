#include "controller/data_controller.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>

#include "controller/dataset_error.hpp"
#include "core/process.hpp"
#include "storage/backends.hpp"
#include "storage/local_files.hpp"

namespace loadcast {
namespace {

// A load file holds one value a day: a century of it is a few megabytes. Anything far larger is
// not a load file, and reading it whole would only waste memory.
constexpr std::size_t kMaxInputBytes = 64u << 20;
// A many-series file carries thousands of series: 10,000 series of a year are about 110 MB.
constexpr std::size_t kMaxSeriesInputBytes = std::size_t{4} << 30;

/// A timeout in seconds, as the lock waits take it.
std::chrono::milliseconds Milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000.0)));
}

}  // namespace

DataController::DataController(const Config& config)
    : DataController(OpenObjectStore(config), OpenDatabase(config), OpenAlertNotifier(config)) {
  lock_timeout_ = Milliseconds(config.runs_lock_timeout_seconds);
  kept_folders_ = LocalStoreFolders(config);
  try {
    AbandonDeadRuns();
  } catch (const Error& e) {
    // A database this process may only read (a dashboard's) still serves the command; the next
    // command that can write marks the runs.
    spdlog::warn("could not mark the runs whose process is gone: {}", e.what());
  }
}

std::vector<int64_t> DataController::AbandonDeadRuns() {
  std::vector<int64_t> marked;
  for (const RunningRun& run : runs().Running()) {
    if (!ProcessGone(run.process)) continue;
    const std::string message = fmt::format(
        "stopped without finishing: its process {} on {} is gone (killed, crashed or its machine "
        "restarted); what it had not committed was discarded",
        run.process.pid, run.process.host);
    if (!runs().Abandon(run.id, message)) continue;  // it ended, or another process marked it
    marked.push_back(run.id);
    AlertRecord alert;
    alert.severity = AlertSeverity::kWarning;
    alert.source = AlertSource::kPipeline;
    alert.code = "run_abandoned";
    alert.message = fmt::format("run {} ({}) {}", run.id, run.command, message);
    alert.subject = fmt::format("run {}", run.id);
    alerts_.Add(alert);
    spdlog::warn("run {} ({}) {}; marked failed", run.id, run.command, message);
  }
  return marked;
}

DataController::DataController(std::unique_ptr<ObjectStore> bucket,
                               std::unique_ptr<Database> database,
                               std::unique_ptr<AlertNotifier> notifier)
    : bucket_(std::move(bucket)),
      database_(std::move(database)),
      notifier_(std::move(notifier)),
      lock_timeout_(Milliseconds(kDefaultLockTimeoutSeconds)),
      models_(*bucket_, database_->models()),
      alerts_(database_->alerts(), notifier_.get()),
      actuals_(*bucket_),
      series_(*bucket_),
      quarantine_(*bucket_) {}

std::string DataController::ReadInputFile(const std::filesystem::path& path) const {
  return loadcast::ReadInputFile(path, kMaxInputBytes);
}

std::string DataController::ReadSeriesInputFile(const std::filesystem::path& path) const {
  return loadcast::ReadInputFile(path, kMaxSeriesInputBytes);
}

void DataController::CheckExport(const std::filesystem::path& path) const {
  CheckOutputFile(path, kept_folders_);
}

void DataController::CheckExportFolder(const std::filesystem::path& folder) const {
  CheckOutputFolder(folder, kept_folders_);
}

void DataController::WriteExport(const std::filesystem::path& path,
                                 const std::string& bytes) const {
  WithDataset("export " + path.string(), [&] { WriteOutputFile(path, bytes, kept_folders_); });
}

std::unique_ptr<HeldLock> DataController::LockTarget(int target_year, Horizon horizon) {
  return LockTarget(target_year, horizon, lock_timeout_);
}

std::unique_ptr<HeldLock> DataController::LockTarget(int target_year, Horizon horizon,
                                                     std::chrono::milliseconds timeout) {
  return WithDataset("locks", [&] { return database_->LockTarget(target_year, horizon, timeout); });
}

std::vector<std::unique_ptr<HeldLock>> DataController::LockYears(const YearlyObjects& dataset,
                                                                 const std::set<int>& years) {
  std::vector<std::unique_ptr<HeldLock>> held;
  for (const int year : years) {  // ascending: a std::set is ordered
    try {
      held.push_back(WithDataset(
          "locks", [&] { return database_->LockYear(dataset.name(), year, lock_timeout_); }));
    } catch (const LockTimeout& e) {
      throw LockTimeout(fmt::format(
          "{} (runs.lock_timeout_seconds): another loadcast process is storing {} of {}; nothing "
          "was stored, run it again once that process has finished",
          e.what(), dataset.name(), year));
    }
  }
  return held;
}

}  // namespace loadcast
