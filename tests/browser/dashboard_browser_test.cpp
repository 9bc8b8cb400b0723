// Loads the dashboard in headless Chromium and checks the rendered DOM: the views finish
// rendering, the charts are drawn, and the MAPE figures on the cards are the ones the database
// holds. The same for the report, opened from a file:// URL.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::BundledData;
using testing::Json;
using testing::Loadcast;
using testing::ShellQuote;
using testing::Slurp;
using testing::TempDir;

const char* const kChromium = "/usr/bin/chromium";

/// Runs Chromium headless on `url` and returns the DOM after the page's scripts have run (the
/// virtual time budget lets its requests and rendering finish). With `screenshot`, also writes
/// a PNG of the page there, at the given window size.
std::string RenderedDom(const std::string& url, const std::filesystem::path& profile,
                        const std::string& screenshot = "", const std::string& size = "1366,900") {
  std::string command = std::string(kChromium) +
                        " --headless --no-sandbox --disable-gpu --disable-background-networking"
                        " --no-first-run --disable-dev-shm-usage --hide-scrollbars"
                        " --virtual-time-budget=20000 --user-data-dir=" +
                        ShellQuote(profile.string()) + " --window-size=" + size;
  if (!screenshot.empty()) command += " --screenshot=" + ShellQuote(screenshot);
  command += " --dump-dom " + ShellQuote(url) + " 2>/dev/null";
  std::string dom;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return dom;
  char buffer[65536];
  for (std::size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) dom.append(buffer, n);
  pclose(pipe);
  return dom;
}

/// The value of attribute `name` in an element's opening tag, or "".
std::string Attribute(const std::string& tag, const std::string& name) {
  const std::regex pattern(name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(tag, m, pattern) ? m[1].str() : "";
}

/// The opening tags of the metric cards, keyed "metric/horizon/year".
std::map<std::string, std::string> Cards(const std::string& dom) {
  std::map<std::string, std::string> cards;
  const std::regex tag(R"(<div[^>]*\bclass="card"[^>]*>)");
  for (auto it = std::sregex_iterator(dom.begin(), dom.end(), tag); it != std::sregex_iterator();
       ++it) {
    const std::string t = it->str();
    cards[Attribute(t, "data-metric") + "/" + Attribute(t, "data-horizon") + "/" +
          Attribute(t, "data-year")] = Attribute(t, "data-value");
  }
  return cards;
}

/// How many canvases the chart container `name` holds (uPlot draws into one).
int CanvasesIn(const std::string& dom, const std::string& name) {
  const auto start = dom.find("data-chart=\"" + name + "\"");
  if (start == std::string::npos) return -1;
  const auto next = dom.find("data-chart=", start + 1);
  const std::string chart =
      dom.substr(start, next == std::string::npos ? std::string::npos : next - start);
  int count = 0;
  for (auto pos = chart.find("<canvas"); pos != std::string::npos;
       pos = chart.find("<canvas", pos + 1)) {
    ++count;
  }
  return count;
}

/// `loadcast serve --port 0` in the background, and the address it announced.
struct Server {
  explicit Server(const std::filesystem::path& cwd)
      : process(cwd, {"serve", "--port", "0", "--log-level", "warn"}) {
    std::smatch m;
    const std::string line = process.FirstLine();
    if (std::regex_search(line, m, std::regex(R"((http://\S+/))"))) url = m[1].str();
  }
  testing::BackgroundProcess process;
  std::string url;
};

class DashboardBrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::exists(kChromium)) return;
    dir_ = new TempDir;
    const auto& d = dir_->path();
    Json(Loadcast(d, {"ingest", BundledData().string(), "--json"}));
    for (const char* year : {"2020", "2021"}) {
      for (const char* horizon : {"year", "day"}) {
        Json(Loadcast(d, {"run", "--target-year", year, "--horizon", horizon, "--json"}));
      }
    }
    Json(Loadcast(d, {"monitor", "--target-year", "2020", "--as-of", "2020-03-31", "--json"}));
    for (const auto& e : Json(Loadcast(d, {"metrics", "--json"}))) {
      mape_[e.at("horizon").get<std::string>() + "/" +
            std::to_string(e.at("target_year").get<int>())] = e.at("mape").get<double>();
    }
    server_ = new Server(d);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete dir_;
    server_ = nullptr;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!std::filesystem::exists(kChromium)) GTEST_SKIP() << "no " << kChromium;
    ASSERT_FALSE(server_->url.empty()) << "loadcast serve printed no address";
  }

  /// The card's value as a number, which must be the database's MAPE.
  void ExpectMape(const std::map<std::string, std::string>& cards, const std::string& horizon,
                  int year) {
    const std::string key = "mape/" + horizon + "/" + std::to_string(year);
    ASSERT_TRUE(cards.contains(key)) << key;
    const double expected = mape_.at(horizon + "/" + std::to_string(year));
    EXPECT_NEAR(std::stod(cards.at(key)), expected, 1e-9) << key;
  }

  static std::string Screenshot(const std::string& name) {
    return (std::filesystem::path(LOADCAST_BUILD_DIR) / name).string();
  }

  static TempDir* dir_;
  static Server* server_;
  static std::map<std::string, double> mape_;  // "horizon/year" -> MAPE in the database
  TempDir profile_;
};

