// Typed errors: expected failures carry their context and the exit code they map to. The CLI maps
// them to a process exit code in one place; programmer errors are asserts, not exceptions.
#pragma once

#include <stdexcept>
#include <string>

namespace loadcast {

/// Process exit codes, documented in README.md and docs/operations.md.
enum class ExitCode : int {
  kOk = 0,
  kInternal = 1,
  kUsage = 2,
  kDataRejected = 3,
  kForecastRejected = 4,
  kBusy = 5,
};

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  virtual ExitCode exit_code() const { return ExitCode::kInternal; }
};

/// Wrong command-line use, a missing prerequisite (no model yet), or an invalid configuration.
class UsageError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::kUsage; }
};

class ConfigError : public UsageError {
 public:
  using UsageError::UsageError;
};

/// Input data that failed validation; nothing was stored.
class DataError : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::kDataRejected; }
};

/// A forecast that failed the prediction checks; it was not published.
class ForecastRejected : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::kForecastRejected; }
};

/// A storage or database backend that failed (I/O error, corrupt object, SQL failure).
class StorageError : public Error {
 public:
  using Error::Error;
};

/// Another process held the lock of a target year and horizon for longer than the wait allowed;
/// nothing was done. Retrying later is safe.
class LockTimeout : public Error {
 public:
  using Error::Error;
  ExitCode exit_code() const override { return ExitCode::kBusy; }
};

}  // namespace loadcast
