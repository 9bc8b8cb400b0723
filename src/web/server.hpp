// The dashboard server: the embedded pages and the JSON API of docs/dashboard.md over HTTP
// (cpp-httplib). It reads through the data controller, one request at a time, and writes nothing
// but alert acknowledgements.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "controller/data_controller.hpp"
#include "core/config.hpp"

namespace loadcast::web {

/// The environment variable the token is read from (never the config or the command line).
inline constexpr const char* kTokenVariable = "LOADCAST_DASHBOARD_TOKEN";
/// The shortest token taken for an address other than loopback.
inline constexpr std::size_t kMinTokenLength = 16;
/// The header a state-changing request carries the page's CSRF token in.
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";
/// The meta tag of the served page that holds the CSRF token: <meta name="..." content="...">.
inline constexpr const char* kCsrfMetaName = "loadcast-csrf-token";

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;    // 0: any free port
  std::string token;  // empty: none
};

/// Whether `host` is a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopback(std::string_view host);

/// Whether `given` equals the non-empty `secret`. Compared in constant time, so that the time
/// taken tells nothing about the secret.
bool SecretMatches(std::string_view given, std::string_view secret);

/// Whether `header` (an Authorization header) carries `token` as a bearer token, compared as by
/// SecretMatches.
bool BearerMatches(std::string_view header, std::string_view token);

/// Whether a request with Host header `host` is meant for a server bound to `bound_host`:`port`:
/// the port must be the bound one (or absent for port 80), and the name the bound address,
/// localhost or a loopback address for a loopback bind, any IP address for a wildcard bind
/// (0.0.0.0, ::), or one of `allowed` (comma-separated names, each with or without a port).
/// A name that is none of these is another site's, as in DNS rebinding.
bool HostMatches(std::string_view host, std::string_view bound_host, int port,
                 std::string_view allowed);

class DashboardServer {
 public:
  /// UsageError when the host is not a loopback address and the token is shorter than
  /// kMinTokenLength.
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