TempDir* DashboardBrowserTest::dir_ = nullptr;
Server* DashboardBrowserTest::server_ = nullptr;
std::map<std::string, double> DashboardBrowserTest::mape_;

TEST_F(DashboardBrowserTest, TheOverviewShowsTheMapeOfTheLatestYearOfEachHorizon) {
  const std::string dom =
      RenderedDom(server_->url, profile_.path(), Screenshot("dashboard-overview.png"));
  ASSERT_NE(dom.find("data-ready=\"overview\""), std::string::npos) << dom.substr(0, 2000);
  const auto cards = Cards(dom);
  ExpectMape(cards, "year", 2021);
  ExpectMape(cards, "day", 2021);
  EXPECT_EQ(dom.find("class=\"error\""), std::string::npos);
}

TEST_F(DashboardBrowserTest, TheYearViewDrawsItsChartsAndTheYearsMape) {
  for (const char* horizon : {"year", "day"}) {
    SCOPED_TRACE(horizon);
    const std::string dom =
        RenderedDom(server_->url + "#/year/2020?horizon=" + horizon, profile_.path(),
                    Screenshot(std::string("dashboard-2020-") + horizon + ".png"));
    ASSERT_NE(dom.find("data-ready=\"year\""), std::string::npos) << dom.substr(0, 2000);
    for (const char* chart : {"forecast", "residuals", "monthly"}) {
      EXPECT_GE(CanvasesIn(dom, chart), 1) << chart;
    }
    ExpectMape(Cards(dom), horizon, 2020);
    // The monitor run's drift windows are in the table.
    EXPECT_NE(dom.find("2020-03-"), std::string::npos);
  }
}

TEST_F(DashboardBrowserTest, ThePagesRenderAtPhoneWidth) {
  const std::string dom = RenderedDom(server_->url + "#/year/2020?horizon=year", profile_.path(),
                                      Screenshot("dashboard-2020-phone.png"), "390,844");
  ASSERT_NE(dom.find("data-ready=\"year\""), std::string::npos);
  EXPECT_GE(CanvasesIn(dom, "forecast"), 1);
}

TEST_F(DashboardBrowserTest, BacktestsAlertsAndModelsRender) {
  Json(Loadcast(dir_->path(), {"backtest", "--from", "2018", "--to", "2021", "--json"}));
  const std::vector<std::pair<std::string, std::string>> views = {
      {"#/backtests", "backtests"}, {"#/alerts", "alerts"}, {"#/models", "models"}};
  for (const auto& [hash, ready] : views) {
    const std::string dom = RenderedDom(server_->url + hash, profile_.path());
    EXPECT_NE(dom.find("data-ready=\"" + ready + "\""), std::string::npos) << hash;
    EXPECT_EQ(dom.find("class=\"error\""), std::string::npos) << hash;
  }
  EXPECT_GE(CanvasesIn(RenderedDom(server_->url + "#/backtests", profile_.path()), "backtest-year"),
            1);
}

TEST_F(DashboardBrowserTest, TheReportOpensFromAFileWithNoServer) {
  const auto report = dir_->path() / "report-2020.html";
  ASSERT_EQ(Loadcast(dir_->path(), {"report", "--target-year", "2020", "--out", report.string()})
                .exit_code,
            0);
  const std::string html = Slurp(report);
  EXPECT_EQ(html.find("src=\"/assets"), std::string::npos);
  EXPECT_EQ(html.find("href=\"/assets"), std::string::npos);
  const std::string dom = RenderedDom("file://" + report.string() + "#/year/2020?horizon=year",
                                      profile_.path(), Screenshot("report-2020.png"));
  ASSERT_NE(dom.find("data-ready=\"year\""), std::string::npos) << dom.substr(0, 2000);
  EXPECT_GE(CanvasesIn(dom, "forecast"), 1);
  ExpectMape(Cards(dom), "year", 2020);
  const std::string overview = RenderedDom("file://" + report.string(), profile_.path());
  EXPECT_NE(overview.find("data-ready=\"overview\""), std::string::npos);
}

}  // namespace
}  // namespace loadcast
