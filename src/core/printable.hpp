// Text shown on a terminal or written to a log line: control bytes written as escapes, so that a
// file name or a URL cannot forge lines or colours where loadcast reports it.
#pragma once

#include <string>
#include <string_view>

namespace loadcast {

/// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code points beyond
/// U+10FFFF).
bool IsValidUtf8(std::string_view text);

/// `text` with every control character escaped: newline, carriage return and tab as \n, \r and
/// \t, the other C0 controls, DEL, the C1 controls (U+0080..U+009F) and bytes that are not
/// UTF-8 as \xNN. Other UTF-8 text, backslashes included, is kept as it is.
std::string EscapeControlBytes(std::string_view text);

}  // namespace loadcast
