// `loadcast report`: the dashboard's views of one target year as a self-contained HTML file.
#include "web/report.hpp"

#include <iostream>

#include "cli/commands.hpp"

namespace loadcast::cli {

void AddReportCommand(CLI::App& app, Context& context, Action& action) {
  struct Options {
    int target_year = 0;
    std::string horizon;
    std::string out;
  };
  auto options = std::make_shared<Options>();
  auto* command = app.add_subcommand(
      "report", "Write the dashboard of a target year as one self-contained HTML file");
  AddYearOption(*command, "--target-year", options->target_year,
                "The year whose year view it holds")
      ->required();
  command
      ->add_option("--horizon", options->horizon,
                   "year or day (default: both, where a forecast is published)")
      ->check(CLI::IsMember({"year", "day"}));
  command->add_option("--out", options->out, "The HTML file to write")->required();
  command->callback([&context, &action, options] {
    action = [&context, options] {
      web::ReportRequest request{.target_year = options->target_year, .horizons = {}};
      if (!options->horizon.empty()) request.horizons.push_back(ParseHorizon(options->horizon));
      const std::filesystem::path out = context.config().Resolve(options->out);
      context.data().CheckExport(out);
      web::WriteReport(context.data(), context.config(), request, out);
      std::cout << "report of " << options->target_year << " written to " << out.string() << "\n";
      return 0;
    };
  });
}

}  // namespace loadcast::cli
