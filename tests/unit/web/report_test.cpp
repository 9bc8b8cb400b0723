#include "web/report.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "web/assets.hpp"
#include "web_fixture.hpp"

namespace loadcast::web {
namespace {

using nlohmann::json;

class ReportTest : public WebTest {};

std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

/// The JSON a report embeds, read back from its HTML.
json EmbeddedData(const std::string& html) {
  const std::string start = "<script>window.LOADCAST_REPORT = ";
  const std::size_t from = html.find(start);
  EXPECT_NE(from, std::string::npos);
  const std::size_t to = html.find(";</script>", from);
  return json::parse(html.substr(from + start.size(), to - from - start.size()));
}

TEST_F(ReportTest, DataIsKeyedByThePathsAppJsAsksFor) {
  const json report = ReportData(data(), config(), {.target_year = 2020, .horizons = {}});
  EXPECT_EQ(report["target_year"], 2020);
  // Nothing is published for the day horizon: the report holds the year view only.
  EXPECT_EQ(report["horizons"], json::array({"year"}));
  std::set<std::string> keys;
  for (const auto& [key, value] : report["data"].items()) keys.insert(key);
  EXPECT_EQ(keys,
            (std::set<std::string>{"/api/overview", "/api/years/2020?horizon=year",
                                   "/api/backtests", "/api/alerts", "/api/models", "/api/series"}));
  EXPECT_EQ(report["data"]["/api/years/2020?horizon=year"]["days"].size(), 366u);
  EXPECT_FALSE(report["data"]["/api/alerts"]["alerts"].empty());
}

TEST_F(ReportTest, NeedsAPublishedForecastOfTheYear) {
  EXPECT_THROW(ReportData(data(), config(), {.target_year = 2020, .horizons = {Horizon::kDay}}),
               UsageError);
  EXPECT_THROW(ReportData(data(), config(), {.target_year = 2019, .horizons = {}}), UsageError);
}

TEST_F(ReportTest, InlinesThePageScriptsAndStylesAndEmbedsTheData) {
  const json report = ReportData(data(), config(), {.target_year = 2020, .horizons = {}});
  const std::string html = RenderReport(report);
  EXPECT_EQ(html.find("src=\"/assets"), std::string::npos);
  EXPECT_EQ(html.find("href=\"/assets"), std::string::npos);
  EXPECT_EQ(html.find("<!-- loadcast:report-data -->"), std::string::npos);
  EXPECT_NE(html.find(std::string(FindAsset("app.js")->bytes.substr(0, 200))), std::string::npos);
  EXPECT_NE(html.find("uPlot"), std::string::npos);
  EXPECT_NE(html.find(".uplot"), std::string::npos);  // its style sheet
  // Three script elements (the data, uPlot, app.js), each closed once; two style elements.
  EXPECT_EQ(Count(html, "<script>"), 3u);
  EXPECT_EQ(Count(html, "</script>"), 3u);
  EXPECT_EQ(Count(html, "<style>"), 2u);
  EXPECT_EQ(Count(html, "</style>"), 2u);
  EXPECT_EQ(EmbeddedData(html), report);
}

TEST_F(ReportTest, TextThatWouldCloseAnElementIsEscaped) {
  json report = {{"data", {{"/api/alerts", {{"alerts", {{{"message", "</script><!-- x"}}}}}}}},
                 {"target_year", 2020},
                 {"horizons", {"year"}}};
  const std::string html = RenderReport(report);
  EXPECT_EQ(html.find("</script><!--"), std::string::npos);
  EXPECT_EQ(EmbeddedData(html), report);
  EXPECT_EQ(EscapeForElement("a</script>b</STYLE>c</div>"), "a<\\/script>b<\\/STYLE>c</div>");
}

TEST_F(ReportTest, WriteReportWritesTheFile) {
  testing::TempDir dir;
  const auto out = dir.path() / "r.html";
  WriteReport(data(), config(), {.target_year = 2020, .horizons = {Horizon::kYear}}, out);
  std::ifstream in(out);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(EmbeddedData(text.str())["horizons"], json::array({"year"}));
}

}  // namespace
}  // namespace loadcast::web
