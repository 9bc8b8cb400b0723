// The one JSON form of each record: what `--json` prints, what the dashboard API answers, what the
// HTML report embeds and what the alert webhook POSTs. docs/dashboard.md has a table per record.
//
// Conventions shared by every form: a field keeps the record's name unless a unit makes it
// clearer (mean_shift_percent); an absent optional value, an empty text that means "none" and a
// figure that is not finite (JSON has no NaN) are null; dates are ISO text.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "storage/records.hpp"

namespace loadcast {

struct AlertAcknowledgement;  // storage/database.hpp

/// A run without its effective configuration (a page of YAML; RunDetail views add it).
nlohmann::json ToJson(const RunRecord& run);
nlohmann::json ToJson(const ModelRecord& model);
nlohmann::json ToJson(const ModelAlias& alias);
nlohmann::json ToJson(const ModelDecision& decision);
nlohmann::json ToJson(const ForecastRow& row);
nlohmann::json ToJson(const MetricRow& metrics);
/// The metrics' fields with the run, target year, horizon, time and alert count beside them.
nlohmann::json ToJson(const EvaluationSummary& evaluation);
nlohmann::json ToJson(const BacktestRow& backtest);
/// A series result without its day-by-day forecast (SeriesResultWithForecastJson adds it).
nlohmann::json ToJson(const SeriesResultRow& result);
nlohmann::json ToJson(const CheckRow& check);
nlohmann::json ToJson(const RevisionRecord& revision);
/// A changed day, with change_percent: (new - old) / old in percent.
nlohmann::json ToJson(const DayChange& change);
/// Every field of the alert: the object the webhook receives.
nlohmann::json ToJson(const AlertRecord& alert);
/// {"alert": the alert as stored afterwards, "already_acknowledged": whether it was before}.
nlohmann::json ToJson(const AlertAcknowledgement& acknowledgement);
/// Every window has every field: those that do not apply to its scope are null.
nlohmann::json ToJson(const MonitorWindowRow& window);
/// The windows split into "drift" and "performance", each in the order of the snapshot.
nlohmann::json ToJson(const MonitorSnapshot& snapshot);

/// Each record's form, in order.
template <typename Record>
nlohmann::json ToJsonArray(const std::vector<Record>& records) {
  nlohmann::json out = nlohmann::json::array();
  for (const Record& r : records) out.push_back(ToJson(r));
  return out;
}

// Compositions: a record's form with what a view derives from it, under names of their own.

/// The run with `duration_seconds` (null while it runs): what the run lists show.
nlohmann::json RunWithDurationJson(const RunRecord& run);
nlohmann::json RunsWithDurationJson(const std::vector<RunRecord>& runs);
/// The model with the aliases ("champion", "challenger") it holds now.
nlohmann::json ModelWithAliasesJson(const ModelRecord& model,
                                    const std::vector<std::string>& aliases);
/// The series result with `forecast`: its days as {date, forecast, lower, upper}.
nlohmann::json SeriesResultWithForecastJson(const SeriesResultRow& result);

/// The input objects a run read, key -> SHA-256, as a JSON object: empty when none were recorded;
/// the stored text itself when it is not a JSON object.
nlohmann::json RunInputsJson(const RunRecord& run);

/// Seconds between two ISO 8601 UTC times ("2021-03-01T12:00:00.123Z"), to the millisecond;
/// nothing when either is empty or malformed.
std::optional<double> SecondsBetween(const std::string& start, const std::string& end);

}  // namespace loadcast
