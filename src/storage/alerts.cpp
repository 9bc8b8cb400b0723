#include "storage/alerts.hpp"

#include <cmath>

#include "core/hash.hpp"

namespace loadcast {
namespace {

/// A version tag hashed with the fields: a change of what is hashed must not collide with the
/// fingerprints already stored.
constexpr std::string_view kFingerprintVersion = "alert-v1";

nlohmann::json Nullable(const std::optional<double>& v) {
  return v && std::isfinite(*v) ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

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

nlohmann::json AlertToJson(const AlertRecord& a) {
  auto text_or_null = [](const std::string& s) {
    return s.empty() ? nlohmann::json(nullptr) : nlohmann::json(s);
  };
  return {{"id", a.id},
          {"run_id", a.run_id ? nlohmann::json(*a.run_id) : nullptr},
          {"created_at", a.created_at},
          {"severity", a.severity},
          {"source", a.source},
          {"code", a.code},
          {"message", a.message},
          {"target_year", a.target_year ? nlohmann::json(*a.target_year) : nullptr},
          {"horizon", text_or_null(a.horizon)},
          {"period_start", text_or_null(a.period_start)},
          {"period_end", text_or_null(a.period_end)},
          {"subject", text_or_null(a.subject)},
          {"value", Nullable(a.value)},
          {"threshold", Nullable(a.threshold)},
          {"fingerprint", a.fingerprint},
          {"acknowledged", a.acknowledged},
          {"acknowledged_at", text_or_null(a.acknowledged_at)}};
}

}  // namespace loadcast
