#include "core/config.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <variant>

#include "core/errors.hpp"
#include "core/url.hpp"

namespace loadcast {

std::filesystem::path Config::Resolve(const std::string& path) const {
  std::filesystem::path p(path);
  return p.is_absolute() ? p : base_dir / p;
}

namespace {

using Value = std::variant<int*, double*, bool*, std::string*>;

struct Setting {
  std::string key;
  std::function<Value(Config&)> field;
  double min;
  double max;
  std::string doc;
  // The value may carry a credential (a token in a URL): DumpConfig, whose text is recorded with
  // every run, shows it redacted.
  bool secret = false;
  // The value must not be empty (a location loadcast cannot do without).
  bool required = false;
  // A models.<horizon>.kind setting: the section whose other settings follow it.
  ModelSection Config::*model = nullptr;
};

// The model of a horizon is known here only by its kind: the model layer's table
// (model/kinds.hpp) knows the kinds and the parameters of each, which the section keeps as given.
Setting ModelKindSetting(const std::string& horizon, ModelSection Config::*member) {
  Setting kind{"models." + horizon + ".kind",
               [member](Config& c) -> Value { return &(c.*member).kind; }, 0, 0,
               "Model kind of the " + horizon + " horizon; the other models." + horizon +
                   ".* keys are its parameters (see the model kinds below)."};
  kind.model = member;
  return kind;
}

std::vector<Setting> MonitorSettingsTable() {
  auto field = [](auto member) {
    return [member](Config& c) -> Value { return &(c.monitor.*member); };
  };
  using M = MonitorSettings;
  return {
      {"drift.window_days", field(&M::drift_window_days), 7, 366,
       "Days in a drift window: the load of these days, over the calendar model's expectation, "
       "is compared with the same calendar window of the reference years."},
      {"drift.step_days", field(&M::drift_step_days), 1, 366,
       "Drift windows end every this many days counted back from the Sunday on or before "
       "--as-of, so that nightly runs meet the same windows."},
      {"drift.ks_p_value", field(&M::drift_p_value), 1e-12, 0.5,
       "Kolmogorov-Smirnov p-value under which a window differs significantly from its "
       "reference; only significant windows can drift."},
      {"drift.mean_shift_warning", field(&M::drift_shift_warning), 0, 100,
       "Mean shift (percent of the expected load) of a significant window that makes it drift "
       "(warning)."},
      {"drift.mean_shift_critical", field(&M::drift_shift_critical), 0, 100,
       "Mean shift (percent) of a significant window that makes its drift critical."},
      {"drift.psi_warning", field(&M::drift_psi_warning), 0, 100,
       "Population stability index of a significant window that makes it drift (warning)."},
      {"drift.wasserstein_warning", field(&M::drift_wasserstein_warning), 0, 100,
       "Wasserstein distance, in standard deviations of the reference, of a significant window "
       "that makes it drift (warning)."},
      {"drift.share_warning", field(&M::drift_share_warning), 0, 1,
       "Share of drifting windows in the monitored period that raises a drift.share warning."},
      {"performance.window_days", field(&M::performance_window_days), 1, 92,
       "Days of the rolling window whose MAPE the performance monitor tracks."},
      {"performance.quantile", field(&M::performance_quantile), 0.5, 1,
       "Quantile of the backtested rolling (and monthly) MAPE of the model, over the "
       "calibration years, that is the warning threshold."},
      {"performance.critical_factor", field(&M::performance_critical_factor), 1, 100,
       "The critical threshold is this many times the warning threshold."},
  };
}

std::vector<Setting> RegistrySettingsTable() {
  auto field = [](auto member) {
    return [member](Config& c) -> Value { return &(c.registry.*member); };
  };
  using R = RegistrySettings;
  return {
      {"registry.validation_years", field(&R::validation_years), 1, 10,
       "Latest complete years before the target year on which the promotion gate backtests the "
       "candidate and the champion (rolling origin: each year forecast by a model fitted on the "
       "years before it)."},
      {"registry.metric", field(&R::metric), 0, 0,
       "Metric the gate compares, averaged over the validation years: mape, mae or rmse."},
      {"registry.min_improvement", field(&R::min_improvement), 0, 1,
       "Relative improvement of the metric over the champion's a candidate needs to be promoted "
       "(0.01: 1% better)."},
      {"registry.max_mape_year", field(&R::max_mape_year), 0, 100,
       "Validation MAPE (percent) above which a year-ahead candidate is never promoted."},
      {"registry.max_mape_day", field(&R::max_mape_day), 0, 100,
       "Validation MAPE (percent) above which a day-ahead candidate is never promoted."},
      {"registry.min_skill", field(&R::min_skill), -10, 1,
       "Skill against the seasonal naive (1 - MAPE / naive MAPE) on the validation years below "
       "which a candidate is never promoted."},
  };
}

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = [] {
    std::vector<Setting> s = {
        {"storage.url", [](Config& c) -> Value { return &c.storage_url; }, 0, 0,
         "Bucket holding yearly data objects and model artifacts: a folder path, file:// URL or "
         "s3://bucket/prefix (an S3-compatible object store; credentials from AWS_ACCESS_KEY_ID, "
         "AWS_SECRET_ACCESS_KEY and optional AWS_SESSION_TOKEN). Must not be empty; its user "
         "info is redacted wherever loadcast shows or records it.",
         /*secret=*/true, /*required=*/true},
        {"storage.s3.endpoint", [](Config& c) -> Value { return &c.storage_s3.endpoint; }, 0, 0,
         "Endpoint of an s3:// storage.url, like http://127.0.0.1:4569 for an S3-compatible "
         "server (empty: https://s3.<region>.amazonaws.com). Its user info is redacted wherever "
         "loadcast shows or records it.",
         /*secret=*/true},
        {"storage.s3.region", [](Config& c) -> Value { return &c.storage_s3.region; }, 0, 0,
         "Region requests are signed for (empty: AWS_REGION, else AWS_DEFAULT_REGION, else "
         "us-east-1)."},
        {"storage.s3.path_style", [](Config& c) -> Value { return &c.storage_s3.path_style; }, 0, 0,
         "Path-style URLs (endpoint/bucket/key) rather than virtual-hosted ones "
         "(bucket.endpoint/key); most S3-compatible servers need true."},
        {"storage.s3.timeout_seconds",
         [](Config& c) -> Value { return &c.storage_s3.timeout_seconds; }, 0.1, 3600,
         "Longest time one S3 request may take, connecting included."},
        {"storage.s3.max_retries", [](Config& c) -> Value { return &c.storage_s3.max_retries; }, 0,
         20,
         "Retries of an S3 request after a 5xx, 429, timeout or connection failure, with "
         "exponential backoff and jitter; access denied and other 4xx answers are not retried."},
        {"database.url", [](Config& c) -> Value { return &c.database_url; }, 0, 0,
         "Database of runs, models, forecasts, metrics, checks and alerts: a SQLite file path "
         "or sqlite:// URL, or a postgresql:// URL. Must not be empty; a password in it is "
         "redacted wherever loadcast shows or records it.",
         /*secret=*/true, /*required=*/true},
        {"logging.level", [](Config& c) -> Value { return &c.log_level; }, 0, 0,
         "Log level: trace, debug, info, warn, error or off."},
        {"validation.min_load", [](Config& c) -> Value { return &c.min_load; }, 0, 1e9,
         "Smallest plausible daily load (MWh); lower values reject the file."},
        {"validation.max_load", [](Config& c) -> Value { return &c.max_load; }, 1, 1e9,
         "Largest plausible daily load (MWh); higher values reject the file."},
        {"validation.max_daily_jump", [](Config& c) -> Value { return &c.max_daily_jump; }, 0.01,
         10, "Largest relative change between consecutive days; larger rejects the file."},
        {"validation.warn_daily_jump", [](Config& c) -> Value { return &c.warn_daily_jump; }, 0.01,
         10,
         "Relative change between consecutive days above which a file is stored with a warning "
         "alert (unusual_jump); the bundled 2006-2021 data never changes by more than 49%."},
        {"validation.earliest_year", [](Config& c) -> Value { return &c.earliest_year; }, 1900,
         2999,
         "Dates before January 1 of this year reject the file (early_date), in actuals and "
         "series files alike."},
        {"validation.series_max_load", [](Config& c) -> Value { return &c.series_max_load; }, 1,
         1e15,
         "Largest plausible daily load (MWh) of one series of `series ingest` (whatever its "
         "scale, a day of the whole world's use is below 1e8 MWh); higher rejects the file "
         "(load_range)."},
        {"validation.envelope_margin",
         [](Config& c) -> Value { return &c.validation_envelope_margin; }, 0, 5,
         "A load outside the [min, max] of the stored loads of its calendar month, widened by this "
         "fraction, is stored with a warning alert (monthly_envelope)."},
        {"validation.revision_max_changed_share",
         [](Config& c) -> Value { return &c.revision_max_changed_share; }, 0, 1,
         "An ingest that changes the load of days already stored (a revision) raises a warning "
         "alert (data.revised), critical when it changes more than this share of the year's "
         "days; the data is stored either way."},
        {"validation.revision_max_change_percent",
         [](Config& c) -> Value { return &c.revision_max_change_percent; }, 0, 1e6,
         "The data.revised alert of a revision is critical when a day's load changed by more "
         "than this percent of its old value; the data is stored either way."},
        {"checks.envelope_margin", [](Config& c) -> Value { return &c.envelope_margin; }, 0, 5,
         "Forecasts must lie within [min, max] of training history widened by this fraction."},
        {"checks.annual_total_warn", [](Config& c) -> Value { return &c.annual_total_warn; }, 0, 1,
         "Relative distance of the forecast's total from the mean of the same days in the last "
         "(up to 3) complete years above which the annual_total check warns."},
        {"checks.annual_total_fail", [](Config& c) -> Value { return &c.annual_total_fail; }, 0, 1,
         "Relative distance above which the annual_total check fails (not published)."},
        {"checks.min_weekday_ratio", [](Config& c) -> Value { return &c.min_weekday_ratio; }, 0, 10,
         "Smallest ratio of the mean forecast of working days to that of Sundays; below, the "
         "weekly_pattern check fails."},
        {"checks.min_interval_width", [](Config& c) -> Value { return &c.min_interval_width; }, 0,
         10, "Smallest mean relative interval width (upper - lower) / forecast; below, warn."},
        {"checks.max_interval_width", [](Config& c) -> Value { return &c.max_interval_width; }, 0,
         10, "Largest mean relative interval width; above, the interval_width check warns."},
        {"evaluation.mape_warning", [](Config& c) -> Value { return &c.mape_warning; }, 0, 100,
         "Yearly MAPE (percent) above which evaluation raises a warning alert."},
        {"alerts.webhook_url", [](Config& c) -> Value { return &c.alerts_webhook_url; }, 0, 0,
         "http:// or https:// URL to which each new warning or critical alert is POSTed as JSON "
         "(empty: none). Its user info and token-like query values are redacted wherever "
         "loadcast shows or records it.",
         /*secret=*/true},
        {"alerts.webhook_timeout_seconds",
         [](Config& c) -> Value { return &c.alerts_webhook_timeout_seconds; }, 0.1, 60,
         "Connect, send and read timeout of each webhook POST; a delivery that fails only logs a "
         "warning."},
        {"alerts.episode_quiet_days",
         [](Config& c) -> Value { return &c.monitor.episode_quiet_days; }, 0, 366,
         "A drift or performance alert stands for an episode: the run of breaching windows from "
         "the first to the latest, one alert updated as it goes on. It closes once its windows "
         "have passed for this many days (by window end); a breach within them continues it."},
        {"runs.lock_timeout_seconds",
         [](Config& c) -> Value { return &c.runs_lock_timeout_seconds; }, 0, 86400,
         "Longest wait of train, predict, evaluate and run for another process working on the "
         "same target year and horizon (each holds that target's lock until it has finished), "
         "and of ingest and series ingest for another storing the same years; after it the "
         "command fails with exit code 5 (0: fail at once when the target is busy)."},
        {"dashboard.max_body_bytes", [](Config& c) -> Value { return &c.dashboard.max_body_bytes; },
         0, 1 << 30,
         "Largest request body `loadcast serve` takes, on every method; a larger one (by its "
         "Content-Length) is answered 413 without being read, and a chunked one 411."},
        {"dashboard.header_timeout_seconds",
         [](Config& c) -> Value { return &c.dashboard.header_timeout_seconds; }, 0.1, 600,
         "Time a request's line and headers may take to arrive, from the connection's start "
         "(or from the first byte of a later request on it); then the connection is closed."},
        {"dashboard.body_timeout_seconds",
         [](Config& c) -> Value { return &c.dashboard.body_timeout_seconds; }, 0.1, 600,
         "Time a request's body may take to arrive after its headers; then the connection is "
         "closed."},
        {"dashboard.max_connections_per_client",
         [](Config& c) -> Value { return &c.dashboard.max_connections_per_client; }, 1, 100000,
         "Connections from one client address that may be waiting at once for the rest of a "
         "request's headers (a request whose headers come whole never waits); a new "
         "connection that would wait beyond is answered 503 and closed."},
        {"dashboard.allowed_hosts", [](Config& c) -> Value { return &c.dashboard.allowed_hosts; },
         0, 0,
         "Comma-separated host names (name or name:port) the dashboard answers to besides its "
         "bound address (and localhost on loopback); a request with another Host is refused "
         "(421), which stops DNS rebinding."},
    };
    s.push_back(ModelKindSetting("year", &Config::year_model));
    s.push_back(ModelKindSetting("day", &Config::day_model));
    for (auto& m : MonitorSettingsTable()) s.push_back(m);
    for (auto& m : RegistrySettingsTable()) s.push_back(m);
    return s;
  }();
  return kSettings;
}

/// A value as text; `yaml_quoted` double-quotes strings so any text reads back the same: quotes,
/// backslashes and control characters (which a quoted scalar would fold or reject) are escaped.
std::string FormatValue(const Value& v, bool yaml_quoted) {
  return std::visit(
      [yaml_quoted](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, std::string>) {
          if (!yaml_quoted) return *p;
          std::string quoted = "\"";
          for (char c : *p) {
            const auto byte = static_cast<unsigned char>(c);
            if (c == '"' || c == '\\') {
              quoted += '\\';
              quoted += c;
            } else if (byte < 0x20 || byte == 0x7f) {
              quoted += fmt::format("\\x{:02x}", byte);
            } else {
              quoted += c;
            }
          }
          return quoted + "\"";
        } else {
          return fmt::format("{}", *p);
        }
      },
      v);
}

