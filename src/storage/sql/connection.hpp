// The one SQL implementation's plumbing, over SOCI: a connection with its dialect, transactions,
// and statements whose values are always bound (Values, Batch), never formatted into the text.
// Only src/storage/sql/ and src/storage/datasets/ include this header (scripts/check-sql.py).
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/date.hpp"
#include "core/errors.hpp"
#include "core/vocabulary.hpp"
#include "storage/database.hpp"
#include "storage/sql/dataset_connection.hpp"

namespace loadcast::sql {

/// The words the baseline schema differs by between the backends.
struct SchemaWords {
  const char* identity;     // an auto-numbered BIGINT primary key column's type and constraint
  const char* bigint;       // a 64-bit integer column (a foreign key to an identity column)
  const char* real;         // a double-precision column
  const char* sorted_text;  // text compared and sorted byte by byte (times, dates, versions)
  const char* row_id;       // "id <identity>, " where the table needs an explicit write order
  // runs.model_id refers to models, created after runs: SQLite takes the reference ahead
  // (model_ref), PostgreSQL adds it once models exists (runs_model_fk).
  const char* model_ref;
  const char* runs_model_fk;
};

/// What differs between SQLite and PostgreSQL besides the queries, which are written once in
/// the dialect they share: connecting and session setup, the target lock, the schema words, and
/// how an error is told. One small file per backend implements it.
class Dialect {
 public:
  virtual ~Dialect() = default;
  /// Opens `session` and sets it up (SQLite: busy timeout, foreign keys, WAL). StorageError
  /// naming location() when it cannot.
  virtual void Open(soci::session& session) = 0;
  /// Where the database is, for people (a path, or the URL without its user info).
  virtual std::string location() const = 0;
  /// Starts a write transaction that holds its write lock from the start (SQLite: IMMEDIATE, so
  /// that two writers cannot both read a state and then both change it).
  virtual const char* begin_write() const = 0;
  /// Makes processes migrating at once wait for each other, inside the migration transaction.
  virtual void LockMigrations(soci::session& session) = 0;
  /// The backend's own account of the failure of the last statement, with the operating
  /// system's reason when there is one.
  virtual std::string Describe(soci::session& session, const soci::soci_error& error) const = 0;
  /// Waits up to `timeout` until no other process holds the lock `name` (lower-case letters,
  /// digits, '_' and '-'), then holds it until the returned lock is destroyed; LockTimeout naming
  /// `what` when it stayed held. See Database::LockTarget.
  virtual std::unique_ptr<HeldLock> Lock(const std::string& name, const std::string& what,
                                         std::chrono::milliseconds timeout) = 0;
  virtual const SchemaWords& words() const = 0;
  /// The column listing the rows of a table without an id in write order ("rowid" or "id").
  virtual const char* write_order() const = 0;
};

std::unique_ptr<Dialect> SqliteDialect(std::filesystem::path path);
/// The folder of a SQLite database's lock files: `<database>.locks`.
std::filesystem::path SqliteLockDir(const std::filesystem::path& database);
std::unique_ptr<Dialect> PostgresDialect(std::string url);

/// The values of one statement's placeholders (":name", each name once), in their order. A
/// nullopt, and a NaN, is NULL.
class Values {
 public:
  Values& Add(const std::string& v);
  Values& Add(const char* v) { return Add(std::string(v)); }
  Values& Add(int64_t v);
  Values& Add(int v) { return Add(static_cast<int64_t>(v)); }
  Values& Add(bool v) = delete;
  Values& Add(double v);
  /// An enum as its name, a date as its ISO text: what the database stores.
  template <Named E>
  Values& Add(E v) {
    return Add(std::string(NameOf(v)));
  }
  Values& Add(Date v) { return Add(v.ToIso()); }
  template <typename T>
  Values& Add(const std::optional<T>& v) {
    if (v) return Add(*v);
    return AddNull();
  }
  /// Binds the values to `statement`, which must not outlive this object.
  void BindTo(soci::statement& statement);

