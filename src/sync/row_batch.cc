#include "sync/row_batch.h"

#include <algorithm>
#include <stdexcept>

namespace cs::sync {

RowBatch::RowBatch(store::Db& db, std::string head, std::string row, size_t max_rows,
                   std::string tail)
    : db_(db),
      head_(std::move(head)),
      row_(std::move(row)),
      tail_(std::move(tail)),
      params_per_row_(static_cast<size_t>(std::count(row_.begin(), row_.end(), '?'))),
      max_rows_(std::max<size_t>(1, max_rows)) {
  if (params_per_row_ == 0) throw std::invalid_argument("RowBatch: a row needs a parameter");
  values_.reserve(params_per_row_ * max_rows_);
}

void RowBatch::Add(std::initializer_list<Value> values) {
  if (values.size() != params_per_row_) {
    throw std::invalid_argument("RowBatch: " + std::to_string(values.size()) + " values for " +
                                std::to_string(params_per_row_) + " parameters in " + head_);
  }
  values_.insert(values_.end(), values);
  if (!deferred_ && pending() >= max_rows_) Flush();
}

store::Stmt& RowBatch::Statement(size_t rows) {
  auto& st = stmts_[rows];
  if (!st) {
    std::string sql = head_;
    sql.reserve(head_.size() + rows * (row_.size() + 2));
    for (size_t i = 0; i < rows; ++i) {
      if (i) sql += ", ";
      sql += row_;
    }
    sql += tail_;
    st = db_.Prepare(sql);
  }
  return *st;
}

std::vector<RowBatch::Value> RowBatch::Take() {
  std::vector<Value> rows;
  rows.reserve(params_per_row_ * max_rows_);
  rows.swap(values_);
  return rows;
}

void RowBatch::Flush() {
  Write(values_);
  values_.clear();
}

void RowBatch::Write(const std::vector<Value>& rows) {
  size_t total = rows.size() / params_per_row_;
  size_t done = 0;
  while (done < total) {
    size_t n = std::min(max_rows_, total - done);
    store::Stmt& st = Statement(n);  // reset: new, or by the SendBound() of its last use
    int p = 0;
    for (size_t i = done * params_per_row_; i < (done + n) * params_per_row_; ++i) {
      ++p;
      const Value& v = rows[i];
      if (const auto* num = std::get_if<int64_t>(&v)) {
        st.Bind(p, *num);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        st.BindTextUnowned(p, *s);  // `rows` outlives the statement's run
      } else {
        st.BindNull(p);
      }
    }
    st.SendBound();
    done += n;
  }
}

}  // namespace cs::sync
