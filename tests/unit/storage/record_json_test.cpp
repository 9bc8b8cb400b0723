#include "storage/record_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <set>
#include <string>

#include "storage/database.hpp"
#include "support/records.hpp"

namespace loadcast {
namespace {

using nlohmann::json;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The keys of a JSON object, to compare with the documented field list.
std::set<std::string> Keys(const json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.insert(key);
  return keys;
}

RunRecord SampleRun() {
  RunRecord r;
  r.id = 12;
  r.command = "run";
  r.target_year = 2021;
  r.horizon = Horizon::kYear;
  r.started_at = "2021-03-01T12:00:00.000Z";
  r.finished_at = "2021-03-01T12:00:02.250Z";
  r.status = RunStatus::kSucceeded;
  r.message = "ok";
  r.config = "seed: 1\n";
  r.config_hash = "0123456789abcdef";
  r.inputs = R"({"actuals/2020.csv":"aa11"})";
  r.model_id = 3;
  return r;
}

TEST(RunJson, HasTheRecordsFieldsButNotItsConfig) {
  const json j = ToJson(SampleRun());
  EXPECT_EQ(Keys(j), (std::set<std::string>{"id", "command", "target_year", "horizon", "status",
                                            "started_at", "finished_at", "message", "config_hash",
                                            "inputs", "model_id"}));
  EXPECT_EQ(j["inputs"], json({{"actuals/2020.csv", "aa11"}}));
  EXPECT_EQ(j["model_id"], 3);
}

TEST(RunJson, AbsentValuesAreNull) {
  RunRecord r = SampleRun();
  r.target_year.reset();
  r.horizon.reset();
  r.finished_at.clear();
  r.inputs.clear();
  r.model_id.reset();
  const json j = ToJson(r);
  EXPECT_TRUE(j["target_year"].is_null());
  EXPECT_TRUE(j["horizon"].is_null());
  EXPECT_TRUE(j["finished_at"].is_null());
  EXPECT_EQ(j["inputs"], json::object());
  EXPECT_TRUE(j["model_id"].is_null());
  EXPECT_TRUE(RunWithDurationJson(r)["duration_seconds"].is_null()) << "a run still running";
}

TEST(RunJson, KeepsInputsThatAreNotAnObjectAsText) {
  RunRecord r = SampleRun();
  r.inputs = "not json";
  EXPECT_EQ(ToJson(r)["inputs"], "not json");
}

TEST(RunWithDurationJson, IsTheRunAndItsDuration) {
  const RunRecord r = SampleRun();
  json j = RunWithDurationJson(r);
  EXPECT_DOUBLE_EQ(j["duration_seconds"].get<double>(), 2.25);
  j.erase("duration_seconds");
  EXPECT_EQ(j, ToJson(r));
  EXPECT_EQ(RunsWithDurationJson({r, r}),
            json::array({RunWithDurationJson(r), RunWithDurationJson(r)}));
}

TEST(SecondsBetween, IsTheDurationBetweenTwoUtcTimes) {
  EXPECT_DOUBLE_EQ(*SecondsBetween("2021-03-01T12:00:00.000Z", "2021-03-01T12:00:01.500Z"), 1.5);
  EXPECT_DOUBLE_EQ(*SecondsBetween("2021-02-28T23:59:59.000Z", "2021-03-01T00:00:01.000Z"), 2.0);
  EXPECT_DOUBLE_EQ(*SecondsBetween("2021-03-01T12:00:00Z", "2021-03-01T13:00:00Z"), 3600.0);
  EXPECT_FALSE(SecondsBetween("2021-03-01T12:00:00.000Z", "").has_value());
  EXPECT_FALSE(SecondsBetween("yesterday", "2021-03-01T12:00:00.000Z").has_value());
}

TEST(ModelJson, HasEveryField) {
  ModelRecord m;
  m.id = 3;
  m.run_id = 12;
  m.version = "abc";
  m.kind = "calendar_ar";
  m.horizon = Horizon::kYear;
  m.target_year = 2021;
  m.trained_from = testing::Day("2015-01-01");
  m.trained_to = testing::Day("2021-01-01");
  m.artifact = "models/year/abc.json";
  m.number = 2;
  const json j = ToJson(m);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "number", "horizon", "version", "kind", "target_year",
                                   "trained_from", "trained_to", "artifact", "created_at", "run_id",
                                   "spec_hash", "config_hash", "data_hash", "code_version"}));
  EXPECT_EQ(j["artifact"], "models/year/abc.json");
  json with = ModelWithAliasesJson(m, {"champion"});
  EXPECT_EQ(with["aliases"], json::array({"champion"}));
  with.erase("aliases");
  EXPECT_EQ(with, j);
}

