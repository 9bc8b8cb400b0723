// A workspace shared by the web tests: the bundled data ingested, 2020 run for the year horizon
// with a fast config, and monitored as of 2020-03-31, made once per test binary.
#pragma once

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "controller/data_controller.hpp"
#include "core/date.hpp"
#include "pipeline/flows.hpp"
#include "pipeline/monitor_flow.hpp"
#include "support/temp_dir.hpp"

namespace loadcast::web {

/// Training is the slow part of a flow; the dashboard shows whatever the model forecast.
inline Config FastConfig(const std::filesystem::path& base_dir) {
  Config config = DefaultConfig(base_dir);
  for (ModelSection* model : {&config.year_model, &config.day_model}) {
    model->Set("training_years", "2");
    model->Set("epochs", "3");
    model->Set("calibration_years", "1");
  }
  config.registry.validation_years = 1;
  return config;
}

class WebTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (workspace_) return;
    spdlog::set_level(spdlog::level::err);
    workspace_ = new testing::TempDir;
    config_ = new Config(FastConfig(workspace_->path()));
    data_ = new DataController(*config_);
    IngestFlow(*data_, *config_, {testing::BundledData()});
    run_ = RunFlow(*data_, *config_, 2020, Horizon::kYear, std::nullopt).run_id;
    MonitorFlow(*data_, *config_, 2020, Date::FromYmd(2020, 3, 31), Horizon::kYear);
  }
  // The workspace lives as long as the test binary: every suite reads the same one.

  static DataController& data() { return *data_; }
  static const Config& config() { return *config_; }

  static inline testing::TempDir* workspace_ = nullptr;
  static inline Config* config_ = nullptr;
  static inline DataController* data_ = nullptr;
  static inline int64_t run_ = 0;
};

}  // namespace loadcast::web
