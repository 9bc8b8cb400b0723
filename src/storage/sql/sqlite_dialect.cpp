// SQLite, the embedded default: a file beside the bucket, its target locks flocks on lock files.
#include <fcntl.h>
#include <fmt/format.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <thread>

#include "storage/sql/connection.hpp"

namespace loadcast::sql {
namespace {

constexpr int kBusyTimeoutMs = 10000;
// How often a held target lock, or a database busy switching to WAL, is tried again.
constexpr std::chrono::milliseconds kPollInterval{50};

/// Why the database's folder cannot be written to ("; its folder ... cannot be written:
/// Read-only file system"), or nothing when it can: SQLite in WAL mode needs to create files
/// beside the database, and its own error does not say why it could not.
std::string UnwritableFolder(const std::filesystem::path& db) {
  const std::filesystem::path folder = db.has_parent_path() ? db.parent_path() : ".";
  if (::access(folder.c_str(), W_OK) == 0) return "";
  return fmt::format("; its folder {} cannot be written: {}", folder.string(),
                     std::strerror(errno));
}

sqlite_api::sqlite3* Native(soci::session& session) {
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session.get_backend());
  return backend ? backend->conn_ : nullptr;
}

/// SQLite's message for the connection's last error, with the operating system's reason when
/// there is one ("disk I/O error (No space left on device)").
std::string ErrorOf(sqlite_api::sqlite3* db) {
  std::string message = db ? sqlite_api::sqlite3_errmsg(db) : "out of memory";
  const int os_error = db ? sqlite_api::sqlite3_system_errno(db) : 0;
  if (os_error != 0) message += fmt::format(" ({})", std::strerror(os_error));
  return message;
}

/// A target lock held as an exclusive flock on an open lock file: closing the file, or the end of
/// the process, releases it.
class FileLock final : public HeldLock {
 public:
  explicit FileLock(int fd) : fd_(fd) {}
  ~FileLock() override { close(fd_); }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;

 private:
  int fd_;
};

class Sqlite final : public Dialect {
 public:
  explicit Sqlite(std::filesystem::path path) : path_(std::move(path)) {}

  void Open(soci::session& session) override {
    std::error_code ec;
    if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
    try {
      // SOCI takes a connect string without '=' as the file name itself, spaces and all; one
      // with '=' as "key=value" pairs, a value quoted when it holds spaces.
      const std::string file = path_.string();
      session.open(*soci::factory_sqlite3(),
                   file.find('=') == std::string::npos ? file : fmt::format("db=\"{}\"", file));
    } catch (const soci::soci_error& e) {
      throw StorageError(fmt::format("{}: cannot open database: {}{}", path_.string(),
                                     e.get_error_message(), UnwritableFolder(path_)));
    }
    sqlite_api::sqlite3_busy_timeout(Native(session), kBusyTimeoutMs);
    try {
      session << "PRAGMA foreign_keys = ON";
      EnableWal(session);
    } catch (const soci::soci_error& e) {
      const std::string error = ErrorOf(Native(session));
      session.close();
      throw StorageError(fmt::format("{}: {}{}", path_.string(), error, UnwritableFolder(path_)));
    } catch (const StorageError& e) {
      session.close();
      throw StorageError(
          fmt::format("{}: {}{}", path_.string(), e.what(), UnwritableFolder(path_)));
    }
  }

  std::string location() const override { return path_.string(); }
  const char* begin_write() const override { return "BEGIN IMMEDIATE"; }
  // BEGIN IMMEDIATE holds the database's write lock already.
  void LockMigrations(soci::session&) override {}

  std::string Describe(soci::session& session, const soci::soci_error& e) const override {
    // SQLite's own message says what failed without the statement SOCI adds to it.
    sqlite_api::sqlite3* db = Native(session);
    if (db && sqlite_api::sqlite3_errcode(db) != SQLITE_OK) return ErrorOf(db);
    return e.get_error_message();
  }

  std::unique_ptr<HeldLock> Lock(const std::string& name, const std::string& what,
                                 std::chrono::milliseconds timeout) override {
    const std::filesystem::path dir = SqliteLockDir(path_);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    const std::filesystem::path file = dir / (name + ".lock");
    // The file is never removed: removing it while another process waits on it would let two
    // processes hold locks on two different files of the same name.
    const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
      throw StorageError(
          fmt::format("{}: cannot open lock file: {}", file.string(), std::strerror(errno)));
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (flock(fd, LOCK_EX | LOCK_NB) == 0) return std::make_unique<FileLock>(fd);
      const int error = errno;
      if (error != EWOULDBLOCK && error != EINTR) {
        close(fd);
        throw StorageError(fmt::format("{}: cannot lock: {}", file.string(), std::strerror(error)));
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        close(fd);
        throw LockTimeout(fmt::format(
            "{} is locked by another process (lock file {}); still locked after {:.1f} s", what,
            file.string(), static_cast<double>(timeout.count()) / 1000.0));
      }
      std::this_thread::sleep_for(
          std::min<std::chrono::steady_clock::duration>(kPollInterval, deadline - now));
    }
  }

  const SchemaWords& words() const override {
    static const SchemaWords kWords = {"INTEGER PRIMARY KEY AUTOINCREMENT",
                                       "INTEGER",
                                       "REAL",
                                       "TEXT",
                                       "",
                                       "REFERENCES models(id)",
                                       ""};
    return kWords;
  }
  // SQLite numbers every row of a table without an id: its rowid.
  const char* write_order() const override { return "rowid"; }

 private:
  void EnableWal(soci::session& session) {
    // Write-ahead logging lets readers (the dashboard, `runs`) go on while a run writes, and
    // concurrent runs wait for each other's short write transactions (the busy timeout) instead
    // of failing. The mode is stored in the file: only the first open of a fresh database
    // switches it, and that switch needs the database to itself, which two processes opening a
    // fresh file at once may not get at the first try.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
    while (true) {
      try {
        std::string mode;
        session << "PRAGMA journal_mode = WAL", soci::into(mode);
        return;
      } catch (const soci::sqlite3_soci_error& e) {
        const int rc = e.result();
        const std::string message = ErrorOf(Native(session));
        if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
            std::chrono::steady_clock::now() >= deadline) {
          throw StorageError(fmt::format("cannot switch to WAL journal mode: {}", message));
        }
      }
      std::this_thread::sleep_for(kPollInterval);
    }
  }

  std::filesystem::path path_;
};

}  // namespace

std::filesystem::path SqliteLockDir(const std::filesystem::path& database) {
  return std::filesystem::path(database.string() + ".locks");
}

std::unique_ptr<Dialect> SqliteDialect(std::filesystem::path path) {
  return std::make_unique<Sqlite>(std::move(path));
}

}  // namespace loadcast::sql
