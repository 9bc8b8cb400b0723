#include "pipeline/trainer.hpp"

#include <spdlog/spdlog.h>

#include "model/registry.hpp"
#include "pipeline/interval_calibrator.hpp"

namespace loadcast {

std::unique_ptr<Forecaster> FitModel(const EnrichedData& enriched, const ModelParams& params) {
  auto model = MakeForecaster(params);
  model->Fit(enriched.training);
  return model;
}

ModelRecord Train(DataController& data, int64_t run_id, const EnrichedData& enriched,
                  const ModelParams& params) {
  const auto model = FitModel(enriched, params);
  const ModelInfo info{enriched.horizon, enriched.target_year, enriched.trained_from,
                       enriched.trained_to};
  ModelRecord record;
  record.run_id = run_id;
  record.kind = std::string(model->kind());
  record.horizon = std::string(HorizonName(enriched.horizon));
  record.target_year = enriched.target_year;
  record.trained_from = enriched.trained_from.ToIso();
  record.trained_to = enriched.trained_to.ToIso();
  // Calibrated with the model so that predict, which has only the artifact, serves the same
  // intervals a backtest of this year scores.
  std::optional<nlohmann::json> intervals;
  if (const auto calibration =
          CalibrateIntervals(enriched.history, params, enriched.horizon, enriched.target_year)) {
    intervals = CalibrationToJson(*calibration);
  }
  record = data.RegisterModel(record, SaveArtifact(*model, params, info, intervals));
  spdlog::info("registered {} model {} (version {}) for {} {}", record.kind, record.id,
               record.version, record.horizon, record.target_year);
  return record;
}

}  // namespace loadcast
