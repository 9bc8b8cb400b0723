#include <iostream>

#include "cli/commands.hpp"

namespace loadcast::cli {

void AddConfigCommand(CLI::App& app, Context& context, Action& action) {
  auto reference = std::make_shared<bool>(false);
  auto* command = app.add_subcommand(
      "config", "Print the effective configuration (file over defaults) as YAML");
  command->add_flag("--reference", *reference,
                    "Print the reference table of every setting (Markdown) instead");
  command->callback([&context, &action, reference] {
    action = [&context, reference] {
      std::cout << (*reference ? ConfigReference() : DumpConfig(context.config()));
      return 0;
    };
  });
}

}  // namespace loadcast::cli
