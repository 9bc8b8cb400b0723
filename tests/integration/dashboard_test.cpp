// The dashboard on the real binary: `loadcast serve` answers the API of docs/dashboard.md over
// HTTP with the figures the other commands print, guards acknowledgements with the token, and
// `loadcast report` writes one self-contained file.
#include <gtest/gtest.h>
#include <httplib.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using nlohmann::json;
using testing::BackgroundProcess;
using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::Slurp;
using testing::TempDir;

/// A running `loadcast serve --port 0` and a client of it.
struct Server {
  explicit Server(const std::filesystem::path& dir, std::map<std::string, std::string> env = {})
      : process(dir, {"serve", "--port", "0"}, env) {
    const std::string line = process.FirstLine();
    std::smatch match;
    const std::regex format(R"(serving http://127\.0\.0\.1:(\d+)/)");
    EXPECT_TRUE(std::regex_match(line, match, format)) << "first line: '" << line << "'";
    port = match.empty() ? 0 : std::stoi(match[1].str());
    client = std::make_unique<httplib::Client>("127.0.0.1", port);
  }

  /// The JSON answer of a GET, expecting `status`.
  json Get(const std::string& path, int status = 200) {
    auto res = client->Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return nullptr;
    EXPECT_EQ(res->status, status) << path << ": " << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json; charset=utf-8") << path;
    return json::parse(res->body);
  }

  /// The CSRF token of the page, which an acknowledgement must carry in X-CSRF-Token.
  httplib::Headers Csrf() {
    auto page = client->Get("/");
    EXPECT_TRUE(page);
    std::smatch match;
    const std::regex meta(R"re(<meta name="loadcast-csrf-token" content="([0-9a-f]+)">)re");
    if (!page || !std::regex_search(page->body, match, meta)) {
      ADD_FAILURE() << "the page has no CSRF token";
      return {};
    }
    return {{"X-CSRF-Token", match[1].str()}};
  }

  BackgroundProcess process;
  int port = 0;
  std::unique_ptr<httplib::Client> client;
};

class DashboardTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto run = [](const std::vector<std::string>& args) {
      const auto r = Loadcast(dir_->path(), args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    };
    run({"ingest", BundledData().string()});
    run({"run", "--target-year", "2020", "--horizon", "year"});
    run({"run", "--target-year", "2020", "--horizon", "day"});
    const auto monitor = Loadcast(
        dir_->path(), {"monitor", "--target-year", "2020", "--as-of", "2020-03-31", "--json"});
    ASSERT_EQ(monitor.exit_code, 0) << monitor.err;
    monitor_ = new json(Json(monitor));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
    delete monitor_;
    monitor_ = nullptr;
  }

  static TempDir* dir_;
  static json* monitor_;  // what `monitor --json` printed in the set-up
};

TempDir* DashboardTest::dir_ = nullptr;
json* DashboardTest::monitor_ = nullptr;

TEST_F(DashboardTest, OverviewHasTheChampionsAndTheFiguresOfTheOtherCommands) {
  Server server(dir_->path());
  const json overview = server.Get("/api/overview");
  EXPECT_EQ(overview["latest_target_year"], 2020);

  const json models = Json(Loadcast(dir_->path(), {"models", "list", "--json"}));
  const json metrics = Json(Loadcast(dir_->path(), {"metrics", "--json"}));
  ASSERT_EQ(overview["horizons"].size(), 2u);
  for (const json& panel : overview["horizons"]) {
    const std::string horizon = panel["horizon"];
    int64_t champion = 0;
    for (const json& m : models) {
      if (m["horizon"] != horizon) continue;
      for (const json& alias : m["aliases"]) {
        if (alias == "champion") champion = m["id"];
      }
    }
    ASSERT_TRUE(panel["champion"].is_object()) << horizon;
    EXPECT_EQ(panel["champion"]["id"], champion) << horizon;
    EXPECT_TRUE(panel["validation"].is_object()) << horizon;
    bool found = false;
    for (const json& m : metrics) {
      if (m["horizon"] != horizon || m["target_year"] != 2020) continue;
      found = true;
      EXPECT_EQ(panel["latest"]["mape"], m["mape"]) << horizon;
      EXPECT_EQ(panel["latest"]["run_id"], m["run_id"]) << horizon;
    }
    EXPECT_TRUE(found) << horizon;
    EXPECT_TRUE(panel["latest"]["coverage"].is_number()) << horizon;
  }
  EXPECT_GT(overview["alerts"]["open"]["critical"].get<int>(), 0);
  EXPECT_EQ(overview["runs"].size(), 4u);
  EXPECT_TRUE(overview["runs"][0]["duration_seconds"].is_number());
}

