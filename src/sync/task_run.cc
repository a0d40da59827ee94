#include "sync/task_run.h"

#include <ctime>
#include <fstream>
#include <iostream>

#include "csv/writer.h"
#include "sync/errors.h"
#include "sync/lock.h"

namespace fs = std::filesystem;

namespace cs::sync {
namespace {

struct Input {
  std::unique_ptr<std::ifstream> file;
  std::istream* stream = nullptr;
  fs::path path;
  bool from_area = false;   // inside files/: archive moves it
  bool from_stdin = false;  // nothing to archive
  std::string display;
};

Input OpenInput(store::Db& db, const FileArea& area, const TaskSpec& spec,
                const TaskOptions& options) {
  Input in;
  if (options.file == "-") {
    in.from_stdin = true;
    in.stream = options.stdin_stream ? options.stdin_stream : &std::cin;
    in.display = "(standard input)";
    return in;
  }
  if (options.file.empty()) {
    std::string location = Settings(db).Get(spec.location_key);
    auto found = area.ResolveLocation(location);
    if (!found) {
      throw Rejected("no " + spec.task + " file: " + location + " not found in " +
                     area.files_dir().string());
    }
    in.path = *found;
  } else {
    in.path = options.file;
    std::error_code ec;
    if (!fs::is_regular_file(in.path, ec)) {
      throw Rejected("file not found: " + options.file);
    }
  }
  in.from_area = area.Contains(in.path) &&
                 fs::weakly_canonical(fs::absolute(in.path))
                         .string()
                         .rfind(fs::weakly_canonical(area.files_dir()).string() + "/", 0) == 0;
  in.file = std::make_unique<std::ifstream>(in.path, std::ios::binary);
  if (!*in.file) throw Rejected("cannot read file " + in.path.string());
  in.stream = in.file.get();
  in.display = area.DisplayName(in.path);
  return in;
}

std::string StemOf(const std::string& display) {
  fs::path p(display);
  std::string stem = p.stem().string();
  return stem.empty() ? "stdin" : stem;
}

void WriteTryback(const FileArea& area, const Input& in, const csv::ReaderOptions& csvopt,
                  const Tryback& tryback, const std::string& ts, RunReport& report) {
  fs::path name(in.from_stdin ? "stdin.csv" : in.path.filename());
  std::string ext = name.extension().string();
  if (ext.empty()) ext = ".csv";
  fs::path out = FileArea::Unique(area.failed_dir(), name.stem().string() + "_tryback_" + ts + ext);
  std::ofstream f(out, std::ios::binary);
  csv::Writer w(f, csvopt.separator, csvopt.encoding);
  if (!tryback.header().empty()) w.WriteRecord(tryback.header());
  for (const auto& row : tryback.rows()) w.WriteRecord(row);
  f.close();
  if (!f) throw std::runtime_error("cannot write tryback file " + out.string());
  report.tryback_path = area.Relative(out);
}

void WriteReport(const FileArea& area, const std::string& stem, const std::string& ts,
                 RunReport& report) {
  fs::path txt = FileArea::Unique(area.reports_dir(), ts + "_" + report.task + "_" + stem + ".txt");
  report.report_path = area.Relative(txt);
  fs::path json = txt;
  json.replace_extension(".json");
  {
    std::ofstream f(txt, std::ios::binary);
    report.WriteText(f);
  }
  std::ofstream j(json, std::ios::binary);
  report.WriteJson(j);
  j << "\n";
}

void ArchiveInput(const FileArea& area, const Settings& settings, const Input& in,
                  const std::string& ts, RunReport& report) {
  if (in.from_stdin) return;
  bool archive = settings.Bool("filearchive");
  bool cleanup = settings.Bool("filecleanup");
  std::error_code ec;
  if (in.from_area) {
    if (archive) {
      fs::path dest = FileArea::Unique(area.archives_dir(), ts + "_" + in.path.filename().string());
      fs::rename(in.path, dest, ec);
      if (ec) {
        report.notes.push_back("could not archive " + in.display + ": " + ec.message());
      } else {
        report.notes.push_back("input archived as " + area.Relative(dest));
      }
    } else if (cleanup) {
      fs::remove(in.path, ec);
      if (!ec) report.notes.push_back("input removed (filecleanup)");
    }
  } else if (archive) {
    // A file from outside the data folder belongs to the user: copied, never moved.
    fs::path dest = FileArea::Unique(area.archives_dir(), ts + "_" + in.path.filename().string());
    fs::copy_file(in.path, dest, ec);
    if (!ec) report.notes.push_back("input copied to " + area.Relative(dest));
  }
}

}  // namespace

int64_t StartRunRecord(store::Db& db, const std::string& task, const std::string& file,
                       const std::string& started_by, bool simulate) {
  auto id = db.QueryInt(
      "INSERT INTO {tool_sync_runs} (task, filename, startedby, timestart, timeend, simulate, "
      "status, exitcode, totals) VALUES (?, ?, ?, ?, 0, ?, 'running', 0, '{}') RETURNING id",
      task, file.substr(0, 255), started_by.substr(0, 100),
      static_cast<int64_t>(std::time(nullptr)), simulate ? 1 : 0);
  return id.value_or(0);
}

void FinishRunRecord(store::Db& db, int64_t run_id, const std::string& status, int exit_code,
                     const RunReport* report, const std::string& message) {
  if (run_id <= 0) return;
  std::string totals = report ? report->Totals().dump() : "{}";
  std::optional<std::string> rp = report ? report->report_path : std::nullopt;
  std::optional<std::string> tp = report ? report->tryback_path : std::nullopt;
  db.Execute(
      "UPDATE {tool_sync_runs} SET timeend=?, status=?, exitcode=?, totals=?, report=?, tryback=?, "
      "message=? WHERE id=?",
      static_cast<int64_t>(std::time(nullptr)), status, exit_code, totals, rp, tp, message, run_id);
}

std::vector<std::string> CaptureDropFolder(const FileArea& area) {
  std::vector<std::string> moved;
  std::error_code ec;
  if (!fs::is_directory(area.drop_dir(), ec)) return moved;
  if (fs::exists(area.drop_dir() / "lock.txt", ec)) return moved;
  fs::create_directories(area.files_dir(), ec);
  for (const auto& e : fs::directory_iterator(area.drop_dir(), ec)) {
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.' || name[0] == '_' || !e.is_regular_file()) continue;
    fs::path dest = area.files_dir() / name;
    fs::rename(e.path(), dest, ec);
    if (ec) {  // another filesystem: copy then remove
      ec.clear();
      fs::copy_file(e.path(), dest, fs::copy_options::overwrite_existing, ec);
      if (!ec) fs::remove(e.path(), ec);
    }
    if (!ec) moved.push_back(name);
  }
  return moved;
}

bool ConfiguredInputExists(store::Db& db, const FileArea& area, const TaskSpec& spec) {
  return area.ResolveLocation(Settings(db).Get(spec.location_key)).has_value();
}

RunReport RunFileTask(store::Db& db, const FileArea& area, const TaskSpec& spec,
                      const TaskOptions& options, const TaskBody& body) {
  area.EnsureDirs();
  TaskLock lock(area.locks_dir(), spec.task);
  Settings settings(db);
  std::vector<std::string> captured = CaptureDropFolder(area);

  bool simulate = options.simulate || settings.Bool("simulate");
  std::string identifier = options.identifier
                               ? Settings::Validate(spec.identifier_key, *options.identifier)
                               : settings.Get(spec.identifier_key);
  csv::ReaderOptions csvopt;
  try {
    csvopt.separator = csv::ParseSeparator(
        options.separator ? Settings::Validate("csvseparator", *options.separator)
                          : settings.Get("csvseparator"));
    csvopt.encoding =
        csv::ParseEncoding(options.encoding ? Settings::Validate("encoding", *options.encoding)
                                            : settings.Get("encoding"));
  } catch (const std::invalid_argument& e) {
    throw Rejected(e.what());
  }

  // We hold the task's lock: a run of this task still marked running died (killed, lost its
  // connection) before it could say so.
  if (!simulate) {
    db.Execute(
        "UPDATE {tool_sync_runs} SET status='interrupted', exitcode=1, timeend=? WHERE task=? AND "
        "status='running'",
        static_cast<int64_t>(std::time(nullptr)), spec.task);
  }

  Input in = OpenInput(db, area, spec, options);
  RunReport report;
  report.task = spec.task;
  report.file = in.display;
  report.simulate = simulate;
  report.started = std::time(nullptr);
  for (const auto& c : captured) report.notes.push_back("captured " + c + " from the drop folder");

  int64_t run_id =
      simulate ? 0 : StartRunRecord(db, spec.task, in.display, options.started_by, false);
  csv::Reader reader(*in.stream, in.display, csvopt);
  Tryback tryback;
  TaskContext ctx{db,       settings,      reader, csvopt,  identifier,
                  simulate, options.force, report, tryback, options.progress};
  auto fail = [&](const std::string& status, int code, const std::string& msg) {
    if (db.InTransaction()) db.Rollback();
    try {
      FinishRunRecord(db, run_id, status, code, nullptr, msg);
    } catch (...) {
    }
  };
  try {
    if (spec.writes) db.Begin();
    body(ctx);
    if (spec.writes) {
      if (simulate) {
        db.Rollback();
      } else {
        db.Commit();
      }
    }
  } catch (const csv::CsvError& e) {
    fail("failed", 2, e.what());
    throw Rejected(std::string(e.what()) + " (file rejected, nothing changed)");
  } catch (const Rejected& e) {
    fail("failed", 2, e.what());
    throw;
  } catch (const std::exception& e) {
    fail("failed", 1, e.what());
    throw;
  }
  report.finished = std::time(nullptr);

  if (!simulate) {
    std::string ts = FileArea::Timestamp();
    if (!tryback.empty()) {
      if (settings.Bool("filefailed")) {
        WriteTryback(area, in, csvopt, tryback, ts, report);
      } else {
        report.notes.push_back("tryback file disabled by configuration (filefailed=0)");
      }
    }
    if (spec.writes) ArchiveInput(area, settings, in, ts, report);
    if (settings.Bool("storereport")) WriteReport(area, StemOf(in.display), ts, report);
    FinishRunRecord(db, run_id, "completed", report.ExitCode(), &report, "");
  }
  return report;
}

}  // namespace cs::sync
