// The enricher turns extracted actuals into the frames a model learns from and forecasts: every
// day annotated with its calendar facts, split into training and target days according to the
// horizon.
#pragma once

#include "core/config.hpp"
#include "core/frame.hpp"
#include "pipeline/extractor.hpp"

namespace loadcast {

struct EnrichedData {
  int target_year = 0;
  Horizon horizon = Horizon::kYear;
  Frame training;    // the training years, with loads
  Frame targets;     // the days to forecast, with the actuals where they exist
  TimeSeries known;  // the actuals the model may read when forecasting
  // Every extracted actual, including years before the training window, from which the trainer
  // and the backtester calibrate prediction intervals (interval_calibrator.hpp).
  TimeSeries history;
  Date trained_from;
  Date trained_to;  // inclusive
};

/// Year horizon: every day of the target year is forecast from data before it. Day horizon: each
/// day of the target year up to the day after the last actual, from actuals up to the day before.
/// Training and known data start at `extracted.first_year`; earlier years go to `history` only.
EnrichedData Enrich(const ExtractedData& extracted, Horizon horizon);

}  // namespace loadcast
