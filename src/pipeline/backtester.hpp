// The backtester replays the pipeline on past years, rolling the origin forward: for each target
// year it fits a new model of the configured kind on the years before it, forecasts the year under
// the horizon's information set and scores it, beside the seasonal naive, as Evaluate would. It
// keeps nothing: the models it fits are neither saved nor registered, so a backtest never changes
// what predict uses.
#pragma once

#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
#include "pipeline/interval_calibrator.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {

class Backtester {
 public:
  /// Backtests `horizon` with the model settings `ModelSpecOf(config, horizon)`.
  Backtester(DataController& data, const Config& config, Horizon horizon);

  /// Extracts, validates and enriches the actuals for `target_year` as a run does, fits a new
  /// model on the years before it and scores its forecast of the year. DataError when the bucket
  /// lacks the training years or holds no actual of the target year to score against.
  BacktestRow BacktestYear(int target_year) const;

 private:
  DataController& data_;
  const Config& config_;
  Horizon horizon_;
  Validator validator_;
  // Year y's fold is year y's forecast and a calibration year of y+1 .. y+3: each is fitted once.
  mutable FoldCache folds_;
};

/// The unweighted mean of the yearly rows' scores, each year counting once; days is their total
/// and target_year 0.
BacktestRow MeanBacktest(const std::vector<BacktestRow>& rows);

}  // namespace loadcast