 private:
  enum class Kind { kText, kInt, kReal };
  Values& AddNull();
  std::vector<Kind> kinds_;
  std::vector<std::size_t> index_;
  std::deque<std::string> texts_;
  std::deque<long long> ints_;
  std::deque<double> reals_;
  std::deque<soci::indicator> nulls_;
};

/// The text a column stores for an optional enum or date whose "none" is the empty text rather
/// than NULL (runs.horizon, alerts.period_start, ...).
template <Named E>
std::string OrEmpty(const std::optional<E>& v) {
  return v ? std::string(NameOf(*v)) : std::string();
}
inline std::string OrEmpty(const std::optional<Date>& v) { return v ? v->ToIso() : std::string(); }

/// Values(a, b, c): Values().Add(a).Add(b).Add(c).
template <typename... Args>
Values V(const Args&... args) {
  Values values;
  (values.Add(args), ...);
  return values;
}

/// The rows of one INSERT, column by column, sent in one execution: Row() starts a row, then
/// Add() gives its columns in the order of the placeholders.
class Batch {
 public:
  Batch& Row();
  Batch& Add(const std::string& v);
  Batch& Add(int64_t v);
  Batch& Add(int v) { return Add(static_cast<int64_t>(v)); }
  Batch& Add(double v);
  /// An enum as its name, a date as its ISO text: what the database stores.
  template <Named E>
  Batch& Add(E v) {
    return Add(std::string(NameOf(v)));
  }
  Batch& Add(Date v) { return Add(v.ToIso()); }
  template <typename T>
  Batch& Add(const std::optional<T>& v) {
    if (v) return Add(*v);
    return AddNull();
  }
  std::size_t rows() const { return rows_; }
  void BindTo(soci::statement& statement);

 private:
  enum class Kind { kText, kInt, kReal };
  struct Column {
    Kind kind = Kind::kText;
    std::vector<std::string> texts;
    std::vector<long long> ints;
    std::vector<double> reals;
    std::vector<soci::indicator> nulls;
  };
  Column& Next(Kind kind);
  Batch& AddNull();
  std::vector<Column> columns_;
  std::size_t next_ = 0;
  std::size_t rows_ = 0;
};

/// The columns a SELECT lists, with their types in the same order, as Cursor takes them.
struct Columns {
  const char* names;
  const char* types;
};

/// The row a reader is on, for the errors of the typed getters: its table and the key that
/// finds it ("table runs, row 42", "table checks, row run_id 7, range").
struct RowOf {
  std::string_view table;
  std::string_view key_column;  // "id", or the column of the run a row without an id belongs to
  int64_t key = 0;
  std::string_view detail = {};  // what else tells the row apart among those of its key
};

/// Throws the StorageError of a stored value outside its vocabulary or format: "table runs, row
/// 42: unknown run status 'runing' in column status (valid: running, ...)".
[[noreturn]] void ThrowBadValue(const RowOf& row, std::string_view column, std::string_view what,
                                std::string_view value, std::string_view valid);

/// The rows of a SELECT (or of a RETURNING clause), read one by one. `types` gives each
/// column's type in order: 'i' integer, 'r' real, 't' text. A NULL reads as 0 or "".
class Cursor {
 public:
  Cursor(soci::session& session, const std::string& sql, Values values, std::string_view types);
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;

  /// Advances; true while a row is available.
  bool Next();
  bool IsNull(int column) const;
  int64_t Int(int column) const;
  double Real(int column) const;
  const std::string& Text(int column) const;
  std::optional<int64_t> OptionalInt(int column) const;
  std::optional<int> OptionalInt32(int column) const;
  std::optional<double> OptionalReal(int column) const;
  /// A text column holding a name of E's vocabulary; StorageError naming the row and `name`
  /// (the column) when it holds anything else.
  template <Named E>
  E Enum(int column, std::string_view name, const RowOf& row) const {
    const std::string& text = Text(column);
    if (const auto value = FromName<E>(text)) return *value;
    ThrowBadValue(row, name, kVocabulary<E>.what, text, NamesOf<E>());
  }
  /// Like Enum, but an empty text (or NULL) is nothing.
  template <Named E>
  std::optional<E> OptionalEnum(int column, std::string_view name, const RowOf& row) const {
    if (Text(column).empty()) return std::nullopt;
    return Enum<E>(column, name, row);
  }
  /// A text column holding an ISO date (YYYY-MM-DD); StorageError naming the row and `name`
  /// when it holds anything else.
  Date Day(int column, std::string_view name, const RowOf& row) const;
  /// Like Day, but an empty text (or NULL) is nothing.
  std::optional<Date> OptionalDay(int column, std::string_view name, const RowOf& row) const;

