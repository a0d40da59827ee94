// Moodle contexts (moodle_schema.md §10.1–10.2): one row per (level, instance), path = parent's
// path + "/" + own id, depth = parent's depth + 1. Creation and subtree moves.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "store/db.h"

namespace cs::sync {

constexpr int kContextSystem = 10;
constexpr int kContextUser = 30;
constexpr int kContextCoursecat = 40;
constexpr int kContextCourse = 50;
constexpr int kContextModule = 70;
constexpr int kContextBlock = 80;

struct ContextRef {
  int64_t id = 0;
  std::string path;
  int64_t depth = 0;
};

class Contexts {
 public:
  explicit Contexts(store::Db& db);
  // Inserts the context of (level, instance) under `parent` and returns it (its id comes from
  // Db::NextId, so every context insert must go through here).
  ContextRef Create(int level, int64_t instance, const ContextRef& parent);
  // The same context's id, path and depth without inserting it, for a caller that writes the row
  // itself in a batch (id, contextlevel, instanceid, path, depth, locked = 0).
  ContextRef Allocate(const ContextRef& parent);
  // The context with id `id` (taken from Db::NextId("context") by the caller) under `parent`.
  static ContextRef Child(const ContextRef& parent, int64_t id);
  std::optional<ContextRef> Find(int level, int64_t instance);
  ContextRef System();
  // Re-parents `ctx` (and every context below it) under `new_parent`; returns the new ref.
  ContextRef Move(const ContextRef& ctx, const ContextRef& new_parent);
  // Deletes `ctx` and every context below it (the caller deletes what lived in them).
  void DeleteSubtree(const ContextRef& ctx);

 private:
  store::Db& db_;
  std::unique_ptr<store::Stmt> insert_, find_;
};

}  // namespace cs::sync
