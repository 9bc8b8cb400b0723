#include "pipeline/backtester.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/errors.hpp"
#include "core/metrics.hpp"
#include "model/kinds.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/evaluator.hpp"
#include "pipeline/extractor.hpp"
#include "pipeline/interval_calibrator.hpp"
#include "pipeline/trainer.hpp"

namespace loadcast {

Backtester::Backtester(DataController& data, const Config& config, Horizon horizon)
    : data_(data), config_(config), horizon_(horizon), validator_(config, Date::Today()) {}

BacktestRow Backtester::BacktestYear(int target_year) const {
  const ModelSpec params = ModelSpecOf(config_, horizon_);
  const ExtractedData extracted =
      Extractor(data_, validator_)
          .Extract(target_year, params.common.training_years, params.common.calibration_years);
  validator_.ValidateSeries(extracted.actuals,
                            fmt::format("actuals {}-{}", extracted.first_year, target_year));
  const EnrichedData enriched = Enrich(extracted, horizon_);
  // The year and the calibration years before it, as folds: the target year's fold is the fit a
  // run of the year makes (same training window, targets and known days).
  std::vector<BacktestFold> folds =
      BacktestFolds(enriched.history, params, horizon_, target_year + 1,
                    std::max(params.common.calibration_years, 0) + 1, &folds_);
  Forecast forecast;
  if (!folds.empty() && folds.back().year == target_year) {
    forecast = std::move(folds.back().forecast);
    folds.pop_back();
  } else {
    forecast = FitModel(enriched, params)->Predict(enriched.targets, enriched.known);
  }
  // As Train does for the model predict uses, so that the coverage scored is the one served.
  if (const auto calibration = CalibrateFromResiduals(
          FoldResiduals(folds, target_year - params.common.calibration_years), params, horizon_,
          target_year)) {
    ApplyCalibration(*calibration, forecast);
  }

  // The naive reads up to two years back, which the training window (at least two years) holds.
  const MetricRow scores = ScoreAgainstNaive("year", std::to_string(target_year), enriched.targets,
                                             forecast.mean, extracted.actuals, horizon_);
  if (scores.days == 0) {
    throw DataError(fmt::format(
        "actuals: the bucket holds no actual of {} to score the backtest against", target_year));
  }
  const IntervalScores interval =
      ScoreInterval(enriched.targets.load, forecast.mean, forecast.lower, forecast.upper);

  BacktestRow row;
  row.target_year = target_year;
  row.horizon = horizon_;
  row.days = scores.days;
  row.mape = scores.mape;
  row.mae = scores.mae;
  row.rmse = scores.rmse;
  row.bias = scores.bias;
  row.skill = scores.skill;
  row.naive_mape = scores.naive_mape;
  row.coverage = interval.coverage;
  row.interval_width = interval.width;
  spdlog::info("backtest {} {}: {} days, MAPE {:.2f}% (naive {:.2f}%), coverage {:.1f}%",
               row.horizon, target_year, row.days, row.mape, row.naive_mape, row.coverage);
  return row;
}

BacktestRow MeanBacktest(const std::vector<BacktestRow>& rows) {
  BacktestRow mean =
      MeanScores<BacktestRow>(rows, {&BacktestRow::coverage, &BacktestRow::interval_width});
  if (rows.empty()) return mean;
  mean.run_id = rows.front().run_id;
  mean.horizon = rows.front().horizon;
  return mean;
}

}  // namespace loadcast
