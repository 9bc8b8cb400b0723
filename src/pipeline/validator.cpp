#include "pipeline/validator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <map>
#include <sstream>

#include "core/errors.hpp"
#include "core/problem_list.hpp"

namespace loadcast {
namespace {

constexpr std::string_view kMonthNames[12] = {"January",   "February", "March",    "April",
                                              "May",       "June",     "July",     "August",
                                              "September", "October",  "November", "December"};

void CheckDateOrder(const RuleInput& in, RuleFindings& out) {
  const auto& rows = in.table.rows;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    if (rows[i].date < rows[i - 1].date) {
      out.Add(rows[i].line,
              fmt::format("date {} is out of order (after {} on line {})", rows[i].date.ToIso(),
                          rows[i - 1].date.ToIso(), rows[i - 1].line),
              rows[i].date);
    }
  }
}

void CheckDuplicateDates(const RuleInput& in, RuleFindings& out) {
  std::map<Date, int> first_line;
  for (const LoadRow& row : in.table.rows) {
    const auto [it, inserted] = first_line.try_emplace(row.date, row.line);
    if (!inserted) {
      out.Add(row.line,
              fmt::format("duplicate date {} (first on line {})", row.date.ToIso(), it->second),
              row.date);
    }
  }
}

void CheckGaps(const RuleInput& in, RuleFindings& out) {
  const auto& rows = in.table.rows;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const LoadRow& prev = rows[i - 1];
    const LoadRow& row = rows[i];
    const int missing = row.date - prev.date - 1;
    if (missing <= 0) continue;
    Finding& f =
        out.Add(row.line, fmt::format("gap: {} follows {} on line {} ({} days missing)",
                                      row.date.ToIso(), prev.date.ToIso(), prev.line, missing));
    f.first_date = prev.date + 1;
    f.last_date = row.date - 1;
    f.value = missing;
  }
}

void CheckFileYear(const RuleInput& in, RuleFindings& out) {
  if (!in.file_year) return;
  for (const LoadRow& row : in.table.rows) {
    if (row.date.year() != *in.file_year) {
      out.Add(row.line,
              fmt::format("date {} is outside {}, the year the file name says", row.date.ToIso(),
                          *in.file_year),
              row.date);
    }
  }
}

void CheckEarlyDates(const RuleInput& in, RuleFindings& out) {
  const Date earliest = Date::FromYmd(in.config.earliest_year, 1, 1);
  for (const LoadRow& row : in.table.rows) {
    if (row.date < earliest) {
      out.Add(row.line,
              fmt::format("date {} is before {} (validation.earliest_year)", row.date.ToIso(),
                          earliest.ToIso()),
              row.date);
    }
  }
}

void CheckFutureDates(const RuleInput& in, RuleFindings& out) {
  for (const LoadRow& row : in.table.rows) {
    if (row.date > in.today) {
      out.Add(
          row.line,
          fmt::format("date {} is in the future (today is {})", row.date.ToIso(), in.today.ToIso()),
          row.date);
    }
  }
}

void CheckPositiveLoads(const RuleInput& in, RuleFindings& out) {
  for (const LoadRow& row : in.table.rows) {
    if (row.load <= 0.0) {
      Finding& f = out.Add(row.line,
                           fmt::format("load {} on {} is not positive", row.load, row.date.ToIso()),
                           row.date);
      f.value = row.load;
      f.threshold = 0.0;
    }
  }
}

bool IsPlausible(double load, const Config& config) {
  return load >= config.min_load && load <= config.max_load;
}

void CheckPlausibleLoads(const RuleInput& in, RuleFindings& out) {
  for (const LoadRow& row : in.table.rows) {
    if (row.load <= 0.0 || IsPlausible(row.load, in.config)) continue;  // see positive_load
    Finding& f =
        out.Add(row.line,
                fmt::format("load {} on {} is implausible (outside [{}, {}] MWh)", row.load,
                            row.date.ToIso(), in.config.min_load, in.config.max_load),
                row.date);
    f.value = row.load;
    f.threshold = row.load < in.config.min_load ? in.config.min_load : in.config.max_load;
  }
}