TEST(ModelAliasJson, HasEveryField) {
  const json j = ToJson(ModelAlias{Horizon::kDay, "challenger", 4, "2021-03-01T12:00:00.000Z"});
  EXPECT_EQ(j, json({{"horizon", "day"},
                     {"alias", "challenger"},
                     {"model_id", 4},
                     {"updated_at", "2021-03-01T12:00:00.000Z"}}));
}

TEST(ModelDecisionJson, AbsentFiguresAreNull) {
  ModelDecision d;
  d.id = 5;
  d.horizon = Horizon::kYear;
  d.action = DecisionAction::kManual;
  d.outcome = DecisionOutcome::kPromoted;
  d.candidate_id = 3;
  d.reason = "by hand";
  json j = ToJson(d);
  EXPECT_EQ(Keys(j),
            (std::set<std::string>{"id", "run_id", "created_at", "horizon", "target_year", "action",
                                   "outcome", "candidate_id", "champion_id", "metric",
                                   "candidate_value", "champion_value", "improvement",
                                   "min_improvement", "validation", "reason"}));
  for (const char* key : {"run_id", "created_at", "target_year", "champion_id", "metric",
                          "candidate_value", "champion_value", "improvement", "min_improvement"}) {
    EXPECT_TRUE(j[key].is_null()) << key;
  }
  d.metric = "mape";
  d.candidate_value = 2.5;
  d.improvement = 0.1;
  j = ToJson(d);
  EXPECT_EQ(j["metric"], "mape");
  EXPECT_EQ(j["candidate_value"], 2.5);
  EXPECT_EQ(j["improvement"], 0.1);
}

TEST(ForecastRowJson, IsTheDayAndItsInterval) {
  EXPECT_EQ(
      ToJson(ForecastRow{testing::Day("2021-01-01"), 800.0, 750.0, kNaN}),
      json({{"date", "2021-01-01"}, {"forecast", 800.0}, {"lower", 750.0}, {"upper", nullptr}}));
}

TEST(MetricRowJson, HasEveryScoreAndNullForNaN) {
  const MetricRow m{{31, 2.5, 100.0, 120.0, -5.0, 0.4, kNaN}, "month", "2021-03"};
  const json j = ToJson(m);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"scope", "period", "days", "mape", "mae", "rmse",
                                            "bias", "skill", "naive_mape"}));
  EXPECT_EQ(j["scope"], "month");
  EXPECT_EQ(j["mape"], 2.5);
  EXPECT_TRUE(j["naive_mape"].is_null());
}

TEST(EvaluationSummaryJson, IsTheMetricsWithTheirRunAndYear) {
  EvaluationSummary e;
  e.run_id = 12;
  e.target_year = 2021;
  e.horizon = Horizon::kDay;
  e.evaluated_at = "2022-01-02T06:00:00.000Z";
  e.alerts = 2;
  e.metrics = MetricRow{{365, 2.5, 100.0, 120.0, -5.0, 0.4, 4.0}, "year", "2021"};
  json j = ToJson(e);
  EXPECT_EQ(j["run_id"], 12);
  EXPECT_EQ(j["target_year"], 2021);
  EXPECT_EQ(j["horizon"], "day");
  EXPECT_EQ(j["evaluated_at"], "2022-01-02T06:00:00.000Z");
  EXPECT_EQ(j["alerts"], 2);
  for (const char* key : {"run_id", "target_year", "horizon", "evaluated_at", "alerts"}) {
    j.erase(key);
  }
  EXPECT_EQ(j, ToJson(e.metrics));
}

