// loadcast's settings: one declarative table (key, default, range, doc) drives parsing, validation,
// the effective-config dump recorded with each run, and docs/configuration.md.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/vocabulary.hpp"

namespace loadcast {

/// "year" or "day" (NameOf).
inline std::string_view HorizonName(Horizon horizon) { return NameOf(horizon); }
/// Parses "year" or "day"; throws UsageError listing the valid names otherwise.
inline Horizon ParseHorizon(std::string_view text) { return ParseName<Horizon>(text); }

/// One `models.<horizon>.<key>` setting as the config gave it. The config does not know the
/// model kinds or their parameters: the model layer does (model/kinds.hpp), and core cannot depend
/// on it. So the config keeps the text, and where it came from, for the model layer to check
/// with errors that name file and line.
struct ModelSetting {
  std::string key;    // without the models.<horizon>. prefix
  std::string value;  // the YAML scalar's text
  std::string where;  // "file:line"; empty for a default
};

/// The model of a horizon: its kind and the settings given for it (see ModelSpecOf in
/// model/kinds.hpp for what they mean).
struct ModelSection {
  std::string kind;
  std::vector<ModelSetting> settings;
  std::string kind_where;  // "file:line" of the kind; empty for the default

  /// The setting `key`, or nullptr.
  const ModelSetting* Find(std::string_view key) const;
  /// Sets `key`, replacing its value where it is already set.
  void Set(const std::string& key, const std::string& value, const std::string& where = "");
};

/// A horizon's default model: `kind` with the settings both horizons' defaults share (ten
/// training years, Fourier order 6, a 90-day level) and its own recency half-life, in years.
ModelSection DefaultModelSection(std::string kind, std::string recency_halflife);

/// Thresholds of the monitor: distribution drift of the load against the calendar model, and the
/// error of the published forecast against the model's backtested error.
struct MonitorSettings {
  int drift_window_days = 28;        // days in a drift window
  int drift_step_days = 7;           // windows end every this many days (on Sundays for 7)
  double drift_p_value = 0.01;       // KS p-value under which a window's difference is significant
  double drift_shift_warning = 5;    // percent: mean shift of a significant window, warning
  double drift_shift_critical = 10;  // percent: mean shift of a significant window, critical
  double drift_psi_warning = 4.0;    // PSI of a significant window, warning
  double drift_wasserstein_warning = 1.5;  // in reference standard deviations, warning
  double drift_share_warning = 0.5;        // share of drifting windows that raises a warning
  int performance_window_days = 7;         // rolling window of the performance monitor
  double performance_quantile = 0.95;  // quantile of backtested rolling errors: warning threshold
  double performance_critical_factor = 1.5;  // critical threshold = factor x warning threshold
  int episode_quiet_days = 28;  // an alert episode closes after this many days of passing windows
};

/// The promotion gate: how a newly trained model (the candidate) is compared with the champion
/// before it may replace it.
struct RegistrySettings {
  int validation_years = 3;       // latest complete years before the target, rolling origin
  std::string metric = "mape";    // mape, mae or rmse: mean over the validation years
  double min_improvement = 0.01;  // relative: the candidate must be this much better
  double max_mape_year = 8.0;     // percent: above, a year-ahead candidate cannot be promoted
  double max_mape_day = 4.0;      // percent: the same for the day-ahead horizon
  double min_skill = 0.0;         // skill vs the seasonal naive a candidate must reach

  double max_mape(Horizon horizon) const {
    return horizon == Horizon::kYear ? max_mape_year : max_mape_day;
  }
};

/// The S3 bucket of an s3:// storage.url; credentials come only from the environment
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN).
struct S3Settings {
  std::string endpoint;  // empty: AWS S3 of the region
  std::string region;    // empty: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1
  bool path_style = true;
  double timeout_seconds = 30;
  int max_retries = 4;
};

/// How long a run waits for another process on its target by default (runs.lock_timeout_seconds).
inline constexpr double kDefaultLockTimeoutSeconds = 600.0;

/// How `loadcast serve` guards its connections and requests (docs/dashboard.md, "Under attack").
struct DashboardSettings {
  int max_body_bytes = 16 * 1024;       // a larger request body is refused (413) unread
  double header_timeout_seconds = 5;    // a request's line and headers must arrive within this
  double body_timeout_seconds = 10;     // ... and its body within this after them
  int max_connections_per_client = 32;  // connections of one address still sending a request
  std::string allowed_hosts;            // comma-separated Host names accepted besides the bound
};

