#include "pipeline/flows.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "model/kinds.hpp"
#include "pipeline/model_registry.hpp"
#include "support/expect.hpp"
#include "support/files.hpp"
#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::BundledData;
using testing::HashTree;
using testing::Slurp;
using testing::TempDir;
using Snapshot = std::map<std::string, std::string>;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> StepNames(const FlowResult& result) {
  std::vector<std::string> names;
  for (const StepTiming& t : result.timings) names.push_back(t.step);
  return names;
}

/// Training is the slow part of a flow; where the model's accuracy is not what a test is about,
/// a smaller fit keeps the binary fast.
Config FastConfig(const std::filesystem::path& base_dir) {
  Config config = DefaultConfig(base_dir);
  for (ModelSection* model : {&config.year_model, &config.day_model}) {
    model->Set("training_years", "2");
    model->Set("epochs", "3");
  }
  return config;
}

/// Each test works on its own copy of a workspace that already holds the bundled data (2006-2021)
/// and a year model for 2021, both made once for the suite.
class FlowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::err);
    workspace_ = new TempDir;
    const Config config = FastConfig(workspace_->path());
    DataController data(config);
    IngestFlow(data, config, {BundledData()});
    TrainFlow(data, config, 2021, Horizon::kYear);
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
  std::filesystem::path Bucket() const { return dir_ / "var/bucket"; }
  /// The most recent run: the one a flow that threw just recorded.
  RunRecord LastRun() { return db().runs().List(1).at(0); }

  static TempDir* workspace_;
  TempDir dir_;
  Config config_ = FastConfig(dir_.path());
  std::unique_ptr<DataController> data_;
};

TempDir* FlowsTest::workspace_ = nullptr;

TEST(IngestFlow, StoresTheBundledDataInASucceededRun) {
  spdlog::set_level(spdlog::level::err);
  TempDir dir;
  const Config config = DefaultConfig(dir.path());
  DataController data(config);
  const IngestResult result = IngestFlow(data, config, {BundledData()});
  EXPECT_EQ(result.report.years_stored.size(), 16u);
  EXPECT_EQ(result.report.rows, 5844u);
  const RunRecord run = data.runs().List(1).at(0);
  EXPECT_EQ(run.id, result.run_id);
  EXPECT_EQ(run.command, "ingest");
  EXPECT_EQ(run.status, "succeeded");
  EXPECT_EQ(run.target_year, std::nullopt);
  EXPECT_EQ(run.horizon, std::nullopt);
  // Each run records the configuration it ran with, every parameter of each model's kind listed.
  EXPECT_EQ(run.config, DumpConfig(ResolveModels(config)));
  EXPECT_NE(run.config.find("    epochs: 20\n"), std::string::npos);
  EXPECT_EQ(data.alerts().Count(result.run_id), 0);
}

TEST_F(FlowsTest, ReIngestSucceedsAndChangesNothing) {
  const Snapshot before = HashTree(Bucket());
  const IngestResult result = IngestFlow(*data_, config_, {BundledData()});
  EXPECT_TRUE(result.report.years_stored.empty());
  EXPECT_EQ(result.report.years_unchanged.size(), 16u);
  EXPECT_EQ(HashTree(Bucket()), before);
  EXPECT_EQ(LastRun().status, "succeeded");
}

