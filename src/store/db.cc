#include "store/db.h"

#include "store/pg_db.h"
#include "store/sqlite_db.h"

namespace cs::store {

std::string Db::ExpandTables(std::string_view sql) const {
  std::string out;
  out.reserve(sql.size() + 32);
  bool in_quote = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') in_quote = !in_quote;
    if (!in_quote && c == '{') {
      size_t end = sql.find('}', i);
      if (end != std::string_view::npos) {
        std::string_view name = sql.substr(i + 1, end - i - 1);
        bool ident = !name.empty();
        for (char n : name)
          ident = ident && (std::isalnum(static_cast<unsigned char>(n)) || n == '_');
        if (ident) {
          out += prefix_;
          out += name;
          i = end;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

Stmt& Db::Cached(std::string_view sql) {
  auto it = cache_.find(std::string(sql));
  if (it == cache_.end()) it = cache_.emplace(std::string(sql), Prepare(sql)).first;
  return *it->second;
}

std::unique_ptr<Db> Open(const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    return std::make_unique<PgDb>(url);
  }
  std::string path = url;
  if (path.rfind("sqlite:", 0) == 0) path = path.substr(7);
  return std::make_unique<SqliteDb>(path);
}

}  // namespace cs::store
