// A run: one execution of a command, recorded in the runs table. The run times and logs each step
// around it, turns a failure into an alert naming the step, and records how the run ended, so the
// steps themselves only do their work.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
#include "core/crash_point.hpp"
#include "core/errors.hpp"

namespace loadcast {

struct StepTiming {
  std::string step;
  double milliseconds = 0.0;
};

class Run {
 public:
  /// Records a new run (status running) with the effective config.
  Run(DataController& data, const Config& config, std::string command,
      std::optional<int> target_year, std::optional<Horizon> horizon);

  int64_t id() const { return id_; }
  const Config& config() const { return config_; }
  DataController& data() { return data_; }
  const std::vector<StepTiming>& timings() const { return timings_; }

  /// Runs one named step, logging and timing it; a failure is remembered as this step's.
  template <typename F>
  auto Step(const std::string& name, F&& body) -> decltype(body()) {
    current_step_ = name;
    CrashPoint("before:" + name);
    spdlog::debug("run {}: step {} started", id_, name);
    const auto start = std::chrono::steady_clock::now();
    auto record = [&] {
      const std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      timings_.push_back({name, elapsed.count()});
      spdlog::info("run {}: step {} finished in {:.1f} ms", id_, name, elapsed.count());
      CrashPoint("after:" + name);
    };
    if constexpr (std::is_void_v<decltype(body())>) {
      body();
      record();
    } else {
      auto result = body();
      record();
      return result;
    }
  }

  /// Writes an alert about the run's target (its target year and horizon filled in, no period
  /// or subject), so its fingerprint is source, code, target year and horizon. Prefer Raise,
  /// which says what the alert is about.
  void Alert(AlertSeverity severity, AlertSource source, const std::string& code,
             const std::string& message);
  /// Writes a fully described alert for this run (run id filled in); returns its id, or nothing
  /// when the same alert (same fingerprint) is already stored.
  std::optional<int64_t> Raise(AlertRecord alert);
  /// Records an episode (alert.episode set) as this run sees it: opened, brought up to date, or
  /// as already on record (AlertsStore::Track).
  EpisodeWrite Track(AlertRecord alert);
  /// Names the data the run works on (input files and their content hashes, the actuals
  /// objects read). It becomes part of the subject, and so of the fingerprint, of the alert a
  /// failure raises: the same failure on the same data is one alert.
  void SetSubject(std::string subject) { subject_ = std::move(subject); }
  /// Takes the lock of the run's target year and horizon (step "lock"), logging at info when
  /// another process holds it and the run has to wait; LockTimeout naming the target when it
  /// stayed held for runs.lock_timeout_seconds. Once it holds the lock, earlier runs of the
  /// target still recorded as running are marked failed, each with a run_abandoned warning.
  std::unique_ptr<HeldLock> LockTarget();
  /// Marks the run succeeded.
  void Succeed(const std::string& message = "");
  /// Marks the run failed (or rejected, for bad input or a rejected forecast) and raises the
  /// critical alert that says why (source pipeline, the command and step in its subject). Never
  /// throws: the original error is what the caller reports.
  void Fail(const Error& error) noexcept;
  void Fail(const std::exception& error) noexcept;

 private:
  std::unique_ptr<HeldLock> WaitForTarget(Horizon horizon);
  void ClaimTarget(Horizon horizon);

  /// The alert of a failure: about the data for a rejection, about the day otherwise.
  AlertRecord FailureAlert(std::string code, std::string message, bool rejected) const;

  DataController& data_;
  const Config& config_;
  int64_t id_ = 0;
  std::string command_;
  std::optional<int> target_year_;
  std::optional<Horizon> horizon_;
  std::string subject_;
  std::string current_step_ = "start";
  std::vector<StepTiming> timings_;
};

namespace detail {

template <typename F>
auto ExecuteRun(DataController& data, const Config& config, const std::string& command,
                std::optional<int> target_year, std::optional<Horizon> horizon, bool lock_target,
                F&& body) -> decltype(body(std::declval<Run&>())) {
  Run run(data, config, command, target_year, horizon);
  // Declared outside the try block: the lock is released only after the run's end (success or
  // failure) is on record, so the next run of the target sees this one finished.
  std::unique_ptr<HeldLock> lock;
  try {
    if (lock_target) lock = run.LockTarget();
    if constexpr (std::is_void_v<decltype(body(run))>) {
      body(run);
      run.Succeed();
    } else {
      auto result = body(run);
      run.Succeed();
      return result;
    }
  } catch (const Error& e) {
    run.Fail(e);
    throw;
  } catch (const std::exception& e) {
    run.Fail(e);
    throw;
  }
}

}  // namespace detail

/// Executes `body(run)` inside a recorded run: success and failure are both recorded, and a
/// failure is rethrown for the caller to map to an exit code.
template <typename F>
auto ExecuteRun(DataController& data, const Config& config, const std::string& command,
                std::optional<int> target_year, std::optional<Horizon> horizon, F&& body)
    -> decltype(body(std::declval<Run&>())) {
  return detail::ExecuteRun(data, config, command, target_year, horizon, /*lock_target=*/false,
                            std::forward<F>(body));
}

/// As ExecuteRun, for a command that writes results of one target year and horizon (models,
/// the gate's decisions, forecasts, scores): before its first step the run takes the target's
/// lock (Run::LockTarget), waiting for any other process working on the same target, and holds
/// it until its end is recorded. Two such runs of one target thus run one after the other, the
/// second finding the first's results on record; runs of other targets do not wait. A run that
/// waited longer than runs.lock_timeout_seconds fails with LockTimeout (exit code 5) having done
/// nothing.
template <typename F>
auto ExecuteTargetRun(DataController& data, const Config& config, const std::string& command,
                      int target_year, Horizon horizon, F&& body)
    -> decltype(body(std::declval<Run&>())) {
  return detail::ExecuteRun(data, config, command, target_year, horizon, /*lock_target=*/true,
                            std::forward<F>(body));
}

}  // namespace loadcast
