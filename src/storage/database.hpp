// The database: every read and write loadcast makes, dataset by dataset (storage/datasets/),
// over one SQL implementation that runs on SQLite and PostgreSQL alike (storage/sql/). Each
// write is one transaction: it happens whole or not at all.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "core/config.hpp"
#include "storage/records.hpp"

namespace loadcast {

namespace sql {
class Connection;
class Dialect;
}  // namespace sql

/// An exclusive hold on a lock of the database (a target, a year of a dataset), released when
/// destroyed, and by the database itself when the process holding it dies.
class HeldLock {
 public:
  virtual ~HeldLock() = default;
};

class Database {
 public:
  virtual ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Waits until no other process holds the lock of `target_year` and `horizon`, then holds it
  /// until the returned lock is destroyed. Runs for other targets are not held up. Throws
  /// LockTimeout when the lock is still held after `timeout`.
  std::unique_ptr<HeldLock> LockTarget(int target_year, Horizon horizon,
                                       std::chrono::milliseconds timeout);
  /// The same for writing a year of a bucket dataset ("actuals", "series"): the ingests of one
  /// year run one after the other, each reading what the previous one stored. `dataset` is
  /// lower-case letters, digits and '_'.
  std::unique_ptr<HeldLock> LockYear(std::string_view dataset, int year,
                                     std::chrono::milliseconds timeout);

  // The datasets (storage/datasets/), to read and write. Every StorageError they throw names
  // the dataset: "dataset 'runs': ...".
  RunsDataset& runs() { return runs_; }
  ModelsDataset& models() { return models_; }
  ForecastsDataset& forecasts() { return forecasts_; }
  ScoresDataset& scores() { return scores_; }
  AlertsDataset& alerts() { return alerts_; }
  MonitorDataset& monitor() { return monitor_; }
  SeriesResultsDataset& series_results() { return series_results_; }
  // The same datasets, to read only.
  const RunsDataset& runs() const { return runs_; }
  const ModelsDataset& models() const { return models_; }
  const ForecastsDataset& forecasts() const { return forecasts_; }
  const ScoresDataset& scores() const { return scores_; }
  const AlertsDataset& alerts() const { return alerts_; }
  const MonitorDataset& monitor() const { return monitor_; }
  const SeriesResultsDataset& series_results() const { return series_results_; }
  RevisionsDataset& revisions() { return revisions_; }
  const RevisionsDataset& revisions() const { return revisions_; }

  /// Where the database is, for people.
  std::string location() const;
  /// Schema version after migrations.
  int schema_version() const;

 protected:
  /// Connects through `dialect` and applies the pending migrations (storage/sql/migrations.cpp).
  /// StorageError naming location() when it cannot.
  explicit Database(std::unique_ptr<sql::Dialect> dialect);

 private:
  std::unique_ptr<sql::Connection> connection_;
  RunsDataset runs_;
  ModelsDataset models_;
  ForecastsDataset forecasts_;
  ScoresDataset scores_;
  AlertsDataset alerts_;
  MonitorDataset monitor_;
  SeriesResultsDataset series_results_;
  RevisionsDataset revisions_;
};

/// The embedded default database: a SQLite file, in WAL mode.
class SqliteDatabase final : public Database {
 public:
  /// Opens (creating when absent) the database file and applies pending migrations.
  explicit SqliteDatabase(std::filesystem::path path);

  /// The folder of the lock files: an exclusive flock on `<database>.locks/<year>-<horizon>.lock`
  /// for a target, `<dataset>-<year>.lock` for a year of a dataset (created as needed), polled
  /// until the timeout; the
  /// kernel releases it when the process ends, however it ends.
  std::filesystem::path lock_dir() const;

 private:
  std::filesystem::path path_;
};

/// The shared database: PostgreSQL, for several machines running loadcast against one server.
/// Its locks are session advisory locks, each on a connection of its own.
class PostgresDatabase final : public Database {
 public:
  /// Connects to `url` ("postgresql://user@host:port/db" or "postgres://..."), then applies
  /// pending migrations under an advisory lock. The password comes from PGPASSWORD (or the other
  /// ways libpq finds one), never from the URL: a URL holding one is a ConfigError. Throws
  /// StorageError, naming the URL without its user info, when the server cannot be reached.
  explicit PostgresDatabase(std::string url);
};

/// Current UTC time as ISO 8601 with milliseconds ("2021-03-01T12:00:00.123Z").
std::string UtcNow();

}  // namespace loadcast
