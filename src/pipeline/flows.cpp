#include "pipeline/flows.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "pipeline/backtester.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/prediction_checker.hpp"
#include "pipeline/predictor.hpp"
#include "pipeline/trainer.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {
namespace {

/// The steps shared by the flows, each run as a named step of one recorded run.
class Steps {
 public:
  Steps(Run& run, FlowResult& result)
      : run_(run), result_(result), validator_(run.config(), Date::Today()) {}

  EnrichedData ExtractValidateEnrich() {
    const ModelParams& params = run_.config().model(result_.horizon);
    const ExtractedData extracted = run_.Step("extract", [&] {
      // The extra years feed interval calibration (train); predict reads only the window.
      return Extractor(run_.data(), validator_)
          .Extract(result_.target_year, params.training_years, params.calibration_years);
    });
    run_.Step("validate", [&] {
      validator_.ValidateSeries(
          extracted.actuals,
          fmt::format("actuals {}-{}", extracted.first_year, result_.target_year));
    });
    return run_.Step("enrich", [&] { return Enrich(extracted, result_.horizon); });
  }

  void Train(const EnrichedData& enriched) {
    result_.model = run_.Step("train", [&] {
      return loadcast::Train(run_.data(), run_.id(), enriched,
                             run_.config().model(result_.horizon));
    });
  }

  void PredictCheckPublish(const EnrichedData& enriched,
                           const std::optional<std::filesystem::path>& out) {
    Prediction prediction = run_.Step("predict", [&] { return Predict(run_.data(), enriched); });
    result_.model = prediction.model;
    result_.actuals = enriched.targets.load;
    result_.checks = run_.Step("check", [&] {
      auto checks = CheckPrediction(prediction.forecast, enriched, run_.config());
      run_.data().SaveChecks(run_.id(), checks);
      for (const CheckRow& c : checks) {
        if (c.status == "warn") {
          run_.Alert("warning", "check", "check_" + c.check, c.detail);
        }
      }
      if (AnyFailed(checks)) {
        std::string failed;
        for (const CheckRow& c : checks) {
          if (c.status == "fail") failed += fmt::format("\n  {}: {}", c.check, c.detail);
        }
        throw ForecastRejected(
            fmt::format("{} forecast of {} failed its checks and was not "
                        "published:{}",
                        HorizonName(result_.horizon), result_.target_year, failed));
      }
      return checks;
    });
    run_.Step("publish", [&] {
      std::vector<ForecastRow> rows;
      rows.reserve(prediction.forecast.size());
      for (std::size_t i = 0; i < prediction.forecast.size(); ++i) {
        rows.push_back({prediction.forecast.dates[i].ToIso(), prediction.forecast.mean[i],
                        prediction.forecast.lower[i], prediction.forecast.upper[i]});
      }
      run_.data().PublishForecast(run_.id(), prediction.model.id, rows);
      if (out) {
        run_.data().WriteExport(*out, FormatForecastCsv(prediction.forecast, result_.actuals));
        result_.exported = *out;
      }
    });
    result_.forecast = std::move(prediction.forecast);
  }

  void Evaluate() {
    result_.evaluation = run_.Step("evaluate", [&] {
      auto evaluation =
          loadcast::Evaluate(run_.data(), result_.target_year, result_.horizon, run_.id());
      if (!evaluation) return evaluation;
      std::vector<MetricRow> rows = {evaluation->year};
      rows.insert(rows.end(), evaluation->months.begin(), evaluation->months.end());
      run_.data().SaveMetrics(run_.id(), rows);
      const MetricRow& y = evaluation->year;
      if (y.mape > run_.config().mape_warning) {
        run_.Alert("warning", "evaluate", "mape_above_threshold",
                   fmt::format("{} MAPE of {} is {:.2f}%, above the {:.2f}% threshold",
                               HorizonName(result_.horizon), result_.target_year, y.mape,
                               run_.config().mape_warning));
      }
      if (y.skill < 0.0) {
        run_.Alert(
            "warning", "evaluate", "worse_than_naive",
            fmt::format("{} forecast of {} has MAPE {:.2f}%, worse than the seasonal "
                        "naive's {:.2f}%",
                        HorizonName(result_.horizon), result_.target_year, y.mape, y.naive_mape));
      }
      return evaluation;
    });
  }

