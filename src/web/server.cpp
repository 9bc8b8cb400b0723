#include "web/server.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <httplib.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/printable.hpp"
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
/// Seconds one read or write of the socket may wait; the request's own deadlines
/// (dashboard.header_timeout_seconds and body_timeout_seconds) bound the whole request.
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
/// The most bytes of a request's line and headers read; beyond, the connection is closed.
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;
/// Of a refused request's body, the most read and dropped (for at most kDrainTime) before the
/// connection is closed, so that the client reads the refusal instead of a reset.
constexpr std::size_t kMaxDrainedBytes = 1024 * 1024;
constexpr std::chrono::milliseconds kDrainTime{1000};
/// How often a wait for a client checks whether the server is stopping.
constexpr std::chrono::milliseconds kStopCheck{100};
/// The headers of every answer (docs/dashboard.md, "Under attack"): the page and its scripts
/// and styles come from the server itself, and no other site may frame it or learn its address.
const httplib::Headers kSecurityHeaders = {
    {"X-Content-Type-Options", "nosniff"},
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
     "frame-ancestors 'none'"},
    {"X-Frame-Options", "DENY"},
    {"Referrer-Policy", "no-referrer"},
};
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

/// Set by a handler that refuses a request whose body it does not read: the connection is
/// closed after the answer, so that the body is never taken for the next request.
thread_local bool close_after_request = false;
/// Set when the request being read missed its deadline, so that its answer is 408.
thread_local bool request_timed_out = false;

/// The connections of each client address that are receiving a request's headers: from its
/// first byte to the empty line after its headers. A client that sends its requests whole is
/// counted only for the moment it takes to read them; a slow one for as long as it trickles.
class ClientCounter {
 public:
  explicit ClientCounter(int limit) : limit_(limit) {}
  /// Counts one more connection of `client`, unless it has `limit` already.
  bool TryEnter(const std::string& client) {
    const std::lock_guard guard(mutex_);
    int& count = counts_[client];
    if (count >= limit_) return false;
    ++count;
    return true;
  }
  void Enter(const std::string& client) {
    const std::lock_guard guard(mutex_);
    ++counts_[client];
  }
  void Leave(const std::string& client) {
    const std::lock_guard guard(mutex_);
    const auto it = counts_.find(client);
    if (it != counts_.end() && --it->second <= 0) counts_.erase(it);
  }

 private:
  int limit_;
  std::mutex mutex_;
  std::map<std::string, int> counts_;
};

/// What a connection may send, from the dashboard settings.
struct RequestLimits {
  std::size_t max_body_bytes = 0;
  std::chrono::milliseconds header_timeout{0};
  std::chrono::milliseconds body_timeout{0};
};

std::chrono::milliseconds Milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

/// The numeric address and port of a socket's peer (or its own end).
void AddressOf(socket_t sock, bool peer, std::string& ip, int& port) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  auto* raw = reinterpret_cast<sockaddr*>(&address);
  ip.clear();
  port = 0;
  if ((peer ? getpeername(sock, raw, &length) : getsockname(sock, raw, &length)) != 0) return;
  std::array<char, NI_MAXHOST> host{};
  std::array<char, NI_MAXSERV> service{};
  if (getnameinfo(raw, length, host.data(), host.size(), service.data(), service.size(),
                  NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host.data();
    port = std::atoi(service.data());
  }
}

/// A connection's socket as httplib reads and writes it, with the request's deadlines and size
/// limits enforced as the bytes arrive: a request's line and headers must come within the header
/// timeout and kMaxHeaderBytes, its body within the body timeout and the body limit. A read past
/// a deadline or limit fails, and httplib then closes the connection. The connection counts for
/// its client in ClientCounter while it waits for the rest of a request's headers; a connection's
/// first request is refused (LimitRefused) when it would wait so while its client has as many
/// counted already.
class GuardedStream : public httplib::Stream {
 public:
  GuardedStream(socket_t sock, const std::atomic<socket_t>& server_socket,
                const RequestLimits& limits, ClientCounter& clients)
      : sock_(sock), server_socket_(server_socket), limits_(limits), clients_(clients) {
    int port = 0;
    AddressOf(sock_, true, client_, port);
  }
  ~GuardedStream() override { StopWaiting(); }
  GuardedStream(const GuardedStream&) = delete;
  GuardedStream& operator=(const GuardedStream&) = delete;

