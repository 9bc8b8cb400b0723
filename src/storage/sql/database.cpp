#include "storage/database.hpp"

#include <fmt/format.h>

#include <cassert>

#include "storage/sql/connection.hpp"

namespace loadcast {
namespace {

/// Connects through `dialect`, failures naming where the database is.
std::unique_ptr<sql::Connection> Connect(std::unique_ptr<sql::Dialect> dialect) {
  const std::string location = dialect->location();
  auto connection = std::make_unique<sql::Connection>(std::move(dialect));
  try {
    sql::Migrate(*connection);
  } catch (const StorageError& e) {
    throw StorageError(fmt::format("{}: {}", location, e.what()));
  }
  return connection;
}

}  // namespace

std::string UtcNow() {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const auto secs = std::chrono::floor<std::chrono::seconds>(now);
  const auto days = std::chrono::floor<std::chrono::days>(secs);
  const std::chrono::year_month_day ymd{days};
  const std::chrono::hh_mm_ss hms{secs - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                     ms.count() % 1000);
}

Database::Database(std::unique_ptr<sql::Dialect> dialect)
    : connection_(Connect(std::move(dialect))),
      runs_(*connection_),
      models_(*connection_),
      forecasts_(*connection_),
      scores_(*connection_),
      alerts_(*connection_),
      monitor_(*connection_),
      series_results_(*connection_),
      revisions_(*connection_) {}

Database::~Database() = default;

std::unique_ptr<HeldLock> Database::LockTarget(int target_year, Horizon horizon,
                                               std::chrono::milliseconds timeout) {
  return connection_->dialect().Lock(fmt::format("{}-{}", target_year, horizon),
                                     fmt::format("{} {}", target_year, horizon), timeout);
}

std::unique_ptr<HeldLock> Database::LockYear(std::string_view dataset, int year,
                                             std::chrono::milliseconds timeout) {
  // The name becomes part of a file name.
  assert(!dataset.empty() &&
         dataset.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") ==
             std::string_view::npos &&
         "dataset names are fixed in code");
  return connection_->dialect().Lock(fmt::format("{}-{}", dataset, year),
                                     fmt::format("{} of {}", dataset, year), timeout);
}

std::string Database::location() const { return connection_->dialect().location(); }

int Database::schema_version() const { return sql::SchemaVersion(*connection_); }

SqliteDatabase::SqliteDatabase(std::filesystem::path path)
    : Database(sql::SqliteDialect(path)), path_(std::move(path)) {}

std::filesystem::path SqliteDatabase::lock_dir() const { return sql::SqliteLockDir(path_); }

PostgresDatabase::PostgresDatabase(std::string url)
    : Database(sql::PostgresDialect(std::move(url))) {}

}  // namespace loadcast
