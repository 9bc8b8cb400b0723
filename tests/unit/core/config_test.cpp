#include "core/config.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "support/files.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using ::loadcast::testing::TempDir;

/// Passes when `text` contains `part`; prints both otherwise.
::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << part << "' not found in:\n" << text;
}

// Every key of the settings table; a new setting must be added here, to the docs and to the
// shipped config file.
const std::vector<std::string> kAllKeys = {
    "storage.url",
    "storage.s3.endpoint",
    "storage.s3.region",
    "storage.s3.path_style",
    "storage.s3.timeout_seconds",
    "storage.s3.max_retries",
    "database.url",
    "logging.level",
    "validation.min_load",
    "validation.max_load",
    "validation.max_daily_jump",
    "validation.warn_daily_jump",
    "validation.earliest_year",
    "validation.series_max_load",
    "validation.revision_max_changed_share",
    "validation.revision_max_change_percent",
    "validation.envelope_margin",
    "checks.envelope_margin",
    "checks.annual_total_warn",
    "checks.annual_total_fail",
    "checks.min_weekday_ratio",
    "checks.min_interval_width",
    "checks.max_interval_width",
    "evaluation.mape_warning",
    "alerts.webhook_url",
    "alerts.webhook_timeout_seconds",
    "alerts.episode_quiet_days",
    "runs.lock_timeout_seconds",
    "dashboard.max_body_bytes",
    "dashboard.header_timeout_seconds",
    "dashboard.body_timeout_seconds",
    "dashboard.max_connections_per_client",
    "dashboard.allowed_hosts",
    "models.year.kind",
    "models.day.kind",
    "drift.window_days",
    "drift.step_days",
    "drift.ks_p_value",
    "drift.mean_shift_warning",
    "drift.mean_shift_critical",
    "drift.psi_warning",
    "drift.wasserstein_warning",
    "drift.share_warning",
    "performance.window_days",
    "performance.quantile",
    "performance.critical_factor",
    "registry.validation_years",
    "registry.metric",
    "registry.min_improvement",
    "registry.max_mape_year",
    "registry.max_mape_day",
    "registry.min_skill",
};

/// The settings of a model section by key (where they came from aside).
std::map<std::string, std::string> Values(const ModelSection& section) {
  std::map<std::string, std::string> values;
  for (const ModelSetting& s : section.settings) values[s.key] = s.value;
  return values;
}

void ExpectSameModel(const ModelSection& a, const ModelSection& b, const std::string& what) {
  EXPECT_EQ(a.kind, b.kind) << what;
  EXPECT_EQ(Values(a), Values(b)) << what;
}

void ExpectSameConfig(const Config& a, const Config& b) {
  EXPECT_EQ(a.storage_url, b.storage_url);
  EXPECT_EQ(a.database_url, b.database_url);
  EXPECT_EQ(a.log_level, b.log_level);
  ExpectSameModel(a.year_model, b.year_model, "year model");
  ExpectSameModel(a.day_model, b.day_model, "day model");
  EXPECT_EQ(a.min_load, b.min_load);
  EXPECT_EQ(a.max_load, b.max_load);
  EXPECT_EQ(a.max_daily_jump, b.max_daily_jump);
  EXPECT_EQ(a.warn_daily_jump, b.warn_daily_jump);
  EXPECT_EQ(a.validation_envelope_margin, b.validation_envelope_margin);
  EXPECT_EQ(a.envelope_margin, b.envelope_margin);
  EXPECT_EQ(a.annual_total_warn, b.annual_total_warn);
  EXPECT_EQ(a.annual_total_fail, b.annual_total_fail);
  EXPECT_EQ(a.min_weekday_ratio, b.min_weekday_ratio);
  EXPECT_EQ(a.min_interval_width, b.min_interval_width);
  EXPECT_EQ(a.max_interval_width, b.max_interval_width);
  EXPECT_EQ(a.mape_warning, b.mape_warning);
  EXPECT_EQ(a.alerts_webhook_url, b.alerts_webhook_url);
  EXPECT_EQ(a.alerts_webhook_timeout_seconds, b.alerts_webhook_timeout_seconds);
  EXPECT_EQ(a.base_dir, b.base_dir);
}

