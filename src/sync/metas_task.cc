// The metacourse binding file (tool_sync.md §2.5 with its Recommendation and §7 items 47-49;
// moodle_core.md §2.6). Header `master;meta[;cmd]` (names trimmed, case-insensitive); `master` is
// the linked (child) course whose participants flow, `meta` the metacourse (parent) that receives
// them; both are named by the configured identifier. `cmd` is `add` (default) or `del`.
//
// A link is Moodle's: an {enrol} row on the parent with enrol='meta', customint1 = child,
// customint2 = 0 (no group), roleid 0, at most one per (parent, child). Adding or re-enabling it
// syncs it at once as enrol_meta_sync() does with its defaults (every plugin enabled, syncall,
// unenrolaction "suspend and remove roles"):
//   - every user with a non-meta enrolment in the child (deleted users aside) gets one user
//     enrolment through the instance: active when one of the child enrolments is active (user
//     enrolment and instance both enabled), else suspended; timestart = earliest active start,
//     timeend = latest active end (0 = open);
//   - those users' role assignments in the child's course context (not the ones enrol_meta made)
//     are mirrored in the parent's course context with component 'enrol_meta' and itemid = the
//     instance; mirrored roles the child no longer has are removed;
//   - users of the instance no longer enrolled in the child are suspended and lose its roles.
// `del` disables the instance and removes everything it brought: its user enrolments, its role
// assignments and group memberships (so users with no other enrolment in the parent lose their
// roles there; other enrolments and their roles are untouched).
//
// Line outcomes: linked (created or re-enabled), unlinked (disabled), skipped (already linked /
// already unlinked or never linked: a re-run changes nothing), failed (unknown course, the site
// course, a self link, a cycle, a bad cmd; in the tryback file). Cycles: following the enabled
// meta links downwards (parent -> children) from the child must not reach the parent.
#include <ctime>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "sync/contexts.h"
#include "sync/course_index.h"
#include "sync/errors.h"
#include "sync/tasks_more.h"
#include "sync/values.h"

namespace cs::sync {
namespace {

constexpr int64_t kOpenEnd = 9999999999;

struct Instance {
  int64_t id = 0;
  int64_t status = 0;
};

// What a sync changed.
struct SyncCounts {
  int64_t enrolled = 0;   // user enrolments created
  int64_t updated = 0;    // user enrolments re-aligned (status or dates)
  int64_t suspended = 0;  // users gone from the child, suspended
  int64_t roles_added = 0;
  int64_t roles_removed = 0;

  std::string Describe() const {
    std::string s = std::to_string(enrolled) + " enrolment" + (enrolled == 1 ? "" : "s") + " and " +
                    std::to_string(roles_added) + " role assignment" +
                    (roles_added == 1 ? "" : "s") + " added";
    if (updated) s += ", " + std::to_string(updated) + " enrolment(s) updated";
    if (suspended) s += ", " + std::to_string(suspended) + " suspended";
    if (roles_removed) s += ", " + std::to_string(roles_removed) + " role(s) removed";
    return s;
  }
};

class MetaBinder {
 public:
  explicit MetaBinder(TaskContext& ctx)
      : ctx_(ctx), db_(ctx.db), index_(ctx.db), contexts_(ctx.db), now_(std::time(nullptr)) {}

  void Run() {
    csv::Record rec;
    if (!ctx_.reader.Next(rec)) {
      throw Rejected(ctx_.reader.name() +
                     ": the file is empty (the header master;meta is required)");
    }
    ParseHeader(rec);
    // The per-link queries are planned from statistics: after a bulk load (a new site, a demo)
    // PostgreSQL took the users for one row and scanned all of them per link (10 ms a link).
    db_.RefreshStatistics({"user", "enrol", "user_enrolments", "role_assignments", "context"});
    Prepare();
    LoadLinks();
    int64_t n = 0;
    while (ctx_.reader.Next(rec)) {
      ++ctx_.report.read;
      HandleLine(rec);
      if (ctx_.progress && (++n % 500) == 0) ctx_.progress(n);
    }
    if (ctx_.progress) ctx_.progress(n);
    ctx_.report.summary = {
        {"enrolments_added", totals_.enrolled},      {"enrolments_updated", totals_.updated},
        {"enrolments_suspended", totals_.suspended}, {"enrolments_removed", ue_removed_},
        {"roles_added", totals_.roles_added},        {"roles_removed", totals_.roles_removed}};
  }

