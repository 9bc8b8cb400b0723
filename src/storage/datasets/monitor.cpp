#include "storage/datasets/monitor.hpp"

#include <fmt/format.h>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

using sql::Batch;
using sql::Cursor;
using sql::V;

}  // namespace

void MonitorDataset::Save(int64_t run_id, const std::string& as_of,
                          const std::vector<MonitorWindowRow>& windows) {
  db_.Write([&] {
    Batch batch;
    for (const MonitorWindowRow& w : windows) {
      batch.Row().Add(run_id).Add(as_of).Add(w.kind).Add(w.horizon).Add(w.start).Add(w.end);
      batch.Add(w.days).Add(w.value).Add(w.psi).Add(w.ks).Add(w.ks_p_value).Add(w.wasserstein);
      batch.Add(w.warning_threshold).Add(w.critical_threshold).Add(w.status).Add(w.reason);
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
                  "AND r.status = 'succeeded' "
                  "AND EXISTS (SELECT 1 FROM monitor_windows w WHERE w.run_id = r.id) "
                  "ORDER BY r.id DESC LIMIT 1",
                  V(target_year), "it");
      if (!head.Next()) return std::nullopt;
      out.run_id = head.Int(0);
      out.as_of = head.Text(1);
    }
    Cursor c(db_.session(),
             fmt::format("SELECT kind, horizon, start, \"end\", days, value, psi, ks, ks_p_value, "
                         "wasserstein, warning_threshold, critical_threshold, status, reason "
                         "FROM monitor_windows WHERE run_id = :run ORDER BY {}",
                         db_.dialect().write_order()),
             V(out.run_id), "ttttirrrrrrrtt");
    while (c.Next()) {
      MonitorWindowRow w;
      w.kind = c.Text(0);
      w.horizon = c.Text(1);
      w.start = c.Text(2);
      w.end = c.Text(3);
      w.days = static_cast<int>(c.Int(4));
      w.value = c.Real(5);
      w.psi = c.OptionalReal(6);
      w.ks = c.OptionalReal(7);
      w.ks_p_value = c.OptionalReal(8);
      w.wasserstein = c.OptionalReal(9);
      w.warning_threshold = c.OptionalReal(10);
      w.critical_threshold = c.OptionalReal(11);
      w.status = c.Text(12);
      w.reason = c.Text(13);
      out.windows.push_back(std::move(w));
    }
    return out;
  });
}

}  // namespace loadcast
