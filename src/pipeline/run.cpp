#include "pipeline/run.hpp"

namespace loadcast {
namespace {

std::string AlertCode(ExitCode code) {
  switch (code) {
    case ExitCode::kDataRejected:
      return "data_rejected";
    case ExitCode::kForecastRejected:
      return "forecast_rejected";
    case ExitCode::kUsage:
      return "run_refused";
    default:
      return "run_failed";
  }
}

}  // namespace

Run::Run(DataController& data, const Config& config, std::string command,
         std::optional<int> target_year, std::optional<Horizon> horizon)
    : data_(data), config_(config) {
  RunRecord record;
  record.command = std::move(command);
  record.target_year = target_year;
  record.horizon = horizon ? std::string(HorizonName(*horizon)) : "";
  record.config = DumpConfig(config);
  id_ = data_.BeginRun(record);
  spdlog::info("run {}: {} started", id_, record.command);
}

void Run::Alert(const std::string& severity, const std::string& source, const std::string& code,
                const std::string& message) {
  AlertRecord alert;
  alert.run_id = id_;
  alert.severity = severity;
  alert.source = source;
  alert.code = code;
  alert.message = message;
  data_.AddAlert(alert);
  spdlog::warn("run {}: alert [{}] {}: {}", id_, severity, code, message);
}

void Run::Succeed(const std::string& message) {
  data_.FinishRun(id_, "succeeded", message);
  spdlog::info("run {}: succeeded", id_);
}

void Run::Fail(const Error& error) noexcept {
  const ExitCode code = error.exit_code();
  const bool rejected = code == ExitCode::kDataRejected || code == ExitCode::kForecastRejected;
  try {
    Alert(code == ExitCode::kInternal ? "critical" : "error", current_step_, AlertCode(code),
          error.what());
    data_.FinishRun(id_, rejected ? "rejected" : "failed", error.what());
  } catch (const std::exception& e) {
    spdlog::error("run {}: could not record the failure: {}", id_, e.what());
  }
}

void Run::Fail(const std::exception& error) noexcept {
  try {
    Alert("critical", current_step_, "internal_error", error.what());
    data_.FinishRun(id_, "failed", error.what());
  } catch (const std::exception& e) {
    spdlog::error("run {}: could not record the failure: {}", id_, e.what());
  }
}

}  // namespace loadcast