TEST(BacktestRowJson, HasEveryField) {
  BacktestRow b;
  b.run_id = 9;
  b.target_year = 2019;
  b.horizon = Horizon::kYear;
  b.days = 365;
  b.coverage = 91.0;
  b.interval_width = kNaN;
  const json j = ToJson(b);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"run_id", "target_year", "horizon", "days", "mape",
                                            "mae", "rmse", "bias", "skill", "naive_mape",
                                            "coverage", "interval_width"}));
  EXPECT_EQ(j["coverage"], 91.0);
  EXPECT_TRUE(j["interval_width"].is_null());
}

TEST(SeriesResultJson, LeavesTheForecastToItsComposition) {
  SeriesResultRow r;
  r.run_id = 7;
  r.series = "north";
  r.target_year = 2021;
  r.status = SeriesStatus::kOk;
  r.train_from = testing::Day("2018-01-01");
  r.train_to = testing::Day("2021-01-01");
  r.iterations = 3;
  r.drift = 1.5;
  r.forecast_start = testing::Day("2021-01-01");
  r.forecast = {10.0, 11.0};
  r.lower = {9.0};
  r.upper = {12.0, 13.0};
  json j = ToJson(r);
  EXPECT_EQ(Keys(j), (std::set<std::string>{"run_id", "series", "target_year", "status", "message",
                                            "train_from", "train_to", "iterations", "drift", "days",
                                            "mape", "mae", "rmse", "bias"}));
  EXPECT_EQ(j["drift"], 1.5);
  EXPECT_TRUE(j["mape"].is_null());
  json with = SeriesResultWithForecastJson(r);
  ASSERT_EQ(with["forecast"].size(), 2u);
  EXPECT_EQ(with["forecast"][1], ToJson(ForecastRow{testing::Day("2021-01-02"), 11.0, kNaN, 13.0}));
  with.erase("forecast");
  EXPECT_EQ(with, j);
}

TEST(CheckRowJson, IsCheckStatusAndDetail) {
  EXPECT_EQ(ToJson(CheckRow{"range", CheckStatus::kPass, "all within"}),
            json({{"check", "range"}, {"status", "pass"}, {"detail", "all within"}}));
}

TEST(AlertJson, HasEveryFieldWithNullsForAbsentOnes) {
  AlertRecord a = testing::SampleAlert();
  json j = ToJson(a);
  EXPECT_EQ(Keys(j), (std::set<std::string>{
                         "id", "run_id", "created_at", "severity", "source", "code", "message",
                         "target_year", "horizon", "period_start", "period_end", "subject", "value",
                         "threshold", "fingerprint", "acknowledged", "acknowledged_at",
                         "statistic", "episode", "closed_on", "updated_at"}));
  EXPECT_EQ(j["id"], 42);
  EXPECT_EQ(j["run_id"], 7);
  EXPECT_TRUE(j["target_year"].is_null());
  EXPECT_TRUE(j["value"].is_null());
  EXPECT_TRUE(j["period_start"].is_null());
  EXPECT_TRUE(j["acknowledged_at"].is_null());
  EXPECT_EQ(j["acknowledged"], false);
  a.target_year = 2021;
  a.value = 9.5;
  a.threshold = 8.0;
  a.period_start = testing::Day("2021-01-01");
  a.run_id.reset();
  j = ToJson(a);
  EXPECT_EQ(j["target_year"], 2021);
  EXPECT_EQ(j["value"], 9.5);
  EXPECT_EQ(j["threshold"], 8.0);
  EXPECT_EQ(j["period_start"], "2021-01-01");
  EXPECT_TRUE(j["run_id"].is_null());
}