/// The relative change between two consecutive days at a row: from the day before to the row
/// (the previous row, or the stored load of that day when the file lacks it), and from the row to
/// the stored day after it when the file lacks that day. A file is thus checked at its seams with
/// the bucket as it is inside: one new day between two stored ones is compared with both.
struct Jump {
  const LoadRow* row = nullptr;
  Date earlier;              // the first of the two days
  double change = 0.0;       // the later day's load relative to the earlier's, minus one
  bool after_row = false;    // the row is the earlier day, the stored day after it the later
  bool from_stored = false;  // the other day is stored, not in the file
  double other = kMissing;   // the other day's load
};

std::vector<Jump> Jumps(const RuleInput& in) {
  const auto& rows = in.table.rows;
  std::vector<Jump> jumps;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const LoadRow& row = rows[i];
    if (!(row.load > 0.0)) continue;  // see positive_load
    Jump before{.row = &row, .earlier = row.date - 1};
    if (i > 0 && rows[i - 1].date == row.date - 1) {
      before.other = rows[i - 1].load;
    } else if (i == 0 || rows[i - 1].date != row.date) {
      before.other = in.history.at(row.date - 1);
      before.from_stored = true;
    }
    if (before.other > 0.0) {  // known (not NaN) and positive
      before.change = row.load / before.other - 1.0;
      jumps.push_back(before);
    }
    const bool next_in_file =
        i + 1 < rows.size() && (rows[i + 1].date == row.date + 1 || rows[i + 1].date == row.date);
    if (next_in_file) continue;
    Jump after{.row = &row, .earlier = row.date, .after_row = true, .from_stored = true};
    after.other = in.history.at(row.date + 1);
    if (after.other > 0.0) {
      after.change = after.other / row.load - 1.0;
      jumps.push_back(after);
    }
  }
  return jumps;
}

/// "load X on D changes by P% from the day before" and the like, for a finding.
std::string DescribeJump(const Jump& jump) {
  if (jump.after_row) {
    return fmt::format(
        "the stored load of the day after ({} on {}) changes by {:.0f}% from load {} "
        "on {}",
        jump.other, (jump.row->date + 1).ToIso(), 100.0 * jump.change, jump.row->load,
        jump.row->date.ToIso());
  }
  return fmt::format("load {} on {} changes by {:.0f}% from {}", jump.row->load,
                     jump.row->date.ToIso(), 100.0 * jump.change,
                     jump.from_stored ? "the stored load of the day before" : "the day before");
}

void AddJump(RuleFindings& out, const Jump& jump, std::string_view limit_words, double limit) {
  Finding& f =
      out.Add(jump.row->line,
              fmt::format("{} ({} {:.0f}%)", DescribeJump(jump), limit_words, 100.0 * limit),
              jump.earlier + 1);
  f.first_date = jump.earlier;
  f.value = jump.change;
  f.threshold = limit;
}

void CheckDailyJumps(const RuleInput& in, RuleFindings& out) {
  const double limit = in.config.max_daily_jump;
  for (const Jump& jump : Jumps(in)) {
    if (std::abs(jump.change) > limit) AddJump(out, jump, "limit", limit);
  }
}

void CheckUnusualJumps(const RuleInput& in, RuleFindings& out) {
  const double warn = in.config.warn_daily_jump;
  for (const Jump& jump : Jumps(in)) {
    // Beyond max_daily_jump it is daily_jump's error, not also this warning.
    const double size = std::abs(jump.change);
    if (size > warn && size <= in.config.max_daily_jump) {
      AddJump(out, jump, "unusual above", warn);
    }
  }
}

void CheckMonthlyEnvelope(const RuleInput& in, RuleFindings& out) {
  const double margin = in.config.validation_envelope_margin;
  for (const LoadRow& row : in.table.rows) {
    // Implausible loads are plausible_load's errors; months without history are skipped.
    if (row.load <= 0.0 || !IsPlausible(row.load, in.config)) continue;
    const int m = row.date.month() - 1;
    if (!in.envelope.min[m] || !in.envelope.max[m]) continue;
    const double low = *in.envelope.min[m] * (1.0 - margin);
    const double high = *in.envelope.max[m] * (1.0 + margin);
    if (row.load >= low && row.load <= high) continue;
    Finding& f =
        out.Add(row.line,
                fmt::format("load {} on {} is outside the stored {} loads widened by "
                            "{:.0f}% ([{:.0f}, {:.0f}] MWh)",
                            row.load, row.date.ToIso(), kMonthNames[m], 100.0 * margin, low, high),
                row.date);
    f.value = row.load;
    f.threshold = row.load < low ? low : high;
  }
}

