#include "storage/sql/connection.hpp"

#include <fmt/format.h>

#include <cmath>
#include <type_traits>

namespace loadcast::sql {

Values& Values::Add(const std::string& v) {
  kinds_.push_back(Kind::kText);
  index_.push_back(texts_.size());
  texts_.push_back(v);
  nulls_.push_back(soci::i_ok);
  return *this;
}

Values& Values::Add(int64_t v) {
  kinds_.push_back(Kind::kInt);
  index_.push_back(ints_.size());
  ints_.push_back(v);
  nulls_.push_back(soci::i_ok);
  return *this;
}

Values& Values::Add(double v) {
  kinds_.push_back(Kind::kReal);
  index_.push_back(reals_.size());
  reals_.push_back(std::isnan(v) ? 0.0 : v);
  // SQLite stores a NaN as NULL; PostgreSQL would keep it: both store NULL.
  nulls_.push_back(std::isnan(v) ? soci::i_null : soci::i_ok);
  return *this;
}

Values& Values::AddNull() {
  kinds_.push_back(Kind::kText);
  index_.push_back(texts_.size());
  texts_.emplace_back();
  nulls_.push_back(soci::i_null);
  return *this;
}

void Values::BindTo(soci::statement& statement) {
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    switch (kinds_[i]) {
      case Kind::kText:
        statement.exchange(soci::use(texts_[index_[i]], nulls_[i]));
        break;
      case Kind::kInt:
        statement.exchange(soci::use(ints_[index_[i]], nulls_[i]));
        break;
      case Kind::kReal:
        statement.exchange(soci::use(reals_[index_[i]], nulls_[i]));
        break;
    }
  }
}

Batch& Batch::Row() {
  next_ = 0;
  ++rows_;
  return *this;
}

Batch::Column& Batch::Next(Kind kind) {
  if (next_ == columns_.size()) {
    columns_.emplace_back();
    columns_.back().kind = kind;
  }
  Column& column = columns_[next_++];
  if (column.kind != kind) throw StorageError("batch column of two types");
  return column;
}

Batch& Batch::Add(const std::string& v) {
  Column& c = Next(Kind::kText);
  c.texts.push_back(v);
  c.nulls.push_back(soci::i_ok);
  return *this;
}

Batch& Batch::Add(int64_t v) {
  Column& c = Next(Kind::kInt);
  c.ints.push_back(v);
  c.nulls.push_back(soci::i_ok);
  return *this;
}

Batch& Batch::Add(double v) {
  Column& c = Next(Kind::kReal);
  c.reals.push_back(std::isnan(v) ? 0.0 : v);
  c.nulls.push_back(std::isnan(v) ? soci::i_null : soci::i_ok);
  return *this;
}

Batch& Batch::AddNull() {
  // The column's type is known from its other rows, or a NULL of any type does.
  const Kind kind = next_ < columns_.size() ? columns_[next_].kind : Kind::kReal;
  Column& c = Next(kind);
  switch (kind) {
    case Kind::kText:
      c.texts.emplace_back();
      break;
    case Kind::kInt:
      c.ints.push_back(0);
      break;
    case Kind::kReal:
      c.reals.push_back(0.0);
      break;
  }
  c.nulls.push_back(soci::i_null);
  return *this;
}

void Batch::BindTo(soci::statement& statement) {
  for (Column& c : columns_) {
    switch (c.kind) {
      case Kind::kText:
        statement.exchange(soci::use(c.texts, c.nulls));
        break;
      case Kind::kInt:
        statement.exchange(soci::use(c.ints, c.nulls));
        break;
      case Kind::kReal:
        statement.exchange(soci::use(c.reals, c.nulls));
        break;
    }
  }
}

