// Plain files on the local disk: input files named on the command line and exported results.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace loadcast {

/// Reads a whole regular file; DataError naming the path when it is missing, a directory, a
/// special file, unreadable or larger than `max_bytes`.
std::string ReadInputFile(const std::filesystem::path& path, std::size_t max_bytes);

/// Writes a file atomically (temporary file in the same folder, flushed, then renamed), creating
/// parent folders; StorageError on failure, leaving any previous file intact.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes);

/// A folder where loadcast keeps its own files (the local bucket, the SQLite database's folder),
/// which no output may go into.
struct KeptFolder {
  std::filesystem::path path;
  std::string what;  // "the bucket", "the database's folder"
};

/// Checks that `path` may receive an output file (--out): UsageError naming the path and why,
/// when it lies inside one of `kept` (compared after resolving "..", "." and symbolic links, so
/// that "./var/../var/loadcast.db" is caught), when it exists as anything but a regular file (a
/// folder, a device, a FIFO, a socket) or is a symbolic link, or when its folder does not exist
/// (it is not created).
void CheckOutputFile(const std::filesystem::path& path, const std::vector<KeptFolder>& kept);

/// Checks that `folder` may receive output files: the same rules, for a folder that may exist
/// (as a folder, not a symbolic link) or be created in a folder that exists.
void CheckOutputFolder(const std::filesystem::path& folder, const std::vector<KeptFolder>& kept);

/// Checks `path` (CheckOutputFile), then writes it atomically: a temporary file in the same
/// folder, renamed over the path.
void WriteOutputFile(const std::filesystem::path& path, std::string_view bytes,
                     const std::vector<KeptFolder>& kept);

}  // namespace loadcast
