// A frame: consecutive days annotated with their calendar facts and the load where known. The
// enricher builds frames; forecasters read them.
#pragma once

#include <vector>

#include "core/calendar.hpp"
#include "core/time_series.hpp"

namespace loadcast {

struct Frame {
  std::vector<CalendarDay> days;
  std::vector<double> load;  // NaN where the actual is unknown

  std::size_t size() const { return days.size(); }
  bool empty() const { return days.empty(); }
};

/// The days in [from, to) with their calendar annotations and the load from `series`.
Frame BuildFrame(const TimeSeries& series, Date from, Date to);

}  // namespace loadcast
