// Reading and writing the many-series CSV format: a `date,series,load` header (any order, any
// case), one row per series and day, each series' rows in date order. Validation happens while
// reading, in one pass, so that a file of millions of rows is checked at parsing speed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.hpp"
#include "core/time_series.hpp"

namespace loadcast {

/// The lines of a series' first and last rows in its file.
struct RowSpan {
  int first = 0;
  int last = 0;
};

/// Series, each a run of consecutive days, in the order they first appear.
struct SeriesTable {
  std::string source;
  std::vector<std::string> names;
  std::vector<TimeSeries> loads;  // loads[i] holds the days of names[i], without gaps
  std::vector<RowSpan> lines;     // lines[i]: where names[i]'s first and last days were read
  std::size_t rows = 0;

  std::size_t size() const { return names.size(); }
};

/// The checks made while reading, beyond the format itself (none by default: a stored object,
/// checked when it was ingested, is only read).
struct SeriesCsvRules {
  /// A relative change from a series' day before larger than this is an error (daily_jump).
  std::optional<double> max_daily_jump;
  /// A load above this is an error (load_range); a load not above zero always is.
  std::optional<double> max_load;
  /// A date before this is an error (early_date).
  std::optional<Date> earliest;
  /// A date after this is an error (future_date).
  std::optional<Date> latest;
};

/// What read, and a finding for each problem (at most ProblemList::kMaxListed of them kept;
/// `problems` counts them all).
struct ParsedSeriesCsv {
  SeriesTable table;
  std::vector<Finding> findings;
  std::size_t problems = 0;
};

/// The longest series name: letters, digits, '_', '-' and '.', not starting with '.'.
inline constexpr std::size_t kMaxSeriesName = 64;
bool IsValidSeriesName(std::string_view name);

/// Parses and checks CSV text. Rules: file_format (empty, binary, no rows), columns (header,
/// field count), date_format, early_date, future_date, missing_value, not_a_number, series_name,
/// load_range (not above zero, or above the rules' maximum), duplicate_date, date_order,
/// missing_day (a gap inside a series), daily_jump. A UTF-8
/// byte-order mark, CRLF line ends, blanks around fields and double-quoted fields are accepted.
ParsedSeriesCsv ReadSeriesCsv(std::string_view text, std::string_view source,
                              const SeriesCsvRules& rules);

/// As ReadSeriesCsv; any problem throws DataError listing "source:line: problem" for each.
SeriesTable ParseSeriesCsv(std::string_view text, std::string_view source,
                           const SeriesCsvRules& rules);

/// The canonical text of series (names[i] with loads[i]), in name order then date order:
/// identical data gives identical bytes.
std::string FormatSeriesCsv(const std::vector<std::string>& names,
                            const std::vector<TimeSeries>& loads);

}  // namespace loadcast