TEST_F(FlowsTest, IngestOfABadFileIsRejectedQuarantinedAndAlertedWithTheBucketDataUnchanged) {
  const auto bad = dir_.Write("bad.csv", "date,load\n2021-05-01,700000\n2021-05-01,700000\n");
  const Snapshot before = HashTree(Bucket());
  EXPECT_THROW(IngestFlow(*data_, config_, {bad}), DataError);
  // The data objects are as they were; the file was kept in quarantine with its reason.
  Snapshot after = HashTree(Bucket());
  std::vector<std::string> quarantined;
  for (auto it = after.begin(); it != after.end();) {
    if (it->first.starts_with("quarantine/")) {
      quarantined.push_back(it->first);
      it = after.erase(it);
    } else {
      ++it;
    }
  }
  EXPECT_EQ(after, before);
  ASSERT_EQ(quarantined.size(), 2u);
  const std::vector<std::string> kept = db().quarantine().List();
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_TRUE(kept[0].ends_with("-bad.csv")) << kept[0];
  EXPECT_EQ(Slurp(Bucket() / kept[0]), Slurp(bad));
  const auto reason = nlohmann::json::parse(Slurp(Bucket() / (kept[0] + ".reason.json")));
  EXPECT_EQ(reason["file"], bad.string());
  EXPECT_EQ(reason["sha256"], Sha256Hex(Slurp(bad)));
  ASSERT_EQ(reason["findings"].size(), 1u);
  EXPECT_EQ(reason["findings"][0]["rule"], "duplicate_date");
  EXPECT_EQ(reason["findings"][0]["line"], 3);
  EXPECT_EQ(reason["findings"][0]["severity"], "error");

  const RunRecord run = LastRun();
  EXPECT_EQ(run.command, "ingest");
  EXPECT_EQ(run.status, "rejected");
  EXPECT_CONTAINS(
      run.message,
      bad.string() + ":3: duplicate date 2021-05-01 (first on line 2) [duplicate_date]");
  EXPECT_CONTAINS(run.message, bad.string() + ": quarantined as ");
  EXPECT_FALSE(run.finished_at.empty());
  // One alert for the finding, one for the rejected run (newest first).
  ASSERT_EQ(db().alerts().Count(run.id), 2);
  const auto alerts = db().alerts().List(2);
  EXPECT_EQ(alerts[0].code, "data_rejected");
  EXPECT_EQ(alerts[0].run_id, run.id);
  EXPECT_CONTAINS(alerts[0].message, bad.string() + ":3:");
  const AlertRecord& finding = alerts[1];
  EXPECT_EQ(finding.run_id, run.id);
  EXPECT_EQ(finding.severity, "critical");
  EXPECT_EQ(finding.source, "validation");
  EXPECT_EQ(finding.code, "validation.duplicate_date");
  EXPECT_EQ(finding.message, bad.string() + ":3: duplicate date 2021-05-01 (first on line 2)");
}

TEST_F(FlowsTest, IngestOfAFileWithOnlyWarningsStoresItAndRaisesAWarningAlert) {
  // 2022-01-01 at 1000000 MWh: +59% from the stored 2021-12-31, unusual but below the 70% limit.
  const auto file = dir_.Write("2022.csv", "date,load\n2022-01-01,1000000\n2022-01-02,900000\n");
  const IngestResult result = IngestFlow(*data_, config_, {file});
  EXPECT_EQ(result.report.years_stored, std::vector<int>{2022});
  EXPECT_EQ(LastRun().status, "succeeded");
  EXPECT_TRUE(db().quarantine().List().empty());
  ASSERT_EQ(db().alerts().Count(result.run_id), 1);
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.severity, "warning");
  EXPECT_EQ(alert.source, "validation");
  EXPECT_EQ(alert.code, "validation.unusual_jump");
  EXPECT_CONTAINS(alert.message, file.string() + ":2: load 1000000 on 2022-01-01 changes by 59%");
}

TEST_F(FlowsTest, FailedPredictionChecksRaiseCriticalPredictionAlerts) {
  Config strict = config_;
  strict.envelope_margin = -0.6;  // every value outside the history envelope
  EXPECT_THROW(PredictFlow(*data_, strict, 2021, Horizon::kYear, std::nullopt), ForecastRejected);
  const RunRecord run = LastRun();
  bool raised = false;
  for (const AlertRecord& a : db().alerts().List(10)) {
    if (a.run_id != run.id || a.code != "prediction.history_envelope") continue;
    raised = true;
    EXPECT_EQ(a.severity, "critical");
    EXPECT_EQ(a.source, "prediction");
    EXPECT_CONTAINS(a.message, "history_envelope: 365 values outside");
  }
  EXPECT_TRUE(raised);
}

TEST_F(FlowsTest, IngestOfAMissingFileIsRejected) {
  EXPECT_THROW(IngestFlow(*data_, config_, {dir_ / "nope.csv"}), DataError);
  EXPECT_EQ(LastRun().status, "rejected");
  EXPECT_EQ(db().alerts().Count(LastRun().id), 1);
}

