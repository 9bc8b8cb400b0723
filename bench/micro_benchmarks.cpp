// Speed of the hot paths on the bundled data: reading a CSV, validating it, building the calendar
// features, fitting and forecasting with each forecaster, the drift statistics, and the many-series
// paths (reading a date,series,load file; fitting series on a shared design). Run with
// `make bench` (with the command benchmarks) or build/bench/loadcast_micro_bench alone.
#include <benchmark/benchmark.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "core/config.hpp"
#include "core/drift_stats.hpp"
#include "core/frame.hpp"
#include "core/load_csv.hpp"
#include "core/series_csv.hpp"
#include "model/calendar_batch.hpp"
#include "model/kinds.hpp"
#include "model/registry.hpp"
#include "pipeline/series_generator.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {
namespace {

const std::string& BundledText() {
  static const std::string text = [] {
    std::ifstream in(std::string(LOADCAST_SOURCE_DIR) + "/data/italian-power-load/load.csv");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
  }();
  return text;
}

const TimeSeries& Bundled() {
  static const TimeSeries series = [] {
    TimeSeries s;
    for (const LoadRow& row : ParseLoadCsv(BundledText(), "load.csv").rows)
      s.set(row.date, row.load);
    return s;
  }();
  return series;
}

void BM_ParseLoadCsv(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseLoadCsv(BundledText(), "load.csv"));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * BundledText().size()));
}
BENCHMARK(BM_ParseLoadCsv)->Unit(benchmark::kMicrosecond);

/// The bundled rows of `year` as the yearly object ingest stores (header date,load).
std::string YearText(int year) {
  std::string text = "date,load\n";
  for (Date d = Date::FromYmd(year, 1, 1); d < Date::FromYmd(year + 1, 1, 1); ++d) {
    text += d.ToIso() + "," + std::to_string(Bundled().at(d)) + "\n";
  }
  return text;
}

/// The whole validation suite on one year's file against the years before it, as ingest runs it.
void BM_ValidateYearFile(benchmark::State& state) {
  const Validator validator(DefaultConfig("."), Date::FromYmd(2022, 1, 1));
  const std::string text = YearText(2021);
  const TimeSeries history = Bundled().slice(Bundled().start(), Date::FromYmd(2021, 1, 1));
  for (auto _ : state) benchmark::DoNotOptimize(validator.CheckFile(text, "2021.csv", history));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ValidateYearFile)->Unit(benchmark::kMicrosecond);

void BM_BuildFrame(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildFrame(Bundled(), Bundled().start(), Bundled().end()));
  }
}
BENCHMARK(BM_BuildFrame)->Unit(benchmark::kMicrosecond);

/// Fits a model of `kind` on the training years before 2021 and forecasts 2021.
void FitAndPredict(benchmark::State& state, const char* kind) {
  ModelSpec params = DefaultModelSpec(kind);
  params.common.training_years = static_cast<int>(state.range(0));
  const Date cut = Date::FromYmd(2021, 1, 1);
  const Frame training =
      BuildFrame(Bundled(), Date::FromYmd(2021 - params.common.training_years, 1, 1), cut);
  const Frame targets = BuildFrame(Bundled(), cut, Date::FromYmd(2022, 1, 1));
  for (auto _ : state) {
    auto model = MakeForecaster(params);
    model->Fit(training);
    benchmark::DoNotOptimize(model->Predict(targets, Bundled()));
  }
}
BENCHMARK_CAPTURE(FitAndPredict, calendar_regression, "calendar_regression")
    ->Arg(4)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(FitAndPredict, calendar_ar, "calendar_ar")
    ->Arg(4)
    ->Arg(10)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(FitAndPredict, seasonal_naive, "seasonal_naive")
    ->Arg(4)
    ->Unit(benchmark::kMillisecond);

/// Log load of 2021 against that of the three years before it, the samples monitor compares.
void BM_DriftStatistics(benchmark::State& state) {
  std::vector<double> reference;
  std::vector<double> current;
  for (Date d = Date::FromYmd(2018, 1, 1); d < Date::FromYmd(2022, 1, 1); ++d) {
    (d.year() < 2021 ? reference : current).push_back(std::log(Bundled().at(d)));
  }
  for (auto _ : state) benchmark::DoNotOptimize(CompareDistributions(reference, current));
}
BENCHMARK(BM_DriftStatistics)->Unit(benchmark::kMicrosecond);

/// 100 synthetic series of 2021 (as `series generate` writes them), read and checked.
void BM_ParseSeriesCsv(benchmark::State& state) {
  const std::string text =
      GenerateSeries(Bundled(), {.count = 100, .first_year = 2021, .last_year = 2021}).at(2021);
  for (auto _ : state) benchmark::DoNotOptimize(ParseSeriesCsv(text, "series-2021.csv", {}));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ParseSeriesCsv)->Unit(benchmark::kMillisecond);

/// The year-ahead model of state.range(0) synthetic series, 10 training years, one thread: the
/// design and its factorization, then every series fitted and forecast, eight at a time.
void BM_CalendarBatch(benchmark::State& state) {
  const auto count = static_cast<int>(state.range(0));
  const std::map<int, std::string> years =
      GenerateSeries(Bundled(), {.count = count, .first_year = 2011, .last_year = 2020});
  std::vector<std::vector<double>> loads(static_cast<std::size_t>(count));
  for (const auto& [year, text] : years) {
    const SeriesTable table = ParseSeriesCsv(text, "generated", {.max_daily_jump = 10.0});
    for (std::size_t i = 0; i < table.size(); ++i) {
      loads[i].insert(loads[i].end(), table.loads[i].values().begin(),
                      table.loads[i].values().end());
    }
  }
  const std::vector<std::span<const double>> spans(loads.begin(), loads.end());
  const ModelSpec params = ModelSpecOf(Config(), Horizon::kYear);
  for (auto _ : state) {
    const CalendarBatch batch(params.common, CalendarParamsOf(params), Date::FromYmd(2011, 1, 1),
                              Date::FromYmd(2021, 1, 1), Date::FromYmd(2021, 1, 1),
                              Date::FromYmd(2022, 1, 1));
    benchmark::DoNotOptimize(batch.FitPredictMany(spans));
  }
  state.counters["series_per_s"] =
      benchmark::Counter(static_cast<double>(count), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_CalendarBatch)->Arg(1)->Arg(8)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace loadcast

BENCHMARK_MAIN();
