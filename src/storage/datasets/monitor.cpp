#include "storage/datasets/monitor.hpp"

#include <fmt/format.h>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

}  // namespace

void MonitorDataset::Save(int64_t run_id, Date as_of,
                          const std::vector<MonitorWindowRow>& windows) {
  db_.Write([&] {
    Batch batch;
    for (const MonitorWindowRow& w : windows) {
      batch.Row().Add(run_id).Add(as_of).Add(w.kind).Add(sql::OrEmpty(w.horizon)).Add(w.start);
      batch.Add(w.end).Add(w.days).Add(w.value).Add(w.psi).Add(w.ks).Add(w.ks_p_value);
      batch.Add(w.wasserstein).Add(w.warning_threshold).Add(w.critical_threshold).Add(w.status);
      batch.Add(w.reason);
    }
    db_.Exec(
        "INSERT INTO monitor_windows (run_id, as_of, kind, horizon, start, \"end\", days, value, "
        "psi, ks, ks_p_value, wasserstein, warning_threshold, critical_threshold, status, reason) "
        "VALUES (:run, :as_of, :kind, :horizon, :start, :end, :days, :value, :psi, :ks, "
        ":ks_p_value, :wasserstein, :warning, :critical, :status, :reason)",
        batch);
  });
}

std::optional<MonitorSnapshot> MonitorDataset::Latest(int target_year) const {
  return db_.Read([&]() -> std::optional<MonitorSnapshot> {
    MonitorSnapshot out;
    out.target_year = target_year;
    {
      Cursor head(db_.session(),
                  "SELECT r.id, (SELECT as_of FROM monitor_windows w WHERE w.run_id = r.id "
                  "LIMIT 1) FROM runs r WHERE r.command = 'monitor' AND r.target_year = :year "
                  "AND r.status = :succeeded "
                  "AND EXISTS (SELECT 1 FROM monitor_windows w WHERE w.run_id = r.id) "
                  "ORDER BY r.id DESC LIMIT 1",
                  V(target_year, RunStatus::kSucceeded), "it");
      if (!head.Next()) return std::nullopt;
      out.run_id = head.Int(0);
      out.as_of = head.Day(1, "as_of", {"monitor_windows", "run_id", out.run_id});
    }
    out.windows = sql::Rows(
        db_,
        fmt::format("SELECT kind, horizon, start, \"end\", days, value, psi, ks, ks_p_value, "
                    "wasserstein, warning_threshold, critical_threshold, status, reason "
                    "FROM monitor_windows WHERE run_id = :run ORDER BY {}",
                    db_.dialect().write_order()),
        V(out.run_id), "ttttirrrrrrrtt", [&](const Cursor& c) {
          const sql::RowOf row{"monitor_windows", "run_id", out.run_id, c.Text(0)};
          return MonitorWindowRow(
              c.Text(0), c.OptionalEnum<Horizon>(1, "horizon", row), c.Day(2, "start", row),
              c.Day(3, "end", row), static_cast<int>(c.Int(4)), c.Real(5), c.OptionalReal(6),
              c.OptionalReal(7), c.OptionalReal(8), c.OptionalReal(9), c.OptionalReal(10),
              c.OptionalReal(11), c.Enum<WindowStatus>(12, "status", row), c.Text(13));
        });
    return out;
  });
}

}  // namespace loadcast
