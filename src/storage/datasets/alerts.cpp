#include "storage/datasets/alerts.hpp"

#include <fmt/format.h>

#include "storage/alerts.hpp"
#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Cursor;
using sql::V;
using sql::Values;

constexpr sql::Columns kAlertColumns = {
    "id, run_id, created_at, severity, source, code, message, target_year, horizon, "
    "period_start, period_end, subject, value, threshold, fingerprint, acknowledged, "
    "COALESCE(acknowledged_at, ''), statistic, episode, closed_on, COALESCE(updated_at, '')",
    "iitttttittttrrtittttt"};

/// An alerts row, selected as kAlertColumns lists them.
AlertRecord ReadAlert(const Cursor& c) {
  const sql::RowOf row{"alerts", "id", c.Int(0)};
  return AlertRecord(
      c.Int(0), c.OptionalInt(1), c.Text(2), c.Enum<AlertSeverity>(3, "severity", row),
      c.Enum<AlertSource>(4, "source", row), c.Text(5), c.Text(6), c.OptionalInt32(7),
      c.OptionalEnum<Horizon>(8, "horizon", row), c.OptionalDay(9, "period_start", row),
      c.OptionalDay(10, "period_end", row), c.Text(11), c.OptionalReal(12), c.OptionalReal(13),
      c.Text(14), c.Int(15) != 0, c.Text(16), c.Text(17), c.Enum<AlertEpisode>(18, "episode", row),
      c.OptionalDay(19, "closed_on", row), c.Text(20));
}

/// " AND column IN (:column0, :column1)", one placeholder per value, each value added to
/// `values`; empty when there are no values.
template <typename E>
std::string InClause(const char* column, const std::vector<E>& list, Values& values) {
  if (list.empty()) return "";
  std::string out = fmt::format(" AND {} IN (", column);
  for (std::size_t i = 0; i < list.size(); ++i) {
    out += fmt::format("{}:{}{}", i ? ", " : "", column, i);
    values.Add(list[i]);
  }
  return out + ")";
}

}  // namespace

std::optional<int64_t> AlertsDataset::Add(const AlertRecord& a) {
  return db_.Write([&] { return Insert(a); });
}

std::optional<int64_t> AlertsDataset::Insert(const AlertRecord& a) {
  // Only a fingerprint conflict is ignored: a bad severity or run id still fails.
  Cursor id(db_.session(),
            "INSERT INTO alerts (run_id, created_at, severity, source, code, message, "
            "target_year, horizon, period_start, period_end, subject, value, threshold, "
            "fingerprint, statistic, episode, closed_on, updated_at) VALUES (:run, :at, "
            ":severity, :source, :code, :message, :year, :horizon, :period_start, :period_end, "
            ":subject, :value, :threshold, :fingerprint, :statistic, :episode, :closed_on, "
            ":updated_at) ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
            V(a.run_id, a.created_at.empty() ? UtcNow() : a.created_at, a.severity, a.source,
              a.code, a.message, a.target_year, sql::OrEmpty(a.horizon),
              sql::OrEmpty(a.period_start), sql::OrEmpty(a.period_end), a.subject, a.value,
              a.threshold, a.fingerprint.empty() ? AlertFingerprint(a) : a.fingerprint, a.statistic,
              a.episode, sql::OrEmpty(a.closed_on),
              a.updated_at.empty() ? std::optional<std::string>() : a.updated_at),
            "i");
  if (!id.Next()) return std::nullopt;
  return id.Int(0);
}

