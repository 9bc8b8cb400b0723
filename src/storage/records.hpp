// The rows loadcast keeps in its database, independent of the backend that stores them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace loadcast {

struct RunRecord {
  int64_t id = 0;
  std::string command;
  std::optional<int> target_year;
  std::string horizon;  // empty when the command is not about one horizon
  std::string started_at;
  std::string finished_at;  // empty while running
  std::string status;       // running, succeeded, failed, rejected
  std::string message;
  std::string config;       // effective configuration (YAML, secrets redacted)
  std::string config_hash;  // SHA-256 of `config`, first 16 hex digits
  // The input objects the run read, as a JSON object of key -> SHA-256 ("" until recorded).
  std::string inputs;
  std::optional<int64_t> model_id;  // the model the run trained or predicted with
};

/// A registered model version. The version is the content hash of its artifact: the same
/// inputs, config and code make the same artifact, hence the same version, registered once.
struct ModelRecord {
  int64_t id = 0;
  int64_t run_id = 0;   // the run that registered it
  std::string version;  // content hash of the artifact
  std::string kind;
  std::string horizon;
  int target_year = 0;
  std::string trained_from;
  std::string trained_to;
  std::string artifact;  // object key in the bucket
  std::string created_at;
  int number = 0;            // 1, 2, ... per horizon, in order of registration
  std::string spec_hash;     // kind and hyper-parameters: same spec, same model up to data/code
  std::string config_hash;   // the settings that shaped the model
  std::string data_hash;     // over the SHA-256 of every input object the model was fitted on
  std::string code_version;  // the loadcast build that trained it
};

/// What RegisterModel did: the row, and whether it is new (false: this version was on record).
struct Registration {
  ModelRecord model;
  bool created = false;
};

/// A name pointing at one model of a horizon: "champion" (what predict uses by default) or
/// "challenger" (the latest candidate that was not promoted).
struct ModelAlias {
  std::string horizon;
  std::string alias;
  int64_t model_id = 0;
  std::string updated_at;
};

/// How a decision moves the aliases of its horizon, all in the decision's transaction.
struct AliasChange {
  std::optional<int64_t> champion;    // point champion here (nullopt: leave it)
  std::optional<int64_t> challenger;  // point challenger here (nullopt: leave it)
  bool clear_challenger = false;      // remove the challenger alias (after `challenger`)
};

/// One decision about the champion of a horizon: the promotion gate's verdict on a candidate, a
/// promotion by hand, or a rollback, with the figures it rested on.
struct ModelDecision {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  std::string created_at;  // empty: now
  std::string horizon;
  std::optional<int> target_year;      // the target year of the run that decided
  std::string action;                  // gate, manual, rollback
  std::string outcome;                 // promoted, rejected, rolled_back
  int64_t candidate_id = 0;            // the model decided on (rollback: the model restored)
  std::optional<int64_t> champion_id;  // the champion before the decision
  std::string metric;                  // mape, mae or rmse; empty when no figure was compared
  std::optional<double> candidate_value;
  std::optional<double> champion_value;
  std::optional<double> improvement;      // (champion - candidate) / champion
  std::optional<double> min_improvement;  // the relative margin required
  std::string validation;                 // what the figures come from ("backtest 2018-2020")
  std::string reason;
};

struct ForecastRow {
  std::string date;
  double forecast = 0.0;
  double lower = 0.0;
  double upper = 0.0;
};

/// A published forecast: the rows a run wrote for a target year and horizon.
struct PublishedForecast {
  int64_t run_id = 0;
  int64_t model_id = 0;
  std::vector<ForecastRow> rows;
};

struct MetricRow {
  std::string scope;   // "year" or "month"
  std::string period;  // "2021" or "2021-03"
  int days = 0;
  double mape = 0.0;
  double mae = 0.0;
  double rmse = 0.0;
  double bias = 0.0;
  double skill = 0.0;
  double naive_mape = 0.0;
};

/// A yearly score with the run and target it belongs to, for summaries.
struct EvaluationSummary {
  int64_t run_id = 0;
  int target_year = 0;
  std::string horizon;
  std::string evaluated_at;
  int alerts = 0;  // alerts raised by the evaluating run
  MetricRow metrics;
};

