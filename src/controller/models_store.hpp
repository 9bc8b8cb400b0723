// Dataset "models" as the pipeline sees it: each model's artifact in the bucket
// (models/<horizon>/<version>/model.json, content-addressed) beside its registry row, aliases and
// decisions in the database (storage/datasets/models.hpp).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/config.hpp"
#include "storage/datasets/models.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

/// A model artifact and its registry row.
struct StoredModel {
  ModelRecord record;
  nlohmann::json artifact;
};

/// The registry's reads and decisions are the database dataset's own; what this class adds is
/// the artifact: written before the row on registration, read beside the row on loading.
class ModelsStore : private ModelsDataset {
 public:
  /// `rows` is the database's models dataset (a handle on its connection).
  ModelsStore(ObjectStore& bucket, const ModelsDataset& rows)
      : ModelsDataset(rows), bucket_(&bucket) {}

  /// Stores the artifact under models/<horizon>/<version>/model.json, the version being the
  /// content hash of its text, and registers it. The same artifact again registers nothing and
  /// returns the row on record (created false).
  Registration Register(ModelRecord record, const nlohmann::json& artifact);
  /// A registered model with its artifact; nothing when no model has that id. StorageError
  /// naming the artifact when it is missing or not JSON.
  std::optional<StoredModel> Load(int64_t model_id) const;
  /// The model an alias of a horizon points at, with its artifact.
  std::optional<StoredModel> LoadAliased(Horizon horizon, const std::string& alias) const;

  // Rows only, without artifacts: see ModelsDataset.
  using ModelsDataset::Find;
  using ModelsDataset::FindAliased;
  using ModelsDataset::FindByVersion;
  using ModelsDataset::List;
  using ModelsDataset::ListAliases;
  using ModelsDataset::ListDecisions;
  using ModelsDataset::RecordDecision;

 private:
  ObjectStore* bucket_;
};

}  // namespace loadcast