TEST_F(FlowsTest, RunFlowForecastsEveryDayOf2021AndBeatsTheSeasonalNaive) {
  // The real model configuration: this is the accuracy the project promises.
  const Config config = DefaultConfig(dir_.path());
  const FlowResult result = RunFlow(*data_, config, 2021, Horizon::kYear, std::nullopt);
  EXPECT_EQ(result.command, "run");
  EXPECT_EQ(result.target_year, 2021);
  ASSERT_TRUE(result.forecast.has_value());
  ASSERT_EQ(result.forecast->size(), 365u);
  EXPECT_EQ(result.forecast->dates.front(), Date::FromYmd(2021, 1, 1));
  EXPECT_EQ(result.forecast->dates.back(), Date::FromYmd(2021, 12, 31));
  ASSERT_EQ(result.actuals.size(), 365u);
  for (double a : result.actuals) ASSERT_FALSE(std::isnan(a));

  ASSERT_TRUE(result.evaluation.has_value());
  const MetricRow& year = result.evaluation->year;
  EXPECT_EQ(year.days, 365);
  EXPECT_GT(year.mape, 0.0);
  EXPECT_LT(year.mape, year.naive_mape);
  EXPECT_GT(year.skill, 0.0);
  EXPECT_EQ(result.evaluation->months.size(), 12u);
  EXPECT_EQ(result.evaluation->forecast_run_id, result.run_id);

  ASSERT_TRUE(result.model.has_value());
  // The real configuration beats the suite's fast one on the validation years: the new model is
  // promoted, and it is the one that forecast.
  ASSERT_TRUE(result.trained.has_value());
  EXPECT_TRUE(result.trained_new);
  EXPECT_EQ(result.model->id, result.trained->id);
  EXPECT_EQ(result.model->run_id, result.run_id);
  EXPECT_EQ(result.model->horizon, "year");
  EXPECT_EQ(result.model->trained_to, "2020-12-31");
  ASSERT_TRUE(result.gate && result.gate->decision);
  EXPECT_TRUE(result.gate->recorded);
  EXPECT_EQ(result.gate->decision->outcome, "promoted");
  EXPECT_EQ(StepNames(result),
            (std::vector<std::string>{"extract", "validate", "enrich", "train", "gate", "predict",
                                      "check", "publish", "evaluate"}));
  for (const CheckRow& c : result.checks) EXPECT_NE(c.status, "fail") << c.check;

  const RunRecord run = LastRun();
  EXPECT_EQ(run.id, result.run_id);
  EXPECT_EQ(run.status, "succeeded");
  EXPECT_EQ(run.target_year, 2021);
  EXPECT_EQ(run.horizon, "year");
  EXPECT_EQ(result.alerts, db().alerts().Count(result.run_id));
  // What the run produced is on record: the forecast, its checks and its scores.
  EXPECT_EQ(db().forecasts().Current(2021, Horizon::kYear, 0)->run_id, result.run_id);
  EXPECT_EQ(db().scores().ListChecks(result.run_id).size(), result.checks.size());
  const auto evaluations = db().scores().LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 1u);
  EXPECT_EQ(evaluations[0].run_id, result.run_id);
  EXPECT_DOUBLE_EQ(evaluations[0].metrics.mape, year.mape);
}

TEST_F(FlowsTest, PredictBeforeTrainIsAUsageErrorRecordedAsAFailedRun) {
  // The workspace has a 2021 year model only: nothing is trained for the day horizon.
  try {
    PredictFlow(*data_, config_, 2021, Horizon::kDay, std::nullopt);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "no day model is registered");
  }
  const RunRecord run = LastRun();
  EXPECT_EQ(run.command, "predict");
  EXPECT_EQ(run.status, "failed");
  EXPECT_EQ(run.horizon, "day");
  EXPECT_CONTAINS(run.message, "loadcast train --target-year 2021 --horizon day");
  ASSERT_EQ(db().alerts().Count(run.id), 1);
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.run_id, run.id);
  EXPECT_EQ(alert.severity, "critical");
  EXPECT_EQ(alert.source, "pipeline");
  EXPECT_EQ(alert.code, "run_refused");
  EXPECT_EQ(alert.target_year, 2021);
  EXPECT_EQ(alert.horizon, "day");
  EXPECT_CONTAINS(alert.subject, "predict step predict");
  // A refusal is about the day it happened: repeated today it is the same alert.
  EXPECT_EQ(alert.period_start, Date::Today().ToIso());
  EXPECT_EQ(alert.period_end, Date::Today().ToIso());
  EXPECT_THROW(PredictFlow(*data_, config_, 2021, Horizon::kDay, std::nullopt), UsageError);
  EXPECT_EQ(db().alerts().Count(LastRun().id), 0);
  EXPECT_EQ(db().alerts().List(1).at(0).id, alert.id);
  EXPECT_EQ(db().forecasts().Current(2021, Horizon::kDay, run.id), std::nullopt);
}

