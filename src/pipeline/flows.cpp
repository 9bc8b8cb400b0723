#include "pipeline/flows.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "core/hash.hpp"
#include "model/kinds.hpp"
#include "pipeline/backtester.hpp"
#include "pipeline/enricher.hpp"
#include "pipeline/prediction_checker.hpp"
#include "pipeline/predictor.hpp"
#include "pipeline/promotion_gate.hpp"
#include "pipeline/revision_alerts.hpp"
#include "pipeline/trainer.hpp"
#include "pipeline/validation_outcome.hpp"
#include "pipeline/validator.hpp"

namespace loadcast {
namespace {

/// The input files by name and content hash: what the rejection of an ingest is about.
std::string InputSubject(const DataController& data,
                         const std::vector<std::filesystem::path>& files) {
  std::vector<std::string> parts;
  for (const auto& file : files) {
    std::string hash;
    try {
      hash = "sha256:" + Sha256Hex(data.ReadInputFile(file)).substr(0, 16);
    } catch (const DataError&) {
      // Ingesting it will fail with this very error, which the run reports.
      hash = "unreadable";
    }
    parts.push_back(fmt::format("{} {}", file.filename().string(), hash));
  }
  return fmt::format("files {}", fmt::join(parts, ", "));
}

/// The actuals objects a flow read, by year range and one hash over their content hashes.
std::string ActualsSubject(const ExtractedData& extracted) {
  if (extracted.object_hashes.empty()) return "actuals none";
  std::string hashes;
  for (const auto& [year, hash] : extracted.object_hashes)
    hashes += fmt::format("{} {}\n", year, hash);
  return fmt::format("actuals {}-{} sha256:{}", extracted.object_hashes.begin()->first,
                     extracted.object_hashes.rbegin()->first, Sha256Hex(hashes).substr(0, 16));
}

/// The steps shared by the flows, each run as a named step of one recorded run.
class Steps {
 public:
  Steps(Run& run, FlowResult& result)
      : run_(run), result_(result), validator_(run.config(), Date::Today()) {}

  EnrichedData ExtractValidateEnrich() {
    const ModelSpec params = ModelSpecOf(run_.config(), result_.horizon);
    const ExtractedData extracted = run_.Step("extract", [&] {
      // The extra years feed the backtests of training (interval calibration and the gate's
      // validation); predict reads only the window.
      return Extractor(run_.data(), validator_)
          .Extract(
              result_.target_year, params.common.training_years,
              std::max(params.common.calibration_years, run_.config().registry.validation_years));
    });
    objects_ = extracted.object_hashes;
    std::map<std::string, std::string> inputs;
    for (const auto& [year, hash] : objects_) inputs[ActualsStore::Key(year)] = hash;
    // The revision read, as the key its bytes are kept under (the same hash).
    for (const auto& [year, revision] : extracted.object_revisions)
      inputs[ActualsStore::RevisionKey(year, revision)] = objects_.at(year);
    run_.data().runs().SetInputs(run_.id(), inputs);
    data_subject_ = ActualsSubject(extracted);
    run_.SetSubject(data_subject_);
    run_.Step("validate", [&] {
      const auto findings = validator_.CheckSeries(
          extracted.actuals,
          fmt::format("actuals {}-{}", extracted.first_year, result_.target_year));
      RaiseFindingAlerts(run_, findings, data_subject_);
      RejectIfErrors(findings);
    });
    return run_.Step("enrich", [&] { return Enrich(extracted, result_.horizon); });
  }

  void Train(const EnrichedData& enriched) {
    const Config& config = run_.config();
    const TrainedModel trained = run_.Step("train", [&] {
      const TrainingContext context{
          objects_,
          Sha256Hex(DumpModelConfig(ResolveModels(config), result_.horizon)).substr(0, 16),
          config.registry.validation_years};
      return loadcast::Train(run_.data(), run_.id(), enriched, ModelSpecOf(config, result_.horizon),
                             context);
    });
    result_.trained = trained.registration.model;
    result_.trained_new = trained.registration.created;
    result_.model = result_.trained;
    run_.data().runs().SetModel(run_.id(), result_.trained->id);
    result_.gate = run_.Step("gate", [&] {
      return RunPromotionGate(run_.data(), config, run_.id(), result_.target_year, result_.horizon,
                              {*result_.trained, trained.validation});
    });
  }