/// The most components a setting's dotted key has ("models.year.kind": 3).
std::size_t MaxKeyDepth() {
  static const std::size_t kDepth = [] {
    std::size_t depth = 0;
    for (const Setting& s : Settings()) {
      depth = std::max(depth,
                       static_cast<std::size_t>(std::count(s.key.begin(), s.key.end(), '.')) + 1);
    }
    return depth;
  }();
  return kDepth;
}

/// The dotted keys of a mapping and their value nodes. Mappings are descended into only as deep
/// as the deepest setting, so an alias that makes the YAML graph cyclic ends too: a mapping
/// found deeper is kept whole, and rejected as an unknown key.
void Flatten(const YAML::Node& node, const std::string& prefix, std::size_t depth,
             const std::string& file, std::vector<std::pair<std::string, YAML::Node>>& out) {
  // YAML forbids a key twice in one mapping, but the parser keeps both: a section given twice
  // would be merged, a setting given twice would take the later value. Both are refused.
  std::map<std::string, int> first_line;
  for (const auto& item : node) {
    if (!item.first.IsScalar()) {
      const char* what = item.first.IsNull()       ? "null"
                         : item.first.IsSequence() ? "a sequence"
                                                   : "a mapping";
      throw ConfigError(fmt::format("{}:{}: a key must be a setting name, not {}", file,
                                    item.first.Mark().line + 1, what));
    }
    const std::string key =
        prefix.empty() ? item.first.Scalar() : prefix + "." + item.first.Scalar();
    const int line = item.first.Mark().line + 1;
    const auto [first, inserted] = first_line.emplace(item.first.Scalar(), line);
    if (!inserted) {
      throw ConfigError(fmt::format("{}:{}: '{}' is given twice in one mapping (first at line {})",
                                    file, line, key, first->second));
    }
    if (item.second.IsMap() && depth + 1 < MaxKeyDepth()) {
      Flatten(item.second, key, depth + 1, file, out);
    } else {
      out.emplace_back(key, item.second);
    }
  }
}

