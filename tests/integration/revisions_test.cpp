// Revised actuals through the real binary: an ingest that changes days already stored keeps the
// previous object as a revision, records each changed day with its old and new load, raises a
// data.revised alert (warning, or critical past the configured limits) and still stores the data
// (exit 0); `actuals history` and `actuals diff` show it, and runs name the revision they read.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/load_csv.hpp"
#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/ingested_workspace.hpp"
#include "support/temp_dir.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::Json;
using testing::Loadcast;
using Result = testing::CliResult;

class RevisionsTest : public testing::IngestedWorkspaceTest {
 protected:
  void SetUp() override { CopyIngestedWorkspace(dir_.path()); }

  std::string Object(const std::string& key) const { return testing::ObjectBytes(*bucket_, key); }

  /// The stored load of a day of 2019.
  double Stored2019(const std::string& day) const {
    for (const LoadRow& row : ParseLoadCsv(Object("actuals/2019.csv"), "2019").rows) {
      if (row.date.ToIso() == day) return row.load;
    }
    ADD_FAILURE() << day << " is not stored";
    return 0.0;
  }

  /// A load file of `days` of 2019, each its stored load times `factor`.
  fs::path Revised(const std::string& name, const std::vector<std::string>& days, double factor) {
    std::string csv = "date,load\n";
    for (const std::string& day : days) {
      csv += fmt::format("{},{:.3f}\n", day, Stored2019(day) * factor);
    }
    return dir_.Write(name, csv);
  }

  nlohmann::json AlertsOf(const std::string& code) const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& a : Json(Loadcast(dir_.path(), {"alerts", "--json", "--limit", "1000"}))) {
      if (a["code"] == code) out.push_back(a);
    }
    return out;
  }

  nlohmann::json History(int year) const {
    return Json(
        Loadcast(dir_.path(), {"actuals", "history", "--year", std::to_string(year), "--json"}));
  }

  testing::TempDir dir_;
  std::unique_ptr<ObjectStore> bucket_ = testing::WorkspaceBucket(dir_.path());
};

TEST_F(RevisionsTest, FirstIngestOfAYearIsRevisionOneWithItsDaysAdded) {
  const auto history = History(2019);
  ASSERT_EQ(history.size(), 1u) << history.dump(2);
  EXPECT_EQ(history[0]["revision"], 1);
  EXPECT_EQ(history[0]["days"], 365);
  EXPECT_EQ(history[0]["days_added"], 365);
  EXPECT_EQ(history[0]["days_changed"], 0);
  EXPECT_EQ(history[0]["object"], "actuals/revisions/2019/1.csv");
  EXPECT_EQ(Object("actuals/revisions/2019/1.csv"), Object("actuals/2019.csv"));
  // Sixteen years, one revision each.
  const auto all = Json(Loadcast(dir_.path(), {"actuals", "history", "--json"}));
  EXPECT_EQ(all.size(), 16u);
  EXPECT_TRUE(AlertsOf("data.revised").empty());
}

TEST_F(RevisionsTest, OneDayRaisedByThirtyPercentIsStoredAsRevisionTwoWithACriticalAlert) {
  const std::string before = Object("actuals/2019.csv");
  const double old_load = Stored2019("2019-03-06");
  const fs::path file = Revised("march.csv", {"2019-03-06"}, 1.3);
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The data is stored; the previous object is kept as revision 1.
  EXPECT_NE(Object("actuals/2019.csv"), before);
  EXPECT_EQ(Object("actuals/revisions/2019/1.csv"), before);
  EXPECT_EQ(Object("actuals/revisions/2019/2.csv"), Object("actuals/2019.csv"));

  const auto alerts = AlertsOf("data.revised");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["severity"], "critical");  // 30% > validation.revision_max_change_percent
  const std::string message = alerts[0]["message"];
  for (const char* part : {"actuals of 2019", "march.csv", "1 of 365 days", "2019-03-06", "+30.0%"})
    EXPECT_NE(message.find(part), std::string::npos) << part << " not in: " << message;

  const auto history = History(2019);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0]["revision"], 2);
  EXPECT_EQ(history[0]["days_changed"], 1);
  EXPECT_EQ(history[0]["days_added"], 0);
  EXPECT_NEAR(history[0]["largest_change_percent"].get<double>(), 30.0, 0.01);
  EXPECT_NE(history[0]["source"].get<std::string>().find("march.csv"), std::string::npos);
  EXPECT_TRUE(history[0]["run_id"].is_number());

  const auto diff = Json(
      Loadcast(dir_.path(), {"actuals", "diff", "--year", "2019", "--revision", "2", "--json"}));
  ASSERT_EQ(diff["changes"].size(), 1u);
  EXPECT_EQ(diff["changes"][0]["date"], "2019-03-06");
  EXPECT_DOUBLE_EQ(diff["changes"][0]["old_load"].get<double>(), old_load);
  EXPECT_NEAR(diff["changes"][0]["new_load"].get<double>(), old_load * 1.3, 0.001);
  EXPECT_NEAR(diff["changes"][0]["change_percent"].get<double>(), 30.0, 0.01);
  const Result text =
      Loadcast(dir_.path(), {"actuals", "diff", "--year", "2019", "--revision", "2"});
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("2019-03-06"), std::string::npos) << text.out;
}

