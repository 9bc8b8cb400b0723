#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pipeline/flows.hpp"

namespace loadcast::cli {

void AddIngestCommand(CLI::App& app, Context& context, Action& action) {
  struct Options {
    std::vector<std::string> files;
    bool json = false;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "ingest", "Validate load CSV files and store them in the bucket, one object per year");
  command->add_option("files", options->files, "CSV files with a date,load header")->required();
  command->add_flag("--json", options->json, "Print one JSON document");
  command->callback([&context, &action, options] {
    action = [&context, options] {
      const std::vector<std::filesystem::path> files(options->files.begin(), options->files.end());
      const IngestResult result = IngestFlow(context.data(), context.config(), files);
      Print(options->json, ToJson(result), FormatIngest(result));
      return 0;
    };
  });
}

}  // namespace loadcast::cli