TEST_F(FlowsTest, TrainThenPredictThenEvaluate) {
  const FlowResult trained = TrainFlow(*data_, config_, 2021, Horizon::kYear);
  ASSERT_TRUE(trained.model.has_value());
  EXPECT_FALSE(trained.trained_new);  // the suite's workspace holds this very version
  EXPECT_EQ(StepNames(trained),
            (std::vector<std::string>{"extract", "validate", "enrich", "train", "gate"}));
  EXPECT_FALSE(trained.forecast.has_value());
  EXPECT_EQ(LastRun().status, "succeeded");
  EXPECT_TRUE(std::filesystem::is_regular_file(Bucket() / trained.model->artifact));

  const FlowResult predicted = PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt);
  ASSERT_TRUE(predicted.forecast.has_value());
  EXPECT_EQ(predicted.forecast->size(), 365u);
  // The prediction used the model just trained, the latest for the target.
  ASSERT_TRUE(predicted.model.has_value());
  EXPECT_EQ(predicted.model->id, trained.model->id);
  EXPECT_EQ(StepNames(predicted), (std::vector<std::string>{"extract", "validate", "enrich",
                                                            "predict", "check", "publish"}));
  EXPECT_FALSE(predicted.evaluation.has_value());
  EXPECT_EQ(db().scores().ListChecks(predicted.run_id).size(), 9u);
  const auto published = db().forecasts().Current(2021, Horizon::kYear, 0);
  ASSERT_TRUE(published.has_value());
  EXPECT_EQ(published->run_id, predicted.run_id);
  EXPECT_EQ(published->model_id, trained.model->id);
  EXPECT_EQ(published->rows.size(), 365u);

  const FlowResult evaluated = EvaluateFlow(*data_, config_, 2021, Horizon::kYear);
  ASSERT_TRUE(evaluated.evaluation.has_value());
  EXPECT_EQ(evaluated.evaluation->forecast_run_id, predicted.run_id);
  EXPECT_EQ(evaluated.evaluation->year.days, 365);
  EXPECT_EQ(StepNames(evaluated), std::vector<std::string>{"evaluate"});
  EXPECT_EQ(LastRun().status, "succeeded");
  const auto evaluations = db().scores().LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 1u);
  EXPECT_EQ(evaluations[0].run_id, evaluated.run_id);
  EXPECT_DOUBLE_EQ(evaluations[0].metrics.mape, evaluated.evaluation->year.mape);
}

TEST_F(FlowsTest, PredictWritesTheOutCsv) {
  std::filesystem::create_directories(dir_ / "exports");  // --out creates no folder
  const auto out = dir_ / "exports/forecast-2021.csv";
  const FlowResult result = PredictFlow(*data_, config_, 2021, Horizon::kYear, out);
  EXPECT_EQ(result.exported, out);
  const std::string text = Slurp(out);
  const auto lines = Lines(text);
  ASSERT_EQ(lines.size(), 366u);
  EXPECT_EQ(lines[0], "date,forecast,lower,upper,actual");
  EXPECT_TRUE(lines[1].starts_with("2021-01-01,")) << lines[1];
  EXPECT_TRUE(lines[365].starts_with("2021-12-31,")) << lines[365];
  // The file is exactly what FormatForecastCsv makes of the published forecast.
  ASSERT_TRUE(result.forecast.has_value());
  EXPECT_EQ(text, FormatForecastCsv(*result.forecast, result.actuals));
}

