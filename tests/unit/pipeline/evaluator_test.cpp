#include "pipeline/evaluator.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::TempDir;

Date D(int y, int m, int d) { return Date::FromYmd(y, m, d); }

/// Made-up load with a weekly shape and a level that grows each year, so the seasonal naive (the
/// same weekday a year earlier) is off by a known amount.
double Load(Date d) { return 700000.0 + (d.days() % 7) * 10000.0 + (d.year() - 2019) * 20000.0; }

class EvaluatorTest : public ::testing::Test {
 protected:
  /// Stores actuals for every day in [from, through].
  void StoreActuals(Date from, Date through) {
    for (int year = from.year(); year <= through.year(); ++year) {
      TimeSeries series;
      for (Date d = std::max(from, D(year, 1, 1)); !(through < d) && d.year() == year; ++d) {
        series.set(d, Load(d));
      }
      data_.actuals().Save(year, series);
    }
  }

  /// Publishes a forecast of `forecast(date)` for every day of the target year in a run that
  /// ends with `status` ("running" leaves it pending); returns the run id.
  int64_t Publish(int target_year, Horizon horizon, const std::function<double(Date)>& forecast,
                  const std::string& status = "succeeded", int days = -1) {
    DataController& db = data_;
    const RunRecord run = testing::MakeRun("predict", target_year, horizon);
    const int64_t run_id = db.runs().Begin(run);
    ModelRecord model = testing::MakeModel(run_id, horizon, target_year, "v");
    model.kind = "test";
    const int64_t model_id = db.models().Register(model, nlohmann::json{{"kind", "test"}}).model.id;
    std::vector<ForecastRow> rows;
    const int n = days < 0 ? Date::DaysInYear(target_year) : days;
    for (int i = 0; i < n; ++i) {
      const Date d = D(target_year, 1, 1) + i;
      const double f = forecast(d);
      rows.push_back({d, f, f * 0.95, f * 1.05});
    }
    db.forecasts().Publish(run_id, model_id, rows);
    if (status != "running") db.runs().Finish(run_id, ParseName<RunStatus>(status), "");
    return run_id;
  }

  TempDir dir_;
  Config config_ = DefaultConfig(dir_.path());
  DataController data_{config_};
};

TEST_F(EvaluatorTest, APerfectForecastHasZeroErrorAndFullSkill) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  const int64_t run = Publish(2021, Horizon::kYear, Load);
  const auto evaluation = Evaluate(data_, 2021, Horizon::kYear, 0);
  ASSERT_TRUE(evaluation.has_value());
  EXPECT_EQ(evaluation->forecast_run_id, run);
  const MetricRow& y = evaluation->year;
  EXPECT_EQ(y.scope, "year");
  EXPECT_EQ(y.period, "2021");
  EXPECT_EQ(y.days, 365);
  EXPECT_DOUBLE_EQ(y.mape, 0.0);
  EXPECT_DOUBLE_EQ(y.mae, 0.0);
  EXPECT_DOUBLE_EQ(y.rmse, 0.0);
  EXPECT_DOUBLE_EQ(y.bias, 0.0);
  EXPECT_DOUBLE_EQ(y.skill, 1.0);
  // The naive misses by the yearly level step of 20000 MWh.
  EXPECT_GT(y.naive_mape, 2.0);
  EXPECT_LT(y.naive_mape, 3.0);
}

TEST_F(EvaluatorTest, ScoresEveryMonth) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2021, Horizon::kYear, Load);
  const auto evaluation = Evaluate(data_, 2021, Horizon::kYear, 0);
  ASSERT_TRUE(evaluation.has_value());
  ASSERT_EQ(evaluation->months.size(), 12u);
  int days = 0;
  for (int m = 1; m <= 12; ++m) {
    const MetricRow& row = evaluation->months[m - 1];
    SCOPED_TRACE(row.period);
    EXPECT_EQ(row.scope, "month");
    EXPECT_EQ(row.period, fmt::format("2021-{:02}", m));
    EXPECT_DOUBLE_EQ(row.mape, 0.0);
    EXPECT_DOUBLE_EQ(row.skill, 1.0);
    days += row.days;
  }
  EXPECT_EQ(evaluation->months[1].days, 28);
  EXPECT_EQ(days, 365);
}

TEST_F(EvaluatorTest, AForecastTenPercentHighHasMapeTenAndPositiveBias) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2021, Horizon::kYear, [](Date d) { return Load(d) * 1.1; });
  const auto evaluation = Evaluate(data_, 2021, Horizon::kYear, 0);
  ASSERT_TRUE(evaluation.has_value());
  EXPECT_NEAR(evaluation->year.mape, 10.0, 1e-9);
  EXPECT_GT(evaluation->year.bias, 0.0);
  EXPECT_NEAR(evaluation->year.rmse, evaluation->year.mae, evaluation->year.mae * 0.1);
  // Worse than the naive's ~2.5%: negative skill.
  EXPECT_LT(evaluation->year.skill, 0.0);
}

