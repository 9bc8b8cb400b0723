// A PostgreSQL database of its own for each test, on the server LOADCAST_TEST_POSTGRES_URL names
// (CI sets it; docs in tests/unit/storage/database_test.cpp). Without it the PostgreSQL tests
// skip, saying how to run them.
#pragma once

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>

namespace loadcast::testing {

inline constexpr const char* kPostgresUrlVariable = "LOADCAST_TEST_POSTGRES_URL";
inline constexpr const char* kPostgresSkipMessage =
    "PostgreSQL tests skipped: set LOADCAST_TEST_POSTGRES_URL to a server URL such as "
    "postgresql://postgres@127.0.0.1:55432/postgres to run them";

/// The test server's URL, or nothing when LOADCAST_TEST_POSTGRES_URL is unset or empty.
inline std::optional<std::string> PostgresServerUrl() {
  const char* value = std::getenv(kPostgresUrlVariable);
  if (!value || !*value) return std::nullopt;
  return std::string(value);
}

/// `server_url` with its database (the path) replaced by `database`, the query kept.
inline std::string WithDatabase(const std::string& server_url, const std::string& database) {
  const auto scheme = server_url.find("://");
  const std::size_t authority = scheme == std::string::npos ? 0 : scheme + 3;
  const auto path = server_url.find_first_of("/?", authority);
  const auto query = server_url.find('?', authority);
  std::string url = server_url.substr(0, path);
  url += '/';
  url += database;
  if (query != std::string::npos) url += server_url.substr(query);
  return url;
}

/// Creates an empty database with a name no other test process uses
/// (loadcast_test_<pid>_<counter>) and returns its URL; nothing when no server is configured.
/// Drop it with DropPostgresDatabase, or use ScopedPostgresDatabase.
inline std::optional<std::string> FreshPostgresDatabase() {
  const auto server = PostgresServerUrl();
  if (!server) return std::nullopt;
  static std::atomic<int> counter{0};
  const std::string name =
      "loadcast_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1));
  pqxx::connection conn(*server);
  pqxx::nontransaction txn(conn);
  txn.exec("DROP DATABASE IF EXISTS " + txn.quote_name(name) + " WITH (FORCE)");
  txn.exec("CREATE DATABASE " + txn.quote_name(name));
  return WithDatabase(*server, name);
}

/// Drops the database `url` names, closing the connections still open to it.
inline void DropPostgresDatabase(const std::string& url) {
  const auto server = PostgresServerUrl();
  if (!server) return;
  const auto slash = url.find('/', url.find("://") + 3);
  const std::string name = url.substr(slash + 1, url.find('?', slash) - slash - 1);
  pqxx::connection conn(*server);
  pqxx::nontransaction txn(conn);
  txn.exec("DROP DATABASE IF EXISTS " + txn.quote_name(name) + " WITH (FORCE)");
}

/// A fresh database for the lifetime of the object.
class ScopedPostgresDatabase {
 public:
  /// Nothing when no server is configured.
  static std::optional<ScopedPostgresDatabase> Create() {
    auto url = FreshPostgresDatabase();
    if (!url) return std::nullopt;
    return ScopedPostgresDatabase(std::move(*url));
  }
  ScopedPostgresDatabase(ScopedPostgresDatabase&& other) noexcept
      : url_(std::exchange(other.url_, std::string())) {}
  /// Takes the other's database; the other drops this one's.
  ScopedPostgresDatabase& operator=(ScopedPostgresDatabase&& other) noexcept {
    std::swap(url_, other.url_);
    return *this;
  }
  ScopedPostgresDatabase(const ScopedPostgresDatabase&) = delete;
  ScopedPostgresDatabase& operator=(const ScopedPostgresDatabase&) = delete;
  ~ScopedPostgresDatabase() {
    if (url_.empty()) return;
    try {
      DropPostgresDatabase(url_);
    } catch (const std::exception&) {
      // A database left behind on a throwaway test server is harmless; a throwing destructor
      // would not be.
    }
  }

  const std::string& url() const { return url_; }

 private:
  explicit ScopedPostgresDatabase(std::string url) : url_(std::move(url)) {}
  std::string url_;
};

}  // namespace loadcast::testing
