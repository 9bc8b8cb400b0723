// The registry of model kinds and the self-describing artifact format that names them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/forecaster.hpp"

namespace loadcast {

inline constexpr std::string_view kArtifactFormat = "loadcast-model";
/// Version 2 adds the metadata (features, inputs, config hash, code version); version 1 artifacts
/// still load.
inline constexpr int kArtifactFormatVersion = 2;

/// The kinds that can be built, in registration order.
std::vector<std::string_view> ForecasterKinds();
/// A new, unfitted forecaster of `params.kind`; UsageError listing the valid kinds otherwise.
std::unique_ptr<Forecaster> MakeForecaster(const ModelParams& params);

/// Describes a trained model for the artifact: what it is, what it was trained on and by what.
struct ModelInfo {
  Horizon horizon = Horizon::kYear;
  int target_year = 0;
  Date trained_from;
  Date trained_to;                            // inclusive
  std::map<std::string, std::string> inputs;  // every input object read: key -> SHA-256
  std::string config_hash;                    // of the settings that shaped the model
  std::string code_version;                   // the build that trained it
};

/// The artifact: format, kind, metadata, hyper-parameters and learned state, as JSON. `extras`
/// (an object, possibly empty) adds sections the pipeline owns, such as the calibrated
/// "intervals" and the "validation" backtest; LoadArtifact ignores them.
nlohmann::json SaveArtifact(const Forecaster& model, const ModelParams& params,
                            const ModelInfo& info,
                            const nlohmann::json& extras = nlohmann::json::object());
/// Rebuilds the forecaster an artifact describes; StorageError when it is not a valid artifact.
std::unique_ptr<Forecaster> LoadArtifact(const nlohmann::json& artifact);

/// The hyper-parameters as the artifact's "params" section holds them, kind included.
nlohmann::json ParamsToJson(const ModelParams& params);
/// The hyper-parameters an artifact was trained with; StorageError when malformed.
ModelParams ArtifactParams(const nlohmann::json& artifact);
/// A hash of the model's specification (kind and hyper-parameters): two models with the same one
/// differ only by the data or the code they were trained with.
std::string SpecHash(const ModelParams& params);
/// One hash over input objects and their SHA-256 ("" for none).
std::string InputsHash(const std::map<std::string, std::string>& inputs);

}  // namespace loadcast
