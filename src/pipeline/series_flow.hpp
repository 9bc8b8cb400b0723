// Many series at once: market zones, substations or customers, each with its own daily load.
//   series ingest: read -> validate -> store (one object per year, every series in it)
//   series run:    extract -> validate -> train and forecast -> check -> monitor -> evaluate ->
//                  publish
// Each series is validated, fitted, forecast, checked and scored on its own, with the year-ahead
// model's hyper-parameters (models.year); its results are stored under its name. Series trained
// on the same days share the calendar design (model/calendar_batch.hpp), and the series are
// spread over the `--jobs` threads: a series' forecast is the same whether it runs alone or
// among ten thousand. Check, monitor and evaluate are the single-series steps'
// (prediction_checker.hpp, monitor.hpp, evaluator.hpp), given each series' forecast and history:
// a series' forecast passes or fails the same checks a single-series forecast would.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"
#include "pipeline/run.hpp"

namespace loadcast {

struct SeriesIngestResult {
  int64_t run_id = 0;
  std::size_t series = 0;  // distinct series in the files
  std::size_t rows = 0;
  std::vector<int> years;  // years whose object was written
};

/// Validates many-series CSV files (date,series,load) and merges them into the yearly series
/// objects. Any problem rejects every file: the bad ones are quarantined, nothing is stored, and
/// DataError (exit code 3) lists "file:line: problem" for each.
SeriesIngestResult SeriesIngestFlow(DataController& data, const Config& config,
                                    const std::vector<std::filesystem::path>& files);

struct SeriesRunResult {
  int64_t run_id = 0;
  int target_year = 0;
  std::vector<SeriesResultRow> series;  // by name; forecasts included
  std::size_t ok = 0;
  std::size_t warning = 0;
  std::size_t failed = 0;
  std::size_t scored = 0;                // series with actuals of the target year
  std::optional<double> median_mape;     // over the scored series
  std::optional<double> aggregate_mape;  // of the scored series' sum, day by day
  std::vector<StepTiming> timings;
};

/// Trains on the years before `target_year` (models.year.training_years of them) and forecasts
/// it for every stored series, scoring the forecast where the year's actuals exist. A series
/// with too little history, or a forecast that fails a prediction check, is stored as failed
/// (without a forecast) with an alert; a check that warns, or a drifting level, stores it as
/// warning. The other series go on. DataError when no series is stored for the years needed.
SeriesRunResult SeriesRunFlow(DataController& data, const Config& config, int target_year);

}  // namespace loadcast