  /// Starts the connection's first request.
  void Admit() {
    first_request_ = true;
    StartHeaders();
  }

  /// Waits at most `idle` for the next request on the connection; false when none started.
  bool AwaitNextRequest(std::chrono::milliseconds idle) {
    if (pos_ == len_ && !WaitReadable(std::chrono::steady_clock::now() + idle)) return false;
    first_request_ = false;
    StartHeaders();
    return true;
  }

  /// Whether the first request had to wait for the rest of its headers when its client had as
  /// many connections waiting so as it may: it is to be refused.
  bool LimitRefused() const { return limit_refused_; }

  /// Reads and drops what the client still sends (at most kMaxDrainedBytes, for kDrainTime),
  /// after the answer went out, so that closing does not reset the connection under it.
  void Drain() {
    ::shutdown(sock_, SHUT_WR);
    std::size_t drained = len_ - pos_;
    pos_ = len_;
    const auto until = std::chrono::steady_clock::now() + kDrainTime;
    while (drained < kMaxDrainedBytes && WaitReadable(until)) {
      const ssize_t got = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      if (got <= 0) break;
      drained += static_cast<std::size_t>(got);
    }
  }

  bool is_readable() const override {
    if (pos_ < len_) return true;
    pollfd p{sock_, POLLIN, 0};
    return ::poll(&p, 1, 0) > 0;
  }
  bool is_writable() const override {
    pollfd p{sock_, POLLOUT, 0};
    return ::poll(&p, 1, static_cast<int>(kWriteTimeoutSeconds * 1000)) > 0;
  }

  ssize_t read(char* ptr, std::size_t size) override {
    if (pos_ == len_) {
      const bool starts = in_headers_ && header_bytes_ == 0;
      if (in_headers_ && !starts && !waiting_) {
        // A later request's headers stopped short of their end: the connection waits on its
        // client from now until they end.
        clients_.Enter(client_);
        waiting_ = true;
      }
      if (!Fill()) return -1;
      if (starts && !HeadersEndInBuffer()) {
        // The request's first bytes, without the end of its headers: until they end, the
        // connection waits on its client and counts for it. Headers that come whole never
        // count, however slowly the server gets to parse them. A first request beyond the limit
        // is refused before httplib sees a byte of it.
        if (!first_request_) {
          clients_.Enter(client_);
        } else if (!clients_.TryEnter(client_)) {
          limit_refused_ = true;
          return -1;
        }
        waiting_ = true;
      }
    }
    std::size_t n = std::min(size, len_ - pos_);
    if (in_headers_) {
      if (header_bytes_ + n > kMaxHeaderBytes) return -1;
      // The headers end at the first empty line: its CRLF CRLF is looked for byte by byte.
      for (std::size_t i = 0; i < n; ++i) {
        const char c = buffer_[pos_ + i];
        const char expected = (matched_ % 2 == 0) ? '\r' : '\n';
        matched_ = c == expected ? matched_ + 1 : (c == '\r' ? 1 : 0);
        if (matched_ == 4) {
          n = i + 1;
          StartBody();
          break;
        }
      }
      header_bytes_ += n;
    } else {
      if (body_bytes_ >= limits_.max_body_bytes) return -1;
      n = std::min(n, limits_.max_body_bytes - body_bytes_);
      body_bytes_ += n;
    }
    std::copy_n(buffer_.data() + pos_, n, ptr);
    pos_ += n;
    return static_cast<ssize_t>(n);
  }

  ssize_t write(const char* ptr, std::size_t size) override {
    if (!is_writable()) return -1;
    return ::send(sock_, ptr, size, MSG_NOSIGNAL);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(sock_, true, ip, port);
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    AddressOf(sock_, false, ip, port);
  }
  socket_t socket() const override { return sock_; }

