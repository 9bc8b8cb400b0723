#include "controller/data_controller.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/crash_point.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/load_csv.hpp"
#include "core/series_csv.hpp"
#include "storage/alerts.hpp"
#include "storage/backends.hpp"
#include "storage/local_files.hpp"

namespace loadcast {
namespace {

// A load file holds one value a day: a century of it is a few megabytes. Anything far larger is
// not a load file, and reading it whole would only waste memory.
constexpr std::size_t kMaxInputBytes = 64u << 20;
// A many-series file carries thousands of series: 10,000 series of a year are about 110 MB.
constexpr std::size_t kMaxSeriesInputBytes = std::size_t{4} << 30;
constexpr std::string_view kActualsPrefix = "actuals/";
constexpr std::string_view kSeriesPrefix = "series/";
constexpr std::string_view kQuarantinePrefix = "quarantine/";
constexpr std::string_view kReasonSuffix = ".reason.json";

/// A file name safe as the last part of an object key: letters, digits, '.', '-', '_' kept, the
/// rest (and any "..") replaced by '_'.
std::string SafeName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool keep =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    out += keep && !(c == '.' && !out.empty() && out.back() == '.') ? c : '_';
  }
  return out.empty() ? std::string("file") : out;
}

/// The current UTC time as 20240501T103012Z: sorts as it happened.
std::string UtcStamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

/// Runs `body`, prefixing any storage failure with the dataset it concerns.
template <typename F>
auto WithDataset(const std::string& dataset, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const StorageError& e) {
    throw StorageError(fmt::format("dataset '{}': {}", dataset, e.what()));
  }
}

/// The horizon argument of the database's listings: its name, or empty for every horizon.
std::string HorizonFilter(std::optional<Horizon> horizon) {
  return horizon ? std::string(HorizonName(*horizon)) : std::string();
}

/// A registered model with its artifact read from the bucket; StorageError naming the artifact
/// when it is missing or not JSON.
StoredModel ReadArtifact(const ObjectStore& bucket, const ModelRecord& record) {
  return WithDataset(record.artifact, [&] {
    const auto bytes = bucket.Get(record.artifact);
    if (!bytes) {
      throw StorageError(fmt::format("artifact {} is missing", bucket.Locate(record.artifact)));
    }
    try {
      return StoredModel{record, nlohmann::json::parse(*bytes)};
    } catch (const nlohmann::json::exception& e) {
      throw StorageError(fmt::format("artifact {} is not valid JSON: {}",
                                     bucket.Locate(record.artifact), e.what()));
    }
  });
}

}  // namespace

DataController::DataController(const Config& config)
    : DataController(OpenObjectStore(config), OpenDatabase(config), OpenAlertNotifier(config)) {
  lock_timeout_ = std::chrono::milliseconds(
      static_cast<int64_t>(std::llround(config.runs_lock_timeout_seconds * 1000.0)));
}

DataController::DataController(std::unique_ptr<ObjectStore> bucket,
                               std::unique_ptr<Database> database,
                               std::unique_ptr<AlertNotifier> notifier)
    : bucket_(std::move(bucket)),
      database_(std::move(database)),
      notifier_(std::move(notifier)),
      lock_timeout_(std::chrono::milliseconds(
          static_cast<int64_t>(std::llround(kDefaultLockTimeoutSeconds * 1000.0)))) {}

std::string DataController::ReadInputFile(const std::filesystem::path& path) const {
  return loadcast::ReadInputFile(path, kMaxInputBytes);
}

void DataController::WriteExport(const std::filesystem::path& path,
                                 const std::string& bytes) const {
  WithDataset("export " + path.string(), [&] { WriteFileAtomic(path, bytes); });
}

std::string DataController::ActualsKey(int year) {
  return fmt::format("{}{}.csv", kActualsPrefix, year);
}

std::vector<int> DataController::ActualYears() const {
  return WithDataset("actuals", [&] {
    std::vector<int> years;
    for (const std::string& key : bucket_->List(std::string(kActualsPrefix))) {
      const std::string name = key.substr(kActualsPrefix.size());
      int year = 0;
      if (std::sscanf(name.c_str(), "%d.csv", &year) == 1 && ActualsKey(year) == key) {
        years.push_back(year);
      }
    }
    return years;
  });
}

