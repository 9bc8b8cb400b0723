#include "storage/local_files.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>

#include "core/errors.hpp"

namespace loadcast {

std::string ReadInputFile(const std::filesystem::path& path, std::size_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw DataError(fmt::format("{}: no such file", path.string()));
  }
  if (std::filesystem::is_directory(status)) {
    throw DataError(fmt::format("{}: is a directory, not a data file", path.string()));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw DataError(fmt::format("{}: is not a regular file", path.string()));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw DataError(fmt::format("{}: cannot read size: {}", path.string(), ec.message()));
  if (size > max_bytes) {
    throw DataError(fmt::format("{}: file is {} bytes, above the limit of {} bytes for a load file",
                                path.string(), size, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(fmt::format("{}: cannot open: {}", path.string(), std::strerror(errno)));
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  // A file still being written reads shorter or longer than its size a moment ago: it is taken
  // whole or not at all.
  if (in.gcount() != static_cast<std::streamsize>(size) ||
      in.peek() != std::char_traits<char>::eof()) {
    throw DataError(fmt::format(
        "{}: the file changed while it was read (is it still being written?); try again once it "
        "is complete",
        path.string()));
  }
  return bytes;
}

void WriteFileAtomic(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    throw StorageError(
        fmt::format("{}: cannot create folder: {}", path.parent_path().string(), ec.message()));
  }
  std::random_device random;
  const auto tmp = path.parent_path() /
                   fmt::format(".{}.tmp-{}-{:x}", path.filename().string(), getpid(), random());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw StorageError(fmt::format("{}: cannot write: {}", path.string(), std::strerror(errno)));
  }
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      std::filesystem::remove(tmp, ec);
      throw StorageError(fmt::format("{}: write failed: {}", path.string(), std::strerror(err)));
    }
    written += static_cast<std::size_t>(n);
  }
  const int synced = ::fsync(fd);
  const int sync_errno = errno;
  const int closed = ::close(fd);
  if (synced != 0 || closed != 0) {
    const int err = synced != 0 ? sync_errno : errno;
    std::filesystem::remove(tmp, ec);
    throw StorageError(fmt::format("{}: flush failed: {}", path.string(), std::strerror(err)));
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    throw StorageError(fmt::format("{}: cannot replace: {}", path.string(), ec.message()));
  }
  // The rename is durable only once the folder's entry is on disk too.
  const auto folder = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  const int dir_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
}

namespace {

/// The path with "..", "." and the symbolic links of its existing part resolved.
std::filesystem::path Resolved(const std::filesystem::path& path) {
  std::error_code ec;
  std::filesystem::path resolved =
      std::filesystem::weakly_canonical(std::filesystem::absolute(path), ec);
  return ec ? std::filesystem::absolute(path).lexically_normal() : resolved;
}

/// Whether `path` is `folder` or lies inside it (both resolved).
bool IsInside(const std::filesystem::path& path, const std::filesystem::path& folder) {
  auto p = path.begin();
  for (auto f = folder.begin(); f != folder.end(); ++f, ++p) {
    if (f->empty()) continue;  // the empty last element of a folder ending in '/'
    if (p == path.end() || *p != *f) return false;
  }
  return true;
}

/// UsageError when `path` lies inside a kept folder.
void CheckNotKept(const std::filesystem::path& path, const std::filesystem::path& resolved,
                  const std::vector<KeptFolder>& kept) {
  for (const KeptFolder& folder : kept) {
    const std::filesystem::path kept_path = Resolved(folder.path);
    if (IsInside(resolved, kept_path)) {
      throw UsageError(fmt::format(
          "--out {}: lies inside {} ({}), which loadcast keeps its own files in; write the "
          "output elsewhere",
          path.string(), folder.what, kept_path.string()));
    }
  }
}

/// UsageError when the folder `path` would be written in does not exist.
void CheckParentExists(const std::filesystem::path& path) {
  // Not normalised: "missing/../f.csv" needs "missing" as the kernel resolves it.
  const std::filesystem::path parent = std::filesystem::absolute(path).parent_path();
  std::error_code ec;
  if (!std::filesystem::is_directory(parent, ec)) {
    throw UsageError(fmt::format("--out {}: its folder {} does not exist (it is not created)",
                                 path.string(), parent.string()));
  }
}

}  // namespace

void CheckOutputFile(const std::filesystem::path& path, const std::vector<KeptFolder>& kept) {
  if (path.empty() || !path.has_filename()) {
    throw UsageError(fmt::format("--out '{}': not a file name", path.string()));
  }
  CheckNotKept(path, Resolved(path), kept);
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(path, ec);
  if (std::filesystem::is_symlink(status)) {
    throw UsageError(fmt::format(
        "--out {}: is a symbolic link; loadcast replaces only regular files", path.string()));
  }
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    const char* what =
        std::filesystem::is_directory(status) ? "a folder"
        : std::filesystem::is_fifo(status)    ? "a FIFO"
        : std::filesystem::is_socket(status)  ? "a socket"
        : std::filesystem::is_character_file(status) || std::filesystem::is_block_file(status)
            ? "a device"
            : "not a regular file";
    throw UsageError(
        fmt::format("--out {}: is {}; loadcast replaces only regular files", path.string(), what));
  }
  CheckParentExists(path);
}

void CheckOutputFolder(const std::filesystem::path& given, const std::vector<KeptFolder>& kept) {
  // "gen/" names the folder "gen".
  std::filesystem::path folder = given.lexically_normal();
  if (!folder.has_filename() && folder.has_parent_path()) folder = folder.parent_path();
  if (folder.empty()) folder = ".";
  CheckNotKept(given, Resolved(folder), kept);
  std::error_code ec;
  const auto status = std::filesystem::symlink_status(folder, ec);
  if (std::filesystem::is_symlink(status)) {
    throw UsageError(fmt::format("--out {}: is a symbolic link, not a folder", given.string()));
  }
  if (std::filesystem::exists(status)) {
    if (!std::filesystem::is_directory(status)) {
      throw UsageError(fmt::format("--out {}: exists and is not a folder", given.string()));
    }
    return;
  }
  CheckParentExists(folder);
}

void WriteOutputFile(const std::filesystem::path& path, std::string_view bytes,
                     const std::vector<KeptFolder>& kept) {
  CheckOutputFile(path, kept);
  WriteFileAtomic(path, bytes);
}

}  // namespace loadcast
