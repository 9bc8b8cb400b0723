// Plain files on the local disk: input files named on the command line and exported results.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace loadcast {

/// Reads a whole regular file; DataError naming the path when it is missing, a directory, a
/// special file, unreadable or larger than `max_bytes`.
std::string ReadInputFile(const std::filesystem::path& path, std::size_t max_bytes);

/// Writes a file atomically (temporary file in the same folder, flushed, then renamed), creating
/// parent folders; StorageError on failure, leaving any previous file intact.
void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes);

}  // namespace loadcast
