// The closed vocabularies of loadcast's records: run statuses, alert severities and sources, check
// and window statuses, series statuses, and the actions and outcomes of model decisions. Each is an
// enum with its names listed once, here; the names are what the database stores and what JSON and
// tables print, so text becomes an enum at the storage and CLI boundaries only.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace loadcast {

/// How a recorded run ended (running while it goes on).
enum class RunStatus { kRunning, kSucceeded, kFailed, kRejected };
/// How urgent an alert is.
enum class AlertSeverity { kInfo, kWarning, kCritical };
/// Which kind of check raised an alert.
enum class AlertSource { kValidation, kDrift, kPerformance, kPrediction, kPipeline };
/// The verdict of one prediction check.
enum class CheckStatus { kPass, kWarn, kFail };
/// The verdict of one monitored window.
enum class WindowStatus { kPass, kWarning, kCritical };
/// How one series of a many-series run went: forecast stored, stored with a warning, or none.
enum class SeriesStatus { kOk, kWarning, kFailed };
/// What made a decision about a horizon's champion.
enum class DecisionAction { kGate, kManual, kRollback };
/// What a decision did to the champion.
enum class DecisionOutcome { kPromoted, kRejected, kRolledBack };

/// The names of an enum's values, in the order of its enumerators: one specialisation per
/// vocabulary, the only place its names are spelled.
template <typename E>
struct Vocabulary;

template <>
struct Vocabulary<RunStatus> {
  static constexpr std::string_view kWhat = "run status";
  static constexpr std::array<std::string_view, 4> kNames = {"running", "succeeded", "failed",
                                                             "rejected"};
};
template <>
struct Vocabulary<AlertSeverity> {
  static constexpr std::string_view kWhat = "severity";
  static constexpr std::array<std::string_view, 3> kNames = {"info", "warning", "critical"};
};
template <>
struct Vocabulary<AlertSource> {
  static constexpr std::string_view kWhat = "alert source";
  static constexpr std::array<std::string_view, 5> kNames = {"validation", "drift", "performance",
                                                             "prediction", "pipeline"};
};
template <>
struct Vocabulary<CheckStatus> {
  static constexpr std::string_view kWhat = "check status";
  static constexpr std::array<std::string_view, 3> kNames = {"pass", "warn", "fail"};
};
template <>
struct Vocabulary<WindowStatus> {
  static constexpr std::string_view kWhat = "window status";
  static constexpr std::array<std::string_view, 3> kNames = {"pass", "warning", "critical"};
};
template <>
struct Vocabulary<SeriesStatus> {
  static constexpr std::string_view kWhat = "series status";
  static constexpr std::array<std::string_view, 3> kNames = {"ok", "warning", "failed"};
};
template <>
struct Vocabulary<DecisionAction> {
  static constexpr std::string_view kWhat = "decision action";
  static constexpr std::array<std::string_view, 3> kNames = {"gate", "manual", "rollback"};
};
template <>
struct Vocabulary<DecisionOutcome> {
  static constexpr std::string_view kWhat = "decision outcome";
  static constexpr std::array<std::string_view, 3> kNames = {"promoted", "rejected",
                                                             "rolled_back"};
};

/// The name of a value ("succeeded", "critical").
template <typename E>
constexpr std::string_view NameOf(E value) {
  return Vocabulary<E>::kNames[static_cast<std::size_t>(value)];
}

/// The value a name stands for; nothing when the name is not in the vocabulary.
template <typename E>
constexpr std::optional<E> FromName(std::string_view name) {
  const auto& names = Vocabulary<E>::kNames;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

/// "running, succeeded, failed, rejected": the valid names, for messages.
template <typename E>
std::string NamesOf() {
  std::string out;
  for (const auto name : Vocabulary<E>::kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

/// The value a name stands for, or UsageError ("unknown severity 'x' (valid: info, warning,
/// critical)") for text a person typed.
template <typename E>
E ParseName(std::string_view name);

/// Thrown by ParseName; defined in vocabulary.cpp so this header needs no error types.
[[noreturn]] void ThrowUnknownName(std::string_view what, std::string_view name,
                                   const std::string& valid);

template <typename E>
E ParseName(std::string_view name) {
  if (const auto value = FromName<E>(name)) return *value;
  ThrowUnknownName(Vocabulary<E>::kWhat, name, NamesOf<E>());
}

/// The most severe of two.
constexpr AlertSeverity MaxSeverity(AlertSeverity a, AlertSeverity b) { return a < b ? b : a; }

}  // namespace loadcast
