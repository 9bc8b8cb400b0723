#include "controller/quarantine_store.hpp"

#include <fmt/format.h>

#include <cctype>
#include <chrono>
#include <ctime>

#include "controller/dataset_error.hpp"

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
    const std::string safe = SafeName(name);
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