struct Config {
  std::string storage_url = "var/bucket";
  S3Settings storage_s3;
  std::string database_url = "var/loadcast.db";
  std::string log_level = "info";
  // The horizons' defaults: the kind and the settings that differ from the kind's own defaults.
  ModelSection year_model = DefaultModelSection("calendar_regression", "4");
  ModelSection day_model = DefaultModelSection("calendar_ar", "1");
  double min_load = 200000.0;    // MWh/day; below is implausible for Italy
  double max_load = 1500000.0;   // MWh/day; above is implausible for Italy
  double max_daily_jump = 0.7;   // relative day-to-day change that rejects a file
  double warn_daily_jump = 0.5;  // relative day-to-day change that stores the file with a warning
  double validation_envelope_margin = 0.1;  // monthly range of stored loads widened by this
  int earliest_year = 1990;                 // dates before its January 1 reject a file
  double series_max_load = 1e8;             // MWh/day; above is implausible for any one series
  // A revision of stored actuals (days whose load changed) is a warning alert data.revised, and
  // critical when it changed more than this share of the year's days or a day by more than
  // this percent.
  double revision_max_changed_share = 0.05;
  double revision_max_change_percent = 10.0;
  double envelope_margin = 0.25;     // forecasts must lie within history's range widened by this
  double mape_warning = 8.0;         // percent; a yearly MAPE above raises a warning alert
  double annual_total_warn = 0.08;   // forecast total off the recent years' mean by more: warn
  double annual_total_fail = 0.15;   // ... by more than this: fail
  double min_weekday_ratio = 1.1;    // working days' mean forecast over Sundays' must reach this
  double min_interval_width = 0.01;  // mean (upper - lower) / forecast must lie within these
  double max_interval_width = 0.4;

  // Where each new warning or critical alert is POSTed (empty: nowhere), and how long each
  // connect, send and read may take.
  std::string alerts_webhook_url;
  double alerts_webhook_timeout_seconds = 5.0;
  // How long a command waits for another process working on the same target year and horizon.
  double runs_lock_timeout_seconds = kDefaultLockTimeoutSeconds;
  MonitorSettings monitor;
  RegistrySettings registry;
  DashboardSettings dashboard;
  /// Relative paths are resolved against this directory (the working directory).
  std::filesystem::path base_dir;
  /// The settings an environment variable set, key -> variable (see EnvironmentOverrides).
  std::map<std::string, std::string> from_environment;

  const ModelSection& model(Horizon horizon) const {
    return horizon == Horizon::kYear ? year_model : day_model;
  }
  /// Makes a relative path from the config absolute against base_dir.
  std::filesystem::path Resolve(const std::string& path) const;
};

/// An environment variable that, when set and not empty, overrides a setting.
struct EnvironmentOverride {
  std::string variable;
  std::string key;
};
/// The environment variables that override settings, applied over the file.
const std::vector<EnvironmentOverride>& EnvironmentOverrides();

/// A config value as YAML reads it: an integer, or a number (.inf and .nan included); nothing
/// when the text is not one. The model layer reads the models.* settings with them.
std::optional<int> ParseConfigInt(const std::string& text);
std::optional<double> ParseConfigDouble(const std::string& text);

/// Loads the effective config: a YAML config file (none when `file` is empty) over the defaults,
/// then the environment variables of EnvironmentOverrides over both, then validates it. Unknown
/// keys, wrong types and out-of-range values are ConfigErrors naming file, line and key (or the
/// variable). The models.<horizon>.* settings other than the kind are kept as given: the model
/// layer checks them (ResolveModels in model/kinds.hpp).
Config LoadConfig(const std::filesystem::path& file, const std::filesystem::path& base_dir);
/// The defaults, with base_dir set.
Config DefaultConfig(const std::filesystem::path& base_dir);
/// The effective configuration as YAML text, every key listed (recorded with each run).
std::string DumpConfig(const Config& config);
/// The settings that shape the model of a horizon (its models.<horizon>.* keys), as YAML text:
/// what a model artifact's config hash is taken over.
std::string DumpModelConfig(const Config& config, Horizon horizon);
/// Markdown reference of every setting, generated from the same table.
std::string ConfigReference();

}  // namespace loadcast
