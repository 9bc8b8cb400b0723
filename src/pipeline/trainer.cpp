#include "pipeline/trainer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/parallel.hpp"
#include "core/version.hpp"
#include "model/registry.hpp"
#include "pipeline/interval_calibrator.hpp"

namespace loadcast {

std::unique_ptr<Forecaster> FitModel(const EnrichedData& enriched, const ModelSpec& params) {
  auto model = MakeForecaster(params);
  model->Fit(enriched.training);
  return model;
}

TrainedModel Train(DataController& data, int64_t run_id, const EnrichedData& enriched,
                   const ModelSpec& params, const TrainingContext& context) {
  const int target = enriched.target_year;
  // The model, and one rolling-origin backtest that serves both the intervals (the calibration
  // years) and the gate's validation scores (the validation years), at the same time.
  const int validation_years = std::max(context.validation_years, 0);
  std::unique_ptr<Forecaster> model;
  std::vector<BacktestFold> folds;
  ParallelFor(2, [&](std::size_t task) {
    if (task == 0) {
      model = FitModel(enriched, params);
    } else {
      folds = BacktestFolds(enriched.history, params, enriched.horizon, target,
                            std::max(params.common.calibration_years, validation_years));
    }
  });
  nlohmann::json extras = nlohmann::json::object();
  // Calibrated with the model so that predict, which has only the artifact, serves the same
  // intervals a backtest of this year scores.
  if (const auto calibration =
          CalibrateFromResiduals(FoldResiduals(folds, target - params.common.calibration_years),
                                 params, enriched.horizon, target)) {
    extras["intervals"] = CalibrationToJson(*calibration);
  }
  const int validation_from = target - validation_years;
  std::map<int, std::string> validation_inputs;
  std::map<std::string, std::string> inputs;
  for (const auto& [year, hash] : context.objects) {
    if (year >= target) continue;  // the target year's actuals are not the model's input
    inputs[ActualsStore::Key(year)] = hash;
    if (year >= validation_from - std::max(params.common.training_years, 2)) {
      validation_inputs[year] = hash;
    }
  }
  TrainedModel trained;
  trained.validation = ScoreFolds(folds, validation_from, enriched.horizon, validation_inputs);
  extras["validation"] = ValidationToJson(trained.validation);

  ModelInfo info{enriched.horizon,          target, enriched.trained_from,
                 enriched.trained_to,       inputs, context.config_hash,
                 std::string(CodeVersion())};
  ModelRecord record;
  record.run_id = run_id;
  record.kind = std::string(model->kind());
  record.horizon = enriched.horizon;
  record.target_year = target;
  record.trained_from = enriched.trained_from;
  record.trained_to = enriched.trained_to;
  record.spec_hash = SpecHash(params);
  record.config_hash = context.config_hash;
  record.data_hash = InputsHash(inputs);
  record.code_version = info.code_version;
  trained.registration = data.models().Register(record, SaveArtifact(*model, params, info, extras));
  const ModelRecord& m = trained.registration.model;
  spdlog::info("{} {} model {} (v{}, version {}) for {} {}; validation MAPE {:.3f}% on {}",
               trained.registration.created ? "registered" : "already registered:", m.kind, m.id,
               m.number, m.version, m.horizon, m.target_year, trained.validation.mean.mape,
               trained.validation.Describe());
  return trained;
}

}  // namespace loadcast
