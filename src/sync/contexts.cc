#include "sync/contexts.h"

#include "store/db.h"

namespace cs::sync {

Contexts::Contexts(store::Db& db) : db_(db) {}

ContextRef Contexts::Create(int level, int64_t instance, const ContextRef& parent) {
  if (!insert_) {
    insert_ = db_.Prepare(
        "INSERT INTO {context} (id, contextlevel, instanceid, path, depth, locked) "
        "VALUES (?, ?, ?, ?, ?, 0)");
  }
  ContextRef ref = Allocate(parent);
  insert_->Send(ref.id, static_cast<int64_t>(level), instance, ref.path, ref.depth);
  return ref;
}

ContextRef Contexts::Allocate(const ContextRef& parent) {
  return Child(parent, db_.NextId("context"));
}

ContextRef Contexts::Child(const ContextRef& parent, int64_t id) {
  return ContextRef{id, parent.path + "/" + std::to_string(id), parent.depth + 1};
}

std::optional<ContextRef> Contexts::Find(int level, int64_t instance) {
  if (!find_) {
    find_ =
        db_.Prepare("SELECT id, path, depth FROM {context} WHERE contextlevel=? AND instanceid=?");
  }
  if (!find_->Run(static_cast<int64_t>(level), instance)) return std::nullopt;
  ContextRef r{find_->Int(0), find_->Text(1), find_->Int(2)};
  find_->Reset();
  return r;
}

ContextRef Contexts::System() {
  auto s = Find(kContextSystem, 0);
  if (!s) throw store::DbError("the system context is missing: run coursesync init");
  return *s;
}

ContextRef Contexts::Move(const ContextRef& ctx, const ContextRef& new_parent) {
  ContextRef moved{ctx.id, new_parent.path + "/" + std::to_string(ctx.id), new_parent.depth + 1};
  if (moved.path == ctx.path) return moved;
  int64_t shift = moved.depth - ctx.depth;
  // Children first (their paths start with the old prefix), then the context itself.
  db_.Execute(
      "UPDATE {context} SET path = ? || substr(path, ?), depth = depth + ? "
      "WHERE path LIKE ? ESCAPE '!'",
      moved.path, static_cast<int64_t>(ctx.path.size() + 1), shift, ctx.path + "/%");
  db_.Execute("UPDATE {context} SET path=?, depth=? WHERE id=?", moved.path, moved.depth, ctx.id);
  return moved;
}

void Contexts::DeleteSubtree(const ContextRef& ctx) {
  db_.Execute("DELETE FROM {context} WHERE path LIKE ?", ctx.path + "/%");
  db_.Execute("DELETE FROM {context} WHERE id=?", ctx.id);
}

}  // namespace cs::sync
