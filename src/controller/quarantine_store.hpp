// Dataset "quarantine": rejected input files, kept in the bucket for inspection, each beside the
// reason it was rejected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "storage/object_store.hpp"

namespace loadcast {

class QuarantineStore {
 public:
  explicit QuarantineStore(ObjectStore& bucket) : bucket_(&bucket) {}

  /// Keeps a rejected input file as quarantine/<UTC time>-<name>, with `reason` (the findings,
  /// JSON) beside it as quarantine/<UTC time>-<name>.reason.json, written first so that no copy
  /// is without its reason; each write atomic. Nothing else is touched. Returns the copy's key.
  /// The name is made safe for a key (other bytes become '_'), and a name longer than 160 bytes
  /// is shortened to its first 120, a short hash of the whole and its extension, so that the
  /// copy's file name stays within the 255 bytes a file system allows.
  std::string Keep(const std::string& name, std::string_view bytes, const std::string& reason);
  /// Keys of the quarantined copies (not their reasons), oldest first.
  std::vector<std::string> List() const;

 private:
  ObjectStore* bucket_;
};

}  // namespace loadcast
