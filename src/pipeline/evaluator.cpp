#include "pipeline/evaluator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "model/seasonal_naive.hpp"

namespace loadcast {

std::vector<double> NaiveBenchmark(const Frame& frame, std::span<const double> forecast,
                                   const TimeSeries& actuals, Horizon horizon) {
  std::vector<double> naive(frame.size(), kMissing);
  if (frame.empty()) return naive;
  // The seasonal naive under the same information set as the horizon.
  const Date first = frame.days.front().date;
  const TimeSeries known =
      horizon == Horizon::kYear ? actuals.slice(actuals.start(), first) : actuals;
  naive = SeasonalNaive().Predict(frame, known).mean;
  // Score both on the same days: those with an actual and a forecast.
  for (std::size_t i = 0; i < naive.size(); ++i) {
    if (i >= forecast.size() || std::isnan(forecast[i])) naive[i] = kMissing;
  }
  return naive;
}

MetricRow ScoreBesideNaive(std::string scope, std::string period, std::span<const double> actual,
                           std::span<const double> forecast, std::span<const double> naive) {
  const Scores model = Score(actual, forecast);
  const Scores benchmark = Score(actual, naive);
  return {{static_cast<int>(model.days), model.mape, model.mae, model.rmse, model.bias,
           Skill(model, benchmark), benchmark.mape},
          std::move(scope),
          std::move(period)};
}

MetricRow ScoreAgainstNaive(std::string scope, std::string period, const Frame& frame,
                            std::span<const double> forecast, const TimeSeries& actuals,
                            Horizon horizon) {
  const std::vector<double> naive = NaiveBenchmark(frame, forecast, actuals, horizon);
  return ScoreBesideNaive(std::move(scope), std::move(period), frame.load, forecast, naive);
}

std::optional<Evaluation> EvaluateForecast(std::span<const double> forecast,
                                           const TimeSeries& actuals,
                                           const TargetCalendar& calendar, Horizon horizon) {
  const int target_year = calendar.target_year();
  const Date year_start = Date::FromYmd(target_year, 1, 1);
  const Date year_end = Date::FromYmd(target_year + 1, 1, 1);
  // The target year's days with their actuals: BuildFrame's, the calendar described once.
  Frame frame;
  frame.days = calendar.year_days();
  frame.load.reserve(frame.days.size());
  for (const CalendarDay& day : frame.days) frame.load.push_back(actuals.at(day.date));
  // The forecast over the frame's days, NaN beyond its end.
  std::vector<double> aligned(frame.size(), kMissing);
  std::copy_n(forecast.begin(), std::min(forecast.size(), aligned.size()), aligned.begin());
  const std::vector<double> naive = NaiveBenchmark(frame, aligned, actuals, horizon);
  Evaluation out;
  out.year = ScoreBesideNaive("year", std::to_string(target_year), frame.load, aligned, naive);
  if (out.year.days == 0) return std::nullopt;
  for (int month = 1; month <= 12; ++month) {
    const auto from = static_cast<std::size_t>(Date::FromYmd(target_year, month, 1) - year_start);
    const auto to = static_cast<std::size_t>(
        (month == 12 ? year_end : Date::FromYmd(target_year, month + 1, 1)) - year_start);
    MetricRow row = ScoreBesideNaive("month", fmt::format("{}-{:02}", target_year, month),
                                     std::span<const double>(frame.load).subspan(from, to - from),
                                     std::span<const double>(aligned).subspan(from, to - from),
                                     std::span<const double>(naive).subspan(from, to - from));
    if (row.days > 0) out.months.push_back(std::move(row));
  }
  return out;
}

std::optional<Evaluation> EvaluateForecast(std::span<const double> forecast,
                                           const TimeSeries& actuals, int target_year,
                                           Horizon horizon) {
  const Date year_start = Date::FromYmd(target_year, 1, 1);
  std::vector<Date> days;
  for (Date d = year_start; d < Date::FromYmd(target_year + 1, 1, 1); ++d) days.push_back(d);
  return EvaluateForecast(forecast, actuals, TargetCalendar(target_year, days), horizon);
}

std::vector<ScoreFinding> JudgeScore(const MetricRow& year, int target_year, Horizon horizon,
                                     const Config& config) {
  std::vector<ScoreFinding> findings;
  if (year.mape > config.mape_warning) {
    findings.push_back(
        {"mape_above_threshold",
         fmt::format("{} MAPE of {} is {:.2f}%, above the {:.2f}% threshold", HorizonName(horizon),
                     target_year, year.mape, config.mape_warning),
         year.mape, config.mape_warning});
  }
  if (year.skill < 0.0) {
    findings.push_back(
        {"worse_than_naive",
         fmt::format("{} forecast of {} has MAPE {:.2f}%, worse than the seasonal naive's {:.2f}%",
                     HorizonName(horizon), target_year, year.mape, year.naive_mape),
         year.mape, year.naive_mape});
  }
  return findings;
}

std::optional<Evaluation> Evaluate(const DataController& data, int target_year, Horizon horizon,
                                   int64_t run_id) {
  const std::string horizon_name(HorizonName(horizon));
  const auto published = data.forecasts().Current(target_year, horizon, run_id);
  if (!published) {
    throw UsageError(
        fmt::format("no {} forecast of {} is published: run 'loadcast predict "
                    "--target-year {} --horizon {}' first",
                    horizon_name, target_year, target_year, horizon_name));
  }
  const Date year_start = Date::FromYmd(target_year, 1, 1);
  const Date year_end = Date::FromYmd(target_year + 1, 1, 1);
  // The benchmark needs the actuals of up to two years back (Dec 31 of a year-ahead forecast).
  const TimeSeries actuals = data.actuals().LoadRange(target_year - 2, target_year);
  std::vector<double> forecast(static_cast<std::size_t>(year_end - year_start), kMissing);
  for (const ForecastRow& row : published->rows) {
    if (!(row.date < year_start) && row.date < year_end) {
      forecast[static_cast<std::size_t>(row.date - year_start)] = row.forecast;
    }
  }
  std::optional<Evaluation> out = EvaluateForecast(forecast, actuals, target_year, horizon);
  if (out) out->forecast_run_id = published->run_id;
  return out;
}

}  // namespace loadcast