TEST_F(RevisionsTest, ARevisionWithinTheLimitsIsAWarning) {
  const fs::path config =
      dir_.Write("lenient.yaml", "validation:\n  revision_max_change_percent: 50\n");
  const fs::path file = Revised("march.csv", {"2019-03-06"}, 1.3);
  const Result r = Loadcast(dir_.path(), {"--config", config.string(), "ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto alerts = AlertsOf("data.revised");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["severity"], "warning");
}

TEST_F(RevisionsTest, SeventeenDecemberDaysRaisedByTwentyPercentIsCritical) {
  std::vector<std::string> days;
  for (int d = 1; d <= 17; ++d) days.push_back(fmt::format("2019-12-{:02d}", d));
  const fs::path file = Revised("december.csv", days, 1.2);
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto alerts = AlertsOf("data.revised");
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0]["severity"], "critical");
  EXPECT_NE(alerts[0]["message"].get<std::string>().find("17 of 365 days"), std::string::npos)
      << alerts[0]["message"];
  const auto diff = Json(
      Loadcast(dir_.path(), {"actuals", "diff", "--year", "2019", "--revision", "2", "--json"}));
  EXPECT_EQ(diff["changes"].size(), 17u);
  EXPECT_EQ(diff["days_changed"], 17);
}

TEST_F(RevisionsTest, ReingestingIdenticalDataRecordsNoRevision) {
  const Result r = Loadcast(dir_.path(), {"ingest", testing::BundledData().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(History(2019).size(), 1u);
  EXPECT_EQ(Json(Loadcast(dir_.path(), {"actuals", "history", "--json"})).size(), 16u);
  EXPECT_TRUE(AlertsOf("data.revised").empty());
}

TEST_F(RevisionsTest, DaysOnlyAddedAreARevisionWithoutAlert) {
  const fs::path file = dir_.Write("jan2022.csv", "date,load\n2022-01-01,700000\n");
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto history = History(2022);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0]["days_added"], 1);
  EXPECT_EQ(history[0]["days_changed"], 0);
  EXPECT_TRUE(AlertsOf("data.revised").empty());
}

TEST_F(RevisionsTest, UnknownRevisionIsAUsageError) {
  const Result r = Loadcast(dir_.path(), {"actuals", "diff", "--year", "2019", "--revision", "7"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("there is no revision 7 of 2019"), std::string::npos) << r.err;
  const Result none =
      Loadcast(dir_.path(), {"actuals", "diff", "--year", "1990", "--revision", "1"});
  EXPECT_EQ(none.exit_code, 2);
}

TEST_F(RevisionsTest, RunsRecordTheRevisionTheyRead) {
  const fs::path file = Revised("march.csv", {"2019-03-06"}, 1.05);
  ASSERT_EQ(Loadcast(dir_.path(), {"ingest", file.string()}).exit_code, 0);
  const Result train = Loadcast(dir_.path(), {"train", "--target-year", "2020", "--json"});
  ASSERT_EQ(train.exit_code, 0) << train.err;
  const int64_t run = nlohmann::json::parse(train.out)["run_id"];
  const auto shown = Json(Loadcast(dir_.path(), {"runs", "show", std::to_string(run), "--json"}));
  const auto& inputs = shown["inputs"];
  ASSERT_TRUE(inputs.contains("actuals/revisions/2019/2.csv")) << inputs.dump(2);
  EXPECT_EQ(inputs["actuals/revisions/2019/2.csv"], inputs["actuals/2019.csv"]);
  EXPECT_TRUE(inputs.contains("actuals/revisions/2018/1.csv"));
}

TEST_F(RevisionsTest, AnIngestKilledBeforeRecordingItsRevisionIsRepairedByTheNext) {
  const std::string before = Object("actuals/2019.csv");
  const fs::path file = Revised("march.csv", {"2019-03-06"}, 1.3);
  testing::BackgroundProcess killed(dir_.path(), {"ingest", file.string()},
                                    {{"LOADCAST_CRASH_AT", "ingest:object-replaced"}});
  killed.Wait();
  ASSERT_EQ(killed.TermSignal(), SIGKILL);
  // The object was replaced, its revision not recorded yet; the previous bytes are kept.
  EXPECT_EQ(History(2019).size(), 1u);
  EXPECT_EQ(Object("actuals/revisions/2019/1.csv"), before);

  // The same file again: the object is as the file makes it, and its revision is recorded.
  const Result r = Loadcast(dir_.path(), {"ingest", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto history = History(2019);
  ASSERT_EQ(history.size(), 2u) << history.dump(2);
  EXPECT_EQ(history[0]["revision"], 2);
  EXPECT_EQ(history[0]["days_changed"], 1);
  EXPECT_EQ(history[0]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ(Object("actuals/revisions/2019/2.csv"), Object("actuals/2019.csv"));
  EXPECT_EQ(AlertsOf("data.revised").size(), 1u);
}

}  // namespace
}  // namespace loadcast
