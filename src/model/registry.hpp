// The registry of model kinds and the self-describing artifact format that names them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/forecaster.hpp"
#include "model/kinds.hpp"

namespace loadcast {

inline constexpr std::string_view kArtifactFormat = "loadcast-model";
/// Version 2 adds the metadata (features, inputs, config hash, code version); version 1 artifacts
/// still load. The "params" section is flat in both: the kind and each of its parameters (before
/// the kinds' parameters were told apart, every kind listed every parameter; a reader ignores
/// the ones its kind does not have).
inline constexpr int kArtifactFormatVersion = 2;

/// The kinds that can be built, in registration order (ModelKinds in model/kinds.hpp).
std::vector<std::string_view> ForecasterKinds();
/// A new, unfitted forecaster of the spec's kind.
std::unique_ptr<Forecaster> MakeForecaster(const ModelSpec& spec);

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
nlohmann::json SaveArtifact(const Forecaster& model, const ModelSpec& spec, const ModelInfo& info,
                            const nlohmann::json& extras = nlohmann::json::object());
/// Rebuilds the forecaster an artifact describes; StorageError when it is not a valid artifact.
std::unique_ptr<Forecaster> LoadArtifact(const nlohmann::json& artifact);

/// The hyper-parameters as the artifact's "params" section holds them, kind included.
nlohmann::json ParamsToJson(const ModelSpec& spec);
/// The specification an artifact was trained with; StorageError when malformed, of an unknown
/// kind or outside the ranges a config allows (ModelSpecProblem).
ModelSpec ArtifactParams(const nlohmann::json& artifact);
/// A hash of the model's specification (kind and hyper-parameters): two models with the same one
/// differ only by the data or the code they were trained with.
std::string SpecHash(const ModelSpec& spec);
/// One hash over input objects and their SHA-256 ("" for none).
std::string InputsHash(const std::map<std::string, std::string>& inputs);

}  // namespace loadcast
