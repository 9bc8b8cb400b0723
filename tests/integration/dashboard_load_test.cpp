// The dashboard under load, on the real binary: `loadcast serve` holds many concurrent keep-alive
// clients (wrk with tests/load/dashboard.lua, rotating over the requests the page makes) for a
// while with no socket error and no unexpected status, keeps its memory flat, and afterwards
// still answers and stops cleanly on SIGTERM. LOADCAST_LOAD_SECONDS and
// LOADCAST_LOAD_CONNECTIONS (defaults 30 and 200) make it a longer or wider stress run,
// LOADCAST_LOAD_MAX_GROWTH_MB (default 20) the memory growth allowed after its fifth second.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using nlohmann::json;
using testing::BackgroundProcess;
using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::ShellQuote;
using testing::TempDir;

/// A whole positive number from the environment variable `name`, or `fallback` when unset.
int EnvCount(const char* name, int fallback) {
  const char* text = std::getenv(name);
  if (!text || !*text) return fallback;
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (*end != '\0' || value <= 0 || value > 1'000'000) {
    ADD_FAILURE() << name << "='" << text << "' is not a positive whole number; using " << fallback;
    return fallback;
  }
  return static_cast<int>(value);
}

/// The resident set size of process `pid` in kB (VmRSS), -1 when it cannot be read.
long ResidentKb(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

/// The number of threads of process `pid`, -1 when it cannot be read.
long Threads(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("Threads:")) return std::strtol(line.c_str() + 8, nullptr, 10);
  }
  return -1;
}

