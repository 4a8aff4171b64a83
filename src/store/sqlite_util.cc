#include "store/sqlite_util.h"

#include <fmt/format.h>

namespace mindcards::detail {

tl::unexpected<Error> SqliteError(sqlite3* db, std::string_view what) {
  int code = db != nullptr ? sqlite3_errcode(db) : SQLITE_ERROR;
  std::string message = db != nullptr ? sqlite3_errmsg(db) : "no database";
  ErrorCode kind =
      (code & 0xff) == SQLITE_NOTADB || (code & 0xff) == SQLITE_CORRUPT
          ? ErrorCode::kBadInput
          : ErrorCode::kIo;
  return Fail(kind, fmt::format("{}: {}", what, message));
}

Result<Statement> Statement::Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()),
                              &raw, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(raw);
    return SqliteError(db, "prepare");
  }
  Statement s;
  s.stmt_.reset(raw);
  s.db_ = db;
  return s;
}

Statement Statement::Borrow(sqlite3* db, sqlite3_stmt* stmt, bool* in_use) {
  Statement s;
  s.stmt_ = std::unique_ptr<sqlite3_stmt, Finalizer>(stmt, Finalizer{in_use});
  s.db_ = db;
  *in_use = true;
  return s;
}

Result<Statement> StatementCache::Get(sqlite3* db, std::string_view sql) {
  auto it = entries_.find(std::string(sql));
  if (it == entries_.end()) {
    auto prepared = Statement::Prepare(db, sql);
    if (!prepared) return prepared;
    auto entry = std::make_unique<Entry>();
    entry->statement = std::move(*prepared);
    it = entries_.emplace(std::string(sql), std::move(entry)).first;
  }
  Entry& e = *it->second;
  if (e.in_use) return Statement::Prepare(db, sql);
  return Statement::Borrow(db, e.statement.get(), &e.in_use);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_.get(), index, value);
  return *this;
}
Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_.get(), index, value);
  return *this;
}
Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(),
                      SQLITE_TRANSIENT, SQLITE_UTF8);
  return *this;
}
Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_.get(), index);
  return *this;
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, "step");
}

Result<void> Statement::Run() {
  for (;;) {
    auto row = Step();
    if (!row) {
      Reset();
      return tl::unexpected(row.error());
    }
    if (!*row) break;
  }
  Reset();
  return {};
}

void Statement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

int64_t Statement::Int(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}
double Statement::Real(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}
std::string Statement::Text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_.get(), column);
  int n = sqlite3_column_bytes(stmt_.get(), column);
  return p == nullptr ? std::string()
                      : std::string(reinterpret_cast<const char*>(p),
                                    static_cast<size_t>(n));
}
bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

Result<void> Exec(sqlite3* db, std::string_view sql) {
  std::string copy(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db, copy.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    ErrorCode kind =
        (rc & 0xff) == SQLITE_NOTADB ? ErrorCode::kBadInput : ErrorCode::kIo;
    return Fail(kind, "sqlite: " + text);
  }
  return {};
}

Result<void> Transaction::Begin() {
  auto ok = Exec(db_, "BEGIN IMMEDIATE");
  if (ok) open_ = true;
  return ok;
}

Result<void> Transaction::Commit() {
  auto ok = Exec(db_, "COMMIT");
  if (ok) open_ = false;
  return ok;
}

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace mindcards::detail