 private:
  Values values_;
  std::vector<long long> ints_;
  std::vector<double> reals_;
  std::vector<std::string> texts_;
  std::vector<soci::indicator> nulls_;
  soci::statement statement_;
  bool started_ = false;
};

/// A database connection with its dialect. Every failure of the backend becomes a StorageError.
class Connection {
 public:
  explicit Connection(std::unique_ptr<Dialect> dialect);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// Runs `body` in one write transaction: committed when it returns, rolled back when it
  /// throws (a backend failure as a StorageError).
  template <typename F>
  auto Write(F&& body) -> decltype(body()) {
    Begin();
    try {
      if constexpr (std::is_void_v<decltype(body())>) {
        body();
        Commit();
      } else {
        auto result = body();
        Commit();
        return result;
      }
    } catch (const soci::soci_error& e) {
      const std::string reason = Describe(e);
      Rollback();
      throw StorageError(reason);
    } catch (...) {
      Rollback();
      throw;
    }
  }
  /// Runs `body`, reading only; a backend failure becomes a StorageError.
  template <typename F>
  auto Read(F&& body) -> decltype(body()) {
    try {
      return body();
    } catch (const soci::soci_error& e) {
      throw StorageError(Describe(e));
    }
  }

  /// Executes a statement with its values; the number of rows it changed.
  int64_t Exec(const std::string& sql, Values values = {});
  /// Executes an INSERT once per row of `batch`.
  void Exec(const std::string& sql, Batch& batch);

  soci::session& session() { return session_; }
  Dialect& dialect() { return *dialect_; }
  const Dialect& dialect() const { return *dialect_; }

 private:
  void Begin();
  void Commit();
  void Rollback() noexcept;
  std::string Describe(const soci::soci_error& e);

  std::unique_ptr<Dialect> dialect_;
  soci::session session_;
};

/// `message` prefixed with the dataset it concerns: "dataset 'runs': <message>".
StorageError DatasetError(const char* dataset, const char* message);

template <typename F>
auto DatasetConnection::Named(F&& call) const -> decltype(call()) {
  try {
    return call();
  } catch (const StorageError& e) {
    throw DatasetError(name_, e.what());
  }
}

template <typename F>
auto DatasetConnection::Write(F&& body) const -> decltype(body()) {
  return Named([&] { return connection_->Write(std::forward<F>(body)); });
}

template <typename F>
auto DatasetConnection::Read(F&& body) const -> decltype(body()) {
  return Named([&] { return connection_->Read(std::forward<F>(body)); });
}

inline int64_t DatasetConnection::Exec(const std::string& sql, Values values) const {
  return connection_->Exec(sql, std::move(values));
}
inline void DatasetConnection::Exec(const std::string& sql, Batch& batch) const {
  connection_->Exec(sql, batch);
}
inline soci::session& DatasetConnection::session() const { return connection_->session(); }
inline const Dialect& DatasetConnection::dialect() const { return connection_->dialect(); }

/// Runs a SELECT and reads each of its rows with `read` (a function of a const Cursor&).
template <typename Reader>
auto Rows(const DatasetConnection& db, const std::string& sql, Values values,
          std::string_view types, Reader read) {
  Cursor c(db.session(), sql, std::move(values), types);
  std::vector<std::invoke_result_t<Reader&, const Cursor&>> out;
  while (c.Next()) out.push_back(read(std::as_const(c)));
  return out;
}

/// Runs a SELECT and reads its first row with `read`; nothing when it returns none.
template <typename Reader>
auto FirstRow(const DatasetConnection& db, const std::string& sql, Values values,
              std::string_view types, Reader read)
    -> std::optional<std::invoke_result_t<Reader&, const Cursor&>> {
  Cursor c(db.session(), sql, std::move(values), types);
  if (!c.Next()) return std::nullopt;
  return read(std::as_const(c));
}

/// Runs the numbered migrations (migrations.cpp) that `connection` still lacks.
void Migrate(Connection& connection);
/// The schema version of the database: the highest version applied.
int SchemaVersion(Connection& connection);

}  // namespace loadcast::sql
