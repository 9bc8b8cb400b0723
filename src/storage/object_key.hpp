// What an object key may be: a relative '/'-separated name that stays inside the bucket (or the
// bucket's prefix) whichever backend stores it.
#pragma once

#include <string_view>

namespace loadcast {

/// Longest key accepted, in bytes (S3's own limit).
inline constexpr std::size_t kMaxObjectKeyBytes = 1024;

/// Throws StorageError naming the key (control bytes escaped) unless it is non-empty, at most
/// kMaxObjectKeyBytes long, relative (no leading '/'), free of control bytes and backslashes, and
/// made of segments that are neither empty nor "." nor "..": no key can name anything outside
/// the bucket's root, on a file system or behind an S3 endpoint that normalises paths.
void CheckObjectKey(std::string_view key);

}  // namespace loadcast
