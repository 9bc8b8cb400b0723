// The integration tests on the production backends. With LOADCAST_TEST_BACKENDS=remote (set by
// scripts/run-tests.sh, which starts the servers), every loadcast process a test starts gets its
// own PostgreSQL database and its own prefix in the test bucket, through the same environment
// overrides a scheduler uses: the tests themselves do not change.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>

namespace loadcast::testing {

inline bool RemoteBackends() {
  const char* value = std::getenv("LOADCAST_TEST_BACKENDS");
  return value && std::string(value) == "remote";
}

inline std::string RequiredEnv(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value) {
    throw std::runtime_error(std::string(name) +
                             " is not set: start the servers with scripts/test-services.sh");
  }
  return value;
}

/// The name of the PostgreSQL database and of the bucket prefix a loadcast process started in
/// `cwd` gets on the production backends: the same folder always gets the same.
inline std::string RemoteId(const std::filesystem::path& cwd) {
  char id[32];
  std::snprintf(id, sizeof id, "lc_%016zx", std::hash<std::string>{}(cwd.string()));
  return id;
}

/// The URL of the database `id` on the test server.
inline std::string RemoteDatabaseUrl(const std::string& id) {
  const std::string server = RequiredEnv("LOADCAST_TEST_POSTGRES_URL");
  return server.substr(0, server.rfind('/') + 1) + id;
}

/// The backend overrides for a loadcast process started in `cwd`: nothing on the embedded
/// backends; otherwise LOADCAST_DATABASE_URL (a database of its own, created on first use) and
/// LOADCAST_STORAGE_URL with LOADCAST_S3_ENDPOINT (a prefix of its own in the test bucket). The
/// same folder always gets the same database and prefix, so a test's commands share them.
inline std::map<std::string, std::string> BackendEnv(const std::filesystem::path& cwd) {
  if (!RemoteBackends()) return {};
  const std::string id = RemoteId(cwd);
  const std::string server = RequiredEnv("LOADCAST_TEST_POSTGRES_URL");
  const std::string database = RemoteDatabaseUrl(id);
  static std::mutex mutex;
  static std::set<std::string> created;
  {
    const std::lock_guard lock(mutex);
    if (created.insert(id).second) {
      const std::string command =
          "psql -X -q '" + server + "' -c 'CREATE DATABASE " + id + "' >/dev/null 2>&1";
      if (std::system(command.c_str()) != 0) {
        // Already there (another test binary's process made it, or the test copied a workspace
        // into it): fine if it answers.
        const std::string check = "psql -X -q '" + database + "' -c 'SELECT 1' >/dev/null 2>&1";
        if (std::system(check.c_str()) != 0) {
          throw std::runtime_error("could not create test database " + id);
        }
      }
    }
  }
  return {{"LOADCAST_DATABASE_URL", database},
          {"LOADCAST_STORAGE_URL", "s3://" + RequiredEnv("LOADCAST_TEST_S3_BUCKET") + "/" + id},
          {"LOADCAST_S3_ENDPOINT", RequiredEnv("LOADCAST_TEST_S3_ENDPOINT")}};
}

}  // namespace loadcast::testing

/// For a test whose subject exists on the embedded backends only (SQLite's file, the local
/// folder's file system): skipped on PostgreSQL and S3, with `why` (a string literal) saying what
/// it checks and why that has no equivalent there. docs/reliability.md lists these tests.
#define LOADCAST_SKIP_ON_REMOTE_BACKENDS(why)         \
  do {                                                \
    if (::loadcast::testing::RemoteBackends()) {      \
      GTEST_SKIP() << "embedded backends only: " why; \
    }                                                 \
  } while (false)