TEST(AlertAcknowledgementJson, IsTheAlertAndWhetherItWasAlready) {
  AlertRecord a = testing::SampleAlert();
  a.acknowledged = true;
  a.acknowledged_at = "2021-03-02T08:00:00.000Z";
  EXPECT_EQ(ToJson(AlertAcknowledgement{a, true}),
            json({{"alert", ToJson(a)}, {"already_acknowledged", true}}));
}

MonitorWindowRow DriftWindow() {
  MonitorWindowRow w;
  w.kind = "drift";
  w.start = testing::Day("2021-01-01");
  w.end = testing::Day("2021-01-28");
  w.days = 28;
  w.value = -12.5;
  w.psi = 0.3;
  w.ks = 0.4;
  w.ks_p_value = 0.001;
  w.wasserstein = 1.2;
  w.status = WindowStatus::kWarning;
  w.reason = "mean shift";
  return w;
}

MonitorWindowRow MonthWindow() {
  MonitorWindowRow w;
  w.kind = "month";
  w.horizon = Horizon::kYear;
  w.start = testing::Day("2021-01-01");
  w.end = testing::Day("2021-01-31");
  w.days = 31;
  w.value = 3.5;
  w.warning_threshold = 4.0;
  w.critical_threshold = 6.0;
  w.status = WindowStatus::kPass;
  return w;
}

TEST(MonitorWindowJson, NamesTheFigureByWhatItMeasures) {
  const json drift = ToJson(DriftWindow());
  EXPECT_EQ(Keys(drift),
            (std::set<std::string>{"scope", "horizon", "start", "end", "days", "mean_shift_percent",
                                   "mape", "psi", "ks_statistic", "ks_p_value", "wasserstein",
                                   "warning_threshold", "critical_threshold", "status", "reason"}));
  EXPECT_EQ(drift["scope"], "drift");
  EXPECT_TRUE(drift["horizon"].is_null());
  EXPECT_EQ(drift["mean_shift_percent"], -12.5);
  EXPECT_TRUE(drift["mape"].is_null());
  EXPECT_EQ(drift["ks_statistic"], 0.4);
  EXPECT_TRUE(drift["warning_threshold"].is_null());

  const json month = ToJson(MonthWindow());
  EXPECT_EQ(Keys(month), Keys(drift)) << "every window has every field";
  EXPECT_EQ(month["scope"], "month");
  EXPECT_EQ(month["horizon"], "year");
  EXPECT_EQ(month["mape"], 3.5);
  EXPECT_TRUE(month["mean_shift_percent"].is_null());
  EXPECT_TRUE(month["psi"].is_null());
  EXPECT_EQ(month["critical_threshold"], 6.0);
}

TEST(MonitorSnapshotJson, SplitsDriftFromPerformance) {
  const MonitorSnapshot s{11, 2021, testing::Day("2021-01-31"), {DriftWindow(), MonthWindow()}};
  EXPECT_EQ(ToJson(s), json({{"run_id", 11},
                             {"target_year", 2021},
                             {"as_of", "2021-01-31"},
                             {"drift", json::array({ToJson(DriftWindow())})},
                             {"performance", json::array({ToJson(MonthWindow())})}}));
}

TEST(ToJsonArray, IsEachRecordsFormInOrder) {
  EXPECT_EQ(ToJsonArray(std::vector<CheckRow>{}), json::array());
  const std::vector<CheckRow> checks = {{"a", CheckStatus::kPass, ""},
                                        {"b", CheckStatus::kFail, "x"}};
  EXPECT_EQ(ToJsonArray(checks), json::array({ToJson(checks[0]), ToJson(checks[1])}));
}

}  // namespace
}  // namespace loadcast
