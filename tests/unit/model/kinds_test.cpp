#include "model/kinds.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using ::loadcast::testing::TempDir;

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' not found in:\n" << text;
}

/// Loads `yaml` as a command does (the file, then the model layer's check of its models
/// sections) and returns the ConfigError message; fails the test if it loads.
std::string LoadError(const TempDir& dir, const std::string& yaml) {
  const auto file = dir.Write("loadcast.yaml", yaml);
  try {
    ResolveModels(LoadConfig(file, dir.path()));
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "config loaded without error:\n" << yaml;
  return "";
}

Config Load(const TempDir& dir, const std::string& yaml) {
  return ResolveModels(LoadConfig(dir.Write("loadcast.yaml", yaml), dir.path()));
}

std::vector<std::string> Keys(const ModelKind& kind) {
  std::vector<std::string> keys;
  for (const ParamDef& def : kind.params) keys.push_back(def.key);
  return keys;
}

std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ModelKinds, ListsEachKindWithItsOwnParameters) {
  ASSERT_EQ(ModelKinds().size(), 3u);
  EXPECT_EQ(ModelKindNames(), "seasonal_naive, calendar_regression, calendar_ar");
  EXPECT_EQ(Keys(*FindModelKind("seasonal_naive")),
            (std::vector<std::string>{"training_years", "calibration_years", "interval_coverage"}));
  const std::vector<std::string> calendar = {
      "training_years", "epochs",           "fourier_order",     "huber_k",          "level_years",
      "level_days",     "recency_halflife", "calibration_years", "interval_coverage"};
  EXPECT_EQ(Keys(*FindModelKind("calendar_regression")), calendar);
  EXPECT_EQ(Keys(*FindModelKind("calendar_ar")), calendar);
  EXPECT_EQ(FindModelKind("prophet"), nullptr);
  for (const ModelKind& kind : ModelKinds()) {
    EXPECT_EQ(DefaultModelSpec(kind.name).kind(), kind.name);
    EXPECT_FALSE(kind.description.empty()) << kind.name;
    for (const ParamDef& def : kind.params) {
      EXPECT_LT(def.min, def.max) << kind.name << "." << def.key;
      EXPECT_FALSE(def.doc.empty()) << kind.name << "." << def.key;
    }
    // Every default lies inside its range.
    EXPECT_EQ(ModelSpecProblem(DefaultModelSpec(kind.name)), std::nullopt) << kind.name;
  }
}

TEST(ModelSpecOf, GivesTheDocumentedDefaultsOfEachHorizon) {
  const Config c = DefaultConfig("/srv/loadcast");
  const ModelSpec year = ModelSpecOf(c, Horizon::kYear);
  const ModelSpec day = ModelSpecOf(c, Horizon::kDay);
  EXPECT_EQ(year.kind(), "calendar_regression");
  EXPECT_EQ(day.kind(), "calendar_ar");
  for (const ModelSpec* spec : {&year, &day}) {
    EXPECT_EQ(spec->common.training_years, 10);
    EXPECT_EQ(spec->common.calibration_years, 3);
    EXPECT_EQ(spec->common.interval_coverage, 0.9);
    const CalendarRegressionParams m = CalendarParamsOf(*spec);
    EXPECT_EQ(m.epochs, 20);
    EXPECT_EQ(m.fourier_order, 6);
    EXPECT_EQ(m.level_days, 90);
    EXPECT_EQ(m.huber_k, 1.5);
    EXPECT_EQ(m.level_years, 1);
  }
  EXPECT_EQ(CalendarParamsOf(year).recency_halflife, 4.0);
  EXPECT_EQ(CalendarParamsOf(day).recency_halflife, 1.0);
}

TEST(ModelSpecOf, AppliesTheFileOverTheDefaults) {
  TempDir dir;
  const Config c = Load(dir,
                        "models:\n"
                        "  year:\n"
                        "    kind: seasonal_naive\n"
                        "    training_years: 8\n"
                        "  day:\n"
                        "    epochs: 5\n"
                        "    interval_coverage: 0.95\n");
  const ModelSpec year = ModelSpecOf(c, Horizon::kYear);
  EXPECT_EQ(year.kind(), "seasonal_naive");
  EXPECT_EQ(year.common.training_years, 8);
  EXPECT_EQ(year.common.interval_coverage, 0.9);
  const ModelSpec day = ModelSpecOf(c, Horizon::kDay);
  EXPECT_EQ(std::get<CalendarArParams>(day.params).epochs, 5);
  EXPECT_EQ(std::get<CalendarArParams>(day.params).fourier_order, 6);
  EXPECT_EQ(day.common.interval_coverage, 0.95);
}

