#include "model/calendar_batch.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/frame.hpp"
#include "core/metrics.hpp"
#include "model/kinds.hpp"
#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

using testing::BundledSeries;
using testing::YearStart;

/// The year model's configured hyper-parameters (the defaults, which config/loadcast.yaml holds).
ModelSpec YearParams() { return ModelSpecOf(DefaultConfig("."), Horizon::kYear); }

std::vector<double> Loads(const TimeSeries& series, Date from, Date to) {
  std::vector<double> out;
  for (Date d = from; d < to; ++d) out.push_back(series.at(d));
  return out;
}

/// A series unlike the Italian one: scaled, tilted and with a weekly pattern of its own.
std::vector<double> Variant(const std::vector<double>& base, double scale, double tilt) {
  std::vector<double> out;
  for (std::size_t i = 0; i < base.size(); ++i) {
    out.push_back(scale * base[i] * (1.0 + tilt * std::sin(static_cast<double>(i) * 0.9)));
  }
  return out;
}

TEST(CalendarBatchTest, ASeriesGetsTheSameForecastAloneAsInABatch) {
  const ModelSpec params = YearParams();
  const Date from = YearStart(2010);
  const Date to = YearStart(2020);
  const std::vector<double> italy = Loads(BundledSeries(), from, to);
  const std::vector<std::vector<double>> series = {italy, Variant(italy, 0.01, 0.05),
                                                   Variant(italy, 3.0, -0.1)};
  const CalendarBatch shared(params.common, CalendarParamsOf(params), from, to, to,
                             YearStart(2021));
  std::vector<SeriesForecast> together;
  for (const auto& s : series) together.push_back(shared.FitPredict(s));
  for (std::size_t i = 0; i < series.size(); ++i) {
    const CalendarBatch alone(params.common, CalendarParamsOf(params), from, to, to,
                              YearStart(2021));
    const SeriesForecast single = alone.FitPredict(series[i]);
    EXPECT_EQ(single.mean, together[i].mean) << i;
    EXPECT_EQ(single.lower, together[i].lower) << i;
    EXPECT_EQ(single.upper, together[i].upper) << i;
  }
}

TEST(CalendarBatchTest, ReachesTheEstimatorOfTheReweightedFit) {
  // The same Huber M-estimator as CalendarRegression's: forecasts agree to a few hundredths of a
  // percent, though one iterates on a fixed matrix and the other reweights it.
  const ModelSpec params = YearParams();
  for (const int target : {2019, 2020, 2021}) {
    const Date from = YearStart(target - params.common.training_years);
    const Date to = YearStart(target);
    const CalendarBatch batch(params.common, CalendarParamsOf(params), from, to, to,
                              YearStart(target + 1));
    const SeriesForecast fast = batch.FitPredict(Loads(BundledSeries(), from, to));
    CalendarRegression model(params.common, CalendarParamsOf(params));
    model.Fit(BuildFrame(BundledSeries().slice(from, to), from, to));
    const Forecast reference =
        model.Predict(BuildFrame(TimeSeries(), to, YearStart(target + 1)), TimeSeries());
    ASSERT_EQ(fast.mean.size(), reference.mean.size());
    for (std::size_t d = 0; d < fast.mean.size(); ++d) {
      EXPECT_NEAR(fast.mean[d] / reference.mean[d], 1.0, 5e-4) << target << " day " << d;
      EXPECT_NEAR(fast.lower[d] / reference.lower[d], 1.0, 5e-3) << target << " day " << d;
      EXPECT_NEAR(fast.upper[d] / reference.upper[d], 1.0, 5e-3) << target << " day " << d;
    }
    EXPECT_GT(fast.iterations, 0);
    EXPECT_NEAR(fast.residual_scale, model.residual_scale(), 1e-3);
  }
}

TEST(CalendarBatchTest, ForecastsTheItalianYearAsWellAsTheSingleSeriesModel) {
  const ModelSpec params = YearParams();
  const Date from = YearStart(2011);
  const Date to = YearStart(2021);
  const CalendarBatch batch(params.common, CalendarParamsOf(params), from, to, to, YearStart(2022));
  const SeriesForecast forecast = batch.FitPredict(Loads(BundledSeries(), from, to));
  const Scores scores = Score(Loads(BundledSeries(), to, YearStart(2022)), forecast.mean);
  EXPECT_EQ(scores.days, 365u);
  EXPECT_LT(scores.mape, 3.5);
}

TEST(CalendarBatchTest, AScaledSeriesGetsTheScaledForecast) {
  // Log load: scaling a series shifts the levels only.
  const ModelSpec params = YearParams();
  const Date from = YearStart(2012);
  const Date to = YearStart(2020);
  const CalendarBatch batch(params.common, CalendarParamsOf(params), from, to, to, YearStart(2021));
  const std::vector<double> italy = Loads(BundledSeries(), from, to);
  const SeriesForecast base = batch.FitPredict(italy);
  const SeriesForecast scaled = batch.FitPredict(Variant(italy, 0.001, 0.0));
  for (std::size_t d = 0; d < base.mean.size(); ++d) {
    EXPECT_NEAR(scaled.mean[d] / base.mean[d], 0.001, 1e-8);
  }
}

}  // namespace
}  // namespace loadcast
