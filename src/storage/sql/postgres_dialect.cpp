// PostgreSQL, the shared database: several machines running loadcast against one server, its
// target locks advisory locks held by a connection of their own.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <thread>

#include "core/url.hpp"
#include "storage/sql/connection.hpp"

namespace loadcast::sql {
namespace {

// The first key of every advisory lock loadcast takes ("LCST"), so that its locks do not collide
// with those of other applications sharing the server. The second key tells them apart.
constexpr int kLockNamespace = 0x4C435354;
constexpr int kMigrationLockKey = 0;
constexpr auto kLockPollInterval = std::chrono::milliseconds(50);

/// Strips the trailing newline libpq ends its messages with.
std::string Trimmed(std::string message) {
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

/// Fails when the URL carries a password, in its user info ("user:password@") or as a
/// "password" parameter: secrets come from the environment only.
void RejectPasswordInUrl(const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  const std::size_t authority_end = url.find_first_of("/?#", start);
  const std::string authority = url.substr(
      start, authority_end == std::string::npos ? std::string::npos : authority_end - start);
  const auto at = authority.rfind('@');
  bool has_password =
      at != std::string::npos && authority.substr(0, at).find(':') != std::string::npos;
  const auto query = url.find('?');
  if (query != std::string::npos) {
    const std::string params = fmt::format("&{}", url.substr(query + 1));
    has_password = has_password || params.find("&password=") != std::string::npos;
  }
  if (has_password) {
    throw ConfigError(
        fmt::format("database.url: '{}' holds a password; give it in the PGPASSWORD environment "
                    "variable instead",
                    RedactUrl(url)));
  }
}

/// The URL as libpq's "keyword=value" connection string, which SOCI passes on as it is (a URL it
/// does not: it takes it apart as keyword=value pairs).
std::string ConnectionString(const std::string& url, const std::string& location) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (!options) {
    const std::string reason = error ? Trimmed(error) : "out of memory";
    PQfreemem(error);
    throw ConfigError(
        fmt::format("database.url: '{}' is not a PostgreSQL URL: {}", location, reason));
  }
  std::string out;
  for (const PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    const std::string value = o->val;
    std::string quoted;
    for (const char c : value) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    const bool plain = value.find_first_of(" \t'\\") == std::string::npos;
    out += fmt::format("{}{}={}", out.empty() ? "" : " ", o->keyword,
                       plain ? value : fmt::format("'{}'", quoted));
  }
  PQconninfoFree(options);
  return out;
}

/// Connects `session` to `url`, failing with the redacted URL and libpq's reason.
void Connect(soci::session& session, const std::string& url, const std::string& location) {
  const std::string connection = ConnectionString(url, location);
  try {
    // libpq reads the user, host, port, database and parameters from the URL.
    session.open(*soci::factory_postgresql(), connection);
  } catch (const soci::soci_error& e) {
    throw StorageError(fmt::format("{}: cannot connect to PostgreSQL: {}", location,
                                   Trimmed(e.get_error_message())));
  }
}

/// The second key of the advisory lock named `name`: its 32-bit FNV-1a hash.
int LockKey(const std::string& name) {
  uint32_t hash = 2166136261u;
  for (const char c : name) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619u;
  }
  return static_cast<int>(hash);
}

/// Holds a session advisory lock on its own connection: closing the connection, or the death of
/// the process, releases it.
class AdvisoryLock final : public HeldLock {
 public:
  AdvisoryLock(std::unique_ptr<soci::session> session, int key)
      : session_(std::move(session)), key_(key) {}
  ~AdvisoryLock() override {
    try {
      int released = 0;
      *session_ << "SELECT CASE WHEN pg_advisory_unlock(CAST(:space AS INTEGER), "
                   "CAST(:key AS INTEGER)) THEN 1 ELSE 0 END",
          soci::use(kLockNamespace), soci::use(key_), soci::into(released);
    } catch (const std::exception&) {
      // The connection closes below, which releases the lock as well.
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  std::unique_ptr<soci::session> session_;
  int key_;
};

class Postgres final : public Dialect {
 public:
  explicit Postgres(std::string url) : url_(std::move(url)), location_(RedactUrl(url_)) {
    RejectPasswordInUrl(url_);
  }

  void Open(soci::session& session) override { Connect(session, url_, location_); }
  std::string location() const override { return location_; }
  const char* begin_write() const override { return "BEGIN"; }

  void LockMigrations(soci::session& session) override {
    // Two processes starting together against a new database would both create the tables: the
    // transaction-scoped lock lets one migrate while the other waits, then finds nothing to do.
    int locked = 0;
    session << "SELECT 1 FROM (SELECT pg_advisory_xact_lock(CAST(:space AS INTEGER), "
               "CAST(:key AS INTEGER))) AS held",
        soci::use(kLockNamespace), soci::use(kMigrationLockKey), soci::into(locked);
  }

  std::string Describe(soci::session&, const soci::soci_error& e) const override {
    return Trimmed(e.get_error_message());
  }

  std::unique_ptr<HeldLock> Lock(const std::string& name, const std::string& what,
                                 std::chrono::milliseconds timeout) override {
    // A session lock on a connection of its own: it outlives the transactions of the main one,
    // and closing it (or the process dying) frees it.
    auto session = std::make_unique<soci::session>();
    Connect(*session, url_, location_);
    const int key = LockKey(name);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    try {
      for (;;) {
        int locked = 0;
        *session << "SELECT CASE WHEN pg_try_advisory_lock(CAST(:space AS INTEGER), "
                    "CAST(:key AS INTEGER)) THEN 1 ELSE 0 END",
            soci::use(kLockNamespace), soci::use(key), soci::into(locked);
        if (locked == 1) return std::make_unique<AdvisoryLock>(std::move(session), key);
        if (std::chrono::steady_clock::now() >= deadline) break;
        std::this_thread::sleep_for(kLockPollInterval);
      }
    } catch (const soci::soci_error& e) {
      throw StorageError(
          fmt::format("{}: cannot lock {}: {}", location_, what, Trimmed(e.get_error_message())));
    }
    throw LockTimeout(fmt::format(
        "{} is locked by another loadcast process (advisory lock '{}'); still locked after "
        "{:.1f} s",
        what, name, static_cast<double>(timeout.count()) / 1000.0));
  }

  // Text compared or sorted as text (times, dates) uses the "C" collation, so that it orders
  // byte by byte as in SQLite whatever the server's locale. checks and monitor_windows have an
  // id that SQLite's implicit rowid stands for: the order in which rows were written.
  const SchemaWords& words() const override {
    static const SchemaWords kWords = {
        "BIGSERIAL PRIMARY KEY",
        "BIGINT",
        "DOUBLE PRECISION",
        "TEXT COLLATE \"C\"",
        "id BIGSERIAL PRIMARY KEY,",
        "",
        "ALTER TABLE runs ADD CONSTRAINT runs_model_id_fkey FOREIGN KEY (model_id) "
        "REFERENCES models(id)"};
    return kWords;
  }
  const char* write_order() const override { return "id"; }

 private:
  std::string url_;
  std::string location_;
};

}  // namespace

std::unique_ptr<Dialect> PostgresDialect(std::string url) {
  return std::make_unique<Postgres>(std::move(url));
}

}  // namespace loadcast::sql
