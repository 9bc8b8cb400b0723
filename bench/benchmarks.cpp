// Speed of the hot paths on the bundled data: parsing, feature building, fitting, forecasting.
// Run with `make bench`.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>

#include "core/frame.hpp"
#include "core/load_csv.hpp"
#include "model/registry.hpp"

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

void BM_BuildFrame(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(BuildFrame(Bundled(), Bundled().start(), Bundled().end()));
  }
}
BENCHMARK(BM_BuildFrame)->Unit(benchmark::kMicrosecond);

/// Fits a model of `kind` on the training years before 2021 and forecasts 2021.
void FitAndPredict(benchmark::State& state, const char* kind) {
  ModelParams params;
  params.kind = kind;
  params.training_years = static_cast<int>(state.range(0));
  const Date cut = Date::FromYmd(2021, 1, 1);
  const Frame training =
      BuildFrame(Bundled(), Date::FromYmd(2021 - params.training_years, 1, 1), cut);
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

}  // namespace
}  // namespace loadcast

BENCHMARK_MAIN();
