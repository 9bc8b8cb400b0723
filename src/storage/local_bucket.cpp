#include "storage/local_bucket.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "core/errors.hpp"
#include "core/process.hpp"
#include "storage/local_files.hpp"
#include "storage/object_key.hpp"

namespace loadcast {

LocalBucket::LocalBucket(std::filesystem::path root) : root_(std::move(root)) {
  SweepTemporaryFiles();
}

std::size_t LocalBucket::SweepTemporaryFiles(std::chrono::seconds min_age) {
  static const std::regex kTemporary(R"(\..+\.tmp-([0-9]+)-[0-9a-f]+)");
  const std::string host = HostName();
  const auto now = std::filesystem::file_time_type::clock::now();
  std::size_t removed = 0;
  std::error_code ec;
  if (!std::filesystem::exists(root_, ec)) return 0;
  for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code file_ec;
    if (!it->is_regular_file(file_ec)) continue;
    const std::string name = it->path().filename().string();
    std::smatch writer;
    if (!std::regex_match(name, writer, kTemporary)) continue;
    const int pid = std::atoi(writer[1].str().c_str());
    const auto modified = it->last_write_time(file_ec);
    if (file_ec || now - modified < min_age || !ProcessGone({host, pid, ""})) continue;
    if (std::filesystem::remove(it->path(), file_ec)) {
      ++removed;
      spdlog::info("removed {}: the temporary file of a write killed before it finished",
                   it->path().string());
    } else if (file_ec) {
      spdlog::warn("cannot remove {}, the temporary file of a killed write: {}",
                   it->path().string(), file_ec.message());
    }
  }
  // A folder that cannot be walked is reported by the operation that needs it.
  return removed;
}

std::filesystem::path LocalBucket::PathOf(const std::string& key) const {
  CheckObjectKey(key);
  return root_ / key;
}

std::optional<std::string> LocalBucket::Get(const std::string& key) const {
  const auto path = PathOf(key);
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) return std::nullopt;
  if (!std::filesystem::is_regular_file(status)) {
    throw StorageError(fmt::format("{}: is not a regular file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  if (!in || !(bytes << in.rdbuf()) || in.bad()) {
    // An empty object reads as no characters, which sets failbit on the copy: not an error.
    if (std::filesystem::file_size(path, ec) != 0 || ec) {
      throw StorageError(fmt::format("{}: cannot read object", path.string()));
    }
  }
  return std::move(bytes).str();
}

void LocalBucket::Put(const std::string& key, std::string_view bytes) {
  WriteFileAtomic(PathOf(key), bytes);
}

std::vector<std::string> LocalBucket::List(const std::string& prefix) const {
  std::vector<std::string> keys;
  std::error_code ec;
  if (!std::filesystem::exists(root_, ec)) return keys;
  for (auto it = std::filesystem::recursive_directory_iterator(root_, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) continue;  // temporary files of writes in progress
    const std::string key = std::filesystem::relative(it->path(), root_).generic_string();
    if (key.starts_with(prefix)) keys.push_back(key);
  }
  if (ec) throw StorageError(fmt::format("{}: cannot list: {}", root_.string(), ec.message()));
  std::sort(keys.begin(), keys.end());
  return keys;
}

void LocalBucket::Remove(const std::string& key) {
  std::error_code ec;
  std::filesystem::remove(PathOf(key), ec);
  if (ec) throw StorageError(fmt::format("{}: cannot remove: {}", Locate(key), ec.message()));
}

std::string LocalBucket::Locate(const std::string& key) const { return PathOf(key).string(); }

}  // namespace loadcast