 private:
  void ParseHeader(const csv::Record& rec) {
    const std::string where = ctx_.reader.name() + ": line " + std::to_string(rec.line) + ": ";
    if (char f = csv::DetectForeignSeparator(rec, ctx_.csv.separator)) {
      throw Rejected(where + "invalid separator detected: the header holds '" +
                     csv::SeparatorName(f) + "' but the separator is '" +
                     csv::SeparatorName(ctx_.csv.separator) +
                     "' (set csvseparator or --separator)");
    }
    std::vector<std::string> unknown, duplicate;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
      std::string name = Lower(Trim(rec.fields[i]));
      std::optional<size_t>* slot = name == "master" ? &master_
                                    : name == "meta" ? &meta_
                                    : name == "cmd"  ? &cmd_
                                                     : nullptr;
      if (!slot) {
        unknown.push_back("'" + Excerpt(Trim(rec.fields[i])) + "'");
      } else if (*slot) {
        duplicate.push_back("'" + Excerpt(name) + "'");
      } else {
        *slot = i;
      }
    }
    auto list = [](const std::vector<std::string>& v) {
      std::string s;
      for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    std::string problems;
    if (!unknown.empty()) problems += "unknown column(s) " + list(unknown);
    if (!duplicate.empty()) {
      problems +=
          (problems.empty() ? "" : "; ") + std::string("duplicate column(s) ") + list(duplicate);
    }
    std::vector<std::string> absent;
    if (!master_) absent.push_back("'master'");
    if (!meta_) absent.push_back("'meta'");
    if (!absent.empty()) {
      problems += (problems.empty() ? "" : "; ") + std::string("missing required column(s) ") +
                  list(absent);
    }
    if (!problems.empty()) {
      throw Rejected(where + "invalid header: " + problems +
                     " (expected master;meta with an optional cmd column)");
    }
    columns_ = rec.fields.size();
    ctx_.tryback.SetHeader(rec.fields);
  }

  void Prepare() {
    find_ = db_.Prepare(
        "SELECT id, status FROM {enrol} WHERE enrol = 'meta' AND courseid = ? AND customint1 = ? "
        "ORDER BY id");
    insert_ = db_.Prepare(
        "INSERT INTO {enrol} (enrol, status, courseid, sortorder, roleid, customint1, customint2, "
        "timecreated, timemodified) VALUES ('meta', 0, ?, (SELECT COALESCE(MAX(sortorder), -1) + 1 "
        "FROM {enrol} WHERE courseid = ?), 0, ?, 0, ?, ?) RETURNING id");
    set_status_ = db_.Prepare("UPDATE {enrol} SET status = ?, timemodified = ? WHERE id = ?");
    child_agg_ = db_.Prepare(
        "SELECT ue.userid, MIN(ue.status + e.status), "
        "MIN(CASE WHEN ue.status + e.status = 0 THEN ue.timestart END), "
        "MAX(CASE WHEN ue.status + e.status = 0 THEN (CASE WHEN ue.timeend = 0 OR ue.timeend >= "
        "2147483647 THEN 9999999999 ELSE ue.timeend END) END) "
        "FROM {user_enrolments} ue JOIN {enrol} e ON e.id = ue.enrolid "
        "JOIN {user} u ON u.id = ue.userid AND u.deleted = 0 "
        "WHERE e.courseid = ? AND e.enrol <> 'meta' GROUP BY ue.userid");
    meta_ue_ = db_.Prepare(
        "SELECT id, userid, status, timestart, timeend FROM {user_enrolments} WHERE enrolid = ?");
    ue_insert_ = db_.Prepare(
        "INSERT INTO {user_enrolments} (status, enrolid, userid, timestart, timeend, modifierid, "
        "timecreated, timemodified) VALUES (?, ?, ?, ?, ?, 0, ?, ?)");
    ue_update_ = db_.Prepare(
        "UPDATE {user_enrolments} SET status = ?, timestart = ?, timeend = ?, timemodified = ? "
        "WHERE id = ?");
    child_ra_ = db_.Prepare(
        "SELECT DISTINCT ra.userid, ra.roleid FROM {role_assignments} ra "
        "JOIN {user} u ON u.id = ra.userid AND u.deleted = 0 "
        "WHERE ra.contextid = ? AND ra.component <> 'enrol_meta'");
    meta_ra_ = db_.Prepare(
        "SELECT id, userid, roleid FROM {role_assignments} "
        "WHERE component = 'enrol_meta' AND itemid = ? AND contextid = ?");
    ra_insert_ = db_.Prepare(
        "INSERT INTO {role_assignments} (roleid, contextid, userid, timemodified, modifierid, "
        "component, itemid, sortorder) VALUES (?, ?, ?, ?, 0, 'enrol_meta', ?, 0)");
    ra_delete_ = db_.Prepare("DELETE FROM {role_assignments} WHERE id = ?");
    count_ue_ = db_.Prepare("SELECT COUNT(*) FROM {user_enrolments} WHERE enrolid = ?");
    count_ra_ = db_.Prepare(
        "SELECT COUNT(*) FROM {role_assignments} WHERE component = 'enrol_meta' AND itemid = ?");
    drop_ra_ =
        db_.Prepare("DELETE FROM {role_assignments} WHERE component = 'enrol_meta' AND itemid = ?");
    drop_gm_ = db_.Prepare(
        "DELETE FROM {groups_members} WHERE component = 'enrol_meta' AND itemid = ? AND groupid IN "
        "(SELECT id FROM {groups} WHERE courseid = ?)");
    drop_ue_ = db_.Prepare("DELETE FROM {user_enrolments} WHERE enrolid = ?");
  }