TEST_F(FlowsTest, ForecastFailingItsChecksIsRejectedAndNotPublished) {
  // A negative margin shrinks the history envelope to nothing: every value falls outside it.
  Config strict = config_;
  strict.envelope_margin = -0.6;
  const auto out = dir_ / "forecast.csv";
  try {
    PredictFlow(*data_, strict, 2021, Horizon::kYear, out);
    FAIL() << "expected ForecastRejected";
  } catch (const ForecastRejected& e) {
    EXPECT_CONTAINS(std::string(e.what()), "history_envelope");
  }
  const RunRecord run = LastRun();
  EXPECT_EQ(run.status, "rejected");
  EXPECT_EQ(db().forecasts().Current(2021, Horizon::kYear, run.id), std::nullopt);
  EXPECT_FALSE(std::filesystem::exists(out));
  // The checks are kept to show why.
  bool envelope_failed = false;
  for (const CheckRow& c : db().scores().ListChecks(run.id)) {
    envelope_failed |= c.check == "history_envelope" && c.status == "fail";
  }
  EXPECT_TRUE(envelope_failed);
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.run_id, run.id);
  EXPECT_EQ(alert.code, "forecast_rejected");
  EXPECT_EQ(alert.severity, "critical");
  EXPECT_EQ(alert.source, "pipeline");
  EXPECT_CONTAINS(alert.subject, "predict step check");
}

TEST_F(FlowsTest, EvaluateWithoutAForecastIsAUsageErrorRecordedAsAFailedRun) {
  EXPECT_THROW(EvaluateFlow(*data_, config_, 2021, Horizon::kYear), UsageError);
  const RunRecord run = LastRun();
  EXPECT_EQ(run.command, "evaluate");
  EXPECT_EQ(run.status, "failed");
  ASSERT_EQ(db().alerts().Count(run.id), 1);
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.source, "pipeline");
  EXPECT_EQ(alert.subject, "evaluate step evaluate");
  EXPECT_EQ(alert.code, "run_refused");
}

TEST_F(FlowsTest, EvaluateAboveTheMapeThresholdRaisesAWarningButSucceeds) {
  PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt);
  Config picky = config_;
  picky.mape_warning = 0.01;
  const FlowResult result = EvaluateFlow(*data_, picky, 2021, Horizon::kYear);
  ASSERT_TRUE(result.evaluation.has_value());
  EXPECT_EQ(LastRun().status, "succeeded");
  EXPECT_EQ(result.alerts, 1);
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.run_id, result.run_id);
  EXPECT_EQ(alert.severity, "warning");
  EXPECT_EQ(alert.code, "mape_above_threshold");
  // The summary of evaluations shows the warning beside the score.
  const auto evaluations = db().scores().LatestEvaluations();
  ASSERT_EQ(evaluations.size(), 1u);
  EXPECT_EQ(evaluations[0].run_id, result.run_id);
  EXPECT_EQ(evaluations[0].alerts, 1);
}

TEST_F(FlowsTest, ANextYearForecastHasNoActualsAndNothingToEvaluateYet) {
  TrainFlow(*data_, config_, 2022, Horizon::kYear);
  const auto out = dir_ / "forecast-2022.csv";
  const FlowResult predicted = PredictFlow(*data_, config_, 2022, Horizon::kYear, out);
  ASSERT_TRUE(predicted.forecast.has_value());
  EXPECT_EQ(predicted.forecast->size(), 365u);
  for (double a : predicted.actuals) ASSERT_TRUE(std::isnan(a));
  // No actual yet: the CSV's last column is empty.
  const auto lines = Lines(Slurp(out));
  ASSERT_EQ(lines.size(), 366u);
  EXPECT_TRUE(lines[1].starts_with("2022-01-01,")) << lines[1];
  EXPECT_TRUE(lines[1].ends_with(",")) << lines[1];

  const FlowResult evaluated = EvaluateFlow(*data_, config_, 2022, Horizon::kYear);
  EXPECT_FALSE(evaluated.evaluation.has_value());
  EXPECT_EQ(LastRun().status, "succeeded");
  EXPECT_TRUE(db().scores().LatestEvaluations().empty());
}

TEST_F(FlowsTest, DayHorizonForecastsUpToTheDayAfterTheLastActual) {
  // 2022 observed through January 10: the day-ahead run forecasts January 1 to 11.
  std::string rows = "date,load\n";
  for (int d = 1; d <= 10; ++d) rows += fmt::format("2022-01-{:02},{}\n", d, 800000 + d * 1000);
  IngestFlow(*data_, config_, {dir_.Write("jan.csv", rows)});
  const FlowResult result = RunFlow(*data_, config_, 2022, Horizon::kDay, std::nullopt);
  ASSERT_TRUE(result.forecast.has_value());
  ASSERT_EQ(result.forecast->size(), 11u);
  EXPECT_EQ(result.forecast->dates.back(), Date::FromYmd(2022, 1, 11));
  ASSERT_TRUE(result.evaluation.has_value());
  EXPECT_EQ(result.evaluation->year.days, 10);
  EXPECT_EQ(LastRun().status, "succeeded");
}