TEST(ModelSpecOf, KeepsTheHorizonsDefaultsTheNewKindHasAndDropsTheOthers) {
  // The year horizon's fourier_order and level_days are defaults of its calendar model: switched
  // to the seasonal naive, which has neither, they do not apply; training_years does.
  TempDir dir;
  const Config c = Load(dir, "models:\n  year:\n    kind: seasonal_naive\n");
  const ModelSpec year = ModelSpecOf(c, Horizon::kYear);
  EXPECT_EQ(year.kind(), "seasonal_naive");
  EXPECT_EQ(year.common.training_years, 10);
  EXPECT_EQ(c.year_model.Find("fourier_order"), nullptr);
}

TEST(ModelSpecOf, AcceptsValuesOnTheRangeBounds) {
  TempDir dir;
  const Config c = Load(dir,
                        "models:\n"
                        "  year:\n"
                        "    training_years: 2\n"
                        "    epochs: 1000\n"
                        "    fourier_order: 0\n"
                        "    calibration_years: 0\n"
                        "    interval_coverage: 0.999\n"
                        "  day:\n"
                        "    training_years: 30\n"
                        "    fourier_order: 12\n"
                        "    level_years: 10\n"
                        "    calibration_years: 10\n"
                        "    interval_coverage: 0.5\n");
  const ModelSpec year = ModelSpecOf(c, Horizon::kYear);
  const ModelSpec day = ModelSpecOf(c, Horizon::kDay);
  EXPECT_EQ(year.common.training_years, 2);
  EXPECT_EQ(CalendarParamsOf(year).epochs, 1000);
  EXPECT_EQ(CalendarParamsOf(year).fourier_order, 0);
  EXPECT_EQ(year.common.calibration_years, 0);
  EXPECT_EQ(year.common.interval_coverage, 0.999);
  EXPECT_EQ(day.common.training_years, 30);
  EXPECT_EQ(CalendarParamsOf(day).fourier_order, 12);
  EXPECT_EQ(CalendarParamsOf(day).level_years, 10);
  EXPECT_EQ(day.common.calibration_years, 10);
  EXPECT_EQ(day.common.interval_coverage, 0.5);
}

TEST(ModelSpecOf, RejectsUnknownModelKindNamingFileAndLineAndListingValidKinds) {
  TempDir dir;
  const std::string message = LoadError(dir, "models:\n  day:\n    kind: prophet\n");
  EXPECT_TRUE(Contains(message, (dir / "loadcast.yaml").string() + ":3:"));
  EXPECT_TRUE(Contains(message, "unknown model kind 'prophet'"));
  EXPECT_TRUE(Contains(message, "valid: seasonal_naive, calendar_regression, calendar_ar"));
}

TEST(ModelSpecOf, RejectsAKeyTheKindDoesNotHaveNamingFileAndLine) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir,
                                        "models:\n"
                                        "  year:\n"
                                        "    kind: seasonal_naive\n"
                                        "    training_years: 8\n"
                                        "    huber_k: 2.25\n");
  EXPECT_TRUE(Contains(message, file + ":5: unknown key 'models.year.huber_k' for model kind "
                                       "'seasonal_naive' (valid: kind, training_years, "
                                       "calibration_years, interval_coverage)"));
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  day:\n    epoch: 5\n"),
                       file + ":3: unknown key 'models.day.epoch' for model kind 'calendar_ar'"));
}

TEST(ModelSpecOf, RejectsWrongTypesNamingFileAndLine) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir, "models:\n  year:\n    epochs: many\n");
  EXPECT_TRUE(Contains(message, file + ":3:"));
  EXPECT_TRUE(Contains(message, "'models.year.epochs'"));
  EXPECT_TRUE(Contains(message, "wrong type"));
  // A fraction is not an integer.
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  day:\n    training_years: 2.5\n"), "wrong type"));
  // A list or mapping where a scalar belongs (the config refuses it before the model layer).
  EXPECT_TRUE(
      Contains(LoadError(dir, "models:\n  year:\n    huber_k: [1, 2]\n"), "must be a scalar"));
}

TEST(ModelSpecOf, RejectsOutOfRangeValuesNamingFileAndLine) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir,
                                        "validation:\n"
                                        "  max_load: 1600000\n"
                                        "models:\n"
                                        "  day:\n"
                                        "    epochs: 0\n");
  EXPECT_TRUE(Contains(message, file + ":5:"));
  EXPECT_TRUE(Contains(message, "'models.day.epochs' = 0 is outside [1, 1000]"));
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  year:\n    training_years: 31\n"), "outside"));
  EXPECT_TRUE(
      Contains(LoadError(dir, "models:\n  year:\n    interval_coverage: 1.0\n"), "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  year:\n    fourier_order: -1\n"), "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  day:\n    calibration_years: 11\n"), "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  day:\n    huber_k: .inf\n"), "outside"));
}

