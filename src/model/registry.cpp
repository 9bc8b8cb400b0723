#include "model/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdint>
#include <functional>
#include <limits>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"
#include "model/calendar_ar.hpp"
#include "model/calendar_regression.hpp"
#include "model/seasonal_naive.hpp"

namespace loadcast {
namespace {

struct KindRegistration {
  std::string_view kind;
  std::function<std::unique_ptr<Forecaster>(const ModelParams&)> make;
};

// Adding a model: one new file and one line here (see docs/architecture.md).
const std::vector<KindRegistration>& Registrations() {
  static const std::vector<KindRegistration> kRegistry = {
      {SeasonalNaive::kKind,
       [](const ModelParams& p) { return std::make_unique<SeasonalNaive>(p); }},
      {CalendarRegression::kKind,
       [](const ModelParams& p) { return std::make_unique<CalendarRegression>(p); }},
      {CalendarAr::kKind, [](const ModelParams& p) { return std::make_unique<CalendarAr>(p); }},
  };
  return kRegistry;
}

}  // namespace

nlohmann::json ParamsToJson(const ModelParams& p) {
  return {{"kind", p.kind},
          {"training_years", p.training_years},
          {"epochs", p.epochs},
          {"fourier_order", p.fourier_order},
          {"huber_k", p.huber_k},
          {"level_years", p.level_years},
          {"level_days", p.level_days},
          {"recency_halflife", p.recency_halflife},
          {"calibration_years", p.calibration_years},
          {"interval_coverage", p.interval_coverage}};
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

ModelParams ParamsFromJson(const nlohmann::json& j) {
  constexpr std::string_view kContext = "model artifact has malformed params";
  ModelParams p;
  p.kind = j.at("kind").get<std::string>();
  p.training_years = IntAt(j, "training_years", kContext);
  p.epochs = IntAt(j, "epochs", kContext);
  p.fourier_order = IntAt(j, "fourier_order", kContext);
  p.huber_k = j.at("huber_k").get<double>();
  p.level_years = IntAt(j, "level_years", kContext);
  p.level_days = IntAt(j, "level_days", kContext);
  p.recency_halflife = j.at("recency_halflife").get<double>();
  // Artifacts written before intervals were calibrated lack the key.
  p.calibration_years = j.contains("calibration_years") ? IntAt(j, "calibration_years", kContext)
                                                        : ModelParams{}.calibration_years;
  p.interval_coverage = j.at("interval_coverage").get<double>();
  if (const auto problem = ModelParamsProblem(p)) {
    throw StorageError(fmt::format("model artifact has params no config allows: {}", *problem));
  }
  return p;
}

}  // namespace

std::vector<std::string_view> ForecasterKinds() {
  std::vector<std::string_view> kinds;
  for (const auto& r : Registrations()) kinds.push_back(r.kind);
  return kinds;
}

std::unique_ptr<Forecaster> MakeForecaster(const ModelParams& params) {
  for (const auto& r : Registrations()) {
    if (r.kind == params.kind) return r.make(params);
  }
  throw UsageError(fmt::format("unknown model kind '{}' (valid: {})", params.kind,
                               fmt::join(ForecasterKinds(), ", ")));
}

nlohmann::json SaveArtifact(const Forecaster& model, const ModelParams& params,
                            const ModelInfo& info, const nlohmann::json& extras) {
  nlohmann::json artifact = {{"format", kArtifactFormat},
                             {"format_version", kArtifactFormatVersion},
                             {"kind", model.kind()},
                             {"horizon", HorizonName(info.horizon)},
                             {"target_year", info.target_year},
                             {"trained_from", info.trained_from.ToIso()},
                             {"trained_to", info.trained_to.ToIso()},
                             {"features", model.Features()},
                             {"params", ParamsToJson(params)},
                             {"spec_hash", SpecHash(params)},
                             {"config_hash", info.config_hash},
                             {"inputs", info.inputs},
                             {"data_hash", InputsHash(info.inputs)},
                             {"code_version", info.code_version},
                             {"state", model.SaveState()}};
  for (const auto& [key, value] : extras.items()) artifact[key] = value;
  return artifact;
}

ModelParams ArtifactParams(const nlohmann::json& artifact) {
  try {
    ModelParams params = ParamsFromJson(artifact.at("params"));
    params.kind = artifact.at("kind").get<std::string>();
    return params;
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(fmt::format("model artifact has malformed params: {}", e.what()));
  }
}

std::string SpecHash(const ModelParams& params) {
  return Sha256Hex(ParamsToJson(params).dump()).substr(0, 16);
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
    const ModelParams params = ArtifactParams(artifact);
    std::unique_ptr<Forecaster> model;
    try {
      model = MakeForecaster(params);
    } catch (const UsageError& e) {
      throw StorageError(fmt::format("model artifact: {}", e.what()));
    }
    model->LoadState(artifact.at("state"));
    return model;
  } catch (const nlohmann::json::exception& e) {
    throw StorageError(fmt::format("model artifact is malformed: {}", e.what()));
  }
}

}  // namespace loadcast
