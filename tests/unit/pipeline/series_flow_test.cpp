#include "pipeline/series_flow.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/calendar.hpp"
#include "model/calendar_batch.hpp"
#include "model/kinds.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/evaluator.hpp"
#include "pipeline/prediction_checker.hpp"
#include "support/records.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::TempDir;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, needle, haystack)

constexpr int kTargetYear = 2021;

/// A load with the Italian week in it (working days 900 MWh, Saturdays 800, Sundays 720,
/// holidays 700) and a deterministic noise of up to 3%, so that the fit has residuals and the
/// interval a width.
double PatternLoad(Date d) {
  double base = 900.0;
  if (HolidayOn(d) != Holiday::kNone) {
    base = 700.0;
  } else if (d.weekday() == 6) {
    base = 720.0;
  } else if (d.weekday() == 5) {
    base = 800.0;
  }
  const auto h = static_cast<uint32_t>(d.days()) * 2654435761u;
  return base * (1.0 + 0.03 * (static_cast<double>(h % 2001) / 1000.0 - 1.0));
}

/// Days of 2014 to `to` (exclusive); from `step_from` on the load is `step` times the pattern.
TimeSeries SteppedSeries(Date to, Date step_from, double step) {
  TimeSeries series;
  for (Date d = Date::FromYmd(2014, 1, 1); d < to; ++d) {
    series.set(d, PatternLoad(d) * (d < step_from ? 1.0 : step));
  }
  return series;
}

class SeriesFlowTest : public ::testing::Test {
 protected:
  void SetUp() override { spdlog::set_level(spdlog::level::err); }

  /// Stores the series (one object per year) under `name`.
  void Store(const std::string& name, const TimeSeries& series) {
    for (int year = series.start().year(); year <= (series.end() - 1).year(); ++year) {
      data_.series().Save(year, {name},
                          {series.slice(Date::FromYmd(year, 1, 1), Date::FromYmd(year + 1, 1, 1))});
    }
  }

  TempDir dir_;
  Config config_ = DefaultConfig(dir_.path());
  DataController data_{config_};
};

const SeriesResultRow& Row(const SeriesRunResult& result, const std::string& name) {
  for (const SeriesResultRow& row : result.series) {
    if (row.series == name) return row;
  }
  ADD_FAILURE() << "no series " << name;
  static const SeriesResultRow kNone;
  return kNone;
}

// The last 90 days of 2020 ran 40% higher: the forecast of 2021 starts from that level, about a
// third above the mean of the same days in 2018-2020, beyond checks.annual_total_fail. The
// single-series checks fail that forecast; a series run must fail it too, by the same check and
// against the same reference years.
TEST_F(SeriesFlowTest, AnAnnualTotalBeyondTheFailLimitFailsInBothFlowsAgainstTheSameYears) {
  const Date target_from = Date::FromYmd(kTargetYear, 1, 1);
  const Date target_to = Date::FromYmd(kTargetYear + 1, 1, 1);
  const TimeSeries history = SteppedSeries(target_from, target_from - 90, 1.4);
  Store("stepped", history);

  // The single-series checks, on the forecast the batch fit makes of this history.
  const ModelSpec spec = ModelSpecOf(config_, Horizon::kYear);
  const int training_years = spec.common.training_years;
  const Date train_from = Date::FromYmd(kTargetYear - training_years, 1, 1) < history.start()
                              ? history.start()
                              : Date::FromYmd(kTargetYear - training_years, 1, 1);
  const CalendarBatch batch(spec.common, CalendarParamsOf(spec), train_from, target_from,
                            target_from, target_to);
  const TimeSeries training = history.slice(train_from, target_from);
  SeriesForecast fitted = batch.FitPredict(training.values());
  Forecast forecast;
  for (Date d = target_from; d < target_to; ++d) forecast.dates.push_back(d);
  forecast.mean = fitted.mean;
  forecast.lower = fitted.lower;
  forecast.upper = fitted.upper;
  ExtractedData extracted;
  extracted.target_year = kTargetYear;
  extracted.first_year = train_from.year();
  extracted.actuals = history;
  const std::vector<CheckRow> single =
      CheckPrediction(forecast, Enrich(extracted, Horizon::kYear), config_);
  const CheckRow* annual = nullptr;
  for (const CheckRow& c : single) {
    if (c.check == "annual_total") annual = &c;
  }
  ASSERT_NE(annual, nullptr);
  EXPECT_EQ(annual->status, "fail") << annual->detail;
  EXPECT_CONTAINS(annual->detail, "2018-2020");

  // The series run of the same history.
  const SeriesRunResult result = SeriesRunFlow(data_, config_, kTargetYear);
  const SeriesResultRow& row = Row(result, "stepped");
  EXPECT_EQ(row.status, "failed") << row.message;
  EXPECT_CONTAINS(row.message, "annual_total");
  EXPECT_CONTAINS(row.message, "2018-2020");
  EXPECT_TRUE(row.forecast.empty());
  EXPECT_EQ(result.failed, 1u);
  // Its drift is monitored all the same: the shifted level is why the forecast failed.
  ASSERT_TRUE(row.drift);
  EXPECT_GT(*row.drift, 20.0);

  AlertFilter filter;
  filter.run_id = result.run_id;
  bool alerted = false;
  for (const AlertRecord& a : data_.alerts().List(filter)) {
    alerted = alerted || (a.code == "prediction.annual_total" && a.severity == "critical" &&
                          a.subject == "series stepped");
  }
  EXPECT_TRUE(alerted);
}

// A series with its target year's actuals is checked by every single-series check and scored by
// the evaluator, beside the seasonal naive, on the same days.
TEST_F(SeriesFlowTest, ASaneSeriesPassesEveryCheckAndIsScoredByTheEvaluator) {
  const TimeSeries history =
      SteppedSeries(Date::FromYmd(kTargetYear + 1, 1, 1), Date::FromYmd(2100, 1, 1), 1.0);
  Store("sane", history);
  const SeriesRunResult result = SeriesRunFlow(data_, config_, kTargetYear);
  const SeriesResultRow& row = Row(result, "sane");
  EXPECT_EQ(row.status, "ok") << row.message;
  ASSERT_EQ(row.forecast.size(), 365u);
  const auto evaluation = EvaluateForecast(row.forecast, history, kTargetYear, Horizon::kYear);
  ASSERT_TRUE(evaluation);
  EXPECT_EQ(row.days, evaluation->year.days);
  EXPECT_EQ(row.mape, evaluation->year.mape);
  EXPECT_EQ(row.bias, evaluation->year.bias);
  EXPECT_EQ(result.scored, 1u);
  EXPECT_EQ(result.median_mape, evaluation->year.mape);
}

// Beyond checks.annual_total_warn but within checks.annual_total_fail the single-series check
// warns; so does the series run, which stores the forecast.
TEST_F(SeriesFlowTest, AnAnnualTotalBetweenTheLimitsWarnsAndKeepsTheForecast) {
  config_.annual_total_warn = 0.01;
  config_.annual_total_fail = 0.5;
  const Date target_from = Date::FromYmd(kTargetYear, 1, 1);
  Store("grown", SteppedSeries(target_from, target_from - 90, 1.1));
  const SeriesRunResult result = SeriesRunFlow(data_, config_, kTargetYear);
  const SeriesResultRow& row = Row(result, "grown");
  EXPECT_EQ(row.status, "warning") << row.message;
  EXPECT_CONTAINS(row.message, "annual_total: ");
  EXPECT_EQ(row.forecast.size(), 365u);
  EXPECT_EQ(result.warning, 1u);
}

}  // namespace
}  // namespace loadcast
