#include "core/frame.hpp"

namespace loadcast {

Frame BuildFrame(const TimeSeries& series, Date from, Date to) {
  Frame frame;
  if (!(from < to)) return frame;
  const auto n = static_cast<std::size_t>(to - from);
  frame.days.reserve(n);
  frame.load.reserve(n);
  for (Date d = from; d < to; ++d) {
    frame.days.push_back(DescribeDay(d));
    frame.load.push_back(series.at(d));
  }
  return frame;
}

}  // namespace loadcast