 private:
  Run& run_;
  FlowResult& result_;
  Validator validator_;
};

template <typename F>
FlowResult ExecuteFlow(DataController& data, const Config& config, const std::string& command,
                       int target_year, Horizon horizon, F&& body) {
  FlowResult result;
  result.command = command;
  result.target_year = target_year;
  result.horizon = horizon;
  ExecuteRun(data, config, command, target_year, horizon, [&](Run& run) {
    result.run_id = run.id();
    Steps steps(run, result);
    body(steps);
    result.timings = run.timings();
  });
  result.alerts = data.CountAlerts(result.run_id);
  return result;
}

void AppendNumber(std::string& out, double v) {
  if (std::isnan(v)) return;
  char buffer[64];
  const auto [ptr, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, v, std::chars_format::fixed, 3);
  out.append(buffer, ptr);
}

}  // namespace

IngestResult IngestFlow(DataController& data, const Config& config,
                        const std::vector<std::filesystem::path>& files) {
  IngestResult result;
  ExecuteRun(data, config, "ingest", std::nullopt, std::nullopt, [&](Run& run) {
    result.run_id = run.id();
    const Validator validator(config, Date::Today());
    result.report =
        run.Step("ingest", [&] { return Extractor(run.data(), validator).Ingest(files); });
  });
  return result;
}

FlowResult TrainFlow(DataController& data, const Config& config, int target_year, Horizon horizon) {
  return ExecuteFlow(data, config, "train", target_year, horizon,
                     [&](Steps& steps) { steps.Train(steps.ExtractValidateEnrich()); });
}

FlowResult PredictFlow(DataController& data, const Config& config, int target_year, Horizon horizon,
                       const std::optional<std::filesystem::path>& out) {
  return ExecuteFlow(data, config, "predict", target_year, horizon, [&](Steps& steps) {
    steps.PredictCheckPublish(steps.ExtractValidateEnrich(), out);
  });
}

FlowResult EvaluateFlow(DataController& data, const Config& config, int target_year,
                        Horizon horizon) {
  return ExecuteFlow(data, config, "evaluate", target_year, horizon,
                     [&](Steps& steps) { steps.Evaluate(); });
}

FlowResult RunFlow(DataController& data, const Config& config, int target_year, Horizon horizon,
                   const std::optional<std::filesystem::path>& out) {
  return ExecuteFlow(data, config, "run", target_year, horizon, [&](Steps& steps) {
    const EnrichedData enriched = steps.ExtractValidateEnrich();
    steps.Train(enriched);
    steps.PredictCheckPublish(enriched, out);
    steps.Evaluate();
  });
}

BacktestResult BacktestFlow(DataController& data, const Config& config, int from, int to,
                            Horizon horizon, const BacktestProgress& progress) {
  if (from > to) {
    throw UsageError(
        fmt::format("backtest: --from {} is after --to {}: the first year comes first", from, to));
  }
  BacktestResult result;
  result.horizon = horizon;
  ExecuteRun(data, config, "backtest", to, horizon, [&](Run& run) {
    result.run_id = run.id();
    const Backtester backtester(run.data(), config, horizon);
    const int count = to - from + 1;
    for (int year = from; year <= to; ++year) {
      if (progress) progress(year, year - from + 1, count);
      BacktestRow row =
          run.Step(fmt::format("backtest {}", year), [&] { return backtester.BacktestYear(year); });
      row.run_id = run.id();
      result.years.push_back(std::move(row));
    }
    // All years at once, after all were scored: a failed backtest leaves no partial rows.
    run.Step("save", [&] { run.data().SaveBacktest(run.id(), result.years); });
    result.timings = run.timings();
  });
  result.mean = MeanBacktest(result.years);
  return result;
}

std::string FormatForecastCsv(const Forecast& forecast, const std::vector<double>& actuals) {
  std::string out = "date,forecast,lower,upper,actual\n";
  for (std::size_t i = 0; i < forecast.size(); ++i) {
    out += forecast.dates[i].ToIso();
    out += ',';
    AppendNumber(out, forecast.mean[i]);
    out += ',';
    AppendNumber(out, forecast.lower[i]);
    out += ',';
    AppendNumber(out, forecast.upper[i]);
    out += ',';
    if (i < actuals.size()) AppendNumber(out, actuals[i]);
    out += '\n';
  }
  return out;
}

}  // namespace loadcast
