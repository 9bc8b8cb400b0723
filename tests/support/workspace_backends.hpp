// What a loadcast process started in a folder holds, read on whichever backends it ran: with the
// embedded defaults the bucket folder var/bucket and the SQLite file var/loadcast.db, with
// LOADCAST_TEST_BACKENDS=remote the folder's own PostgreSQL database and prefix of the S3 test
// bucket (support/remote_backends.hpp). A test that checks what a command wrote, or that a
// refused command changed nothing, reads through these and runs on both.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <thread>
#include <vector>

#include "core/hash.hpp"
#include "storage/database.hpp"
#include "storage/local_bucket.hpp"
#include "storage/object_store.hpp"
#include "storage/s3_bucket.hpp"
#include "support/files.hpp"
#include "support/remote_backends.hpp"

namespace loadcast::testing {

/// Rows of a query, each as its columns' text ("NULL" for a null).
using Rows = std::vector<std::vector<std::string>>;

/// The bucket of a loadcast process started in `cwd` with the default storage.
inline std::unique_ptr<ObjectStore> WorkspaceBucket(const std::filesystem::path& cwd) {
  if (!RemoteBackends()) return std::make_unique<LocalBucket>(cwd / "var/bucket");
  S3Options options;
  options.bucket = RequiredEnv("LOADCAST_TEST_S3_BUCKET");
  options.prefix = RemoteId(cwd);
  options.endpoint = RequiredEnv("LOADCAST_TEST_S3_ENDPOINT");
  return std::make_unique<S3Bucket>(std::move(options));
}

/// The database of a loadcast process started in `cwd` with the default database.
inline std::unique_ptr<Database> WorkspaceDatabase(const std::filesystem::path& cwd) {
  if (!RemoteBackends()) return std::make_unique<SqliteDatabase>(cwd / "var/loadcast.db");
  BackendEnv(cwd);  // creates the database on first use, as for a loadcast process
  return std::make_unique<PostgresDatabase>(RemoteDatabaseUrl(RemoteId(cwd)));
}

/// SHA-256 of every object in the bucket, by key (a bucket never lists temporary files).
inline std::map<std::string, std::string> HashObjects(const ObjectStore& bucket) {
  std::map<std::string, std::string> hashes;
  for (const std::string& key : bucket.List("")) hashes[key] = Sha256Hex(*bucket.Get(key));
  return hashes;
}

/// The object's bytes; empty (and a test failure) when there is no such object.
inline std::string ObjectBytes(const ObjectStore& bucket, const std::string& key) {
  const auto bytes = bucket.Get(key);
  EXPECT_TRUE(bytes.has_value()) << "no object " << bucket.Locate(key);
  return bytes.value_or("");
}

/// Runs `sql` (plain SQL both engines understand) on the database of a loadcast process
/// started in `cwd`, read-only.
inline Rows QueryWorkspace(const std::filesystem::path& cwd, const std::string& sql) {
  Rows rows;
  if (RemoteBackends()) {
    BackendEnv(cwd);
    pqxx::connection conn(RemoteDatabaseUrl(RemoteId(cwd)));
    pqxx::read_transaction txn(conn);
    for (const auto& row : txn.exec(sql)) {
      std::vector<std::string> values;
      for (const auto& field : row) values.emplace_back(field.is_null() ? "NULL" : field.c_str());
      rows.push_back(std::move(values));
    }
    return rows;
  }
  const std::filesystem::path path = cwd / "var/loadcast.db";
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK) << path;
  const int status = sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int n, char** values, char**) {
        std::vector<std::string> row;
        for (int i = 0; i < n; ++i) row.emplace_back(values[i] ? values[i] : "NULL");
        static_cast<Rows*>(out)->push_back(std::move(row));
        return 0;
      },
      &rows, nullptr);
  EXPECT_EQ(status, SQLITE_OK) << sql << ": " << sqlite3_errmsg(db);
  sqlite3_close(db);
  return rows;
}

/// The rows of `table` in the database of a process started in `cwd`.
inline int CountWorkspaceRows(const std::filesystem::path& cwd, const std::string& table) {
  const Rows rows = QueryWorkspace(cwd, "SELECT COUNT(*) FROM " + table);
  return rows.empty() ? -1 : std::stoi(rows[0][0]);
}

/// Every table of the database of a process started in `cwd` (but, on SQLite, its own), or with
/// `data_only` every table but the run log and the alerts, as text: each table's rows in the
/// order of their first two columns.
inline std::string DumpWorkspaceTables(const std::filesystem::path& cwd, bool data_only) {
  std::string tables_sql =
      RemoteBackends()
          ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND "
            "table_type = 'BASE TABLE'"
          : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";
  if (data_only) {
    tables_sql += RemoteBackends() ? " AND table_name NOT IN ('runs', 'alerts')"
                                   : " AND name NOT IN ('runs', 'alerts')";
  }
  std::string dump;
  for (const auto& table : QueryWorkspace(cwd, tables_sql + " ORDER BY 1")) {
    dump += "-- " + table[0] + "\n";
    for (const auto& row :
         QueryWorkspace(cwd, "SELECT * FROM \"" + table[0] + "\" ORDER BY 1, 2")) {
      for (const std::string& value : row) dump += value + "|";
      dump += "\n";
    }
  }
  return dump;
}

/// The tables that hold data, as text: every table but the run log and the alerts.
inline std::string WorkspaceDataTables(const std::filesystem::path& cwd) {
  return DumpWorkspaceTables(cwd, true);
}

/// Everything a process started in `cwd` stored, as text: every table and every object.
inline std::string WorkspaceHoldings(const std::filesystem::path& cwd) {
  std::string text = DumpWorkspaceTables(cwd, false);
  const auto bucket = WorkspaceBucket(cwd);
  for (const std::string& key : bucket->List("")) {
    text += "-- object " + key + "\n" + bucket->Get(key).value_or("") + "\n";
  }
  return text;
}

/// Makes a loadcast process started in `to` find what one started in `from` holds: a copy of
/// var/, and on the production backends a copy of the database (as a template) and of the
/// objects under the prefix. `to` must not have been used on them yet.
inline void CopyWorkspace(const std::filesystem::path& from, const std::filesystem::path& to) {
  if (std::filesystem::exists(from / "var")) {
    std::filesystem::copy(from / "var", to / "var", std::filesystem::copy_options::recursive);
  }
  if (!RemoteBackends()) return;
  BackendEnv(from);
  const std::string source = RemoteId(from);
  const std::string copy = RemoteId(to);
  // The server refuses a template that still has a session: a loadcast process that just
  // exited may leave its backend for a moment.
  for (int attempt = 0;; ++attempt) {
    try {
      pqxx::connection conn(RequiredEnv("LOADCAST_TEST_POSTGRES_URL"));
      pqxx::nontransaction txn(conn);
      txn.exec("CREATE DATABASE " + txn.quote_name(copy) + " TEMPLATE " + txn.quote_name(source));
      break;
    } catch (const std::exception& e) {
      if (attempt == 50) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  const auto source_bucket = WorkspaceBucket(from);
  const auto copy_bucket = WorkspaceBucket(to);
  for (const std::string& key : source_bucket->List("")) {
    copy_bucket->Put(key, *source_bucket->Get(key));
  }
}

}  // namespace loadcast::testing
