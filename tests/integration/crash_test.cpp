// Crash safety of the real binary: `loadcast run` (and `ingest`) killed with SIGKILL at each
// crash point of its write path (LOADCAST_CRASH_AT) and at spread-out moments from outside, on
// either backends. After every kill the database is sound (the SQLite file passes its integrity
// check), each published forecast is whole, each
// model row (the champion's included) points at an artifact that is there with the content its
// version names, and the next run succeeds, marks the killed run failed with a run_abandoned
// warning, and ends where a run never interrupted ends.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.hpp"
#include "core/process.hpp"
#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/ingested_workspace.hpp"
#include "support/snapshot.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::BackgroundProcess;
using testing::BundledData;
using testing::HashObjects;
using testing::HashTree;
using testing::IntegrityCheck;
using testing::Json;
using testing::Loadcast;
using testing::Slurp;
using testing::TempDir;
using Result = testing::CliResult;

/// Rows of a query on the database of a loadcast process started in `dir`.
std::vector<std::vector<std::string>> Query(const fs::path& dir, const std::string& sql) {
  return testing::QueryWorkspace(dir, sql);
}

/// What a run of 2020 leaves that must not depend on whether an earlier run was killed.
struct Outcome {
  std::string champion;         // the champion's version
  nlohmann::json metrics;       // `metrics --json`
  std::string forecast_sha256;  // the current forecast's rows
  bool operator==(const Outcome&) const = default;
};

void PrintTo(const Outcome& o, std::ostream* os) {
  *os << "champion " << o.champion << ", forecast " << o.forecast_sha256 << ", metrics "
      << o.metrics.dump();
}

class CrashTest : public testing::IngestedWorkspaceTest {
 protected:
  static void SetUpTestSuite() {
    IngestedWorkspaceTest::SetUpTestSuite();
    // The outcome of a run never interrupted, in a copy.
    TempDir clean;
    CopyIngestedWorkspace(clean.path());
    const Result run = Loadcast(clean.path(), {"run", "--target-year", "2020"});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    reference_ = new Outcome(OutcomeIn(clean.path()));
  }
  static void TearDownTestSuite() {
    delete reference_;
    reference_ = nullptr;
    IngestedWorkspaceTest::TearDownTestSuite();
  }
  void SetUp() override { CopyIngestedWorkspace(dir_.path()); }

  const ObjectStore& Bucket() const { return *bucket_; }

  static Outcome OutcomeIn(const fs::path& dir) {
    Outcome o;
    const auto champion = Query(dir,
                                "SELECT m.version FROM model_aliases a JOIN models m ON m.id = "
                                "a.model_id WHERE a.horizon = 'year' AND a.alias = 'champion'");
    if (!champion.empty()) o.champion = champion[0][0];
    o.metrics = Json(Loadcast(dir, {"metrics", "--json"}));
    // The scores, not when or by which run they were made, nor the run's alerts.
    for (auto& m : o.metrics) {
      for (const char* key : {"evaluated_at", "run_id", "alerts"}) m.erase(key);
    }
    // The current forecast: the latest succeeded run of 2020 that published one.
    std::string rows;
    for (const auto& row :
         Query(dir,
               "SELECT date, forecast, lower, upper FROM forecasts WHERE run_id = (SELECT "
               "MAX(r.id) FROM runs r WHERE r.status = 'succeeded' AND r.target_year = 2020 AND "
               "EXISTS (SELECT 1 FROM forecasts f WHERE f.run_id = r.id)) ORDER BY date")) {
      for (const auto& column : row) rows += column + ",";
      rows += "\n";
    }
    o.forecast_sha256 = Sha256Hex(rows);
    return o;
  }

  /// What must hold after any kill: a sound database, whole forecasts, and every model row (so
  /// every alias) pointing at its artifact, whose bytes hash to the model's version.
  void ExpectIntact() {
    // PostgreSQL keeps its own files sound; SQLite's file is checked here.
    if (!testing::RemoteBackends()) {
      EXPECT_EQ(IntegrityCheck(dir_ / "var/loadcast.db"), "ok");
    }
    for (const auto& row :
         Query(dir_.path(), "SELECT run_id, COUNT(*) FROM forecasts GROUP BY run_id")) {
      EXPECT_EQ(row[1], "366") << "run " << row[0] << " has a partial forecast of 2020";
    }
    for (const auto& row : Query(dir_.path(), "SELECT id, version, artifact FROM models")) {
      const auto artifact = Bucket().Get(row[2]);
      ASSERT_TRUE(artifact.has_value()) << "model " << row[0] << " points at missing " << row[2];
      EXPECT_EQ(Sha256Hex(*artifact).substr(0, 16), row[1]) << row[2];
    }
    EXPECT_TRUE(Query(dir_.path(),
                      "SELECT horizon, alias FROM model_aliases WHERE model_id NOT IN (SELECT id "
                      "FROM models)")
                    .empty());
    // A hidden file can only be the temporary file of a write killed before its rename: named
    // after its object and its writer, who is dead. The bucket never lists hidden files, so it
    // is never taken for an object (LocalBucketTest.ListIgnoresDotTemporaryFiles). S3 stores an
    // object with one PUT and has no temporary objects: any hidden key there fails.
    static const std::regex kTemporary(R"(\.[^/]+\.tmp-([0-9]+)-[0-9a-f]+)");
    std::vector<std::string> keys = Bucket().List("");
    if (!testing::RemoteBackends()) {
      keys.clear();
      for (const auto& [key, hash] : HashTree(dir_ / "var/bucket")) keys.push_back(key);
    }
    for (const std::string& key : keys) {
      const std::string name = fs::path(key).filename().string();
      if (!name.starts_with(".")) continue;
      std::smatch writer;
      ASSERT_FALSE(testing::RemoteBackends()) << "hidden object " << key;
      ASSERT_TRUE(std::regex_match(name, writer, kTemporary)) << key;
      EXPECT_NE(::kill(static_cast<pid_t>(std::stol(writer[1].str())), 0), 0)
          << key << ": its writer still runs";
    }
  }

