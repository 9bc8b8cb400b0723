// The report: the dashboard as one self-contained HTML file. The page, its script and style sheet
// and the charting library are inlined, and the API's answers the views ask for are embedded as
// window.LOADCAST_REPORT, so that it opens from a file:// URL with no server and no network.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"

namespace loadcast::web {

/// What a report holds: the year view of `target_year` for `horizons` (both when empty).
struct ReportRequest {
  int target_year = 0;
  std::vector<Horizon> horizons;
};

/// The report's data: {"data": {"<api path with query>": answer}, "target_year", "horizons"},
/// keyed exactly as web/app.js asks for them. A horizon with nothing published for the year is
/// left out; UsageError when none is left.
nlohmann::json ReportData(const DataController& data, const Config& config,
                          const ReportRequest& request);

/// The HTML of the report: web/index.html with its style sheets and scripts inlined and `report`
/// (see ReportData) embedded at its marker.
std::string RenderReport(const nlohmann::json& report);

/// Builds the report and writes it to `out` atomically through the controller.
void WriteReport(const DataController& data, const Config& config, const ReportRequest& request,
                 const std::filesystem::path& out);

/// `text` made safe inside an HTML <script> or <style> element: every "</" that could close it
/// ("</script", "</style", in any case) becomes "<\/".
std::string EscapeForElement(const std::string& text);

}  // namespace loadcast::web
