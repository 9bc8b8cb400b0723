#include "web/server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <thread>
#include <vector>

#include "core/errors.hpp"
#include "web/assets.hpp"
#include "web/dashboard_data.hpp"

namespace loadcast::web {
namespace {

using nlohmann::json;

constexpr const char* kJson = "application/json; charset=utf-8";

// How the server holds its connections (docs/dashboard.md, "Under load").
/// Connections served at once: an open connection keeps one thread until it closes; more
/// connections are accepted and wait for a thread in arrival order.
constexpr std::size_t kThreads = 256;
/// Requests a connection may make before the server closes it, so that connections waiting for a
/// thread get their turn.
constexpr std::size_t kKeepAliveMaxRequests = 100;
/// Seconds an idle connection is kept open for its next request.
constexpr time_t kKeepAliveSeconds = 5;
/// Seconds a request may take to arrive, and an answer to be sent, before the connection is closed.
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
/// The largest request body read (413 beyond); no route takes one.
constexpr std::size_t kMaxPayloadBytes = 16 * 1024;
/// Connections the kernel queues before the server accepts them (the kernel caps it at
/// net.core.somaxconn).
constexpr int kListenBacklog = 1024;
/// Answers kept for reuse by requests that wait for the same one, and for how long.
constexpr std::size_t kKeptAnswers = 64;
constexpr std::chrono::seconds kKeptAnswerAge{10};

/// A lock granted in the order it was asked for, so that no request waits behind later ones.
class FifoLock {
 public:
  void lock() {
    std::unique_lock guard(mutex_);
    if (!held_) {
      held_ = true;
      return;
    }
    Waiter waiter;
    waiters_.push_back(&waiter);
    waiter.turn.wait(guard, [&] { return waiter.granted; });
  }
  /// Hands the lock to the longest waiting thread, if any.
  void unlock() {
    const std::lock_guard guard(mutex_);
    if (waiters_.empty()) {
      held_ = false;
      return;
    }
    Waiter* next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;
    next->turn.notify_one();
  }

 private:
  struct Waiter {
    std::condition_variable turn;
    bool granted = false;
  };
  std::mutex mutex_;
  bool held_ = false;
  std::deque<Waiter*> waiters_;
};

/// httplib's server, with a deeper accept queue than the library's own (5 connections).
class HttpServer : public httplib::Server {
 public:
  /// Sets the accept queue of the bound socket to `backlog` connections.
  void SetBacklog(int backlog) {
    const socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET) ::listen(sock, backlog);
  }
};

/// A path the server answers, and the method it takes there (for 405 and Allow).
struct Route {
  std::regex pattern;
  const char* method;
};

/// A path that exists, asked with a method it does not take: HTTP 405.
class MethodNotAllowed : public UsageError {
 public:
  using UsageError::UsageError;
};

void SendError(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(json{{"error", {{"status", status}, {"message", message}}}}.dump(), kJson);
}

/// A whole number from a path or query; UsageError (400) naming `what` otherwise.
int64_t ParseInteger(const std::string& text, std::string_view what) {
  int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) {
    throw UsageError(fmt::format("{} '{}' is not a whole number", what, text));
  }
  return value;
}

int ParseLimit(const httplib::Request& req, int fallback) {
  if (!req.has_param("limit") || req.get_param_value("limit").empty()) return fallback;
  const int64_t limit = ParseInteger(req.get_param_value("limit"), "limit");
  if (limit <= 0 || limit > 1'000'000) {
    throw UsageError(fmt::format("limit {} is not within 1..1000000", limit));
  }
  return static_cast<int>(limit);
}

std::vector<std::string> ListParam(const httplib::Request& req, const char* name) {
  std::vector<std::string> out;
  const std::string text = req.get_param_value(name);
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

/// A comma-separated parameter of names of E's vocabulary, as values; UsageError naming the
/// first that is not one.
template <Named E>
std::vector<E> NamesParam(const httplib::Request& req, const char* name) {
  std::vector<E> out;
  for (const std::string& text : ListParam(req, name)) {
    const std::optional<E> value = FromName<E>(text);
    if (!value) {
      throw UsageError(fmt::format("unknown {} '{}': valid are {}", name, text, NamesOf<E>()));
    }
    out.push_back(*value);
  }
  return out;
}

AlertFilter AlertFilterOf(const httplib::Request& req) {
  AlertFilter filter;
  filter.severities = NamesParam<AlertSeverity>(req, "severity");
  filter.sources = NamesParam<AlertSource>(req, "source");
  filter.since = req.get_param_value("since");
  filter.until = req.get_param_value("until");
  const std::string unacknowledged = req.get_param_value("unacknowledged");
  if (unacknowledged == "1" || unacknowledged == "true") filter.acknowledged = false;
  filter.limit = ParseLimit(req, kDefaultAlertLimit);
  return filter;
}

/// What identifies a GET's answer: its method, path and parameters, unambiguously.
std::string AnswerKey(const httplib::Request& req) {
  json key = {req.method, req.path};
  for (const auto& [name, value] : req.params) key.push_back({name, value});
  return key.dump();
}

std::optional<Horizon> OptionalHorizon(const httplib::Request& req) {
  const std::string text = req.get_param_value("horizon");
  if (text.empty()) return std::nullopt;
  return ParseHorizon(text);
}

}  // namespace

