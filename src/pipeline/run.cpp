#include "pipeline/run.hpp"

#include <fmt/format.h>

#include <cassert>

#include "core/date.hpp"
#include "core/hash.hpp"
#include "core/url.hpp"
#include "model/kinds.hpp"

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
    case ExitCode::kBusy:
      return "target_busy";
    default:
      return "run_failed";
  }
}

}  // namespace

Run::Run(DataController& data, const Config& config, std::string command,
         std::optional<int> target_year, std::optional<Horizon> horizon)
    : data_(data),
      config_(config),
      command_(std::move(command)),
      target_year_(target_year),
      horizon_(horizon) {
  RunRecord record;
  record.command = command_;
  record.target_year = target_year_;
  record.horizon = horizon_;
  // Every model parameter, defaults included, so that the record shows what the run used.
  record.config = DumpConfig(ResolveModels(config));
  record.config_hash = Sha256Hex(record.config).substr(0, 16);
  // So that a command opening the database later can tell whether this run's process is gone.
  record.process = CurrentProcess();
  id_ = data_.runs().Begin(record);
  spdlog::info("run {}: {} started", id_, record.command);
}

void Run::Alert(AlertSeverity severity, AlertSource source, const std::string& code,
                const std::string& message) {
  AlertRecord alert;
  alert.severity = severity;
  alert.source = source;
  alert.code = code;
  alert.message = message;
  alert.target_year = target_year_;
  alert.horizon = horizon_;
  Raise(std::move(alert));
}

std::optional<int64_t> Run::Raise(AlertRecord alert) {
  alert.run_id = id_;
  const auto id = data_.alerts().Add(alert);
  if (id) {
    spdlog::warn("run {}: alert {} [{}] {}: {}", id_, *id, alert.severity, alert.code,
                 alert.message);
  } else {
    spdlog::info("run {}: alert [{}] {} is already on record: {}", id_, alert.severity, alert.code,
                 alert.message);
  }
  return id;
}

EpisodeWrite Run::Track(AlertRecord alert) {
  alert.run_id = id_;
  const EpisodeWrite write = data_.alerts().Track(alert);
  if (write.opened) {
    spdlog::warn("run {}: alert {} [{}] {} opened: {}", id_, write.id, alert.severity, alert.code,
                 alert.message);
  } else if (write.updated) {
    spdlog::warn("run {}: alert {} [{}] {} {}: {}", id_, write.id, alert.severity, alert.code,
                 alert.episode == AlertEpisode::kClosed ? "closed" : "goes on", alert.message);
  } else {
    spdlog::info("run {}: alert {} [{}] {} is on record as it is: {}", id_, write.id,
                 alert.severity, alert.code, alert.message);
  }
  return write;
}

AlertRecord Run::FailureAlert(std::string code, std::string message, bool rejected) const {
  AlertRecord alert;
  alert.severity = AlertSeverity::kCritical;
  alert.source = AlertSource::kPipeline;
  alert.code = std::move(code);
  alert.message = std::move(message);
  alert.target_year = target_year_;
  alert.horizon = horizon_;
  alert.subject = fmt::format("{} step {}", command_, current_step_);
  if (!subject_.empty()) alert.subject += "; " + subject_;
  if (!rejected) {
    // Rejected data is rejected again as long as it is the same: one alert. A failure or a
    // refusal is about the run's circumstances (a full disk, a missing model): repeated on the
    // same day it is one alert, on a later day a new one, so that it is not hidden for good by
    // an acknowledged alert of an earlier occurrence.
    alert.period_start = Date::Today();
    alert.period_end = alert.period_start;
  }
  return alert;
}

std::unique_ptr<HeldLock> Run::LockTarget() {
  assert(target_year_ && horizon_ && "only a run of one target can lock it");
  current_step_ = "lock";
  const Horizon horizon = *horizon_;
  std::unique_ptr<HeldLock> lock;
  try {
    lock = data_.LockTarget(*target_year_, horizon, std::chrono::milliseconds(0));
  } catch (const LockTimeout&) {
    // Another process works on the target: wait for it.
    lock = WaitForTarget(horizon);
  }
  ClaimTarget(horizon);
  CrashPoint("after:lock");
  return lock;
}

void Run::ClaimTarget(Horizon horizon) {
  const std::string message = fmt::format(
      "stopped without finishing: its process ended (killed, crashed or its machine lost) while "
      "it held the lock of {} {}; what it had not committed was discarded, and run {} took the "
      "target over",
      *target_year_, horizon, id_);
  for (const int64_t abandoned : data_.runs().Claim(*target_year_, horizon, id_, message)) {
    AlertRecord alert;
    alert.severity = AlertSeverity::kWarning;
    alert.source = AlertSource::kPipeline;
    alert.code = "run_abandoned";
    alert.message = fmt::format("run {} {}", abandoned, message);
    alert.target_year = target_year_;
    alert.horizon = horizon_;
    alert.subject = fmt::format("run {}", abandoned);
    Raise(std::move(alert));
  }
}

std::unique_ptr<HeldLock> Run::WaitForTarget(Horizon horizon) {
  const double timeout = config_.runs_lock_timeout_seconds;
  spdlog::info("run {}: another process is working on {} {}; waiting up to {} s for it", id_,
               *target_year_, horizon, timeout);
  const auto start = std::chrono::steady_clock::now();
  try {
    auto lock = data_.LockTarget(*target_year_, horizon);
    const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - start;
    spdlog::info("run {}: waited {:.1f} s for the lock of {} {}", id_, waited.count(),
                 *target_year_, horizon);
    return lock;
  } catch (const LockTimeout& e) {
    throw LockTimeout(fmt::format(
        "{} of {} {}: another loadcast process is working on this target year and horizon and "
        "still held its lock after {} s (runs.lock_timeout_seconds); nothing was done, run it "
        "again once that process has finished ({})",
        command_, *target_year_, horizon, timeout, e.what()));
  }
}

void Run::Succeed(const std::string& message) {
  data_.runs().Finish(id_, RunStatus::kSucceeded, message);
  spdlog::info("run {}: succeeded", id_);
}

void Run::Fail(const Error& error) noexcept {
  const ExitCode code = error.exit_code();
  const bool rejected = code == ExitCode::kDataRejected || code == ExitCode::kForecastRejected;
  try {
    // Stored and notified: by the same redaction rule as every message shown.
    const std::string message = RedactText(error.what());
    Raise(FailureAlert(AlertCode(code), message, rejected));
    data_.runs().Finish(id_, rejected ? RunStatus::kRejected : RunStatus::kFailed, message);
  } catch (const std::exception& e) {
    spdlog::error("run {}: could not record the failure: {}", id_, e.what());
  }
}

void Run::Fail(const std::exception& error) noexcept {
  try {
    const std::string message = RedactText(error.what());
    Raise(FailureAlert("internal_error", message, /*rejected=*/false));
    data_.runs().Finish(id_, RunStatus::kFailed, message);
  } catch (const std::exception& e) {
    spdlog::error("run {}: could not record the failure: {}", id_, e.what());
  }
}

}  // namespace loadcast