TEST_F(EvaluatorTest, APartialYearIsScoredOnTheDaysWithActuals) {
  // Actuals of 2021 only through January 31: February onwards is not scored yet.
  StoreActuals(D(2019, 1, 1), D(2021, 1, 31));
  Publish(2021, Horizon::kYear, Load);
  const auto evaluation = Evaluate(data_, 2021, Horizon::kYear, 0);
  ASSERT_TRUE(evaluation.has_value());
  EXPECT_EQ(evaluation->year.days, 31);
  ASSERT_EQ(evaluation->months.size(), 1u);
  EXPECT_EQ(evaluation->months[0].period, "2021-01");
}

TEST_F(EvaluatorTest, APartialForecastIsScoredOnItsDaysOnly) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2021, Horizon::kDay, Load, "succeeded", /*days=*/45);
  const auto evaluation = Evaluate(data_, 2021, Horizon::kDay, 0);
  ASSERT_TRUE(evaluation.has_value());
  EXPECT_EQ(evaluation->year.days, 45);
  ASSERT_EQ(evaluation->months.size(), 2u);
  EXPECT_EQ(evaluation->months[1].days, 14);
}

TEST_F(EvaluatorTest, NoPublishedForecastIsAUsageError) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  try {
    Evaluate(data_, 2021, Horizon::kYear, 0);
    FAIL() << "expected UsageError";
  } catch (const UsageError& e) {
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "no year forecast of 2021 is published",
                        std::string(e.what()));
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "loadcast predict --target-year 2021",
                        std::string(e.what()));
  }
}

TEST_F(EvaluatorTest, AForecastOfTheOtherHorizonDoesNotCount) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2021, Horizon::kDay, Load);
  EXPECT_THROW(Evaluate(data_, 2021, Horizon::kYear, 0), UsageError);
}

TEST_F(EvaluatorTest, AForecastOfAFailedRunDoesNotCount) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2021, Horizon::kYear, Load, "failed");
  EXPECT_THROW(Evaluate(data_, 2021, Horizon::kYear, 0), UsageError);
}

TEST_F(EvaluatorTest, TheForecastOfTheRunInProgressCounts) {
  // A `run` command evaluates the forecast it has just published, before it has succeeded.
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  const int64_t pending = Publish(2021, Horizon::kYear, Load, "running");
  EXPECT_THROW(Evaluate(data_, 2021, Horizon::kYear, 0), UsageError);
  const auto evaluation = Evaluate(data_, 2021, Horizon::kYear, pending);
  ASSERT_TRUE(evaluation.has_value());
  EXPECT_EQ(evaluation->forecast_run_id, pending);
}

TEST_F(EvaluatorTest, TheLatestSucceededForecastIsScored) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2021, Horizon::kYear, [](Date d) { return Load(d) * 1.1; });
  const int64_t latest = Publish(2021, Horizon::kYear, Load);
  const auto evaluation = Evaluate(data_, 2021, Horizon::kYear, 0);
  ASSERT_TRUE(evaluation.has_value());
  EXPECT_EQ(evaluation->forecast_run_id, latest);
  EXPECT_DOUBLE_EQ(evaluation->year.mape, 0.0);
}

TEST_F(EvaluatorTest, NoActualsOfTheTargetYearYetIsNullopt) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  Publish(2022, Horizon::kYear, Load);
  EXPECT_EQ(Evaluate(data_, 2022, Horizon::kYear, 0), std::nullopt);
}

TEST(ScoreAgainstNaive, ScoresThePerfectForecastBesideTheNaiveOnTheSameDays) {
  TimeSeries actuals;
  for (Date d = D(2019, 1, 1); d < D(2022, 1, 1); ++d) actuals.set(d, Load(d));
  const Frame frame = BuildFrame(actuals, D(2021, 1, 1), D(2022, 1, 1));
  std::vector<double> forecast = frame.load;
  forecast[10] = kMissing;  // a day without a forecast is scored for neither
  const MetricRow row = ScoreAgainstNaive("year", "2021", frame, forecast, actuals, Horizon::kYear);
  EXPECT_EQ(row.scope, "year");
  EXPECT_EQ(row.period, "2021");
  EXPECT_EQ(row.days, 364);
  EXPECT_DOUBLE_EQ(row.mape, 0.0);
  EXPECT_DOUBLE_EQ(row.skill, 1.0);
  // The naive misses by the yearly level step of 20000 MWh, as in Evaluate.
  EXPECT_GT(row.naive_mape, 2.0);
  EXPECT_LT(row.naive_mape, 3.0);

  const std::vector<double> naive = NaiveBenchmark(frame, forecast, actuals, Horizon::kYear);
  ASSERT_EQ(naive.size(), frame.size());
  EXPECT_TRUE(std::isnan(naive[10]));
  for (std::size_t i = 0; i < naive.size(); ++i) {
    if (i == 10) continue;
    EXPECT_FALSE(std::isnan(naive[i])) << i;
  }
}

