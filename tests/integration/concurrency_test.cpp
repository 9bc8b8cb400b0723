// Real loadcast processes started at the same time on one folder: runs of one target year and
// horizon take its lock one after the other and end with one result, runs of other targets do not
// wait, a run that cannot get the lock in time fails with exit code 5 having changed nothing, and
// concurrent ingests of one file agree. With LOADCAST_TEST_BACKENDS=remote (scripts/run-tests.sh)
// every process gets the PostgreSQL database and S3 prefix of its folder (support/remote_backends),
// so the same tests cover PostgreSQL's locks.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/load_csv.hpp"
#include "core/series_csv.hpp"
#include "storage/backends.hpp"
#include "storage/database.hpp"
#include "support/cli_runner.hpp"
#include "support/remote_backends.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using testing::BackendEnv;
using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::Slurp;
using testing::TempDir;
using Args = std::vector<std::string>;

/// What an INFO log line of a run that had to wait for its target's lock says.
constexpr const char* kWaitedLog = "another process is working on";

/// One loadcast process started in the background, its output going to files of its own.
class Process {
 public:
  Process(const fs::path& cwd, const std::string& name, const Args& args) {
    out_ = cwd / (".out-" + name);
    err_ = cwd / (".err-" + name);
    const std::map<std::string, std::string> env = BackendEnv(cwd);
    pid_ = fork();
    if (pid_ == 0) {
      const int out = open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int err = open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out < 0 || err < 0 || chdir(cwd.c_str()) != 0) _exit(127);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      for (const auto& [variable, value] : env) setenv(variable.c_str(), value.c_str(), 1);
      std::string binary = LOADCAST_BINARY;
      std::vector<std::string> copies = args;
      std::vector<char*> argv = {binary.data()};
      for (std::string& a : copies) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Process() { Wait(); }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  /// Waits for the end; what it did.
  testing::CliResult Wait() {
    if (pid_ > 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      result_.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      result_.out = Slurp(out_);
      result_.err = Slurp(err_);
    }
    return result_;
  }

 private:
  pid_t pid_ = -1;
  fs::path out_;
  fs::path err_;
  testing::CliResult result_;
};

/// Starts every command at once and waits for all of them.
std::vector<testing::CliResult> RunTogether(const fs::path& cwd,
                                            const std::vector<Args>& commands) {
  std::vector<std::unique_ptr<Process>> processes;
  for (std::size_t i = 0; i < commands.size(); ++i) {
    processes.push_back(std::make_unique<Process>(cwd, std::to_string(i), commands[i]));
  }
  std::vector<testing::CliResult> results;
  for (auto& p : processes) results.push_back(p->Wait());
  return results;
}

/// How many rounds a test of lost updates plays: LOADCAST_TEST_ROUNDS when set, else `rounds`.
int Rounds(int rounds) {
  const char* set = std::getenv("LOADCAST_TEST_ROUNDS");
  return set ? std::max(1, std::atoi(set)) : rounds;
}

/// The stored bytes of `key` in the bucket of the workspace `cwd`, on either backends.
std::string StoredObject(const fs::path& cwd, const std::string& key) {
  return testing::WorkspaceBucket(cwd)->Get(key).value_or("");
}

/// The stored actuals of `year` in the workspace `cwd`.
TimeSeries StoredActuals(const fs::path& cwd, int year) {
  const std::string key = fmt::format("actuals/{}.csv", year);
  TimeSeries series;
  for (const LoadRow& row : ParseLoadCsv(StoredObject(cwd, key), key).rows) {
    series.set(row.date, row.load);
  }
  return series;
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto r = Run({"ingest", BundledData().string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  testing::CliResult Run(const Args& args) { return Loadcast(dir_.path(), args); }
  nlohmann::json RunJson(Args args) {
    args.push_back("--json");
    return Json(Run(args));
  }

  /// The models of a target year and horizon.
  int CountModels(int year, const std::string& horizon) {
    int count = 0;
    for (const auto& m : RunJson({"models", "list", "--limit", "1000"})) {
      if (m["target_year"] == year && m["horizon"] == horizon) ++count;
    }
    return count;
  }

  /// The runs of a command, newest first.
  std::vector<nlohmann::json> Runs(const std::string& command) {
    std::vector<nlohmann::json> runs;
    for (const auto& r : RunJson({"runs", "--limit", "1000"})) {
      if (r["command"] == command) runs.push_back(r);
    }
    return runs;
  }

  /// The database's holder of target locks, as a process other than loadcast would take them,
  /// on the backends the loadcast processes of this folder use.
  std::unique_ptr<Database> OpenSameDatabase() {
    Config config = DefaultConfig(dir_.path());
    const auto env = BackendEnv(dir_.path());
    if (const auto it = env.find("LOADCAST_DATABASE_URL"); it != env.end()) {
      config.database_url = it->second;
    }
    return OpenDatabase(config);
  }

  TempDir dir_;
};

TEST_F(ConcurrencyTest, RunsOfOneTargetStartedTogetherEndWithOneResult) {
  const Args year = {"run", "--target-year", "2020", "--horizon", "year", "--json"};
  const Args day = {"run", "--target-year", "2020", "--horizon", "day", "--json"};
  const auto results = RunTogether(dir_.path(), {year, year, day, day});
  for (const auto& r : results) ASSERT_EQ(r.exit_code, 0) << r.err;

  // One model version per horizon, registered by one of the two runs.
  EXPECT_EQ(CountModels(2020, "year"), 1);
  EXPECT_EQ(CountModels(2020, "day"), 1);
  // Of each pair one published the forecast; the other found the same one on record.
  for (std::size_t pair = 0; pair < results.size(); pair += 2) {
    const auto a = nlohmann::json::parse(results[pair].out);
    const auto b = nlohmann::json::parse(results[pair + 1].out);
    EXPECT_EQ(a["model"]["id"], b["model"]["id"]);
    const bool a_published = a["unchanged_since"].is_null();
    const bool b_published = b["unchanged_since"].is_null();
    EXPECT_NE(a_published, b_published) << a.dump() << "\n" << b.dump();
    const auto& [publisher, follower] = a_published ? std::tie(a, b) : std::tie(b, a);
    EXPECT_EQ(follower["unchanged_since"], publisher["run_id"]);
    EXPECT_TRUE(follower["trained"]["new"] == false);
  }
  const auto runs = Runs("run");
  ASSERT_EQ(runs.size(), 4u);
  for (const auto& r : runs) EXPECT_EQ(r["status"], "succeeded") << r.dump();
  // One evaluation per target: the second run's scores equal the first's.
  const auto metrics = RunJson({"metrics"});
  EXPECT_EQ(metrics.size(), 2u) << metrics.dump();
  // A third run, alone, finds everything on record as after one run.
  const auto again = RunJson({"run", "--target-year", "2020", "--horizon", "year"});
  EXPECT_FALSE(again["unchanged_since"].is_null());
  EXPECT_EQ(CountModels(2020, "year"), 1);
}

TEST_F(ConcurrencyTest, RunsOfOtherYearsDoNotWaitForEachOther) {
  const auto results =
      RunTogether(dir_.path(), {{"run", "--target-year", "2020", "--horizon", "day"},
                                {"run", "--target-year", "2021", "--horizon", "day"}});
  for (const auto& r : results) {
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_FALSE(Contains(r.err, kWaitedLog)) << r.err;
  }
  EXPECT_EQ(CountModels(2020, "day"), 1);
  EXPECT_EQ(CountModels(2021, "day"), 1);
  for (const auto& r : Runs("run")) EXPECT_EQ(r["status"], "succeeded") << r.dump();
}

TEST_F(ConcurrencyTest, RunThatCannotGetTheLockInTimeFailsWithExitCode5AndChangesNothing) {
  ASSERT_EQ(Run({"run", "--target-year", "2020", "--horizon", "year"}).exit_code, 0);
  ASSERT_EQ(Run({"run", "--target-year", "2020", "--horizon", "day"}).exit_code, 0);
  dir_.Write("fast.yaml", "runs:\n  lock_timeout_seconds: 1\n");
  const auto models = RunJson({"models", "list"});
  const auto decisions = RunJson({"models", "decisions"});
  const auto metrics = RunJson({"metrics"});
  const auto alerts = RunJson({"alerts", "--limit", "1000"});

  testing::CliResult r;
  {
    // Held by this test process, as another loadcast process would.
    const auto database = OpenSameDatabase();
    const auto held = database->LockTarget(2020, Horizon::kYear, 0ms);
    const auto start = std::chrono::steady_clock::now();
    r = Run({"--config", "fast.yaml", "run", "--target-year", "2020", "--horizon", "year"});
    EXPECT_GE(std::chrono::steady_clock::now() - start, 1s);
    // Another target is not held up meanwhile (its scores are on record: it changes nothing).
    EXPECT_EQ(
        Run({"--config", "fast.yaml", "evaluate", "--target-year", "2020", "--horizon", "day"})
            .exit_code,
        0);
  }
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "loadcast: busy:")) << r.err;
  EXPECT_TRUE(Contains(r.err,
                       "another loadcast process is working on this target year and "
                       "horizon"))
      << r.err;
  EXPECT_TRUE(Contains(r.err, "runs.lock_timeout_seconds")) << r.err;
  EXPECT_TRUE(Contains(r.err, kWaitedLog)) << r.err;

  // The run is on record as failed, with one critical alert saying why, and nothing else changed.
  const auto failed = Runs("run").front();
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_TRUE(Contains(failed["message"].get<std::string>(), "runs.lock_timeout_seconds"))
      << failed.dump();
  const auto raised = RunJson({"alerts", "--limit", "1000"});
  ASSERT_EQ(raised.size(), alerts.size() + 1) << raised.dump();
  EXPECT_EQ(raised[0]["code"], "target_busy");
  EXPECT_EQ(raised[0]["severity"], "critical");
  EXPECT_EQ(raised[0]["run_id"], failed["id"]);
  EXPECT_EQ(RunJson({"models", "list"}), models);
  EXPECT_EQ(RunJson({"models", "decisions"}), decisions);
  EXPECT_EQ(RunJson({"metrics"}), metrics);

  // Once the lock is free the same command succeeds, finding everything on record.
  const auto after = RunJson({"--config", "fast.yaml", "run", "--target-year", "2020"});
  EXPECT_FALSE(after["unchanged_since"].is_null());
}

TEST_F(ConcurrencyTest, IngestsOfOneFileAtOnceAgree) {
  TempDir fresh;
  const Args ingest = {"ingest", BundledData().string(), "--json"};
  const auto results = RunTogether(fresh.path(), {ingest, ingest, ingest});
  for (const auto& r : results) ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto runs = Json(Loadcast(fresh.path(), {"runs", "--json"}));
  ASSERT_EQ(runs.size(), 3u);
  for (const auto& r : runs) EXPECT_EQ(r["status"], "succeeded") << r.dump();
  // What is stored is the file: ingesting it again changes nothing, and a run can use it.
  const auto again = Json(Loadcast(fresh.path(), {"ingest", BundledData().string(), "--json"}));
  EXPECT_TRUE(again["years_stored"].empty()) << again.dump();
  EXPECT_EQ(again["years_unchanged"].size(), 16u) << again.dump();
  EXPECT_EQ(Loadcast(fresh.path(), {"run", "--target-year", "2021"}).exit_code, 0);
}

TEST_F(ConcurrencyTest, IngestsOfOtherDaysOfOneYearAtOnceLoseNoChange) {
  // Each round, two one-row files change two different days of 2021, ingested at the same time:
  // both changes must be stored, whichever ingest stores last.
  const Date first = Date::FromYmd(2021, 3, 10);
  const Date second = Date::FromYmd(2021, 3, 24);
  const TimeSeries stored = StoredActuals(dir_.path(), 2021);
  const int rounds = Rounds(200);
  int lost = 0;
  for (int round = 1; round <= rounds; ++round) {
    // A different value each round, within 2% of the stored one.
    const double a = std::round(stored.at(first) * (1.0 + 0.0001 * round));
    const double b = std::round(stored.at(second) * (1.0 - 0.0001 * round));
    dir_.Write("a.csv", fmt::format("date,load\n{},{}\n", first.ToIso(), a));
    dir_.Write("b.csv", fmt::format("date,load\n{},{}\n", second.ToIso(), b));
    const auto results = RunTogether(dir_.path(), {{"ingest", (dir_ / "a.csv").string()},
                                                   {"ingest", (dir_ / "b.csv").string()}});
    for (const auto& r : results) ASSERT_EQ(r.exit_code, 0) << "round " << round << ": " << r.err;
    const TimeSeries after = StoredActuals(dir_.path(), 2021);
    if (after.at(first) != a || after.at(second) != b) {
      ++lost;
      ADD_FAILURE() << "round " << round << ": stored " << after.at(first) << " and "
                    << after.at(second) << ", ingested " << a << " and " << b;
    }
    EXPECT_EQ(after.count_known(), stored.count_known()) << "round " << round;
  }
  EXPECT_EQ(lost, 0) << "changes lost in " << lost << " of " << rounds << " rounds";
}

TEST_F(ConcurrencyTest, SeriesIngestsOfNewSeriesAtOnceLoseNoSeries) {
  // Each round, two files each bring a new series over the same year, ingested at once.
  const int rounds = Rounds(200) / 4;
  const auto year_of = [](const std::string& name, double level) {
    std::string text = "date,series,load\n";
    for (Date d = Date::FromYmd(2021, 1, 1); d < Date::FromYmd(2022, 1, 1); d = d + 1) {
      text += fmt::format("{},{},{}\n", d.ToIso(), name, level * (1.0 + 0.05 * (d.weekday() < 5)));
    }
    return text;
  };
  int lost = 0;
  for (int round = 1; round <= rounds; ++round) {
    const std::string a = fmt::format("A{}", round);
    const std::string b = fmt::format("B{}", round);
    dir_.Write("a.csv", year_of(a, 1000.0 + round));
    dir_.Write("b.csv", year_of(b, 2000.0 + round));
    const auto results =
        RunTogether(dir_.path(), {{"series", "ingest", (dir_ / "a.csv").string()},
                                  {"series", "ingest", (dir_ / "b.csv").string()}});
    for (const auto& r : results) ASSERT_EQ(r.exit_code, 0) << "round " << round << ": " << r.err;
    const SeriesTable stored =
        ParseSeriesCsv(StoredObject(dir_.path(), "series/2021.csv"), "series/2021.csv", {});
    EXPECT_EQ(stored.size(), static_cast<std::size_t>(2 * round)) << "round " << round;
    const auto has = [&](const std::string& name) {
      return std::find(stored.names.begin(), stored.names.end(), name) != stored.names.end();
    };
    if (!has(a) || !has(b)) {
      ++lost;
      ADD_FAILURE() << "round " << round << ": " << (has(a) ? "" : a + " ") << (has(b) ? "" : b)
                    << " lost";
    }
  }
  EXPECT_EQ(lost, 0) << "series lost in " << lost << " of " << rounds << " rounds";
}

TEST_F(ConcurrencyTest, AnIngestThatCannotGetItsYearsInTimeFailsWithExitCode5AndStoresNothing) {
  dir_.Write("fast.yaml", "runs:\n  lock_timeout_seconds: 1\n");
  const std::string before = StoredObject(dir_.path(), "actuals/2021.csv");
  dir_.Write("a.csv", "date,load\n2021-03-10,800000\n");
  testing::CliResult r;
  {
    // Held by this test process, as another ingest of 2021 would.
    const auto database = OpenSameDatabase();
    const auto held = database->LockYear("actuals", 2021, 0ms);
    r = Run({"--config", "fast.yaml", "ingest", (dir_ / "a.csv").string()});
  }
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_TRUE(Contains(r.err, "actuals of 2021")) << r.err;
  EXPECT_TRUE(Contains(r.err, "runs.lock_timeout_seconds")) << r.err;
  EXPECT_EQ(StoredObject(dir_.path(), "actuals/2021.csv"), before);
  EXPECT_EQ(Runs("ingest").front()["status"], "failed");
  // Once the year is free the same ingest goes through.
  EXPECT_EQ(Run({"ingest", (dir_ / "a.csv").string()}).exit_code, 0);
}

}  // namespace
}  // namespace loadcast
