// Shared by the command-file fuzz targets: one seeded SQLite site per process (a small demo plus
// a few hand-made courses, a meta link, force update on and no deletion threshold, so that every
// path of every task is reachable), and RunSimulated(), which writes the input to the task's
// configured file in the file area and runs the task with --simulate: the run's transaction is
// rolled back, so nothing persists from one input to the next.
//
// A run may end in two ways only: a report (exit 0/1), or sync::Rejected (exit 2, the file is
// refused with a message). Any other exception means the input made the whole run fail with an
// unexplained error (exit 1 with no report): the target aborts so that libFuzzer records it.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

#include "sync/demo.h"
#include "sync/errors.h"
#include "sync/settings.h"
#include "sync/tasks.h"
#include "sync/test_support.h"

namespace cs::fuzz {

using TaskFn =
    std::function<sync::RunReport(store::Db&, const sync::FileArea&, const sync::TaskOptions&)>;

class FuzzSite {
 public:
  FuzzSite() {
    if (cs::testing::TestPgUrl()) unsetenv("CS_TEST_PG_URL");  // always SQLite
    site_ = std::make_unique<cs::testing::TempSite>();
    store::Db& db = *site_->db;
    sync::DemoOptions demo;
    demo.courses = 8;
    demo.users = 20;
    demo.sections = 2;
    sync::RunDemo(db, demo);
    sync::Settings settings(db);
    // Hand-made courses (leading zeros, idnumbers, category paths);
    // then a meta link, so that metas' skip/unlink paths and reset's meta handling are reachable.
    site_->WriteFile("seed.csv",
                     "shortname;fullname;idnumber;category\n"
                     "F1;Fuzz one;ID-F1;Fuzz/A\n"
                     "F2;Fuzz two;ID-F2;Fuzz/B\n"
                     "007;Bond;007;Fuzz\n");
    sync::TaskOptions o;
    o.file = (site_->area->files_dir() / "seed.csv").string();
    Check(sync::RunCreate(db, *site_->area, o), "seed create");
    site_->WriteFile("seedmeta.csv", "master;meta\nDEMO-1-1;F1\n");
    o.file = (site_->area->files_dir() / "seedmeta.csv").string();
    Check(sync::RunMetas(db, *site_->area, o), "seed metas");
    settings.Set("courses_forceupdate", "1");
    settings.Set("courses_deletethreshold", "100");
  }

  // Runs the task on `data` (the whole input file) in simulate mode. The course identifier
  // (shortname, idnumber or id) is chosen by a hash of the input: stable for a given input, so a
  // crash reproduces, and every identifier is exercised.
  void RunSimulated(const uint8_t* data, size_t size, const std::string& file_name,
                    const TaskFn& task) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    {
      std::ofstream f(site_->area->files_dir() / file_name, std::ios::binary | std::ios::trunc);
      f.write(input.data(), static_cast<std::streamsize>(input.size()));
    }
    static const char* const kIdentifiers[] = {"shortname", "idnumber", "id"};
    sync::TaskOptions o;
    o.simulate = true;
    o.identifier = kIdentifiers[std::hash<std::string_view>{}(input) % 3];
    try {
      sync::RunReport report = task(*site_->db, *site_->area, o);
      CheckReport(report);
    } catch (const sync::Rejected& e) {
      if (std::string_view(e.what()).empty()) Abort("Rejected without a message");
    } catch (const std::exception& e) {
      Abort(std::string("unexpected exception (the run would exit 1 with no report): ") + e.what());
    }
    if (site_->db->InTransaction()) Abort("a transaction was left open");
  }

 private:
  [[noreturn]] static void Abort(const std::string& why) {
    std::fprintf(stderr, "fuzz: %s\n", why.c_str());
    std::abort();
  }

  static void Check(const sync::RunReport& r, const char* what) {
    if (r.ExitCode() != 0) Abort(std::string(what) + " failed: " + r.ToText());
  }

  // What a front end does with a report must work: both renderings (the JSON one throws on
  // invalid UTF-8), line numbers positive, an exit status of 0 or 1.
  static void CheckReport(const sync::RunReport& r) {
    std::ostringstream json, text;
    r.WriteJson(json);
    r.WriteText(text);
    (void)nlohmann::json::parse(json.str());
    for (const auto& l : r.lines) {
      if (l.line < 1) Abort("a report line has line number " + std::to_string(l.line));
    }
    const int code = r.ExitCode();
    if (code != 0 && code != 1) Abort("exit code " + std::to_string(code));
  }

  std::unique_ptr<cs::testing::TempSite> site_;
};

// The process's site, built on first use (libFuzzer calls the target from one thread).
inline FuzzSite& Site() {
  static FuzzSite site;
  return site;
}

}  // namespace cs::fuzz
