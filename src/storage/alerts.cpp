#include "storage/alerts.hpp"

#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace loadcast {
namespace {

/// A version tag hashed with the fields: a change of what is hashed must not collide with the
/// fingerprints already stored.
constexpr std::string_view kFingerprintVersion = "alert-v1";

}  // namespace

std::string AlertFingerprint(const AlertRecord& a) {
  // A JSON array is an unambiguous encoding: no choice of separator can make two different
  // field lists hash the same text.
  const nlohmann::json fields = nlohmann::json::array(
      {kFingerprintVersion, a.source, a.code,
       a.target_year ? nlohmann::json(*a.target_year) : nlohmann::json(nullptr), a.horizon,
       a.period_start, a.period_end, a.subject});
  return Sha256Hex(fields.dump());
}

bool IsNotifiable(std::string_view severity) {
  return severity == "warning" || severity == "critical";
}

}  // namespace loadcast
