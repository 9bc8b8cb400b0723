// Loads the dashboard in headless Chromium and checks the rendered DOM: the views finish
// rendering, the charts are drawn, and the MAPE figures on the cards are the ones the database
// holds. The same for the report, opened from a file:// URL. Where a view is used (a series
// picked in a selector), Chromium is driven over the DevTools protocol.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/background_process.hpp"
#include "support/cli_runner.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using nlohmann::json;
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

/// Headless Chromium driven over the DevTools protocol on a pipe (--remote-debugging-pipe: it
/// reads commands on its fd 3 and writes answers and events on its fd 4, each a JSON text ended by
/// a NUL), attached to one page, so that a test can use a view the way a user does.
class Browser {
 public:
  explicit Browser(const std::filesystem::path& profile) {
    signal(SIGPIPE, SIG_IGN);  // a browser that died fails the test, not the test binary
    int commands[2];
    int answers[2];
    if (pipe(commands) != 0) return;
    if (pipe(answers) != 0) {
      close(commands[0]);
      close(commands[1]);
      return;
    }
    const std::string user_data = "--user-data-dir=" + profile.string();
    pid_ = fork();
    if (pid_ == 0) {
      // Above any number they are to take first, then onto 3 and 4 (dup2 clears close-on-exec).
      const int in = fcntl(commands[0], F_DUPFD, 10);
      const int out = fcntl(answers[1], F_DUPFD, 10);
      for (int fd : {commands[0], commands[1], answers[0], answers[1]}) close(fd);
      if (dup2(in, 3) != 3 || dup2(out, 4) != 4) _exit(127);
      close(in);
      close(out);
      const int null = open("/dev/null", O_WRONLY);
      if (null >= 0) {
        dup2(null, STDOUT_FILENO);
        dup2(null, STDERR_FILENO);
      }
      execl(kChromium, kChromium, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--no-first-run", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--window-size=1366,900", "--remote-debugging-pipe",
            user_data.c_str(), "about:blank", nullptr);
      _exit(127);
    }
    close(commands[0]);
    close(answers[1]);
    to_ = commands[1];
    from_ = answers[0];
    if (pid_ < 0) return;
    const json target = Send("Target.createTarget", {{"url", "about:blank"}});
    if (!target.contains("targetId")) return;
    const json attached =
        Send("Target.attachToTarget", {{"targetId", target["targetId"]}, {"flatten", true}});
    session_ = attached.value("sessionId", "");
  }
  ~Browser() {
    if (pid_ > 0) {
      if (to_ >= 0) Send("Browser.close", json::object(), false, std::chrono::seconds(5));
      for (int i = 0; i < 100 && waitpid(pid_, nullptr, WNOHANG) == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (waitpid(pid_, nullptr, WNOHANG) == 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
      }
    }
    if (to_ >= 0) close(to_);
    if (from_ >= 0) close(from_);
  }
  Browser(const Browser&) = delete;
  Browser& operator=(const Browser&) = delete;

  /// Whether the browser started and a page is attached.
  bool ready() const { return !session_.empty(); }

  void Navigate(const std::string& url) { Send("Page.navigate", {{"url", url}}, true); }

  /// The value of a JavaScript expression in the page (promises awaited); null when it threw,
  /// or the page was between documents.
  json Evaluate(const std::string& expression) {
    const json answer =
        Send("Runtime.evaluate",
             {{"expression", expression}, {"awaitPromise", true}, {"returnByValue", true}}, true);
    if (!answer.contains("result") || answer.contains("exceptionDetails")) return nullptr;
    return answer["result"].value("value", json(nullptr));
  }

  /// Waits until `condition` (JavaScript) is true in the page; false after `timeout`.
  bool WaitFor(const std::string& condition,
               std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Evaluate("Boolean(" + condition + ")") == true) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  /// The page's DOM as HTML.
  std::string Dom() {
    const json html = Evaluate("document.documentElement.outerHTML");
    return html.is_string() ? html.get<std::string>() : "";
  }

 private:
  /// Sends a command (to the page with `to_page`) and returns its result: {} after a protocol
  /// error or no answer within `timeout`.
  json Send(const std::string& method, const json& params, bool to_page = false,
            std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    json command = {{"id", ++last_id_}, {"method", method}, {"params", params}};
    if (to_page) command["sessionId"] = session_;
    const std::string text = command.dump() + '\0';
    for (std::size_t sent = 0; sent < text.size();) {
      const ssize_t n = write(to_, text.data() + sent, text.size() - sent);
      if (n <= 0) return json::object();
      sent += static_cast<std::size_t>(n);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      // Events and the answers to other commands are passed over.
      for (std::size_t end; (end = buffer_.find('\0')) != std::string::npos;) {
        const json message = json::parse(buffer_.substr(0, end), nullptr, false);
        buffer_.erase(0, end + 1);
        if (message.is_object() && message.value("id", 0) == last_id_) {
          return message.value("result", json::object());
        }
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      pollfd p{from_, POLLIN, 0};
      if (left.count() <= 0 || poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
      char chunk[65536];
      const ssize_t n = read(from_, chunk, sizeof chunk);
      if (n <= 0) break;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
    return json::object();
  }

  pid_t pid_ = -1;
  int to_ = -1;
  int from_ = -1;
  int last_id_ = 0;
  std::string buffer_;
  std::string session_;
};

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

TEST_F(DashboardBrowserTest, TheDriftTableShowsEveryStatisticOfItsWindows) {
  Browser browser(profile_.path());
  ASSERT_TRUE(browser.ready()) << "Chromium did not answer over --remote-debugging-pipe";
  browser.Navigate(server_->url + "#/year/2020?horizon=year");
  ASSERT_TRUE(browser.WaitFor("document.body.dataset.ready === 'year'")) << browser.Dom();
  // Each statistic column read from the field the API names it by: a column of dashes only
  // would be a field the page asks for under another name.
  EXPECT_EQ(browser.Evaluate(R"((() => {
    const table = [...document.querySelectorAll('table')].find((t) =>
      [...t.querySelectorAll('th')].some((th) => th.textContent === 'Mean shift'));
    if (!table) return 'no drift table';
    const heads = [...table.querySelectorAll('th')].map((th) => th.textContent);
    const filled = (label) => [...table.querySelectorAll('tbody tr')].some((tr) =>
      tr.children[heads.indexOf(label)].textContent !== '\u2013');
    return ['Mean shift', 'PSI', 'KS', 'KS p', 'Wasserstein'].filter((l) => !filled(l)).join(',');
  })())"),
            "");
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
  // The report holds the series list of its year's latest series run: none here, as it says.
  const std::string series = RenderedDom("file://" + report.string() + "#/series", profile_.path());
  EXPECT_NE(series.find("data-ready=\"series\""), std::string::npos);
  EXPECT_NE(series.find("No series run of 2020 was on record"), std::string::npos);
  EXPECT_EQ(series.find("class=\"error\""), std::string::npos);
}

TEST_F(DashboardBrowserTest, TheSeriesSelectorOpensASeriesWithItsForecastChart) {
  // Before any series run, the view says how to make one.
  const std::string before = RenderedDom(server_->url + "#/series", profile_.path());
  ASSERT_NE(before.find("data-ready=\"series\""), std::string::npos) << before.substr(0, 2000);
  EXPECT_NE(before.find("loadcast series ingest"), std::string::npos);
  EXPECT_NE(before.find("loadcast series run"), std::string::npos);

  const auto& d = dir_->path();
  ASSERT_EQ(Loadcast(d, {"series", "generate", "--count", "3", "--from", "2010", "--to", "2021",
                         "--out", "gen"})
                .exit_code,
            0);
  std::vector<std::string> ingest = {"series", "ingest", "--json"};
  for (int year = 2010; year <= 2021; ++year) {
    ingest.push_back("gen/series-" + std::to_string(year) + ".csv");
  }
  Json(Loadcast(d, ingest));
  const json run = Json(Loadcast(d, {"series", "run", "--target-year", "2021", "--json"}));
  const json s2 = Json(Loadcast(d, {"series", "show", "S2", "--json"}));
  const int64_t run_id = run.at("run_id").get<int64_t>();

  const std::string direct = RenderedDom(server_->url + "#/series/S3", profile_.path(),
                                         Screenshot("dashboard-series-S3.png"));
  ASSERT_NE(direct.find("data-ready=\"series-detail\""), std::string::npos);
  EXPECT_GE(CanvasesIn(direct, "series-forecast"), 1);

  Browser browser(profile_.path());
  ASSERT_TRUE(browser.ready()) << "Chromium did not answer over --remote-debugging-pipe";
  browser.Navigate(server_->url + "#/series");
  ASSERT_TRUE(browser.WaitFor("document.body.dataset.ready === 'series'")) << browser.Dom();
  EXPECT_EQ(browser.Evaluate("[...document.querySelectorAll('select[name=series] option')]"
                             ".map((o) => o.value).join(',')"),
            ",S1,S2,S3");
  EXPECT_EQ(browser.Evaluate("document.querySelector('[data-status=ok] .tile-count').textContent"),
            "3");

  // Picking S2 in the selector opens its page: the chart of its forecast, its scores.
  browser.Evaluate(R"((() => {
    const select = document.querySelector('select[name=series]');
    select.value = 'S2';
    select.dispatchEvent(new Event('change', { bubbles: true }));
  })())");
  ASSERT_TRUE(browser.WaitFor("document.body.dataset.ready === 'series-detail'")) << browser.Dom();
  EXPECT_EQ(browser.Evaluate("location.hash"), "#/series/S2?run=" + std::to_string(run_id));
  EXPECT_EQ(browser.Evaluate("document.querySelector('select[name=series]').value"), "S2");
  const std::string dom = browser.Dom();
  EXPECT_GE(CanvasesIn(dom, "series-forecast"), 1);
  EXPECT_EQ(dom.find("class=\"error\""), std::string::npos);
  const auto cards = Cards(dom);
  ASSERT_TRUE(cards.contains("mape/series/2021"));
  EXPECT_NEAR(std::stod(cards.at("mape/series/2021")), s2.at("mape").get<double>(), 1e-9);
  // The chart holds the interval and the forecast of every day of the year, and no actuals.
  EXPECT_EQ(browser.Evaluate("[...document.querySelectorAll('.u-legend .u-series th')]"
                             ".map((th) => th.textContent.trim()).join(',')"),
            "Date,Lower,Upper,Forecast");
  EXPECT_EQ(browser.Evaluate("[...charts.values()][0].data[0].length"), 365);

  // The filters update the address; the table follows it.
  browser.Evaluate("location.hash = '#/series'");
  ASSERT_TRUE(browser.WaitFor("document.body.dataset.ready === 'series'"));
  browser.Evaluate(R"((() => {
    delete document.body.dataset.ready;  // set again once the filtered list is drawn
    const form = document.querySelector('form.filters');
    form.elements.q.value = '3';
    form.elements.sort.value = 'mape';
    form.dispatchEvent(new Event('change'));
  })())");
  ASSERT_TRUE(
      browser.WaitFor("location.hash === '#/series?q=3&sort=mape' && "
                      "document.body.dataset.ready === 'series'"));
  EXPECT_EQ(browser.Evaluate("[...document.querySelectorAll('tbody tr td:first-child')]"
                             ".map((td) => td.textContent).join(',')"),
            "S3");
}

}  // namespace
}  // namespace loadcast