  // The enabled meta links, parent -> children.
  void LoadLinks() {
    auto st = db_.Prepare(
        "SELECT courseid, customint1 FROM {enrol} WHERE enrol = 'meta' AND status = 0 AND "
        "customint1 IS NOT NULL");
    while (st->Step()) children_[st->Int(0)].insert(st->Int(1));
  }

  std::string Name(int64_t course) const {
    const CourseRow* c = index_.ById(course);
    return c ? c->shortname : "#" + std::to_string(course);
  }

  // The chain child -> ... -> parent along enabled links, when the parent is reachable.
  std::vector<int64_t> PathDown(int64_t from, int64_t target) const {
    std::unordered_map<int64_t, int64_t> came_from{{from, 0}};
    std::deque<int64_t> queue{from};
    while (!queue.empty()) {
      int64_t cur = queue.front();
      queue.pop_front();
      if (cur == target) {
        std::vector<int64_t> path;
        for (int64_t c = target; c != 0; c = came_from[c]) path.insert(path.begin(), c);
        return path;
      }
      auto it = children_.find(cur);
      if (it == children_.end()) continue;
      for (int64_t next : it->second) {
        if (came_from.emplace(next, cur).second) queue.push_back(next);
      }
    }
    return {};
  }

  void Fail(const csv::Record& rec, LineResult r, const std::string& message) {
    r.status = Status::kFailed;
    r.message = message;
    ctx_.report.Add(std::move(r));
    ctx_.tryback.Add(rec.fields);
  }

  // A course named in column `label`, or an error message.
  const CourseRow* Resolve(const std::string& label, const std::string& value, std::string* error) {
    if (value.empty()) {
      *error = "empty " + label + " (" + ctx_.identifier + ")";
      return nullptr;
    }
    Lookup found = index_.Find(ctx_.identifier, value);
    if (!found.course) {
      *error = label + ": " + found.error;
      return nullptr;
    }
    if (found.course->id == kSiteCourseId) {
      *error = label + ": the site course cannot be part of a meta link";
      return nullptr;
    }
    return found.course;
  }

