#include "storage/value_list.hpp"

#include <fmt/format.h>

#include <charconv>

#include "core/errors.hpp"

namespace loadcast {

std::string EncodeValueList(const std::vector<double>& values, int decimals) {
  std::string out;
  out.reserve(values.size() * 12);
  char buffer[64];
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, values[i],
                                         std::chars_format::fixed, decimals);
    // Only a value beyond 1e60 overflows the buffer; it is kept in scientific notation.
    if (ec == std::errc()) {
      out.append(buffer, end);
    } else {
      out += fmt::format("{}", values[i]);
    }
  }
  return out;
}

std::vector<double> DecodeValueList(std::string_view text) {
  std::vector<double> out;
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  while (p < end) {
    double v = 0.0;
    const auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || (next < end && *next != ',')) {
      throw StorageError(fmt::format("stored value list is malformed at byte {}", p - text.data()));
    }
    out.push_back(v);
    p = next < end ? next + 1 : next;
  }
  return out;
}

}  // namespace loadcast
