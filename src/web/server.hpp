// The dashboard server: the embedded pages and the JSON API of docs/dashboard.md over HTTP
// (cpp-httplib). It reads through the data controller, one request at a time, and writes nothing
// but alert acknowledgements.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "controller/data_controller.hpp"
#include "core/config.hpp"

namespace loadcast::web {

/// The environment variable the token is read from (never the config or the command line).
inline constexpr const char* kTokenVariable = "LOADCAST_DASHBOARD_TOKEN";

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;    // 0: any free port
  std::string token;  // empty: none
};

/// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopback(std::string_view host);

/// Whether `header` (an Authorization header) carries `token` as a bearer token. Compared in
/// constant time, so that the time taken tells nothing about the token.
bool BearerMatches(std::string_view header, std::string_view token);

class DashboardServer {
 public:
  /// UsageError when the host is not a loopback address and there is no token.
  DashboardServer(DataController& data, const Config& config, ServerOptions options);
  ~DashboardServer();
  DashboardServer(const DashboardServer&) = delete;
  DashboardServer& operator=(const DashboardServer&) = delete;

  /// Binds the socket; the port bound (the one chosen for port 0). UsageError when the address
  /// cannot be bound.
  int Bind();
  /// Serves requests until Stop(); returns once the server stopped.
  void Listen();
  /// Stops a Listen() in progress (from any thread).
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// `loadcast serve`: binds, writes "serving http://HOST:PORT/" to `out` (flushed), and serves
/// until SIGINT or SIGTERM.
void Serve(DataController& data, const Config& config, const ServerOptions& options,
           std::ostream& out);

}  // namespace loadcast::web