/// One target year of a rolling-origin backtest: a model fitted on the years before it, scored
/// on it beside the seasonal naive, with how well its interval covered the actuals.
struct BacktestRow {
  int64_t run_id = 0;
  int target_year = 0;
  std::string horizon;
  int days = 0;
  double mape = 0.0;
  double mae = 0.0;
  double rmse = 0.0;
  double bias = 0.0;
  double skill = 0.0;
  double naive_mape = 0.0;
  double coverage = 0.0;        // percent of scored days whose actual lies within the interval
  double interval_width = 0.0;  // mean of (upper - lower) / forecast, in percent
};

/// One series of a many-series run: how it went, its year-ahead forecast and, when the target
/// year's actuals exist, its scores.
struct SeriesResultRow {
  int64_t run_id = 0;
  std::string series;
  int target_year = 0;
  std::string status;  // ok, warning (forecast stored, a check warned), failed (no forecast)
  std::string message;
  std::string train_from;  // first training day
  std::string train_to;    // day after the last training day
  int iterations = 0;      // of the robust fit
  // Percent by which the last models.year.level_days training days ran above (below) the fit:
  // how far the series has drifted from its calendar pattern lately.
  std::optional<double> drift;
  int days = 0;            // target days scored against actuals
  std::optional<double> mape;
  std::optional<double> mae;
  std::optional<double> rmse;
  std::optional<double> bias;
  std::string forecast_start;  // the day of forecast[0]
  std::vector<double> forecast;
  std::vector<double> lower;
  std::vector<double> upper;
};

/// Which series results to list: those of one run, optionally one series or one status.
struct SeriesQuery {
  int64_t run_id = 0;
  std::string series;          // exact name; empty: every series
  std::string status;          // empty: every status
  bool with_forecast = false;  // also read the day-by-day forecast arrays
};

struct CheckRow {
  std::string check;
  std::string status;  // pass, warn, fail
  std::string detail;
};

/// One alert: what a check found, about which period, with the figure and the threshold it
/// crossed. The same check on the same data gives the same fingerprint, and the database keeps
/// one alert per fingerprint.
struct AlertRecord {
  int64_t id = 0;
  std::optional<int64_t> run_id;
  std::string created_at;
  std::string severity;  // info, warning, critical
  std::string source;    // validation, drift, performance, prediction, pipeline
  std::string code;      // stable machine-readable identifier, documented in docs/operations.md
  std::string message;
  std::optional<int> target_year;
  std::string horizon;       // empty when not about one horizon
  std::string period_start;  // ISO dates of the period concerned; empty when none
  std::string period_end;
  std::string subject;  // what else identifies the data checked (a file and its hash, a window)
  std::optional<double> value;      // the figure that was checked
  std::optional<double> threshold;  // the limit it crossed
  std::string fingerprint;          // empty: derived from the fields above when stored
  bool acknowledged = false;
  std::string acknowledged_at;
};

/// One window the monitor measured: the drift of the load against the calendar expectation
/// (kind "drift", no horizon), or the error of a published forecast over a rolling window or a
/// month (kind "rolling" or "month").
struct MonitorWindowRow {
  std::string kind;
  std::string horizon;  // empty for drift
  std::string start;    // ISO dates, inclusive
  std::string end;
  int days = 0;
  double value = 0.0;         // drift: mean shift in percent; rolling and month: MAPE in percent
  std::optional<double> psi;  // drift only
  std::optional<double> ks;   // drift only: Kolmogorov-Smirnov D
  std::optional<double> ks_p_value;          // drift only
  std::optional<double> wasserstein;         // drift only: in reference standard deviations
  std::optional<double> warning_threshold;   // performance only
  std::optional<double> critical_threshold;  // performance only
  std::string status;                        // pass, warning, critical
  std::string reason;
};

/// The windows one monitor run measured for a target year.
struct MonitorSnapshot {
  int64_t run_id = 0;
  int target_year = 0;
  std::string as_of;                      // the last day measured
  std::vector<MonitorWindowRow> windows;  // drift, then performance, each chronological
};

}  // namespace loadcast