 private:
  void StartHeaders() {
    StopWaiting();
    in_headers_ = true;
    matched_ = 0;
    header_bytes_ = 0;
    body_bytes_ = 0;
    deadline_ = std::chrono::steady_clock::now() + limits_.header_timeout;
  }
  void StartBody() {
    in_headers_ = false;
    deadline_ = std::chrono::steady_clock::now() + limits_.body_timeout;
    StopWaiting();
  }
  void StopWaiting() {
    if (!waiting_) return;
    waiting_ = false;
    clients_.Leave(client_);
  }

  /// Whether the buffered bytes hold the end of the headers (an empty line).
  bool HeadersEndInBuffer() const {
    const std::string_view buffered(buffer_.data() + pos_, len_ - pos_);
    return buffered.find("\r\n\r\n") != std::string_view::npos;
  }

  /// Waits until the socket has bytes to read, `until` passes or the server stops.
  bool WaitReadable(std::chrono::steady_clock::time_point until) const {
    while (server_socket_ != INVALID_SOCKET) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{sock_, POLLIN, 0};
      const int ready = ::poll(&p, 1, static_cast<int>(std::min(left, kStopCheck).count()));
      if (ready > 0) return true;
      if (ready < 0 && errno != EINTR) return false;
    }
    return false;
  }

  /// Refills the buffer before the request's deadline; false when no byte came (and
  /// request_timed_out set when the deadline passed).
  bool Fill() {
    for (;;) {
      if (!WaitReadable(deadline_)) {
        // Not stopping: the deadline passed (or the socket failed, as good as never coming).
        if (server_socket_ != INVALID_SOCKET) request_timed_out = true;
        // A request that stopped arriving no longer counts: the connection ends with it.
        StopWaiting();
        return false;
      }
      const ssize_t got = ::recv(sock_, buffer_.data(), buffer_.size(), 0);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      pos_ = 0;
      len_ = static_cast<std::size_t>(got);
      return true;
    }
  }

  socket_t sock_;
  const std::atomic<socket_t>& server_socket_;
  const RequestLimits& limits_;
  ClientCounter& clients_;
  std::string client_;
  bool waiting_ = false;  // counted in clients_
  bool first_request_ = true;
  bool limit_refused_ = false;
  std::array<char, 4096> buffer_{};
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool in_headers_ = true;
  int matched_ = 0;  // bytes of CRLF CRLF just read
  std::size_t header_bytes_ = 0;
  std::size_t body_bytes_ = 0;
  std::chrono::steady_clock::time_point deadline_;
};

/// httplib's server, with a deeper accept queue than the library's own (5 connections), and its
/// connections read through GuardedStream: a request's deadlines and limits hold from its first
/// byte, and a client may keep only so many connections waiting for the rest of their headers.
class HttpServer : public httplib::Server {
 public:
  HttpServer(const RequestLimits& limits, int connections_per_client)
      : limits_(limits), clients_(connections_per_client) {}

  /// Sets the accept queue of the bound socket to `backlog` connections.
  void SetBacklog(int backlog) {
    const socket_t sock = svr_sock_;
    if (sock != INVALID_SOCKET) ::listen(sock, backlog);
  }

 protected:
  bool process_and_close_socket(socket_t sock) override {
    bool served = false;
    {
      GuardedStream stream(sock, svr_sock_, limits_, clients_);
      stream.Admit();
      const auto idle = std::chrono::seconds(keep_alive_timeout_sec_);
      for (std::size_t left = keep_alive_max_count_; left > 0; --left) {
        if (svr_sock_ == INVALID_SOCKET) break;
        if (left != keep_alive_max_count_ && !stream.AwaitNextRequest(idle)) break;
        bool closed = false;
        close_after_request = false;
        request_timed_out = false;
        served = process_request(stream, left == 1, closed, nullptr);
        if (stream.LimitRefused()) Refuse(stream);
        if (request_timed_out) closed = true;
        if (close_after_request) {
          stream.Drain();
          closed = true;
        }
        if (!served || closed) break;
      }
    }
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
    return served;
  }