// The CLI and the API print each record in its one JSON form (docs/dashboard.md, "Records").
TEST_F(DashboardTest, CliJsonAndTheApiGiveTheSameObjectForTheSameRecord) {
  Server server(dir_->path());
  const json runs = Json(Loadcast(dir_->path(), {"runs", "--json"}));
  ASSERT_EQ(runs.size(), 4u);
  EXPECT_EQ(server.Get("/api/runs")["runs"], runs);
  const std::string id = std::to_string(runs[1]["id"].get<int64_t>());
  json shown = Json(Loadcast(dir_->path(), {"runs", "show", id, "--json"}));
  const json detail = server.Get("/api/runs/" + id);
  EXPECT_EQ(shown["config"], detail["config"]);
  EXPECT_EQ(shown["decisions"], detail["decisions"]);
  for (const char* key : {"config", "model", "decisions"}) shown.erase(key);
  EXPECT_EQ(shown, detail["run"]);

  const json alerts = Json(Loadcast(dir_->path(), {"alerts", "--limit", "200", "--json"}));
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(server.Get("/api/alerts")["alerts"], alerts);

  const json decisions = Json(Loadcast(dir_->path(), {"models", "decisions", "--json"}));
  ASSERT_FALSE(decisions.empty());
  EXPECT_EQ(server.Get("/api/models")["decisions"], decisions);
  json listed = Json(Loadcast(dir_->path(), {"models", "list", "--json"}));
  json models = server.Get("/api/models")["models"];
  ASSERT_EQ(listed.size(), models.size());
  EXPECT_EQ(listed, models);

  // The monitor's windows as the run printed them and as the dashboard reads them back; a drift
  // window of the run adds the size of its reference sample, which is not stored.
  const json view = server.Get("/api/years/2020?horizon=year");
  json printed = (*monitor_)["drift"]["windows"];
  ASSERT_FALSE(printed.empty());
  for (json& w : printed) {
    EXPECT_GT(w["reference_days"].get<int>(), w["days"].get<int>()) << w.dump();
    w.erase("reference_days");
  }
  EXPECT_EQ(view["monitor"]["drift"], printed);
  for (const json& horizon : (*monitor_)["performance"]) {
    if (horizon["horizon"] == "year") {
      EXPECT_EQ(view["monitor"]["performance"], horizon["windows"]);
    }
  }
  // The alerts the monitor raised, as stored.
  ASSERT_FALSE((*monitor_)["alerts"].empty());
  for (const json& alert : (*monitor_)["alerts"]) {
    EXPECT_NE(std::find(alerts.begin(), alerts.end(), alert), alerts.end()) << alert.dump();
  }
}

TEST_F(DashboardTest, YearViewHasEveryDayMonthlyScoresTheMonitorAndChecks) {
  Server server(dir_->path());
  const json view = server.Get("/api/years/2020?horizon=year");
  EXPECT_EQ(view["days"].size(), 366u);
  EXPECT_EQ(view["metrics"]["months"].size(), 12u);
  EXPECT_TRUE(view["thresholds"]["monthly_mape_warning"].is_number());
  EXPECT_EQ(view["thresholds"]["yearly_mape_warning"], 8.0);
  ASSERT_TRUE(view["monitor"].is_object());
  EXPECT_EQ(view["monitor"]["as_of"], "2020-03-31");
  EXPECT_FALSE(view["monitor"]["drift"].empty());
  EXPECT_FALSE(view["monitor"]["performance"].empty());
  EXPECT_FALSE(view["checks"].empty());
  EXPECT_FALSE(view["alerts"].empty());

  const json day = server.Get("/api/years/2020?horizon=day");
  EXPECT_EQ(day["horizon"], "day");
  EXPECT_FALSE(day["days"].empty());

  EXPECT_EQ(server.Get("/api/years/2019?horizon=year", 404)["error"]["status"], 404);
  EXPECT_EQ(server.Get("/api/years/2020?horizon=week", 400)["error"]["status"], 400);
}

TEST_F(DashboardTest, BacktestsModelsAndRunsAnswer) {
  Server server(dir_->path());
  const json backtests = server.Get("/api/backtests");
  EXPECT_TRUE(backtests["horizons"]["year"].is_array());
  EXPECT_TRUE(backtests["horizons"]["day"].is_array());
  const json models = server.Get("/api/models?horizon=day");
  ASSERT_EQ(models["models"].size(), 1u);
  EXPECT_EQ(models["models"][0]["horizon"], "day");
  const json runs = server.Get("/api/runs?limit=2");
  ASSERT_EQ(runs["runs"].size(), 2u);
  const int64_t id = runs["runs"][1]["id"];
  const json detail = server.Get("/api/runs/" + std::to_string(id));
  EXPECT_EQ(detail["run"]["id"], id);
  EXPECT_FALSE(detail["config"].get<std::string>().empty());
  EXPECT_EQ(server.Get("/api/runs/999999", 404)["error"]["status"], 404);
}

