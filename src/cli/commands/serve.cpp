// `loadcast serve`: the dashboard over HTTP (docs/dashboard.md).
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "web/server.hpp"

namespace loadcast::cli {

void AddServeCommand(CLI::App& app, Context& context, Action& action) {
  auto options = std::make_shared<web::ServerOptions>();
  auto* command = app.add_subcommand(
      "serve", "Serve the dashboard (pages and JSON API) of the database until Ctrl-C");
  command
      ->add_option("--host", options->host,
                   "Address to listen on; other than loopback needs LOADCAST_DASHBOARD_TOKEN")
      ->capture_default_str();
  command->add_option("--port", options->port, "Port to listen on (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command->callback([&context, &action, options] {
    action = [&context, options] {
      web::ServerOptions o = *options;
      // The token comes from the environment only: never the config file or the command line.
      if (const char* token = std::getenv(web::kTokenVariable)) o.token = token;
      web::Serve(context.data(), context.config(), o, std::cout);
      return 0;
    };
  });
}

}  // namespace loadcast::cli
