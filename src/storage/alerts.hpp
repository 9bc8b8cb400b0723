// Alerts as records: the severities and sources there are, the fingerprint that makes the same
// finding on the same data one alert. Its JSON form is in storage/record_json.hpp.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "storage/records.hpp"

namespace loadcast {

/// The severities, least severe first.
inline constexpr std::array<std::string_view, 3> kAlertSeverities = {"info", "warning", "critical"};

/// What raises alerts: the checks of input data (validation), of the load against its history
/// (drift), of the forecast error (performance), of a forecast before it is published
/// (prediction), and the runs themselves when they fail (pipeline).
inline constexpr std::array<std::string_view, 5> kAlertSources = {
    "validation", "drift", "performance", "prediction", "pipeline"};

/// SHA-256 (hex) of what an alert is about: source, code, target year, horizon, period and
/// subject. Not of when, by which run, with which message or figure it was raised, so that the
/// same check on the same data gives the same fingerprint.
std::string AlertFingerprint(const AlertRecord& alert);

/// Whether alerts of this severity are pushed to the webhook: warning and critical.
bool IsNotifiable(std::string_view severity);

}  // namespace loadcast
