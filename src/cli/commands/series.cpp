// loadcast series: many series (zones, substations, customers) at once. ingest and run are
// recorded runs; list and show read what a run stored; generate writes synthetic series.
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/output.hpp"
#include "cli/table.hpp"
#include "pipeline/series_flow.hpp"
#include "pipeline/series_generator.hpp"
#include "storage/record_json.hpp"

namespace loadcast::cli {
namespace {

nlohmann::json Optional(const std::optional<double>& v) {
  return v ? Nullable(*v) : nlohmann::json(nullptr);
}
std::string OptionalPct(const std::optional<double>& v) { return v ? Pct(*v) : "-"; }

std::string ResultTable(const std::vector<SeriesResultRow>& rows) {
  Table table(
      {"series", "status", "trained", "iter", "drift", "days", "MAPE", "MAE", "bias", "message"});
  for (const SeriesResultRow& r : rows) {
    table.Add({r.series, std::string(NameOf(r.status)),
               !r.train_from
                   ? "-"
                   : fmt::format("{}..{}", *r.train_from, r.train_to ? r.train_to->ToIso() : ""),
               std::to_string(r.iterations), r.drift ? fmt::format("{:+.1f}%", *r.drift) : "-",
               std::to_string(r.days), OptionalPct(r.mape), r.mae ? Num(*r.mae, 0) : "-",
               r.bias ? Num(*r.bias, 0) : "-", r.message});
  }
  return table.Render();
}

/// The run whose results to read: --run, else the latest succeeded series run (of
/// --target-year when given). UsageError when there is none.
int64_t ChosenRun(const DataController& data, int64_t run, int target_year) {
  if (run > 0) return run;
  const auto latest = data.series_results().LatestRun(
      target_year > 0 ? std::optional<int>(target_year) : std::nullopt);
  if (!latest) {
    throw UsageError(target_year > 0
                         ? fmt::format("no series run for {} on record: run 'loadcast series run "
                                       "--target-year {}' first",
                                       target_year, target_year)
                         : std::string("no series run on record: run 'loadcast series run' first"));
  }
  return *latest;
}

/// Adds --run and --target-year, which choose the series run to read (see ChosenRun).
void AddRunChoice(CLI::App& command, int64_t& run, int& target_year) {
  command.add_option("--run", run, "A series run's id (default: the latest)")
      ->check(CLI::PositiveNumber);
  AddYearOption(command, "--target-year", target_year, "The latest series run of this year");
}

void AddIngest(CLI::App& series, Context& context, Action& action) {
  auto files = std::make_shared<std::vector<std::string>>();
  auto* command = series.add_subcommand(
      "ingest", "Validate many-series CSV files (date,series,load) and store them by year");
  command->add_option("files", *files, "CSV files with a date,series,load header")->required();
  SetPrintAction(*command, action, [&context, files](bool) -> Output {
    const std::vector<std::filesystem::path> paths(files->begin(), files->end());
    const SeriesIngestResult r = SeriesIngestFlow(context.data(), context.config(), paths);
    return {{{"run_id", r.run_id}, {"series", r.series}, {"rows", r.rows}, {"years", r.years}},
            fmt::format("run {}: ingested {} rows of {} series; stored years: {}\n", r.run_id,
                        r.rows, r.series, fmt::join(r.years, ", "))};
  });
}

void AddRun(CLI::App& series, Context& context, Action& action) {
  auto target_year = std::make_shared<int>(0);
  auto* command = series.add_subcommand(
      "run",
      "Train on the years before --target-year and forecast it for every stored series, "
      "scoring each where the year's actuals exist");
  AddYearOption(*command, "--target-year", *target_year, "The year to forecast")->required();
  SetPrintAction(*command, action, [&context, target_year](bool) -> Output {
    const SeriesRunResult r = SeriesRunFlow(context.data(), context.config(), *target_year);
    double total_ms = 0.0;
    for (const auto& t : r.timings) total_ms += t.milliseconds;
    nlohmann::json j = {{"run_id", r.run_id},
                        {"target_year", r.target_year},
                        {"series", r.series.size()},
                        {std::string(NameOf(SeriesStatus::kOk)), r.ok},
                        {std::string(NameOf(SeriesStatus::kWarning)), r.warning},
                        {std::string(NameOf(SeriesStatus::kFailed)), r.failed},
                        {"scored", r.scored},
                        {"median_mape", Optional(r.median_mape)},
                        {"aggregate_mape", Optional(r.aggregate_mape)},
                        {"timings", TimingsJson(r.timings)}};
    std::string text =
        fmt::format("run {}: {} series for {}: {} ok, {} warning, {} failed ({:.0f} ms)\n",
                    r.run_id, r.series.size(), r.target_year, r.ok, r.warning, r.failed, total_ms);
    if (r.scored > 0) {
      text += fmt::format("scored {} series: median MAPE {}, MAPE of their sum {}\n", r.scored,
                          OptionalPct(r.median_mape), OptionalPct(r.aggregate_mape));
    }
    std::vector<SeriesResultRow> flagged;
    for (const auto& row : r.series) {
      if (row.status != SeriesStatus::kOk) flagged.push_back(row);
    }
    if (!flagged.empty()) text += ResultTable(flagged);
    return {std::move(j), std::move(text)};
  });
}

void AddList(CLI::App& series, Context& context, Action& action) {
  struct Options {
    int64_t run = 0;
    int target_year = 0;
    std::string pattern;
    std::string status;
    std::string sort = "series";
    int limit = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command =
      series.add_subcommand("list", "The series of a series run: status, training, scores");
  AddRunChoice(*command, options->run, options->target_year);
  command->add_option("--series", options->pattern,
                      "Only series whose name matches this pattern (* and ? wildcards)");
  command->add_option("--status", options->status, "Only series of this status")
      ->check(CLI::IsMember(std::vector<std::string>(VocabularyNames<SeriesStatus>().begin(),
                                                     VocabularyNames<SeriesStatus>().end())));
  command->add_option("--sort", options->sort, "series (name) or mape (worst first)")
      ->check(CLI::IsMember({"series", "mape"}))
      ->capture_default_str();
  command->add_option("--limit", options->limit, "At most this many series (0: all)")
      ->check(CLI::NonNegativeNumber);
  SetPrintAction(*command, action, [&context, options](bool) -> Output {
    const DataController& data = context.data();
    SeriesQuery query;
    query.run_id = ChosenRun(data, options->run, options->target_year);
    if (!options->status.empty()) query.status = ParseName<SeriesStatus>(options->status);
    std::vector<SeriesResultRow> rows = data.series_results().List(query);
    if (!options->pattern.empty()) {
      std::erase_if(rows, [&](const SeriesResultRow& r) {
        return fnmatch(options->pattern.c_str(), r.series.c_str(), 0) != 0;
      });
    }
    if (options->sort == "mape") {
      std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
        return a.mape.value_or(-1.0) > b.mape.value_or(-1.0);
      });
    }
    if (options->limit > 0 && rows.size() > static_cast<std::size_t>(options->limit)) {
      rows.resize(static_cast<std::size_t>(options->limit));
    }
    nlohmann::json series = nlohmann::json::array();
    for (const auto& r : rows) series.push_back(ToJson(r));
    return {{{"run_id", query.run_id}, {"series", series}},
            fmt::format("series run {}\n{}", query.run_id, ResultTable(rows))};
  });
}

void AddShow(CLI::App& series, Context& context, Action& action) {
  struct Options {
    std::string name;
    int64_t run = 0;
    int target_year = 0;
  };
  auto options = std::make_shared<Options>();
  auto* command = series.add_subcommand("show", "One series' forecast, day by day");
  command->add_option("name", options->name, "The series")->required();
  AddRunChoice(*command, options->run, options->target_year);
  SetPrintAction(*command, action, [&context, options](bool) -> Output {
    const DataController& data = context.data();
    SeriesQuery query;
    query.run_id = ChosenRun(data, options->run, options->target_year);
    query.series = options->name;
    query.with_forecast = true;
    const std::vector<SeriesResultRow> rows = data.series_results().List(query);
    if (rows.empty()) {
      throw UsageError(
          fmt::format("series run {} has no series '{}' ('loadcast series list' "
                      "shows its series)",
                      query.run_id, options->name));
    }
    const SeriesResultRow& r = rows.front();
    std::string text = fmt::format("series {} (run {}): {}{}\n", r.series, r.run_id, r.status,
                                   r.message.empty() ? "" : ": " + r.message);
    Table table({"date", "forecast", "lower", "upper"});
    const std::optional<Date> start = r.forecast_start;
    for (std::size_t d = 0; start && d < r.forecast.size(); ++d) {
      table.Add({(*start + static_cast<int>(d)).ToIso(), Num(r.forecast[d], 1),
                 d < r.lower.size() ? Num(r.lower[d], 1) : "-",
                 d < r.upper.size() ? Num(r.upper[d], 1) : "-"});
    }
    return {SeriesResultWithForecastJson(r), text + table.Render()};
  });
}

void AddGenerate(CLI::App& series, Context& context, Action& action) {
  auto options = std::make_shared<SeriesGeneratorOptions>();
  auto out = std::make_shared<std::string>();
  auto* command = series.add_subcommand(
      "generate",
      "Write synthetic series made from the stored actuals (scaled, with their own trend, "
      "pattern strength, local holiday and noise), one CSV file per year");
  command->add_option("--count", options->count, "How many series")
      ->required()
      ->check(CLI::Range(1, 1000000));
  command->add_option("--from", options->first_year, "First year")->capture_default_str();
  command->add_option("--to", options->last_year, "Last year")->capture_default_str();
  command->add_option("--seed", options->seed, "Random seed")->capture_default_str();
  command->add_option("--out", *out, "Folder for the files series-<year>.csv")->required();
  command->callback([&context, &action, options, out] {
    action = [&context, options, out] {
      if (options->first_year > options->last_year) {
        throw UsageError(fmt::format("series generate: --from {} is after --to {}",
                                     options->first_year, options->last_year));
      }
      DataController& data = context.data();
      const std::filesystem::path folder = context.config().Resolve(*out);
      data.CheckExportFolder(folder);
      const TimeSeries base = data.actuals().LoadRange(options->first_year, options->last_year);
      // The folder itself may be new; the folder it is in must exist, as for any --out.
      std::error_code ec;
      std::filesystem::create_directory(folder, ec);
      if (ec) {
        throw UsageError(
            fmt::format("--out {}: cannot create the folder: {}", folder.string(), ec.message()));
      }
      for (const auto& [year, text] : GenerateSeries(base, *options)) {
        data.WriteExport(folder / fmt::format("series-{}.csv", year), text);
      }
      fmt::print("wrote {} series for {}-{} to {}\n", options->count, options->first_year,
                 options->last_year, *out);
      return 0;
    };
  });
}

}  // namespace

void AddSeriesCommand(CLI::App& app, Context& context, Action& action) {
  auto* series = app.add_subcommand(
      "series", "Many series at once (zones, substations, customers): ingest, run, list, show");
  series->require_subcommand(1);
  AddIngest(*series, context, action);
  AddRun(*series, context, action);
  AddList(*series, context, action);
  AddShow(*series, context, action);
  AddGenerate(*series, context, action);
}

}  // namespace loadcast::cli