TimeSeries DataController::LoadActualYear(int year) const {
  const std::string key = ActualsKey(year);
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

TimeSeries DataController::LoadActuals(int first_year, int last_year) const {
  TimeSeries all;
  for (int year = first_year; year <= last_year; ++year) {
    const TimeSeries part = LoadActualYear(year);
    for (std::size_t i = 0; i < part.size(); ++i) {
      if (!std::isnan(part.values()[i])) all.set(part.date_at(i), part.values()[i]);
    }
  }
  return all;
}

bool DataController::ActualYearChanged(int year, const TimeSeries& series) const {
  const std::string key = ActualsKey(year);
  return WithDataset(key, [&] {
    const auto stored = bucket_->Get(key);
    return !stored || *stored != FormatLoadCsv(series);
  });
}

void DataController::SaveActualYear(int year, const TimeSeries& series) {
  const std::string key = ActualsKey(year);
  WithDataset(key, [&] { bucket_->Put(key, FormatLoadCsv(series)); });
}

std::string DataController::ActualYearHash(int year) const {
  const std::string key = ActualsKey(year);
  return WithDataset(key, [&] {
    const auto bytes = bucket_->Get(key);
    return bytes ? Sha256Hex(*bytes) : std::string();
  });
}

std::string DataController::ReadSeriesInputFile(const std::filesystem::path& path) const {
  return loadcast::ReadInputFile(path, kMaxSeriesInputBytes);
}

std::string DataController::SeriesKey(int year) {
  return fmt::format("{}{}.csv", kSeriesPrefix, year);
}

std::vector<int> DataController::SeriesYears() const {
  return WithDataset("series", [&] {
    std::vector<int> years;
    for (const std::string& key : bucket_->List(std::string(kSeriesPrefix))) {
      int year = 0;
      if (std::sscanf(key.c_str() + kSeriesPrefix.size(), "%d.csv", &year) == 1 &&
          SeriesKey(year) == key) {
        years.push_back(year);
      }
    }
    std::sort(years.begin(), years.end());
    return years;
  });
}

SeriesTable DataController::LoadSeriesYear(int year, const SeriesCsvRules& rules) const {
  const std::string key = SeriesKey(year);
  return WithDataset(key, [&] {
    const auto bytes = bucket_->Get(key);
    if (!bytes) return SeriesTable{bucket_->Locate(key), {}, {}, 0};
    try {
      return ParseSeriesCsv(*bytes, bucket_->Locate(key), rules);
    } catch (const DataError& e) {
      throw DataError(fmt::format("stored object is not valid: {}", e.what()));
    }
  });
}

void DataController::SaveSeriesYear(int year, const std::vector<std::string>& names,
                                    const std::vector<TimeSeries>& loads) {
  const std::string key = SeriesKey(year);
  WithDataset(key, [&] { bucket_->Put(key, FormatSeriesCsv(names, loads)); });
}

std::string DataController::QuarantineFile(const std::string& name, std::string_view bytes,
                                           const std::string& reason) {
  return WithDataset("quarantine", [&] {
    const std::string stamp = UtcStamp();
    const std::string safe = SafeName(name);
    // Two rejections of a same-named file within one second get distinct keys.
    std::string key = fmt::format("{}{}-{}", kQuarantinePrefix, stamp, safe);
    for (int n = 2; bucket_->Get(key) || bucket_->Get(key + std::string(kReasonSuffix)); ++n) {
      key = fmt::format("{}{}-{}-{}", kQuarantinePrefix, stamp, n, safe);
    }
    bucket_->Put(key + std::string(kReasonSuffix), reason);
    bucket_->Put(key, bytes);
    return key;
  });
}

std::vector<std::string> DataController::QuarantinedFiles() const {
  return WithDataset("quarantine", [&] {
    std::vector<std::string> keys;
    for (std::string& key : bucket_->List(std::string(kQuarantinePrefix))) {
      if (!key.ends_with(kReasonSuffix)) keys.push_back(std::move(key));
    }
    return keys;
  });
}

Registration DataController::RegisterModel(ModelRecord record, const nlohmann::json& artifact) {
  const std::string text = artifact.dump(2) + "\n";
  record.version = Sha256Hex(text).substr(0, 16);
  record.artifact = fmt::format("models/{}/{}/model.json", record.horizon, record.version);
  // The artifact is written first: a registry row never points at a missing object. Writing it
  // again for a version on record is harmless, the content being the same.
  WithDataset(record.artifact, [&] { bucket_->Put(record.artifact, text); });
  CrashPoint("model:artifact-written");
  return WithDataset("models", [&] { return database_->models().Register(record); });
}

std::optional<StoredModel> DataController::LoadModel(int64_t model_id) const {
  const auto record = FindModel(model_id);
  if (!record) return std::nullopt;
  return ReadArtifact(*bucket_, *record);
}

std::optional<StoredModel> DataController::LoadAliasedModel(Horizon horizon,
                                                            const std::string& alias) const {
  const auto record = FindAliased(horizon, alias);
  if (!record) return std::nullopt;
  return ReadArtifact(*bucket_, *record);
}

std::optional<ModelRecord> DataController::FindAliased(Horizon horizon,
                                                       const std::string& alias) const {
  return WithDataset("model_aliases", [&] {
    return database_->models().Aliased(std::string(HorizonName(horizon)), alias);
  });
}

std::optional<ModelRecord> DataController::FindModel(int64_t model_id) const {
  return WithDataset("models", [&] { return database_->models().Find(model_id); });
}

std::vector<ModelRecord> DataController::FindModelsByVersion(const std::string& prefix) const {
  return WithDataset("models", [&] { return database_->models().FindByVersion(prefix); });
}

std::vector<ModelRecord> DataController::ListModels(std::optional<Horizon> horizon,
                                                    int limit) const {
  return WithDataset("models",
                     [&] { return database_->models().List(HorizonFilter(horizon), limit); });
}

std::vector<ModelAlias> DataController::ListAliases(std::optional<Horizon> horizon) const {
  return WithDataset("model_aliases",
                     [&] { return database_->models().ListAliases(HorizonFilter(horizon)); });
}

int64_t DataController::RecordDecision(const ModelDecision& decision, const AliasChange& change) {
  return WithDataset("model_decisions",
                     [&] { return database_->models().RecordDecision(decision, change); });
}

std::vector<ModelDecision> DataController::ListDecisions(std::optional<Horizon> horizon,
                                                         int limit) const {
  return WithDataset("model_decisions",
                     [&] { return database_->models().ListDecisions(HorizonFilter(horizon), limit); });
}

std::unique_ptr<TargetLock> DataController::LockTarget(int target_year, Horizon horizon) {
  return LockTarget(target_year, horizon, lock_timeout_);
}

std::unique_ptr<TargetLock> DataController::LockTarget(int target_year, Horizon horizon,
                                                       std::chrono::milliseconds timeout) {
  return WithDataset("locks", [&] {
    return database_->LockTarget(target_year, std::string(HorizonName(horizon)), timeout);
  });
}

int64_t DataController::BeginRun(const RunRecord& run) {
  return WithDataset("runs", [&] { return database_->runs().Begin(run); });
}

void DataController::FinishRun(int64_t run_id, RunStatus status, const std::string& message) {
  WithDataset("runs", [&] { database_->runs().Finish(run_id, status, message); });
}

std::vector<int64_t> DataController::ClaimTarget(int target_year, Horizon horizon, int64_t run_id,
                                                 const std::string& message) {
  return WithDataset("runs", [&] {
    return database_->runs().Claim(target_year, std::string(HorizonName(horizon)), run_id, message);
  });
}

std::vector<RunRecord> DataController::ListRuns(int limit) const {
  return WithDataset("runs", [&] { return database_->runs().List(limit); });
}

std::optional<RunRecord> DataController::FindRun(int64_t run_id) const {
  return WithDataset("runs", [&] { return database_->runs().Find(run_id); });
}

void DataController::SetRunInputs(int64_t run_id,
                                  const std::map<std::string, std::string>& inputs) {
  // A JSON object, its keys in order: the same inputs always read the same.
  const std::string text = nlohmann::json(inputs).dump();
  WithDataset("runs", [&] { database_->runs().SetInputs(run_id, text); });
}

void DataController::SetRunModel(int64_t run_id, int64_t model_id) {
  WithDataset("runs", [&] { database_->runs().SetModel(run_id, model_id); });
}

void DataController::PublishForecast(int64_t run_id, int64_t model_id,
                                     const std::vector<ForecastRow>& rows) {
  WithDataset("forecasts", [&] { database_->forecasts().Publish(run_id, model_id, rows); });
}

std::optional<PublishedForecast> DataController::CurrentForecast(int target_year, Horizon horizon,
                                                                 int64_t pending_run) const {
  return WithDataset("forecasts", [&] {
    return database_->forecasts().Current(target_year, std::string(HorizonName(horizon)), pending_run);
  });
}

void DataController::SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) {
  WithDataset("metrics", [&] { database_->scores().SaveMetrics(run_id, metrics); });
}

