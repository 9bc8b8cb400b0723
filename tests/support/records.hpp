// Builders of the database's records (src/storage/records.hpp) with plausible defaults, so that a
// test spells out only the fields it is about.
#pragma once

#include <cassert>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "core/date.hpp"
#include "core/vocabulary.hpp"
#include "storage/alerts.hpp"
#include "storage/records.hpp"

namespace loadcast {

/// A value of a vocabulary equals the name the database stores for it, so that a test can say
/// EXPECT_EQ(run.status, "succeeded").
template <Named E>
bool operator==(E value, std::string_view name) {
  return NameOf(value) == name;
}

/// Streams a value of a vocabulary as its name, for GoogleTest's messages and values.
template <Named E>
std::ostream& operator<<(std::ostream& os, E value) {
  return os << NameOf(value);
}

/// A date equals its ISO text, so that a test can say EXPECT_EQ(row.date, "2021-01-01").
inline bool operator==(Date date, std::string_view iso) { return date.ToIso() == iso; }

/// Streams a date as its ISO text, for GoogleTest's messages and values.
inline std::ostream& operator<<(std::ostream& os, Date date) { return os << date.ToIso(); }

}  // namespace loadcast

namespace loadcast::testing {

/// The date of an ISO text the test spells out ("2021-01-01"); asserts it is one.
inline Date Day(std::string_view iso) {
  const std::optional<Date> date = Date::ParseIso(iso);
  assert(date && "a test date is YYYY-MM-DD");
  return *date;
}

/// A run of `command`, about `target_year` and `horizon` when given, with a small config.
inline RunRecord MakeRun(std::string command, std::optional<int> target_year = std::nullopt,
                         std::optional<Horizon> horizon = std::nullopt) {
  RunRecord run;
  run.command = std::move(command);
  run.target_year = target_year;
  run.horizon = horizon;
  run.config = "storage:\n  url: var/bucket\n";
  return run;
}

/// A calendar-regression model registered by `run_id`, trained from 2015 up to the year before
/// `target_year`, its artifact under models/<horizon>/<version>/.
inline ModelRecord MakeModel(int64_t run_id, Horizon horizon, int target_year,
                             std::string version) {
  ModelRecord m;
  m.run_id = run_id;
  m.version = std::move(version);
  m.kind = "calendar_regression";
  m.horizon = horizon;
  m.target_year = target_year;
  m.trained_from = Date::FromYmd(2015, 1, 1);
  m.trained_to = Date::FromYmd(target_year - 1, 12, 31);
  m.artifact = "models/" + std::string(NameOf(horizon)) + "/" + m.version + "/model.json";
  return m;
}

/// An alert of the pipeline with `severity` and `code`, about `subject` when given.
inline AlertRecord MakeAlert(std::optional<int64_t> run_id, AlertSeverity severity,
                             std::string code, std::string subject = "") {
  AlertRecord a;
  a.run_id = run_id;
  a.severity = severity;
  a.source = AlertSource::kPipeline;
  a.code = std::move(code);
  a.message = "something happened";
  a.subject = std::move(subject);
  return a;
}

/// A critical alert of a rejected ingest as stored (id 42 of run 7, a fixed time, its
/// fingerprint), for the tests of how an alert is printed and sent.
inline AlertRecord SampleAlert() {
  AlertRecord a = MakeAlert(7, AlertSeverity::kCritical, "data_rejected",
                            "ingest step ingest; files bad.csv sha256:0123456789abcdef");
  a.id = 42;
  a.created_at = "2021-03-01T12:00:00.000Z";
  a.message = "bad.csv:3: duplicate date 2021-05-01";
  a.fingerprint = AlertFingerprint(a);
  return a;
}

}  // namespace loadcast::testing