/// Runs a shell command; its exit status and what it wrote on standard output and error.
std::pair<int, std::string> Shell(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  char buffer[4096];
  while (const std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

TEST(DashboardLoadTest, HoldsConcurrentClientsWithNoErrorAndFlatMemory) {
  const int seconds = EnvCount("LOADCAST_LOAD_SECONDS", 30);
  const int connections = EnvCount("LOADCAST_LOAD_CONNECTIONS", 200);
  // A leak grows with the requests served; what the server needs for its connections is in
  // place after the first seconds (LOADCAST_LOAD_MAX_GROWTH_MB for long runs).
  const long max_growth_kb = 1024L * EnvCount("LOADCAST_LOAD_MAX_GROWTH_MB", 20);
  constexpr int kBaselineSecond = 5;
  // Generous: the answers are a few milliseconds each, on two shared cores.
  const long min_requests = std::max(100L, 1000L * seconds / 30);

  ASSERT_EQ(Shell("command -v wrk").first, 0)
      << "wrk is not installed: run scripts/install-deps.sh (or apt-get install -y wrk)";

  TempDir dir;
  const auto run = [&](const std::vector<std::string>& args) {
    const auto r = Loadcast(dir.path(), args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  ASSERT_NO_FATAL_FAILURE(run({"ingest", BundledData().string()}));
  ASSERT_NO_FATAL_FAILURE(run({"run", "--target-year", "2020", "--horizon", "year"}));
  ASSERT_NO_FATAL_FAILURE(run({"run", "--target-year", "2020", "--horizon", "day"}));
  ASSERT_NO_FATAL_FAILURE(run({"monitor", "--target-year", "2020", "--as-of", "2020-03-31"}));
  std::string run_ids;
  for (const json& r : Json(Loadcast(dir.path(), {"runs", "--json"}))) {
    run_ids += " " + std::to_string(r["id"].get<int64_t>());
  }
  ASSERT_FALSE(run_ids.empty());

  BackgroundProcess server(dir.path(), {"serve", "--port", "0"});
  const std::string line = server.FirstLine();
  std::smatch match;
  ASSERT_TRUE(std::regex_match(line, match, std::regex(R"(serving http://127\.0\.0\.1:(\d+)/)")))
      << "first line: '" << line << "'";
  const int port = std::stoi(match[1].str());
  const pid_t pid = server.pid();
  ASSERT_GT(pid, 0);

  // VmRSS every second while wrk runs, from second 0 (before the first request).
  std::vector<long> rss;
  std::vector<long> threads;
  std::atomic<bool> loading = true;
  std::thread sampler([&] {
    auto next = std::chrono::steady_clock::now();
    while (loading) {
      rss.push_back(ResidentKb(pid));
      threads.push_back(Threads(pid));
      next += std::chrono::seconds(1);
      std::this_thread::sleep_until(next);
    }
  });
  const std::string script =
      (std::filesystem::path(LOADCAST_SOURCE_DIR) / "tests/load/dashboard.lua").string();
  const std::string command = "wrk -t2 -c" + std::to_string(connections) + " -d" +
                              std::to_string(seconds) + "s --timeout 10s --latency -s " +
                              ShellQuote(script) + " http://127.0.0.1:" + std::to_string(port) +
                              " --" + run_ids;
  const auto [wrk_status, output] = Shell(command);
  loading = false;
  sampler.join();

  std::cout << "$ " << command << "\n" << output;
  ASSERT_EQ(wrk_status, 0) << output;
  const std::size_t at = output.find("loadcast-load: ");
  ASSERT_NE(at, std::string::npos) << "no result line from tests/load/dashboard.lua";
  const std::size_t end = output.find('\n', at);
  const json result =
      json::parse(output.substr(at + 15, end == std::string::npos ? end : end - at - 15));

  const double duration = result["duration_us"].get<double>() / 1e6;
  const int64_t requests = result["requests"];
  const json& latency = result["latency_us"];
  std::cout << "load: " << connections << " connections for " << seconds << " s: " << requests
            << " requests, " << static_cast<int64_t>(requests / duration) << " requests/s, latency"
            << " p50 " << latency["p50"].get<int64_t>() / 1000.0 << " ms, p90 "
            << latency["p90"].get<int64_t>() / 1000.0 << " ms, p99 "
            << latency["p99"].get<int64_t>() / 1000.0 << " ms, max "
            << latency["max"].get<int64_t>() / 1000.0 << " ms\n";
  std::cout << "server VmRSS (MB) each second:";
  for (const long kb : rss) std::cout << " " << (kb + 512) / 1024;
  std::cout << "\nserver threads each second:";
  for (const long n : threads) std::cout << " " << n;
  std::cout << std::endl;

  // Errors: none at all.
  const json& errors = result["errors"];
  EXPECT_EQ(errors["connect"], 0) << output;
  EXPECT_EQ(errors["read"], 0) << output;
  EXPECT_EQ(errors["write"], 0) << output;
  EXPECT_EQ(errors["timeout"], 0) << output;
  // Every answer a 200 but the deliberate 404s, which came back as the API's 404.
  for (const auto& [status, count] : result["statuses"].items()) {
    EXPECT_EQ(status, "200") << count << " answers with status " << status;
  }
  EXPECT_GT(result["expected_404"].get<int64_t>(), 0);
  EXPECT_EQ(errors["status"], result["expected_404"]);
  EXPECT_EQ(result["empty_bodies"], 0);
  EXPECT_GE(requests, min_requests);

  // Memory: flat once the connections are in place.
  ASSERT_GT(rss.size(), static_cast<std::size_t>(kBaselineSecond + 1));
  for (const long kb : rss) ASSERT_GT(kb, 0) << "the server ended during the load";
  const long baseline = rss[kBaselineSecond];
  const long last = rss.back();
  std::cout << "server VmRSS: " << baseline / 1024 << " MB at " << kBaselineSecond << " s, "
            << last / 1024 << " MB at " << rss.size() - 1 << " s" << std::endl;
  EXPECT_LE(last - baseline, max_growth_kb)
      << "VmRSS grew from " << baseline << " kB to " << last << " kB";

  // Afterwards: still up, answering correctly, and stopping cleanly.
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(std::chrono::seconds(10));
  const auto overview = client.Get("/api/overview");
  ASSERT_TRUE(overview) << "no answer after the load";
  EXPECT_EQ(overview->status, 200);
  EXPECT_EQ(json::parse(overview->body)["latest_target_year"], 2020);
  const auto year = client.Get("/api/years/2020?horizon=year");
  ASSERT_TRUE(year);
  EXPECT_EQ(year->status, 200);
  EXPECT_EQ(json::parse(year->body)["days"].size(), 366u);
  const auto missing = client.Get("/api/no-such-endpoint");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace loadcast
