// HTTP over a plain POSIX socket, for tests that send what no client library would: partial
// headers, bodies on GET, raw bytes in a path, or a connection from a chosen local address.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace loadcast::testing {

/// One TCP connection to 127.0.0.1:port, optionally from `local_address` (any 127.x address
/// works on Linux loopback, so that a test can be another client).
class RawConnection {
 public:
  explicit RawConnection(int port, const std::string& local_address = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    if (!local_address.empty()) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      inet_pton(AF_INET, local_address.c_str(), &local.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) Close();
    }
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    if (fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
      Close();
    }
  }
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return fd_ >= 0; }

  /// Sends all of `bytes`; false when the connection failed.
  bool Send(std::string_view bytes) {
    while (fd_ >= 0 && !bytes.empty()) {
      const ssize_t sent = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    }
    return fd_ >= 0;
  }

  /// What the server sends until it closes the connection, an answer with a Content-Length is
  /// complete, or `timeout` passes.
  std::string Receive(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::string got;
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (fd_ >= 0 && !Complete(got)) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char buffer[4096];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      got.append(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }

  /// Whether the server closed the connection (a read finds its end, or a reset) within
  /// `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (fd_ >= 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          until - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
      char buffer[4096];
      if (::recv(fd_, buffer, sizeof buffer, 0) <= 0) return true;
    }
    return true;
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  static bool Complete(const std::string& got) {
    const std::size_t end = got.find("\r\n\r\n");
    if (end == std::string::npos) return false;
    const std::string head = got.substr(0, end);
    const std::size_t at = head.find("Content-Length: ");
    if (at == std::string::npos) return false;
    return got.size() >= end + 4 + std::stoul(head.substr(at + 16));
  }

  int fd_ = -1;
};

/// The status of a raw answer ("HTTP/1.1 413 ..." gives 413), 0 when there is none.
inline int StatusOf(const std::string& answer) {
  if (answer.size() < 12 || !answer.starts_with("HTTP/1.")) return 0;
  return std::stoi(answer.substr(9, 3));
}

/// The body of a raw answer (after its headers).
inline std::string BodyOf(const std::string& answer) {
  const std::size_t end = answer.find("\r\n\r\n");
  return end == std::string::npos ? "" : answer.substr(end + 4);
}

}  // namespace loadcast::testing