/// Loads `yaml` and returns the ConfigError message; fails the test if it loads.
std::string LoadError(const TempDir& dir, const std::string& yaml) {
  const auto file = dir.Write("loadcast.yaml", yaml);
  try {
    LoadConfig(file, dir.path());
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "config loaded without error:\n" << yaml;
  return "";
}

TEST(DefaultConfig, HasDocumentedDefaults) {
  const Config c = DefaultConfig("/srv/loadcast");
  EXPECT_EQ(c.base_dir, std::filesystem::path("/srv/loadcast"));
  EXPECT_EQ(c.storage_url, "var/bucket");
  EXPECT_EQ(c.database_url, "var/loadcast.db");
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.year_model.kind, "calendar_regression");
  EXPECT_EQ(c.day_model.kind, "calendar_ar");
  // The settings in which the horizons' defaults differ from their kinds' (the model layer's
  // tests check the parameters they give).
  EXPECT_EQ(Values(c.year_model), (std::map<std::string, std::string>{{"training_years", "10"},
                                                                      {"fourier_order", "6"},
                                                                      {"level_days", "90"},
                                                                      {"recency_halflife", "4"}}));
  EXPECT_EQ(Values(c.day_model), (std::map<std::string, std::string>{{"training_years", "10"},
                                                                     {"fourier_order", "6"},
                                                                     {"level_days", "90"},
                                                                     {"recency_halflife", "1"}}));
  EXPECT_EQ(c.min_load, 200000.0);
  EXPECT_EQ(c.max_load, 1500000.0);
  EXPECT_EQ(c.max_daily_jump, 0.7);
  EXPECT_EQ(c.envelope_margin, 0.25);
  EXPECT_EQ(c.mape_warning, 8.0);
}

TEST(Config, ModelSelectsTheHorizonsParameters) {
  Config c = DefaultConfig(".");
  c.year_model.Set("epochs", "3");
  c.day_model.Set("epochs", "7");
  EXPECT_EQ(c.model(Horizon::kYear).Find("epochs")->value, "3");
  EXPECT_EQ(c.model(Horizon::kDay).Find("epochs")->value, "7");
  EXPECT_EQ(c.model(Horizon::kYear).Find("huber_k"), nullptr);
  EXPECT_EQ(&c.model(Horizon::kYear), &c.year_model);
  EXPECT_EQ(&c.model(Horizon::kDay), &c.day_model);
}

TEST(ModelSection, SetReplacesAValueInPlace) {
  ModelSection section{.kind = "calendar_ar", .settings = {{"epochs", "5", ""}}, .kind_where = ""};
  section.Set("huber_k", "2", "f.yaml:3");
  section.Set("epochs", "7", "f.yaml:4");
  ASSERT_EQ(section.settings.size(), 2u);
  EXPECT_EQ(section.settings[0].key, "epochs");
  EXPECT_EQ(section.settings[0].value, "7");
  EXPECT_EQ(section.settings[0].where, "f.yaml:4");
  EXPECT_EQ(section.Find("huber_k")->where, "f.yaml:3");
}

TEST(LoadConfig, AppliesOverridesAndKeepsOtherDefaults) {
  TempDir dir;
  const auto file = dir.Write("loadcast.yaml",
                              "# production settings\n"
                              "storage:\n"
                              "  url: file:///data/bucket\n"
                              "database:\n"
                              "  url: sqlite:///data/loadcast.db\n"
                              "logging:\n"
                              "  level: debug\n"
                              "validation:\n"
                              "  min_load: 150000\n"
                              "  max_daily_jump: 0.5\n"
                              "models:\n"
                              "  year:\n"
                              "    kind: seasonal_naive\n"
                              "    training_years: 8\n"
                              "    huber_k: 2.25\n"
                              "  day:\n"
                              "    epochs: 5\n"
                              "    interval_coverage: 0.95\n"
                              "evaluation:\n"
                              "  mape_warning: 6.5\n");
  const Config c = LoadConfig(file, dir.path());
  Config expected = DefaultConfig(dir.path());
  expected.storage_url = "file:///data/bucket";
  expected.database_url = "sqlite:///data/loadcast.db";
  expected.log_level = "debug";
  expected.min_load = 150000;
  expected.max_daily_jump = 0.5;
  // The model sections are kept as given: the model layer checks them (a huber_k for the
  // seasonal naive is refused there, see tests/unit/model/model_config_test.cpp).
  expected.year_model.kind = "seasonal_naive";
  expected.year_model.Set("training_years", "8");
  expected.year_model.Set("huber_k", "2.25");
  expected.day_model.Set("epochs", "5");
  expected.day_model.Set("interval_coverage", "0.95");
  expected.mape_warning = 6.5;
  ExpectSameConfig(c, expected);
}