Cursor::Cursor(soci::session& session, const std::string& sql, Values values,
               std::string_view types)
    : values_(std::move(values)),
      ints_(types.size()),
      reals_(types.size()),
      texts_(types.size()),
      nulls_(types.size(), soci::i_ok),
      statement_(session) {
  for (std::size_t c = 0; c < types.size(); ++c) {
    switch (types[c]) {
      case 'i':
        statement_.exchange(soci::into(ints_[c], nulls_[c]));
        break;
      case 'r':
        statement_.exchange(soci::into(reals_[c], nulls_[c]));
        break;
      default:
        statement_.exchange(soci::into(texts_[c], nulls_[c]));
        break;
    }
  }
  values_.BindTo(statement_);
  statement_.alloc();
  statement_.prepare(sql);
  statement_.define_and_bind();
}

bool Cursor::Next() {
  if (!started_) {
    started_ = true;
    return statement_.execute(true);
  }
  return statement_.fetch();
}

bool Cursor::IsNull(int column) const { return nulls_[column] == soci::i_null; }
int64_t Cursor::Int(int column) const { return IsNull(column) ? 0 : ints_[column]; }
double Cursor::Real(int column) const { return IsNull(column) ? 0.0 : reals_[column]; }
const std::string& Cursor::Text(int column) const {
  static const std::string kEmpty;
  return IsNull(column) ? kEmpty : texts_[column];
}
std::optional<int64_t> Cursor::OptionalInt(int column) const {
  if (IsNull(column)) return std::nullopt;
  return ints_[column];
}
std::optional<int> Cursor::OptionalInt32(int column) const {
  if (IsNull(column)) return std::nullopt;
  return static_cast<int>(ints_[column]);
}
std::optional<double> Cursor::OptionalReal(int column) const {
  if (IsNull(column)) return std::nullopt;
  return reals_[column];
}

void ThrowBadValue(const RowOf& row, std::string_view column, std::string_view what,
                   std::string_view value, std::string_view valid) {
  std::string where = row.key_column == "id"
                          ? fmt::format("table {}, row {}", row.table, row.key)
                          : fmt::format("table {}, row {} {}", row.table, row.key_column, row.key);
  if (!row.detail.empty()) where += fmt::format(", {}", row.detail);
  const std::string problem = valid.empty() ? fmt::format("malformed {} '{}'", what, value)
                                            : fmt::format("unknown {} '{}'", what, value);
  throw StorageError(fmt::format("{}: {} in column {}{}", where, problem, column,
                                 valid.empty() ? "" : fmt::format(" (valid: {})", valid)));
}

Date Cursor::Day(int column, std::string_view name, const RowOf& row) const {
  const std::string& text = Text(column);
  if (const auto date = Date::ParseIso(text)) return *date;
  ThrowBadValue(row, name, "date", text, "");
}

std::optional<Date> Cursor::OptionalDay(int column, std::string_view name, const RowOf& row) const {
  if (Text(column).empty()) return std::nullopt;
  return Day(column, name, row);
}

Connection::Connection(std::unique_ptr<Dialect> dialect) : dialect_(std::move(dialect)) {
  dialect_->Open(session_);
}

int64_t Connection::Exec(const std::string& sql, Values values) {
  soci::statement statement(session_);
  values.BindTo(statement);
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  statement.execute(true);
  return statement.get_affected_rows();
}

void Connection::Exec(const std::string& sql, Batch& batch) {
  if (batch.rows() == 0) return;
  soci::statement statement(session_);
  batch.BindTo(statement);
  statement.alloc();
  statement.prepare(sql);
  statement.define_and_bind();
  statement.execute(true);
}

void Connection::Begin() {
  try {
    session_ << dialect_->begin_write();
  } catch (const soci::soci_error& e) {
    throw StorageError(Describe(e));
  }
}

void Connection::Commit() { session_ << "COMMIT"; }

void Connection::Rollback() noexcept {
  try {
    session_ << "ROLLBACK";
  } catch (const std::exception&) {
    // The transaction is gone with the failure (or the connection): nothing is left to undo.
  }
}

std::string Connection::Describe(const soci::soci_error& e) {
  return fmt::format("SQL failed: {}", dialect_->Describe(session_, e));
}

StorageError DatasetError(const char* dataset, const char* message) {
  return StorageError(fmt::format("dataset '{}': {}", dataset, message));
}

}  // namespace loadcast::sql
