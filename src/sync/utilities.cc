#include "sync/utilities.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <unordered_map>

#include "csv/writer.h"
#include "sync/categories.h"
#include "sync/errors.h"
#include "sync/lock.h"
#include "sync/settings.h"
#include "sync/tasks.h"

namespace fs = std::filesystem;

namespace cs::sync {
namespace {

// Where a generated file goes: `out` (a path) or the configured location in the file area.
fs::path OutputPath(const FileArea& area, const Settings& settings, const std::string& key,
                    const std::optional<std::string>& out) {
  if (out) return fs::path(*out);
  std::string location = settings.Get(key);
  // A candidate list or a wildcard names inputs, not one output: use its first plain name.
  std::string first = location.substr(0, location.find(','));
  if (first.find_first_of("*?[") != std::string::npos) {
    throw Rejected("the configured location '" + location +
                   "' is a pattern: give the output file with --out");
  }
  fs::path p = area.SafePath(first);
  fs::create_directories(p.parent_path());
  return p;
}

std::string IdentifierValue(const nlohmann::json& course, const std::string& identifier) {
  if (identifier == "id") return std::to_string(course["id"].get<int64_t>());
  return course[identifier].get<std::string>();
}

std::string Shown(const FileArea& area, const fs::path& p) {
  return area.Contains(p) ? area.Relative(p) : p.string();
}

GeneratedFile Generate(store::Db& db, const FileArea& area, const CourseFilter& filter,
                       const std::optional<std::string>& identifier,
                       const std::optional<std::string>& out, const std::string& id_key,
                       const std::string& location_key, bool reset) {
  Settings settings(db);
  GeneratedFile g;
  g.identifier = identifier ? Settings::Validate(id_key, *identifier) : settings.Get(id_key);
  CourseFilter f = filter;
  f.include_site = false;
  nlohmann::json courses = ListCourses(db, f);
  if (courses.empty()) throw Rejected("no course matches the selection");
  area.EnsureDirs();
  fs::path path = OutputPath(area, settings, location_key, out);
  char sep = reset ? csv::ParseSeparator(settings.Get("csvseparator")) : ';';
  csv::Encoding enc = csv::ParseEncoding(settings.Get("encoding"));
  std::ostringstream buf;
  csv::Writer w(buf, sep, enc);
  if (reset) w.WriteRecord(DefaultResetHeader(g.identifier));
  std::vector<std::string> values = DefaultResetValues();
  std::set<std::string> seen;
  for (const auto& c : courses) {
    std::string v = IdentifierValue(c, g.identifier);
    std::string who =
        c["shortname"].get<std::string>() + " (id " + std::to_string(c["id"].get<int64_t>()) + ")";
    if (v.empty()) {
      g.skipped.push_back(who + ": no " + g.identifier);
      continue;
    }
    if (!seen.insert(v).second) {
      g.skipped.push_back(who + ": " + g.identifier + " '" + v + "' is shared with another course");
      continue;
    }
    std::vector<std::string> row{v};
    if (reset) row.insert(row.end(), values.begin(), values.end());
    w.WriteRecord(row);
    ++g.written;
  }
  if (g.written == 0) throw Rejected("none of the selected courses has a " + g.identifier);
  // Write next to the target, then rename: a reader never sees half a file.
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << buf.str();
    if (!f) throw Rejected("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
  g.path = Shown(area, path);
  return g;
}

}  // namespace

GeneratedFile MakeDeleteFile(store::Db& db, const FileArea& area, const CourseFilter& filter,
                             const std::optional<std::string>& identifier,
                             const std::optional<std::string>& out) {
  return Generate(db, area, filter, identifier, out, "courses_filedeleteidentifier",
                  "courses_filedeletelocation", false);
}

GeneratedFile MakeResetFile(store::Db& db, const FileArea& area, const CourseFilter& filter,
                            const std::optional<std::string>& identifier,
                            const std::optional<std::string>& out) {
  return Generate(db, area, filter, identifier, out, "courses_fileresetidentifier",
                  "courses_fileresetlocation", true);
}

std::vector<EmptyCategory> CleanEmptyCategories(store::Db& db, const FileArea& area, bool apply,
                                                std::optional<int64_t> start,
                                                const std::string& started_by) {
  std::unique_ptr<TaskLock> lock;
  if (apply) {
    area.EnsureDirs();
    lock = std::make_unique<TaskLock>(area.locks_dir(), "cleancats");
    // We hold the lock: a cleancats run still marked running died before it could say so.
    db.Execute(
        "UPDATE {tool_sync_runs} SET status='interrupted', exitcode=1, timeend=? WHERE "
        "task='cleancats' AND status='running'",
        static_cast<int64_t>(std::time(nullptr)));
  }
  CategoryTree tree(db);
  if (start && *start != 0 && !tree.Get(*start)) {
    throw Rejected("no category with id " + std::to_string(*start));
  }
  std::unordered_map<int64_t, int64_t> direct;
  {
    auto st = db.Prepare("SELECT category, COUNT(*) FROM {course} GROUP BY category");
    while (st->Step()) direct[st->Int(0)] = st->Int(1);
  }
  int64_t keep = tree.DefaultId();
  std::vector<EmptyCategory> out;
  // Post-order walk: returns true when the category holds content (course, kept category).
  std::function<bool(int64_t)> walk = [&](int64_t id) -> bool {
    bool content = direct.count(id) && direct[id] > 0;
    for (const Category* c : tree.Children(id)) content = walk(c->id) || content;
    if (id == keep) content = true;
    if (!content) out.push_back({id, tree.PathOf(id)});
    return content;
  };
  if (start && *start != 0) {
    walk(*start);
  } else {
    for (const Category* c : tree.Children(0)) walk(c->id);
  }
  if (!apply || out.empty()) return out;
  int64_t run =
      StartRunRecord(db, "cleancats", start ? std::to_string(*start) : "", started_by, false);
  RunReport report;
  report.task = "cleancats";
  try {
    db.Begin();
    for (const auto& e : out) {
      tree.Remove(e.id);
      report.Add(
          LineResult{0, e.path, Status::kDeleted, e.id, "empty category deleted", nullptr, {}});
    }
    FixCourseSortorder(db);
    db.Commit();
  } catch (const std::exception& e) {
    if (db.InTransaction()) db.Rollback();
    FinishRunRecord(db, run, "failed", 1, nullptr, e.what());
    throw;
  }
  report.read = static_cast<int64_t>(out.size());
  FinishRunRecord(db, run, "completed", 0, &report, "");
  return out;
}

std::vector<std::string> CleanupFiles(store::Db& db, const FileArea& area) {
  std::vector<std::string> removed;
  int days = Settings(db).Int("fileareacleanupdelay");
  if (days <= 0) return removed;
  auto limit = fs::file_time_type::clock::now() - std::chrono::hours(24) * days;
  for (const auto& dir : {area.archives_dir(), area.reports_dir(), area.failed_dir()}) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
      if (!e.is_regular_file() || e.last_write_time() >= limit) continue;
      std::string rel = area.Relative(e.path());
      if (fs::remove(e.path(), ec)) removed.push_back(rel);
    }
  }
  return removed;
}