 private:
  /// Answers a connection its client may not use now: 503, at once, without reading the rest of it.
  static void Refuse(GuardedStream& stream) {
    const std::string body =
        json{{"error",
              {{"status", 503},
               {"message", "too many connections from this address are still sending a request"}}}}
            .dump();
    std::string head = "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n";
    for (const auto& [name, value] : kSecurityHeaders) head += name + ": " + value + "\r\n";
    head += fmt::format("Content-Type: {}\r\nContent-Length: {}\r\n\r\n", kJson, body.size());
    const std::string answer = head + body;
    stream.write(answer.data(), answer.size());
  }

  RequestLimits limits_;
  ClientCounter clients_;
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
  // Bytes that are not UTF-8 (which the request checks refuse first) would not stop the answer.
  res.set_content(json{{"error", {{"status", status}, {"message", message}}}}.dump(
                      -1, ' ', false, json::error_handler_t::replace),
                  kJson);
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

/// Who may make an API request.
enum class Access {
  kRead,          // the token only beyond loopback
  kWrite,         // the token when one is set, a same-origin request and the CSRF token
  kUnknownWrite,  // a method no route takes: the token when one is set, before saying so
};

/// Whether a request is one a browser may send to another site without asking it first.
bool IsSafeMethod(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

/// A text of `bytes` random bytes in hex, from the kernel's generator.
std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> random(bytes);
  std::size_t filled = 0;
  while (filled < bytes) {
    const ssize_t got = getrandom(random.data() + filled, bytes - filled, 0);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw Error("serve: the system's random generator failed");
    }
    filled += static_cast<std::size_t>(got);
  }
  std::string hex;
  for (const unsigned char b : random) hex += fmt::format("{:02x}", b);
  return hex;
}

/// `text` in lower case (host names compare so).
std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

/// A Host value as name and port ("" when none): "[::1]:8080" is "[::1]" and "8080".
std::pair<std::string, std::string> SplitHost(std::string_view host) {
  std::size_t colon = std::string_view::npos;
  if (host.starts_with("[")) {
    const std::size_t close = host.find(']');
    if (close == std::string_view::npos) return {Lower(host), ""};
    if (close + 1 < host.size() && host[close + 1] == ':') colon = close + 1;
  } else {
    colon = host.rfind(':');
  }
  if (colon == std::string_view::npos) return {Lower(host), ""};
  return {Lower(host.substr(0, colon)), std::string(host.substr(colon + 1))};
}

/// The names of a comma-separated list, trimmed and in lower case.
std::vector<std::string> ListedHosts(std::string_view list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string_view entry = list.substr(start, comma - start);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (!entry.empty()) out.push_back(Lower(entry));
    start = comma + 1;
  }
  return out;
}

/// Whether `name` is an IP address literal (IPv6 in brackets), which DNS cannot rebind.
bool IsIpLiteral(const std::string& name) {
  unsigned char address[sizeof(in6_addr)];
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    return inet_pton(AF_INET6, name.substr(1, name.size() - 2).c_str(), address) == 1;
  }
  return inet_pton(AF_INET, name.c_str(), address) == 1;
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
  if (!header.starts_with(kScheme)) return false;
  return SecretMatches(header.substr(kScheme.size()), token);
}

bool HostMatches(std::string_view host, std::string_view bound_host, int port,
                 std::string_view allowed) {
  const auto [name, given_port] = SplitHost(host);
  if (name.empty()) return false;
  // A listed name with a port takes that port; a listed name alone takes the bound one.
  for (const std::string& entry : ListedHosts(allowed)) {
    if (entry == Lower(host)) return true;
  }
  if (given_port.empty() ? port != 80 : given_port != std::to_string(port)) return false;
  std::string bound = Lower(bound_host);
  if (bound.find(':') != std::string::npos && !bound.starts_with("[")) bound = "[" + bound + "]";
  if (name == bound) return true;
  if (IsLoopback(bound) && (name == "localhost" || (IsIpLiteral(name) && IsLoopback(name)))) {
    return true;
  }
  if ((bound == "0.0.0.0" || bound == "[::]" || bound.empty()) && IsIpLiteral(name)) return true;
  const std::vector<std::string> listed = ListedHosts(allowed);
  return std::find(listed.begin(), listed.end(), name) != listed.end();
}