std::string Number(double v) { return fmt::format("{}", v); }

}  // namespace

const std::vector<ValidationRule>& ValidationSuite() {
  using S = Severity;
  static const std::vector<ValidationRule> kSuite = {
      {.name = "file_format",
       .severity = S::kError,
       .stage = "parse",
       .description = "The file is CSV text (no NUL bytes), not empty, with a header and at least "
                      "one row.",
       .action = "Export the file again as CSV text with a `date,load` header."},
      {.name = "columns",
       .severity = S::kError,
       .stage = "parse",
       .description = "The header is exactly the columns `date,load` (any case; a byte-order "
                      "mark, CRLF line ends, spaces and double quotes are accepted) and every "
                      "row has two fields.",
       .action = "Fix the header; remove extra columns."},
      {.name = "semicolon_separator",
       .severity = S::kError,
       .stage = "parse",
       .description = "Fields are separated by `,`, not `;`.",
       .action = "Export with `,` as the separator (a spreadsheet in an Italian locale uses `;`)."},
      {.name = "decimal_comma",
       .severity = S::kError,
       .stage = "parse",
       .description = "Loads use a decimal point, not a decimal comma (`612345,5`, "
                      "`1.234.567,5`).",
       .action = "Export numbers with a decimal point (an English number locale)."},
      {.name = "thousands_separator",
       .severity = S::kError,
       .stage = "parse",
       .description = "Loads have no thousands separator (`612,345.5`, `1,234,567`); `612,345` "
                      "counts as one too.",
       .action = "Export numbers without digit grouping."},
      {.name = "date_format",
       .severity = S::kError,
       .stage = "parse",
       .description = "Every date is a valid ISO date `YYYY-MM-DD` (so 2021-02-29 is not).",
       .action = "Fix the date; export dates as ISO 8601."},
      {.name = "missing_value",
       .severity = S::kError,
       .stage = "parse",
       .description = "No row lacks its date or load, and no blank line stands for a missing "
                      "row.",
       .action = "Fill in the day from the source; never leave it blank."},
      {.name = "not_a_number",
       .severity = S::kError,
       .stage = "parse",
       .description = "Every load is a finite number (no text, NaN or infinity).",
       .action = "Fix the value."},
      {.name = "date_order",
       .severity = S::kError,
       .stage = "rows",
       .description = "Dates ascend.",
       .action = "Sort the file by date.",
       .check = CheckDateOrder},
      {.name = "duplicate_date",
       .severity = S::kError,
       .stage = "rows",
       .description = "Each date appears once.",
       .action = "Keep the one correct row of the date.",
       .check = CheckDuplicateDates},
      {.name = "file_conflict",
       .severity = S::kError,
       .stage = "files",
       .description = "Files ingested together give the same load for the dates they share.",
       .action = "Find which file is right, and ingest only its rows for those dates."},
      {.name = "gap",
       .severity = S::kError,
       .stage = "rows",
       .description = "No day is missing between a file's first and last dates, and the "
                      "bucket's actuals stay one contiguous series after the ingest.",
       .action = "Add the missing days, or ingest the files that hold them first (or together).",
       .check = CheckGaps},
      {.name = "file_year",
       .severity = S::kError,
       .stage = "rows",
       .description = "When the file name says a year (`2021.csv`, `load-2021.csv`), every date "
                      "lies in that year.",
       .action = "Move the rows to the file of their year, or rename the file.",
       .check = CheckFileYear},
      {.name = "early_date",
       .severity = S::kError,
       .stage = "rows",
       .threshold_key = "validation.earliest_year",
       .description = "No date is before January 1 of this year.",
       .action = "Fix the date (a year typed wrong), or lower the setting for older data.",
       .threshold = [](const Config& c) { return fmt::format("{}", c.earliest_year); },
       .check = CheckEarlyDates},
      {.name = "future_date",
       .severity = S::kError,
       .stage = "rows",
       .description = "No date is after today (UTC).",
       .action = "Fix the date: a forecast is not an actual.",
       .check = CheckFutureDates},
      {.name = "positive_load",
       .severity = S::kError,
       .stage = "rows",
       .description = "Every load is above zero.",
       .action = "Fix the value: a missing day is not zero.",
       .check = CheckPositiveLoads},
      {.name = "plausible_load",
       .severity = S::kError,
       .stage = "rows",
       .threshold_key = "validation.min_load, validation.max_load",
       .description = "Every load lies within [min_load, max_load] MWh per day (all of Italy).",
       .action = "Check the unit (MWh per day, not GWh or MW) and the value.",
       .threshold =
           [](const Config& c) {
             return fmt::format("[{}, {}] MWh", Number(c.min_load), Number(c.max_load));
           },
       .check = CheckPlausibleLoads},
      {.name = "daily_jump",
       .severity = S::kError,
       .stage = "rows",
       .threshold_key = "validation.max_daily_jump",
       .description = "No load changes from the day before by more than this fraction: inside "
                      "the file, and at its seams with the stored days (the stored day before a "
                      "file's day, and the stored day after it).",
       .action = "Check both days against the source: a wrong day, or a unit change.",
       .threshold = [](const Config& c) { return Number(c.max_daily_jump); },
       .check = CheckDailyJumps},
      {.name = "unusual_jump",
       .severity = S::kWarning,
       .stage = "rows",
       .threshold_key = "validation.warn_daily_jump",
       .description = "A change from the day before by more than this fraction (and at most "
                      "`validation.max_daily_jump`) is stored, with a warning.",
       .action = "Check both days against the source; if they are right, acknowledge the alert.",
       .threshold = [](const Config& c) { return Number(c.warn_daily_jump); },
       .check = CheckUnusualJumps},
      {.name = "monthly_envelope",
       .severity = S::kWarning,
       .stage = "rows",
       .threshold_key = "validation.envelope_margin",
       .description = "A load outside the [min, max] of the stored loads of its calendar month, "
                      "widened by this fraction, is stored, with a warning (months without "
                      "stored history are skipped).",
       .action = "Check the day against the source; if it is right (a heat wave, a lockdown), "
                 "acknowledge the alert.",
       .threshold = [](const Config& c) { return Number(c.validation_envelope_margin); },
       .check = CheckMonthlyEnvelope},
  };
  return kSuite;
}

