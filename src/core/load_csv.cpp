#include "core/load_csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/problem_list.hpp"

namespace loadcast {
namespace {

constexpr std::size_t kMaxQuotedValue = 40;

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

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Quotes a value for a message, shortened and with control bytes escaped.
std::string Quote(std::string_view value) {
  std::string out = "'";
  for (std::size_t i = 0; i < value.size() && i < kMaxQuotedValue; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > kMaxQuotedValue) out += "...";
  return out + "'";
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

/// Explains why a load field is not a plain decimal number, naming foreign formats.
std::string DescribeBadNumber(std::string_view field) {
  const std::string lower = Lower(field);
  if (lower == "nan" || lower == "inf" || lower == "-inf" || lower == "infinity" ||
      lower == "+inf" || lower == "-infinity") {
    return fmt::format("load {} is not a finite number", Quote(field));
  }
  if (field.find(',') != std::string_view::npos) {
    return fmt::format(
        "load {} uses a decimal comma or thousands separator; expected a plain "
        "number with a decimal point",
        Quote(field));
  }
  return fmt::format("load {} is not a number", Quote(field));
}

}  // namespace

LoadTable ParseLoadCsv(std::string_view text, std::string_view source) {
  LoadTable table{std::string(source), {}};
  ProblemList issues(source);
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (text.find('\0') != std::string_view::npos) {
    issues.Add(1, "file contains NUL bytes; it is binary, not a CSV text file");
    issues.ThrowIfAny();
  }
  std::size_t pos = 0;
  int line_no = 0;
  bool header_seen = false;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    const std::string_view raw = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    const std::string_view line = Trim(raw);
    if (!header_seen) {
      header_seen = true;
      if (line.empty()) {
        issues.Add(line_no, "empty header line; expected 'date,load'");
        break;
      }
      if (line.find(',') == std::string_view::npos && line.find(';') != std::string_view::npos) {
        issues.Add(line_no,
                   fmt::format("header {} uses ';' as separator; expected ','", Quote(line)));
        break;
      }
      const auto fields = Split(line, ',');
      if (fields.size() != 2 || Lower(Field(fields[0])) != "date" ||
          Lower(Field(fields[1])) != "load") {
        issues.Add(line_no,
                   fmt::format("header {} must be exactly the columns 'date,load'", Quote(line)));
        break;
      }
      continue;
    }
    if (line.empty()) {
      // A blank last line is only the file's final newline written twice; blank lines in the
      // middle are missing rows.
      if (Trim(text.substr(std::min(pos, text.size()))).empty()) break;
      issues.Add(line_no, "empty line (missing row)");
      continue;
    }
    auto fields = Split(line, ',');
    if (fields.size() == 1 && line.find(';') != std::string_view::npos) {
      issues.Add(line_no, fmt::format("row {} uses ';' as separator; expected ','", Quote(line)));
      continue;
    }
    if (fields.size() == 3) {
      issues.Add(line_no,
                 fmt::format("row {} has 3 fields: a decimal comma or thousands separator in the "
                             "load? expected a plain number with a decimal point",
                             Quote(line)));
      continue;
    }
    if (fields.size() != 2) {
      issues.Add(line_no, fmt::format("row {} has {} fields; expected 2 (date,load)", Quote(line),
                                      fields.size()));
      continue;
    }
    const std::string_view date_text = Field(fields[0]);
    const std::string_view load_text = Field(fields[1]);
    const auto date = Date::ParseIso(date_text);
    if (date_text.empty()) {
      issues.Add(line_no, "missing date");
      continue;
    }
    if (!date) {
      issues.Add(line_no,
                 fmt::format("date {} is not a valid ISO date (YYYY-MM-DD)", Quote(date_text)));
      continue;
    }
    if (load_text.empty()) {
      issues.Add(line_no, fmt::format("missing load for {}", date->ToIso()));
      continue;
    }
    double load = 0.0;
    const char* begin = load_text.data();
    const char* end = begin + load_text.size();
    const auto [ptr, ec] = std::from_chars(begin, end, load);
    if (ec != std::errc() || ptr != end || !std::isfinite(load)) {
      issues.Add(line_no, DescribeBadNumber(load_text));
      continue;
    }
    table.rows.push_back({*date, load, line_no});
  }
  if (!header_seen) issues.Add(1, "file is empty; expected a 'date,load' header and rows");
  issues.ThrowIfAny();
  if (table.rows.empty()) {
    issues.Add(line_no, "file has a header but no data rows");
    issues.ThrowIfAny();
  }
  return table;
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
