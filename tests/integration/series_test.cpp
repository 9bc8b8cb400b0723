// End-to-end tests of many series: generate, ingest, run, list and show, with the real binary.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::Slurp;
using testing::TempDir;
using Result = testing::CliResult;
using Args = std::vector<std::string>;

constexpr int kSeries = 6;

/// A workspace with the bundled data ingested and six synthetic series generated from it.
class SeriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(Run({"ingest", BundledData().string()}).exit_code, 0);
    const Result r = Run({"series", "generate", "--count", std::to_string(kSeries), "--from",
                          "2010", "--to", "2021", "--out", "generated"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  Result Run(const Args& args, const fs::path& dir = {}) {
    return Loadcast(dir.empty() ? dir_.path() : dir, args);
  }
  nlohmann::json RunJson(Args args, const fs::path& dir = {}) {
    args.push_back("--json");
    return Json(Run(args, dir));
  }
  std::vector<std::string> Generated() const {
    std::vector<std::string> files;
    for (int year = 2010; year <= 2021; ++year) {
      files.push_back((dir_ / "generated" / ("series-" + std::to_string(year) + ".csv")).string());
    }
    return files;
  }
  Result IngestGenerated(const fs::path& dir = {}) {
    Args args = {"series", "ingest"};
    for (const auto& f : Generated()) args.push_back(f);
    return Run(args, dir);
  }

  TempDir dir_;
};

TEST_F(SeriesTest, TrainsForecastsAndScoresEverySeries) {
  const Result ingest = IngestGenerated();
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  EXPECT_NE(ingest.out.find("of 6 series"), std::string::npos) << ingest.out;
  const nlohmann::json run = RunJson({"series", "run", "--target-year", "2021"});
  EXPECT_EQ(run["series"], kSeries);
  EXPECT_EQ(run["failed"], 0);
  EXPECT_EQ(run["scored"], kSeries);
  // Synthetic series carry up to 5% noise of their own on top of the national load's errors.
  EXPECT_LT(run["median_mape"].get<double>(), 8.0) << run.dump();
  std::vector<std::string> steps;
  for (const auto& t : run["timings"]) steps.push_back(t["step"]);
  EXPECT_EQ(steps, (std::vector<std::string>{"extract", "validate", "train_and_forecast", "check",
                                             "monitor", "evaluate", "publish"}));

  const nlohmann::json list = RunJson({"series", "list"});
  EXPECT_EQ(list["run_id"], run["run_id"]);
  ASSERT_EQ(list["series"].size(), static_cast<std::size_t>(kSeries));
  EXPECT_EQ(list["series"][0]["series"], "S1");
  EXPECT_EQ(list["series"][0]["train_from"], "2011-01-01");
  EXPECT_EQ(list["series"][0]["train_to"], "2021-01-01");
  EXPECT_EQ(list["series"][0]["days"], 365);
  const nlohmann::json filtered = RunJson({"series", "list", "--series", "S[23]"});
  ASSERT_EQ(filtered["series"].size(), 2u);
  EXPECT_EQ(filtered["series"][1]["series"], "S3");

  const nlohmann::json show = RunJson({"series", "show", "S4"});
  ASSERT_EQ(show["forecast"].size(), 365u);
  EXPECT_EQ(show["forecast"][0]["date"], "2021-01-01");
  EXPECT_EQ(show["forecast"][364]["date"], "2021-12-31");
  for (const auto& day : show["forecast"]) {
    EXPECT_LE(day["lower"].get<double>(), day["forecast"].get<double>());
    EXPECT_GE(day["upper"].get<double>(), day["forecast"].get<double>());
  }
  const Result missing = Run({"series", "show", "S99"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no series 'S99'"), std::string::npos) << missing.err;
}

TEST_F(SeriesTest, EachSeriesGetsTheForecastItGetsWhenRunAlone) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  ASSERT_EQ(Run({"--jobs", "2", "series", "run", "--target-year", "2021"}).exit_code, 0);
  for (const char* name : {"S2", "S5"}) {
    // A workspace holding only this series, from the same files.
    TempDir alone;
    Args ingest = {"series", "ingest"};
    for (const auto& file : Generated()) {
      std::istringstream in(Slurp(file));
      std::string line;
      std::getline(in, line);
      std::string text = line + "\n";
      while (std::getline(in, line)) {
        if (line.find(std::string(",") + name + ",") != std::string::npos) text += line + "\n";
      }
      const fs::path part = alone.path() / fs::path(file).filename();
      std::ofstream(part) << text;
      ingest.push_back(part.string());
    }
    ASSERT_EQ(Run(ingest, alone.path()).exit_code, 0);
    const nlohmann::json run =
        RunJson({"--jobs", "1", "series", "run", "--target-year", "2021"}, alone.path());
    EXPECT_EQ(run["series"], 1);
    const nlohmann::json single = RunJson({"series", "show", name}, alone.path());
    const nlohmann::json among = RunJson({"series", "show", name});
    EXPECT_EQ(single["forecast"], among["forecast"]) << name;
    EXPECT_EQ(single["mape"], among["mape"]) << name;
  }
}

TEST_F(SeriesTest, ABadFileIsRejectedWithItsLineAndNothingIsStored) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  const nlohmann::json before = RunJson({"series", "run", "--target-year", "2021"});
  const fs::path bad = dir_ / "bad.csv";
  std::ofstream(bad) << "date,series,load\n2021-01-01,S1,100\n2021-01-02,S1,101\n"
                        "2021-01-04,S1,102\n2021-01-01,new,5\n";
  const Result r = Run({"series", "ingest", bad.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("bad.csv:4: series S1: 1 day(s) missing, from 2021-01-03 to 2021-01-03"),
            std::string::npos)
      << r.err;
  const nlohmann::json alerts = RunJson({"alerts", "--source", "validation"});
  bool found = false;
  for (const auto& a : alerts) found = found || a["code"] == "validation.missing_day";
  EXPECT_TRUE(found) << alerts.dump();
  // The stored series are as they were: the same forecasts, and no series "new".
  const nlohmann::json after = RunJson({"series", "run", "--target-year", "2021"});
  EXPECT_EQ(after["series"], kSeries);
  EXPECT_EQ(RunJson({"series", "show", "S1", "--run",
                     std::to_string(before["run_id"].get<int>())})["forecast"],
            RunJson({"series", "show", "S1"})["forecast"]);
}

TEST_F(SeriesTest, RowsOutsideTheDateAndLoadBoundsAreRejectedWithTheirLine) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"1900-01-01,S9,100", "the date 1900-01-01 is before 1990-01-01"},
      {"2100-01-01,S9,100", "the date 2100-01-01 is in the future"},
      {"2021-06-01,S9,5e300", "series S9: the load 5e300 of 2021-06-01 is above 100000000 MWh"},
  };
  for (const auto& [row, problem] : cases) {
    const fs::path bad = dir_ / "bad.csv";
    std::ofstream(bad) << "date,series,load\n" << row << "\n";
    const Result r = Run({"series", "ingest", bad.string()});
    EXPECT_EQ(r.exit_code, 3) << row << ": " << r.err;
    EXPECT_NE(r.err.find("bad.csv:2: " + problem), std::string::npos) << r.err;
  }
  EXPECT_EQ(RunJson({"series", "run", "--target-year", "2021"})["series"], kSeries);
}