TEST(LoadConfig, EmptyFileGivesDefaults) {
  TempDir dir;
  ExpectSameConfig(LoadConfig(dir.Write("empty.yaml", ""), dir.path()), DefaultConfig(dir.path()));
  ExpectSameConfig(LoadConfig(dir.Write("comments.yaml", "# nothing set\n"), dir.path()),
                   DefaultConfig(dir.path()));
}

TEST(LoadConfig, KeepsModelSettingsWithTheirFileAndLine) {
  TempDir dir;
  const auto file = dir.Write("models.yaml",
                              "models:\n"
                              "  year:\n"
                              "    kind: calendar_ar\n"
                              "    epochs: 1000\n"
                              "    anything: at all\n");
  const Config c = LoadConfig(file, dir.path());
  EXPECT_EQ(c.year_model.kind, "calendar_ar");
  EXPECT_EQ(c.year_model.kind_where, file.string() + ":3");
  EXPECT_EQ(c.year_model.Find("epochs")->value, "1000");
  EXPECT_EQ(c.year_model.Find("epochs")->where, file.string() + ":4");
  EXPECT_EQ(c.year_model.Find("anything")->value, "at all");
  EXPECT_EQ(c.year_model.Find("training_years")->where, "");  // the horizon's default
}

TEST(LoadConfig, RejectsUnknownKeyNamingFileAndLine) {
  TempDir dir;
  const std::string message = LoadError(dir,
                                        "storage:\n"
                                        "  url: var/bucket\n"
                                        "  urll: typo\n");
  const std::string file = (dir / "loadcast.yaml").string();
  EXPECT_TRUE(Contains(message, file + ":3:"));
  EXPECT_TRUE(Contains(message, "unknown key 'storage.urll'"));
}

TEST(LoadConfig, RejectsASettingGivenTwice) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  EXPECT_TRUE(
      Contains(LoadError(dir, "logging:\n  level: info\n  level: debug\n"),
               file + ":3: 'logging.level' is given twice in one mapping (first at line 2)"));
  // Through a repeated section too: the later one would replace the whole section's keys.
  EXPECT_TRUE(Contains(LoadError(dir,
                                 "models:\n  year:\n    epochs: 5\n"
                                 "drift:\n  window_days: 14\n"
                                 "models:\n  year:\n    epochs: 7\n"),
                       file + ":6: 'models' is given twice in one mapping (first at line 1)"));
  // Each setting once loads.
  const Config c = LoadConfig(dir.Write("ok.yaml", "logging:\n  level: warn\n"), dir.path());
  EXPECT_EQ(c.log_level, "warn");
}

TEST(LoadConfig, RejectsASectionGivenTwiceEvenWithDifferentKeys) {
  // YAML forbids it; read leniently, the two sections would be merged.
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  EXPECT_TRUE(Contains(LoadError(dir,
                                 "storage:\n  url: var/bucket\n"
                                 "logging:\n  level: info\n"
                                 "storage:\n  s3:\n    region: eu-south-1\n"),
                       file + ":5: 'storage' is given twice in one mapping (first at line 1)"));
  // At every level: a nested section twice.
  EXPECT_TRUE(Contains(LoadError(dir,
                                 "storage:\n  s3:\n    region: eu-south-1\n"
                                 "  s3:\n    path_style: false\n"),
                       file + ":4: 'storage.s3' is given twice in one mapping (first at line 2)"));
}

TEST(LoadConfig, RejectsASecondYamlDocumentNamingFileAndLine) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  // The line is that of the marker that starts the second document.
  EXPECT_TRUE(Contains(LoadError(dir, "logging:\n  level: info\n---\nlogging:\n  level: off\n"),
                       file + ":3: a second YAML document"));
  EXPECT_TRUE(Contains(LoadError(dir, "logging:\n  level: info\n...\n\nlogging:\n  level: off\n"),
                       file + ":5: a second YAML document"));
  // The input on which the library's reader of all documents never returned ends, refused.
  const std::string hang = testing::Slurp(std::filesystem::path(LOADCAST_SOURCE_DIR) /
                                          "tests/fixtures/fuzz/config/multi_document_hang.yaml");
  EXPECT_TRUE(Contains(LoadError(dir, hang), file + ":"));
  // An empty second document, after an explicit first one, is refused too.
  EXPECT_TRUE(Contains(LoadError(dir, "---\nlogging:\n  level: info\n---\n"),
                       file + ":4: a second YAML document"));
  // One document, explicitly started or ended, loads.
  EXPECT_EQ(LoadConfig(dir.Write("one.yaml", "---\nlogging:\n  level: warn\n...\n"), dir.path())
                .log_level,
            "warn");
}

