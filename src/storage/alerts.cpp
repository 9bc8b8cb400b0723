#include "storage/alerts.hpp"

#include <nlohmann/json.hpp>

#include "core/hash.hpp"

namespace loadcast {
namespace {

/// A version tag hashed with the fields: a change of what is hashed must not collide with the
/// fingerprints already stored.
constexpr std::string_view kFingerprintVersion = "alert-v1";

/// A date as it is stored: its ISO text, or "" for none.
std::string IsoOrEmpty(const std::optional<Date>& date) { return date ? date->ToIso() : ""; }

}  // namespace

std::string AlertFingerprint(const AlertRecord& a) {
  // A JSON array is an unambiguous encoding: no choice of separator can make two different
  // field lists hash the same text.
  const nlohmann::json fields = nlohmann::json::array(
      {kFingerprintVersion, NameOf(a.source), a.code,
       a.target_year ? nlohmann::json(*a.target_year) : nlohmann::json(nullptr),
       a.horizon ? NameOf(*a.horizon) : "", IsoOrEmpty(a.period_start),
       a.episode == AlertEpisode::kNone ? IsoOrEmpty(a.period_end) : "episode", a.subject});
  return Sha256Hex(fields.dump());
}

bool IsNotifiable(AlertSeverity severity) { return severity != AlertSeverity::kInfo; }

}  // namespace loadcast
