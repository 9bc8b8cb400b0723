// Alerts as records (their severities and sources are in core/vocabulary.hpp): the fingerprint that
// makes the same finding on the same data one alert. Its JSON form is in storage/record_json.hpp.
#pragma once

#include <string>

#include "storage/records.hpp"

namespace loadcast {

/// SHA-256 (hex) of what an alert is about: source, code, target year, horizon, period and
/// subject. Not of when, by which run, with which message or figure it was raised, so that the
/// same check on the same data gives the same fingerprint. An episode's period is its start
/// only: the same episode, seen later, has the same fingerprint.
std::string AlertFingerprint(const AlertRecord& alert);

/// Whether alerts of this severity are pushed to the webhook: warning and critical.
bool IsNotifiable(AlertSeverity severity);

}  // namespace loadcast
