#include "web/report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <limits>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "web/assets.hpp"
#include "web/dashboard_data.hpp"

namespace loadcast::web {
namespace {

std::string AssetText(std::string_view path) {
  const auto asset = FindAsset(path);
  // The table is generated from the files CMakeLists.txt lists: a missing one is a build error.
  if (!asset) throw Error(fmt::format("the embedded web asset {} is missing", path));
  return std::string(asset->bytes);
}

/// A line of the page and what the report puts in its place.
struct Replacement {
  std::string_view line;
  std::string text;
};

/// Replaces each line (without its indentation) of `page` by its text. The lines are all found in
/// the page as written, before anything is inlined, so that inlined text is never searched.
std::string ReplaceLines(const std::string& page, std::vector<Replacement> replacements) {
  std::vector<std::pair<std::size_t, const Replacement*>> at;
  for (const Replacement& r : replacements) {
    const std::size_t position = page.find(r.line);
    if (position == std::string::npos) {
      throw Error(fmt::format("web/index.html has no line '{}' for the report to replace", r.line));
    }
    at.emplace_back(position, &r);
  }
  std::sort(at.begin(), at.end());
  std::string out;
  std::size_t copied = 0;
  for (const auto& [position, r] : at) {
    out.append(page, copied, position - copied);
    out += r->text;
    copied = position + r->line.size();
  }
  out.append(page, copied);
  return out;
}

bool StartsWithIgnoringCase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

/// JSON as the text of a <script>: "</" cannot close the element and "<!--" cannot open a
/// comment, while the text still parses as the same JSON (both only occur inside strings).
std::string ScriptJson(const nlohmann::json& value) {
  const std::string text = value.dump();
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.compare(i, 2, "</") == 0) {
      out += "<\\/";
      ++i;
    } else if (text.compare(i, 4, "<!--") == 0) {
      out += "\\u003c!--";
      i += 3;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string EscapeForElement(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<' && i + 1 < text.size() && text[i + 1] == '/' &&
        (StartsWithIgnoringCase(text, i + 2, "script") ||
         StartsWithIgnoringCase(text, i + 2, "style"))) {
      out += "<\\/";
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

nlohmann::json ReportData(const DataController& data, const Config& config,
                          const ReportRequest& request) {
  const std::vector<Horizon> asked = request.horizons.empty()
                                         ? std::vector<Horizon>{Horizon::kYear, Horizon::kDay}
                                         : request.horizons;
  nlohmann::json answers = nlohmann::json::object();
  nlohmann::json horizons = nlohmann::json::array();
  for (Horizon horizon : asked) {
    if (!data.forecasts().Current(request.target_year, horizon, 0)) {
      spdlog::info("report: no {} forecast of {} is published; the report leaves it out",
                   HorizonName(horizon), request.target_year);
      continue;
    }
    // The key is the path app.js's yearApiPath builds.
    answers[fmt::format("/api/years/{}?horizon={}", request.target_year, HorizonName(horizon))] =
        YearView(data, config, request.target_year, horizon);
    horizons.push_back(HorizonName(horizon));
  }
  if (horizons.empty()) {
    std::vector<std::string> names;
    for (Horizon horizon : asked) names.emplace_back(HorizonName(horizon));
    throw UsageError(fmt::format(
        "report: no forecast of {} is published for horizon {}: run 'loadcast run --target-year "
        "{}' first",
        request.target_year, fmt::join(names, " or "), request.target_year));
  }
  // The lists are embedded once, unfiltered; app.js filters them the way the server would.
  answers["/api/overview"] = Overview(data, config);
  answers["/api/backtests"] = Backtests(data, config);
  AlertFilter alerts;
  alerts.limit = kDefaultAlertLimit;
  answers["/api/alerts"] = Alerts(data, config, alerts);
  answers["/api/models"] = Models(data, config, std::nullopt);
  // The series of the year's latest series run, all of them, without their day-by-day forecasts.
  SeriesListQuery series;
  series.target_year = request.target_year;
  series.limit = std::numeric_limits<int>::max();
  answers["/api/series"] = SeriesList(data, series);
  return {{"data", answers}, {"target_year", request.target_year}, {"horizons", horizons}};
}

std::string RenderReport(const nlohmann::json& report) {
  const auto style = [](std::string_view path) {
    return "<style>\n" + EscapeForElement(AssetText(path)) + "\n</style>";
  };
  const auto script = [](std::string_view path) {
    return "<script>\n" + EscapeForElement(AssetText(path)) + "\n</script>";
  };
  return ReplaceLines(AssetText("index.html"),
                      {{R"(<link rel="stylesheet" href="/assets/vendor/uplot/uPlot.min.css">)",
                        style("vendor/uplot/uPlot.min.css")},
                       {R"(<link rel="stylesheet" href="/assets/app.css">)", style("app.css")},
                       {"<!-- loadcast:report-data -->",
                        "<script>window.LOADCAST_REPORT = " + ScriptJson(report) + ";</script>"},
                       {R"(<script src="/assets/vendor/uplot/uPlot.iife.min.js"></script>)",
                        script("vendor/uplot/uPlot.iife.min.js")},
                       {R"(<script src="/assets/app.js"></script>)", script("app.js")}});
}

void WriteReport(const DataController& data, const Config& config, const ReportRequest& request,
                 const std::filesystem::path& out) {
  data.WriteExport(out, RenderReport(ReportData(data, config, request)));
}

}  // namespace loadcast::web
