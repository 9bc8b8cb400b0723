#include "storage/datasets/series_results.hpp"

#include <fmt/format.h>

#include "storage/sql/connection.hpp"
#include "storage/value_list.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

constexpr const char* kSeriesColumns =
    "run_id, series, target_year, status, message, train_from, train_to, iterations, days, mape, "
    "mae, rmse, bias, forecast_start, drift";
constexpr const char* kSeriesWhere =
    "WHERE run_id = :run AND (CAST(:any_series AS TEXT) = '' OR series = CAST(:series AS TEXT)) "
    "AND (CAST(:any_status AS TEXT) = '' OR status = CAST(:status AS TEXT)) ORDER BY series";

}  // namespace

void SeriesResultsDataset::Save(int64_t run_id, const std::vector<SeriesResultRow>& rows) {
  db_.Write([&] {
    Batch batch;
    for (const SeriesResultRow& r : rows) {
      batch.Row().Add(run_id).Add(r.series).Add(r.target_year).Add(r.status).Add(r.message);
      batch.Add(sql::OrEmpty(r.train_from))
          .Add(sql::OrEmpty(r.train_to))
          .Add(r.iterations)
          .Add(r.days)
          .Add(r.mape);
      batch.Add(r.mae).Add(r.rmse).Add(r.bias).Add(sql::OrEmpty(r.forecast_start));
      batch.Add(EncodeValueList(r.forecast)).Add(EncodeValueList(r.lower));
      batch.Add(EncodeValueList(r.upper)).Add(r.drift);
    }
    db_.Exec(
        "INSERT INTO series_results (run_id, series, target_year, status, message, train_from, "
        "train_to, iterations, days, mape, mae, rmse, bias, forecast_start, forecast, lower, "
        "upper, drift) VALUES (:run, :series, :year, :status, :message, :train_from, :train_to, "
        ":iterations, :days, :mape, :mae, :rmse, :bias, :forecast_start, :forecast, :lower, "
        ":upper, :drift)",
        batch);
  });
}

std::optional<int64_t> SeriesResultsDataset::LatestRun(std::optional<int> target_year) const {
  return db_.Read([&]() -> std::optional<int64_t> {
    Cursor c(db_.session(),
             "SELECT r.id FROM runs r WHERE r.status = :succeeded "
             "AND (CAST(:any AS INTEGER) IS NULL OR r.target_year = CAST(:year AS INTEGER)) "
             "AND EXISTS (SELECT 1 FROM series_results x WHERE x.run_id = r.id) "
             "ORDER BY r.id DESC LIMIT 1",
             V(RunStatus::kSucceeded, target_year, target_year), "i");
    if (!c.Next()) return std::nullopt;
    return c.Int(0);
  });
}

std::vector<SeriesResultRow> SeriesResultsDataset::List(const SeriesQuery& query) const {
  return db_.Read([&] {
    // The day-by-day arrays are read only when asked for: a listing of 10,000 series needs none.
    const std::string sql =
        query.with_forecast
            ? fmt::format("SELECT {}, forecast, lower, upper FROM series_results {}",
                          kSeriesColumns, kSeriesWhere)
            : fmt::format("SELECT {}, '', '', '' FROM series_results {}", kSeriesColumns,
                          kSeriesWhere);
    const std::string status = sql::OrEmpty(query.status);
    return sql::Rows(db_, sql, V(query.run_id, query.series, query.series, status, status),
                     "itittttiirrrrtrttt", [](const Cursor& c) {
                       const sql::RowOf row{"series_results", "run_id", c.Int(0), c.Text(1)};
                       return SeriesResultRow(
                           c.Int(0), c.Text(1), static_cast<int>(c.Int(2)),
                           c.Enum<SeriesStatus>(3, "status", row), c.Text(4),
                           c.OptionalDay(5, "train_from", row), c.OptionalDay(6, "train_to", row),
                           static_cast<int>(c.Int(7)), c.OptionalReal(14),
                           static_cast<int>(c.Int(8)), c.OptionalReal(9), c.OptionalReal(10),
                           c.OptionalReal(11), c.OptionalReal(12),
                           c.OptionalDay(13, "forecast_start", row), DecodeValueList(c.Text(15)),
                           DecodeValueList(c.Text(16)), DecodeValueList(c.Text(17)));
                     });
  });
}

}  // namespace loadcast
