#include "model/registry.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/hash.hpp"
#include "model/kinds.hpp"
#include "unit/model/model_test_data.hpp"

namespace loadcast {
namespace {

using testing::D;
using testing::YearStart;

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' not found in:\n" << text;
}

/// A spec of `kind` away from the defaults wherever the kind has a parameter.
ModelSpec Params(const std::string& kind) {
  ModelSpec spec = DefaultModelSpec(kind);
  spec.common.training_years = 3;
  spec.common.interval_coverage = 0.8;
  auto calendar = [](CalendarRegressionParams& p) {
    p.epochs = 8;
    p.fourier_order = 2;
    p.huber_k = 2.0;
    p.level_years = 2;
  };
  if (auto* p = std::get_if<CalendarRegressionParams>(&spec.params)) calendar(*p);
  if (auto* p = std::get_if<CalendarArParams>(&spec.params)) calendar(*p);
  return spec;
}

/// Three years of noisy synthetic load, enough for every kind to train quickly.
const TimeSeries& Training() {
  static const TimeSeries series = testing::SyntheticSeries(2016, 2019, 2, 0.03, 21);
  return series;
}

/// A model of `kind` trained on 2016-2018.
std::unique_ptr<Forecaster> Trained(const std::string& kind) {
  auto model = MakeForecaster(Params(kind));
  model->Fit(BuildFrame(Training(), YearStart(2016), YearStart(2019)));
  return model;
}

const ModelInfo kInfo{.horizon = Horizon::kDay,
                      .target_year = 2019,
                      .trained_from = Date::FromYmd(2016, 1, 1),
                      .trained_to = Date::FromYmd(2018, 12, 31),
                      .inputs = {},
                      .config_hash = "",
                      .code_version = ""};

/// Loads an artifact that must be rejected and returns the StorageError message.
std::string LoadError(const nlohmann::json& artifact) {
  try {
    LoadArtifact(artifact);
    ADD_FAILURE() << "artifact loaded: " << artifact.dump().substr(0, 200);
  } catch (const StorageError& e) {
    return e.what();
  }
  return "";
}

TEST(ForecasterKinds, ListsTheThreeModelsInRegistrationOrder) {
  EXPECT_EQ(ForecasterKinds(), (std::vector<std::string_view>{
                                   "seasonal_naive", "calendar_regression", "calendar_ar"}));
}

TEST(MakeForecaster, BuildsEveryRegisteredKind) {
  for (std::string_view kind : ForecasterKinds()) {
    const auto model = MakeForecaster(Params(std::string(kind)));
    ASSERT_NE(model, nullptr);
    EXPECT_EQ(model->kind(), kind);
  }
}

TEST(DefaultModelSpec, RejectsUnknownKindListingValidKinds) {
  for (const char* kind : {"prophet", "", "Calendar_AR", "calendar-ar"}) {
    try {
      DefaultModelSpec(kind);
      ADD_FAILURE() << "built '" << kind << "'";
    } catch (const UsageError& e) {
      EXPECT_TRUE(Contains(e.what(), "unknown model kind '" + std::string(kind) + "'"));
      EXPECT_TRUE(Contains(e.what(), "valid: seasonal_naive, calendar_regression, calendar_ar"));
      EXPECT_EQ(e.exit_code(), ExitCode::kUsage);
    }
  }
}

TEST(SaveArtifact, DescribesTheModel) {
  const auto model = Trained("calendar_regression");
  const nlohmann::json artifact = SaveArtifact(*model, Params("calendar_regression"), kInfo);
  EXPECT_EQ(artifact.at("format"), "loadcast-model");
  EXPECT_EQ(artifact.at("format_version"), kArtifactFormatVersion);
  EXPECT_EQ(artifact.at("kind"), "calendar_regression");
  EXPECT_EQ(artifact.at("horizon"), "day");
  EXPECT_EQ(artifact.at("target_year"), 2019);
  EXPECT_EQ(artifact.at("trained_from"), "2016-01-01");
  EXPECT_EQ(artifact.at("trained_to"), "2018-12-31");
  const nlohmann::json& params = artifact.at("params");
  EXPECT_EQ(params.at("kind"), "calendar_regression");
  EXPECT_EQ(params.at("training_years"), 3);
  EXPECT_EQ(params.at("epochs"), 8);
  EXPECT_EQ(params.at("fourier_order"), 2);
  EXPECT_EQ(params.at("huber_k"), 2.0);
  EXPECT_EQ(params.at("level_years"), 2);
  EXPECT_EQ(params.at("interval_coverage"), 0.8);
  EXPECT_EQ(artifact.at("state"), model->SaveState());
}

TEST(SaveArtifact, CarriesTheMetadataOfItsTraining) {
  ModelInfo info = kInfo;
  info.inputs = {{"actuals/2017.csv", "aa11"}, {"actuals/2016.csv", "bb22"}};
  info.config_hash = "c0ffee";
  info.code_version = "9.9.9+gabc";
  const auto model = Trained("calendar_ar");
  const nlohmann::json artifact =
      SaveArtifact(*model, Params("calendar_ar"), info,
                   {{"validation", {{"years", {2018}}}}, {"intervals", {{"coverage", 0.8}}}});
  EXPECT_EQ(artifact.at("features"), model->Features());
  EXPECT_EQ(artifact.at("inputs").at("actuals/2016.csv"), "bb22");
  EXPECT_EQ(artifact.at("data_hash"), InputsHash(info.inputs));
  EXPECT_EQ(artifact.at("config_hash"), "c0ffee");
  EXPECT_EQ(artifact.at("code_version"), "9.9.9+gabc");
  EXPECT_EQ(artifact.at("spec_hash"), SpecHash(Params("calendar_ar")));
  EXPECT_EQ(artifact.at("validation").at("years"), nlohmann::json({2018}));
  EXPECT_EQ(artifact.at("intervals").at("coverage"), 0.8);
  // What the pipeline adds does not stop the artifact from loading.
  EXPECT_EQ(LoadArtifact(artifact)->SaveState(), model->SaveState());
}

TEST(Features, NameWhatEachFittedKindReads) {
  EXPECT_EQ(Trained("seasonal_naive")->Features(), std::vector<std::string>{"load_lag364"});
  const auto calendar = Trained("calendar_regression")->Features();
  EXPECT_GT(calendar.size(), 20u);
  const auto ar = Trained("calendar_ar")->Features();
  ASSERT_EQ(ar.size(), calendar.size() + 12);
  EXPECT_EQ(std::vector<std::string>(ar.begin(), ar.begin() + calendar.size()), calendar);
  EXPECT_EQ(ar.back(), "ar.dev_last_ordinary_same_type");
}

TEST(ArtifactParams, ReadsTheHyperParametersBack) {
  const nlohmann::json artifact =
      SaveArtifact(*Trained("calendar_regression"), Params("calendar_regression"), kInfo);
  const ModelSpec params = ArtifactParams(artifact);
  EXPECT_EQ(params.kind(), "calendar_regression");
  EXPECT_EQ(ParamsToJson(params), ParamsToJson(Params("calendar_regression")));
  EXPECT_THROW(ArtifactParams(nlohmann::json::object()), StorageError);
}

TEST(SpecHash, ChangesWithKindAndEveryHyperParameter) {
  const ModelSpec base = Params("calendar_regression");
  EXPECT_EQ(SpecHash(base), SpecHash(Params("calendar_regression")));
  EXPECT_NE(SpecHash(Params("calendar_ar")), SpecHash(base));
  for (const ParamDef& def : KindOf(base).params) {
    ModelSpec other = base;
    std::visit([](auto* p) { *p += 1; }, def.field(other));
    EXPECT_NE(SpecHash(other), SpecHash(base)) << def.key;
  }
}

TEST(InputsHash, CoversEveryObjectAndItsContent) {
  const std::map<std::string, std::string> inputs = {{"a", "1"}, {"b", "2"}};
  EXPECT_EQ(InputsHash({}), "");
  EXPECT_EQ(InputsHash(inputs).size(), 16u);
  EXPECT_NE(InputsHash(inputs), InputsHash({{"a", "1"}, {"b", "3"}}));
  EXPECT_NE(InputsHash(inputs), InputsHash({{"a", "1"}}));
  EXPECT_NE(InputsHash(inputs), InputsHash({{"a", "1"}, {"c", "2"}}));
}

TEST(LoadArtifact, ReadsFormatVersionOneArtifacts) {
  // Version 1 had no metadata beyond the training window.
  nlohmann::json artifact =
      SaveArtifact(*Trained("calendar_regression"), Params("calendar_regression"), kInfo);
  for (const char* key :
       {"features", "spec_hash", "config_hash", "inputs", "data_hash", "code_version"}) {
    artifact.erase(key);
  }
  artifact["format_version"] = 1;
  EXPECT_EQ(LoadArtifact(artifact)->kind(), "calendar_regression");
}

TEST(SaveArtifact, IsDeterministic) {
  // Artifacts are content-hashed: the same model must serialize to the same bytes.
  const auto model = Trained("calendar_ar");
  EXPECT_EQ(SaveArtifact(*model, Params("calendar_ar"), kInfo).dump(),
            SaveArtifact(*model, Params("calendar_ar"), kInfo).dump());
}

TEST(LoadArtifact, RoundTripsEveryKindWithIdenticalPredictions) {
  const Frame targets = BuildFrame(Training(), YearStart(2019), YearStart(2020));
  for (std::string_view kind : ForecasterKinds()) {
    SCOPED_TRACE(kind);
    const auto model = Trained(std::string(kind));
    const nlohmann::json artifact = SaveArtifact(*model, Params(std::string(kind)), kInfo);
    // Through text, as the artifact is stored in the bucket.
    const auto loaded = LoadArtifact(nlohmann::json::parse(artifact.dump()));
    ASSERT_NE(loaded, nullptr);
    EXPECT_EQ(loaded->kind(), kind);
    EXPECT_EQ(loaded->SaveState(), model->SaveState());
    const Forecast a = model->Predict(targets, Training());
    const Forecast b = loaded->Predict(targets, Training());
    EXPECT_EQ(a.dates, b.dates);
    EXPECT_EQ(a.mean, b.mean);
    EXPECT_EQ(a.lower, b.lower);
    EXPECT_EQ(a.upper, b.upper);
    // Re-saving the loaded model reproduces the artifact.
    EXPECT_EQ(SaveArtifact(*loaded, Params(std::string(kind)), kInfo), artifact);
  }
}

TEST(LoadArtifact, RejectsWrongFormat) {
  nlohmann::json artifact =
      SaveArtifact(*Trained("seasonal_naive"), Params("seasonal_naive"), kInfo);
  artifact["format"] = "pickle";
  EXPECT_TRUE(Contains(LoadError(artifact), "not a loadcast model artifact"));
  artifact.erase("format");
  EXPECT_TRUE(Contains(LoadError(artifact), "malformed"));
  EXPECT_TRUE(Contains(LoadError(nlohmann::json::object()), "malformed"));
  EXPECT_TRUE(Contains(LoadError(nlohmann::json::array()), "malformed"));
  EXPECT_TRUE(Contains(LoadError(nlohmann::json("loadcast-model")), "malformed"));
}

TEST(LoadArtifact, RejectsFutureFormatVersion) {
  nlohmann::json artifact =
      SaveArtifact(*Trained("seasonal_naive"), Params("seasonal_naive"), kInfo);
  artifact["format_version"] = kArtifactFormatVersion + 1;
  const std::string message = LoadError(artifact);
  EXPECT_TRUE(Contains(
      message, fmt::format("format version {} is not supported", kArtifactFormatVersion + 1)));
  EXPECT_TRUE(Contains(message, fmt::format("reads versions 1 to {}", kArtifactFormatVersion)));
  artifact["format_version"] = 0;
  EXPECT_TRUE(Contains(LoadError(artifact), "format version 0 is not supported"));
  artifact["format_version"] = "1";
  EXPECT_TRUE(Contains(LoadError(artifact), "malformed"));
}

TEST(LoadArtifact, RejectsIntegersThatAreFractionsOrBeyondInt) {
  // Converting these to int would be undefined (1e300) or wrap around to a valid version (2^32+2).
  const nlohmann::json good =
      SaveArtifact(*Trained("calendar_regression"), Params("calendar_regression"), kInfo);
  for (const nlohmann::json& version : {nlohmann::json(1e300), nlohmann::json(1.5),
                                        nlohmann::json(4294967298U), nlohmann::json(-4294967294)}) {
    nlohmann::json artifact = good;
    artifact["format_version"] = version;
    EXPECT_TRUE(Contains(LoadError(artifact), "malformed: 'format_version' is " + version.dump()));
  }
  nlohmann::json boolean = good;
  boolean["format_version"] = true;
  EXPECT_TRUE(Contains(LoadError(boolean), "'format_version' is of type boolean"));
  nlohmann::json epochs = good;
  epochs["params"]["epochs"] = 1e300;
  EXPECT_TRUE(Contains(LoadError(epochs), "malformed params: 'epochs' is 1e+300"));
  EXPECT_THROW(ArtifactParams(epochs), StorageError);
  nlohmann::json calibration = good;
  calibration["params"]["calibration_years"] = 3.5;
  EXPECT_THROW(ArtifactParams(calibration), StorageError);
}

TEST(LoadArtifact, RejectsParamsNoConfigAllows) {
  // Integers that fit but that a config file would refuse: a corrupt artifact must not make a
  // gate re-fit iterate a billion times or build thousands of harmonics.
  const nlohmann::json good = SaveArtifact(*Trained("calendar_ar"), Params("calendar_ar"), kInfo);
  const std::vector<std::pair<std::string, nlohmann::json>> cases = {
      {"epochs", 1000000000}, {"fourier_order", 5000},    {"training_years", 0},
      {"huber_k", -1.0},      {"interval_coverage", 2.0}, {"level_days", 100000}};
  for (const auto& [key, value] : cases) {
    nlohmann::json artifact = good;
    artifact["params"][key] = value;
    const std::string message = LoadError(artifact);
    EXPECT_TRUE(Contains(message, "params no config allows: '" + key + "' = ")) << message;
    EXPECT_THROW(ArtifactParams(artifact), StorageError) << key;
  }
  EXPECT_NO_THROW(ArtifactParams(good));
}

TEST(LoadArtifact, RejectsUnknownKindAsStorageError) {
  // A bad kind in a stored artifact is a corrupt object, not a usage mistake.
  nlohmann::json artifact =
      SaveArtifact(*Trained("seasonal_naive"), Params("seasonal_naive"), kInfo);
  artifact["kind"] = "neural_net";
  const std::string message = LoadError(artifact);
  EXPECT_TRUE(Contains(message, "unknown model kind 'neural_net'"));
  EXPECT_TRUE(Contains(message, "seasonal_naive, calendar_regression, calendar_ar"));
}

TEST(LoadArtifact, UsesTheArtifactKindOverTheParamsKind) {
  nlohmann::json artifact =
      SaveArtifact(*Trained("seasonal_naive"), Params("seasonal_naive"), kInfo);
  artifact["params"]["kind"] = "calendar_ar";
  EXPECT_EQ(LoadArtifact(artifact)->kind(), "seasonal_naive");
}

TEST(LoadArtifact, RejectsMissingOrBrokenParts) {
  const nlohmann::json good =
      SaveArtifact(*Trained("calendar_regression"), Params("calendar_regression"), kInfo);
  for (const char* key : {"kind", "params", "state", "format_version"}) {
    nlohmann::json artifact = good;
    artifact.erase(key);
    EXPECT_FALSE(LoadError(artifact).empty()) << key;
  }
  nlohmann::json no_epochs = good;
  no_epochs["params"].erase("epochs");
  EXPECT_TRUE(Contains(LoadError(no_epochs), "malformed"));
  nlohmann::json bad_state = good;
  bad_state["state"]["coefficients"].erase("level_2016");
  EXPECT_TRUE(Contains(LoadError(bad_state), "calendar_regression state is malformed"));
  // State of another kind does not load as this kind.
  nlohmann::json swapped = good;
  swapped["kind"] = "calendar_ar";
  EXPECT_FALSE(LoadError(swapped).empty());
}

/// An artifact the build before the kinds had parameters of their own wrote (flat params, every
/// kind listing all ten): `loadcast train --target-year 2020` on the bundled data, both horizons,
/// and the year horizon once more as the seasonal naive with training_years 3.
nlohmann::json FlatParamsArtifact(const std::string& kind) {
  std::ifstream in(std::filesystem::path(LOADCAST_SOURCE_DIR) / "tests/fixtures/artifacts" /
                   (kind + "_v2.json"));
  return nlohmann::json::parse(in);
}

TEST(LoadArtifact, ReadsArtifactsWrittenWithFlatParams) {
  for (std::string_view kind : ForecasterKinds()) {
    SCOPED_TRACE(kind);
    const nlohmann::json artifact = FlatParamsArtifact(std::string(kind));
    ASSERT_EQ(artifact.at("format_version"), 2);
    const auto model = LoadArtifact(artifact);
    EXPECT_EQ(model->kind(), kind);
    EXPECT_EQ(model->SaveState(), artifact.at("state"));
    EXPECT_EQ(nlohmann::json(model->Features()), artifact.at("features"));
    const ModelSpec spec = ArtifactParams(artifact);
    EXPECT_EQ(spec.kind(), kind);
    // The kind's own parameters read back; the others a flat artifact listed are ignored.
    const nlohmann::json params = ParamsToJson(spec);
    for (const auto& [key, value] : params.items()) {
      EXPECT_EQ(value, artifact.at("params").at(key)) << key;
    }
  }
  EXPECT_EQ(ArtifactParams(FlatParamsArtifact("seasonal_naive")).common.training_years, 3);
}

TEST(SpecHash, OfTheCalendarKindsIsTheOneTheirFlatArtifactsRecorded) {
  // Their params list the same keys as before, so the registry sees the same specification.
  for (const char* kind : {"calendar_regression", "calendar_ar"}) {
    const nlohmann::json artifact = FlatParamsArtifact(kind);
    EXPECT_EQ(ParamsToJson(ArtifactParams(artifact)), artifact.at("params")) << kind;
    EXPECT_EQ(SpecHash(ArtifactParams(artifact)), artifact.at("spec_hash")) << kind;
  }
  // The same for the default config, and the model config hash of each horizon too.
  const Config config = ResolveModels(DefaultConfig("."));
  EXPECT_EQ(SpecHash(ModelSpecOf(config, Horizon::kYear)),
            FlatParamsArtifact("calendar_regression").at("spec_hash"));
  EXPECT_EQ(SpecHash(ModelSpecOf(config, Horizon::kDay)),
            FlatParamsArtifact("calendar_ar").at("spec_hash"));
  EXPECT_EQ(Sha256Hex(DumpModelConfig(config, Horizon::kYear)).substr(0, 16),
            FlatParamsArtifact("calendar_regression").at("config_hash"));
  EXPECT_EQ(Sha256Hex(DumpModelConfig(config, Horizon::kDay)).substr(0, 16),
            FlatParamsArtifact("calendar_ar").at("config_hash"));
}

TEST(SpecHash, OfTheSeasonalNaiveCoversOnlyItsOwnParameters) {
  // Its flat artifact's hash covered calendar parameters it never read; its spec is now its
  // kind and three common parameters, so the hash differs from the recorded one, once.
  const nlohmann::json artifact = FlatParamsArtifact("seasonal_naive");
  const ModelSpec spec = ArtifactParams(artifact);
  EXPECT_EQ(ParamsToJson(spec), (nlohmann::json{{"kind", "seasonal_naive"},
                                                {"training_years", 3},
                                                {"calibration_years", 3},
                                                {"interval_coverage", 0.9}}));
  EXPECT_NE(SpecHash(spec), artifact.at("spec_hash"));
}

}  // namespace
}  // namespace loadcast
