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
  std::string config;  // effective configuration (YAML)
};

struct ModelRecord {
  int64_t id = 0;
  int64_t run_id = 0;
  std::string version;  // content hash of the artifact
  std::string kind;
  std::string horizon;
  int target_year = 0;
  std::string trained_from;
  std::string trained_to;
  std::string artifact;  // object key in the bucket
  std::string created_at;
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

}  // namespace loadcast
