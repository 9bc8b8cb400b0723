// End-to-end tests of alerts: raised by a run, stored once, posted to a webhook, listed with
// filters and acknowledged, all through the real loadcast binary in a fresh folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/hash.hpp"
#include "support/cli_runner.hpp"
#include "support/expect.hpp"
#include "support/records.hpp"
#include "support/temp_dir.hpp"
#include "support/test_webhook.hpp"
#include "support/workspace_backends.hpp"

namespace loadcast {
namespace {

namespace fs = std::filesystem;
using testing::CliResult;
using testing::Json;
using testing::Slurp;
using testing::TempDir;
using testing::TestWebhook;

// Duplicate dates: rejected by validation whatever the bucket holds.
constexpr const char* kBadFile = "date,load\n2021-05-01,700000\n2021-05-01,700000\n";

class AlertsTest : public ::testing::Test {
 protected:
  /// Writes loadcast.yaml with the webhook URL (none when empty).
  void Configure(const std::string& webhook_url) {
    std::string yaml = "alerts:\n  webhook_timeout_seconds: 2\n";
    if (!webhook_url.empty()) yaml += "  webhook_url: \"" + webhook_url + "\"\n";
    dir_.Write("loadcast.yaml", yaml);
  }
  /// Runs loadcast with the folder's config.
  CliResult Loadcast(std::vector<std::string> args) {
    args.insert(args.begin(), {"--config", "loadcast.yaml"});
    return testing::Loadcast(dir_.path(), args);
  }
  nlohmann::json Alerts(std::vector<std::string> filters = {}) {
    filters.insert(filters.begin(), "alerts");
    filters.push_back("--json");
    return Json(Loadcast(filters));
  }
  /// Alerts stored straight through the folder's database (SQLite or PostgreSQL), for listing
  /// tests that need many kinds.
  void InsertAlert(const std::string& severity, const std::string& source,
                   const std::string& created_at, const std::string& code) {
    ASSERT_EQ(Loadcast({"alerts"}).exit_code, 0);  // creates the database and its schema
    AlertRecord alert = testing::MakeAlert(std::nullopt, ParseName<AlertSeverity>(severity), code);
    alert.source = ParseName<AlertSource>(source);
    alert.created_at = created_at;
    alert.message = "test";
    alert.period_start = testing::Day("2021-03-01");
    alert.period_end = testing::Day("2021-03-28");
    alert.value = 6.5;
    alert.threshold = 5;
    alert.fingerprint = code;
    ASSERT_TRUE(testing::WorkspaceDatabase(dir_.path())->alerts().Add(alert).has_value());
  }

  TempDir dir_;
};

/// The alerts of a JSON list with this code.
std::vector<nlohmann::json> WithCode(const nlohmann::json& alerts, const std::string& code) {
  std::vector<nlohmann::json> out;
  for (const auto& a : alerts) {
    if (a["code"] == code) out.push_back(a);
  }
  return out;
}

TEST_F(AlertsTest, ARejectedIngestIsOneCriticalAlertPostedToTheWebhookOnce) {
  TestWebhook hook;
  Configure(hook.Url("/loadcast?channel=ops"));
  const fs::path bad = dir_.Write("bad.csv", kBadFile);

  const CliResult first = Loadcast({"ingest", bad.string()});
  EXPECT_EQ(first.exit_code, 3) << first.err;
  const nlohmann::json stored = Alerts();
  const auto rejected = WithCode(stored, "data_rejected");
  ASSERT_EQ(rejected.size(), 1u) << stored.dump(2);
  const nlohmann::json& alert = rejected[0];
  EXPECT_EQ(alert["severity"], "critical");
  EXPECT_EQ(alert["source"], "pipeline");
  // The subject names the file by name and content, not by run: the same file is the same alert.
  EXPECT_CONTAINS(alert["subject"].get<std::string>(),
                  "bad.csv sha256:" + Sha256Hex(kBadFile).substr(0, 16));
  EXPECT_CONTAINS(alert["message"].get<std::string>(), bad.string() + ":3:");

  // Every new warning and critical alert was posted, as the JSON `alerts --json` shows.
  const auto posts = hook.received();
  std::vector<nlohmann::json> posted;
  for (const auto& post : posts) {
    EXPECT_EQ(post.path, "/loadcast");
    EXPECT_EQ(post.query, "channel=ops;");
    EXPECT_EQ(post.content_type, "application/json");
    posted.push_back(nlohmann::json::parse(post.body));
  }
  std::size_t notifiable = 0;
  for (const auto& a : stored) notifiable += a["severity"] != "info";
  EXPECT_EQ(posted.size(), notifiable);
  const auto posted_rejection = WithCode(posted, "data_rejected");
  ASSERT_EQ(posted_rejection.size(), 1u);
  EXPECT_EQ(posted_rejection[0], alert);

  // The same bad file again: rejected again, but no new alert and nothing posted.
  const CliResult second = Loadcast({"ingest", bad.string()});
  EXPECT_EQ(second.exit_code, 3) << second.err;
  EXPECT_EQ(Alerts(), stored);
  EXPECT_EQ(hook.received().size(), posts.size());
  const nlohmann::json runs = Json(Loadcast({"runs", "--json"}));
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0]["status"], "rejected");