void Assign(Config& config, const Setting& setting, const YAML::Node& node,
            const std::string& where) {
  const Value target = setting.field(config);
  if (!node.IsScalar()) {
    throw ConfigError(fmt::format("{}: '{}' must be a scalar value", where, setting.key));
  }
  const std::string text = node.Scalar();
  try {
    std::visit(
        [&](auto* p) {
          using T = std::remove_pointer_t<decltype(p)>;
          if constexpr (std::is_same_v<T, std::string>) {
            if (setting.required && text.empty()) {
              throw ConfigError(fmt::format("{}: '{}' must not be empty", where, setting.key));
            }
            *p = text;
          } else if constexpr (std::is_same_v<T, bool>) {
            *p = node.as<bool>();
          } else {
            const T value = node.as<T>();
            if (!(value >= setting.min && value <= setting.max)) {  // NaN fails too
              throw ConfigError(fmt::format("{}: '{}' = {} is outside [{}, {}]", where, setting.key,
                                            text, setting.min, setting.max));
            }
            *p = value;
          }
        },
        target);
  } catch (const YAML::BadConversion&) {
    throw ConfigError(
        fmt::format("{}: '{}' has value '{}' of the wrong type", where, setting.key, text));
  }
}

/// Where a setting was given: "file:line" or "environment variable X", and the order in which
/// it was read (the line; the environment comes last).
struct SetAt {
  int order;
  std::string text;
};

