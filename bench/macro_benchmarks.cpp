// Whole commands, as a scheduler runs them, each in a child process: `run` of one target year on
// each horizon, the rolling backtest 2010-2021 of each horizon and of both, and the year-ahead
// run side by side with the Python reference (bench/python_reference.py: pandas and
// scikit-learn). Each timed command starts from a fresh copy of a workspace the bundled data was
// ingested into, so a run trains, gates, publishes and scores as the first run of its year does.
// Times are wall times of the process; peak_MB is its maximum resident memory. SeriesRun scales
// `series run` from 1 to 10,000 synthetic series of 16 years (`series generate`) on 1 and 2
// threads. Run with `make bench` or build/bench/loadcast_macro_bench.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "process.hpp"

namespace loadcast::bench {
namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = LOADCAST_SOURCE_DIR;
const std::string kBinary = LOADCAST_BINARY;
// The reference runs on Debian's python3-pandas and python3-sklearn, which the system
// interpreter sees; LOADCAST_BENCH_PYTHON names another.
std::string Python() {
  const char* python = std::getenv("LOADCAST_BENCH_PYTHON");
  return python != nullptr && *python != '\0' ? python : "/usr/bin/python3";
}
// Timed pairs of the side-by-side comparison (LOADCAST_BENCH_PAIRS).
int Pairs() {
  const char* pairs = std::getenv("LOADCAST_BENCH_PAIRS");
  return pairs != nullptr && std::atoi(pairs) > 0 ? std::atoi(pairs) : 9;
}

/// A folder the bundled data was ingested into (var/bucket, var/loadcast.db), made once.
const fs::path& IngestedWorkspace() {
  static const TempFolder folder;
  static const bool ingested = [] {
    const ProcessResult r = RunProcess({kBinary, "--log-level", "warn", "ingest",
                                        (kSourceDir / "data/italian-power-load/load.csv").string()},
                                       folder.path());
    if (r.exit_code != 0) throw std::runtime_error("loadcast ingest failed: " + r.err);
    return true;
  }();
  (void)ingested;
  return folder.path();
}

/// A fresh copy of the ingested workspace.
std::unique_ptr<TempFolder> CopyOfIngested() {
  auto copy = std::make_unique<TempFolder>();
  fs::copy(IngestedWorkspace(), copy->path(), fs::copy_options::recursive);
  return copy;
}

ProcessResult Loadcast(const fs::path& cwd, const std::vector<std::string>& args) {
  std::vector<std::string> argv{kBinary, "--log-level", "warn"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, cwd);
}

/// Stops the benchmark with the command's error when it failed; true when it succeeded.
bool Succeeded(benchmark::State& state, const ProcessResult& r, const std::string& what) {
  if (r.exit_code == 0) return true;
  state.SkipWithError(
      (what + " exited with " + std::to_string(r.exit_code) + ": " + r.err).c_str());
  return false;
}

double Max(const std::vector<double>& v) {
  return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
}

/// Times `commands`, one after the other in one fresh workspace, as one iteration.
void Commands(benchmark::State& state, std::vector<std::vector<std::string>> commands) {
  double peak = 0.0;
  for (auto _ : state) {
    const auto workspace = CopyOfIngested();
    double seconds = 0.0;
    for (const auto& command : commands) {
      const ProcessResult r = Loadcast(workspace->path(), command);
      if (!Succeeded(state, r, "loadcast " + command.front())) return;
      seconds += r.seconds;
      peak = std::max(peak, r.peak_mb);
    }
    state.SetIterationTime(seconds);
  }
  state.counters["peak_MB"] = peak;
}

#define LOADCAST_COMMAND_BENCHMARK(name, ...)                                           \
  BENCHMARK_CAPTURE(Commands, name, std::vector<std::vector<std::string>>{__VA_ARGS__}) \
      ->UseManualTime()                                                                 \
      ->Unit(benchmark::kMillisecond)                                                   \
      ->Iterations(1)                                                                   \
      ->Repetitions(9)                                                                  \
      ->ReportAggregatesOnly(true)                                                      \
      ->ComputeStatistics("max", Max)

LOADCAST_COMMAND_BENCHMARK(run_2021_year, {"run", "--target-year", "2021", "--horizon", "year"});
LOADCAST_COMMAND_BENCHMARK(run_2021_day, {"run", "--target-year", "2021", "--horizon", "day"});
LOADCAST_COMMAND_BENCHMARK(backtest_2010_2021_year,
                           {"backtest", "--from", "2010", "--to", "2021", "--horizon", "year"});
LOADCAST_COMMAND_BENCHMARK(backtest_2010_2021_day,
                           {"backtest", "--from", "2010", "--to", "2021", "--horizon", "day"});
LOADCAST_COMMAND_BENCHMARK(backtest_2010_2021_both_horizons,
                           {"backtest", "--from", "2010", "--to", "2021", "--horizon", "year"},
                           {"backtest", "--from", "2010", "--to", "2021", "--horizon", "day"});

/// A workspace holding `count` synthetic series of 2006-2021, generated from the bundled data and
/// ingested, made once per count.
const fs::path& SeriesWorkspace(int count) {
  static std::map<int, std::unique_ptr<TempFolder>> folders;
  auto& folder = folders[count];
  if (folder) return folder->path();
  folder = std::make_unique<TempFolder>();
  const fs::path& path = folder->path();
  const auto check = [](const ProcessResult& r, const std::string& what) {
    if (r.exit_code != 0) throw std::runtime_error("loadcast " + what + " failed: " + r.err);
  };
  check(Loadcast(path, {"ingest", (kSourceDir / "data/italian-power-load/load.csv").string()}),
        "ingest");
  check(Loadcast(path, {"series", "generate", "--count", std::to_string(count), "--from", "2006",
                        "--to", "2021", "--out", "generated"}),
        "series generate");
  std::vector<std::string> ingest = {"series", "ingest"};
  for (int year = 2006; year <= 2021; ++year) {
    ingest.push_back((path / "generated" / ("series-" + std::to_string(year) + ".csv")).string());
  }
  check(Loadcast(path, ingest), "series ingest");
  fs::remove_all(path / "generated");
  return path;
}

/// `series run --target-year 2021` of state.range(0) series on state.range(1) threads: wall time,
/// series per second of it, the fit-and-forecast step's own rate, and peak memory.
void SeriesRun(benchmark::State& state) {
  const auto count = static_cast<int>(state.range(0));
  const std::string jobs = std::to_string(state.range(1));
  const fs::path& workspace = SeriesWorkspace(count);
  double peak = 0.0;
  std::vector<double> fit_seconds;
  for (auto _ : state) {
    const ProcessResult r =
        Loadcast(workspace, {"--jobs", jobs, "series", "run", "--target-year", "2021", "--json"});
    if (!Succeeded(state, r, "loadcast series run")) return;
    state.SetIterationTime(r.seconds);
    peak = std::max(peak, r.peak_mb);
    const nlohmann::json printed = nlohmann::json::parse(r.out);
    for (const auto& t : printed.at("timings")) {
      if (t.at("step") == "train_and_forecast") {
        fit_seconds.push_back(t.at("ms").get<double>() / 1e3);
      }
    }
    if (fit_seconds.empty()) {
      state.SkipWithError("series run printed no train_and_forecast timing");
      return;
    }
  }
  state.counters["series_per_s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
  state.counters["fit_series_per_s"] = static_cast<double>(count) / Median(fit_seconds);
  state.counters["peak_MB"] = peak;
}
BENCHMARK(SeriesRun)
    ->ArgNames({"series", "jobs"})
    ->ArgsProduct({{1, 10, 100, 1000, 10000}, {1, 2}})
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->Repetitions(3)
    ->ReportAggregatesOnly(true)
    ->ComputeStatistics("max", Max);

/// The year's MAPE (%) in the workspace's latest evaluation, from `loadcast metrics --json`.
double LoadcastMape(const fs::path& workspace, int year) {
  const ProcessResult r = Loadcast(workspace, {"metrics", "--json"});
  if (r.exit_code != 0) throw std::runtime_error("loadcast metrics failed: " + r.err);
  for (const auto& row : nlohmann::json::parse(r.out)) {
    if (row.at("horizon") == "year" && row.at("period") == std::to_string(year)) {
      return row.at("mape").get<double>();
    }
  }
  throw std::runtime_error("loadcast metrics has no year-ahead score of " + std::to_string(year));
}

/// The year-ahead flow of one target year by loadcast and by the Python reference, alternately,
/// `Pairs()` times each on fresh copies of the same bucket: median wall times and their ratio,
/// peak memories, and each one's MAPE on 2020 and 2021. The time reported is loadcast's median.
void VersusPythonReference(benchmark::State& state) {
  const fs::path reference = kSourceDir / "bench/python_reference.py";
  for (auto _ : state) {
    std::vector<double> ours;
    std::vector<double> theirs;
    std::vector<double> our_peak;
    std::vector<double> their_peak;
    std::map<int, double> our_mape;
    std::map<int, double> their_mape;
    for (int pair = 0; pair < Pairs(); ++pair) {
      for (const int year : {2021, 2020}) {
        if (pair > 0 && year == 2020) continue;  // 2020 once, for its accuracy only
        const auto workspace = CopyOfIngested();
        const ProcessResult a = Loadcast(
            workspace->path(), {"run", "--target-year", std::to_string(year), "--horizon", "year"});
        if (!Succeeded(state, a, "loadcast run")) return;
        const ProcessResult b = RunProcess(
            {Python(), reference.string(), "--bucket", (workspace->path() / "var/bucket").string(),
             "--target-year", std::to_string(year), "--db",
             (workspace->path() / "reference.db").string(), "--json"},
            workspace->path());
        if (b.exit_code != 0) {
          state.SkipWithError(("the Python reference failed (it needs " + Python() +
                               " with python3-pandas and python3-sklearn, which "
                               "scripts/install-deps.sh installs): " +
                               b.err)
                                  .c_str());
          return;
        }
        our_mape[year] = LoadcastMape(workspace->path(), year);
        their_mape[year] = nlohmann::json::parse(b.out).at("mape").get<double>();
        if (year != 2021) continue;
        ours.push_back(a.seconds);
        theirs.push_back(b.seconds);
        our_peak.push_back(a.peak_mb);
        their_peak.push_back(b.peak_mb);
      }
    }
    state.SetIterationTime(Median(ours));
    state.counters["python_ms"] = Median(theirs) * 1e3;
    state.counters["speedup"] = Median(theirs) / Median(ours);
    state.counters["peak_MB"] = Max(our_peak);
    state.counters["python_peak_MB"] = Max(their_peak);
    for (const auto& [year, mape] : our_mape) {
      state.counters["mape_" + std::to_string(year)] = mape;
      state.counters["python_mape_" + std::to_string(year)] = their_mape[year];
    }
  }
}
BENCHMARK(VersusPythonReference)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace
}  // namespace loadcast::bench

BENCHMARK_MAIN();
