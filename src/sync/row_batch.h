// Rows of one table collected in memory and written with multi-row INSERT statements of up to
// `max_rows` rows each (a statement prepared once per row count and reused): a bulk run pays one
// statement per batch instead of one per row (SQLite's per-statement work, PostgreSQL's executor
// start-up). Rows are written by Flush(), by Add() when the batch is full, never by the
// destructor: a run that fails before flushing rolls its transaction back anyway. The caller
// flushes before reading the table.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "store/db.h"

namespace cs::sync {

class RowBatch {
 public:
  using Value = std::variant<std::monostate, int64_t, std::string>;  // monostate: NULL

  // `head`: "INSERT OR FAIL INTO {t} (a, b, c) VALUES "; `row`: one row's tuple, e.g.
  // "(?, ?, 0, ?)", whose `?` count every Add() supplies; `tail` follows the rows (e.g. a
  // VALUES list in a WITH clause, then the UPDATE that joins it).
  RowBatch(store::Db& db, std::string head, std::string row, size_t max_rows,
           std::string tail = "");

  void Add(std::initializer_list<Value> values);
  // Writes every pending row (with Stmt::Send: PostgreSQL pipelines the statements).
  void Flush();
  // For a writer on another thread (BackgroundWriter): Add() no longer writes a full batch; the
  // owner hands the pending rows over with Take() and writes them with Write() on that thread.
  // The batch's statements are then used by Write() alone.
  void DeferWrites() { deferred_ = true; }
  std::vector<Value> Take();
  void Write(const std::vector<Value>& rows);
  size_t pending() const { return values_.size() / params_per_row_; }

  static Value Null() { return std::monostate{}; }
  static Value Opt(const std::optional<std::string>& s) {
    return s ? Value(*s) : Value(std::monostate{});
  }

 private:
  store::Stmt& Statement(size_t rows);

  store::Db& db_;
  std::string head_, row_, tail_;
  size_t params_per_row_;
  size_t max_rows_;
  bool deferred_ = false;
  std::vector<Value> values_;
  std::map<size_t, std::unique_ptr<store::Stmt>> stmts_;  // by row count
};

}  // namespace cs::sync
