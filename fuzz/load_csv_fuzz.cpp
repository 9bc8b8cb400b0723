// Fuzzes the load CSV reader (core/load_csv.hpp) with arbitrary bytes. ReadLoadCsv reports every
// problem as a finding and never throws; ParseLoadCsv throws DataError exactly when there is a
// finding; the rows it keeps are valid, in file order and read back unchanged once formatted.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "core/load_csv.hpp"
#include "core/time_series.hpp"
#include "fuzz_check.hpp"

namespace {

using loadcast::fuzz::Check;

constexpr std::string_view kSource = "fuzz.csv";
// The formatted series is one value per day from the first row to the last: spans longer than
// this are not formatted, to keep each run fast.
constexpr int kMaxFormattedDays = 4000;

const std::set<std::string, std::less<>> kParserRules = {
    "file_format",         "columns",     "semicolon_separator", "decimal_comma",
    "thousands_separator", "date_format", "missing_value",       "not_a_number"};

/// The number of lines, each ended by LF, CRLF or a lone CR (the last one by the end of the text).
int CountLines(std::string_view text) {
  int lines = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      ++lines;
    }
  }
  return lines;
}

/// Formats rows with increasing dates as a series and reads it back: the same dates and loads.
void CheckRoundTrip(const std::vector<loadcast::LoadRow>& rows) {
  const loadcast::Date first = rows.front().date;
  const int span = rows.back().date - first + 1;
  if (span > kMaxFormattedDays) return;
  std::vector<double> values(static_cast<std::size_t>(span), loadcast::kMissing);
  for (const auto& row : rows) values[static_cast<std::size_t>(row.date - first)] = row.load;
  const std::string text = loadcast::FormatLoadCsv(loadcast::TimeSeries(first, std::move(values)));
  const loadcast::ParsedLoadCsv again = loadcast::ReadLoadCsv(text, kSource);
  Check(again.findings.empty(), "formatted rows read back without findings");
  Check(again.table.rows.size() == rows.size(), "formatted rows read back, all of them");
  for (std::size_t i = 0; i < rows.size(); ++i) {
    Check(again.table.rows[i].date == rows[i].date, "a formatted date reads back the same");
    Check(again.table.rows[i].load == rows[i].load, "a formatted load reads back the same");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const loadcast::ParsedLoadCsv parsed = loadcast::ReadLoadCsv(text, kSource);
  const int lines = CountLines(text);

  Check(parsed.table.source == kSource, "the table names its source");
  for (const loadcast::Finding& finding : parsed.findings) {
    Check(finding.line >= 1 && finding.line <= lines, "a finding's line is a line of the file");
    Check(kParserRules.contains(finding.rule), "a finding names a rule of the parser");
    Check(finding.source == kSource, "a finding names its source");
    Check(!finding.problem.empty(), "a finding says what is wrong");
    Check(finding.severity == loadcast::Severity::kError, "a parser finding is an error");
  }
  Check(!parsed.findings.empty() || !parsed.table.rows.empty(), "a file without findings has rows");

  int previous_line = 1;  // the header
  bool increasing = true;
  for (std::size_t i = 0; i < parsed.table.rows.size(); ++i) {
    const loadcast::LoadRow& row = parsed.table.rows[i];
    Check(std::isfinite(row.load), "a row's load is finite");
    Check(row.line > previous_line && row.line <= lines, "rows keep their lines, in file order");
    previous_line = row.line;
    const auto reparsed = loadcast::Date::ParseIso(row.date.ToIso());
    Check(reparsed.has_value() && *reparsed == row.date, "a row's date is a valid ISO date");
    if (i > 0 && !(parsed.table.rows[i - 1].date < row.date)) increasing = false;
  }

  bool threw = false;
  try {
    const loadcast::LoadTable table = loadcast::ParseLoadCsv(text, kSource);
    Check(table.rows.size() == parsed.table.rows.size(), "ParseLoadCsv keeps every row");
  } catch (const loadcast::DataError& e) {
    threw = true;
    Check(std::string_view(e.what()).starts_with(kSource), "the DataError names the source");
  }
  Check(threw == !parsed.findings.empty(), "ParseLoadCsv throws exactly when there are findings");

  if (parsed.findings.empty() && increasing) CheckRoundTrip(parsed.table.rows);
  return 0;
}