bool IsLoopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

bool BearerMatches(std::string_view header, std::string_view token) {
  constexpr std::string_view kScheme = "Bearer ";
  if (token.empty() || !header.starts_with(kScheme)) return false;
  const std::string_view given = header.substr(kScheme.size());
  // Every byte of the token is compared whatever the given text, so that the time taken does not
  // depend on where they first differ.
  unsigned char difference = given.size() == token.size() ? 0 : 1;
  for (std::size_t i = 0; i < token.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    difference |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(token[i]));
  }
  return difference == 0;
}

struct DashboardServer::Impl {
  DataController& data;
  const Config& config;
  ServerOptions options;
  bool loopback = true;
  HttpServer server;
  // httplib answers requests on a pool of threads; the controller (and SQLite connection) is
  // used by one at a time, in the order the requests asked for it.
  FifoLock data_mutex;

  /// The latest answer to a GET (by AnswerKey), and when its computation started.
  struct Answer {
    std::chrono::steady_clock::time_point started;
    std::shared_ptr<const std::string> body;
  };
  /// Guarded by data_mutex. A request takes an answer from here only when its computation
  /// started after the request arrived: it is then as fresh as one computed for the request
  /// alone, and requests waiting for the lock with the same question share one computation.
  std::map<std::string, Answer> answers;
  /// The routes Register added, in order; read-only once the server listens.
  std::vector<Route> routes;

  Impl(DataController& d, const Config& c, ServerOptions o)
      : data(d), config(c), options(std::move(o)), loopback(IsLoopback(options.host)) {}

  /// Answers an API request: checks the token where one is required, then runs `answer` with
  /// the controller locked and maps loadcast's errors to HTTP statuses.
  void Api(const httplib::Request& req, httplib::Response& res, bool writes,
           const std::function<json()>& answer) {
    res.set_header("Cache-Control", "no-store");
    if (!options.token.empty() && (writes || !loopback) &&
        !BearerMatches(req.get_header_value("Authorization"), options.token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401,
                fmt::format("{} {} needs the dashboard token: Authorization: Bearer <token>",
                            req.method, req.path));
      return;
    }
    try {
      const auto arrived = std::chrono::steady_clock::now();
      const std::string key = AnswerKey(req);
      std::shared_ptr<const std::string> body;
      {
        const std::lock_guard lock(data_mutex);
        const auto kept = writes ? answers.end() : answers.find(key);
        if (kept != answers.end() && kept->second.started > arrived) {
          body = kept->second.body;
        } else {
          const auto started = std::chrono::steady_clock::now();
          body = std::make_shared<const std::string>(answer().dump());
          if (!writes) Keep(key, Answer{started, body});
        }
      }
      res.status = 200;
      // Written from the shared answer itself: requests that share an answer share its memory.
      res.set_content_provider(
          body->size(), kJson,
          [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
            return sink.write(body->data() + offset, length);
          });
    } catch (const NotFoundError& e) {
      SendError(res, 404, e.what());
    } catch (const MethodNotAllowed& e) {
      SendError(res, 405, e.what());
    } catch (const UsageError& e) {
      SendError(res, 400, e.what());
    } catch (const Error& e) {
      spdlog::error("{} {}: {}", req.method, req.path, e.what());
      SendError(res, 500, e.what());
    } catch (const std::exception& e) {
      spdlog::error("{} {}: internal error: {}", req.method, req.path, e.what());
      SendError(res, 500, fmt::format("internal error: {}", e.what()));
    }
  }

  /// Keeps `answer` under `key`, dropping answers older than kKeptAnswerAge and, beyond
  /// kKeptAnswers, the oldest. With data_mutex held.
  void Keep(const std::string& key, Answer answer) {
    const auto oldest = answer.started - kKeptAnswerAge;
    answers.insert_or_assign(key, std::move(answer));
    std::erase_if(answers, [&](const auto& kept) { return kept.second.started < oldest; });
    while (answers.size() > kKeptAnswers) {
      answers.erase(std::min_element(
          answers.begin(), answers.end(),
          [](const auto& a, const auto& b) { return a.second.started < b.second.started; }));
    }
  }

