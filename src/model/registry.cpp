#include "model/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <limits>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"

namespace loadcast {

nlohmann::json ParamsToJson(const ModelSpec& spec) {
  nlohmann::json params = {{"kind", std::string(spec.kind())}};
  ModelSpec copy = spec;
  for (const ParamDef& def : KindOf(spec).params) {
    std::visit([&](auto* p) { params[def.key] = *p; }, def.field(copy));
  }
  return params;
}

namespace {

/// The integer at `key`: a JSON integer within int's range. Anything else (a fraction, a larger
/// number, a boolean, text) is a StorageError prefixed with `context`, rather than a conversion
/// that would be undefined or silently wrong.
int IntAt(const nlohmann::json& j, const char* key, std::string_view context) {
  constexpr auto kMin = std::numeric_limits<int>::min();
  constexpr auto kMax = std::numeric_limits<int>::max();
  const nlohmann::json& value = j.at(key);
  if (value.is_number_unsigned() && value.get<std::uint64_t>() <= std::uint64_t{kMax}) {
    return static_cast<int>(value.get<std::uint64_t>());
  }
  if (value.is_number_integer() && !value.is_number_unsigned() &&
      value.get<std::int64_t>() >= kMin && value.get<std::int64_t>() <= kMax) {
    return static_cast<int>(value.get<std::int64_t>());
  }
  const std::string what =
      value.is_number() ? value.dump() : fmt::format("of type {}", value.type_name());
  throw StorageError(
      fmt::format("{}: '{}' is {}, not an integer from {} to {}", context, key, what, kMin, kMax));
}

ModelSpec ParamsFromJson(std::string_view kind_name, const nlohmann::json& j) {
  constexpr std::string_view kContext = "model artifact has malformed params";
  const ModelKind* kind = FindModelKind(kind_name);
  if (kind == nullptr) {
    throw StorageError(fmt::format("model artifact: unknown model kind '{}' (valid: {})", kind_name,
                                   ModelKindNames()));
  }
  ModelSpec spec{.common = {}, .params = kind->defaults};
  for (const ParamDef& def : kind->params) {
    // Artifacts written before intervals were calibrated lack the key: the default applies.
    if (def.key == "calibration_years" && !j.contains(def.key)) continue;
    std::visit(
        [&](auto* p) {
          using T = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<T, int>) {
            *p = IntAt(j, def.key.c_str(), kContext);
          } else {
            *p = j.at(def.key).get<double>();
          }
        },
        def.field(spec));
  }
  if (const auto problem = ModelSpecProblem(spec)) {
    throw StorageError(fmt::format("model artifact has params no config allows: {}", *problem));
  }
  return spec;
}

}  // namespace

std::vector<std::string_view> ForecasterKinds() {
  std::vector<std::string_view> kinds;
  for (const ModelKind& kind : ModelKinds()) kinds.push_back(kind.name);
  return kinds;
}

std::unique_ptr<Forecaster> MakeForecaster(const ModelSpec& spec) {
  return KindOf(spec).make(spec);
}

nlohmann::json SaveArtifact(const Forecaster& model, const ModelSpec& spec, const ModelInfo& info,
                            const nlohmann::json& extras) {
  nlohmann::json artifact = {{"format", kArtifactFormat},
                             {"format_version", kArtifactFormatVersion},
                             {"kind", model.kind()},
                             {"horizon", HorizonName(info.horizon)},
                             {"target_year", info.target_year},
                             {"trained_from", info.trained_from.ToIso()},
                             {"trained_to", info.trained_to.ToIso()},
                             {"features", model.Features()},
                             {"params", ParamsToJson(spec)},
                             {"spec_hash", SpecHash(spec)},
                             {"config_hash", info.config_hash},
                             {"inputs", info.inputs},
                             {"data_hash", InputsHash(info.inputs)},
                             {"code_version", info.code_version},
                             {"state", model.SaveState()}};
  for (const auto& [key, value] : extras.items()) artifact[key] = value;
  return artifact;
}

ModelSpec ArtifactParams(const nlohmann::json& artifact) {
  try {
    return ParamsFromJson(artifact.at("kind").get<std::string>(), artifact.at("params"));
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(fmt::format("model artifact has malformed params: {}", e.what()));
  }
}

std::string SpecHash(const ModelSpec& spec) {
  return Sha256Hex(ParamsToJson(spec).dump()).substr(0, 16);
}

std::string InputsHash(const std::map<std::string, std::string>& inputs) {
  if (inputs.empty()) return "";
  std::string lines;
  for (const auto& [key, sha] : inputs) lines += fmt::format("{} {}\n", key, sha);
  return Sha256Hex(lines).substr(0, 16);
}

std::unique_ptr<Forecaster> LoadArtifact(const nlohmann::json& artifact) {
  try {
    if (artifact.at("format").get<std::string>() != kArtifactFormat) {
      throw StorageError("not a loadcast model artifact");
    }
    const int version = IntAt(artifact, "format_version", "model artifact is malformed");
    if (version < 1 || version > kArtifactFormatVersion) {
      throw StorageError(
          fmt::format("model artifact format version {} is not supported (this "
                      "build reads versions 1 to {})",
                      version, kArtifactFormatVersion));
    }
    std::unique_ptr<Forecaster> model = MakeForecaster(ArtifactParams(artifact));
    model->LoadState(artifact.at("state"));
    return model;
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(fmt::format("model artifact is malformed: {}", e.what()));
  }
}

}  // namespace loadcast
