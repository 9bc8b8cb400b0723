#include <iostream>

#include "cli/commands.hpp"

namespace loadcast::cli {

void AddTargetOptions(CLI::App& command, TargetOptions& options, bool with_json) {
  command.add_option("--target-year", options.target_year, "Year to forecast (trained on the years before)")
      ->required()
      ->check(CLI::Range(1900, 2999));
  command.add_option("--horizon", options.horizon, "year (one-shot, whole year) or day (day-ahead)")
      ->check(CLI::IsMember({"year", "day"}))
      ->capture_default_str();
  if (with_json) command.add_flag("--json", options.json, "Print one JSON document");
}

void Print(bool json, const nlohmann::json& document, const std::string& text) {
  if (json) {
    std::cout << document.dump(2) << "\n";
  } else {
    std::cout << text;
  }
  std::cout.flush();
}

}  // namespace loadcast::cli