bool SecretMatches(std::string_view given, std::string_view secret) {
  if (secret.empty()) return false;
  const std::string_view token = secret;
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
  RequestLimits limits;
  HttpServer server;
  /// The port bound (Bind), which a request's Host must name.
  int port = 0;
  /// The page's CSRF token: random for each server, given to the page in its meta tag and
  /// required on every state-changing request.
  std::string csrf_token = RandomHex(32);
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
      : data(d),
        config(c),
        options(std::move(o)),
        loopback(IsLoopback(options.host)),
        limits{static_cast<std::size_t>(c.dashboard.max_body_bytes),
               Milliseconds(c.dashboard.header_timeout_seconds),
               Milliseconds(c.dashboard.body_timeout_seconds)},
        server(limits, c.dashboard.max_connections_per_client) {}

  /// Refuses `req` with `status` and closes the connection after the answer, so that a body it
  /// did not read is not taken for another request.
  static httplib::Server::HandlerResponse RefuseAndClose(httplib::Response& res, int status,
                                                         const std::string& message) {
    SendError(res, status, message);
    res.set_header("Connection", "close");
    close_after_request = true;
    return httplib::Server::HandlerResponse::Handled;
  }

  /// What every request passes before routing: a body within the limit (on every method), a
  /// path and parameters in UTF-8, and a Host naming this server.
  httplib::Server::HandlerResponse Screen(const httplib::Request& req, httplib::Response& res) {
    if (req.has_header("Transfer-Encoding")) {
      return RefuseAndClose(res, 411, "a request body must come with Content-Length, not chunked");
    }
    if (req.has_header("Content-Length")) {
      const std::string text = req.get_header_value("Content-Length");
      uint64_t length = 0;
      const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), length);
      if (error != std::errc() || end != text.data() + text.size()) {
        return RefuseAndClose(res, 400, "Content-Length is not a whole number");
      }
      if (length > limits.max_body_bytes) {
        return RefuseAndClose(res, 413,
                              fmt::format("the request body of {} bytes is larger than {} bytes "
                                          "(dashboard.max_body_bytes)",
                                          length, limits.max_body_bytes));
      }
      // httplib reads no body of these methods: the connection ends with the answer.
      if (length > 0 && IsSafeMethod(req.method)) close_after_request = true;
    } else if (req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
      return RefuseAndClose(res, 411, fmt::format("{} needs a Content-Length", req.method));
    }
    bool utf8 = IsValidUtf8(req.path);
    for (const auto& [name, value] : req.params)
      utf8 = utf8 && IsValidUtf8(name) && IsValidUtf8(value);
    if (!utf8) {
      SendError(res, 400,
                fmt::format("the request path or query is not UTF-8: {}",
                            EscapeControlBytes(req.target)));
      return httplib::Server::HandlerResponse::Handled;
    }
    if (!HostMatches(req.get_header_value("Host"), options.host, port,
                     config.dashboard.allowed_hosts)) {
      SendError(res, 421,
                fmt::format("this server does not answer to Host '{}': it is {}:{} (other names "
                            "go in dashboard.allowed_hosts)",
                            EscapeControlBytes(req.get_header_value("Host")), options.host, port));
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  /// Why a state-changing request may not be made from where it comes, or "" when it may: it
  /// must come from the server's own page (Origin and Sec-Fetch-Site, when the browser sends
  /// them) and carry the page's CSRF token.
  std::string CrossSiteRefusal(const httplib::Request& req) const {
    if (req.has_header("Origin") &&
        req.get_header_value("Origin") != "http://" + req.get_header_value("Host")) {
      return fmt::format(
          "{} {} from origin '{}' is refused: only the dashboard's own page may "
          "change anything",
          req.method, req.path, EscapeControlBytes(req.get_header_value("Origin")));
    }
    if (req.has_header("Sec-Fetch-Site") &&
        req.get_header_value("Sec-Fetch-Site") != "same-origin") {
      return fmt::format(
          "{} {} from a {} page is refused: only the dashboard's own page may "
          "change anything",
          req.method, req.path, EscapeControlBytes(req.get_header_value("Sec-Fetch-Site")));
    }
    if (!SecretMatches(req.get_header_value(kCsrfHeader), csrf_token)) {
      return fmt::format("{} {} needs the page's CSRF token in {} (from its meta tag {})",
                         req.method, req.path, kCsrfHeader, kCsrfMetaName);
    }
    return "";
  }

  /// Answers an API request: checks the token where one is required (and for a write, that it
  /// comes from the dashboard's page), then runs `answer` with the controller locked and maps
  /// loadcast's errors to HTTP statuses.
  void Api(const httplib::Request& req, httplib::Response& res, Access access,
           const std::function<json()>& answer) {
    res.set_header("Cache-Control", "no-store");
    const bool writes = access == Access::kWrite;
    if (!options.token.empty() && (access != Access::kRead || !loopback) &&
        !BearerMatches(req.get_header_value("Authorization"), options.token)) {
      res.set_header("WWW-Authenticate", "Bearer");
      SendError(res, 401,
                fmt::format("{} {} needs the dashboard token: Authorization: Bearer <token>",
                            req.method, req.path));
      return;
    }
    if (writes) {
      if (const std::string refusal = CrossSiteRefusal(req); !refusal.empty()) {
        SendError(res, 403, refusal);
        return;
      }
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

  /// The page, with this server's CSRF token in its meta tag for the script to send.
  void Page(httplib::Response& res) {
    const auto asset = FindAsset("index.html");
    if (!asset) {
      SendError(res, 404, "there is no asset index.html");
      return;
    }
    std::string page(asset->bytes.begin(), asset->bytes.end());
    const std::size_t head_end = page.find("</head>");
    if (head_end != std::string::npos) {
      page.insert(head_end,
                  fmt::format("<meta name=\"{}\" content=\"{}\">\n", kCsrfMetaName, csrf_token));
    }
    res.set_header("Cache-Control", "no-store");
    res.set_content(page, asset->content_type.c_str());
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
      // The token is checked before the path: without it, an unknown path tells nothing.
      Api(req, res, IsSafeMethod(req.method) ? Access::kRead : Access::kUnknownWrite,
          [&]() -> json {
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
    server.set_payload_max_length(limits.max_body_bytes);
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
    server.set_default_headers(kSecurityHeaders);
    // The path is logged with its control bytes escaped: "%0a" cannot forge a log line.
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      spdlog::info("{} {} {}", EscapeControlBytes(req.method), EscapeControlBytes(req.path),
                   res.status);
    });
    server.set_pre_routing_handler(
        [this](const httplib::Request& req, httplib::Response& res) { return Screen(req, res); });
    // What httplib refuses itself (a request it cannot read) is answered as JSON too.
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& res) {
          if (request_timed_out) {
            res.set_header("Connection", "close");
            SendError(res, 408,
                      fmt::format("the request did not arrive in time (headers within {} s, the "
                                  "body within {} s)",
                                  config.dashboard.header_timeout_seconds,
                                  config.dashboard.body_timeout_seconds));
            return httplib::Server::HandlerResponse::Handled;
          }
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
    const auto index = [this](const httplib::Request&, httplib::Response& res) { Page(res); };
    route("GET", "/", index);
    route("GET", "/index.html", index);
    route("GET", "/assets/(.+)", [this](const httplib::Request& req, httplib::Response& res) {
      Asset(req.matches[1].str(), res);
    });

    const auto get = [this, route](const std::string& pattern,
                                   std::function<json(const httplib::Request&)> answer) {
      route("GET", pattern, [this, answer](const httplib::Request& req, httplib::Response& res) {
        Api(req, res, Access::kRead, [&] { return answer(req); });
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
            Api(req, res, Access::kWrite, [&] {
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
  if (!impl_->loopback && impl_->options.token.size() < kMinTokenLength) {
    throw UsageError(fmt::format(
        "serve: binding to {} (not a loopback address) needs a token of at least {} characters "
        "in {}; it has {}",
        impl_->options.host, kMinTokenLength, kTokenVariable, impl_->options.token.size()));
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
  impl_->port = port;
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