TEST(LoadConfig, RejectsAnEmptyStorageOrDatabaseUrlNamingFileAndLine) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  EXPECT_TRUE(Contains(LoadError(dir, "logging:\n  level: info\nstorage:\n  url: \"\"\n"),
                       file + ":4: 'storage.url' must not be empty"));
  EXPECT_TRUE(Contains(LoadError(dir, "database:\n  url: ''\n"),
                       file + ":2: 'database.url' must not be empty"));
}

TEST(LoadConfig, RejectsUnknownSectionAndMisnestedKeys) {
  TempDir dir;
  EXPECT_TRUE(Contains(LoadError(dir, "model:\n  year:\n    kind: calendar_ar\n"),
                       "unknown key 'model.year.kind'"));
  // A model key at the wrong depth is unknown too, not silently ignored.
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  epochs: 3\n"), "unknown key 'models.epochs'"));
  // A section written as a plain value is not a setting.
  EXPECT_TRUE(Contains(LoadError(dir, "storage: var/bucket\n"), "unknown key 'storage'"));
  // A model setting's name is a name: other bytes could not be written back as YAML.
  EXPECT_TRUE(Contains(LoadError(dir, "models:\n  year:\n    Fourier order: 4\n"),
                       "unknown key 'models.year.Fourier order'"));
  EXPECT_TRUE(Contains(LoadError(dir, std::string("models:\n  year:\n    a\0b: 4\n", 27)),
                       "unknown key 'models.year.a"));
}

TEST(LoadConfig, RejectsWrongTypes) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir, "validation:\n  min_load: low\n");
  EXPECT_TRUE(Contains(message, file + ":2:"));
  EXPECT_TRUE(Contains(message, "'validation.min_load'"));
  EXPECT_TRUE(Contains(message, "wrong type"));
  // A list or mapping where a scalar belongs.
  EXPECT_TRUE(
      Contains(LoadError(dir, "models:\n  year:\n    huber_k: [1, 2]\n"), "must be a scalar"));
  EXPECT_TRUE(Contains(LoadError(dir, "logging:\n  level:\n"), "must be a scalar"));
}

TEST(LoadConfig, RejectsOutOfRangeValues) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir,
                                        "validation:\n"
                                        "  max_load: 1600000\n"
                                        "  max_daily_jump: 0\n");
  EXPECT_TRUE(Contains(message, file + ":3:"));
  EXPECT_TRUE(Contains(message, "'validation.max_daily_jump' = 0 is outside [0.01, 10]"));
  EXPECT_TRUE(Contains(LoadError(dir, "drift:\n  window_days: 400\n"), "outside"));
}

TEST(LoadConfig, RejectsUnknownLogLevel) {
  TempDir dir;
  EXPECT_TRUE(
      Contains(LoadError(dir, "logging:\n  level: verbose\n"), "unknown logging.level 'verbose'"));
}

TEST(LoadConfig, RejectsMinLoadNotBelowMaxLoad) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  EXPECT_TRUE(Contains(
      LoadError(dir, "validation:\n  min_load: 900000\n  max_load: 900000\n"),
      file + ":3: validation.min_load (900000) must be below validation.max_load (900000)"));
}

TEST(LoadConfig, RejectsWarningThresholdsBeyondTheirErrorThresholdsNamingFileAndLine) {
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  EXPECT_TRUE(Contains(LoadError(dir, "validation:\n  warn_daily_jump: 0.8\n"),
                       file + ":2: validation.warn_daily_jump (0.8) must not exceed "
                              "validation.max_daily_jump (0.7)"));
  EXPECT_TRUE(Contains(LoadError(dir, "checks:\n  annual_total_warn: 0.2\n"),
                       "checks.annual_total_warn (0.2) must not exceed checks.annual_total_fail"));
  EXPECT_TRUE(
      Contains(LoadError(dir, "checks:\n  min_interval_width: 0.5\n"),
               "checks.min_interval_width (0.5) must not exceed checks.max_interval_width"));
  // The drift thresholds follow the same rule; the error names the later of the two lines.
  EXPECT_TRUE(Contains(LoadError(dir,
                                 "drift:\n  mean_shift_critical: 8\n"
                                 "  window_days: 28\n  mean_shift_warning: 9\n"),
                       file + ":4: drift.mean_shift_warning (9) must not exceed "
                              "drift.mean_shift_critical (8)"));
  EXPECT_TRUE(Contains(LoadError(dir, "drift:\n  mean_shift_warning: 12\n"),
                       file + ":2: drift.mean_shift_warning (12) must not exceed"));
  // Equal thresholds are allowed: a shift that reaches both is critical.
  TempDir ok;
  EXPECT_EQ(LoadConfig(ok.Write("ok.yaml", "drift:\n  mean_shift_warning: 10\n"), ok.path())
                .monitor.drift_shift_warning,
            10);
}