TEST_F(SeriesTest, ADayOutOfLineWithTheStoredDaysIsRejectedAndSeriesWorkGoesOn) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  const fs::path bad = dir_ / "bad.csv";
  std::ofstream(bad) << "date,series,load\n2021-12-31,S1,1000\n";
  const Result r = Run({"series", "ingest", bad.string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("bad.csv:2: series S1: the load 1000 of 2021-12-31 is "), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("away from the stored day before"), std::string::npos) << r.err;
  // Nothing was stored: runs of the year and the next, and ingests into it, go on.
  EXPECT_EQ(Run({"series", "run", "--target-year", "2021"}).exit_code, 0);
  EXPECT_EQ(Run({"series", "run", "--target-year", "2022"}).exit_code, 0);
  EXPECT_EQ(IngestGenerated().exit_code, 0);
}

TEST_F(SeriesTest, AStoredValueThatBreaksTheRulesDoesNotBlockTheIngestThatCorrectsIt) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  // A value stored before the rules caught it: S1's last day of 2021 far off its neighbours.
  const auto bucket = testing::WorkspaceBucket(dir_.path());
  std::string stored = bucket->Get("series/2021.csv").value();
  const std::string day = "2021-12-31,S1,";
  const std::size_t at = stored.find(day);
  ASSERT_NE(at, std::string::npos);
  const std::size_t end = stored.find('\n', at);
  const std::string right = stored.substr(at + day.size(), end - at - day.size());
  stored.replace(at + day.size(), end - at - day.size(), "1000");
  bucket->Put("series/2021.csv", stored);

  EXPECT_EQ(Run({"series", "run", "--target-year", "2021"}).exit_code, 0);
  const fs::path fix = dir_ / "fix.csv";
  std::ofstream(fix) << "date,series,load\n2021-12-31,S1," << right << "\n";
  const Result fixed = Run({"series", "ingest", fix.string()});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(bucket->Get("series/2021.csv").value().find(day + right + "\n"), std::string::npos);
}

