#include "model/registry.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <functional>

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

ModelParams ParamsFromJson(const nlohmann::json& j) {
  ModelParams p;
  p.kind = j.at("kind").get<std::string>();
  p.training_years = j.at("training_years").get<int>();
  p.epochs = j.at("epochs").get<int>();
  p.fourier_order = j.at("fourier_order").get<int>();
  p.huber_k = j.at("huber_k").get<double>();
  p.level_years = j.at("level_years").get<int>();
  p.level_days = j.at("level_days").get<int>();
  p.recency_halflife = j.at("recency_halflife").get<double>();
  // Artifacts written before intervals were calibrated lack the key.
  p.calibration_years = j.value("calibration_years", ModelParams{}.calibration_years);
  p.interval_coverage = j.at("interval_coverage").get<double>();
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
    const int version = artifact.at("format_version").get<int>();
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
