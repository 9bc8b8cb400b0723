#include "core/series_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "core/csv_text.hpp"
#include "core/problem_list.hpp"

namespace loadcast {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/// A field's value: without surrounding blanks and the double quotes a spreadsheet may add.
std::string_view Field(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') return Field(s.substr(1, s.size() - 2));
  return s;
}

/// A series being read: its first day and the values of the days since.
struct Builder {
  Date start;
  std::vector<double> values;
  RowSpan lines;
  Date last() const { return start + static_cast<int>(values.size()) - 1; }
};

class Reader {
 public:
  Reader(std::string_view source, const SeriesCsvRules& rules) : rules_(rules) {
    out_.table.source = source;
  }

  ParsedSeriesCsv Read(std::string_view text) {
    if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
    if (Field(text).empty()) {
      Problem("file_format", 0, "the file is empty");
      return Finish();
    }
    if (text.find('\0') != std::string_view::npos) {
      Problem("file_format", 0, "the file is binary, not CSV text (it holds NUL bytes)");
      return Finish();
    }
    int line = 0;
    bool header = true;
    while (!text.empty()) {
      const std::size_t end = text.find('\n');
      std::string_view row = text.substr(0, end);
      text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
      ++line;
      if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
      if (Field(row).empty()) continue;
      if (header) {
        header = false;
        if (!Header(row)) return Finish();
        continue;
      }
      Row(row, line);
    }
    if (header || out_.table.rows == 0) {
      if (out_.problems == 0) Problem("file_format", 0, "the file has no data rows");
    }
    return Finish();
  }

 private:
  /// Splits a row into exactly `fields` comma-separated fields; false when the count differs.
  static bool Split(std::string_view row, std::array<std::string_view, 3>& fields,
                    std::size_t& count) {
    count = 0;
    std::size_t start = 0;
    for (;;) {
      const std::size_t comma = row.find(',', start);
      const std::string_view f = row.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      if (count < fields.size()) fields[count] = f;
      ++count;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    return count == fields.size();
  }

  bool Header(std::string_view row) {
    std::array<std::string_view, 3> fields;
    std::size_t count = 0;
    const bool three = Split(row, fields, count);
    std::array<int, 3> seen{-1, -1, -1};
    if (three) {
      for (int i = 0; i < 3; ++i) {
        const std::string name = ToLower(Field(fields[static_cast<std::size_t>(i)]));
        const int column = name == "date" ? 0 : name == "series" ? 1 : name == "load" ? 2 : -1;
        if (column >= 0 && seen[static_cast<std::size_t>(column)] < 0) {
          seen[static_cast<std::size_t>(column)] = i;
        }
      }
    }
    if (std::find(seen.begin(), seen.end(), -1) != seen.end()) {
      Problem("columns", 1,
              fmt::format("the header is {}: expected the columns date, series and load",
                          QuoteValue(row)));
      return false;
    }
    date_ = static_cast<std::size_t>(seen[0]);
    series_ = static_cast<std::size_t>(seen[1]);
    load_ = static_cast<std::size_t>(seen[2]);
    return true;
  }

  void Row(std::string_view row, int line) {
    std::array<std::string_view, 3> fields;
    std::size_t count = 0;
    if (!Split(row, fields, count)) {
      Problem("columns", line, fmt::format("{} fields where the header has 3", count));
      return;
    }
    const std::string_view date_text = Field(fields[date_]);
    const std::string_view name = Field(fields[series_]);
    const std::string_view load_text = Field(fields[load_]);
    const std::optional<Date> date = Date::ParseIso(date_text);
    if (!date) {
      Problem("date_format", line,
              date_text.empty()
                  ? std::string("the date is missing")
                  : fmt::format("the date {} is not a YYYY-MM-DD date", QuoteValue(date_text)));
      return;
    }
    if (rules_.earliest && *date < *rules_.earliest) {
      Problem("early_date", line,
              fmt::format("the date {} is before {} (validation.earliest_year)", date->ToIso(),
                          rules_.earliest->ToIso()));
      return;
    }
    if (rules_.latest && *date > *rules_.latest) {
      Problem("future_date", line,
              fmt::format("the date {} is in the future (today is {})", date->ToIso(),
                          rules_.latest->ToIso()));
      return;
    }
    if (!IsValidSeriesName(name)) {
      Problem("series_name", line,
              name.empty() ? std::string("the series name is missing")
                           : fmt::format("the series name {} is not 1 to {} letters, digits, "
                                         "'_', '-' or '.'",
                                         QuoteValue(name), kMaxSeriesName));
      return;
    }
    if (load_text.empty()) {
      Problem("missing_value", line,
              fmt::format("series {}: the load of {} is missing", name, date->ToIso()));
      return;
    }
    double load = 0.0;
    const auto [end, ec] = std::from_chars(load_text.data(), load_text.data() + load_text.size(),
                                           load, std::chars_format::general);
    if (ec != std::errc() || end != load_text.data() + load_text.size() || !std::isfinite(load)) {
      Problem("not_a_number", line,
              fmt::format("series {}: the load {} is not a number", name, QuoteValue(load_text)));
      return;
    }
    if (!(load > 0.0)) {
      Problem("load_range", line,
              fmt::format("series {}: the load {} of {} is not above zero", name, load_text,
                          date->ToIso()));
      return;
    }
    if (rules_.max_load && load > *rules_.max_load) {
      Problem("load_range", line,
              fmt::format("series {}: the load {} of {} is above {} MWh "
                          "(validation.series_max_load)",
                          name, load_text, date->ToIso(), *rules_.max_load));
      return;
    }
    Builder& series = Find(name, *date);
    ++out_.table.rows;
    if (series.values.empty()) {
      series.start = *date;
      series.values.push_back(load);
      series.lines = {line, line};
      return;
    }
    const Date last = series.last();
    if (*date == last + 1) {
      const double before = series.values.back();
      const double jump = std::abs(load / before - 1.0);
      if (rules_.max_daily_jump && jump > *rules_.max_daily_jump) {
        Problem("daily_jump", line,
                fmt::format("series {}: the load {} of {} is {:.0f}% away from the day before "
                            "({}); the limit is {:.0f}%",
                            name, load_text, date->ToIso(), jump * 100.0, before,
                            *rules_.max_daily_jump * 100.0));
      }
      series.values.push_back(load);
      series.lines.last = line;
    } else if (*date <= last) {
      const bool duplicate = *date >= series.start;
      Problem(duplicate ? "duplicate_date" : "date_order", line,
              duplicate ? fmt::format("series {}: {} is given twice", name, date->ToIso())
                        : fmt::format("series {}: {} comes after {}; each series' rows must be "
                                      "in date order",
                                      name, date->ToIso(), last.ToIso()));
    } else {
      Problem("missing_day", line,
              fmt::format("series {}: {} day(s) missing, from {} to {}", name, *date - last - 1,
                          (last + 1).ToIso(), (*date - 1).ToIso()));
      // Keep reading the series from here, as if the gap were known, to report later lines too.
      series.values.resize(static_cast<std::size_t>(*date - series.start), kMissing);
      series.values.push_back(load);
      series.lines.last = line;
    }
  }

  /// The series named `name`, created when new; the last one found is tried first, since a
  /// series' rows usually come together.
  Builder& Find(std::string_view name, Date /*date*/) {
    if (last_ < builders_.size() && out_.table.names[last_] == name) return builders_[last_];
    const std::string key(name);
    auto [it, inserted] = index_.try_emplace(key, builders_.size());
    if (inserted) {
      out_.table.names.push_back(key);
      builders_.emplace_back();
    }
    last_ = it->second;
    return builders_[last_];
  }

  void Problem(const char* rule, int line, std::string problem) {
    ++out_.problems;
    if (out_.findings.size() >= ProblemList::kMaxListed) return;
    Finding f;
    f.rule = rule;
    f.source = out_.table.source;
    f.line = line;
    f.problem = std::move(problem);
    out_.findings.push_back(std::move(f));
  }

  ParsedSeriesCsv Finish() {
    out_.table.loads.reserve(builders_.size());
    out_.table.lines.reserve(builders_.size());
    for (Builder& b : builders_) {
      out_.table.loads.emplace_back(b.start, std::move(b.values));
      out_.table.lines.push_back(b.lines);
    }
    builders_.clear();
    return std::move(out_);
  }

  SeriesCsvRules rules_;
  ParsedSeriesCsv out_;
  std::size_t date_ = 0;
  std::size_t series_ = 1;
  std::size_t load_ = 2;
  std::vector<Builder> builders_;
  std::unordered_map<std::string, std::size_t> index_;
  std::size_t last_ = 0;
};

}  // namespace

bool IsValidSeriesName(std::string_view name) {
  if (name.empty() || name.size() > kMaxSeriesName || name.front() == '.') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '.';
  });
}

