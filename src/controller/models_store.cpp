#include "controller/models_store.hpp"

#include <fmt/format.h>

#include "controller/dataset_error.hpp"
#include "core/crash_point.hpp"
#include "core/errors.hpp"
#include "core/hash.hpp"

namespace loadcast {
namespace {

/// A registered model with its artifact read from the bucket; StorageError naming the artifact
/// when it is missing or not JSON.
StoredModel ReadArtifact(const ObjectStore& bucket, const ModelRecord& record) {
  return WithDataset(record.artifact, [&] {
    const auto bytes = bucket.Get(record.artifact);
    if (!bytes) {
      throw StorageError(fmt::format("artifact {} is missing", bucket.Locate(record.artifact)));
    }
    try {
      return StoredModel{record, nlohmann::json::parse(*bytes)};
    } catch (const nlohmann::json::exception& e) {
      throw StorageError(fmt::format("artifact {} is not valid JSON: {}",
                                     bucket.Locate(record.artifact), e.what()));
    }
  });
}

}  // namespace

Registration ModelsStore::Register(ModelRecord record, const nlohmann::json& artifact) {
  const std::string text = artifact.dump(2) + "\n";
  record.version = Sha256Hex(text).substr(0, 16);
  record.artifact = fmt::format("models/{}/{}/model.json", record.horizon, record.version);
  // The artifact is written first: a registry row never points at a missing object. Writing it
  // again for a version on record is harmless, the content being the same.
  WithDataset(record.artifact, [&] { bucket_->Put(record.artifact, text); });
  CrashPoint("model:artifact-written");
  return ModelsDataset::Register(record);
}

std::optional<StoredModel> ModelsStore::Load(int64_t model_id) const {
  const auto record = Find(model_id);
  if (!record) return std::nullopt;
  return ReadArtifact(*bucket_, *record);
}

std::optional<StoredModel> ModelsStore::LoadAliased(Horizon horizon,
                                                    const std::string& alias) const {
  const auto record = FindAliased(horizon, alias);
  if (!record) return std::nullopt;
  return ReadArtifact(*bucket_, *record);
}

}  // namespace loadcast
