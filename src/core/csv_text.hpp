// Text helpers the CSV readers share: the case-insensitive comparison of header names, and values
// quoted safely into the messages that reject a file.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace loadcast {

/// A quoted value in a message is cut to this many bytes, followed by "...".
inline constexpr std::size_t kMaxQuotedValue = 40;

/// `value` in single quotes for a message: cut to kMaxQuotedValue bytes, and with control and
/// non-ASCII bytes written as \xNN so that a binary file cannot garble a terminal.
std::string QuoteValue(std::string_view value);

/// `text` with its ASCII letters in lower case.
std::string ToLower(std::string_view text);

}  // namespace loadcast