/// Two settings whose values must keep an order: a warning threshold not beyond its critical
/// (or failing) one, a lower bound not beyond its upper one.
struct OrderedPair {
  std::string_view lower;
  std::string_view upper;
  bool strict;  // the lower must stay strictly below the upper
};

constexpr std::array<OrderedPair, 5> kOrderedPairs = {{
    {"validation.warn_daily_jump", "validation.max_daily_jump", false},
    {"checks.annual_total_warn", "checks.annual_total_fail", false},
    {"checks.min_interval_width", "checks.max_interval_width", false},
    {"validation.min_load", "validation.max_load", true},
    {"drift.mean_shift_warning", "drift.mean_shift_critical", false},
}};

const Setting* FindSetting(const std::string& key);

/// The number a numeric setting holds.
double NumberOf(Config& config, std::string_view key) {
  const Setting* setting = FindSetting(std::string(key));
  assert(setting != nullptr && "an ordered pair names an unknown key");
  return std::visit(
      [](auto* p) -> double {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double>) {
          return static_cast<double>(*p);
        } else {
          assert(false && "an ordered pair names a setting that is not a number");
          return 0;
        }
      },
      setting->field(config));
}

/// Checks the settings that depend on each other. `where` says where each key not left at its
/// default was set: an error names where the later of the keys it concerns was set, else
/// `origin`.
void CheckConsistency(const Config& c, const std::string& origin,
                      const std::map<std::string, SetAt>& where) {
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error", "off"};
  auto at = [&](std::initializer_list<std::string_view> keys) {
    const SetAt* latest = nullptr;
    for (std::string_view key : keys) {
      const auto it = where.find(std::string(key));
      if (it != where.end() && (latest == nullptr || it->second.order > latest->order)) {
        latest = &it->second;
      }
    }
    return latest == nullptr ? origin : latest->text;
  };
  if (c.registry.metric != "mape" && c.registry.metric != "mae" && c.registry.metric != "rmse") {
    throw ConfigError(fmt::format("{}: unknown registry.metric '{}' (valid: mape, mae, rmse)",
                                  at({"registry.metric"}), c.registry.metric));
  }
  if (!kLevels.contains(c.log_level)) {
    throw ConfigError(
        fmt::format("{}: unknown logging.level '{}' (valid: trace, debug, info, warn, error, off)",
                    at({"logging.level"}), c.log_level));
  }
  Config copy = c;
  for (const OrderedPair& pair : kOrderedPairs) {
    const double lower = NumberOf(copy, pair.lower);
    const double upper = NumberOf(copy, pair.upper);
    if (pair.strict ? lower >= upper : lower > upper) {
      throw ConfigError(fmt::format("{}: {} ({}) must {} {} ({})", at({pair.lower, pair.upper}),
                                    pair.lower, lower, pair.strict ? "be below" : "not exceed",
                                    pair.upper, upper));
    }
  }
}

}  // namespace