  void PredictCheckPublish(const EnrichedData& enriched,
                           const std::optional<std::filesystem::path>& out,
                           std::optional<int64_t> model_id = std::nullopt) {
    Prediction prediction =
        run_.Step("predict", [&] { return Predict(run_.data(), enriched, model_id); });
    result_.model = prediction.model;
    run_.data().runs().SetModel(run_.id(), prediction.model.id);
    result_.unchanged_since = SamePublished(prediction);
    result_.actuals = enriched.targets.load;
    result_.checks = run_.Step("check", [&] {
      const auto outcomes = RunPredictionChecks(prediction.forecast, enriched, run_.config());
      std::vector<CheckRow> checks;
      for (const CheckOutcome& o : outcomes) checks.push_back(o.row);
      // The checks of a forecast already published are on record with the run that published
      // it, unless they fail now (the limits changed).
      if (!result_.unchanged_since || AnyFailed(checks))
        run_.data().scores().SaveChecks(run_.id(), checks);
      for (const CheckOutcome& o : outcomes) {
        if (o.row.status == CheckStatus::kPass) continue;
        AlertRecord alert = CheckAlert(o);
        alert.target_year = result_.target_year;
        alert.horizon = result_.horizon;
        // The same model on the same actuals makes the same forecast, and the same alert.
        alert.subject = fmt::format("model {}; {}", prediction.model.version, data_subject_);
        run_.Raise(std::move(alert));
      }
      if (AnyFailed(checks)) {
        std::string failed;
        for (const CheckRow& c : checks) {
          if (c.status == CheckStatus::kFail)
            failed += fmt::format("\n  {}: {}", c.check, c.detail);
        }
        throw ForecastRejected(
            fmt::format("{} forecast of {} failed its checks and was not "
                        "published:{}",
                        HorizonName(result_.horizon), result_.target_year, failed));
      }
      return checks;
    });
    run_.Step("publish", [&] {
      if (result_.unchanged_since) {
        spdlog::info("the forecast equals the one run {} published: nothing to publish",
                     *result_.unchanged_since);
      } else {
        run_.data().forecasts().Publish(run_.id(), prediction.model.id, ForecastRows(prediction));
      }
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
      if (SameScores(evaluation->year)) {
        spdlog::info("the scores equal the latest evaluation of {} {}: nothing to record",
                     HorizonName(result_.horizon), result_.target_year);
      } else {
        std::vector<MetricRow> rows = {evaluation->year};
        rows.insert(rows.end(), evaluation->months.begin(), evaluation->months.end());
        run_.data().scores().SaveMetrics(run_.id(), rows);
      }
      const MetricRow& y = evaluation->year;
      // An evaluation is about one published forecast and the actuals scored so far: the same
      // again is the same alert, more actuals (more days) a new one.
      for (ScoreFinding& finding :
           JudgeScore(y, result_.target_year, result_.horizon, run_.config())) {
        AlertRecord alert = TargetAlert(AlertSeverity::kWarning, AlertSource::kPerformance,
                                        std::move(finding.code), std::move(finding.message));
        alert.period_start = Date::FromYmd(result_.target_year, 1, 1);
        alert.period_end = Date::FromYmd(result_.target_year, 12, 31);
        alert.subject =
            fmt::format("forecast of run {}, {} days scored", evaluation->forecast_run_id, y.days);
        alert.value = finding.value;
        alert.threshold = finding.threshold;
        run_.Raise(std::move(alert));
      }
      return evaluation;
    });
  }

 private:
  static std::vector<ForecastRow> ForecastRows(const Prediction& prediction) {
    std::vector<ForecastRow> rows;
    rows.reserve(prediction.forecast.size());
    for (std::size_t i = 0; i < prediction.forecast.size(); ++i) {
      rows.push_back({prediction.forecast.dates[i], prediction.forecast.mean[i],
                      prediction.forecast.lower[i], prediction.forecast.upper[i]});
    }
    return rows;
  }

