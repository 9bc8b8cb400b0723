// The closed vocabularies of loadcast's records: horizons, run statuses, alert severities and
// sources, check and window statuses, series statuses, and the actions and outcomes of model
// decisions. Each is an enum with its names listed once, here; the names are what the database
// stores and what JSON and tables print, so text becomes an enum at the storage and CLI boundaries
// only.
#pragma once

#include <fmt/format.h>

#include <array>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>

namespace loadcast {

/// An enum's vocabulary: what its values are called in messages ("run status") and their names,
/// in the order of its enumerators. Each enum below has its own VocabularyOf, found by
/// argument-dependent lookup: the only place its names are spelled.
struct Names {
  constexpr Names(std::string_view what_, std::initializer_list<std::string_view> names)
      : what(what_), size(names.size()) {
    std::size_t i = 0;
    for (const auto name : names) list[i++] = name;
  }
  std::string_view what;
  std::size_t size = 0;
  std::array<std::string_view, 5> list{};
};

/// The day-by-day forecast (day) or the year-ahead forecast (year).
enum class Horizon { kYear, kDay };
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
/// Whether an alert stands for an episode of monitored windows, and whether that is still on.
enum class AlertEpisode { kNone, kOpen, kClosed };
/// How one series of a many-series run went: forecast stored, stored with a warning, or none.
enum class SeriesStatus { kOk, kWarning, kFailed };
/// What made a decision about a horizon's champion.
enum class DecisionAction { kGate, kManual, kRollback };
/// What a decision did to the champion.
enum class DecisionOutcome { kPromoted, kRejected, kRolledBack };

// The vocabularies: what each enum's values are called in messages, and their names in the order
// of its enumerators. One line each, as a table.
// clang-format off
constexpr Names VocabularyOf(Horizon) { return {"horizon", {"year", "day"}}; }
constexpr Names VocabularyOf(RunStatus) { return {"run status", {"running", "succeeded", "failed", "rejected"}}; }
constexpr Names VocabularyOf(AlertSeverity) { return {"severity", {"info", "warning", "critical"}}; }
constexpr Names VocabularyOf(AlertSource) { return {"alert source", {"validation", "drift", "performance", "prediction", "pipeline"}}; }
constexpr Names VocabularyOf(CheckStatus) { return {"check status", {"pass", "warn", "fail"}}; }
constexpr Names VocabularyOf(WindowStatus) { return {"window status", {"pass", "warning", "critical"}}; }
constexpr Names VocabularyOf(AlertEpisode) { return {"alert episode", {"none", "open", "closed"}}; }
constexpr Names VocabularyOf(SeriesStatus) { return {"series status", {"ok", "warning", "failed"}}; }
constexpr Names VocabularyOf(DecisionAction) { return {"decision action", {"gate", "manual", "rollback"}}; }
constexpr Names VocabularyOf(DecisionOutcome) { return {"decision outcome", {"promoted", "rejected", "rolled_back"}}; }
// clang-format on

/// An enum with a vocabulary.
template <typename E>
concept Named = std::is_enum_v<E> && requires(E value) {
  VocabularyOf(value);
};

/// The vocabulary of E, with static storage so that spans of its names stay valid.
template <Named E>
inline constexpr Names kVocabulary = VocabularyOf(E{});

/// The names of E's values, in the order of its enumerators.
template <Named E>
constexpr std::span<const std::string_view> VocabularyNames() {
  return {kVocabulary<E>.list.data(), kVocabulary<E>.size};
}

/// The name of a value ("succeeded", "critical").
template <Named E>
constexpr std::string_view NameOf(E value) {
  return kVocabulary<E>.list[static_cast<std::size_t>(value)];
}

/// The value a name stands for; nothing when the name is not in the vocabulary.
template <Named E>
constexpr std::optional<E> FromName(std::string_view name) {
  const auto names = VocabularyNames<E>();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

/// "running, succeeded, failed, rejected": the valid names, for messages.
template <Named E>
std::string NamesOf() {
  std::string out;
  for (const auto name : VocabularyNames<E>()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

/// The value a name stands for, or UsageError ("unknown severity 'x' (valid: info, warning,
/// critical)") for text a person typed.
template <Named E>
E ParseName(std::string_view name);

/// Thrown by ParseName; defined in vocabulary.cpp so this header needs no error types.
[[noreturn]] void ThrowUnknownName(std::string_view what, std::string_view name,
                                   const std::string& valid);

template <Named E>
E ParseName(std::string_view name) {
  if (const auto value = FromName<E>(name)) return *value;
  ThrowUnknownName(kVocabulary<E>.what, name, NamesOf<E>());
}

/// The most severe of two.
constexpr AlertSeverity MaxSeverity(AlertSeverity a, AlertSeverity b) { return a < b ? b : a; }

}  // namespace loadcast

/// Formats a value of a vocabulary as its name, so that messages and logs print what the
/// database stores.
template <loadcast::Named E>
struct fmt::formatter<E> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(E value, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format(loadcast::NameOf(value), ctx);
  }
};