  // Other content is another alert.
  const fs::path other = dir_.Write("bad.csv", std::string(kBadFile) + "2021-05-02,700000\n");
  EXPECT_EQ(Loadcast({"ingest", other.string()}).exit_code, 3);
  EXPECT_EQ(WithCode(Alerts(), "data_rejected").size(), 2u);
  EXPECT_EQ(WithCode(Alerts({"--severity", "critical"}), "data_rejected").size(), 2u);
}

TEST_F(AlertsTest, AnUnreachableWebhookNeitherFailsTheRunNorShowsItsToken) {
  Configure("http://127.0.0.1:" + std::to_string(testing::ClosedLoopbackPort()) +
            "/hook?token=s3cr3t-t0ken");
  const CliResult r = Loadcast({"ingest", dir_.Write("bad.csv", kBadFile).string()});
  // Rejected as it would be without a webhook (exit 3, not 1), and the alert is on record.
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_EQ(WithCode(Alerts(), "data_rejected").size(), 1u);
  EXPECT_CONTAINS(r.err, "not delivered");
  EXPECT_CONTAINS(r.err, "token=***");
  EXPECT_EQ(r.err.find("s3cr3t-t0ken"), std::string::npos) << r.err;
  // Nor does the configuration recorded with the run, or printed, hold it.
  const CliResult config = Loadcast({"config"});
  EXPECT_EQ(config.exit_code, 0);
  EXPECT_CONTAINS(config.out, "token=***");
  EXPECT_EQ(config.out.find("s3cr3t-t0ken"), std::string::npos);
  EXPECT_EQ(testing::WorkspaceHoldings(dir_.path()).find("s3cr3t-t0ken"), std::string::npos);
  if (!testing::RemoteBackends()) {
    // The SQLite file byte for byte, its free pages included.
    EXPECT_EQ(Slurp(dir_ / "var/loadcast.db").find("s3cr3t-t0ken"), std::string::npos);
  }
}