EpisodeWrite AlertsDataset::Track(const AlertRecord& a) {
  if (a.episode == AlertEpisode::kNone) {
    throw std::logic_error("AlertsDataset::Track: the alert " + a.code + " is no episode");
  }
  const std::string fingerprint = a.fingerprint.empty() ? AlertFingerprint(a) : a.fingerprint;
  return db_.Write([&] {
    EpisodeWrite write;
    const auto stored = sql::FirstRow(
        db_, fmt::format("SELECT {} FROM alerts WHERE fingerprint = :f", kAlertColumns.names),
        V(fingerprint), kAlertColumns.types, ReadAlert);
    if (!stored) {
      AlertRecord added = a;
      added.fingerprint = fingerprint;
      write.id = Insert(added).value_or(0);
      write.opened = true;
      return write;
    }
    write.id = stored->id;
    // An earlier view of the episode (an earlier as-of date) does not undo a later one.
    if (a.period_end < stored->period_end) return write;
    const bool same = a.severity == stored->severity && a.period_end == stored->period_end &&
                      a.episode == stored->episode && a.closed_on == stored->closed_on &&
                      a.value == stored->value && a.message == stored->message;
    if (same) return write;
    write.updated = true;
    write.escalated = a.severity > stored->severity;
    // An escalation is news: it is to be acknowledged again.
    db_.Exec(
        "UPDATE alerts SET run_id = :run, severity = :severity, message = :message, "
        "period_end = :period_end, value = :value, threshold = :threshold, "
        "statistic = :statistic, episode = :episode, closed_on = :closed_on, "
        "updated_at = :now, acknowledged = CASE WHEN :escalated = 1 THEN 0 ELSE acknowledged "
        "END, acknowledged_at = CASE WHEN :escalated2 = 1 THEN NULL ELSE acknowledged_at END "
        "WHERE id = :id",
        V(a.run_id, a.severity, a.message, sql::OrEmpty(a.period_end), a.value, a.threshold,
          a.statistic, a.episode, sql::OrEmpty(a.closed_on), UtcNow(), write.escalated ? 1 : 0,
          write.escalated ? 1 : 0, stored->id));
    return write;
  });
}

std::vector<AlertRecord> AlertsDataset::List(int limit) const {
  AlertFilter filter;
  filter.limit = limit;
  return List(filter);
}

std::vector<AlertRecord> AlertsDataset::List(const AlertFilter& filter) const {
  return db_.Read([&] {
    Values values;
    std::string sql = fmt::format("SELECT {} FROM alerts WHERE 1 = 1", kAlertColumns.names);
    sql += InClause("severity", filter.severities, values);
    sql += InClause("source", filter.sources, values);
    if (!filter.since.empty()) {
      sql += " AND created_at >= :since";
      values.Add(filter.since);
    }
    // A date bounds the whole day: every time on it sorts before the date followed by "~".
    if (!filter.until.empty()) {
      sql += " AND created_at <= :until";
      values.Add(filter.until.size() == 10 ? filter.until + "~" : filter.until);
    }
    if (filter.acknowledged) {
      sql += " AND acknowledged = :acknowledged";
      values.Add(*filter.acknowledged ? 1 : 0);
    }
    if (filter.target_year) {
      sql += " AND target_year = :year";
      values.Add(*filter.target_year);
    }
    if (filter.run_id) {
      sql += " AND run_id = :run";
      values.Add(*filter.run_id);
    }
    // An alert without a period covers none: it is left out by a period filter.
    if (filter.covering_from) {
      sql += " AND period_end <> '' AND period_end >= :covering_from";
      values.Add(filter.covering_from->ToIso());
    }
    if (filter.covering_to) {
      sql += " AND period_start <> '' AND period_start <= :covering_to";
      values.Add(filter.covering_to->ToIso());
    }
    if (filter.episode) {
      sql += " AND episode = :episode";
      values.Add(*filter.episode);
    }
    sql += " ORDER BY id DESC LIMIT :limit";
    values.Add(filter.limit);
    return sql::Rows(db_, sql, std::move(values), kAlertColumns.types, ReadAlert);
  });
}

std::optional<AlertAcknowledgement> AlertsDataset::Acknowledge(int64_t id) {
  return db_.Write([&]() -> std::optional<AlertAcknowledgement> {
    const bool changed = db_.Exec(
                             "UPDATE alerts SET acknowledged = 1, acknowledged_at = :now "
                             "WHERE id = :id AND acknowledged = 0",
                             V(UtcNow(), id)) > 0;
    auto alert =
        sql::FirstRow(db_, fmt::format("SELECT {} FROM alerts WHERE id = :id", kAlertColumns.names),
                      V(id), kAlertColumns.types, ReadAlert);
    if (!alert) return std::nullopt;
    return AlertAcknowledgement{std::move(*alert), !changed};
  });
}

int AlertsDataset::Count(int64_t run_id) const {
  return db_.Read([&] {
    Cursor c(db_.session(), "SELECT COUNT(*) FROM alerts WHERE run_id = :run", V(run_id), "i");
    c.Next();
    return static_cast<int>(c.Int(0));
  });
}

}  // namespace loadcast