  /// The run that published this very forecast (same model, same rows) as the current one.
  std::optional<int64_t> SamePublished(const Prediction& prediction) const {
    const auto current = run_.data().forecasts().Current(result_.target_year, result_.horizon, 0);
    if (!current || current->model_id != prediction.model.id) return std::nullopt;
    const std::vector<ForecastRow> rows = ForecastRows(prediction);
    if (rows.size() != current->rows.size()) return std::nullopt;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const ForecastRow& a = rows[i];
      const ForecastRow& b = current->rows[i];
      if (a.date != b.date || a.forecast != b.forecast || a.lower != b.lower ||
          a.upper != b.upper) {
        return std::nullopt;
      }
    }
    return current->run_id;
  }

  /// True when the latest evaluation of the target holds these very scores.
  bool SameScores(const MetricRow& year) const {
    for (const EvaluationSummary& e : run_.data().scores().LatestEvaluations()) {
      if (e.target_year != result_.target_year || e.horizon != result_.horizon) {
        continue;
      }
      const MetricRow& m = e.metrics;
      return m.days == year.days && m.mape == year.mape && m.mae == year.mae &&
             m.rmse == year.rmse && m.bias == year.bias && m.naive_mape == year.naive_mape;
    }
    return false;
  }

  /// An alert about the flow's target year and horizon.
  AlertRecord TargetAlert(AlertSeverity severity, AlertSource source, std::string code,
                          std::string message) const {
    AlertRecord alert;
    alert.severity = severity;
    alert.source = source;
    alert.code = std::move(code);
    alert.message = std::move(message);
    alert.target_year = result_.target_year;
    alert.horizon = result_.horizon;
    return alert;
  }

  Run& run_;
  FlowResult& result_;
  Validator validator_;
  std::string data_subject_;            // the actuals extracted (see ActualsSubject)
  std::map<int, std::string> objects_;  // SHA-256 of each actuals object extracted, by year
};

template <typename F>
FlowResult ExecuteFlow(DataController& data, const Config& config, const std::string& command,
                       int target_year, Horizon horizon, F&& body) {
  FlowResult result;
  result.command = command;
  result.target_year = target_year;
  result.horizon = horizon;
  ExecuteTargetRun(data, config, command, target_year, horizon, [&](Run& run) {
    result.run_id = run.id();
    Steps steps(run, result);
    body(steps);
    result.timings = run.timings();
  });
  result.alerts = data.alerts().Count(result.run_id);
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
    Extractor extractor(run.data(), validator);
    // Every finding is an alert; a rejected file is quarantined and nothing is stored.
    const IngestPlan plan = run.Step("validate", [&] {
      run.SetSubject(InputSubject(run.data(), files));
      IngestPlan checked = extractor.Plan(files);
      RaiseFindingAlerts(run, checked);
      if (checked.rejected()) QuarantineAndReject(run, checked);
      return checked;
    });
    result.report = run.Step("store", [&] {
      IngestReport stored = extractor.Store(plan, run.id());
      RaiseRevisionAlerts(run, stored);
      return stored;
    });
  });
  return result;
}

FlowResult TrainFlow(DataController& data, const Config& config, int target_year, Horizon horizon) {
  return ExecuteFlow(data, config, "train", target_year, horizon,
                     [&](Steps& steps) { steps.Train(steps.ExtractValidateEnrich()); });
}

FlowResult PredictFlow(DataController& data, const Config& config, int target_year, Horizon horizon,
                       const std::optional<std::filesystem::path>& out,
                       std::optional<int64_t> model_id) {
  return ExecuteFlow(data, config, "predict", target_year, horizon, [&](Steps& steps) {
    steps.PredictCheckPublish(steps.ExtractValidateEnrich(), out, model_id);
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
    run.Step("save", [&] { run.data().scores().SaveBacktest(run.id(), result.years); });
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
