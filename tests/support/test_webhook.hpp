// A webhook receiver for tests: an HTTP server on a free loopback port, in a thread, that records
// every POST it receives and answers with a chosen status.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace loadcast::testing {

/// One POST a TestWebhook received.
struct ReceivedPost {
  std::string path;
  std::string query;  // "name=value;" per parameter, as the server decoded them
  std::string content_type;
  std::string authorization;
  std::string body;
};

class TestWebhook {
 public:
  explicit TestWebhook(int status = 200) {
    server_.Post(
        ".*", [this, status](const httplib::Request& request, httplib::Response& response) {
          std::string query;
          for (const auto& [name, value] : request.params) query += name + "=" + value + ";";
          std::lock_guard lock(mutex_);
          received_.push_back({request.path, query, request.get_header_value("Content-Type"),
                               request.get_header_value("Authorization"), request.body});
          response.status = status;
        });
    // Bound and listening once this returns: a client may connect before the thread accepts.
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      stopped_ = true;
    });
  }
  ~TestWebhook() {
    // stop() does nothing before the server runs: wait for it (or for its failure to start).
    while (!server_.is_running() && !stopped_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    server_.stop();
    thread_.join();
  }
  TestWebhook(const TestWebhook&) = delete;
  TestWebhook& operator=(const TestWebhook&) = delete;

  std::string Url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<ReceivedPost> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> stopped_ = false;
  std::mutex mutex_;
  std::vector<ReceivedPost> received_;
};

/// A loopback port nothing listens on (bound, then released).
inline int ClosedLoopbackPort() {
  httplib::Server server;
  return server.bind_to_any_port("127.0.0.1");
}

}  // namespace loadcast::testing
