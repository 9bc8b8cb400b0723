#include "core/load_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/csv_text.hpp"
#include "core/problem_list.hpp"

namespace loadcast {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// Strips surrounding blanks (spaces, tabs, CR, LF).
std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

/// A field's value: trimmed, and without the double quotes a spreadsheet may put around it.
std::string_view Field(std::string_view s) {
  s = Trim(s);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = Trim(s.substr(1, s.size() - 2));
  return s;
}

std::vector<std::string_view> Split(std::string_view line, char sep) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t pos = line.find(sep, start);
    if (pos == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, pos - start));
    start = pos + 1;
  }
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

/// Digits in groups of three after a first group of one to three, joined by `sep` ("1.234.567").
bool IsDigitGroups(std::string_view s, char sep) {
  const auto groups = Split(s, sep);
  if (groups.size() < 2 || !AllDigits(groups[0]) || groups[0].size() > 3) return false;
  return std::all_of(groups.begin() + 1, groups.end(),
                     [](std::string_view g) { return g.size() == 3 && AllDigits(g); });
}

/// How a load written with commas was meant: "612,345" and "1,234,567.5" use a thousands
/// separator, "612345,5" and "1.234.567,5" a decimal comma. Empty when it is neither.
std::string_view CommaNumberRule(std::string_view load) {
  if (!load.empty() && (load.front() == '-' || load.front() == '+')) load.remove_prefix(1);
  const auto point = load.find('.');
  const std::string_view whole = load.substr(0, point);
  const bool decimals_ok = point == std::string_view::npos || AllDigits(load.substr(point + 1));
  if (decimals_ok && IsDigitGroups(whole, ',')) return "thousands_separator";
  const auto comma = load.rfind(',');
  if (comma == std::string_view::npos || comma != load.find(',')) return "";
  const std::string_view before = load.substr(0, comma);
  const std::string_view after = load.substr(comma + 1);
  if (AllDigits(after) && (AllDigits(before) || IsDigitGroups(before, '.'))) {
    return "decimal_comma";
  }
  return "";
}

/// The message for a load in a number format that is not ours.
std::string DescribeCommaNumber(std::string_view rule, std::string_view quoted_what) {
  return rule == "thousands_separator"
             ? fmt::format(
                   "{} uses a thousands separator; expected a plain number with a "
                   "decimal point and no separators",
                   quoted_what)
             : fmt::format("{} uses a decimal comma; expected a plain number with a decimal point",
                           quoted_what);
}

bool IsNonFiniteWord(std::string_view field) {
  const std::string lower = ToLower(field);
  return lower == "nan" || lower == "inf" || lower == "-inf" || lower == "infinity" ||
         lower == "+inf" || lower == "-infinity";
}

}  // namespace

