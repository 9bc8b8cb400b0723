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
    "COALESCE(acknowledged_at, '')",
    "iitttttittttrrtit"};

/// An alerts row, selected as kAlertColumns lists them.
AlertRecord ReadAlert(const Cursor& c) {
  const sql::RowOf row{"alerts", "id", c.Int(0)};
  return AlertRecord(
      c.Int(0), c.OptionalInt(1), c.Text(2), c.Enum<AlertSeverity>(3, "severity", row),
      c.Enum<AlertSource>(4, "source", row), c.Text(5), c.Text(6), c.OptionalInt32(7),
      c.OptionalEnum<Horizon>(8, "horizon", row), c.OptionalDay(9, "period_start", row),
      c.OptionalDay(10, "period_end", row), c.Text(11), c.OptionalReal(12), c.OptionalReal(13),
      c.Text(14), c.Int(15) != 0, c.Text(16));
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
  return db_.Write([&]() -> std::optional<int64_t> {
    // Only a fingerprint conflict is ignored: a bad severity or run id still fails.
    Cursor id(db_.session(),
              "INSERT INTO alerts (run_id, created_at, severity, source, code, message, "
              "target_year, horizon, period_start, period_end, subject, value, threshold, "
              "fingerprint) VALUES (:run, :at, :severity, :source, :code, :message, :year, "
              ":horizon, :period_start, :period_end, :subject, :value, :threshold, :fingerprint) "
              "ON CONFLICT (fingerprint) DO NOTHING RETURNING id",
              V(a.run_id, a.created_at.empty() ? UtcNow() : a.created_at, a.severity, a.source,
                a.code, a.message, a.target_year, sql::OrEmpty(a.horizon),
                sql::OrEmpty(a.period_start), sql::OrEmpty(a.period_end), a.subject, a.value,
                a.threshold, a.fingerprint.empty() ? AlertFingerprint(a) : a.fingerprint),
              "i");
    if (!id.Next()) return std::nullopt;
    return id.Int(0);
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
    auto alert = sql::FirstRow(
        db_, fmt::format("SELECT {} FROM alerts WHERE id = :id", kAlertColumns.names), V(id),
        kAlertColumns.types, ReadAlert);
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
