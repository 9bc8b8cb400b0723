// An S3-compatible server for tests: s3rver (tests/s3, installed with `npm ci --prefix tests/s3`)
// started on a free loopback port in a temporary folder and stopped with its process group, or
// the server at LOADCAST_TEST_S3_ENDPOINT when CI runs one itself.
#pragma once

#include <fcntl.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.hpp"
#include "storage/sigv4.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace loadcast::testing {

class S3Server {
 public:
  /// s3rver's built-in credentials (it checks signatures against them).
  static constexpr const char* kAccessKey = "S3RVER";
  static constexpr const char* kSecretKey = "S3RVER";

  S3Server() {
    if (const char* external = std::getenv("LOADCAST_TEST_S3_ENDPOINT");
        external != nullptr && *external != '\0') {
      endpoint_ = external;
      while (!endpoint_.empty() && endpoint_.back() == '/') endpoint_.pop_back();
      return;
    }
    const auto script =
        std::filesystem::path(LOADCAST_SOURCE_DIR) / "tests/s3/node_modules/s3rver/bin/s3rver.js";
    if (!std::filesystem::exists(script)) {
      skip_reason_ =
          "no S3 server: run `npm ci --prefix tests/s3` (installs s3rver) or set "
          "LOADCAST_TEST_S3_ENDPOINT";
      return;
    }
    Start(script);
  }
  ~S3Server() { Stop(); }
  S3Server(const S3Server&) = delete;
  S3Server& operator=(const S3Server&) = delete;

  /// Whether a server is there; if not, skip_reason() says why.
  bool available() const { return !endpoint_.empty(); }
  const std::string& skip_reason() const { return skip_reason_; }
  /// "http://127.0.0.1:PORT".
  const std::string& endpoint() const { return endpoint_; }
  /// "127.0.0.1:PORT".
  std::string authority() const { return endpoint_.substr(endpoint_.find("://") + 3); }

  /// A new bucket with a name no other test uses; empty (with skip_reason() set) on failure.
  std::string NewBucket() {
    static int counter = 0;
    std::random_device random;
    const std::string name = "lc-" + std::to_string(getpid()) + "-" + std::to_string(++counter) +
                             "-" + std::to_string(random() % 100000);
    return CreateBucket(name) ? name : "";
  }

  /// Creates a bucket with a signed PUT; true when it exists afterwards.
  bool CreateBucket(const std::string& name) {
    const std::string host = authority();
    sigv4::Request request{
        .method = "PUT", .path = "/" + name, .query = {}, .headers = {}, .payload_hash = ""};
    request.payload_hash = Sha256Hex("");
    request.headers = {{"host", host},
                       {"x-amz-date", sigv4::AmzDate(std::time(nullptr))},
                       {"x-amz-content-sha256", request.payload_hash}};
    const auto signature = sigv4::Sign(request, {kAccessKey, kSecretKey, ""}, "us-east-1", "s3");
    httplib::Client client(endpoint_);
    client.set_connection_timeout(10);
    httplib::Headers headers;
    for (const auto& [key, value] : request.headers) {
      if (key != "host") headers.emplace(key, value);
    }
    headers.emplace("Authorization", signature.authorization);
    const auto result = client.Put("/" + name, headers, "", "application/octet-stream");
    if (!result || (result->status != 200 && result->status != 409)) {
      skip_reason_ = "cannot create bucket " + name + " at " + endpoint_ +
                     (result ? ": HTTP " + std::to_string(result->status) + " " + result->body
                             : ": no answer");
      return false;
    }
    return true;
  }

 private:
  void Start(const std::filesystem::path& script) {
    int fds[2];
    if (pipe(fds) != 0) {
      skip_reason_ = "cannot create a pipe for s3rver";
      return;
    }
    const std::string data = (dir_ / "data").string();
    const std::string err = (dir_ / "s3rver.stderr").string();
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);  // its own group, so that the destructor stops node and anything it starts
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      close(fds[1]);
      const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (err_fd >= 0) dup2(err_fd, STDERR_FILENO);
      // s3rver's continuation tokens use DES, which OpenSSL 3 keeps in its legacy provider.
      std::vector<std::string> args = {"node",
                                       "--openssl-legacy-provider",
                                       script.string(),
                                       "--directory",
                                       data,
                                       "--address",
                                       "127.0.0.1",
                                       "--port",
                                       "0",
                                       "--silent"};
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp("node", argv.data());
      _exit(127);
    }
    close(fds[1]);
    if (pid_ < 0) {
      close(fds[0]);
      skip_reason_ = "cannot fork s3rver";
      return;
    }
    setpgid(pid_, pid_);
    // s3rver prints "S3rver listening on 127.0.0.1:PORT" once it accepts connections.
    const std::string marker = "S3rver listening on ";
    std::string output;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{fds[0], POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char c = 0;
      if (read(fds[0], &c, 1) != 1) break;
      output += c;
      const auto at = output.find(marker);
      if (c == '\n' && at != std::string::npos) {
        std::string address = output.substr(at + marker.size());
        while (!address.empty() && (address.back() == '\n' || address.back() == '\r')) {
          address.pop_back();
        }
        endpoint_ = "http://" + address;
        break;
      }
    }
    close(fds[0]);
    if (endpoint_.empty()) {
      skip_reason_ = "s3rver did not start: " + output + " " + Slurp(err);
      Stop();
    }
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(-pid_, SIGTERM);
    int status = 0;
    for (int i = 0; i < 50; ++i) {
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    kill(-pid_, SIGKILL);
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  TempDir dir_;
  pid_t pid_ = -1;
  std::string endpoint_;
  std::string skip_reason_;
};

}  // namespace loadcast::testing
