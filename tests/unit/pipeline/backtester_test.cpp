#include "pipeline/backtester.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "core/errors.hpp"
#include "pipeline/flows.hpp"
#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::BundledData;
using testing::TempDir;

std::vector<std::string> StepNames(const BacktestResult& result) {
  std::vector<std::string> names;
  for (const StepTiming& t : result.timings) names.push_back(t.step);
  return names;
}

/// Each test works on its own copy of a workspace that already holds the bundled data
/// (2006-2021), ingested once for the suite.
class BacktesterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::err);
    workspace_ = new TempDir;
    const Config config = DefaultConfig(workspace_->path());
    DataController data(config);
    IngestFlow(data, config, {BundledData()});
  }
  static void TearDownTestSuite() {
    delete workspace_;
    workspace_ = nullptr;
  }
  void SetUp() override {
    std::filesystem::copy(workspace_->path() / "var", dir_ / "var",
                          std::filesystem::copy_options::recursive);
    data_ = std::make_unique<DataController>(config_);
  }

  DataController& db() { return *data_; }
  RunRecord LastRun() { return db().runs().List(1).at(0); }

  static TempDir* workspace_;
  TempDir dir_;
  // The real model configuration: the accuracy a backtest reports is the one the project ships.
  Config config_ = DefaultConfig(dir_.path());
  std::unique_ptr<DataController> data_;
};

TempDir* BacktesterTest::workspace_ = nullptr;

TEST_F(BacktesterTest, YearHorizonBeatsTheNaiveStoresItsRowsAndRegistersNoModel) {
  std::vector<std::tuple<int, int, int>> progress;
  const BacktestResult result = BacktestFlow(
      db(), config_, 2018, 2019, Horizon::kYear,
      [&](int year, int index, int count) { progress.emplace_back(year, index, count); });

  ASSERT_EQ(result.years.size(), 2u);
  EXPECT_EQ(result.horizon, Horizon::kYear);
  for (std::size_t i = 0; i < 2; ++i) {
    const BacktestRow& row = result.years[i];
    SCOPED_TRACE(row.target_year);
    EXPECT_EQ(row.target_year, 2018 + static_cast<int>(i));
    EXPECT_EQ(row.run_id, result.run_id);
    EXPECT_EQ(row.horizon, "year");
    EXPECT_EQ(row.days, 365);
    EXPECT_GT(row.mape, 0.0);
    EXPECT_LT(row.mape, row.naive_mape);
    EXPECT_GT(row.skill, 0.0);
    EXPECT_GT(row.mae, 0.0);
    EXPECT_GE(row.rmse, row.mae);
    EXPECT_GE(row.coverage, 0.0);
    EXPECT_LE(row.coverage, 100.0);
    EXPECT_GT(row.interval_width, 0.0);
  }
  EXPECT_EQ(result.mean.days, 730);
  EXPECT_DOUBLE_EQ(result.mean.mape, (result.years[0].mape + result.years[1].mape) / 2.0);
  EXPECT_EQ(progress, (std::vector<std::tuple<int, int, int>>{{2018, 1, 2}, {2019, 2, 2}}));
  EXPECT_EQ(StepNames(result),
            (std::vector<std::string>{"backtest 2018", "backtest 2019", "save"}));

  // One recorded run.
  const RunRecord run = LastRun();
  EXPECT_EQ(run.id, result.run_id);
  EXPECT_EQ(run.command, "backtest");
  EXPECT_EQ(run.target_year, 2019);
  EXPECT_EQ(run.horizon, "year");
  EXPECT_EQ(run.status, "succeeded");

  // The rows are stored as returned.
  const auto stored = db().scores().ListBacktests(result.run_id);
  ASSERT_EQ(stored.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(stored[i].target_year, result.years[i].target_year);
    EXPECT_EQ(stored[i].days, result.years[i].days);
    EXPECT_DOUBLE_EQ(stored[i].mape, result.years[i].mape);
    EXPECT_DOUBLE_EQ(stored[i].coverage, result.years[i].coverage);
    EXPECT_DOUBLE_EQ(stored[i].interval_width, result.years[i].interval_width);
  }
  EXPECT_EQ(db().scores().LatestBacktests(Horizon::kYear).size(), 2u);
  EXPECT_TRUE(db().scores().LatestBacktests(Horizon::kDay).empty());

  // The registry is untouched: no model row, no artifact.
  EXPECT_TRUE(db().models().List(std::nullopt, 1).empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "var/bucket/models"));
}

