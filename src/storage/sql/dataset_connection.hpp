// A dataset's way to the database: the shared connection and the dataset's name. Every
// StorageError a dataset's Read or Write throws begins with that name ("dataset 'runs': ..."),
// so that no query of a dataset has to say which dataset failed. The member templates are
// defined in connection.hpp, which only the SQL layer includes.
#pragma once

#include <cstdint>
#include <string>

namespace soci {
class session;
}  // namespace soci

namespace loadcast::sql {

class Batch;
class Connection;
class Dialect;
class Values;

class DatasetConnection {
 public:
  /// `name` is the dataset's name as the catalog calls it (a string literal: it is not copied).
  DatasetConnection(Connection& connection, const char* name)
      : connection_(&connection), name_(name) {}

  /// Connection::Write, any StorageError naming the dataset.
  template <typename F>
  auto Write(F&& body) const -> decltype(body());
  /// Connection::Read, any StorageError naming the dataset.
  template <typename F>
  auto Read(F&& body) const -> decltype(body());

  /// See Connection::Exec; inside Read or Write.
  int64_t Exec(const std::string& sql, Values values) const;
  void Exec(const std::string& sql, Batch& batch) const;
  soci::session& session() const;
  const Dialect& dialect() const;
  const char* name() const { return name_; }

 private:
  /// Runs `call`, prefixing any StorageError with the dataset's name.
  template <typename F>
  auto Named(F&& call) const -> decltype(call());

  Connection* connection_;
  const char* name_;
};

}  // namespace loadcast::sql
