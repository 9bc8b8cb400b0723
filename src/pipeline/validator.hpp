// Validation of load data before anything is stored or trained on, as a declared suite of rules
// (in the spirit of Great Expectations' expectation suites). Each rule has a stable name, a
// severity (an error rejects the data with exit code 3 and nothing is stored; a warning lets it
// through and raises an alert), a description, what to do about it, and its threshold from the
// config. Every finding names source, line and problem: "source:line: problem 'value'".
//
// The suite runs in two stages: the parse rules while the CSV is read (core/load_csv.hpp), then,
// when the whole file parsed, the row rules on its rows. `loadcast validate --rules` prints it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"
#include "core/finding.hpp"
#include "core/load_csv.hpp"
#include "core/time_series.hpp"
#include "storage/records.hpp"

namespace loadcast {

struct RuleInput;
class RuleFindings;

/// One rule of the validation suite.
struct ValidationRule {
  std::string_view name = {};  // stable: the alert code is "validation.<name>"
  Severity severity = Severity::kError;
  // "parse" (while reading the CSV), "rows" (on a file's rows) or "files" (across the files of
  // one ingest)
  std::string_view stage = {};
  std::string_view threshold_key = {};  // config key(s) of its threshold; empty when it has none
  std::string_view description = {};    // what the rule requires
  std::string_view action = {};         // what an operator does about a finding
  /// The threshold's configured value as text (e.g. "[200000, 1500000] MWh"); null when none.
  std::string (*threshold)(const Config& config) = nullptr;
  /// Checks the rows of a parsed file; null for parse rules, which the parser applies, and for
  /// the rules across files and the bucket (file_conflict, and gap's part), which the
  /// extractor's ingest plan applies.
  void (*check)(const RuleInput& input, RuleFindings& out) = nullptr;
};

/// The suite, in the order it runs and is documented.
const std::vector<ValidationRule>& ValidationSuite();
/// The rule of that name; asserts it exists (rule names are fixed in code).
const ValidationRule& FindValidationRule(std::string_view name);
/// "error" or "warning".
std::string_view SeverityName(Severity severity);
/// The rule's threshold as configured, e.g. "[200000, 1500000] MWh"; empty when it has none.
std::string RuleThreshold(const ValidationRule& rule, const Config& config);
/// The suite as a Markdown table (rule, severity, threshold key and value, meaning, what to do),
/// printed by `loadcast validate --rules` and kept in docs/operations.md.
std::string ValidationRulesReference(const Config& config);

/// For each calendar month, the smallest and largest stored load: the envelope learnt from
/// history that the monthly_envelope rule compares new loads with.
struct MonthlyEnvelope {
  std::optional<double> min[12];
  std::optional<double> max[12];
  static MonthlyEnvelope Learn(const TimeSeries& history);
};

/// The year a file name declares: "2021.csv", "load-2021.csv", "load_2021.csv" say 2021 (a year
/// from 1900 to 2999 closing the name before its extension, after a separator).
std::optional<int> YearInFileName(std::string_view source);

/// What the row rules see.
struct RuleInput {
  const LoadTable& table;
  const Config& config;
  Date today;
  std::optional<int> file_year;     // from the file name
  const TimeSeries& history;        // stored actuals (may be empty)
  const MonthlyEnvelope& envelope;  // learnt from `history`
};

/// Collects the findings of one rule, stamped with its name and severity.
class RuleFindings {
 public:
  RuleFindings(const ValidationRule& rule, std::string source, std::vector<Finding>& out)
      : rule_(rule), source_(std::move(source)), out_(out) {}
  /// Adds a finding on `line` about `date`; returns it for the figures to be filled in.
  Finding& Add(int line, std::string problem, std::optional<Date> date = std::nullopt);

 private:
  const ValidationRule& rule_;
  std::string source_;
  std::vector<Finding>& out_;
};

class Validator {
 public:
  /// Rules take their thresholds from the config; `today` bounds dates (nothing from the future).
  Validator(const Config& config, Date today);

  /// The parse rules on a file's text: the rows, and the findings of the lines that did not
  /// parse.
  ParsedLoadCsv ParseFile(std::string_view text, std::string_view source) const;
  /// The whole suite on a file's text: the parse rules, then, when every line parsed, the row
  /// rules. `history` (the stored actuals, may be empty) gives the day before the file's first
  /// row for the jump rules and the monthly envelope. Returns the rows and every finding.
  ParsedLoadCsv CheckFile(std::string_view text, std::string_view source,
                          const TimeSeries& history = {}) const;
  /// The row rules on a parsed file.
  std::vector<Finding> CheckTable(const LoadTable& table, const TimeSeries& history = {}) const;
  /// A stored or merged series: contiguous (gap), loads plausible (plausible_load). `source`
  /// names it in messages.
  std::vector<Finding> CheckSeries(const TimeSeries& series, std::string_view source) const;

  /// CheckTable, throwing DataError listing the errors (warnings are not listed).
  void ValidateTable(const LoadTable& table) const;
  /// CheckSeries, throwing DataError listing the errors.
  void ValidateSeries(const TimeSeries& series, std::string_view source) const;

 private:
  Config config_;  // a copy: a validator may outlive the config it was made from
  Date today_;
};

bool HasErrors(const std::vector<Finding>& findings);
/// "source:line: problem [rule]" ("source: problem [rule]" without a line).
std::string FormatFinding(const Finding& finding);
/// The error findings, by source and line, up to ProblemList::kMaxListed per source and then a
/// count, one per line.
std::string RejectionMessage(const std::vector<Finding>& findings);
/// Throws DataError with RejectionMessage when any finding is an error.
void RejectIfErrors(const std::vector<Finding>& findings);

/// The alerts of the findings about one source: source "validation", code "validation.<rule>",
/// severity critical (error) or warning, the dates as period, value and threshold when numeric,
/// and `subject` (the file name and its SHA-256). At most kMaxAlertsPerRule findings of a rule
/// become alerts of their own; the rest of that rule become one alert that counts them.
inline constexpr std::size_t kMaxAlertsPerRule = 10;
std::vector<AlertRecord> FindingAlerts(const std::vector<Finding>& findings,
                                       const std::string& subject);

}  // namespace loadcast
