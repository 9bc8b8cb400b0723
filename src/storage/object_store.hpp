// The bucket interface: named objects of bytes, as in S3. Keys use '/' separators.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace loadcast {

class ObjectStore {
 public:
  virtual ~ObjectStore() = default;
  /// The object's bytes, or nullopt when there is no such object.
  virtual std::optional<std::string> Get(const std::string& key) const = 0;
  /// Stores the object atomically: readers see the old bytes or the new, never a mix.
  virtual void Put(const std::string& key, std::string_view bytes) = 0;
  /// Keys starting with `prefix`, sorted.
  virtual std::vector<std::string> List(const std::string& prefix) const = 0;
  virtual void Remove(const std::string& key) = 0;
  /// Where the object lives, for people (a path or URL).
  virtual std::string Locate(const std::string& key) const = 0;
};

}  // namespace loadcast