  void Asset(const std::string& path, httplib::Response& res) {
    const auto asset = FindAsset(path);
    if (!asset) {
      SendError(res, 404, fmt::format("there is no asset {}", path));
      return;
    }
    res.set_content(asset->bytes.data(), asset->bytes.size(), asset->content_type.c_str());
  }

  /// Any request no route took: 405 when the path takes other methods, 404 otherwise.
  void Fallback(const httplib::Request& req, httplib::Response& res) {
    const char* allowed = nullptr;
    for (const Route& route : routes) {
      if (std::regex_match(req.path, route.pattern)) allowed = route.method;
    }
    const auto reject = [&] {
      if (allowed) {
        res.set_header("Allow", allowed);
        throw MethodNotAllowed(
            fmt::format("{} does not take {}: it takes {}", req.path, req.method, allowed));
      }
      throw NotFoundError(fmt::format("there is no {}", req.path));
    };
    if (req.path.starts_with("/api/")) {
      Api(req, res, false, [&]() -> json {
        reject();
        return nullptr;
      });
      return;
    }
    try {
      reject();
    } catch (const MethodNotAllowed& e) {
      SendError(res, 405, e.what());
    } catch (const NotFoundError& e) {
      SendError(res, 404, e.what());
    }
  }

  /// The connection handling of "Under load" in docs/dashboard.md.
  void Configure() {
    server.new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
    server.set_keep_alive_max_count(kKeepAliveMaxRequests);
    server.set_keep_alive_timeout(kKeepAliveSeconds);
    server.set_read_timeout(kReadTimeoutSeconds, 0);
    server.set_write_timeout(kWriteTimeoutSeconds, 0);
    server.set_payload_max_length(kMaxPayloadBytes);
    // Answers go out as soon as they are written, not held back waiting for the client's
    // acknowledgement of the headers.
    server.set_tcp_nodelay(true);
    // SO_REUSEADDR only: a port another server listens on stays refused (SO_REUSEPORT, httplib's
    // default, would let two servers share it).
    server.set_socket_options([](socket_t sock) {
      int yes = 1;
      setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
  }

  void Register() {
    server.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      spdlog::info("{} {} {}", req.method, req.path, res.status);
    });
    // What httplib refuses itself (a request it cannot read) is answered as JSON too.
    server.set_error_handler(
        httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
          if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
          SendError(res, res.status,
                    fmt::format("the request could not be read (HTTP {})", res.status));
          return httplib::Server::HandlerResponse::Handled;
        }));
    server.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
          std::string message = "internal error";
          try {
            std::rethrow_exception(error);
          } catch (const std::exception& e) {
            message += std::string(": ") + e.what();
          } catch (...) {
          }
          SendError(res, 500, message);
        });

    // Each route is recorded as it is added, for Fallback's 405 and Allow.
    const auto route = [this](const char* method, const std::string& pattern,
                              httplib::Server::Handler handler) {
      routes.push_back({std::regex(pattern), method});
      if (std::string_view(method) == "POST") {
        server.Post(pattern, std::move(handler));
      } else {
        server.Get(pattern, std::move(handler));
      }
    };
    const auto index = [this](const httplib::Request&, httplib::Response& res) {
      Asset("index.html", res);
    };
    route("GET", "/", index);
    route("GET", "/index.html", index);
    route("GET", "/assets/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
      Asset(req.matches[1].str(), res);
    });

    const auto get = [this, route](const std::string& pattern,
                                   std::function<json(const httplib::Request&)> answer) {
      route("GET", pattern, [this, answer](const httplib::Request& req, httplib::Response& res) {
        Api(req, res, false, [&] { return answer(req); });
      });
    };
    get("/api/overview", [this](const httplib::Request&) { return Overview(data, config); });
    get("/api/years/([0-9]+)", [this](const httplib::Request& req) {
      const int64_t year = ParseInteger(req.matches[1].str(), "year");
      if (year < 1 || year > 9999) throw NotFoundError(fmt::format("there is no year {}", year));
      const std::string horizon = req.get_param_value("horizon");
      return YearView(data, config, static_cast<int>(year),
                      ParseHorizon(horizon.empty() ? "year" : horizon));
    });
    get("/api/backtests", [this](const httplib::Request&) { return Backtests(data, config); });
    get("/api/alerts",
        [this](const httplib::Request& req) { return Alerts(data, config, AlertFilterOf(req)); });
    get("/api/models",
        [this](const httplib::Request& req) { return Models(data, config, OptionalHorizon(req)); });
    get("/api/runs", [this](const httplib::Request& req) {
      return Runs(data, config, ParseLimit(req, kDefaultRunLimit));
    });
    get("/api/runs/([0-9]+)", [this](const httplib::Request& req) {
      return RunDetail(data, config, ParseInteger(req.matches[1].str(), "run id"));
    });
    get("/api/series", [this](const httplib::Request& req) {
      SeriesListQuery query;
      if (req.has_param("run")) query.run_id = ParseInteger(req.get_param_value("run"), "run id");
      if (req.has_param("target_year")) {
        query.target_year =
            static_cast<int>(ParseInteger(req.get_param_value("target_year"), "target year"));
      }
      query.search = req.get_param_value("q");
      if (const std::string status = req.get_param_value("status"); !status.empty()) {
        query.status = FromName<SeriesStatus>(status);
        if (!query.status) {
          throw UsageError(fmt::format("status '{}' is not ok, warning or failed", status));
        }
      }
      if (req.has_param("sort")) query.sort = req.get_param_value("sort");
      query.limit = ParseLimit(req, kDefaultSeriesLimit);
      return SeriesList(data, query);
    });
    get("/api/series/([A-Za-z0-9_.-]+)", [this](const httplib::Request& req) {
      const int64_t run =
          req.has_param("run") ? ParseInteger(req.get_param_value("run"), "run id") : 0;
      return SeriesDetail(data, req.matches[1].str(), run);
    });
    route("POST", "/api/alerts/([0-9]+)/ack",
          [this](const httplib::Request& req, httplib::Response& res) {
            Api(req, res, true, [&] {
              return AcknowledgeAlert(data, ParseInteger(req.matches[1].str(), "alert id"));
            });
          });

    const auto fallback = [this](const httplib::Request& req, httplib::Response& res) {
      Fallback(req, res);
    };
    server.Get(".*", fallback);
    server.Post(".*", fallback);
    server.Put(".*", fallback);
    server.Patch(".*", fallback);
    server.Delete(".*", fallback);
    server.Options(".*", fallback);
  }
};

