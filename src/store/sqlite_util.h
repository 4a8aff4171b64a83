// RAII handles over the SQLite C API, shared by the store and the .apkg
// writer (the only two users of sqlite3.h).
#ifndef MINDCARDS_STORE_SQLITE_UTIL_H_
#define MINDCARDS_STORE_SQLITE_UTIL_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "mindcards/error.h"

namespace mindcards::detail {

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;

// A prepared statement. Move-only; finalized on destruction.
class Statement {
 public:
  Statement() = default;
  Statement(Statement&&) noexcept = default;
  Statement& operator=(Statement&&) noexcept = default;

  // Prepares `sql` on `db`.
  static Result<Statement> Prepare(sqlite3* db, std::string_view sql);
  // Lends `stmt` (owned by a StatementCache): on destruction it is reset and
  // its bindings cleared instead of finalized, and `*in_use` is cleared.
  static Statement Borrow(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);

  // Binding: indexes count from 1, as in SQLite.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);  // copied (TRANSIENT)
  Statement& BindNull(int index);

  // Steps once: true when a row is ready, false when done. Errors carry the
  // database message.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Result<void> Run();
  void Reset();

  int64_t Int(int column) const;
  double Real(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

  sqlite3_stmt* get() const { return stmt_.get(); }

 private:
  struct Finalizer {
    Finalizer() noexcept : in_use(nullptr) {}
    explicit Finalizer(bool* flag) noexcept : in_use(flag) {}
    bool* in_use;  // set for borrowed statements
    void operator()(sqlite3_stmt* s) const {
      if (in_use == nullptr) {
        sqlite3_finalize(s);
        return;
      }
      sqlite3_reset(s);
      sqlite3_clear_bindings(s);
      *in_use = false;
    }
  };
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  sqlite3* db_ = nullptr;
};

// Prepared statements by SQL text, reused across calls (preparing costs
// more than running most of our queries). Must be destroyed before the
// database is closed, and outlive the statements it lends.
class StatementCache {
 public:
  // A statement for `sql`: the cached one when it is free, else a fresh one
  // (the same SQL used twice at once).
  Result<Statement> Get(sqlite3* db, std::string_view sql);

 private:
  struct Entry {
    Statement statement;
    bool in_use = false;
  };
  std::unordered_map<std::string, std::unique_ptr<Entry>> entries_;
};

// Runs one or more statements without results.
Result<void> Exec(sqlite3* db, std::string_view sql);

// An error from the database's last failure, prefixed with `what`.
tl::unexpected<Error> SqliteError(sqlite3* db, std::string_view what);

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless Commit()
// succeeded.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Result<void> Begin();
  Result<void> Commit();

 private:
  sqlite3* db_;
  bool open_ = false;
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_STORE_SQLITE_UTIL_H_