const ValidationRule& FindValidationRule(std::string_view name) {
  const auto& suite = ValidationSuite();
  const auto it = std::find_if(suite.begin(), suite.end(),
                               [&](const ValidationRule& r) { return r.name == name; });
  assert(it != suite.end() && "unknown validation rule");
  return it != suite.end() ? *it : suite.front();
}

std::string_view SeverityName(Severity severity) {
  return severity == Severity::kError ? "error" : "warning";
}

std::string RuleThreshold(const ValidationRule& rule, const Config& config) {
  return rule.threshold ? rule.threshold(config) : std::string();
}

std::string ValidationRulesReference(const Config& config) {
  std::ostringstream out;
  out << "| rule | severity | threshold | requires | what to do |\n"
         "| --- | --- | --- | --- | --- |\n";
  for (const ValidationRule& rule : ValidationSuite()) {
    std::string threshold;
    if (!rule.threshold_key.empty()) {
      std::string keys;
      std::istringstream names{std::string(rule.threshold_key)};
      for (std::string key; std::getline(names >> std::ws, key, ',');) {
        keys += (keys.empty() ? "`" : ", `") + key + "`";
      }
      threshold = fmt::format("{} = {}", keys, RuleThreshold(rule, config));
    }
    out << "| `" << rule.name << "` | " << SeverityName(rule.severity) << " | " << threshold
        << " | " << rule.description << " | " << rule.action << " |\n";
  }
  return out.str();
}

MonthlyEnvelope MonthlyEnvelope::Learn(const TimeSeries& history) {
  MonthlyEnvelope envelope;
  for (std::size_t i = 0; i < history.size(); ++i) {
    const double v = history.values()[i];
    if (std::isnan(v)) continue;
    const int m = history.date_at(i).month() - 1;
    envelope.min[m] = envelope.min[m] ? std::min(*envelope.min[m], v) : v;
    envelope.max[m] = envelope.max[m] ? std::max(*envelope.max[m], v) : v;
  }
  return envelope;
}

