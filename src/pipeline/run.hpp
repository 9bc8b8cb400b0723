// A run: one execution of a command, recorded in the runs table. The run times and logs each step
// around it, turns a failure into an alert naming the step, and records how the run ended, so the
// steps themselves only do their work.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
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
    spdlog::debug("run {}: step {} started", id_, name);
    const auto start = std::chrono::steady_clock::now();
    auto record = [&] {
      const std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      timings_.push_back({name, elapsed.count()});
      spdlog::info("run {}: step {} finished in {:.1f} ms", id_, name, elapsed.count());
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

  /// Writes an alert row for this run.
  void Alert(const std::string& severity, const std::string& source, const std::string& code,
             const std::string& message);
  /// Marks the run succeeded.
  void Succeed(const std::string& message = "");
  /// Marks the run failed (or rejected, for bad input or a rejected forecast) and raises the
  /// alert that says why. Never throws: the original error is what the caller reports.
  void Fail(const Error& error) noexcept;
  void Fail(const std::exception& error) noexcept;

 private:
  DataController& data_;
  const Config& config_;
  int64_t id_ = 0;
  std::string current_step_ = "start";
  std::vector<StepTiming> timings_;
};

/// Executes `body(run)` inside a recorded run: success and failure are both recorded, and a
/// failure is rethrown for the caller to map to an exit code.
template <typename F>
auto ExecuteRun(DataController& data, const Config& config, const std::string& command,
                std::optional<int> target_year, std::optional<Horizon> horizon, F&& body)
    -> decltype(body(std::declval<Run&>())) {
  Run run(data, config, command, target_year, horizon);
  try {
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

}  // namespace loadcast
