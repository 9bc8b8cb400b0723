#include "storage/datasets/scores.hpp"

#include <fmt/format.h>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

constexpr sql::Columns kBacktestColumns = {
    "run_id, target_year, horizon, days, mape, mae, rmse, bias, skill, naive_mape, coverage, "
    "interval_width",
    "iitirrrrrrrr"};

/// The figures of a row from column `first` on: days, mape, mae, rmse, bias, skill, naive_mape.
ScoreFigures ReadFigures(const Cursor& c, int first) {
  return {static_cast<int>(c.Int(first)),
          c.Real(first + 1),
          c.Real(first + 2),
          c.Real(first + 3),
          c.Real(first + 4),
          c.Real(first + 5),
          c.Real(first + 6)};
}

/// A backtests row, selected as kBacktestColumns lists them.
BacktestRow ReadBacktest(const Cursor& c) {
  const sql::RowOf row{"backtests", "run_id", c.Int(0)};
  return {
      ReadFigures(c, 3), c.Int(0),  static_cast<int>(c.Int(1)), c.Enum<Horizon>(2, "horizon", row),
      c.Real(10),        c.Real(11)};
}

/// A metrics row from column `first` on: scope, period, then the figures.
MetricRow ReadMetric(const Cursor& c, int first) {
  return {ReadFigures(c, first + 2), c.Text(first), c.Text(first + 1)};
}

}  // namespace

void ScoresDataset::SaveMetrics(int64_t run_id, const std::vector<MetricRow>& metrics) {
  db_.Write([&] {
    Batch batch;
    for (const MetricRow& m : metrics) {
      batch.Row().Add(run_id).Add(m.scope).Add(m.period).Add(m.days).Add(m.mape).Add(m.mae);
      batch.Add(m.rmse).Add(m.bias).Add(m.skill).Add(m.naive_mape);
    }
    db_.Exec(
        "INSERT INTO metrics (run_id, scope, period, days, mape, mae, rmse, bias, skill, "
        "naive_mape) VALUES (:run, :scope, :period, :days, :mape, :mae, :rmse, :bias, :skill, "
        ":naive_mape)",
        batch);
  });
}

std::vector<EvaluationSummary> ScoresDataset::LatestEvaluations() const {
  return db_.Read([&] {
    return sql::Rows(
        db_,
        "SELECT r.id, r.target_year, r.horizon, COALESCE(r.finished_at, r.started_at), "
        "(SELECT COUNT(*) FROM alerts a WHERE a.run_id = r.id), m.scope, m.period, m.days, "
        "m.mape, m.mae, m.rmse, m.bias, m.skill, m.naive_mape "
        "FROM metrics m JOIN runs r ON r.id = m.run_id "
        "WHERE m.scope = 'year' AND r.status = :succeeded AND r.id = ("
        "  SELECT MAX(r2.id) FROM runs r2 JOIN metrics m2 ON m2.run_id = r2.id "
        "  WHERE r2.target_year = r.target_year AND r2.horizon = r.horizon "
        "  AND r2.status = :also_succeeded AND m2.scope = 'year') "
        "ORDER BY r.target_year, r.horizon DESC",
        V(RunStatus::kSucceeded, RunStatus::kSucceeded), "iittittirrrrrr", [](const Cursor& c) {
          const sql::RowOf row{"runs", "id", c.Int(0)};
          return EvaluationSummary{
              c.Int(0),  static_cast<int>(c.Int(1)), c.Enum<Horizon>(2, "horizon", row),
              c.Text(3), static_cast<int>(c.Int(4)), ReadMetric(c, 5)};
        });
  });
}

void ScoresDataset::SaveBacktest(int64_t run_id, const std::vector<BacktestRow>& rows) {
  db_.Write([&] {
    Batch batch;
    for (const BacktestRow& r : rows) {
      batch.Row().Add(run_id).Add(r.target_year).Add(r.horizon).Add(r.days).Add(r.mape);
      batch.Add(r.mae).Add(r.rmse).Add(r.bias).Add(r.skill).Add(r.naive_mape).Add(r.coverage);
      batch.Add(r.interval_width);
    }
    db_.Exec(fmt::format("INSERT INTO backtests ({}) VALUES (:run, :year, :horizon, :days, "
                         ":mape, :mae, :rmse, :bias, :skill, :naive_mape, :coverage, :width)",
                         kBacktestColumns.names),
             batch);
  });
}

std::vector<BacktestRow> ScoresDataset::ListBacktests(int64_t run_id) const {
  return db_.Read([&] {
    return sql::Rows(
        db_,
        fmt::format("SELECT {} FROM backtests WHERE run_id = :run ORDER BY target_year",
                    kBacktestColumns.names),
        V(run_id), kBacktestColumns.types, ReadBacktest);
  });
}

std::vector<BacktestRow> ScoresDataset::LatestBacktests(Horizon horizon) const {
  return db_.Read([&] {
    // Like LatestEvaluations, only succeeded runs count: a run that failed after writing its rows
    // must not replace the scores of the last good one.
    return sql::Rows(
        db_,
        fmt::format("SELECT {} FROM backtests b WHERE b.horizon = :horizon AND b.run_id = ("
                    "  SELECT MAX(b2.run_id) FROM backtests b2 JOIN runs r ON r.id = b2.run_id "
                    "  WHERE b2.horizon = b.horizon AND b2.target_year = b.target_year "
                    "  AND r.status = :succeeded) "
                    "ORDER BY b.target_year",
                    kBacktestColumns.names),
        V(horizon, RunStatus::kSucceeded), kBacktestColumns.types, ReadBacktest);
  });
}

void ScoresDataset::SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) {
  db_.Write([&] {
    Batch batch;
    for (const CheckRow& c : checks)
      batch.Row().Add(run_id).Add(c.check).Add(c.status).Add(c.detail);
    db_.Exec(
        "INSERT INTO checks (run_id, \"check\", status, detail) "
        "VALUES (:run, :check, :status, :detail)",
        batch);
  });
}

std::vector<CheckRow> ScoresDataset::ListChecks(int64_t run_id) const {
  return db_.Read([&] {
    return sql::Rows(db_,
                     fmt::format("SELECT \"check\", status, detail FROM checks WHERE run_id = :run "
                                 "ORDER BY {}",
                                 db_.dialect().write_order()),
                     V(run_id), "ttt", [&](const Cursor& c) {
                       const sql::RowOf row{"checks", "run_id", run_id, c.Text(0)};
                       return CheckRow{c.Text(0), c.Enum<CheckStatus>(1, "status", row), c.Text(2)};
                     });
  });
}

}  // namespace loadcast
