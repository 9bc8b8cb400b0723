#include "cli/context.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <filesystem>

#include "model/kinds.hpp"

namespace loadcast::cli {

const Config& Context::config() {
  if (!config_) {
    const auto cwd = std::filesystem::current_path();
    // Without --config: the defaults, still under the environment overrides.
    // The model layer checks each horizon's kind and its parameters, which core keeps as given.
    config_ = std::make_unique<Config>(ResolveModels(LoadConfig(options_.config_path, cwd)));
    if (!options_.log_level.empty()) config_->log_level = options_.log_level;
    spdlog::set_level(spdlog::level::from_str(config_->log_level));
  }
  return *config_;
}

DataController& Context::data() {
  if (!data_) data_ = std::make_unique<DataController>(config());
  return *data_;
}

}  // namespace loadcast::cli
