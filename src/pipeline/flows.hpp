// The flows a scheduler runs, each a recorded run made of pipeline steps:
//   ingest:   read -> validate -> store
//   train:    extract -> validate -> enrich -> train (register) -> gate (promote or not)
//   predict:  extract -> validate -> enrich -> predict (champion) -> check -> publish
//   evaluate: score the published forecast against the actuals
//   run:      train and predict and evaluate in one go
// Re-running a flow on the same data with the same config changes nothing: the model is the same
// version, the gate's decision is on record, and a forecast or score equal to the current one is
// not written again.
//   backtest: for each past year, extract -> validate -> enrich -> fit -> forecast -> score,
//             keeping the scores only (no model is registered)
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "controller/data_controller.hpp"
#include "model/forecaster.hpp"
#include "pipeline/evaluator.hpp"
#include "pipeline/extractor.hpp"
#include "pipeline/promotion_gate.hpp"
#include "pipeline/run.hpp"

namespace loadcast {

/// What a flow did, for the CLI to print.
struct FlowResult {
  int64_t run_id = 0;
  std::string command;
  int target_year = 0;
  Horizon horizon = Horizon::kYear;
  std::optional<ModelRecord> model;    // trained (train) or used (predict, run)
  std::optional<ModelRecord> trained;  // the candidate a train or run registered
  bool trained_new = false;            // false: the same version was on record already
  std::optional<GateResult> gate;      // the promotion gate's verdict on the candidate
  std::optional<Forecast> forecast;
  // The run that published the same forecast before, when this one published nothing new.
  std::optional<int64_t> unchanged_since;
  std::vector<double> actuals;  // aligned with the forecast's dates, NaN where not yet known
  std::vector<CheckRow> checks;
  std::optional<Evaluation> evaluation;
  std::optional<std::filesystem::path> exported;
  std::vector<StepTiming> timings;
  int alerts = 0;
};

struct IngestResult {
  int64_t run_id = 0;
  IngestReport report;
};

/// What a backtest did, for the CLI to print.
struct BacktestResult {
  int64_t run_id = 0;
  Horizon horizon = Horizon::kYear;
  std::vector<BacktestRow> years;  // by target year
  BacktestRow mean;                // see MeanBacktest
  std::vector<StepTiming> timings;
};

/// Told before each year of a backtest: the year, its 1-based position and the number of years.
using BacktestProgress = std::function<void(int year, int index, int count)>;

IngestResult IngestFlow(DataController& data, const Config& config,
                        const std::vector<std::filesystem::path>& files);
FlowResult TrainFlow(DataController& data, const Config& config, int target_year, Horizon horizon);
/// Predicts with the horizon's champion, or with the model `model_id` when given.
FlowResult PredictFlow(DataController& data, const Config& config, int target_year, Horizon horizon,
                       const std::optional<std::filesystem::path>& out,
                       std::optional<int64_t> model_id = std::nullopt);
FlowResult EvaluateFlow(DataController& data, const Config& config, int target_year,
                        Horizon horizon);
FlowResult RunFlow(DataController& data, const Config& config, int target_year, Horizon horizon,
                   const std::optional<std::filesystem::path>& out);

/// Backtests every year in [from, to] as one recorded run (command "backtest", target year `to`),
/// each year a step "backtest <year>", and stores the yearly rows (dataset backtests). UsageError
/// when from > to. `progress` may be empty.
BacktestResult BacktestFlow(DataController& data, const Config& config, int from, int to,
                            Horizon horizon, const BacktestProgress& progress);

/// The CSV written by --out: date,forecast,lower,upper,actual.
std::string FormatForecastCsv(const Forecast& forecast, const std::vector<double>& actuals);

}  // namespace loadcast
