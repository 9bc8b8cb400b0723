#include <iostream>

#include "cli/commands.hpp"
#include "model/kinds.hpp"

namespace loadcast::cli {

void AddConfigCommand(CLI::App& app, Context& context, Action& action) {
  auto reference = std::make_shared<bool>(false);
  auto* command = app.add_subcommand(
      "config", "Print the effective configuration (environment over file over defaults) as YAML");
  command->add_flag("--reference", *reference,
                    "Print the reference of every setting and of each model kind's parameters "
                    "(Markdown) instead");
  command->callback([&context, &action, reference] {
    action = [&context, reference] {
      if (*reference) {
        // docs/configuration.md is this text; docs/models.md holds the kinds' part too.
        std::cout << ConfigReference() << "\n## Model kinds and their parameters\n\n"
                  << ModelKindsReference();
        return 0;
      }
      const Config& config = context.config();
      // Where a value came from when not from the file or the defaults, as YAML comments.
      for (const auto& [key, variable] : config.from_environment) {
        std::cout << "# " << key << ": from the environment variable " << variable << "\n";
      }
      std::cout << DumpConfig(config);
      return 0;
    };
  });
}

}  // namespace loadcast::cli
