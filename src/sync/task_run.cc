#include "sync/task_run.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <streambuf>

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

// The files a run writes before its commit (tryback, report, archive copy): removed again when
// the run does not commit, so a failed run leaves the file area as it found it.
class Outputs {
 public:
  ~Outputs() {
    if (keep_) return;
    std::error_code ec;
    for (const auto& p : paths_) fs::remove(p, ec);
  }
  void Add(const fs::path& p) { paths_.push_back(p); }
  void Keep() { keep_ = true; }

 private:
  std::vector<fs::path> paths_;
  bool keep_ = false;
};

// An output stream buffer over a file descriptor that remembers the first write error (errno),
// so a report of a million lines is streamed to disk, not built in memory first.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd) { setp(buf_, buf_ + sizeof buf_); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type ch) override {
    if (!Drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = static_cast<char>(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return Drain() ? 0 : -1; }

 private:
  bool Drain() {
    const char* p = pbase();
    size_t left = static_cast<size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = n < 0 ? errno : ENOSPC;
        break;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    setp(buf_, buf_ + sizeof buf_);
    return error_ == 0;
  }
  int fd_;
  int error_ = 0;
  char buf_[1 << 16];
};

// Writes the new file `path` with `write`; on any failure (a full disk, a read-only folder)
// removes what was written and throws naming the file and the reason.
void WriteNewFile(const fs::path& path, const std::string& what, Outputs& outputs,
                  const std::function<void(std::ostream&)>& write) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("cannot write " + what + " " + path.string() + ": " +
                             std::strerror(errno));
  }
  outputs.Add(path);
  int err = 0;
  {
    auto buf = std::make_unique<FdBuf>(fd);
    std::ostream out(buf.get());
    write(out);
    out.flush();
    err = buf->error();
    if (err == 0 && !out) err = EIO;
  }
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) {
    throw std::runtime_error("cannot write " + what + " " + path.string() + ": " +
                             std::strerror(err));
  }
}

void WriteTryback(const FileArea& area, const Input& in, const csv::ReaderOptions& csvopt,
                  const Tryback& tryback, const std::string& ts, RunReport& report,
                  Outputs& outputs) {
  fs::path name(in.from_stdin ? "stdin.csv" : in.path.filename());
  std::string ext = name.extension().string();
  if (ext.empty()) ext = ".csv";
  fs::path out = FileArea::Unique(area.failed_dir(), name.stem().string() + "_tryback_" + ts + ext);
  WriteNewFile(out, "tryback file", outputs, [&](std::ostream& buf) {
    csv::Writer w(buf, csvopt.separator, csvopt.encoding);
    if (!tryback.header().empty()) w.WriteRecord(tryback.header());
    for (const auto& row : tryback.rows()) w.WriteRecord(row);
  });
  report.tryback_path = area.Relative(out);
}

void WriteReport(const FileArea& area, const std::string& stem, const std::string& ts,
                 RunReport& report, Outputs& outputs) {
  fs::path txt = FileArea::Unique(area.reports_dir(), ts + "_" + report.task + "_" + stem + ".txt");
  report.report_path = area.Relative(txt);
  fs::path json = txt;
  json.replace_extension(".json");
  WriteNewFile(txt, "report file", outputs, [&](std::ostream& t) { report.WriteText(t); });
  WriteNewFile(json, "report file", outputs, [&](std::ostream& j) {
    report.WriteJson(j);
    j << "\n";
  });
}

// What happens to the input once the run commits. The archive entry is made before the commit
// (a hard link to the input, or a copy): a full disk or a read-only archive folder then fails
// the run, which changes nothing, instead of leaving a committed input in place to be processed
// again. After the commit, FinishInput() removes the input from files/.
struct InputFate {
  bool remove_after_commit = false;
};

InputFate PrepareArchive(const FileArea& area, const Settings& settings, const Input& in,
                         const std::string& ts, RunReport& report, Outputs& outputs) {
  InputFate fate;
  if (in.from_stdin) return fate;
  bool archive = settings.Bool("filearchive");
  bool cleanup = settings.Bool("filecleanup");
  if (!archive) {
    fate.remove_after_commit = in.from_area && cleanup;
    if (fate.remove_after_commit) report.notes.push_back("input removed (filecleanup)");
    return fate;
  }
  fs::path dest = FileArea::Unique(area.archives_dir(), ts + "_" + in.path.filename().string());
  if (in.from_area && ::link(in.path.c_str(), dest.c_str()) == 0) {
    outputs.Add(dest);
  } else {
    // A file from outside the data folder belongs to the user: copied, never moved (and a file
    // the file system cannot link is copied too).
    std::error_code ec;
    fs::copy_file(in.path, dest, ec);
    if (ec) {
      std::string why = ec.message();
      fs::remove(dest, ec);
      throw std::runtime_error("cannot archive " + in.path.string() + " as " + dest.string() +
                               ": " + why);
    }
    outputs.Add(dest);
  }
  fate.remove_after_commit = in.from_area;
  report.notes.push_back((in.from_area ? "input archived as " : "input copied to ") +
                         area.Relative(dest));
  return fate;
}

void FinishInput(const Input& in, const InputFate& fate, RunReport& report) {
  if (!fate.remove_after_commit) return;
  std::error_code ec;
  fs::remove(in.path, ec);
  if (ec) {
    report.notes.push_back("could not remove " + in.display + " from the file area: " +
                           ec.message() + " (remove it, or it will be processed again)");
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
  TaskContext ctx{db,
                  settings,
                  reader,
                  csvopt,
                  identifier,
                  simulate,
                  options.force,
                  report,
                  tryback,
                  options.progress,
                  in.from_stdin ? std::string() : in.path.string()};
  Outputs outputs;  // removed unless the run commits
  auto fail = [&](const std::string& status, int code, const std::string& msg) {
    if (db.InTransaction()) db.Rollback();
    try {
      FinishRunRecord(db, run_id, status, code, nullptr, msg);
    } catch (...) {
    }
  };
  InputFate fate;
  try {
    if (spec.writes) db.Begin();
    body(ctx);
    report.finished = std::time(nullptr);
    if (simulate) {
      if (spec.writes) db.Rollback();
    } else {
      // Everything the run writes to the file area is written before the commit: when a write
      // fails (a full disk, a read-only folder) the run fails and nothing changes.
      std::string ts = FileArea::Timestamp();
      if (!tryback.empty()) {
        if (settings.Bool("filefailed")) {
          WriteTryback(area, in, csvopt, tryback, ts, report, outputs);
        } else {
          report.notes.push_back("tryback file disabled by configuration (filefailed=0)");
        }
      }
      if (spec.writes) fate = PrepareArchive(area, settings, in, ts, report, outputs);
      if (settings.Bool("storereport")) WriteReport(area, StemOf(in.display), ts, report, outputs);
      if (spec.writes) db.Commit();
      outputs.Keep();
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

  if (!simulate) {
    FinishInput(in, fate, report);
    try {
      FinishRunRecord(db, run_id, "completed", report.ExitCode(), &report, "");
    } catch (const std::exception& e) {
      // The run committed: its outcome stands even when the history cannot say so.
      report.notes.push_back(std::string("could not record the run in the history: ") + e.what());
    }
  }
  return report;
}

}  // namespace cs::sync
