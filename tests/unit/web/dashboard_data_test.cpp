#include "web/dashboard_data.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "storage/record_json.hpp"
#include "support/records.hpp"
#include "web_fixture.hpp"

namespace loadcast::web {
namespace {

using nlohmann::json;

class DashboardDataTest : public WebTest {};

const json& HorizonPanel(const json& overview, const std::string& horizon) {
  for (const json& panel : overview["horizons"]) {
    if (panel["horizon"] == horizon) return panel;
  }
  throw std::runtime_error("no panel for " + horizon);
}

TEST_F(DashboardDataTest, OverviewShowsTheChampionAndTheLatestEvaluatedYear) {
  const json overview = Overview(data(), config());
  EXPECT_EQ(overview["latest_target_year"], 2020);
  EXPECT_FALSE(overview["generated_at"].get<std::string>().empty());
  const json& year = HorizonPanel(overview, "year");
  const auto champion = data().models().FindAliased(Horizon::kYear, "champion");
  ASSERT_TRUE(champion.has_value());
  EXPECT_EQ(year["champion"]["id"], champion->id);
  EXPECT_EQ(year["champion"]["aliases"], json::array({"champion"}));
  ASSERT_TRUE(year["validation"].is_object()) << year.dump(2);
  EXPECT_EQ(year["validation"], year["champion"]["validation"]);
  EXPECT_FALSE(year["validation"]["years"].empty());
  EXPECT_GT(year["validation"]["mean"]["mape"].get<double>(), 0.0);

  // The latest scores are those `metrics` prints, with the interval's coverage beside them.
  const json& latest = year["latest"];
  ASSERT_TRUE(latest.is_object()) << year.dump(2);
  EXPECT_EQ(latest["target_year"], 2020);
  const EvaluationSummary evaluation = data().scores().LatestEvaluations().back();
  EXPECT_EQ(latest["run_id"], evaluation.run_id);
  EXPECT_DOUBLE_EQ(latest["mape"].get<double>(), evaluation.metrics.mape);
  EXPECT_EQ(latest["days"], 366);
  EXPECT_GT(latest["coverage"].get<double>(), 0.0);
  EXPECT_LE(latest["coverage"].get<double>(), 100.0);

  // Nothing was trained for the day horizon.
  const json& day = HorizonPanel(overview, "day");
  EXPECT_TRUE(day["champion"].is_null());
  EXPECT_TRUE(day["validation"].is_null());
  EXPECT_TRUE(day["latest"].is_null());
}

TEST_F(DashboardDataTest, OverviewCountsOpenAlertsAndListsTheLatestRunsWithTheirDuration) {
  const json overview = Overview(data(), config());
  const json& open = overview["alerts"]["open"];
  int open_total = 0;
  for (const char* severity : {"critical", "warning", "info"}) {
    ASSERT_TRUE(open.contains(severity));
    open_total += open[severity].get<int>();
  }
  EXPECT_GT(open["critical"].get<int>(), 0);  // the lockdown of March 2020
  EXPECT_GE(overview["alerts"]["total"].get<int>(), open_total);
  const json& runs = overview["runs"];
  ASSERT_EQ(runs.size(), 3u);  // ingest, run, monitor
  EXPECT_EQ(runs[0]["command"], "monitor");
  for (const json& run : runs) {
    EXPECT_EQ(run["status"], "succeeded");
    EXPECT_GE(run["duration_seconds"].get<double>(), 0.0) << run.dump();
    EXPECT_FALSE(run.contains("config"));
  }
}

TEST_F(DashboardDataTest, YearViewHasEveryDayWithActualsScoresChecksAndTheMonitor) {
  const json view = YearView(data(), config(), 2020, Horizon::kYear);
  EXPECT_EQ(view["target_year"], 2020);
  EXPECT_EQ(view["horizon"], "year");
  EXPECT_EQ(view["forecast_run_id"], run_);
  EXPECT_EQ(view["model"]["id"], data().models().FindAliased(Horizon::kYear, "champion")->id);
  ASSERT_EQ(view["days"].size(), 366u);
  const json& first = view["days"][0];
  EXPECT_EQ(first["date"], "2020-01-01");
  EXPECT_LE(first["lower"].get<double>(), first["forecast"].get<double>());
  EXPECT_GE(first["upper"].get<double>(), first["forecast"].get<double>());
  EXPECT_DOUBLE_EQ(first["residual"].get<double>(),
                   first["actual"].get<double>() - first["forecast"].get<double>());

  ASSERT_EQ(view["metrics"]["months"].size(), 12u);
  EXPECT_EQ(view["metrics"]["months"][2]["period"], "2020-03");
  EXPECT_EQ(view["metrics"]["year"]["period"], "2020");
  EXPECT_DOUBLE_EQ(view["metrics"]["year"]["mape"].get<double>(),
                   data().scores().LatestEvaluations().back().metrics.mape);

  const json& thresholds = view["thresholds"];
  EXPECT_EQ(thresholds["yearly_mape_warning"], config().mape_warning);
  ASSERT_TRUE(thresholds["monthly_mape_warning"].is_number()) << thresholds.dump();
  EXPECT_GT(thresholds["monthly_mape_critical"].get<double>(),
            thresholds["monthly_mape_warning"].get<double>());

  EXPECT_EQ(view["checks"].size(), data().scores().ListChecks(run_).size());
  EXPECT_FALSE(view["checks"].empty());

  const json& monitor = view["monitor"];
  ASSERT_TRUE(monitor.is_object());
  EXPECT_EQ(monitor["as_of"], "2020-03-31");
  EXPECT_FALSE(monitor["drift"].empty());
  ASSERT_FALSE(monitor["performance"].empty());
  for (const json& w : monitor["performance"]) EXPECT_EQ(w["horizon"], "year");
  for (const json& w : monitor["drift"]) {
    EXPECT_EQ(w["scope"], "drift");
    EXPECT_TRUE(w["mean_shift_percent"].is_number()) << w.dump();
    EXPECT_TRUE(w["ks_statistic"].is_number()) << w.dump();
    EXPECT_TRUE(w["mape"].is_null()) << w.dump();
  }
  // Each window in its one record form (storage/record_json.hpp).
  const auto snapshot = data().monitor().Latest(2020);
  ASSERT_TRUE(snapshot.has_value());
  EXPECT_EQ(monitor["drift"][0], ToJson(snapshot->windows.at(0)));

  ASSERT_FALSE(view["alerts"].empty());
  for (const json& alert : view["alerts"]) {
    EXPECT_EQ(alert["target_year"], 2020);
    EXPECT_TRUE(alert["horizon"].is_null() || alert["horizon"] == "year") << alert.dump();
  }
}

TEST_F(DashboardDataTest, YearViewOfNothingPublishedIsNotFound) {
  EXPECT_THROW(YearView(data(), config(), 2019, Horizon::kYear), NotFoundError);
  EXPECT_THROW(YearView(data(), config(), 2020, Horizon::kDay), NotFoundError);
}

TEST_F(DashboardDataTest, BacktestsHaveBothHorizons) {
  const json backtests = Backtests(data(), config());
  EXPECT_TRUE(backtests["horizons"]["year"].is_array());
  EXPECT_TRUE(backtests["horizons"]["day"].is_array());
}

TEST_F(DashboardDataTest, AlertsFilterAndRejectUnknownValues) {
  AlertFilter filter;
  filter.limit = 500;
  const json all = Alerts(data(), config(), filter)["alerts"];
  ASSERT_FALSE(all.empty());
  filter.severities = {AlertSeverity::kCritical};
  filter.sources = {AlertSource::kDrift, AlertSource::kPerformance};
  const json critical = Alerts(data(), config(), filter)["alerts"];
  ASSERT_FALSE(critical.empty());
  for (const json& a : critical) {
    EXPECT_EQ(a["severity"], "critical");
    EXPECT_TRUE(a["source"] == "drift" || a["source"] == "performance");
  }
  filter = {};
  filter.since = "2999-01-01";
  EXPECT_TRUE(Alerts(data(), config(), filter)["alerts"].empty());
  filter.limit = 1;
  filter.since.clear();
  EXPECT_EQ(Alerts(data(), config(), filter)["alerts"].size(), 1u);

  AlertFilter bad;
  bad.until = "2020-13-01";
  EXPECT_THROW(Alerts(data(), config(), bad), UsageError);
  bad = {};
  bad.limit = 0;
  EXPECT_THROW(Alerts(data(), config(), bad), UsageError);
}

TEST_F(DashboardDataTest, ModelsCarryTheirAliasesAndValidation) {
  const json models = Models(data(), config(), Horizon::kYear);
  ASSERT_EQ(models["models"].size(), 1u);
  EXPECT_EQ(models["models"][0]["aliases"], json::array({"champion"}));
  EXPECT_TRUE(models["models"][0]["validation"].is_object());
  ASSERT_EQ(models["aliases"].size(), 1u);
  EXPECT_EQ(models["aliases"][0]["alias"], "champion");
  ASSERT_EQ(models["decisions"].size(), 1u);
  EXPECT_EQ(models["decisions"][0]["outcome"], "promoted");
  EXPECT_TRUE(Models(data(), config(), Horizon::kDay)["models"].empty());
  EXPECT_EQ(Models(data(), config(), std::nullopt)["models"].size(), 1u);
}

TEST_F(DashboardDataTest, RunDetailHasTheConfigInputsModelAndChecks) {
  const json detail = RunDetail(data(), config(), run_);
  EXPECT_EQ(detail["run"]["id"], run_);
  EXPECT_EQ(detail["run"]["command"], "run");
  EXPECT_FALSE(detail["config"].get<std::string>().empty());
  EXPECT_TRUE(detail["run"]["inputs"].contains("actuals/2019.csv")) << detail["run"].dump();
  EXPECT_FALSE(detail.contains("inputs")) << "the inputs are the run's, not the detail's";
  EXPECT_EQ(detail["run"], RunWithDurationJson(*data().runs().Find(run_)));
  EXPECT_TRUE(detail["model"].is_object());
  EXPECT_FALSE(detail["checks"].empty());
  EXPECT_EQ(detail["decisions"].size(), 1u);
  for (const json& a : detail["alerts"]) EXPECT_EQ(a["run_id"], run_);
  EXPECT_THROW(RunDetail(data(), config(), 999'999), NotFoundError);
  EXPECT_EQ(Runs(data(), config(), 2)["runs"].size(), 2u);
  EXPECT_THROW(Runs(data(), config(), 0), UsageError);
}

/// A copy of the shared workspace, for tests that change it.
class DashboardCopyTest : public WebTest {
 protected:
  void SetUp() override {
    std::filesystem::copy(workspace_->path() / "var", dir_.path() / "var",
                          std::filesystem::copy_options::recursive);
    copy_ = std::make_unique<DataController>(copy_config_);
  }
  testing::TempDir dir_;
  Config copy_config_ = FastConfig(dir_.path());
  std::unique_ptr<DataController> copy_;
};

TEST_F(DashboardCopyTest, AMissingArtifactGivesNoValidationRatherThanAnError) {
  const ModelRecord model = *copy_->models().FindAliased(Horizon::kYear, "champion");
  std::filesystem::remove(dir_.path() / "var/bucket" / model.artifact);
  const json models = Models(*copy_, copy_config_, std::nullopt);
  ASSERT_EQ(models["models"].size(), 1u);
  EXPECT_TRUE(models["models"][0]["validation"].is_null());
  const json overview = Overview(*copy_, copy_config_);
  EXPECT_TRUE(HorizonPanel(overview, "year")["validation"].is_null());
  EXPECT_EQ(HorizonPanel(overview, "year")["champion"]["id"], model.id);
}

TEST_F(DashboardCopyTest, AcknowledgingTwiceSaysItWasAlreadyAcknowledged) {
  AlertFilter filter;
  filter.acknowledged = false;
  filter.limit = 1;
  const int64_t id = copy_->alerts().List(filter).at(0).id;
  const json first = AcknowledgeAlert(*copy_, id);
  EXPECT_FALSE(first["already_acknowledged"].get<bool>());
  EXPECT_TRUE(first["alert"]["acknowledged"].get<bool>());
  EXPECT_TRUE(AcknowledgeAlert(*copy_, id)["already_acknowledged"].get<bool>());
  EXPECT_THROW(AcknowledgeAlert(*copy_, 999'999), NotFoundError);
}

}  // namespace
}  // namespace loadcast::web
