// The datasets kept as one bucket object per year, "<prefix><year>.csv" (actuals, series): their
// key rule, their years, and their objects' bytes, each failure naming the object.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "storage/object_store.hpp"

namespace loadcast {

class YearlyObjects {
 public:
  /// The key of a year's object under `prefix`: "<prefix><year>.csv".
  static std::string Key(std::string_view prefix, int year);
  /// The dataset's name: its prefix without the '/' ("actuals", "series").
  std::string_view name() const { return prefix_.substr(0, prefix_.size() - 1); }
  /// The years with an object, ascending. Other objects under the prefix (backups, notes,
  /// sub-folders, temporary files) are not years.
  std::vector<int> Years() const;

 protected:
  /// `prefix` ends with '/' and is a string literal (it is not copied).
  YearlyObjects(ObjectStore& bucket, std::string_view prefix) : bucket_(&bucket), prefix_(prefix) {}

  /// The bytes of a year's object; nothing when absent.
  std::optional<std::string> Get(int year) const;
  /// Replaces a year's object atomically.
  void Put(int year, std::string_view bytes);
  /// Where a year's object is, for people.
  std::string Locate(int year) const;
  /// The bucket the objects are in, for the objects a dataset keeps beside its years.
  ObjectStore& bucket() const { return *bucket_; }

  /// `parse(bytes, location)` of a year's object, nothing when absent; a DataError of `parse`
  /// becomes "stored object is not valid: <its message>".
  template <typename F>
  auto Parse(int year, F&& parse) const
      -> std::optional<decltype(parse(std::string(), std::string()))> {
    const auto bytes = Get(year);
    if (!bytes) return std::nullopt;
    try {
      return parse(*bytes, Locate(year));
    } catch (const DataError& e) {
      throw DataError(std::string("stored object is not valid: ") + e.what());
    }
  }

 private:
  ObjectStore* bucket_;
  std::string_view prefix_;
};

}  // namespace loadcast