  void HandleLine(const csv::Record& rec) {
    auto field = [&](const std::optional<size_t>& col) {
      return col && *col < rec.fields.size() ? Trim(rec.fields[*col]) : std::string();
    };
    std::string master = field(master_), meta = field(meta_), cmd = Lower(field(cmd_));
    LineResult r;
    r.line = rec.line;
    r.identifier = master + " -> " + meta;
    if (rec.fields.size() > columns_) {
      return Fail(rec, std::move(r),
                  std::to_string(rec.fields.size()) + " values found, " + std::to_string(columns_) +
                      " expected");
    }
    if (cmd.empty()) cmd = "add";
    if (cmd != "add" && cmd != "del") {
      return Fail(rec, std::move(r), "unknown cmd '" + field(cmd_) + "': expected add or del");
    }
    std::string error;
    const CourseRow* child = Resolve("master", master, &error);
    if (!child) return Fail(rec, std::move(r), error);
    const CourseRow* parent = Resolve("meta", meta, &error);
    if (!parent) return Fail(rec, std::move(r), error);
    if (child->id == parent->id) {
      return Fail(rec, std::move(r),
                  "a course cannot be linked to itself ('" + child->shortname + "')");
    }
    std::optional<Instance> inst = Find(parent->id, child->id);
    if (inst) r.id = inst->id;
    if (cmd == "del") {
      if (!inst || inst->status != 0) {
        r.status = Status::kSkipped;
        r.message = inst ? "already unlinked (meta link disabled)" : "not linked";
        ctx_.report.Add(std::move(r));
        return;
      }
      Unlink(*inst, parent->id, child->id, r);
      ctx_.report.Add(std::move(r));
      return;
    }
    if (inst && inst->status == 0) {
      r.status = Status::kSkipped;
      r.message = "already linked";
      ctx_.report.Add(std::move(r));
      return;
    }
    std::vector<int64_t> cycle = PathDown(child->id, parent->id);
    if (!cycle.empty()) {
      std::string chain;
      for (int64_t c : cycle) chain += (chain.empty() ? "" : " > ") + Name(c);
      return Fail(rec, std::move(r),
                  "linking would make a cycle: '" + child->shortname +
                      "' is already a metacourse of '" + parent->shortname + "' (" + chain + ")");
    }
    auto parent_ctx = contexts_.Find(kContextCourse, parent->id);
    auto child_ctx = contexts_.Find(kContextCourse, child->id);
    if (!parent_ctx || !child_ctx) {
      return Fail(rec, std::move(r),
                  "course '" + (parent_ctx ? child : parent)->shortname + "' has no context");
    }
    std::string how;
    if (inst) {
      set_status_->Send(int64_t{0}, now_, inst->id);
      how = "meta link re-enabled";
    } else {
      inst =
          Instance{insert_->RunInt(parent->id, parent->id, child->id, now_, now_).value_or(0), 0};
      insert_->Reset();
      how = "meta link created";
    }
    children_[parent->id].insert(child->id);
    SyncCounts c = Sync(inst->id, child->id, child_ctx->id, parent_ctx->id);
    r.id = inst->id;
    r.status = Status::kLinked;
    r.message = how + ": " + c.Describe();
    ctx_.report.Add(std::move(r));
  }

  std::optional<Instance> Find(int64_t parent, int64_t child) {
    std::optional<Instance> out;
    if (find_->Run(parent, child)) out = Instance{find_->Int(0), find_->Int(1)};
    find_->Reset();
    return out;
  }

  void Unlink(const Instance& inst, int64_t parent, int64_t child, LineResult& r) {
    int64_t ue = count_ue_->RunInt(inst.id).value_or(0);
    count_ue_->Reset();
    int64_t ra = count_ra_->RunInt(inst.id).value_or(0);
    count_ra_->Reset();
    // Writes whose results are not read go through Send (pipelined on PostgreSQL: one round trip
    // for a whole run of them, settled before the next read).
    set_status_->Send(int64_t{1}, now_, inst.id);
    drop_ra_->Send(inst.id);
    drop_gm_->Send(inst.id, parent);
    drop_ue_->Send(inst.id);
    auto it = children_.find(parent);
    if (it != children_.end()) it->second.erase(child);
    ue_removed_ += ue;
    totals_.roles_removed += ra;
    r.status = Status::kUnlinked;
    r.message = "meta link disabled: " + std::to_string(ue) + " enrolment(s) and " +
                std::to_string(ra) + " role assignment(s) removed";
  }

