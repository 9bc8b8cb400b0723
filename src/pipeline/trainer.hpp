// The trainer fits the configured model for a horizon and registers it through the controller.
#pragma once

#include "controller/data_controller.hpp"
#include "pipeline/enricher.hpp"

namespace loadcast {

/// Fits `params.kind` on the training frame and registers the artifact for the target year.
ModelRecord Train(DataController& data, int64_t run_id, const EnrichedData& enriched,
                  const ModelParams& params);

}  // namespace loadcast