TEST_F(FlowsTest, TrainWithoutThePreviousYearIsADataErrorRecordedAsRejected) {
  EXPECT_THROW(TrainFlow(*data_, config_, 2023, Horizon::kYear), DataError);
  const RunRecord run = LastRun();
  EXPECT_EQ(run.command, "train");
  EXPECT_EQ(run.status, "rejected");
  const AlertRecord alert = db().alerts().List(1).at(0);
  EXPECT_EQ(alert.source, "pipeline");
  EXPECT_EQ(alert.severity, "critical");
  EXPECT_EQ(alert.subject, "train step extract");
  EXPECT_EQ(alert.code, "data_rejected");
  // Rejected data is about the data, not the day: no period.
  EXPECT_EQ(alert.period_start, std::nullopt);
}

// --- The model registry: versions, the promotion gate, rollback, reproducible runs ---

TEST_F(FlowsTest, TheSuitesModelIsTheYearChampionWithItsMetadata) {
  const auto champion = db().models().LoadAliased(Horizon::kYear, "champion");
  ASSERT_TRUE(champion.has_value());
  const ModelRecord& m = champion->record;
  EXPECT_EQ(m.number, 1);
  EXPECT_EQ(m.target_year, 2021);
  EXPECT_FALSE(m.spec_hash.empty());
  EXPECT_FALSE(m.config_hash.empty());
  EXPECT_FALSE(m.data_hash.empty());
  EXPECT_FALSE(m.code_version.empty());
  const nlohmann::json& a = champion->artifact;
  EXPECT_EQ(a.at("format_version"), 2);
  EXPECT_FALSE(a.at("features").empty());
  // Every input object before the target year, and none of it.
  EXPECT_TRUE(a.at("inputs").contains("actuals/2020.csv"));
  EXPECT_FALSE(a.at("inputs").contains("actuals/2021.csv"));
  EXPECT_EQ(a.at("inputs").at("actuals/2020.csv"), db().actuals().Hash(2020));
  EXPECT_EQ(a.at("validation").at("years"), nlohmann::json({2018, 2019, 2020}));
  EXPECT_TRUE(a.contains("intervals"));
  const auto decisions = db().models().ListDecisions(Horizon::kYear, 10);
  ASSERT_EQ(decisions.size(), 1u);
  EXPECT_EQ(decisions[0].outcome, "promoted");
  EXPECT_EQ(decisions[0].candidate_id, m.id);
}

TEST_F(FlowsTest, ARunRecordsItsConfigInputsAndModel) {
  const FlowResult result = RunFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt);
  const auto run = db().runs().Find(result.run_id);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->config_hash, Sha256Hex(run->config).substr(0, 16));
  EXPECT_EQ(run->model_id, result.model->id);
  const nlohmann::json inputs = nlohmann::json::parse(run->inputs);
  EXPECT_EQ(inputs.at("actuals/2021.csv"), db().actuals().Hash(2021));
  EXPECT_EQ(inputs.at("actuals/2016.csv"), db().actuals().Hash(2016));
  // Another config is another hash.
  Config other = config_;
  other.mape_warning = 9.5;
  const FlowResult again = RunFlow(*data_, other, 2021, Horizon::kYear, std::nullopt);
  EXPECT_NE(db().runs().Find(again.run_id)->config_hash, run->config_hash);
}

