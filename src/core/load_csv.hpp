// Reading and writing the load CSV format: a `date,load` header (any case), ISO dates, decimal
// point, comma separators, one row per day.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/finding.hpp"
#include "core/time_series.hpp"

namespace loadcast {

struct LoadRow {
  Date date;
  double load = 0.0;
  int line = 0;  // 1-based line in the source, for messages
};

/// The rows of one CSV file, in file order, with the name used in messages.
struct LoadTable {
  std::string source;
  std::vector<LoadRow> rows;
};

/// The rows that parsed, and a finding for each line that did not.
struct ParsedLoadCsv {
  LoadTable table;
  std::vector<Finding> findings;  // all errors; empty when the whole file parsed
};

/// Parses CSV text, reporting each structural problem as a finding of the rule it breaks:
/// file_format (empty, binary, UTF-16, no rows), columns (header, field count),
/// semicolon_separator, decimal_comma, thousands_separator, date_format, missing_value,
/// not_a_number. A UTF-8 byte-order mark, CRLF or CR line ends, surrounding whitespace and
/// double-quoted fields are accepted.
ParsedLoadCsv ReadLoadCsv(std::string_view text, std::string_view source);

/// Parses CSV text (see ReadLoadCsv); any problem throws DataError listing "source:line: problem"
/// for each offending line.
LoadTable ParseLoadCsv(std::string_view text, std::string_view source);

/// The canonical text of a series (known days only): identical data gives identical bytes.
std::string FormatLoadCsv(const TimeSeries& series);

}  // namespace loadcast
