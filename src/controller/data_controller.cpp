#include "controller/data_controller.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "core/load_csv.hpp"
#include "storage/backends.hpp"
#include "storage/local_files.hpp"

namespace loadcast {
namespace {

// A load file holds one value a day: a century of it is a few megabytes. Anything far larger is
// not a load file, and reading it whole would only waste memory.
constexpr std::size_t kMaxInputBytes = 64u << 20;
constexpr std::string_view kActualsPrefix = "actuals/";

/// Runs `body`, prefixing any storage failure with the dataset it concerns.
template <typename F>
auto WithDataset(const std::string& dataset, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const StorageError& e) {
    throw StorageError(fmt::format("dataset '{}': {}", dataset, e.what()));
  }
}

}  // namespace

DataController::DataController(const Config& config)
    : DataController(OpenObjectStore(config), OpenDatabase(config)) {}

DataController::DataController(std::unique_ptr<ObjectStore> bucket,
                               std::unique_ptr<Database> database)
    : bucket_(std::move(bucket)), database_(std::move(database)) {}

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

ModelRecord DataController::RegisterModel(ModelRecord record, const nlohmann::json& artifact) {
  const std::string text = artifact.dump(2) + "\n";
  record.version = Sha256Hex(text).substr(0, 16);
  record.artifact = fmt::format("models/{}/{}/model.json", record.horizon, record.version);
  // The artifact is written first: a registry row never points at a missing object.
  WithDataset(record.artifact, [&] { bucket_->Put(record.artifact, text); });
  record.id = WithDataset("models", [&] { return database_->RegisterModel(record); });
  return record;
}

std::optional<StoredModel> DataController::LoadModel(Horizon horizon, int target_year) const {
  const auto record = WithDataset("models", [&] {
    return database_->LatestModel(std::string(HorizonName(horizon)), target_year);
  });
  if (!record) return std::nullopt;
  return WithDataset(record->artifact, [&] {
    const auto bytes = bucket_->Get(record->artifact);
    if (!bytes) {
      throw StorageError(fmt::format("artifact {} is missing", bucket_->Locate(record->artifact)));
    }
    try {
      return StoredModel{*record, nlohmann::json::parse(*bytes)};
    } catch (const nlohmann::json::exception& e) {
      throw StorageError(fmt::format("artifact {} is not valid JSON: {}",
                                     bucket_->Locate(record->artifact), e.what()));
    }
  });
}

int64_t DataController::BeginRun(const RunRecord& run) {
  return WithDataset("runs", [&] { return database_->BeginRun(run); });
}

void DataController::FinishRun(int64_t run_id, const std::string& status,
                               const std::string& message) {
  WithDataset("runs", [&] { database_->FinishRun(run_id, status, message); });
}

std::vector<RunRecord> DataController::ListRuns(int limit) const {
  return WithDataset("runs", [&] { return database_->ListRuns(limit); });
}

void DataController::PublishForecast(int64_t run_id, int64_t model_id,
                                     const std::vector<ForecastRow>& rows) {
  WithDataset("forecasts", [&] { database_->PublishForecast(run_id, model_id, rows); });
}

std::optional<PublishedForecast> DataController::CurrentForecast(int target_year, Horizon horizon,
                                                                 int64_t pending_run) const {
  return WithDataset("forecasts", [&] {
    return database_->CurrentForecast(target_year, std::string(HorizonName(horizon)), pending_run);
  });
}

void DataController::SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) {
  WithDataset("metrics", [&] { database_->SaveMetrics(run_id, metrics); });
}

std::vector<EvaluationSummary> DataController::LatestEvaluations() const {
  return WithDataset("metrics", [&] { return database_->LatestEvaluations(); });
}

void DataController::SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) {
  WithDataset("backtests", [&] { database_->SaveBacktest(run_id, rows); });
}

std::vector<BacktestRow> DataController::ListBacktests(int64_t run_id) const {
  return WithDataset("backtests", [&] { return database_->ListBacktests(run_id); });
}

std::vector<BacktestRow> DataController::LatestBacktests(Horizon horizon) const {
  return WithDataset("backtests",
                     [&] { return database_->LatestBacktests(std::string(HorizonName(horizon))); });
}

void DataController::SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) {
  WithDataset("checks", [&] { database_->SaveChecks(run_id, checks); });
}

std::vector<CheckRow> DataController::ListChecks(int64_t run_id) const {
  return WithDataset("checks", [&] { return database_->ListChecks(run_id); });
}

int64_t DataController::AddAlert(const AlertRecord& alert) {
  return WithDataset("alerts", [&] { return database_->AddAlert(alert); });
}

std::vector<AlertRecord> DataController::ListAlerts(int limit) const {
  return WithDataset("alerts", [&] { return database_->ListAlerts(limit); });
}

int DataController::CountAlerts(int64_t run_id) const {
  return WithDataset("alerts", [&] { return database_->CountAlerts(run_id); });
}

}  // namespace loadcast
