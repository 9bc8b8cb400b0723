#include "controller/quarantine_store.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <ctime>

#include "controller/dataset_error.hpp"
#include "core/hash.hpp"

namespace loadcast {
namespace {

constexpr std::string_view kQuarantinePrefix = "quarantine/";
constexpr std::string_view kReasonSuffix = ".reason.json";

/// A file name safe as the last part of an object key: letters, digits, '.', '-', '_' kept, the
/// rest (and any "..") replaced by '_'.
std::string SafeName(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool keep =
        std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_';
    out += keep && !(c == '.' && !out.empty() && out.back() == '.') ? c : '_';
  }
  return out.empty() ? std::string("file") : out;
}

// A file name may have up to 255 bytes; the copy's name adds the time stamp and a counter
// before it (about 20 bytes), ".reason.json" after it, and while it is written the bucket's
// temporary-file name adds about 30 more. Names longer than this are shortened to fit.
constexpr std::size_t kMaxKeptNameBytes = 160;
// A shortened name keeps this many bytes of its start, then "-" and a hash of the whole name.
constexpr std::size_t kShortenedPrefixBytes = 120;
constexpr std::size_t kHashHexDigits = 12;
// An extension ("csv", "xlsx") is kept at the end when it is this short.
constexpr std::size_t kMaxExtensionBytes = 10;

/// The safe name within kMaxKeptNameBytes: a long one becomes its start, a hash of the original
/// name (so that two long names sharing a start stay apart) and its extension, like
/// "2021-very-long-...-a1b2c3d4e5f6.csv". Shorter names are kept as they are.
std::string ShortenedName(const std::string& safe, std::string_view original) {
  if (safe.size() <= kMaxKeptNameBytes) return safe;
  const std::size_t dot = safe.rfind('.');
  const std::string extension =
      dot != std::string::npos && safe.size() - dot <= kMaxExtensionBytes + 1 ? safe.substr(dot)
                                                                              : std::string();
  return fmt::format("{}-{}{}", safe.substr(0, kShortenedPrefixBytes),
                     Sha256Hex(original).substr(0, kHashHexDigits), extension);
}

/// The current UTC time as 20240501T103012Z: sorts as it happened.
std::string UtcStamp() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return text;
}

}  // namespace

std::string QuarantineStore::Keep(const std::string& name, std::string_view bytes,
                                  const std::string& reason) {
  return WithDataset("quarantine", [&] {
    const std::string stamp = UtcStamp();
    const std::string safe = ShortenedName(SafeName(name), name);
    // Two rejections of a same-named file within one second get distinct keys.
    std::string key = fmt::format("{}{}-{}", kQuarantinePrefix, stamp, safe);
    for (int n = 2; bucket_->Get(key) || bucket_->Get(key + std::string(kReasonSuffix)); ++n) {
      key = fmt::format("{}{}-{}-{}", kQuarantinePrefix, stamp, n, safe);
    }
    bucket_->Put(key + std::string(kReasonSuffix), reason);
    bucket_->Put(key, bytes);
    return key;
  });
}

std::vector<std::string> QuarantineStore::List() const {
  return WithDataset("quarantine", [&] {
    std::vector<std::string> keys;
    for (std::string& key : bucket_->List(std::string(kQuarantinePrefix))) {
      if (!key.ends_with(kReasonSuffix)) keys.push_back(std::move(key));
    }
    return keys;
  });
}

}  // namespace loadcast
