// The evaluator scores the current forecast of a target year against the actuals in the bucket,
// overall and per month, beside the seasonal naive benchmark.
#pragma once

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
#include "core/frame.hpp"
#include "pipeline/target_calendar.hpp"
#include "storage/records.hpp"

namespace loadcast {

struct Evaluation {
  int64_t forecast_run_id = 0;
  MetricRow year;
  std::vector<MetricRow> months;
};

/// The seasonal naive forecast of the frame's days under a horizon's information set (year: the
/// actuals before the frame's first day; day: all of `actuals`, each day reading only the days
/// before it), NaN wherever `forecast` is, so that both are scored on the same days. The naive
/// reads up to two years back: `actuals` should start two years before the frame.
std::vector<double> NaiveBenchmark(const Frame& frame, std::span<const double> forecast,
                                   const TimeSeries& actuals, Horizon horizon);

/// Scores `forecast` against `actual`, beside the benchmark `naive` (see NaiveBenchmark); all
/// three aligned day by day.
MetricRow ScoreBesideNaive(std::string scope, std::string period, std::span<const double> actual,
                           std::span<const double> forecast, std::span<const double> naive);

/// Scores `forecast` (aligned with the frame's days) against the frame's loads, beside the
/// seasonal naive under the horizon's information set, as Evaluate scores a published forecast.
MetricRow ScoreAgainstNaive(std::string scope, std::string period, const Frame& frame,
                            std::span<const double> forecast, const TimeSeries& actuals,
                            Horizon horizon);

/// Scores a forecast of `target_year` (one value per day from 1 January, NaN where there is
/// none) against `actuals`, for the year and each month, beside the seasonal naive under the
/// horizon's information set. `actuals` should start two years before the target year (see
/// NaiveBenchmark). nullopt when no day has both an actual and a forecast. Reads nothing else:
/// Evaluate scores a published forecast with it, a series run each series' forecast, both with
/// the calendar of the target year computed once (TargetCalendar::year_days).
std::optional<Evaluation> EvaluateForecast(std::span<const double> forecast,
                                           const TimeSeries& actuals,
                                           const TargetCalendar& calendar, Horizon horizon);
/// EvaluateForecast with the calendar of the days of `target_year`.
std::optional<Evaluation> EvaluateForecast(std::span<const double> forecast,
                                           const TimeSeries& actuals, int target_year,
                                           Horizon horizon);

/// The unweighted mean of yearly score rows (MetricRow, BacktestRow): each year counts once
/// whatever its days. MAPE, MAE, RMSE, bias, skill, naive MAPE and the `extra` fields of the row
/// are averaged, days is their total; every other field is left at its default, as is the whole
/// row when there is none.
template <typename Row>
Row MeanScores(std::span<const Row> rows, std::initializer_list<double Row::*> extra = {}) {
  Row mean{};
  if (rows.empty()) return mean;
  for (const Row& r : rows) mean.days += r.days;
  auto average = [&](double Row::*score) {
    double sum = 0.0;
    for (const Row& r : rows) sum += r.*score;
    mean.*score = sum / static_cast<double>(rows.size());
  };
  for (double Row::*score :
       {&Row::mape, &Row::mae, &Row::rmse, &Row::bias, &Row::skill, &Row::naive_mape}) {
    average(score);
  }
  for (double Row::*score : extra) average(score);
  return mean;
}

/// What an evaluation alerts about, with the figure and the limit it crossed.
struct ScoreFinding {
  std::string code;  // mape_above_threshold, worse_than_naive
  std::string message;
  double value = 0.0;
  double threshold = 0.0;
};

/// The findings about a year's score: a MAPE above evaluation.mape_warning, a MAPE worse than
/// the seasonal naive's (negative skill). Both are warnings.
std::vector<ScoreFinding> JudgeScore(const MetricRow& year, int target_year, Horizon horizon,
                                     const Config& config);

/// Scores the forecast published for (target_year, horizon), counting a forecast published by
/// `run_id` itself. UsageError when there is none; nullopt when no actual of the year exists yet.
std::optional<Evaluation> Evaluate(const DataController& data, int target_year, Horizon horizon,
                                   int64_t run_id);

}  // namespace loadcast
