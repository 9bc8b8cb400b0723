// Fingerprints of what loadcast holds on the local backends (the bucket folder and the SQLite
// file), to prove that a refused or interrupted command changed nothing it should not have.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/files.hpp"

namespace loadcast::testing {

/// The names of the database's tables that `where` selects from sqlite_master, in order.
inline std::vector<std::string> TableNames(const std::filesystem::path& db_path,
                                           const std::string& where) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::vector<std::string> names;
  const std::string sql =
      "SELECT name FROM sqlite_master WHERE type = 'table' AND (" + where + ") ORDER BY name";
  sqlite3_exec(
      db, sql.c_str(),
      [](void* out, int, char** values, char**) {
        static_cast<std::vector<std::string>*>(out)->push_back(values[0]);
        return 0;
      },
      &names, nullptr);
  sqlite3_close(db);
  return names;
}

/// Every row of `tables`, in the order of their first two columns, as text.
inline std::string DumpTables(const std::filesystem::path& db_path,
                              const std::vector<std::string>& tables) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string dump;
  for (const std::string& table : tables) {
    dump += "-- " + table + "\n";
    const std::string sql = "SELECT * FROM \"" + table + "\" ORDER BY 1, 2";
    const int status = sqlite3_exec(
        db, sql.c_str(),
        [](void* text, int n, char** values, char**) {
          auto* out = static_cast<std::string*>(text);
          for (int i = 0; i < n; ++i) *out += std::string(values[i] ? values[i] : "NULL") + "|";
          *out += "\n";
          return 0;
        },
        &dump, nullptr);
    EXPECT_EQ(status, SQLITE_OK) << table;
  }
  sqlite3_close(db);
  return dump;
}

/// The tables that hold data, as text: every table but the run log, the alerts and SQLite's own.
inline std::string DataTables(const std::filesystem::path& db_path) {
  return DumpTables(db_path, TableNames(db_path,
                                        "name NOT IN ('runs', 'alerts') AND name NOT "
                                        "LIKE 'sqlite_%'"));
}

/// The result of SQLite's full integrity check ("ok" when the file is sound).
inline std::string IntegrityCheck(const std::filesystem::path& db_path) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  std::string result;
  sqlite3_exec(
      db, "PRAGMA integrity_check",
      [](void* text, int, char** values, char**) {
        *static_cast<std::string*>(text) += values[0] ? values[0] : "NULL";
        return 0;
      },
      &result, nullptr);
  sqlite3_close(db);
  return result;
}

}  // namespace loadcast::testing