  // enrol_meta_sync() for one instance.
  SyncCounts Sync(int64_t instance, int64_t child, int64_t child_ctx, int64_t parent_ctx) {
    struct Agg {
      int64_t status, timestart, timeend;
    };
    std::map<int64_t, Agg> want;
    child_agg_->Reset();
    child_agg_->BindInt(1, child);
    while (child_agg_->Step()) {
      Agg a;
      a.status = child_agg_->Int(1) == 0 ? 0 : 1;
      a.timestart = child_agg_->IsNull(2) ? 0 : child_agg_->Int(2);
      a.timeend = child_agg_->IsNull(3) || child_agg_->Int(3) == kOpenEnd ? 0 : child_agg_->Int(3);
      want.emplace(child_agg_->Int(0), a);
    }
    child_agg_->Reset();

    struct Have {
      int64_t id;
      Agg agg;
    };
    std::map<int64_t, Have> have;
    meta_ue_->Reset();
    meta_ue_->BindInt(1, instance);
    while (meta_ue_->Step()) {
      have.emplace(meta_ue_->Int(1),
                   Have{meta_ue_->Int(0), {meta_ue_->Int(2), meta_ue_->Int(3), meta_ue_->Int(4)}});
    }
    meta_ue_->Reset();

    SyncCounts c;
    for (const auto& [user, a] : want) {
      auto it = have.find(user);
      if (it == have.end()) {
        ue_insert_->Send(a.status, instance, user, a.timestart, a.timeend, now_, now_);
        ++c.enrolled;
      } else if (std::tie(it->second.agg.status, it->second.agg.timestart,
                          it->second.agg.timeend) != std::tie(a.status, a.timestart, a.timeend)) {
        ue_update_->Send(a.status, a.timestart, a.timeend, now_, it->second.id);
        ++c.updated;
      }
    }
    for (const auto& [user, h] : have) {
      if (want.count(user) || h.agg.status != 0) continue;
      ue_update_->Send(int64_t{1}, h.agg.timestart, h.agg.timeend, now_, h.id);
      ++c.suspended;
    }

    // Roles: the child's course-context roles of the users enrolled in the child.
    std::set<std::pair<int64_t, int64_t>> roles;  // (user, role)
    child_ra_->Reset();
    child_ra_->BindInt(1, child_ctx);
    while (child_ra_->Step()) {
      if (want.count(child_ra_->Int(0))) roles.emplace(child_ra_->Int(0), child_ra_->Int(1));
    }
    child_ra_->Reset();
    std::vector<int64_t> extra;
    meta_ra_->Reset();
    meta_ra_->BindInt(1, instance);
    meta_ra_->BindInt(2, parent_ctx);
    while (meta_ra_->Step()) {
      // Whatever is left in `roles` afterwards is missing; duplicates of a kept role are extra.
      if (roles.erase({meta_ra_->Int(1), meta_ra_->Int(2)}) == 0) extra.push_back(meta_ra_->Int(0));
    }
    meta_ra_->Reset();
    for (int64_t id : extra) {
      ra_delete_->Send(id);
      ++c.roles_removed;
    }
    for (const auto& [user, role] : roles) {
      ra_insert_->Send(role, parent_ctx, user, now_, instance);
      ++c.roles_added;
    }
    totals_.enrolled += c.enrolled;
    totals_.updated += c.updated;
    totals_.suspended += c.suspended;
    totals_.roles_added += c.roles_added;
    totals_.roles_removed += c.roles_removed;
    return c;
  }

  TaskContext& ctx_;
  store::Db& db_;
  CourseIndex index_;
  Contexts contexts_;
  int64_t now_;
  std::optional<size_t> master_, meta_, cmd_;
  size_t columns_ = 0;
  std::unordered_map<int64_t, std::unordered_set<int64_t>> children_;
  SyncCounts totals_;
  int64_t ue_removed_ = 0;
  std::unique_ptr<store::Stmt> find_, insert_, set_status_, child_agg_, meta_ue_, ue_insert_,
      ue_update_, child_ra_, meta_ra_, ra_insert_, ra_delete_, count_ue_, count_ra_, drop_ra_,
      drop_gm_, drop_ue_;
};

}  // namespace

RunReport RunMetas(store::Db& db, const FileArea& area, const TaskOptions& options) {
  TaskSpec spec{"metas", "courses_filemetabindinglocation", "courses_filemetabindingidentifier",
                true};
  return RunFileTask(db, area, spec, options, [](TaskContext& ctx) { MetaBinder(ctx).Run(); });
}

}  // namespace cs::sync
