#include "storage/object_key.hpp"

#include <fmt/format.h>

#include <string>

#include "core/errors.hpp"

namespace loadcast {
namespace {

/// The key as it can be shown: shortened, control and non-ASCII bytes escaped.
std::string Printable(std::string_view key) {
  constexpr std::size_t kShown = 80;
  std::string out;
  for (std::size_t i = 0; i < key.size() && i < kShown; ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    out += c < 0x20 || c == 0x7f ? fmt::format("\\x{:02x}", c) : std::string(1, key[i]);
  }
  if (key.size() > kShown) out += "...";
  return out;
}

std::string_view Problem(std::string_view key) {
  if (key.empty()) return "it is empty";
  if (key.size() > kMaxObjectKeyBytes) return "it is longer than 1024 bytes";
  if (key.front() == '/') return "it is absolute";
  for (const char c : key) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return "it holds a control byte";
    if (c == '\\') return "it holds a backslash";
  }
  std::size_t start = 0;
  for (;;) {
    const std::size_t slash = key.find('/', start);
    const std::string_view segment = key.substr(start, slash - start);
    if (segment.empty()) return "it has an empty path segment";
    if (segment == "." || segment == "..") return "it has a '.' or '..' path segment";
    if (slash == std::string_view::npos) return "";
    start = slash + 1;
  }
}

}  // namespace

void CheckObjectKey(std::string_view key) {
  const std::string_view problem = Problem(key);
  if (!problem.empty()) {
    throw StorageError(fmt::format("invalid object key '{}': {}", Printable(key), problem));
  }
}

}  // namespace loadcast