nlohmann::json AllResult::ToJson() const {
  nlohmann::json j;
  j["task"] = "all";
  j["exit"] = exit_code;
  j["runs"] = nlohmann::json::array();
  for (const auto& r : reports) j["runs"].push_back(r.ToJson());
  j["problems"] = nlohmann::json::array();
  for (const auto& [task, reason, code] : problems) {
    j["problems"].push_back({{"task", task}, {"message", reason}, {"exit", code}});
  }
  j["cleaned"] = cleaned;
  return j;
}

std::string AllResult::ToText() const {
  std::string out;
  for (const auto& r : reports) out += r.ToText() + "\n";
  for (const auto& [task, reason, code] : problems) {
    out += task + ": " + reason + " (exit " + std::to_string(code) + ")\n";
  }
  if (!cleaned.empty()) out += std::to_string(cleaned.size()) + " old file(s) removed\n";
  if (reports.empty() && problems.empty()) out += "no command file present\n";
  out += "exit status " + std::to_string(exit_code) + "\n";
  return out;
}

AllResult RunAll(store::Db& db, const FileArea& area, const TaskOptions& options) {
  struct Task {
    TaskSpec spec;
    RunReport (*run)(store::Db&, const FileArea&, const TaskOptions&);
  };
  const std::vector<Task> tasks = {
      {{"reset", "courses_fileresetlocation", "courses_fileresetidentifier", true}, RunReset},
      {{"check", "courses_fileexistlocation", "courses_existfileidentifier", false}, RunCheck},
      {{"delete", "courses_filedeletelocation", "courses_filedeleteidentifier", true}, RunDelete},
      {{"create", "courses_fileuploadlocation", "courses_fileuploadidentifier", true}, RunCreate},
      {{"metas", "courses_filemetabindinglocation", "courses_filemetabindingidentifier", true},
       RunMetas}};
  AllResult res;
  area.EnsureDirs();
  CaptureDropFolder(area);
  for (const auto& t : tasks) {
    if (options.file.empty() && !ConfiguredInputExists(db, area, t.spec)) continue;
    TaskOptions o = options;
    o.identifier.reset();  // each file has its own identifier setting
    try {
      res.reports.push_back(t.run(db, area, o));
      res.exit_code = std::max(res.exit_code, res.reports.back().ExitCode());
    } catch (const LockBusy& e) {
      res.problems.emplace_back(t.spec.task, e.what(), 3);
      res.exit_code = std::max(res.exit_code, 3);
    } catch (const Rejected& e) {
      res.problems.emplace_back(t.spec.task, e.what(), 2);
      res.exit_code = std::max(res.exit_code, 2);
    } catch (const std::exception& e) {
      res.problems.emplace_back(t.spec.task, e.what(), 1);
      res.exit_code = std::max(res.exit_code, 1);
    }
  }
  if (!options.simulate) res.cleaned = CleanupFiles(db, area);
  return res;
}