std::vector<EvaluationSummary> DataController::LatestEvaluations() const {
  return WithDataset("metrics", [&] { return database_->scores().LatestEvaluations(); });
}

void DataController::SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) {
  WithDataset("backtests", [&] { database_->scores().SaveBacktest(run_id, rows); });
}

std::vector<BacktestRow> DataController::ListBacktests(int64_t run_id) const {
  return WithDataset("backtests", [&] { return database_->scores().ListBacktests(run_id); });
}

std::vector<BacktestRow> DataController::LatestBacktests(Horizon horizon) const {
  return WithDataset("backtests",
                     [&] { return database_->scores().LatestBacktests(std::string(HorizonName(horizon))); });
}

void DataController::SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) {
  WithDataset("checks", [&] { database_->scores().SaveChecks(run_id, checks); });
}

std::vector<CheckRow> DataController::ListChecks(int64_t run_id) const {
  return WithDataset("checks", [&] { return database_->scores().ListChecks(run_id); });
}

std::optional<int64_t> DataController::AddAlert(const AlertRecord& alert) {
  // Filled in here rather than by the database, so that the notifier sends the alert exactly as
  // it is stored.
  AlertRecord stored = alert;
  if (stored.created_at.empty()) stored.created_at = UtcNow();
  if (stored.fingerprint.empty()) stored.fingerprint = AlertFingerprint(stored);
  const auto id = WithDataset("alerts", [&] { return database_->alerts().Add(stored); });
  if (!id) {
    spdlog::debug("alert {} ({}) is already on record", stored.code, stored.fingerprint);
    return id;
  }
  stored.id = *id;
  if (notifier_ && IsNotifiable(stored.severity)) {
    try {
      notifier_->Notify(stored);
      spdlog::debug("alert {} sent to {}", stored.id, notifier_->location());
    } catch (const std::exception& e) {
      // The notifier's messages name the destination redacted; the alert stays on record.
      spdlog::warn("alert {} ({}) was stored but not delivered: {}", stored.id, stored.code,
                   e.what());
    }
  }
  return id;
}

