// Operating the model registry by hand: finding a model by id or version, promoting one to
// champion, and rolling the champion back to the one before it. Each is a recorded run and a
// decision on record, like the gate's.
#pragma once

#include <string>
#include <vector>

#include "controller/data_controller.hpp"
#include "core/config.hpp"

namespace loadcast {

/// A model by id ("12") or by a prefix of its version (at least 4 hex digits). UsageError when no
/// model, or more than one, matches.
ModelRecord ResolveModel(const DataController& data, const std::string& ref);

/// The champions of a horizon in the order they took over, each rollback removing the latest:
/// the last is the current champion, the one before it what a rollback returns to.
/// `decisions` are the horizon's decisions, oldest first.
std::vector<int64_t> ChampionLineage(const std::vector<ModelDecision>& decisions);

/// What a promotion or rollback did.
struct RegistryChange {
  int64_t run_id = 0;
  ModelDecision decision;
  ModelRecord champion;  // the champion afterwards
};

/// Makes the model `ref` the champion of its horizon, bypassing the gate, as a recorded run
/// ("promote") with a decision (action manual). UsageError when it is the champion already.
RegistryChange PromoteFlow(DataController& data, const Config& config, const std::string& ref,
                           const std::string& reason);

/// Returns the champion of a horizon to the one before it, as a recorded run ("rollback") with
/// a decision (action rollback) saying why. UsageError when there is no earlier champion or the
/// reason is empty.
RegistryChange RollbackFlow(DataController& data, const Config& config, Horizon horizon,
                            const std::string& reason);

}  // namespace loadcast
