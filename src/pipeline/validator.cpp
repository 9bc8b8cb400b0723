#include "pipeline/validator.hpp"

#include <fmt/format.h>

#include <cmath>
#include <string>

#include "core/problem_list.hpp"

namespace loadcast {

Validator::Validator(const Config& config, Date today)
    : min_load_(config.min_load),
      max_load_(config.max_load),
      max_daily_jump_(config.max_daily_jump),
      today_(today) {}

void Validator::ValidateTable(const LoadTable& table) const {
  ProblemList problems(table.source);
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const LoadRow& row = table.rows[i];
    if (row.date > today_) {
      problems.Add(row.line, fmt::format("date {} is in the future (today is {})", row.date.ToIso(),
                                         today_.ToIso()));
    }
    if (row.load <= 0.0) {
      problems.Add(row.line,
                   fmt::format("load {} on {} is not positive", row.load, row.date.ToIso()));
    } else if (row.load < min_load_ || row.load > max_load_) {
      problems.Add(row.line, fmt::format("load {} on {} is implausible (outside [{}, {}] MWh)",
                                         row.load, row.date.ToIso(), min_load_, max_load_));
    }
    if (i == 0) continue;
    const LoadRow& prev = table.rows[i - 1];
    if (row.date == prev.date) {
      problems.Add(row.line, fmt::format("duplicate date {} (first on line {})", row.date.ToIso(),
                                         prev.line));
    } else if (row.date < prev.date) {
      problems.Add(row.line, fmt::format("date {} is out of order (after {} on line {})",
                                         row.date.ToIso(), prev.date.ToIso(), prev.line));
    } else if (row.date - prev.date > 1) {
      problems.Add(row.line,
                   fmt::format("gap: {} follows {} on line {} ({} days missing)", row.date.ToIso(),
                               prev.date.ToIso(), prev.line, row.date - prev.date - 1));
    } else if (prev.load > 0.0 && row.load > 0.0 &&
               std::abs(row.load / prev.load - 1.0) > max_daily_jump_) {
      problems.Add(row.line,
                   fmt::format("load {} on {} changes by {:.0f}% from the day before (limit "
                               "{:.0f}%)",
                               row.load, row.date.ToIso(), 100.0 * (row.load / prev.load - 1.0),
                               100.0 * max_daily_jump_));
    }
  }
  problems.ThrowIfAny();
}

void Validator::ValidateSeries(const TimeSeries& series, std::string_view source) const {
  ProblemList problems(source);
  std::optional<Date> gap_start;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double v = series.values()[i];
    const Date d = series.date_at(i);
    if (std::isnan(v)) {
      if (!gap_start) gap_start = d;
      continue;
    }
    if (gap_start) {
      problems.Add(0,
                   fmt::format("gap: no data from {} to {}", gap_start->ToIso(), (d - 1).ToIso()));
      gap_start.reset();
    }
    if (!(v > 0.0) || v < min_load_ || v > max_load_) {
      problems.Add(0, fmt::format("load {} on {} is implausible (outside [{}, {}] MWh)", v,
                                  d.ToIso(), min_load_, max_load_));
    }
  }
  problems.ThrowIfAny();
}

}  // namespace loadcast