ParsedLoadCsv ReadLoadCsv(std::string_view text, std::string_view source) {
  ParsedLoadCsv parsed;
  LoadTable& table = parsed.table;
  table.source = std::string(source);
  auto add = [&](std::string_view rule, int line, std::string problem) {
    Finding finding;
    finding.rule = std::string(rule);
    finding.source = table.source;
    finding.line = line;
    finding.problem = std::move(problem);
    parsed.findings.push_back(std::move(finding));
  };
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    add("file_format", 1,
        fmt::format("file is UTF-16 text (byte-order mark {}); expected UTF-8: save it as "
                    "\"CSV UTF-8\"",
                    text.starts_with("\xFF\xFE") ? "FF FE" : "FE FF"));
    return parsed;
  }
  if (text.find('\0') != std::string_view::npos) {
    add("file_format", 1, "file contains NUL bytes; it is binary, not a CSV text file");
    return parsed;
  }
  std::size_t pos = 0;
  int line_no = 0;
  bool header_seen = false;
  while (pos < text.size()) {
    // A line ends with LF, CRLF or a lone CR (classic Mac).
    std::size_t eol = text.find_first_of("\r\n", pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view raw = text.substr(pos, eol - pos);
    pos = eol + (text.substr(eol).starts_with("\r\n") ? 2 : 1);
    ++line_no;
    const std::string_view line = Trim(raw);
    if (!header_seen) {
      header_seen = true;
      if (line.empty()) {
        add("columns", line_no, "empty header line; expected 'date,load'");
        break;
      }
      if (line.find(',') == std::string_view::npos && line.find(';') != std::string_view::npos) {
        add("semicolon_separator", line_no,
            fmt::format("header {} uses ';' as separator; expected ','", QuoteValue(line)));
        break;
      }
      const auto fields = Split(line, ',');
      if (fields.size() != 2 || ToLower(Field(fields[0])) != "date" ||
          ToLower(Field(fields[1])) != "load") {
        const bool has_series = std::any_of(fields.begin(), fields.end(), [](std::string_view f) {
          return ToLower(Field(f)) == "series";
        });
        add("columns", line_no,
            fmt::format("header {} must be exactly the columns 'date,load'{}", QuoteValue(line),
                        has_series ? " (a file with a series column goes to 'loadcast series "
                                     "ingest')"
                                   : ""));
        break;
      }
      continue;
    }
    if (line.empty()) {
      // A blank last line is only the file's final newline written twice; blank lines in the
      // middle are missing rows.
      if (Trim(text.substr(std::min(pos, text.size()))).empty()) break;
      add("missing_value", line_no, "empty line (missing row)");
      continue;
    }
    auto fields = Split(line, ',');
    if (line.find(';') != std::string_view::npos &&
        (fields.size() == 1 || Split(line, ';').size() == 2)) {
      add("semicolon_separator", line_no,
          fmt::format("row {} uses ';' as separator; expected ','", QuoteValue(line)));
      continue;
    }
    if (fields.size() > 2) {
      // The load split at its commas: a number format that is not ours, or extra columns.
      const std::string_view load = Field(line.substr(fields[0].size() + 1));
      const std::string_view rule = CommaNumberRule(load);
      if (!rule.empty()) {
        add(rule, line_no,
            DescribeCommaNumber(rule,
                                fmt::format("row {} has {} fields: the load {}", QuoteValue(line),
                                            fields.size(), QuoteValue(load))));
      } else {
        add("columns", line_no,
            fmt::format("row {} has {} fields; expected 2 (date,load)", QuoteValue(line),
                        fields.size()));
      }
      continue;
    }
    if (fields.size() != 2) {
      add("columns", line_no,
          fmt::format("row {} has {} fields; expected 2 (date,load)", QuoteValue(line),
                      fields.size()));
      continue;
    }
    const std::string_view date_text = Field(fields[0]);
    const std::string_view load_text = Field(fields[1]);
    const auto date = Date::ParseIso(date_text);
    if (date_text.empty()) {
      add("missing_value", line_no, "missing date");
      continue;
    }
    if (!date) {
      add("date_format", line_no,
          fmt::format("date {} is not a valid ISO date (YYYY-MM-DD)", QuoteValue(date_text)));
      continue;
    }
    if (load_text.empty()) {
      add("missing_value", line_no, fmt::format("missing load for {}", date->ToIso()));
      continue;
    }
    double load = 0.0;
    const char* begin = load_text.data();
    const char* end = begin + load_text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, load);
    if (ec != std::errc() || ptr != end || !std::isfinite(load)) {
      const std::string_view rule = CommaNumberRule(load_text);
      if (!rule.empty()) {
        add(rule, line_no,
            DescribeCommaNumber(rule, fmt::format("load {}", QuoteValue(load_text))));
      } else if (IsNonFiniteWord(load_text) || ec == std::errc::result_out_of_range) {
        add("not_a_number", line_no,
            fmt::format("load {} is not a finite number", QuoteValue(load_text)));
      } else {
        add("not_a_number", line_no, fmt::format("load {} is not a number", QuoteValue(load_text)));
      }
      continue;
    }
    table.rows.push_back({*date, load, line_no});
  }
  if (!header_seen) {
    add("file_format", 1, "file is empty; expected a 'date,load' header and rows");
  } else if (parsed.findings.empty() && table.rows.empty()) {
    add("file_format", line_no, "file has a header but no data rows");
  }
  return parsed;
}

LoadTable ParseLoadCsv(std::string_view text, std::string_view source) {
  ParsedLoadCsv parsed = ReadLoadCsv(text, source);
  if (parsed.findings.empty()) return std::move(parsed.table);
  ProblemList problems(source);
  for (const Finding& finding : parsed.findings) problems.Add(finding.line, finding.problem);
  problems.ThrowIfAny();
  return std::move(parsed.table);  // not reached: there were problems
}

std::string FormatLoadCsv(const TimeSeries& series) {
  std::string out = "date,load\n";
  out.reserve(out.size() + series.size() * 28);
  char buffer[64];
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double v = series.values()[i];
    if (std::isnan(v)) continue;
    out += series.date_at(i).ToIso();
    out += ',';
    const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
    out.append(buffer, ptr);
    out += '\n';
  }
  return out;
}

}  // namespace loadcast
