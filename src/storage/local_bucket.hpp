// A bucket in a local folder: each key is a file under the root. The default stand-in for S3.
#pragma once

#include <chrono>
#include <filesystem>

#include "storage/object_store.hpp"

namespace loadcast {

class LocalBucket final : public ObjectStore {
 public:
  /// Opens the bucket at `root`, removing the temporary files that writes killed before their
  /// rename left behind (see SweepTemporaryFiles).
  explicit LocalBucket(std::filesystem::path root);
  std::optional<std::string> Get(const std::string& key) const override;
  void Put(const std::string& key, std::string_view bytes) override;
  std::vector<std::string> List(const std::string& prefix) const override;
  void Remove(const std::string& key) override;
  std::string Locate(const std::string& key) const override;
  /// Removes the temporary files of killed writes (".<name>.tmp-<pid>-<hex>", see
  /// WriteFileAtomic): those whose writer's pid runs no process on this machine and that were
  /// last modified `min_age` ago or more. A live writer's file is kept (its pid runs); the age
  /// spares a write in progress on another machine sharing the folder, whose pid means nothing
  /// here, since a write goes from creating its file to renaming it in far less. Returns how many
  /// files were removed; a file that cannot be removed is left, with a warning.
  std::size_t SweepTemporaryFiles(std::chrono::seconds min_age = std::chrono::seconds(60));

 private:
  /// The file of a key; StorageError for keys that would escape the root.
  std::filesystem::path PathOf(const std::string& key) const;
  std::filesystem::path root_;
};

}  // namespace loadcast
