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
  if (pending() >= max_rows_) Flush();
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

void RowBatch::Flush() {
  size_t total = pending();
  size_t done = 0;
  while (done < total) {
    size_t rows = std::min(max_rows_, total - done);
    store::Stmt& st = Statement(rows);
    st.Reset();
    int p = 0;
    for (size_t i = done * params_per_row_; i < (done + rows) * params_per_row_; ++i) {
      ++p;
      const Value& v = values_[i];
      if (const auto* n = std::get_if<int64_t>(&v)) {
        st.Bind(p, *n);
      } else if (const auto* s = std::get_if<std::string>(&v)) {
        st.Bind(p, *s);
      } else {
        st.BindNull(p);
      }
    }
    st.SendBound();
    done += rows;
  }
  values_.clear();
}

}  // namespace cs::sync
