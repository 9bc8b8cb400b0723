// Reading files and fingerprinting folders, for tests that check what was written to disk.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "core/hash.hpp"

namespace loadcast::testing {

/// The file's bytes, exactly; empty when it cannot be read.
inline std::string Slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

/// SHA-256 of every file under a folder, by relative path ('/'-separated): two trees are unchanged
/// when their maps are equal. Empty when the folder does not exist.
inline std::map<std::string, std::string> HashTree(const std::filesystem::path& root) {
  std::map<std::string, std::string> hashes;
  if (!std::filesystem::exists(root)) return hashes;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    hashes[std::filesystem::relative(entry.path(), root).generic_string()] =
        Sha256Hex(Slurp(entry.path()));
  }
  return hashes;
}

}  // namespace loadcast::testing