ParsedSeriesCsv ReadSeriesCsv(std::string_view text, std::string_view source,
                              const SeriesCsvRules& rules) {
  return Reader(source, rules).Read(text);
}

SeriesTable ParseSeriesCsv(std::string_view text, std::string_view source,
                           const SeriesCsvRules& rules) {
  ParsedSeriesCsv parsed = ReadSeriesCsv(text, source, rules);
  if (parsed.problems == 0) return std::move(parsed.table);
  ProblemList problems(source);
  for (const Finding& f : parsed.findings) problems.Add(f.line, f.problem);
  for (std::size_t i = parsed.findings.size(); i < parsed.problems; ++i) problems.Add(0, "");
  problems.ThrowIfAny();
  return {};
}

std::string FormatSeriesCsv(const std::vector<std::string>& names,
                            const std::vector<TimeSeries>& loads) {
  std::vector<std::size_t> order(names.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return names[a] < names[b]; });
  std::string out = "date,series,load\n";
  fmt::memory_buffer row;
  for (std::size_t i : order) {
    const TimeSeries& load = loads[i];
    for (std::size_t d = 0; d < load.size(); ++d) {
      const double value = load.values()[d];
      if (std::isnan(value)) continue;
      const YearMonthDay ymd = ToYmd(load.date_at(d));
      row.clear();
      fmt::format_to(std::back_inserter(row), "{:04d}-{:02d}-{:02d},{},{}\n", ymd.year, ymd.month,
                     ymd.day, names[i], value);
      out.append(row.data(), row.size());
    }
  }
  return out;
}

}  // namespace loadcast