TEST(LoadConfig, RejectsMalformedYamlNamingFileAndLine) {
  TempDir dir;
  const std::string message = LoadError(dir, "storage:\n  url: [unclosed\n");
  EXPECT_TRUE(Contains(message, (dir / "loadcast.yaml").string() + ":"));
  EXPECT_TRUE(Contains(message, "invalid YAML"));
}

TEST(LoadConfig, RejectsKeysThatAreNotNamesNamingFileAndLine) {
  TempDir dir;
  const std::string message = LoadError(dir, "storage:\n  [url]: var/bucket\n");
  EXPECT_TRUE(Contains(message, (dir / "loadcast.yaml").string() + ":2:"));
  EXPECT_TRUE(Contains(message, "a key must be a setting name, not a sequence"));
  EXPECT_TRUE(Contains(LoadError(dir, "{logging: 1}: 2\n"), "not a mapping"));
  EXPECT_TRUE(Contains(LoadError(dir, "~: 1\n"), "not null"));
}

TEST(LoadConfig, RejectsAMappingThatContainsItselfAsUnknownKey) {
  // An alias inside its own anchored mapping makes the YAML graph cyclic; reading it ends.
  TempDir dir;
  EXPECT_TRUE(Contains(LoadError(dir, "a: &x\n  b: *x\n"), "unknown key 'a.b.b'"));
  EXPECT_TRUE(Contains(LoadError(dir, "storage: &s\n  s3: *s\n"), "unknown key 'storage.s3.s3'"));
}

TEST(LoadConfig, RejectsNonMappingTopLevel) {
  TempDir dir;
  EXPECT_TRUE(Contains(LoadError(dir, "- storage\n- database\n"), "top level must be a mapping"));
}

TEST(LoadConfig, RejectsMissingFile) {
  TempDir dir;
  try {
    LoadConfig(dir / "absent.yaml", dir.path());
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_TRUE(Contains(e.what(), "absent.yaml"));
    EXPECT_TRUE(Contains(e.what(), "cannot read"));
    // Configuration mistakes are usage errors (exit code 2).
    EXPECT_EQ(e.exit_code(), ExitCode::kUsage);
  }
}

TEST(DumpConfig, ListsEveryKeyInNestedYaml) {
  const std::string dump = DumpConfig(DefaultConfig("."));
  EXPECT_TRUE(Contains(dump, "storage:\n  url: \"var/bucket\"\n"));
  EXPECT_TRUE(Contains(dump, "models:\n  year:\n    kind: \"calendar_regression\"\n"));
  EXPECT_TRUE(Contains(dump, "  day:\n    kind: \"calendar_ar\"\n"));
  for (const std::string& key : kAllKeys) {
    const std::string leaf = key.substr(key.rfind('.') + 1);
    EXPECT_TRUE(Contains(dump, leaf + ": ")) << key;
  }
}

TEST(DumpConfig, ReloadsToTheDefaults) {
  TempDir dir;
  const auto file = dir.Write("dump.yaml", DumpConfig(DefaultConfig(dir.path())));
  ExpectSameConfig(LoadConfig(file, dir.path()), DefaultConfig(dir.path()));
}

TEST(DumpConfig, ReloadsToTheSameNonDefaultValues) {
  TempDir dir;
  Config c = DefaultConfig(dir.path());
  c.storage_url = "file:///mnt/load cast/bucket";
  c.database_url = "/var/lib/loadcast/runs.db";
  c.log_level = "warn";
  // As a config file would: the kind, and settings over the horizon's defaults.
  c.year_model.kind = "seasonal_naive";
  c.year_model.Set("training_years", "9");
  c.year_model.Set("calibration_years", "7");
  c.year_model.Set("interval_coverage", "0.8");
  c.day_model.Set("epochs", "1");
  c.day_model.Set("huber_k", "0.3333333333333333");
  c.day_model.Set("interval_coverage", "0.999");
  c.min_load = 123456.789;
  c.max_load = 987654.321;
  c.max_daily_jump = 0.01;
  c.warn_daily_jump = 0.01;  // no more than max_daily_jump
  c.validation_envelope_margin = 1.0 / 7.0;
  c.envelope_margin = 0.0;
  c.annual_total_warn = 0.05;
  c.annual_total_fail = 0.3;
  c.min_weekday_ratio = 1.05;
  c.min_interval_width = 0.0;
  c.max_interval_width = 2.5;
  c.mape_warning = 12.5;
  const std::string dump = DumpConfig(c);
  const Config reloaded = LoadConfig(dir.Write("dump.yaml", dump), dir.path());
  ExpectSameConfig(reloaded, c);
  // The dump of the reloaded config is byte-identical: it is recorded with each run and compared.
  EXPECT_EQ(DumpConfig(reloaded), dump);
}

