#include "storage/backends.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "core/errors.hpp"
#include "storage/database.hpp"
#include "storage/local_bucket.hpp"
#include "support/expect.hpp"
#include "support/schema.hpp"
#include "support/temp_dir.hpp"

namespace loadcast {
namespace {

using testing::ErrorOf;
using testing::TempDir;

TEST(OpenObjectStore, DefaultConfigOpensALocalBucketUnderTheBaseDir) {
  TempDir dir;
  const Config config = DefaultConfig(dir.path());
  const auto store = OpenObjectStore(config);
  ASSERT_NE(dynamic_cast<LocalBucket*>(store.get()), nullptr);
  EXPECT_EQ(store->Locate("a/b.csv"), (dir / "var/bucket/a/b.csv").string());
}

TEST(OpenObjectStore, PlainAbsolutePathOpensALocalBucketThere) {
  TempDir dir;
  Config config = DefaultConfig("/nonexistent-base");
  config.storage_url = (dir / "elsewhere").string();
  const auto store = OpenObjectStore(config);
  ASSERT_NE(dynamic_cast<LocalBucket*>(store.get()), nullptr);
  store->Put("k", "v");
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "elsewhere/k"));
}

TEST(OpenObjectStore, FileUrlOpensALocalBucket) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.storage_url = "file://" + (dir / "files").string();
  const auto store = OpenObjectStore(config);
  ASSERT_NE(dynamic_cast<LocalBucket*>(store.get()), nullptr);
  EXPECT_EQ(store->Locate("k"), (dir / "files/k").string());
}

TEST(OpenObjectStore, RelativeFileUrlResolvesAgainstTheBaseDir) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.storage_url = "file://data/bucket";
  EXPECT_EQ(OpenObjectStore(config)->Locate("k"), (dir / "data/bucket/k").string());
}

TEST(OpenObjectStore, UnknownSchemeIsAConfigErrorListingValidSchemes) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.storage_url = "gs://my-bucket/loads";
  const std::string message = ErrorOf<ConfigError>([&] { OpenObjectStore(config); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "storage.url", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "'gs'", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "gs://my-bucket/loads", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "valid: a path, file://, s3://", message);
}

TEST(OpenObjectStore, UnknownSchemeMapsToTheUsageExitCode) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.storage_url = "gs://bucket";
  try {
    OpenObjectStore(config);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.exit_code(), ExitCode::kUsage);
  }
}

TEST(OpenDatabase, DefaultConfigOpensSqliteUnderTheBaseDir) {
  TempDir dir;
  const auto db = OpenDatabase(DefaultConfig(dir.path()));
  auto* sqlite = dynamic_cast<SqliteDatabase*>(db.get());
  ASSERT_NE(sqlite, nullptr);
  EXPECT_EQ(db->location(), (dir / "var/loadcast.db").string());
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "var/loadcast.db"));
  EXPECT_EQ(sqlite->schema_version(), testing::kLatestSchema);
}

TEST(OpenDatabase, SqliteUrlWithAnAbsolutePathOpensThatFile) {
  TempDir dir;
  Config config = DefaultConfig("/nonexistent-base");
  config.database_url = "sqlite://" + (dir / "db/other.db").string();
  const auto db = OpenDatabase(config);
  ASSERT_NE(dynamic_cast<SqliteDatabase*>(db.get()), nullptr);
  EXPECT_EQ(db->location(), (dir / "db/other.db").string());
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "db/other.db"));
}

TEST(OpenDatabase, RelativeSqliteUrlResolvesAgainstTheBaseDir) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.database_url = "sqlite://state/x.db";
  EXPECT_EQ(OpenDatabase(config)->location(), (dir / "state/x.db").string());
}

TEST(OpenDatabase, PlainRelativePathResolvesAgainstTheBaseDir) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.database_url = "x.db";
  EXPECT_EQ(OpenDatabase(config)->location(), (dir / "x.db").string());
}

TEST(OpenDatabase, PostgresUrlsOpenPostgresDatabaseWhichRefusesAPasswordInTheUrl) {
  // Both schemes reach PostgresDatabase; a password in the URL is refused before connecting.
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  for (const char* url :
       {"postgresql://user:secret@host/loadcast", "postgres://user:secret@host/loadcast"}) {
    config.database_url = url;
    const std::string message = ErrorOf<ConfigError>([&] { OpenDatabase(config); });
    EXPECT_PRED_FORMAT2(::testing::IsSubstring, "PGPASSWORD", message);
    EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, "secret", message);
  }
  // Nothing was created on the local disk.
  EXPECT_FALSE(std::filesystem::exists(dir / "var"));
}

TEST(OpenDatabase, UnknownSchemeListsTheValidOnes) {
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.database_url = "mysql://user@host/loadcast";
  const std::string message = ErrorOf<ConfigError>([&] { OpenDatabase(config); });
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "database.url", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, "'mysql'", message);
  EXPECT_PRED_FORMAT2(::testing::IsSubstring,
                      "valid: a path, sqlite://, postgresql://, postgres://", message);
}

TEST(OpenDatabase, SchemesAreNotSharedBetweenKindsOfStore) {
  // file:// names a bucket, sqlite:// a database: neither is accepted for the other.
  TempDir dir;
  Config config = DefaultConfig(dir.path());
  config.database_url = "file://x.db";
  config.storage_url = "sqlite://bucket";
  EXPECT_THROW(OpenDatabase(config), ConfigError);
  EXPECT_THROW(OpenObjectStore(config), ConfigError);
}

}  // namespace
}  // namespace loadcast