TEST(ModelSpecOf, RejectsNanValues) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir, "models:\n  year:\n    interval_coverage: .nan\n");
  EXPECT_TRUE(Contains(message, file + ":3:"));
  EXPECT_TRUE(Contains(message, "'models.year.interval_coverage'"));
  EXPECT_TRUE(Contains(message, "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  day:\n    huber_k: .nan\n"), "outside"));
}

TEST(ResolveModels, DumpsEveryParameterAsBeforeTheKindsHadTheirOwn) {
  // The text a model's config hash is taken over: the same as when one flat set of parameters
  // served every kind, so that the hashes of an unchanged config stay the same.
  const Config c = ResolveModels(DefaultConfig("."));
  EXPECT_EQ(DumpModelConfig(c, Horizon::kYear),
            "models:\n"
            "  year:\n"
            "    kind: \"calendar_regression\"\n"
            "    training_years: 10\n"
            "    epochs: 20\n"
            "    fourier_order: 6\n"
            "    huber_k: 1.5\n"
            "    level_years: 1\n"
            "    level_days: 90\n"
            "    recency_halflife: 4\n"
            "    calibration_years: 3\n"
            "    interval_coverage: 0.9\n");
  EXPECT_TRUE(Contains(DumpModelConfig(c, Horizon::kDay), "    recency_halflife: 1\n"));
}

TEST(ResolveModels, ReloadsToTheSameValues) {
  TempDir dir;
  Config c = DefaultConfig(dir.path());
  c.year_model = {.kind = "seasonal_naive",
                  .settings = {{"training_years", "9", ""},
                               {"calibration_years", "7", ""},
                               {"interval_coverage", "0.8", ""}},
                  .kind_where = ""};
  c.day_model.Set("epochs", "1");
  c.day_model.Set("huber_k", "0.3333333333333333");
  c.day_model.Set("interval_coverage", "0.999");
  const std::string dump = DumpConfig(ResolveModels(c));
  const Config reloaded = Load(dir, dump);
  EXPECT_EQ(DumpConfig(reloaded), dump);
  EXPECT_EQ(CalendarParamsOf(ModelSpecOf(reloaded, Horizon::kDay)).huber_k, 1.0 / 3.0);
}

TEST(ShippedConfig, LoadsToTheDefaults) {
  const std::filesystem::path source_dir(LOADCAST_SOURCE_DIR);
  const auto file = source_dir / "config" / "loadcast.yaml";
  // A missing file is a failure: the defaults would then be documented nowhere.
  ASSERT_TRUE(std::filesystem::is_regular_file(file))
      << file << " is missing: it ships with loadcast";
  // The shipped file documents the defaults; if they drift apart, one of them is wrong.
  EXPECT_EQ(DumpConfig(ResolveModels(LoadConfig(file, source_dir))),
            DumpConfig(ResolveModels(DefaultConfig(source_dir))));
}

TEST(ModelSpecProblem, NamesTheFirstParameterOutsideItsRange) {
  ModelSpec spec = DefaultModelSpec("calendar_regression");
  std::get<CalendarRegressionParams>(spec.params).epochs = 5000;
  EXPECT_EQ(ModelSpecProblem(spec), "'epochs' = 5000 is outside [1, 1000]");
  spec = DefaultModelSpec("seasonal_naive");
  spec.common.interval_coverage = 2;
  EXPECT_EQ(ModelSpecProblem(spec), "'interval_coverage' = 2 is outside [0.5, 0.999]");
}

TEST(ModelKindsReference, ListsEveryKindAndParameterWithDefaultAndRange) {
  const std::string reference = ModelKindsReference();
  for (const ModelKind& kind : ModelKinds()) {
    EXPECT_TRUE(Contains(reference, "### `" + kind.name + "`\n"));
  }
  EXPECT_TRUE(Contains(reference, "| `epochs` | `20` | 1 .. 1000 |"));
  EXPECT_TRUE(Contains(reference, "| `interval_coverage` | `0.9` | 0.5 .. 0.999 |"));
}

TEST(Docs, ModelParameterTablesMatchTheKindsTable) {
  // Both documents hold the generated reference verbatim: regenerate it with
  // 'loadcast config --reference' (its part after the settings table) when a kind changes.
  const std::string reference = ModelKindsReference();
  for (const char* doc : {"docs/models.md", "docs/configuration.md"}) {
    const std::string text = Slurp(std::filesystem::path(LOADCAST_SOURCE_DIR) / doc);
    EXPECT_NE(text.find(reference), std::string::npos)
        << doc << " is out of date: paste the output of ModelKindsReference() into it";
  }
}

}  // namespace
}  // namespace loadcast