std::optional<int> YearInFileName(std::string_view source) {
  std::string_view name = source.substr(source.find_last_of("/\\") + 1);
  if (const auto dot = name.rfind('.'); dot != std::string_view::npos && dot > 0) {
    name = name.substr(0, dot);
  }
  if (name.size() < 4) return std::nullopt;
  const std::string_view tail = name.substr(name.size() - 4);
  if (!std::all_of(tail.begin(), tail.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  if (name.size() > 4 &&
      std::string_view("-_. ").find(name[name.size() - 5]) == std::string_view::npos) {
    return std::nullopt;
  }
  const int year = std::stoi(std::string(tail));
  if (year < 1900 || year > 2999) return std::nullopt;
  return year;
}

Finding& RuleFindings::Add(int line, std::string problem, std::optional<Date> date) {
  Finding finding;
  finding.rule = std::string(rule_.name);
  finding.severity = rule_.severity;
  finding.source = source_;
  finding.line = line;
  finding.problem = std::move(problem);
  finding.first_date = date;
  finding.last_date = date;
  out_.push_back(std::move(finding));
  return out_.back();
}

Validator::Validator(const Config& config, Date today) : config_(config), today_(today) {}

ParsedLoadCsv Validator::ParseFile(std::string_view text, std::string_view source) const {
  ParsedLoadCsv parsed = ReadLoadCsv(text, source);
  for (Finding& f : parsed.findings) f.severity = FindValidationRule(f.rule).severity;
  return parsed;
}

ParsedLoadCsv Validator::CheckFile(std::string_view text, std::string_view source,
                                   const TimeSeries& history) const {
  ParsedLoadCsv parsed = ParseFile(text, source);
  // Row rules on a file with unparsed lines would report the holes those lines leave: the parse
  // findings come first, and alone.
  if (parsed.findings.empty()) parsed.findings = CheckTable(parsed.table, history);
  return parsed;
}

std::vector<Finding> Validator::CheckTable(const LoadTable& table,
                                           const TimeSeries& history) const {
  const MonthlyEnvelope envelope = MonthlyEnvelope::Learn(history);
  const RuleInput input{table, config_, today_, YearInFileName(table.source), history, envelope};
  std::vector<Finding> findings;
  for (const ValidationRule& rule : ValidationSuite()) {
    if (!rule.check) continue;
    RuleFindings out(rule, table.source, findings);
    rule.check(input, out);
  }
  return findings;
}

std::vector<Finding> Validator::CheckSeries(const TimeSeries& series,
                                            std::string_view source) const {
  std::vector<Finding> findings;
  RuleFindings gaps(FindValidationRule("gap"), std::string(source), findings);
  std::optional<Date> gap_start;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double v = series.values()[i];
    const Date d = series.date_at(i);
    if (std::isnan(v)) {
      if (!gap_start) gap_start = d;
      continue;
    }
    if (gap_start) {
      Finding& f = gaps.Add(
          0, fmt::format("gap: no data from {} to {}", gap_start->ToIso(), (d - 1).ToIso()));
      f.first_date = *gap_start;
      f.last_date = d - 1;
      f.value = d - *gap_start;
      gap_start.reset();
    }
  }
  RuleFindings loads(FindValidationRule("plausible_load"), std::string(source), findings);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double v = series.values()[i];
    if (std::isnan(v) || (v > 0.0 && IsPlausible(v, config_))) continue;
    Finding& f =
        loads.Add(0,
                  fmt::format("load {} on {} is implausible (outside [{}, {}] MWh)", v,
                              series.date_at(i).ToIso(), config_.min_load, config_.max_load),
                  series.date_at(i));
    f.value = v;
    f.threshold = v < config_.min_load ? config_.min_load : config_.max_load;
  }
  return findings;
}

void Validator::ValidateTable(const LoadTable& table) const { RejectIfErrors(CheckTable(table)); }

void Validator::ValidateSeries(const TimeSeries& series, std::string_view source) const {
  RejectIfErrors(CheckSeries(series, source));
}

