#include "core/metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/time_series.hpp"

namespace loadcast {
namespace {

TEST(Score, MatchesHandComputedValues) {
  // Errors are +10, -20 and 0; relative errors 10%, 10% and 0%.
  const std::vector<double> actual = {100.0, 200.0, 400.0};
  const std::vector<double> forecast = {110.0, 180.0, 400.0};
  const Scores s = Score(actual, forecast);
  EXPECT_EQ(s.days, 3u);
  EXPECT_DOUBLE_EQ(s.mape, 20.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.mae, 10.0);
  EXPECT_DOUBLE_EQ(s.rmse, std::sqrt(500.0 / 3.0));
  EXPECT_DOUBLE_EQ(s.bias, -10.0 / 3.0);
}

TEST(Score, IsZeroForAPerfectForecast) {
  const std::vector<double> actual = {612345.0, 700000.0};
  const Scores s = Score(actual, actual);
  EXPECT_EQ(s.days, 2u);
  EXPECT_EQ(s.mape, 0.0);
  EXPECT_EQ(s.mae, 0.0);
  EXPECT_EQ(s.rmse, 0.0);
  EXPECT_EQ(s.bias, 0.0);
}

TEST(Score, BiasIsPositiveWhenOverForecasting) {
  const std::vector<double> actual = {100.0, 100.0};
  const std::vector<double> forecast = {105.0, 115.0};
  const Scores s = Score(actual, forecast);
  EXPECT_DOUBLE_EQ(s.bias, 10.0);
  EXPECT_DOUBLE_EQ(s.mae, 10.0);
  EXPECT_DOUBLE_EQ(s.rmse, std::sqrt((25.0 + 225.0) / 2.0));
  EXPECT_DOUBLE_EQ(s.mape, 10.0);
}

TEST(Score, RmseWeighsLargeErrorsMoreThanMae) {
  const std::vector<double> actual = {100.0, 100.0, 100.0, 100.0};
  const std::vector<double> forecast = {100.0, 100.0, 100.0, 140.0};
  const Scores s = Score(actual, forecast);
  EXPECT_DOUBLE_EQ(s.mae, 10.0);
  EXPECT_DOUBLE_EQ(s.rmse, 20.0);
}

TEST(Score, SkipsPairsWhereEitherSideIsMissing) {
  const std::vector<double> actual = {100.0, kMissing, 200.0, 300.0, kMissing};
  const std::vector<double> forecast = {110.0, 150.0, kMissing, 270.0, kMissing};
  const Scores s = Score(actual, forecast);
  EXPECT_EQ(s.days, 2u);
  EXPECT_DOUBLE_EQ(s.mape, 10.0);
  EXPECT_DOUBLE_EQ(s.mae, 20.0);
  EXPECT_DOUBLE_EQ(s.rmse, std::sqrt((100.0 + 900.0) / 2.0));
  EXPECT_DOUBLE_EQ(s.bias, -10.0);
}

TEST(Score, ReportsNoDaysForEmptyInput) {
  const Scores s = Score({}, {});
  EXPECT_EQ(s.days, 0u);
  // No days means no score, not a perfect one.
  EXPECT_TRUE(std::isnan(s.mape));
  EXPECT_TRUE(std::isnan(s.mae));
  EXPECT_TRUE(std::isnan(s.rmse));
  EXPECT_TRUE(std::isnan(s.bias));
}

TEST(Score, ReportsNoDaysWhenNoPairIsComplete) {
  const std::vector<double> actual = {kMissing, 100.0};
  const std::vector<double> forecast = {100.0, kMissing};
  const Scores s = Score(actual, forecast);
  EXPECT_EQ(s.days, 0u);
  EXPECT_TRUE(std::isnan(s.mape));
}

TEST(Skill, IsOneMinusTheMapeRatio) {
  Scores model{.days = 10, .mape = 2.0, .mae = 1.0, .rmse = 1.0, .bias = 0.0};
  Scores benchmark{.days = 10, .mape = 4.0, .mae = 2.0, .rmse = 2.0, .bias = 0.0};
  EXPECT_DOUBLE_EQ(Skill(model, benchmark), 0.5);
  EXPECT_DOUBLE_EQ(Skill(benchmark, benchmark), 0.0);
  EXPECT_DOUBLE_EQ(Skill(benchmark, model), -1.0);  // worse than the benchmark
  model.mape = 0.0;
  EXPECT_DOUBLE_EQ(Skill(model, benchmark), 1.0);
}

TEST(Skill, IsUndefinedAgainstAnEmptyOrPerfectBenchmark) {
  const Scores model{.days = 10, .mape = 2.0, .mae = 1.0, .rmse = 1.0, .bias = 0.0};
  EXPECT_TRUE(std::isnan(Skill(model, Score({}, {}))));
  const Scores perfect{.days = 10, .mape = 0.0, .mae = 0.0, .rmse = 0.0, .bias = 0.0};
  EXPECT_TRUE(std::isnan(Skill(model, perfect)));
}

TEST(ScoreInterval, CountsTheActualsInsideTheIntervalAndItsMeanRelativeWidth) {
  const double nan = std::nan("");
  const std::vector<double> actual = {100.0, 200.0, 400.0, nan, 300.0};
  const std::vector<double> forecast = {100.0, 200.0, 400.0, 500.0, nan};
  const std::vector<double> lower = {90.0, 210.0, 380.0, 450.0, 250.0};
  const std::vector<double> upper = {110.0, 230.0, 400.0, 550.0, 350.0};
  const IntervalScores s = ScoreInterval(actual, forecast, lower, upper);
  // Only the first three days have both an actual and a forecast; the second lies below its
  // interval, the third on its upper bound.
  EXPECT_EQ(s.days, 3u);
  EXPECT_DOUBLE_EQ(s.coverage, 200.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.width, 100.0 * (0.2 + 0.1 + 0.05) / 3.0);
}

TEST(ScoreInterval, AMissingBoundDoesNotCoverTheDay) {
  const std::vector<double> actual = {100.0, 100.0};
  const std::vector<double> forecast = {100.0, 100.0};
  const std::vector<double> lower = {std::nan(""), 90.0};
  const std::vector<double> upper = {110.0, 110.0};
  const IntervalScores s = ScoreInterval(actual, forecast, lower, upper);
  EXPECT_EQ(s.days, 2u);
  EXPECT_DOUBLE_EQ(s.coverage, 50.0);
  EXPECT_DOUBLE_EQ(s.width, 20.0);
}

TEST(ScoreInterval, IsNanWithoutScoredDays) {
  const std::vector<double> actual = {std::nan("")};
  const std::vector<double> other = {100.0};
  const IntervalScores s = ScoreInterval(actual, other, other, other);
  EXPECT_EQ(s.days, 0u);
  EXPECT_TRUE(std::isnan(s.coverage));
  EXPECT_TRUE(std::isnan(s.width));
}

}  // namespace
}  // namespace loadcast
