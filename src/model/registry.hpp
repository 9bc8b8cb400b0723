// The registry of model kinds and the self-describing artifact format that names them.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "model/forecaster.hpp"

namespace loadcast {

inline constexpr std::string_view kArtifactFormat = "loadcast-model";
inline constexpr int kArtifactFormatVersion = 1;

/// The kinds that can be built, in registration order.
std::vector<std::string_view> ForecasterKinds();
/// A new, unfitted forecaster of `params.kind`; UsageError listing the valid kinds otherwise.
std::unique_ptr<Forecaster> MakeForecaster(const ModelParams& params);

/// Describes a trained model for the artifact: what it is and what it was trained on.
struct ModelInfo {
  Horizon horizon = Horizon::kYear;
  int target_year = 0;
  Date trained_from;
  Date trained_to;  // inclusive
};

/// The artifact: format, kind, metadata, hyper-parameters and learned state, as JSON, plus the
/// calibrated prediction intervals as "intervals" when given (the pipeline owns their format;
/// LoadArtifact ignores them, the predictor reads them).
nlohmann::json SaveArtifact(const Forecaster& model, const ModelParams& params,
                            const ModelInfo& info,
                            const std::optional<nlohmann::json>& intervals = std::nullopt);
/// Rebuilds the forecaster an artifact describes; StorageError when it is not a valid artifact.
std::unique_ptr<Forecaster> LoadArtifact(const nlohmann::json& artifact);

}  // namespace loadcast
