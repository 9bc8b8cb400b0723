// Reading and writing the load CSV format: a `date,load` header (any case), ISO dates, decimal
// point, comma separators, one row per day.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
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

/// Parses CSV text. Structural problems (header, field count, separators, unparseable dates or
/// numbers, missing values) throw DataError listing "source:line: problem" for each offending line.
/// A UTF-8 byte-order mark, CRLF line ends, surrounding whitespace and double-quoted fields are
/// accepted.
LoadTable ParseLoadCsv(std::string_view text, std::string_view source);

/// The canonical text of a series (known days only): identical data gives identical bytes.
std::string FormatLoadCsv(const TimeSeries& series);

}  // namespace loadcast