TEST_F(BacktesterTest, AYearScoresAsTheRunOfThatYearIsEvaluated) {
  const BacktestResult backtest = BacktestFlow(db(), config_, 2021, 2021, Horizon::kYear, {});
  // A run fits the same model on the same years and Evaluate scores its published forecast.
  const FlowResult run = RunFlow(db(), config_, 2021, Horizon::kYear, std::nullopt);
  ASSERT_TRUE(run.evaluation.has_value());
  ASSERT_EQ(backtest.years.size(), 1u);
  const BacktestRow& b = backtest.years[0];
  const MetricRow& e = run.evaluation->year;
  EXPECT_EQ(b.days, e.days);
  EXPECT_NEAR(b.mape, e.mape, 1e-9);
  EXPECT_NEAR(b.mae, e.mae, 1e-6);
  EXPECT_NEAR(b.bias, e.bias, 1e-6);
  EXPECT_NEAR(b.naive_mape, e.naive_mape, 1e-9);
  EXPECT_NEAR(b.skill, e.skill, 1e-9);
}

TEST_F(BacktesterTest, DayHorizonBeatsTheNaiveAndTheYearHorizon) {
  const BacktestResult day = BacktestFlow(db(), config_, 2019, 2021, Horizon::kDay, {});
  const BacktestResult year = BacktestFlow(db(), config_, 2019, 2021, Horizon::kYear, {});
  ASSERT_EQ(day.years.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE(day.years[i].target_year);
    EXPECT_EQ(day.years[i].horizon, "day");
    EXPECT_LT(day.years[i].mape, day.years[i].naive_mape);
    EXPECT_LT(day.years[i].mape, year.years[i].mape);
  }
  EXPECT_EQ(db().scores().LatestBacktests(Horizon::kDay).size(), 3u);
}

TEST_F(BacktesterTest, FromAfterToIsAUsageErrorAndStartsNoRun) {
  const auto runs = db().runs().List(100).size();
  EXPECT_THROW(BacktestFlow(db(), config_, 2020, 2019, Horizon::kYear, {}), UsageError);
  EXPECT_EQ(db().runs().List(100).size(), runs);
}

TEST_F(BacktesterTest, AYearWithoutEnoughTrainingDataRejectsTheRun) {
  // 2007 would train on 2006 alone: less than the two years training needs.
  EXPECT_THROW(BacktestFlow(db(), config_, 2007, 2008, Horizon::kYear, {}), DataError);
  const RunRecord run = LastRun();
  EXPECT_EQ(run.command, "backtest");
  EXPECT_EQ(run.status, "rejected");
  EXPECT_TRUE(db().scores().ListBacktests(run.id).empty());
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.code, "data_rejected");
  EXPECT_EQ(alert.source, "pipeline");
  EXPECT_EQ(alert.severity, "critical");
  EXPECT_EQ(alert.subject, "backtest step backtest 2007");
}

TEST_F(BacktesterTest, AYearWithoutActualsFailsTheRunAfterTheOthersWithoutStoringAny) {
  // 2022 can be trained (2021 is complete) but not scored: no actual of 2022 exists.
  EXPECT_THROW(BacktestFlow(db(), config_, 2021, 2022, Horizon::kYear, {}), DataError);
  const RunRecord run = LastRun();
  EXPECT_EQ(run.status, "rejected");
  EXPECT_NE(run.message.find("no actual of 2022"), std::string::npos) << run.message;
  EXPECT_TRUE(db().scores().ListBacktests(run.id).empty());
}

TEST(MeanBacktest, WeighsEachYearOnceAndTotalsTheDays) {
  BacktestRow a;
  a.run_id = 7;
  a.target_year = 2019;
  a.horizon = Horizon::kYear;
  a.days = 365;
  a.mape = 2.0;
  a.mae = 100.0;
  a.rmse = 150.0;
  a.bias = -10.0;
  a.skill = 0.5;
  a.naive_mape = 4.0;
  a.coverage = 90.0;
  a.interval_width = 10.0;
  BacktestRow b = a;
  b.target_year = 2020;
  b.days = 31;
  b.mape = 4.0;
  b.bias = 30.0;
  b.coverage = 80.0;
  const BacktestRow mean = MeanBacktest({a, b});
  EXPECT_EQ(mean.run_id, 7);
  EXPECT_EQ(mean.target_year, 0);
  EXPECT_EQ(mean.horizon, "year");
  EXPECT_EQ(mean.days, 396);
  EXPECT_DOUBLE_EQ(mean.mape, 3.0);
  EXPECT_DOUBLE_EQ(mean.mae, 100.0);
  EXPECT_DOUBLE_EQ(mean.bias, 10.0);
  EXPECT_DOUBLE_EQ(mean.skill, 0.5);
  EXPECT_DOUBLE_EQ(mean.coverage, 85.0);
  EXPECT_DOUBLE_EQ(mean.interval_width, 10.0);
  EXPECT_EQ(MeanBacktest({}).days, 0);
}

}  // namespace
}  // namespace loadcast
