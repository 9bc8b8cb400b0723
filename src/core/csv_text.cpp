#include "core/csv_text.hpp"

#include <fmt/format.h>

#include <cctype>

namespace loadcast {

std::string QuoteValue(std::string_view value) {
  std::string out = "'";
  for (std::size_t i = 0; i < value.size() && i < kMaxQuotedValue; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c < 0x20 || c >= 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  if (value.size() > kMaxQuotedValue) out += "...";
  return out + "'";
}

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace loadcast