TEST(DumpConfig, QuotesModelSettingsThatAreNotPlainNumbers) {
  // The model layer refuses such values, but the dump of what a file gave must still read back.
  TempDir dir;
  Config c = DefaultConfig(dir.path());
  c.year_model.Set("epochs", "x: #y");
  c.year_model.Set("huber_k", ".nan");
  const std::string dump = DumpConfig(c);
  EXPECT_TRUE(Contains(dump, "    fourier_order: 6\n"));
  EXPECT_TRUE(Contains(dump, "    epochs: \"x: #y\"\n"));
  EXPECT_TRUE(Contains(dump, "    huber_k: \".nan\"\n"));
  const Config reloaded = LoadConfig(dir.Write("dump.yaml", dump), dir.path());
  EXPECT_EQ(reloaded.year_model.Find("epochs")->value, "x: #y");
  EXPECT_EQ(DumpConfig(reloaded), dump);
}

TEST(DumpConfig, ReloadsStringsWithControlCharacters) {
  TempDir dir;
  Config c = DefaultConfig(dir.path());
  static constexpr char kText[] = "line\none\ttab\rcr\x01\x7f \"quoted\" back\\slash\0nul\n";
  c.storage_url = std::string(kText, sizeof kText - 1);  // the NUL included
  const std::string dump = DumpConfig(c);
  const Config reloaded = LoadConfig(dir.Write("dump.yaml", dump), dir.path());
  EXPECT_EQ(reloaded.storage_url, c.storage_url);
  EXPECT_EQ(DumpConfig(reloaded), dump);
}

TEST(DumpConfig, IgnoresBaseDir) {
  // The dump records settings, not where the process happened to run.
  EXPECT_EQ(DumpConfig(DefaultConfig("/a")), DumpConfig(DefaultConfig("/b")));
}

TEST(LoadConfig, ReadsTheAlertWebhookSettings) {
  TempDir dir;
  const auto file = dir.Write("loadcast.yaml",
                              "alerts:\n"
                              "  webhook_url: http://127.0.0.1:8080/hook\n"
                              "  webhook_timeout_seconds: 0.5\n");
  const Config c = LoadConfig(file, dir.path());
  EXPECT_EQ(c.alerts_webhook_url, "http://127.0.0.1:8080/hook");
  EXPECT_EQ(c.alerts_webhook_timeout_seconds, 0.5);
  EXPECT_EQ(c.monitor.episode_quiet_days, 28);
  EXPECT_TRUE(DefaultConfig(".").alerts_webhook_url.empty());
  EXPECT_TRUE(Contains(LoadError(dir, "alerts:\n  webhook_timeout_seconds: 0\n"), "outside"));
}

TEST(DumpConfig, RedactsTheCredentialsOfTheWebhookUrl) {
  // The dump is recorded with every run: a token in the webhook URL must not end up there.
  Config c = DefaultConfig(".");
  c.alerts_webhook_url = "https://bot:hunter2@hooks.example.com/alerts?channel=ops&token=s3cr3t";
  const std::string dump = DumpConfig(c);
  EXPECT_FALSE(Contains(dump, "hunter2"));
  EXPECT_FALSE(Contains(dump, "s3cr3t"));
  EXPECT_TRUE(Contains(dump,
                       "alerts:\n  webhook_url: \"https://***@hooks.example.com/alerts?channel=ops"
                       "&token=***\"\n"));
}