TEST_F(FlowsTest, RerunningWithTheSameDataAndConfigChangesNothing) {
  const auto out1 = dir_ / "first.csv";
  const auto out2 = dir_ / "second.csv";
  const FlowResult first = RunFlow(*data_, config_, 2021, Horizon::kDay, out1);
  const std::size_t models = db().models().List(std::nullopt, 100).size();
  const std::size_t decisions = db().models().ListDecisions(std::nullopt, 100).size();
  const auto alerts = db().alerts().List(1000).size();
  const FlowResult second = RunFlow(*data_, config_, 2021, Horizon::kDay, out2);
  EXPECT_EQ(second.trained->id, first.trained->id);
  EXPECT_FALSE(second.trained_new);
  EXPECT_EQ(second.model->id, first.model->id);
  EXPECT_EQ(second.unchanged_since, first.run_id);
  EXPECT_EQ(Slurp(out1), Slurp(out2));
  EXPECT_EQ(db().models().List(std::nullopt, 100).size(), models);
  EXPECT_EQ(db().models().ListDecisions(std::nullopt, 100).size(), decisions);
  EXPECT_EQ(db().alerts().List(1000).size(), alerts);
  // The forecast, its checks and its scores stay those of the first run.
  EXPECT_EQ(db().forecasts().Current(2021, Horizon::kDay, 0)->run_id, first.run_id);
  EXPECT_TRUE(db().scores().ListChecks(second.run_id).empty());
  for (const EvaluationSummary& e : db().scores().LatestEvaluations()) {
    if (e.horizon == "day") {
      EXPECT_EQ(e.run_id, first.run_id);
    }
  }
  EXPECT_EQ(LastRun().status, "succeeded");
}

TEST_F(FlowsTest, AWeakerCandidateStaysChallengerAndTheChampionKeepsForecasting) {
  const ModelRecord champion = *db().models().FindAliased(Horizon::kYear, "champion");
  Config weak = config_;
  weak.year_model.kind = "seasonal_naive";
  const FlowResult trained = TrainFlow(*data_, weak, 2021, Horizon::kYear);
  ASSERT_TRUE(trained.gate && trained.gate->decision);
  const ModelDecision& d = *trained.gate->decision;
  EXPECT_TRUE(trained.gate->recorded);
  EXPECT_EQ(d.outcome, "rejected");
  EXPECT_EQ(d.candidate_id, trained.trained->id);
  EXPECT_EQ(d.champion_id, champion.id);
  ASSERT_TRUE(d.candidate_value && d.champion_value);
  EXPECT_GT(*d.candidate_value, *d.champion_value);
  EXPECT_EQ(d.run_id, trained.run_id);
  EXPECT_EQ(db().models().FindAliased(Horizon::kYear, "champion")->id, champion.id);
  EXPECT_EQ(db().models().FindAliased(Horizon::kYear, "challenger")->id, trained.trained->id);

  EXPECT_EQ(PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt).model->id,
            champion.id);
  // Asked for by id, the challenger forecasts.
  EXPECT_EQ(PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt, trained.trained->id)
                .model->id,
            trained.trained->id);
  // The same weak training again records nothing new.
  const FlowResult again = TrainFlow(*data_, weak, 2021, Horizon::kYear);
  EXPECT_FALSE(again.gate->recorded);
  EXPECT_EQ(db().models().ListDecisions(Horizon::kYear, 10).size(), 2u);
}

TEST_F(FlowsTest, ABetterCandidateIsPromotedAndRollbackRestoresThePreviousChampion) {
  const ModelRecord first = *db().models().FindAliased(Horizon::kYear, "champion");
  Config better = config_;
  better.year_model.Set("training_years", "6");
  const FlowResult trained = TrainFlow(*data_, better, 2021, Horizon::kYear);
  ASSERT_TRUE(trained.gate && trained.gate->decision);
  const ModelDecision& d = *trained.gate->decision;
  EXPECT_EQ(d.outcome, "promoted") << d.reason;
  EXPECT_LT(*d.candidate_value, *d.champion_value);
  EXPECT_GE(*d.improvement, config_.registry.min_improvement);
  EXPECT_EQ(trained.trained->number, 2);
  EXPECT_EQ(db().models().FindAliased(Horizon::kYear, "champion")->id, trained.trained->id);
  EXPECT_EQ(PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt).model->id,
            trained.trained->id);

  EXPECT_THROW(RollbackFlow(*data_, config_, Horizon::kYear, ""), UsageError);
  const RegistryChange rolled = RollbackFlow(*data_, config_, Horizon::kYear, "drift in March");
  EXPECT_EQ(rolled.champion.id, first.id);
  EXPECT_EQ(rolled.decision.outcome, "rolled_back");
  EXPECT_EQ(rolled.decision.champion_id, trained.trained->id);
  EXPECT_EQ(rolled.decision.reason, "drift in March");
  EXPECT_EQ(db().runs().Find(rolled.run_id)->command, "rollback");
  EXPECT_EQ(db().models().FindAliased(Horizon::kYear, "champion")->id, first.id);
  EXPECT_EQ(PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt).model->id, first.id);
  // The first champion has none before it.
  EXPECT_THROW(RollbackFlow(*data_, config_, Horizon::kYear, "again"), UsageError);

  // Promoting by hand, by version prefix.
  const RegistryChange promoted =
      PromoteFlow(*data_, config_, trained.trained->version.substr(0, 8), "");
  EXPECT_EQ(promoted.decision.action, "manual");
  EXPECT_EQ(db().models().FindAliased(Horizon::kYear, "champion")->id, trained.trained->id);
  EXPECT_THROW(PromoteFlow(*data_, config_, std::to_string(trained.trained->id), ""), UsageError);
  EXPECT_THROW(PromoteFlow(*data_, config_, "999", ""), UsageError);
}

