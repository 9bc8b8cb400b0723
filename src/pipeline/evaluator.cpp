#include "pipeline/evaluator.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "model/seasonal_naive.hpp"

namespace loadcast {
namespace {

MetricRow ToRow(std::string scope, std::string period, const Scores& model, const Scores& naive) {
  return {std::move(scope), std::move(period), static_cast<int>(model.days), model.mape, model.mae,
          model.rmse,       model.bias,        Skill(model, naive),          naive.mape};
}

}  // namespace

std::optional<Evaluation> Evaluate(const DataController& data, int target_year, Horizon horizon,
                                   int64_t run_id) {
  const std::string horizon_name(HorizonName(horizon));
  const auto published = data.CurrentForecast(target_year, horizon, run_id);
  if (!published) {
    throw UsageError(
        fmt::format("no {} forecast of {} is published: run 'loadcast predict "
                    "--target-year {} --horizon {}' first",
                    horizon_name, target_year, target_year, horizon_name));
  }
  const Date year_start = Date::FromYmd(target_year, 1, 1);
  const Date year_end = Date::FromYmd(target_year + 1, 1, 1);
  // The benchmark needs the actuals of up to two years back (Dec 31 of a year-ahead forecast).
  const TimeSeries actuals = data.LoadActuals(target_year - 2, target_year);
  const Frame frame = BuildFrame(actuals, year_start, year_end);

  std::vector<double> forecast(frame.size(), kMissing);
  for (const ForecastRow& row : published->rows) {
    const auto date = Date::ParseIso(row.date);
    if (date && !(*date < year_start) && *date < year_end) {
      forecast[static_cast<std::size_t>(*date - year_start)] = row.forecast;
    }
  }
  // The seasonal naive under the same information set as the horizon.
  const TimeSeries naive_known =
      horizon == Horizon::kYear ? actuals.slice(actuals.start(), year_start) : actuals;
  const Forecast naive = SeasonalNaive().Predict(frame, naive_known);
  std::vector<double> naive_mean = naive.mean;
  // Score both on the same days: those with an actual and a forecast.
  for (std::size_t i = 0; i < frame.size(); ++i) {
    if (std::isnan(forecast[i])) naive_mean[i] = kMissing;
  }

  const Scores year_scores = Score(frame.load, forecast);
  if (year_scores.days == 0) return std::nullopt;
  Evaluation out;
  out.forecast_run_id = published->run_id;
  out.year = ToRow("year", std::to_string(target_year), year_scores, Score(frame.load, naive_mean));
  for (int month = 1; month <= 12; ++month) {
    const auto from = static_cast<std::size_t>(Date::FromYmd(target_year, month, 1) - year_start);
    const auto to = static_cast<std::size_t>(
        (month == 12 ? year_end : Date::FromYmd(target_year, month + 1, 1)) - year_start);
    const std::span<const double> a(frame.load.data() + from, to - from);
    const Scores m = Score(a, std::span<const double>(forecast.data() + from, to - from));
    if (m.days == 0) continue;
    const Scores n = Score(a, std::span<const double>(naive_mean.data() + from, to - from));
    out.months.push_back(ToRow("month", fmt::format("{}-{:02}", target_year, month), m, n));
  }
  return out;
}

}  // namespace loadcast
