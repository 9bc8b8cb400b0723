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

}  // namespace loadcast