TEST_F(DashboardTest, AlertsFilterBySeveritySourceAndPeriod) {
  Server server(dir_->path());
  const json all = server.Get("/api/alerts")["alerts"];
  ASSERT_FALSE(all.empty());
  const json critical = server.Get("/api/alerts?severity=critical&source=drift,performance");
  ASSERT_FALSE(critical["alerts"].empty());
  for (const json& a : critical["alerts"]) {
    EXPECT_EQ(a["severity"], "critical");
    EXPECT_TRUE(a["source"] == "drift" || a["source"] == "performance");
  }
  EXPECT_TRUE(server.Get("/api/alerts?since=2999-01-01")["alerts"].empty());
  EXPECT_EQ(server.Get("/api/alerts?limit=1")["alerts"].size(), 1u);
  EXPECT_EQ(server.Get("/api/alerts?severity=fatal", 400)["error"]["status"], 400);
  EXPECT_EQ(server.Get("/api/alerts?until=yesterday", 400)["error"]["status"], 400);
}

TEST_F(DashboardTest, AcknowledgingNeedsTheTokenOnlyWhenOneIsSet) {
  int64_t first = 0;
  int64_t second = 0;
  {
    Server server(dir_->path());
    const json open = server.Get("/api/alerts?unacknowledged=1&limit=2")["alerts"];
    ASSERT_EQ(open.size(), 2u);
    first = open[0]["id"];
    second = open[1]["id"];
    const httplib::Headers csrf = server.Csrf();
    const std::string path = "/api/alerts/" + std::to_string(first) + "/ack";
    auto res = server.client->Post(path.c_str(), csrf, "", "text/plain");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200) << res->body;
    const json body = json::parse(res->body);
    EXPECT_TRUE(body["alert"]["acknowledged"].get<bool>());
    EXPECT_FALSE(body["already_acknowledged"].get<bool>());
    res = server.client->Post(path.c_str(), csrf, "", "text/plain");
    ASSERT_TRUE(res);
    EXPECT_TRUE(json::parse(res->body)["already_acknowledged"].get<bool>());
    EXPECT_EQ(server.client->Post("/api/alerts/999999/ack", csrf, "", "text/plain")->status, 404);
  }
  Server server(dir_->path(), {{"LOADCAST_DASHBOARD_TOKEN", "s3cret"}});
  httplib::Headers csrf = server.Csrf();
  const std::string path = "/api/alerts/" + std::to_string(second) + "/ack";
  auto res = server.client->Post(path.c_str(), csrf, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(res->body)["error"]["status"], 401);
  csrf.emplace("Authorization", "Bearer wrong");
  res = server.client->Post(path.c_str(), csrf, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  csrf.erase("Authorization");
  csrf.emplace("Authorization", "Bearer s3cret");
  res = server.client->Post(path.c_str(), csrf, "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200) << res->body;
  // On loopback, reads stay open with a token set.
  server.Get("/api/overview");
}

TEST_F(DashboardTest, UnknownPathsAndMethodsAreJsonErrors) {
  Server server(dir_->path());
  EXPECT_EQ(server.Get("/api/nothing", 404)["error"]["status"], 404);
  auto res = server.client->Get("/nothing");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_EQ(json::parse(res->body)["error"]["status"], 404);
  res = server.client->Get("/assets/missing.js");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  res = server.client->Post("/api/overview", "", "text/plain");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  EXPECT_EQ(json::parse(res->body)["error"]["status"], 405);
  res = server.client->Get("/api/alerts/1/ack");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
  res = server.client->Delete("/api/runs/1");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 405);
}

TEST_F(DashboardTest, PagesAndAssetsHaveTheirContentTypes) {
  Server server(dir_->path());
  const std::map<std::string, std::string> expected = {
      {"/", "text/html; charset=utf-8"},
      {"/index.html", "text/html; charset=utf-8"},
      {"/assets/app.js", "text/javascript; charset=utf-8"},
      {"/assets/app.css", "text/css; charset=utf-8"},
      {"/assets/vendor/uplot/uPlot.iife.min.js", "text/javascript; charset=utf-8"},
      {"/assets/vendor/uplot/uPlot.min.css", "text/css; charset=utf-8"},
      {"/assets/vendor/uplot/LICENSE", "text/plain; charset=utf-8"},
      {"/api/overview", "application/json; charset=utf-8"},
  };
  for (const auto& [path, type] : expected) {
    auto res = server.client->Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 200) << path;
    EXPECT_EQ(res->get_header_value("Content-Type"), type) << path;
    EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    if (path.starts_with("/api/")) {
      EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
    }
  }
  EXPECT_EQ(server.client->Get("/assets/app.js")->body,
            Slurp(std::filesystem::path(LOADCAST_SOURCE_DIR) / "web/app.js"));
  // SIGTERM stops it cleanly.
  EXPECT_EQ(server.process.Stop(), 0);
}