TEST(ConfigReference, ListsEveryKeyWithItsDefault) {
  const std::string reference = ConfigReference();
  EXPECT_EQ(reference.rfind("| key | default | range | meaning |\n", 0), 0u);
  for (const std::string& key : kAllKeys) {
    EXPECT_TRUE(Contains(reference, "| `" + key + "` |")) << key;
  }
  // Exactly one table row per key, plus the header and separator rows.
  const auto rows = std::count(reference.begin(), reference.end(), '\n');
  EXPECT_EQ(rows, static_cast<std::ptrdiff_t>(kAllKeys.size()) + 2);
  EXPECT_TRUE(Contains(reference, "| `models.day.kind` | `calendar_ar` |"));
  EXPECT_TRUE(Contains(reference, "`recency_halflife: 1`"));
  EXPECT_TRUE(Contains(reference, "| `validation.max_load` | `1500000` |"));
}

TEST(ConfigResolve, JoinsRelativePathsToBaseDir) {
  const Config c = DefaultConfig("/srv/loadcast");
  EXPECT_EQ(c.Resolve("var/bucket"), std::filesystem::path("/srv/loadcast/var/bucket"));
  EXPECT_EQ(c.Resolve("loadcast.db"), std::filesystem::path("/srv/loadcast/loadcast.db"));
}

TEST(ConfigResolve, KeepsAbsolutePaths) {
  const Config c = DefaultConfig("/srv/loadcast");
  EXPECT_EQ(c.Resolve("/data/bucket"), std::filesystem::path("/data/bucket"));
}

TEST(ParseHorizon, ParsesYearAndDay) {
  EXPECT_EQ(ParseHorizon("year"), Horizon::kYear);
  EXPECT_EQ(ParseHorizon("day"), Horizon::kDay);
  EXPECT_EQ(HorizonName(Horizon::kYear), "year");
  EXPECT_EQ(HorizonName(Horizon::kDay), "day");
  for (Horizon h : {Horizon::kYear, Horizon::kDay}) EXPECT_EQ(ParseHorizon(HorizonName(h)), h);
}

TEST(ParseHorizon, RejectsOtherNamesListingValidOnes) {
  for (const char* text : {"Year", "DAY", "week", "", " day", "years"}) {
    try {
      ParseHorizon(text);
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const UsageError& e) {
      EXPECT_TRUE(Contains(e.what(), "valid: year, day")) << text;
      EXPECT_EQ(e.exit_code(), ExitCode::kUsage);
    }
  }
}

TEST(LoadConfig, RejectsNanNumericValues) {
  // NaN compares false with both bounds, so a range check written as two "less than" tests would
  // let it through; it must be rejected like any other out-of-range value.
  TempDir dir;
  const std::string file = (dir / "loadcast.yaml").string();
  const std::string message = LoadError(dir, "validation:\n  min_load: .nan\n");
  EXPECT_TRUE(Contains(message, file + ":2:"));
  EXPECT_TRUE(Contains(message, "'validation.min_load'"));
  EXPECT_TRUE(Contains(message, "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "validation:\n  min_load: .NaN\n"), "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "validation:\n  max_load: .NAN\n"), "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "checks:\n  envelope_margin: .nan\n"), "outside"));
  EXPECT_TRUE(Contains(LoadError(dir, "evaluation:\n  mape_warning: .nan\n"), "outside"));
}

TEST(DumpConfig, WritesStringsDoubleQuoted) {
  Config c = DefaultConfig(".");
  c.storage_url = "var/my #1 bucket";
  const std::string dump = DumpConfig(c);
  EXPECT_TRUE(Contains(dump, "storage:\n  url: \"var/my #1 bucket\"\n"));
  EXPECT_TRUE(Contains(dump, "    kind: \"calendar_regression\"\n"));
  // Numbers stay plain.
  EXPECT_TRUE(Contains(dump, "    training_years: 10\n"));
}

TEST(DumpConfig, ReloadsAwkwardStringsExactly) {
  // Values that plain YAML would cut at a comment, read as a mapping, or read as null.
  for (const std::string& value :
       {std::string("var/my #1 bucket"), std::string("a: b"), std::string("#"),
        std::string("say \"hi\" \\ bye"), std::string(" padded "), std::string("~"),
        std::string("null"), std::string("- dash"), std::string("[x, y]"), std::string("{a: 1}"),
        std::string("'single'"), std::string("123"), std::string("true")}) {
    SCOPED_TRACE("value '" + value + "'");
    TempDir dir;
    Config c = DefaultConfig(dir.path());
    c.storage_url = value;
    c.database_url = value + "/db";
    const std::string dump = DumpConfig(c);
    Config reloaded;
    ASSERT_NO_THROW(reloaded = LoadConfig(dir.Write("dump.yaml", dump), dir.path())) << dump;
    EXPECT_EQ(reloaded.storage_url, value);
    EXPECT_EQ(reloaded.database_url, value + "/db");
    ExpectSameConfig(reloaded, c);
    EXPECT_EQ(DumpConfig(reloaded), dump);
  }
}

/// Sets (or, with nullptr, unsets) an environment variable for one test and restores what was
/// there before when it ends, so no test sees another's environment.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      unsetenv(name_.c_str());
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
  std::optional<std::string> old_;
};

