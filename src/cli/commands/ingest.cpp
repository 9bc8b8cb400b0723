#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "pipeline/flows.hpp"

namespace loadcast::cli {

void AddIngestCommand(CLI::App& app, Context& context, Action& action) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* command = app.add_subcommand(
      "ingest", "Validate load CSV files and store them in the bucket, one object per year");
  command->add_option("files", *files, "CSV files with a date,load header")->required();
  SetPrintAction(*command, action, [&context, files](bool) -> Output {
    const std::vector<std::filesystem::path> paths(files->begin(), files->end());
    const IngestResult result = IngestFlow(context.data(), context.config(), paths);
    return {ToJson(result), FormatIngest(result)};
  });
}

}  // namespace loadcast::cli
