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
      batch.Add(r.train_from).Add(r.train_to).Add(r.iterations).Add(r.days).Add(r.mape);
      batch.Add(r.mae).Add(r.rmse).Add(r.bias).Add(r.forecast_start);
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
             "SELECT r.id FROM runs r WHERE r.status = 'succeeded' "
             "AND (CAST(:any AS INTEGER) IS NULL OR r.target_year = CAST(:year AS INTEGER)) "
             "AND EXISTS (SELECT 1 FROM series_results x WHERE x.run_id = r.id) "
             "ORDER BY r.id DESC LIMIT 1",
             V(target_year, target_year), "i");
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
    Cursor c(db_.session(), sql,
             V(query.run_id, query.series, query.series, query.status, query.status),
             "itittttiirrrrtrttt");
    std::vector<SeriesResultRow> out;
    while (c.Next()) {
      SeriesResultRow r;
      r.run_id = c.Int(0);
      r.series = c.Text(1);
      r.target_year = static_cast<int>(c.Int(2));
      r.status = c.Text(3);
      r.message = c.Text(4);
      r.train_from = c.Text(5);
      r.train_to = c.Text(6);
      r.iterations = static_cast<int>(c.Int(7));
      r.days = static_cast<int>(c.Int(8));
      r.mape = c.OptionalReal(9);
      r.mae = c.OptionalReal(10);
      r.rmse = c.OptionalReal(11);
      r.bias = c.OptionalReal(12);
      r.forecast_start = c.Text(13);
      r.drift = c.OptionalReal(14);
      r.forecast = DecodeValueList(c.Text(15));
      r.lower = DecodeValueList(c.Text(16));
      r.upper = DecodeValueList(c.Text(17));
      out.push_back(std::move(r));
    }
    return out;
  });
}

}  // namespace loadcast