Config DefaultConfig(const std::filesystem::path& base_dir) {
  Config config;
  config.base_dir = base_dir;
  return config;
}

const std::vector<EnvironmentOverride>& EnvironmentOverrides() {
  // Deployments (containers, CI) point the same config file at their own services this way.
  static const std::vector<EnvironmentOverride> kOverrides = {
      {"LOADCAST_DATABASE_URL", "database.url"},
      {"LOADCAST_STORAGE_URL", "storage.url"},
      {"LOADCAST_S3_ENDPOINT", "storage.s3.endpoint"},
  };
  return kOverrides;
}

namespace {

const Setting* FindSetting(const std::string& key) {
  const auto& settings = Settings();
  const auto it = std::find_if(settings.begin(), settings.end(),
                               [&](const Setting& s) { return s.key == key; });
  return it == settings.end() ? nullptr : &*it;
}

/// Assigns the settings of the variables of EnvironmentOverrides that are set and not empty.
void ApplyEnvironment(Config& config, std::map<std::string, SetAt>& where) {
  for (const EnvironmentOverride& o : EnvironmentOverrides()) {
    const char* value = std::getenv(o.variable.c_str());
    if (value == nullptr || *value == '\0') continue;
    const Setting* setting = FindSetting(o.key);
    assert(setting != nullptr && "an environment override names an unknown key");
    const std::string origin = fmt::format("environment variable {}", o.variable);
    Assign(config, *setting, YAML::Node(std::string(value)), origin);
    config.from_environment[o.key] = o.variable;
    where[o.key] = {std::numeric_limits<int>::max(), origin};
  }
}

/// The text of a config file; ConfigError when it cannot be read.
std::string ReadConfigText(const std::filesystem::path& file) {
  std::error_code ec;
  std::ifstream in(file, std::ios::binary);
  if (!in || std::filesystem::is_directory(file, ec)) {
    throw ConfigError(fmt::format("{}: cannot read config file", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();  // an empty file sets text's failbit, and is an empty config
  if (in.bad()) throw ConfigError(fmt::format("{}: cannot read config file", file.string()));
  return text.str();
}

/// Notes where the first document it is given starts; ignores everything else.
class DocumentStart : public YAML::EventHandler {
 public:
  int line = -1;  // from 0; -1 before a document
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (line < 0) line = mark.line;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// The line (from 1) where a second YAML document of `text` starts, or 0 when it holds at most
/// one. The parser is asked for two documents only: the library's reader of all documents never
/// returns on some inputs (tests/fixtures/fuzz/config/multi_document_hang.yaml).
int SecondDocumentLine(const std::filesystem::path& file, const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStart first;
  DocumentStart second;
  try {
    if (!parser.HandleNextDocument(first) || !parser.HandleNextDocument(second)) return 0;
  } catch (const YAML::Exception& e) {
    throw ConfigError(
        fmt::format("{}:{}: invalid YAML: {}", file.string(), e.mark.line + 1, e.msg));
  }
  return std::max(second.line, 0) + 1;
}

}  // namespace

ModelSection DefaultModelSection(std::string kind, std::string recency_halflife) {
  return {.kind = std::move(kind),
          .settings = {{"training_years", "10", ""},
                       {"fourier_order", "6", ""},
                       {"level_days", "90", ""},
                       {"recency_halflife", std::move(recency_halflife), ""}},
          .kind_where = ""};
}

const ModelSetting* ModelSection::Find(std::string_view key) const {
  const auto it = std::find_if(settings.begin(), settings.end(),
                               [&](const ModelSetting& s) { return s.key == key; });
  return it == settings.end() ? nullptr : &*it;
}

void ModelSection::Set(const std::string& key, const std::string& value, const std::string& where) {
  for (ModelSetting& s : settings) {
    if (s.key == key) {
      s.value = value;
      s.where = where;
      return;
    }
  }
  settings.push_back({key, value, where});
}

std::optional<int> ParseConfigInt(const std::string& text) {
  try {
    return YAML::Node(text).as<int>();
  } catch (const YAML::BadConversion&) {
    return std::nullopt;
  }
}

std::optional<double> ParseConfigDouble(const std::string& text) {
  try {
    return YAML::Node(text).as<double>();
  } catch (const YAML::BadConversion&) {
    return std::nullopt;
  }
}

namespace {

/// The section a models.<horizon>.<key> setting belongs to, or nullptr for any other key.
ModelSection* ModelSectionOf(Config& config, const std::string& key) {
  for (const Setting& s : Settings()) {
    if (s.model == nullptr) continue;
    const std::string prefix = s.key.substr(0, s.key.rfind('.') + 1);
    if (key.starts_with(prefix) && key.find('.', prefix.size()) == std::string::npos &&
        key.size() > prefix.size()) {
      return &(config.*s.model);
    }
  }
  return nullptr;
}

}  // namespace

Config LoadConfig(const std::filesystem::path& file, const std::filesystem::path& base_dir) {
  Config config = DefaultConfig(base_dir);
  const std::string origin = file.empty() ? std::string("configuration") : file.string();
  std::map<std::string, SetAt> set_at;
  if (!file.empty()) {
    const std::string text = ReadConfigText(file);
    YAML::Node root;
    try {
      root = YAML::Load(text);  // the first document
    } catch (const YAML::Exception& e) {
      throw ConfigError(
          fmt::format("{}:{}: invalid YAML: {}", file.string(), e.mark.line + 1, e.msg));
    }
    // A second document would be ignored: settings the file seems to give would not apply.
    if (const int line = SecondDocumentLine(file, text); line > 0) {
      throw ConfigError(fmt::format(
          "{}:{}: a second YAML document; a config file holds one (remove the '---' or '...')",
          file.string(), line));
    }
    if (!root.IsNull() && !root.IsMap())
      throw ConfigError(fmt::format("{}: top level must be a mapping", file.string()));
    std::vector<std::pair<std::string, YAML::Node>> entries;
    if (!root.IsNull()) Flatten(root, "", 0, file.string(), entries);
    // YAML forbids a key twice in one mapping, but the parser keeps both: the later would win
    // silently. A setting given twice (also through repeated sections) is refused instead.
    std::map<std::string, int> first_line;
    for (const auto& [key, node] : entries) {
      const int line = node.Mark().line + 1;
      const auto [it, inserted] = first_line.emplace(key, line);
      if (!inserted) {
        throw ConfigError(fmt::format("{}:{}: '{}' is set twice (first at line {})", file.string(),
                                      line, key, it->second));
      }
    }
    for (const auto& [key, node] : entries) {
      const std::string where = fmt::format("{}:{}", file.string(), node.Mark().line + 1);
      const Setting* setting = FindSetting(key);
      if (setting != nullptr) {
        Assign(config, *setting, node, where);
        set_at[key] = {node.Mark().line + 1, where};
        if (setting->model != nullptr) (config.*setting->model).kind_where = where;
        continue;
      }
      ModelSection* section = ModelSectionOf(config, key);
      if (section == nullptr) throw ConfigError(fmt::format("{}: unknown key '{}'", where, key));
      if (!node.IsScalar()) {
        throw ConfigError(fmt::format("{}: '{}' must be a scalar value", where, key));
      }
      // A model setting's name is lower-case letters, digits and '_', as every kind's are: a key
      // with other bytes (a NUL, a space) would not survive being written back as YAML.
      const std::string name = key.substr(key.rfind('.') + 1);
      if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
          })) {
        throw ConfigError(fmt::format("{}: unknown key '{}'", where, key));
      }
      section->Set(name, node.Scalar(), where);
    }
  }
  ApplyEnvironment(config, set_at);
  CheckConsistency(config, origin, set_at);
  return config;
}

namespace {

/// The settings whose key starts with `prefix`, as YAML text (see DumpConfig).
std::string DumpSettings(const Config& config, const std::string& prefix) {
  Config copy = config;
  std::ostringstream out;
  std::string section;
  for (const auto& s : Settings()) {
    if (!s.key.starts_with(prefix)) continue;
    const auto dot = s.key.rfind('.');
    const std::string parent = s.key.substr(0, dot);
    if (parent != section) {
      // Nested sections are printed flat-nested: "models.year:" becomes "models:\n  year:".
      const auto pdot = parent.find('.');
      if (pdot == std::string::npos) {
        out << parent << ":\n";
      } else {
        const std::string top = parent.substr(0, pdot);
        // "storage.s3" after "storage" (or "storage.x") continues the section already open.
        if (section != top && section.rfind(top + ".", 0) != 0) out << top << ":\n";
        out << "  " << parent.substr(pdot + 1) << ":\n";
      }
      section = parent;
    }
    const int indent = parent.find('.') == std::string::npos ? 2 : 4;
    Value value = s.field(copy);
    std::string redacted;
    if (s.secret) {
      redacted = RedactUrl(FormatValue(value, /*yaml_quoted=*/false));
      value = &redacted;
    }
    out << std::string(static_cast<std::size_t>(indent), ' ') << s.key.substr(dot + 1) << ": "
        << FormatValue(value, /*yaml_quoted=*/true) << "\n";
    if (s.model != nullptr) {
      // Numbers plain, as the model layer writes them (ResolveModels), so that the text, and the
      // hashes over it, are those of the typed settings; any other text quoted, so that it reads
      // back the same.
      for (const ModelSetting& m : (copy.*s.model).settings) {
        const std::optional<double> number = ParseConfigDouble(m.value);
        std::string text = m.value;
        const bool plain = number && fmt::format("{}", *number) == m.value;
        out << std::string(static_cast<std::size_t>(indent), ' ') << m.key << ": "
            << (plain ? m.value : FormatValue(&text, /*yaml_quoted=*/true)) << "\n";
      }
    }
  }
  return out.str();
}

}  // namespace

std::string DumpConfig(const Config& config) { return DumpSettings(config, ""); }

std::string DumpModelConfig(const Config& config, Horizon horizon) {
  return DumpSettings(config, fmt::format("models.{}.", HorizonName(horizon)));
}

std::string ConfigReference() {
  Config defaults;
  std::ostringstream out;
  out << "| key | default | range | meaning |\n| --- | --- | --- | --- |\n";
  for (const auto& s : Settings()) {
    const std::string range = s.min == s.max ? "" : fmt::format("{} .. {}", s.min, s.max);
    // An empty default is shown as YAML writes it: an empty code span does not render.
    std::string value = FormatValue(s.field(defaults), /*yaml_quoted=*/false);
    if (value.empty()) value = "\"\"";
    std::string doc = s.doc;
    if (s.model != nullptr && !(defaults.*s.model).settings.empty()) {
      std::vector<std::string> given;
      for (const ModelSetting& m : (defaults.*s.model).settings) {
        given.push_back(fmt::format("`{}: {}`", m.key, m.value));
      }
      doc += fmt::format(" Defaults of this horizon that differ from the kind's: {}.",
                         fmt::join(given, ", "));
    }
    out << "| `" << s.key << "` | `" << value << "` | " << range << " | " << doc << " |\n";
  }
  return out.str();
}

}  // namespace loadcast
