#include "pipeline/enricher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace loadcast {

EnrichedData Enrich(const ExtractedData& extracted, Horizon horizon) {
  EnrichedData out;
  out.target_year = extracted.target_year;
  out.horizon = horizon;
  const Date year_start = Date::FromYmd(extracted.target_year, 1, 1);
  const Date year_end = Date::FromYmd(extracted.target_year + 1, 1, 1);
  out.history = extracted.actuals;
  // Years extracted before the training window serve interval calibration only: the model must
  // train on exactly its configured window.
  Date window_start = extracted.actuals.start();
  if (extracted.first_year > window_start.year()) {
    window_start = Date::FromYmd(extracted.first_year, 1, 1);
  }
  const TimeSeries actuals = extracted.actuals.slice(window_start, extracted.actuals.end());
  out.trained_from = actuals.start();
  out.trained_to = year_start - 1;
  out.training = BuildFrame(actuals, actuals.start(), year_start);

  Date last_target = year_end;
  if (horizon == Horizon::kDay) {
    // A day-ahead forecast exists only for days whose previous day is known.
    const auto last = actuals.last_known();
    last_target = std::min(year_end, *last + 2);
    out.known = actuals;
  } else {
    out.known = actuals.slice(actuals.start(), year_start);
  }
  out.targets = BuildFrame(actuals, year_start, last_target);

  const auto holidays =
      std::count_if(out.targets.days.begin(), out.targets.days.end(),
                    [](const CalendarDay& d) { return d.holiday != Holiday::kNone; });
  spdlog::debug("enriched {} training days ({} to {}), {} target days with {} holidays",
                out.training.size(), out.trained_from.ToIso(), out.trained_to.ToIso(),
                out.targets.size(), holidays);
  return out;
}

}  // namespace loadcast
