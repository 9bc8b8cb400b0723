// What every command shares: the global options, the loaded config and the data controller.
#pragma once

#include <memory>
#include <string>

#include "controller/data_controller.hpp"
#include "core/config.hpp"

namespace loadcast::cli {

struct GlobalOptions {
  std::string config_path;
  std::string log_level;
  unsigned jobs = 0;  // 0: the number of processors
};

class Context {
 public:
  explicit Context(const GlobalOptions& options) : options_(options) {}
  /// The effective config (file over defaults), loaded once; logging is set up from it.
  const Config& config();
  /// The controller over the configured backends, opened on first use.
  DataController& data();

 private:
  const GlobalOptions& options_;
  std::unique_ptr<Config> config_;
  std::unique_ptr<DataController> data_;
};

}  // namespace loadcast::cli