DashboardServer::DashboardServer(DataController& data, const Config& config, ServerOptions options)
    : impl_(std::make_unique<Impl>(data, config, std::move(options))) {
  if (!impl_->loopback && impl_->options.token.empty()) {
    throw UsageError(fmt::format(
        "serve: binding to {} (not a loopback address) needs a token: set {} in the environment",
        impl_->options.host, kTokenVariable));
  }
  if (impl_->options.port < 0 || impl_->options.port > 65535) {
    throw UsageError(fmt::format("serve: port {} is not within 0..65535", impl_->options.port));
  }
  impl_->Configure();
  impl_->Register();
}

DashboardServer::~DashboardServer() = default;

int DashboardServer::Bind() {
  const ServerOptions& o = impl_->options;
  int port = o.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(o.host);
  } else if (!impl_->server.bind_to_port(o.host, port)) {
    port = -1;
  }
  if (port < 0) {
    throw UsageError(fmt::format("serve: cannot listen on {}:{} (address in use or not local?)",
                                 o.host, o.port));
  }
  impl_->server.SetBacklog(kListenBacklog);
  return port;
}

void DashboardServer::Listen() { impl_->server.listen_after_bind(); }

void DashboardServer::Stop() { impl_->server.stop(); }

void Serve(DataController& data, const Config& config, const ServerOptions& options,
           std::ostream& out) {
  DashboardServer server(data, config, options);
  const int port = server.Bind();

  // SIGINT and SIGTERM are taken by a watcher thread, which stops the server: blocked here, before
  // httplib starts its threads, they are blocked in every thread but delivered to sigtimedwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &stop_signals, &previous);
  std::atomic<bool> done = false;
  std::thread watcher([&] {
    const timespec tick{0, 200'000'000};
    while (!done) {
      const int signal = sigtimedwait(&stop_signals, nullptr, &tick);
      if (signal == SIGINT || signal == SIGTERM) {
        spdlog::info("serve: signal {} received, stopping", signal);
        // Until Listen() returns: a signal that came before it started must still stop it.
        while (!done) {
          server.Stop();
          std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        return;
      }
    }
  });

  const std::string shown =
      options.host.find(':') != std::string::npos && !options.host.starts_with("[")
          ? "[" + options.host + "]"
          : options.host;
  out << "serving http://" << shown << ":" << port << "/" << std::endl;
  spdlog::info("serve: dashboard of {} on http://{}:{}/ (stop with Ctrl-C)",
               data.DatabaseLocation(), shown, port);
  server.Listen();
  done = true;
  watcher.join();
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  spdlog::info("serve: stopped");
}

}  // namespace loadcast::web