bool HasErrors(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

std::string FormatFinding(const Finding& f) {
  return f.line > 0 ? fmt::format("{}:{}: {} [{}]", f.source, f.line, f.problem, f.rule)
                    : fmt::format("{}: {} [{}]", f.source, f.problem, f.rule);
}

std::string RejectionMessage(const std::vector<Finding>& findings) {
  // Sources in the order they were checked; within one, findings by line, as a person reads.
  std::vector<std::string> sources;
  std::map<std::string, std::vector<const Finding*>> by_source;
  for (const Finding& f : findings) {
    if (f.severity != Severity::kError) continue;
    auto [it, inserted] = by_source.try_emplace(f.source);
    if (inserted) sources.push_back(f.source);
    it->second.push_back(&f);
  }
  std::string message;
  for (const std::string& source : sources) {
    auto& list = by_source[source];
    std::stable_sort(list.begin(), list.end(),
                     [](const Finding* a, const Finding* b) { return a->line < b->line; });
    for (std::size_t i = 0; i < list.size() && i < ProblemList::kMaxListed; ++i) {
      if (!message.empty()) message += '\n';
      message += FormatFinding(*list[i]);
    }
    if (list.size() > ProblemList::kMaxListed) {
      message += fmt::format("\n{}: ... and {} more problems", source,
                             list.size() - ProblemList::kMaxListed);
    }
  }
  return message;
}

void RejectIfErrors(const std::vector<Finding>& findings) {
  if (HasErrors(findings)) throw DataError(RejectionMessage(findings));
}

namespace {

AlertRecord BaseAlert(const Finding& f, const std::string& subject) {
  AlertRecord alert;
  alert.severity =
      f.severity == Severity::kError ? AlertSeverity::kCritical : AlertSeverity::kWarning;
  alert.source = AlertSource::kValidation;
  alert.code = "validation." + f.rule;
  alert.subject = subject;
  return alert;
}

}  // namespace

std::vector<AlertRecord> FindingAlerts(const std::vector<Finding>& findings,
                                       const std::string& subject) {
  std::vector<std::string> rules;
  std::map<std::string, std::vector<const Finding*>> by_rule;
  for (const Finding& f : findings) {
    auto [it, inserted] = by_rule.try_emplace(f.rule);
    if (inserted) rules.push_back(f.rule);
    it->second.push_back(&f);
  }
  std::vector<AlertRecord> alerts;
  for (const std::string& rule : rules) {
    const auto& list = by_rule[rule];
    for (std::size_t i = 0; i < list.size() && i < kMaxAlertsPerRule; ++i) {
      const Finding& f = *list[i];
      AlertRecord alert = BaseAlert(f, subject);
      alert.message = f.line > 0 ? fmt::format("{}:{}: {}", f.source, f.line, f.problem)
                                 : fmt::format("{}: {}", f.source, f.problem);
      alert.period_start = f.first_date;
      alert.period_end = f.last_date;
      alert.value = f.value;
      alert.threshold = f.threshold;
      alerts.push_back(std::move(alert));
    }
    if (list.size() <= kMaxAlertsPerRule) continue;
    // The rest of a flood (a whole file with decimal commas) as one alert that counts them.
    const Finding& first = *list[kMaxAlertsPerRule];
    AlertRecord alert = BaseAlert(first, subject);
    std::optional<Date> from;
    std::optional<Date> to;
    int first_line = first.line;
    int last_line = first.line;
    for (std::size_t i = kMaxAlertsPerRule; i < list.size(); ++i) {
      const Finding& f = *list[i];
      if (f.first_date && (!from || *f.first_date < *from)) from = f.first_date;
      if (f.last_date && (!to || *f.last_date > *to)) to = f.last_date;
      first_line = std::min(first_line, f.line);
      last_line = std::max(last_line, f.line);
    }
    const std::size_t rest = list.size() - kMaxAlertsPerRule;
    alert.message = fmt::format("{}: {} more findings of rule {} (lines {} to {})", first.source,
                                rest, rule, first_line, last_line);
    alert.period_start = from;
    alert.period_end = to;
    alert.value = static_cast<double>(rest);
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

}  // namespace loadcast
