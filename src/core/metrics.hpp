// Forecast accuracy metrics over the days where both an actual and a forecast exist.
#pragma once

#include <cstddef>
#include <span>

namespace loadcast {

struct Scores {
  std::size_t days = 0;
  double mape = 0.0;  // mean absolute percentage error, in percent
  double mae = 0.0;   // mean absolute error, MWh
  double rmse = 0.0;  // root mean squared error, MWh
  double bias = 0.0;  // mean of forecast minus actual, MWh (positive: over-forecast)
};

/// Scores `forecast` against `actual` element-wise, skipping pairs where either is NaN.
Scores Score(std::span<const double> actual, std::span<const double> forecast);

/// How well a prediction interval held the actuals.
struct IntervalScores {
  std::size_t days = 0;   // the days Score counts: both an actual and a forecast
  double coverage = 0.0;  // percent of those days whose actual lies within [lower, upper]
  double width = 0.0;     // mean of (upper - lower) / forecast, in percent
};

/// Scores the interval [lower, upper] of `forecast` against `actual` on the days where both the
/// actual and the forecast exist. A missing bound counts as not covering the day and is left out
/// of the width.
IntervalScores ScoreInterval(std::span<const double> actual, std::span<const double> forecast,
                             std::span<const double> lower, std::span<const double> upper);

/// Skill against a benchmark: 1 - MAPE / MAPE_benchmark (positive: better than the benchmark).
double Skill(const Scores& model, const Scores& benchmark);

}  // namespace loadcast
