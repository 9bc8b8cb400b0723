// Fuzzes the model artifact loader (model/registry.hpp) with arbitrary bytes, parsed as JSON the
// way an artifact is read from the bucket. LoadArtifact and ArtifactParams either succeed or
// throw StorageError; any other exception is a bug. A model that loads forecasts a few days, and
// its state saves and loads back unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/frame.hpp"
#include "core/time_series.hpp"
#include "fuzz_check.hpp"
#include "model/registry.hpp"

namespace {

using loadcast::fuzz::Check;

/// Two weeks of known load before two target weeks: enough for every kind to forecast from.
struct PredictionInputs {
  loadcast::TimeSeries known;
  loadcast::Frame targets;
};

const PredictionInputs& Inputs() {
  static const PredictionInputs inputs = [] {
    const loadcast::Date start = loadcast::Date::FromYmd(2019, 12, 18);
    const loadcast::Date target = start + 14;
    std::vector<double> values;
    for (int i = 0; i < 14; ++i) values.push_back(800000.0 + 1000.0 * (i % 7));
    PredictionInputs out;
    out.known = loadcast::TimeSeries(start, values);
    out.targets = loadcast::BuildFrame(out.known, target, target + 14);
    return out;
  }();
  return inputs;
}

/// Runs `load`; nullptr when it throws StorageError, abort with the message for anything else.
template <typename Load>
auto Expect(Load load, const char* what) -> decltype(load()) {
  try {
    return load();
  } catch (const loadcast::StorageError&) {
    return {};
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s let through an exception other than StorageError: %s\n", what,
                 e.what());
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json artifact =
      nlohmann::json::parse(data, data + size, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (artifact.is_discarded()) return 0;

  Expect([&] { return std::optional(loadcast::ArtifactParams(artifact)); }, "ArtifactParams");
  const std::unique_ptr<loadcast::Forecaster> model =
      Expect([&] { return loadcast::LoadArtifact(artifact); }, "LoadArtifact");
  if (!model) return 0;

  Check(model->kind() == artifact.at("kind").get<std::string>(),
        "the model has the artifact's kind");
  (void)model->Features();
  const PredictionInputs& inputs = Inputs();
  const loadcast::Forecast forecast = model->Predict(inputs.targets, inputs.known);
  Check(forecast.size() == inputs.targets.size() && forecast.mean.size() == forecast.size() &&
            forecast.lower.size() == forecast.size() && forecast.upper.size() == forecast.size(),
        "a forecast has one value of each kind per target day");

  // The state saves and loads back into a new model of the same kind unchanged.
  const nlohmann::json state = model->SaveState();
  nlohmann::json again = artifact;
  again["state"] = state;
  const std::unique_ptr<loadcast::Forecaster> reloaded =
      Expect([&] { return loadcast::LoadArtifact(again); }, "LoadArtifact of a saved state");
  Check(reloaded != nullptr, "a saved state loads");
  Check(reloaded->SaveState() == state, "a saved state loads back unchanged");
  return 0;
}