TEST(NaiveBenchmark, YearAheadReadsNoActualOfTheTargetYear) {
  TimeSeries actuals;
  for (Date d = D(2019, 1, 1); d < D(2022, 1, 1); ++d) actuals.set(d, Load(d));
  // Days of 2021 whose value 52 weeks earlier is itself in 2021: from the year's actuals the
  // naive would copy 2021, without them it must reach back 104 weeks, into 2019.
  TimeSeries changed = actuals;
  for (Date d = D(2021, 1, 1); d < D(2022, 1, 1); ++d) changed.set(d, Load(d) * 2.0);
  const Frame frame = BuildFrame(actuals, D(2021, 1, 1), D(2022, 1, 1));
  const std::vector<double> forecast(frame.size(), 1.0);
  EXPECT_EQ(NaiveBenchmark(frame, forecast, actuals, Horizon::kYear),
            NaiveBenchmark(frame, forecast, changed, Horizon::kYear));
  // Day ahead, the actuals before each day are known, so they change the benchmark.
  EXPECT_NE(NaiveBenchmark(frame, forecast, actuals, Horizon::kDay),
            NaiveBenchmark(frame, forecast, changed, Horizon::kDay));
}

TEST_F(EvaluatorTest, EvaluateForecastScoresAForecastFromItsArgumentsAsEvaluateScoresItPublished) {
  StoreActuals(D(2019, 1, 1), D(2021, 12, 31));
  const auto high = [](Date d) { return Load(d) * 1.1; };
  Publish(2021, Horizon::kYear, high);
  const auto published = Evaluate(data_, 2021, Horizon::kYear, 0);
  ASSERT_TRUE(published);
  std::vector<double> forecast;
  for (Date d = D(2021, 1, 1); d < D(2022, 1, 1); ++d) forecast.push_back(high(d));
  const auto passed =
      EvaluateForecast(forecast, data_.actuals().LoadRange(2019, 2021), 2021, Horizon::kYear);
  ASSERT_TRUE(passed);
  EXPECT_EQ(passed->year.days, published->year.days);
  EXPECT_DOUBLE_EQ(passed->year.mape, published->year.mape);
  EXPECT_DOUBLE_EQ(passed->year.skill, published->year.skill);
  EXPECT_EQ(passed->months.size(), published->months.size());
}

TEST(JudgeScore, WarnsOfAMapeAboveTheLimitAndOfAForecastWorseThanTheNaive) {
  const Config config = DefaultConfig("/tmp");
  MetricRow year;
  year.mape = config.mape_warning - 1.0;
  year.skill = 0.2;
  EXPECT_TRUE(JudgeScore(year, 2021, Horizon::kYear, config).empty());
  year.mape = config.mape_warning + 1.0;
  year.skill = -0.1;
  year.naive_mape = config.mape_warning;
  const std::vector<ScoreFinding> findings = JudgeScore(year, 2021, Horizon::kYear, config);
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].code, "mape_above_threshold");
  EXPECT_EQ(findings[0].threshold, config.mape_warning);
  EXPECT_EQ(findings[1].code, "worse_than_naive");
  EXPECT_EQ(findings[1].threshold, year.naive_mape);
}

TEST(MeanScores, AveragesEachScoreOverTheYearsAndTotalsTheDays) {
  const MetricRow a{{365, 2.0, 100.0, 150.0, -10.0, 0.5, 4.0}, "year", "2019"};
  const MetricRow b{{31, 4.0, 200.0, 250.0, 30.0, 0.25, 6.0}, "year", "2020"};
  const std::vector<MetricRow> rows = {a, b};
  const MetricRow mean = MeanScores<MetricRow>(rows);
  EXPECT_EQ(mean.scope, "");
  EXPECT_EQ(mean.period, "");
  EXPECT_EQ(mean.days, 396);
  EXPECT_DOUBLE_EQ(mean.mape, 3.0);
  EXPECT_DOUBLE_EQ(mean.mae, 150.0);
  EXPECT_DOUBLE_EQ(mean.rmse, 200.0);
  EXPECT_DOUBLE_EQ(mean.bias, 10.0);
  EXPECT_DOUBLE_EQ(mean.skill, 0.375);
  EXPECT_DOUBLE_EQ(mean.naive_mape, 5.0);
  EXPECT_EQ(MeanScores<MetricRow>({}).days, 0);
  EXPECT_DOUBLE_EQ(MeanScores<MetricRow>({}).mape, 0.0);
}

TEST(MeanScores, AveragesTheExtraFieldsItIsGiven) {
  BacktestRow a;
  a.days = 10;
  a.mape = 1.0;
  a.coverage = 90.0;
  a.interval_width = 12.0;
  BacktestRow b = a;
  b.mape = 3.0;
  b.coverage = 70.0;
  const std::vector<BacktestRow> rows = {a, b};
  const BacktestRow with = MeanScores<BacktestRow>(rows, {&BacktestRow::coverage});
  EXPECT_DOUBLE_EQ(with.mape, 2.0);
  EXPECT_DOUBLE_EQ(with.coverage, 80.0);
  EXPECT_DOUBLE_EQ(with.interval_width, 0.0);  // not asked for: left at its default
}

}  // namespace
}  // namespace loadcast
