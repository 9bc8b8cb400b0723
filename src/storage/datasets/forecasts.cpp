#include "storage/datasets/forecasts.hpp"

#include "core/crash_point.hpp"
#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

constexpr const char* kInsertForecast =
    "INSERT INTO forecasts (run_id, model_id, date, forecast, lower, upper) "
    "VALUES (:run, :model, :date, :forecast, :lower, :upper)";

/// The rows [first, last) of a forecast as one batch.
Batch ForecastBatch(int64_t run_id, int64_t model_id, const std::vector<ForecastRow>& rows,
                    std::size_t first, std::size_t last) {
  Batch batch;
  for (std::size_t i = first; i < last; ++i) {
    const ForecastRow& r = rows[i];
    batch.Row().Add(run_id).Add(model_id).Add(r.date).Add(r.forecast).Add(r.lower).Add(r.upper);
  }
  return batch;
}

}  // namespace

void ForecastsDataset::Publish(int64_t run_id, int64_t model_id,
                               const std::vector<ForecastRow>& rows) {
  db_.Write([&] {
    // Two halves, so that a crash test can stop the process between them.
    const std::size_t half = rows.size() / 2;
    Batch first = ForecastBatch(run_id, model_id, rows, 0, half);
    db_.Exec(kInsertForecast, first);
    if (!rows.empty()) CrashPoint("forecast:half-written");
    Batch second = ForecastBatch(run_id, model_id, rows, half, rows.size());
    db_.Exec(kInsertForecast, second);
  });
}

std::optional<PublishedForecast> ForecastsDataset::Current(int target_year, Horizon horizon,
                                                           int64_t pending_run) const {
  return db_.Read([&]() -> std::optional<PublishedForecast> {
    PublishedForecast out;
    {
      Cursor head(db_.session(),
                  "SELECT r.id, (SELECT model_id FROM forecasts f WHERE f.run_id = r.id LIMIT 1) "
                  "FROM runs r WHERE r.target_year = :year AND r.horizon = :horizon "
                  "AND (r.status = :succeeded OR r.id = :pending) "
                  "AND EXISTS (SELECT 1 FROM forecasts f WHERE f.run_id = r.id) "
                  "ORDER BY r.id DESC LIMIT 1",
                  V(target_year, horizon, RunStatus::kSucceeded, pending_run), "ii");
      if (!head.Next()) return std::nullopt;
      out.run_id = head.Int(0);
      out.model_id = head.Int(1);
    }
    out.rows =
        sql::Rows(db_,
                  "SELECT date, forecast, lower, upper FROM forecasts WHERE run_id = :run "
                  "ORDER BY date",
                  V(out.run_id), "trrr", [&](const Cursor& c) {
                    const sql::RowOf row{"forecasts", "run_id", out.run_id};
                    return ForecastRow{c.Day(0, "date", row), c.Real(1), c.Real(2), c.Real(3)};
                  });
    return out;
  });
}

}  // namespace loadcast