/// Every override variable unset, whatever the environment the tests run in.
struct NoOverrides {
  ScopedEnv database{"LOADCAST_DATABASE_URL", nullptr};
  ScopedEnv storage{"LOADCAST_STORAGE_URL", nullptr};
  ScopedEnv s3{"LOADCAST_S3_ENDPOINT", nullptr};
};

TEST(LoadConfig, ReadsTheLockTimeout) {
  TempDir dir;
  EXPECT_EQ(DefaultConfig(dir.path()).runs_lock_timeout_seconds, 600.0);
  const auto file = dir.Write("loadcast.yaml", "runs:\n  lock_timeout_seconds: 1.5\n");
  EXPECT_EQ(LoadConfig(file, dir.path()).runs_lock_timeout_seconds, 1.5);
  EXPECT_TRUE(
      Contains(LoadError(dir, "runs:\n  lock_timeout_seconds: -1\n"), "lock_timeout_seconds"));
}

TEST(EnvironmentOverrides, OverrideTheFile) {
  const NoOverrides clean;
  TempDir dir;
  const auto file = dir.Write("loadcast.yaml",
                              "storage:\n  url: file-bucket\n  s3:\n    endpoint: http://file:1\n"
                              "database:\n  url: file.db\n");
  const ScopedEnv database("LOADCAST_DATABASE_URL", "env.db");
  const ScopedEnv storage("LOADCAST_STORAGE_URL", "env-bucket");
  const ScopedEnv s3("LOADCAST_S3_ENDPOINT", "http://env:2");
  const Config c = LoadConfig(file, dir.path());
  EXPECT_EQ(c.database_url, "env.db");
  EXPECT_EQ(c.storage_url, "env-bucket");
  EXPECT_EQ(c.storage_s3.endpoint, "http://env:2");
  EXPECT_EQ(c.from_environment.at("database.url"), "LOADCAST_DATABASE_URL");
  EXPECT_EQ(c.from_environment.at("storage.url"), "LOADCAST_STORAGE_URL");
  EXPECT_EQ(c.from_environment.at("storage.s3.endpoint"), "LOADCAST_S3_ENDPOINT");
  // The effective config recorded with each run holds the values in force.
  EXPECT_TRUE(Contains(DumpConfig(c), "url: \"env.db\""));
}

TEST(EnvironmentOverrides, ApplyWithoutAConfigFile) {
  const NoOverrides clean;
  TempDir dir;
  const ScopedEnv database("LOADCAST_DATABASE_URL", "env.db");
  const Config c = LoadConfig("", dir.path());
  EXPECT_EQ(c.database_url, "env.db");
  EXPECT_EQ(c.storage_url, DefaultConfig(dir.path()).storage_url);
  EXPECT_EQ(c.from_environment.size(), 1u);
}

TEST(EnvironmentOverrides, UnsetOrEmptyVariablesLeaveTheFileValue) {
  const NoOverrides clean;
  TempDir dir;
  const auto file = dir.Write("loadcast.yaml", "database:\n  url: file.db\n");
  const ScopedEnv storage("LOADCAST_STORAGE_URL", "");
  const Config c = LoadConfig(file, dir.path());
  EXPECT_EQ(c.database_url, "file.db");
  EXPECT_EQ(c.storage_url, DefaultConfig(dir.path()).storage_url);
  EXPECT_TRUE(c.from_environment.empty());
  ExpectSameConfig(LoadConfig("", dir.path()), DefaultConfig(dir.path()));
}

TEST(EnvironmentOverrides, AreListedWithTheirKeys) {
  std::vector<std::string> pairs;
  for (const EnvironmentOverride& o : EnvironmentOverrides()) {
    pairs.push_back(o.variable + "=" + o.key);
    EXPECT_NE(std::find(kAllKeys.begin(), kAllKeys.end(), o.key), kAllKeys.end()) << o.key;
  }
  EXPECT_EQ(pairs, (std::vector<std::string>{"LOADCAST_DATABASE_URL=database.url",
                                             "LOADCAST_STORAGE_URL=storage.url",
                                             "LOADCAST_S3_ENDPOINT=storage.s3.endpoint"}));
}

}  // namespace
}  // namespace loadcast