std::vector<AlertRecord> DataController::ListAlerts(const AlertFilter& filter) const {
  return WithDataset("alerts", [&] { return database_->alerts().List(filter); });
}

std::vector<AlertRecord> DataController::ListAlerts(int limit) const {
  AlertFilter filter;
  filter.limit = limit;
  return ListAlerts(filter);
}

std::optional<AlertAcknowledgement> DataController::AcknowledgeAlert(int64_t id) {
  return WithDataset("alerts", [&] { return database_->alerts().Acknowledge(id); });
}

int DataController::CountAlerts(int64_t run_id) const {
  return WithDataset("alerts", [&] { return database_->alerts().Count(run_id); });
}

void DataController::SaveMonitorWindows(int64_t run_id, Date as_of,
                                        const std::vector<MonitorWindowRow>& windows) {
  WithDataset("monitor_windows", [&] { database_->monitor().Save(run_id, as_of, windows); });
}

std::optional<MonitorSnapshot> DataController::LatestMonitor(int target_year) const {
  return WithDataset("monitor_windows", [&] { return database_->monitor().Latest(target_year); });
}

void DataController::SaveSeriesResults(int64_t run_id, const std::vector<SeriesResultRow>& rows) {
  WithDataset("series_results", [&] { database_->series_results().Save(run_id, rows); });
}

std::optional<int64_t> DataController::LatestSeriesRun(std::optional<int> target_year) const {
  return WithDataset("series_results", [&] { return database_->series_results().LatestRun(target_year); });
}

std::vector<SeriesResultRow> DataController::ListSeriesResults(const SeriesQuery& query) const {
  return WithDataset("series_results", [&] { return database_->series_results().List(query); });
}

}  // namespace loadcast