TEST_F(SeriesTest, ASeriesWithTooLittleHistoryFailsAloneWithAnAlert) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  const fs::path young = dir_ / "young.csv";
  {
    std::ofstream out(young);
    out << "date,series,load\n";
    for (int d = 1; d <= 31; ++d) out << "2020-12-" << (d < 10 ? "0" : "") << d << ",young,50\n";
  }
  ASSERT_EQ(Run({"series", "ingest", young.string()}).exit_code, 0);
  const nlohmann::json run = RunJson({"series", "run", "--target-year", "2021"});
  EXPECT_EQ(run["failed"], 1);
  EXPECT_EQ(run["series"], kSeries + 1);
  const nlohmann::json failed = RunJson({"series", "list", "--status", "failed"});
  ASSERT_EQ(failed["series"].size(), 1u);
  EXPECT_EQ(failed["series"][0]["series"], "young");
  EXPECT_NE(failed["series"][0]["message"].get<std::string>().find("31 consecutive days"),
            std::string::npos);
  const nlohmann::json alerts = RunJson({"alerts"});
  bool found = false;
  for (const auto& a : alerts) found = found || a["code"] == "series_history";
  EXPECT_TRUE(found) << alerts.dump();
}

TEST_F(SeriesTest, ASeriesWhoseLoadShiftedLatelyIsFlaggedAsDrifting) {
  ASSERT_EQ(IngestGenerated().exit_code, 0);
  // S3's last 60 days of 2020 a fifth higher: a new large customer. The file's days replace the
  // stored ones.
  std::istringstream in(Slurp(Generated()[10]));  // series-2020.csv
  std::string line;
  std::getline(in, line);
  std::string text = line + "\n";
  while (std::getline(in, line)) {
    if (line.find(",S3,") == std::string::npos || line < "2020-11-02") continue;
    const std::size_t comma = line.rfind(',');
    text +=
        line.substr(0, comma + 1) + std::to_string(std::stod(line.substr(comma + 1)) * 1.2) + "\n";
  }
  const fs::path shifted = dir_ / "shifted.csv";
  std::ofstream(shifted) << text;
  const Result ingest = Run({"series", "ingest", shifted.string()});
  ASSERT_EQ(ingest.exit_code, 0) << ingest.err;
  const nlohmann::json run = RunJson({"series", "run", "--target-year", "2021"});
  EXPECT_EQ(run["warning"], 1);
  const nlohmann::json warned = RunJson({"series", "list", "--status", "warning"});
  ASSERT_EQ(warned["series"].size(), 1u);
  EXPECT_EQ(warned["series"][0]["series"], "S3");
  EXPECT_GT(warned["series"][0]["drift"].get<double>(), 5.0);
  bool found = false;
  for (const auto& a : RunJson({"alerts", "--source", "drift"})) {
    found = found || (a["code"] == "series_drift" && a["subject"] == "series S3");
  }
  EXPECT_TRUE(found);
}

TEST_F(SeriesTest, NoStoredSeriesIsRejected) {
  const Result r = Run({"series", "run", "--target-year", "2021"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("no series stored"), std::string::npos) << r.err;
  const Result list = Run({"series", "list"});
  EXPECT_EQ(list.exit_code, 2);
}

}  // namespace
}  // namespace loadcast
