// The extension point for forecasting models. A forecaster learns from a frame of past days and
// forecasts target days; it never does I/O. Its learned state round-trips through JSON, apart
// from its hyper-parameters (its kind's params in a ModelSpec, model/kinds.hpp), which come
// from the config.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/frame.hpp"

namespace loadcast {

/// Point forecasts with a prediction interval, one per target day.
struct Forecast {
  std::vector<Date> dates;
  std::vector<double> mean;
  std::vector<double> lower;
  std::vector<double> upper;

  std::size_t size() const { return dates.size(); }
};

class Forecaster {
 public:
  virtual ~Forecaster() = default;
  /// The registered kind name, written into artifacts.
  virtual std::string_view kind() const = 0;
  /// Learns from the training frame (days with NaN load are skipped).
  virtual void Fit(const Frame& training) = 0;
  /// Forecasts every day of `targets`. `known` holds the actuals the model may use: the pipeline
  /// passes only what the horizon allows, and a model reads at most the days before each target.
  virtual Forecast Predict(const Frame& targets, const TimeSeries& known) const = 0;
  /// The names of the features the fitted model reads, in its own order (artifact metadata).
  virtual std::vector<std::string> Features() const = 0;
  virtual nlohmann::json SaveState() const = 0;
  /// Restores learned state; throws StorageError when the state is malformed.
  virtual void LoadState(const nlohmann::json& state) = 0;
};

}  // namespace loadcast
