#include "storage/datasets/scores.hpp"

#include <fmt/format.h>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

constexpr const char* kBacktestColumns =
    "run_id, target_year, horizon, days, mape, mae, rmse, bias, skill, naive_mape, coverage, "
    "interval_width";
constexpr const char* kBacktestTypes = "iitirrrrrrrr";

/// A backtests row, selected as kBacktestColumns lists them.
BacktestRow ReadBacktest(const Cursor& c) {
  BacktestRow r;
  r.run_id = c.Int(0);
  r.target_year = static_cast<int>(c.Int(1));
  r.horizon = c.Text(2);
  r.days = static_cast<int>(c.Int(3));
  r.mape = c.Real(4);
  r.mae = c.Real(5);
  r.rmse = c.Real(6);
  r.bias = c.Real(7);
  r.skill = c.Real(8);
  r.naive_mape = c.Real(9);
  r.coverage = c.Real(10);
  r.interval_width = c.Real(11);
  return r;
}

std::vector<BacktestRow> ReadBacktests(Cursor& c) {
  std::vector<BacktestRow> out;
  while (c.Next()) out.push_back(ReadBacktest(c));
  return out;
}

/// A metrics row from column `first` on: scope, period, days, mape ... naive_mape.
MetricRow ReadMetric(const Cursor& c, int first) {
  return {c.Text(first),     c.Text(first + 1), static_cast<int>(c.Int(first + 2)),
          c.Real(first + 3), c.Real(first + 4), c.Real(first + 5),
          c.Real(first + 6), c.Real(first + 7), c.Real(first + 8)};
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
    Cursor c(db_.session(),
             "SELECT r.id, r.target_year, r.horizon, COALESCE(r.finished_at, r.started_at), "
             "(SELECT COUNT(*) FROM alerts a WHERE a.run_id = r.id), m.scope, m.period, m.days, "
             "m.mape, m.mae, m.rmse, m.bias, m.skill, m.naive_mape "
             "FROM metrics m JOIN runs r ON r.id = m.run_id "
             "WHERE m.scope = 'year' AND r.status = 'succeeded' AND r.id = ("
             "  SELECT MAX(r2.id) FROM runs r2 JOIN metrics m2 ON m2.run_id = r2.id "
             "  WHERE r2.target_year = r.target_year AND r2.horizon = r.horizon "
             "  AND r2.status = 'succeeded' AND m2.scope = 'year') "
             "ORDER BY r.target_year, r.horizon DESC",
             {}, "iittittirrrrrr");
    std::vector<EvaluationSummary> out;
    while (c.Next()) {
      out.push_back({c.Int(0), static_cast<int>(c.Int(1)), c.Text(2), c.Text(3),
                     static_cast<int>(c.Int(4)), ReadMetric(c, 5)});
    }
    return out;
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
                         kBacktestColumns),
             batch);
  });
}

std::vector<BacktestRow> ScoresDataset::ListBacktests(int64_t run_id) const {
  return db_.Read([&] {
    Cursor c(db_.session(),
             fmt::format("SELECT {} FROM backtests WHERE run_id = :run ORDER BY target_year",
                         kBacktestColumns),
             V(run_id), kBacktestTypes);
    return ReadBacktests(c);
  });
}

std::vector<BacktestRow> ScoresDataset::LatestBacktests(Horizon horizon) const {
  return db_.Read([&] {
    // Like LatestEvaluations, only succeeded runs count: a run that failed after writing its rows
    // must not replace the scores of the last good one.
    Cursor c(db_.session(),
             fmt::format("SELECT {} FROM backtests b WHERE b.horizon = :horizon AND b.run_id = ("
                         "  SELECT MAX(b2.run_id) FROM backtests b2 JOIN runs r ON r.id = b2.run_id "
                         "  WHERE b2.horizon = b.horizon AND b2.target_year = b.target_year "
                         "  AND r.status = 'succeeded') "
                         "ORDER BY b.target_year",
                         kBacktestColumns),
             V(std::string(HorizonName(horizon))), kBacktestTypes);
    return ReadBacktests(c);
  });
}

void ScoresDataset::SaveChecks(int64_t run_id, const std::vector<CheckRow>& checks) {
  db_.Write([&] {
    Batch batch;
    for (const CheckRow& c : checks) batch.Row().Add(run_id).Add(c.check).Add(c.status).Add(c.detail);
    db_.Exec(
        "INSERT INTO checks (run_id, \"check\", status, detail) "
        "VALUES (:run, :check, :status, :detail)",
        batch);
  });
}

std::vector<CheckRow> ScoresDataset::ListChecks(int64_t run_id) const {
  return db_.Read([&] {
    Cursor c(db_.session(),
             fmt::format("SELECT \"check\", status, detail FROM checks WHERE run_id = :run "
                         "ORDER BY {}",
                         db_.dialect().write_order()),
             V(run_id), "ttt");
    std::vector<CheckRow> out;
    while (c.Next()) out.push_back({c.Text(0), c.Text(1), c.Text(2)});
    return out;
  });
}

}  // namespace loadcast