TEST_F(FlowsTest, ChangedDataMakesANewVersionThatRefreshesTheChampion) {
  const ModelRecord before = *db().models().FindAliased(Horizon::kYear, "champion");
  // A corrected value of 2019, within every validation limit.
  IngestFlow(*data_, config_, {dir_.Write("fix.csv", "date,load\n2019-06-12,900000\n")});
  const FlowResult trained = TrainFlow(*data_, config_, 2021, Horizon::kYear);
  EXPECT_TRUE(trained.trained_new);
  EXPECT_NE(trained.trained->version, before.version);
  EXPECT_NE(trained.trained->data_hash, before.data_hash);
  EXPECT_EQ(trained.trained->spec_hash, before.spec_hash);
  ASSERT_TRUE(trained.gate && trained.gate->decision);
  EXPECT_EQ(trained.gate->decision->outcome, "promoted");
  EXPECT_CONTAINS(trained.gate->decision->reason, "refresh");
}

TEST_F(FlowsTest, NoModelForecastsAYearItWasTrainedOn) {
  const ModelRecord for_2021 = *db().models().FindAliased(Horizon::kYear, "champion");
  // The 2022 model, trained through 2021, takes over as champion...
  const FlowResult next = TrainFlow(*data_, config_, 2022, Horizon::kYear);
  EXPECT_EQ(db().models().FindAliased(Horizon::kYear, "champion")->id, next.trained->id);
  // ...and cannot forecast 2021; the 2021 model still can, when named.
  try {
    PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_CONTAINS(std::string(e.what()), "trained on data through 2021-12-31");
  }
  EXPECT_EQ(PredictFlow(*data_, config_, 2021, Horizon::kYear, std::nullopt, for_2021.id).model->id,
            for_2021.id);
  // A model of the other horizon is refused too.
  EXPECT_THROW(PredictFlow(*data_, config_, 2022, Horizon::kDay, std::nullopt, next.trained->id),
               UsageError);
}

TEST(FormatForecastCsv, WritesAHeaderAndOneRowPerDay) {
  Forecast f;
  f.dates = {Date::FromYmd(2021, 1, 1), Date::FromYmd(2021, 1, 2)};
  f.mean = {800000.0, 810000.125};
  f.lower = {750000.0, 760000.0};
  f.upper = {850000.5, 860000.0};
  EXPECT_EQ(FormatForecastCsv(f, {790000.0, 805000.0}),
            "date,forecast,lower,upper,actual\n"
            "2021-01-01,800000.000,750000.000,850000.500,790000.000\n"
            "2021-01-02,810000.125,760000.000,860000.000,805000.000\n");
}

TEST(FormatForecastCsv, LeavesUnknownValuesEmpty) {
  Forecast f;
  f.dates = {Date::FromYmd(2021, 1, 1), Date::FromYmd(2021, 1, 2)};
  f.mean = {1.0, 2.0};
  f.lower = {std::numeric_limits<double>::quiet_NaN(), 1.0};
  f.upper = {2.0, 3.0};
  // A NaN actual and an actual missing altogether both give an empty field.
  EXPECT_EQ(FormatForecastCsv(f, {std::numeric_limits<double>::quiet_NaN()}),
            "date,forecast,lower,upper,actual\n"
            "2021-01-01,1.000,,2.000,\n"
            "2021-01-02,2.000,1.000,3.000,\n");
}

TEST(FormatForecastCsv, AnEmptyForecastIsJustTheHeader) {
  EXPECT_EQ(FormatForecastCsv(Forecast{}, {}), "date,forecast,lower,upper,actual\n");
}

}  // namespace
}  // namespace loadcast
