// A bucket in a local folder: each key is a file under the root. The default stand-in for S3.
#pragma once

#include <filesystem>

#include "storage/object_store.hpp"

namespace loadcast {

class LocalBucket final : public ObjectStore {
 public:
  explicit LocalBucket(std::filesystem::path root);
  std::optional<std::string> Get(const std::string& key) const override;
  void Put(const std::string& key, std::string_view bytes) override;
  std::vector<std::string> List(const std::string& prefix) const override;
  void Remove(const std::string& key) override;
  std::string Locate(const std::string& key) const override;

 private:
  /// The file of a key; StorageError for keys that would escape the root.
  std::filesystem::path PathOf(const std::string& key) const;
  std::filesystem::path root_;
};

}  // namespace loadcast