nlohmann::json History(store::Db& db, const HistoryFilter& filter) {
  auto st = db.Prepare(
      "SELECT id, task, filename, startedby, timestart, timeend, simulate, status, exitcode, "
      "totals, report, tryback, message FROM {tool_sync_runs} WHERE (? = '' OR task = ?) AND "
      "(? = '' OR status = ?) ORDER BY id DESC LIMIT ?");
  nlohmann::json out = nlohmann::json::array();
  bool row = st->Run(filter.task, filter.task, filter.status, filter.status, filter.limit);
  while (row) {
    nlohmann::json r;
    r["id"] = st->Int(0);
    r["task"] = st->Text(1);
    r["file"] = st->Text(2);
    r["startedby"] = st->Text(3);
    r["start"] = st->Int(4);
    r["end"] = st->Int(5);
    r["simulate"] = st->Int(6) != 0;
    r["status"] = st->Text(7);
    r["exitcode"] = st->Int(8);
    r["totals"] = nlohmann::json::parse(st->Text(9).empty() ? "{}" : st->Text(9), nullptr, false);
    r["report"] = st->IsNull(10) ? nlohmann::json(nullptr) : nlohmann::json(st->Text(10));
    r["tryback"] = st->IsNull(11) ? nlohmann::json(nullptr) : nlohmann::json(st->Text(11));
    r["message"] = st->IsNull(12) ? nlohmann::json(nullptr) : nlohmann::json(st->Text(12));
    out.push_back(std::move(r));
    row = st->Step();
  }
  return out;
}

std::string HistoryText(const nlohmann::json& runs) {
  std::ostringstream o;
  for (const auto& r : runs) {
    std::time_t t = r["start"].get<int64_t>();
    std::tm tm{};
    localtime_r(&t, &tm);
    char when[32];
    std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
    o << "#" << r["id"].get<int64_t>() << "  " << when << "  " << r["task"].get<std::string>()
      << "  " << r["file"].get<std::string>() << "  " << r["status"].get<std::string>() << " (exit "
      << r["exitcode"].get<int64_t>() << ")  " << r["totals"].dump() << "  by "
      << r["startedby"].get<std::string>();
    if (r["report"].is_string()) o << "  report " << r["report"].get<std::string>();
    o << "\n";
  }
  o << runs.size() << " run(s)\n";
  return o.str();
}

}  // namespace cs::sync