TEST_F(DashboardTest, ServingBeyondLoopbackNeedsAToken) {
  const auto r = Loadcast(dir_->path(), {"serve", "--host", "0.0.0.0", "--port", "0"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("LOADCAST_DASHBOARD_TOKEN"), std::string::npos) << r.err;

  // With the token, every API request needs it there.
  const std::string token = "s3cret-of-16-chars";
  BackgroundProcess process(dir_->path(), {"serve", "--host", "0.0.0.0", "--port", "0"},
                            {{"LOADCAST_DASHBOARD_TOKEN", token}});
  const std::string line = process.FirstLine();
  std::smatch match;
  ASSERT_TRUE(std::regex_match(line, match, std::regex(R"(serving http://0\.0\.0\.0:(\d+)/)")))
      << line;
  httplib::Client client("127.0.0.1", std::stoi(match[1].str()));
  auto res = client.Get("/api/overview");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  res = client.Get("/api/overview", {{"Authorization", "Bearer " + token}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  // The page itself needs no token: it passes ?token= on to its requests.
  res = client.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

TEST_F(DashboardTest, ReportIsOneSelfContainedFile) {
  const auto r = Loadcast(dir_->path(), {"report", "--target-year", "2020", "--out", "r.html"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string html = Slurp(dir_->path() / "r.html");
  EXPECT_EQ(html.find("src=\"/assets"), std::string::npos);
  EXPECT_EQ(html.find("href=\"/assets"), std::string::npos);
  EXPECT_NE(html.find("window.LOADCAST_REPORT"), std::string::npos);
  const std::string uplot =
      Slurp(std::filesystem::path(LOADCAST_SOURCE_DIR) / "web/vendor/uplot/uPlot.iife.min.js");
  EXPECT_NE(html.find(uplot.substr(0, 300)), std::string::npos);
  EXPECT_NE(html.find("\"/api/years/2020?horizon=day\""), std::string::npos);

  const auto none = Loadcast(dir_->path(), {"report", "--target-year", "2019", "--out", "x.html"});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_FALSE(std::filesystem::exists(dir_->path() / "x.html"));
}

TEST_F(DashboardTest, SeriesListIsEmptyWithoutASeriesRun) {
  Server server(dir_->path());
  const json list = server.Get("/api/series");
  EXPECT_TRUE(list["run_id"].is_null());
  EXPECT_TRUE(list["target_year"].is_null());
  EXPECT_TRUE(list["median_mape"].is_null());
  EXPECT_EQ(list["matched"], 0);
  EXPECT_TRUE(list["series"].empty());
  EXPECT_EQ(server.Get("/api/series/S1", 404)["error"]["status"], 404);
}

/// A workspace with a series run of 2021 over three synthetic series.
class DashboardSeriesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    const auto run = [](const std::vector<std::string>& args) {
      const auto r = Loadcast(dir_->path(), args);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    };
    run({"ingest", BundledData().string()});
    run({"series", "generate", "--count", "3", "--from", "2010", "--to", "2021", "--out", "gen"});
    std::vector<std::string> ingest = {"series", "ingest"};
    for (int year = 2010; year <= 2021; ++year) {
      ingest.push_back("gen/series-" + std::to_string(year) + ".csv");
    }
    run(ingest);
    run({"series", "run", "--target-year", "2021"});
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  static TempDir* dir_;
};

TempDir* DashboardSeriesTest::dir_ = nullptr;

TEST_F(DashboardSeriesTest, SeriesListHasTheCountsAndScoresOfTheLatestSeriesRun) {
  Server server(dir_->path());
  const json list = server.Get("/api/series");
  const json cli = Json(Loadcast(dir_->path(), {"series", "list", "--json"}));
  EXPECT_EQ(list["run_id"], cli["run_id"]);
  EXPECT_EQ(list["target_year"], 2021);
  EXPECT_EQ(list["counts"]["ok"].get<int>() + list["counts"]["warning"].get<int>() +
                list["counts"]["failed"].get<int>(),
            3);
  EXPECT_EQ(list["matched"], 3);
  EXPECT_EQ(list["scored"], 3);
  ASSERT_EQ(list["series"].size(), 3u);
  const std::vector<std::string> names = {"S1", "S2", "S3"};  // by name
  std::vector<double> mapes;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const json& row = list["series"][i];
    EXPECT_EQ(row["series"], names[i]);
    EXPECT_EQ(row["mape"], cli["series"][i]["mape"]) << row["series"];
    EXPECT_EQ(row["days"], 365) << row["series"];
    for (const char* key :
         {"status", "message", "train_from", "train_to", "iterations", "mae", "rmse", "bias"}) {
      EXPECT_TRUE(row.contains(key)) << key;
    }
    mapes.push_back(row["mape"].get<double>());
  }
  std::sort(mapes.begin(), mapes.end());
  EXPECT_EQ(list["median_mape"], mapes[1]);
}

TEST_F(DashboardSeriesTest, SeriesListFiltersSortsAndRefusesBadParameters) {
  Server server(dir_->path());
  const json one = server.Get("/api/series?q=2");
  EXPECT_EQ(one["matched"], 1);
  ASSERT_EQ(one["series"].size(), 1u);
  EXPECT_EQ(one["series"][0]["series"], "S2");
  // The counts and the median are the run's, whatever the filter.
  EXPECT_EQ(one["scored"], 3);
  EXPECT_TRUE(server.Get("/api/series?q=nothing")["series"].empty());

  const json worst = server.Get("/api/series?sort=mape");
  ASSERT_EQ(worst["series"].size(), 3u);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_GE(worst["series"][i - 1]["mape"].get<double>(),
              worst["series"][i]["mape"].get<double>());
  }
  const json limited = server.Get("/api/series?sort=mape&limit=1");
  ASSERT_EQ(limited["series"].size(), 1u);
  EXPECT_EQ(limited["series"][0], worst["series"][0]);
  EXPECT_EQ(limited["matched"], 3);

  const json ok = server.Get("/api/series?status=ok");
  EXPECT_EQ(ok["matched"], ok["counts"]["ok"]);
  for (const json& row : ok["series"]) EXPECT_EQ(row["status"], "ok");
  const int64_t run = ok["run_id"];
  EXPECT_EQ(server.Get("/api/series?run=" + std::to_string(run))["run_id"], run);
  EXPECT_EQ(server.Get("/api/series?target_year=2021")["run_id"], run);
  EXPECT_TRUE(server.Get("/api/series?target_year=2020")["run_id"].is_null());

  EXPECT_EQ(server.Get("/api/series?status=broken", 400)["error"]["status"], 400);
  EXPECT_EQ(server.Get("/api/series?sort=size", 400)["error"]["status"], 400);
  EXPECT_EQ(server.Get("/api/series?limit=0", 400)["error"]["status"], 400);
  EXPECT_EQ(server.Get("/api/series?run=999999", 404)["error"]["status"], 404);
}

TEST_F(DashboardSeriesTest, SeriesDetailHasAForecastForEveryDayOfTheYear) {
  Server server(dir_->path());
  const json detail = server.Get("/api/series/S2");
  const json cli = Json(Loadcast(dir_->path(), {"series", "show", "S2", "--json"}));
  EXPECT_EQ(detail["series"], "S2");
  EXPECT_EQ(detail["target_year"], 2021);
  EXPECT_EQ(detail["run_id"], server.Get("/api/series")["run_id"]);
  EXPECT_EQ(detail["mape"], cli["mape"]);
  const json& days = detail["forecast"];
  ASSERT_EQ(days.size(), 365u);
  EXPECT_EQ(days.front()["date"], "2021-01-01");
  EXPECT_EQ(days.back()["date"], "2021-12-31");
  EXPECT_EQ(days, cli["forecast"]);
  for (const json& day : days) {
    EXPECT_LE(day["lower"].get<double>(), day["forecast"].get<double>()) << day["date"];
    EXPECT_GE(day["upper"].get<double>(), day["forecast"].get<double>()) << day["date"];
  }
  const int64_t run = detail["run_id"];
  EXPECT_EQ(server.Get("/api/series/S2?run=" + std::to_string(run))["forecast"], days);

  const json missing = server.Get("/api/series/S9", 404);
  EXPECT_EQ(missing["error"]["status"], 404);
  EXPECT_NE(missing["error"]["message"].get<std::string>().find("S9"), std::string::npos);
  EXPECT_EQ(server.Get("/api/series/S2?run=999999", 404)["error"]["status"], 404);
}

}  // namespace
}  // namespace loadcast