TEST_F(AlertsTest, ListsAlertsBySeveritySourceAndDate) {
  Configure("");
  InsertAlert("info", "pipeline", "2021-03-01T08:00:00.000Z", "note");
  InsertAlert("warning", "drift", "2021-03-02T08:00:00.000Z", "drift_window");
  InsertAlert("critical", "performance", "2021-03-03T08:00:00.000Z", "mape_critical");
  const auto codes = [](const nlohmann::json& alerts) {
    std::vector<std::string> out;
    for (const auto& a : alerts) out.push_back(a["code"]);
    return out;
  };
  using Codes = std::vector<std::string>;
  EXPECT_EQ(codes(Alerts()), (Codes{"mape_critical", "drift_window", "note"}));
  // --severity is exact; a comma list takes several.
  EXPECT_EQ(codes(Alerts({"--severity", "critical"})), Codes{"mape_critical"});
  EXPECT_EQ(codes(Alerts({"--severity", "warning,critical"})),
            (Codes{"mape_critical", "drift_window"}));
  EXPECT_EQ(codes(Alerts({"--source", "drift"})), Codes{"drift_window"});
  EXPECT_EQ(codes(Alerts({"--since", "2021-03-02"})), (Codes{"mape_critical", "drift_window"}));
  EXPECT_EQ(codes(Alerts({"--since", "2021-03-02", "--severity", "info"})), Codes{});
  EXPECT_EQ(codes(Alerts({"--limit", "1"})), Codes{"mape_critical"});

  const nlohmann::json one = Alerts({"--severity", "critical"}).at(0);
  EXPECT_EQ(one["period_start"], "2021-03-01");
  EXPECT_EQ(one["period_end"], "2021-03-28");
  EXPECT_EQ(one["value"], 6.5);
  EXPECT_EQ(one["threshold"], 5.0);
  EXPECT_EQ(one["acknowledged"], false);
  EXPECT_TRUE(one["acknowledged_at"].is_null());

  // The table shows the same columns.
  const CliResult table = Loadcast({"alerts", "--severity", "critical"});
  EXPECT_EQ(table.exit_code, 0);
  for (const char* column : {"severity", "source", "period", "value", "threshold", "ack"}) {
    EXPECT_CONTAINS(table.out, std::string(column));
  }
  EXPECT_CONTAINS(table.out, "2021-03-01 .. 2021-03-28");
  EXPECT_CONTAINS(table.out, "6.5");

  // Unknown values are usage errors that name the valid ones.
  const CliResult severity = Loadcast({"alerts", "--severity", "error"});
  EXPECT_EQ(severity.exit_code, 2);
  EXPECT_CONTAINS(severity.err, "critical");
  EXPECT_EQ(Loadcast({"alerts", "--source", "evaluate"}).exit_code, 2);
  const CliResult since = Loadcast({"alerts", "--since", "2021-02-30"});
  EXPECT_EQ(since.exit_code, 2);
  EXPECT_CONTAINS(since.err, "2021-02-30");
}

TEST_F(AlertsTest, AckMarksAnAlertOnceAndAnUnknownIdIsAUsageError) {
  Configure("");
  InsertAlert("critical", "pipeline", "2021-03-03T08:00:00.000Z", "run_failed");
  const int64_t id = Alerts().at(0)["id"];

  const CliResult ack = Loadcast({"alerts", "ack", std::to_string(id)});
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  EXPECT_CONTAINS(ack.out, "alert " + std::to_string(id) + " acknowledged at ");
  const nlohmann::json acked = Alerts().at(0);
  EXPECT_EQ(acked["acknowledged"], true);
  EXPECT_FALSE(acked["acknowledged_at"].is_null());
  EXPECT_TRUE(Alerts({"--unacknowledged"}).empty());

  // Twice is fine, and says so; the time of the first stays.
  const CliResult again = Loadcast({"alerts", "ack", std::to_string(id), "--json"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json document = nlohmann::json::parse(again.out);
  EXPECT_EQ(document["already_acknowledged"], true);
  EXPECT_EQ(document["alert"]["acknowledged_at"], acked["acknowledged_at"]);
  EXPECT_CONTAINS(Loadcast({"alerts", "ack", std::to_string(id)}).out, "already acknowledged");

  const CliResult unknown = Loadcast({"alerts", "ack", "9999"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_CONTAINS(unknown.err, "no alert 9999");
  EXPECT_EQ(Loadcast({"alerts", "ack"}).exit_code, 2);
  EXPECT_EQ(Loadcast({"alerts", "ack", "abc"}).exit_code, 2);
}

}  // namespace
}  // namespace loadcast