  /// The next command records the killed runs as failed with a run_abandoned warning each (its
  /// process is gone), the next run succeeds and ends as a run never interrupted does.
  void ExpectNextRunRecovers() {
    const std::size_t running =
        Query(dir_.path(), "SELECT id FROM runs WHERE status = 'running'").size();
    const std::size_t abandoned_before = AbandonedAlerts();
    const Result r = Loadcast(dir_.path(), {"run", "--target-year", "2020"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ExpectIntact();
    // Every killed run, whether it took the lock or was killed in its first milliseconds.
    EXPECT_TRUE(Query(dir_.path(), "SELECT id FROM runs WHERE status = 'running'").empty());
    EXPECT_EQ(AbandonedAlerts() - abandoned_before, running);
    EXPECT_EQ(OutcomeIn(dir_.path()), *reference_);
  }

  /// The run_abandoned alerts, counted in the database: a loadcast command would mark the dead
  /// runs first.
  std::size_t AbandonedAlerts() const {
    return std::stoul(
        Query(dir_.path(), "SELECT COUNT(*) FROM alerts WHERE code = 'run_abandoned'")[0][0]);
  }

  static Outcome* reference_;
  TempDir dir_;
  std::unique_ptr<ObjectStore> bucket_ = testing::WorkspaceBucket(dir_.path());
};

Outcome* CrashTest::reference_ = nullptr;

class KilledAtCrashPoint : public CrashTest, public ::testing::WithParamInterface<std::string> {};

TEST_P(KilledAtCrashPoint, LeavesEverythingIntactAndTheNextRunRecovers) {
  BackgroundProcess run(dir_.path(), {"run", "--target-year", "2020"},
                        {{"LOADCAST_CRASH_AT", GetParam()}});
  run.Wait();
  ASSERT_EQ(run.TermSignal(), SIGKILL) << "the run did not reach " << GetParam() << ":\n"
                                       << Slurp(dir_.path() / ".background.stderr");
  ExpectIntact();
  const auto killed = Query(dir_.path(), "SELECT status FROM runs ORDER BY id DESC LIMIT 1");
  ASSERT_EQ(killed.size(), 1u);
  EXPECT_EQ(killed[0][0], "running");
  ExpectNextRunRecovers();
  const auto runs = Json(Loadcast(dir_.path(), {"runs", "--json"}));
  ASSERT_GE(runs.size(), 2u);
  EXPECT_EQ(runs[1]["status"], "failed");
  EXPECT_NE(runs[1]["message"].get<std::string>().find("stopped without finishing"),
            std::string::npos)
      << runs[1].dump(2);
}

// The steps of `run` (before: as a step starts, after: once it is done) and the points inside
// its writes: between a model's artifact and its registry row, inside the gate's transaction
// (decision written, aliases not yet), halfway through the forecast rows.
INSTANTIATE_TEST_SUITE_P(Run, KilledAtCrashPoint,
                         ::testing::Values("after:lock", "after:extract", "after:validate",
                                           "after:enrich", "before:train", "model:artifact-written",
                                           "after:train", "decision:written", "after:gate",
                                           "after:predict", "after:check", "forecast:half-written",
                                           "after:publish", "after:evaluate"),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

TEST_F(CrashTest, KilledAtSpreadOutMomentsFromOutsideEverythingStaysIntact) {
  // Kills from outside, at moments spread over a run's length, one after another in the same
  // folder: each leaves the database and bucket intact, and then a run recovers.
  std::chrono::steady_clock::duration length{};
  {
    // Timed from the run's start: copying the workspace (on PostgreSQL and S3, a database and
    // its objects) is no part of a run's length.
    TempDir timing;
    testing::CopyWorkspace(dir_.path(), timing.path());
    testing::BackendEnv(timing.path());  // on PostgreSQL, finds the copy: not timed either
    const auto start = std::chrono::steady_clock::now();
    ASSERT_EQ(Loadcast(timing.path(), {"run", "--target-year", "2020"}).exit_code, 0);
    length = std::chrono::steady_clock::now() - start;
  }
  constexpr int kKills = 12;
  int killed = 0;
  for (int i = 0; i < kKills; ++i) {
    BackgroundProcess run(dir_.path(), {"run", "--target-year", "2020"});
    std::this_thread::sleep_for(length * (i + 1) / (kKills + 1));
    run.Kill(SIGKILL);
    killed += run.TermSignal() == SIGKILL;
    SCOPED_TRACE("kill " + std::to_string(i));
    ExpectIntact();
  }
  EXPECT_GT(killed, kKills / 2) << "most kills should land while the run works";
  ExpectNextRunRecovers();
}

TEST_F(CrashTest, IngestKilledBetweenYearsKeepsEachYearWholeAndIngestingAgainCompletes) {
  // A fresh bucket: the 16 years are written one object at a time.
  TempDir fresh;
  BackgroundProcess ingest(fresh.path(), {"ingest", BundledData().string()},
                           {{"LOADCAST_CRASH_AT", "ingest:year-stored"}});
  ingest.Wait();
  ASSERT_EQ(ingest.TermSignal(), SIGKILL) << Slurp(fresh.path() / ".background.stderr");
  if (!testing::RemoteBackends()) {
    EXPECT_EQ(IntegrityCheck(fresh.path() / "var/loadcast.db"), "ok");
    // No temporary file of a write left beside the one object and its revision either.
    EXPECT_EQ(HashTree(fresh.path() / "var/bucket").size(), 2u);
  }
  const auto fresh_bucket = testing::WorkspaceBucket(fresh.path());
  const auto partial = HashObjects(*fresh_bucket);
  EXPECT_EQ(partial.size(), 2u) << "one year object written, whole, with its revision";
  EXPECT_TRUE(partial.contains("actuals/revisions/2006/1.csv"));
  const Result again = Loadcast(fresh.path(), {"ingest", BundledData().string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(HashObjects(*fresh_bucket), HashObjects(Bucket()));
  // The killed ingest does not stay running: the next command saw its process gone.
  const auto runs = Json(Loadcast(fresh.path(), {"runs", "--json"}));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[1]["status"], "failed");
  EXPECT_NE(runs[1]["message"].get<std::string>().find("is gone"), std::string::npos)
      << runs[1]["message"];
}

TEST_F(CrashTest, AKilledIngestIsMarkedAbandonedByAnyCommandOpeningTheDatabase) {
  TempDir fresh;
  BackgroundProcess ingest(fresh.path(), {"ingest", BundledData().string()},
                           {{"LOADCAST_CRASH_AT", "ingest:year-stored"}});
  ingest.Wait();
  ASSERT_EQ(ingest.TermSignal(), SIGKILL) << Slurp(fresh.path() / ".background.stderr");
  EXPECT_EQ(testing::QueryWorkspace(fresh.path(), "SELECT status FROM runs")[0][0], "running");
  // A command that only reads.
  const auto runs = Json(Loadcast(fresh.path(), {"runs", "--json"}));
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0]["status"], "failed");
  EXPECT_NE(runs[0]["message"].get<std::string>().find("stopped without finishing"),
            std::string::npos);
  const auto alerts = Json(Loadcast(fresh.path(), {"alerts", "--json"}));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["code"], "run_abandoned");
  EXPECT_EQ(alerts[0]["severity"], "warning");
}

TEST_F(CrashTest, ARunningRunWhoseProcessLivesStaysRunning) {
  // A run recorded by a process that still runs (this test's own), as a concurrent command
  // would see it.
  {
    const auto database = testing::WorkspaceDatabase(dir_.path());
    RunRecord run;
    run.command = "ingest";
    run.process = CurrentProcess();
    database->runs().Begin(run);
  }
  const auto runs = Json(Loadcast(dir_.path(), {"runs", "--json"}));
  ASSERT_FALSE(runs.empty());
  EXPECT_EQ(runs[0]["status"], "running");
}

TEST_F(CrashTest, TemporaryFilesOfKilledWritesAreSweptAndALiveWritersAreKept) {
  if (testing::RemoteBackends())
    GTEST_SKIP() << "S3 writes an object in one PUT: no temporary files";
  // A write killed before its rename leaves ".<name>.tmp-<pid>-<hex>" beside its object: a pid
  // that runs no process (past the kernel's pid limit), written two hours ago.
  const fs::path folder = dir_ / "var/bucket/actuals";
  const fs::path stale = folder / ".2019.csv.tmp-999999999-1f2e";
  const fs::path live = folder / fmt::format(".2020.csv.tmp-{}-3a4b", ::getpid());
  for (const fs::path& file : {stale, live}) {
    std::ofstream(file) << "date,load\n";
    fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(2));
  }
  const Result r = Loadcast(dir_.path(), {"runs"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(stale)) << "a killed write's temporary file was kept";
  EXPECT_TRUE(fs::exists(live)) << "a live writer's temporary file was removed";
}

}  // namespace
}  // namespace loadcast
