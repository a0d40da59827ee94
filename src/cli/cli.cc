#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/common.h"
#include "cli/web_commands.h"
#include "csv/reader.h"
#include "store/db.h"
#include "sync/demo.h"
#include "sync/errors.h"
#include "sync/file_area.h"
#include "sync/integrity.h"
#include "sync/listing.h"
#include "sync/settings.h"
#include "sync/site_init.h"
#include "sync/tasks.h"
#include "sync/utilities.h"

namespace fs = std::filesystem;

namespace cs::cli {
namespace {

// The common shape of the five file commands.
struct FileTaskArgs {
  std::string file;
  bool simulate = false;
  std::string identifier, separator, encoding;
  bool force = false;
};

void AddFileTask(
    CLI::App& app, Globals& g, const std::string& name, const std::string& help,
    std::function<sync::RunReport(store::Db&, const sync::FileArea&, const sync::TaskOptions&)> fn,
    std::function<void(int)>& exit_with, bool with_force = false) {
  auto args = std::make_shared<FileTaskArgs>();
  CLI::App* cmd = app.add_subcommand(name, help);
  cmd->fallthrough();
  cmd->add_option("FILE", args->file,
                  "Input file (default: the configured location in the file area; - for stdin)");
  cmd->add_flag("--simulate", args->simulate, "Do everything but write: same report, no change");
  cmd->add_option("--identifier", args->identifier, "Course identifier for this run")
      ->check(CLI::IsMember({"idnumber", "shortname", "id"}));
  cmd->add_option("--separator", args->separator, "Field separator: ; , : or tab");
  cmd->add_option("--encoding", args->encoding, "UTF-8, ISO-8859-1 or Windows-1252");
  if (with_force) cmd->add_flag("--force", args->force, "Bypass the deletion safety threshold");
  cmd->callback([&g, args, fn, &exit_with, name]() {
    Site site = OpenSite(g);
    sync::TaskOptions o;
    o.file = args->file;
    o.simulate = args->simulate;
    if (!args->identifier.empty()) o.identifier = args->identifier;
    if (!args->separator.empty()) o.separator = args->separator;
    if (!args->encoding.empty()) o.encoding = args->encoding;
    o.force = args->force;
    o.started_by = "cli";
    bool show = !g.quiet && (g.progress || ::isatty(2));
    if (show) {
      o.progress = [name](int64_t n) {
        std::cerr << "\r" << name << ": " << n << " lines" << std::flush;
      };
    }
    sync::RunReport r = fn(*site.db, *site.area, o);
    if (show) std::cerr << "\r\033[K" << std::flush;
    if (g.json()) {
      r.WriteJson(std::cout);
      std::cout << "\n";
    } else if (g.quiet) {
      std::cout << "Totals: " << r.Totals().dump() << "\n";
    } else {
      r.WriteText(std::cout);
    }
    exit_with(r.ExitCode());
  });
}

}  // namespace

int Run(int argc, char** argv) {
  Globals g;
  int exit_code = 0;
  std::function<void(int)> exit_with = [&](int c) { exit_code = c; };

  CLI::App app{"coursesync: keeps a Moodle course catalogue in step with CSV command files"};
  app.name("coursesync");
  app.require_subcommand(1);
  app.fallthrough();
  app.add_option("--data", g.data,
                 "Data folder (default $COURSESYNC_DATA, else ./coursesync-data)");
  app.add_option("--db", g.db,
                 "sqlite:PATH or postgresql://... (default sqlite:<data>/coursesync.db)");
  app.add_option("--format", g.format, "Output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  app.add_flag("--quiet", g.quiet, "Less output");
  app.add_flag("--progress", g.progress, "Progress on stderr even when not a terminal");

  // init
  app.add_subcommand("init", "Create or upgrade the schema and seed a fresh site (idempotent)")
      ->fallthrough()
      ->callback([&]() {
        std::string data = DataDir(g);
        fs::create_directories(data);
        sync::FileArea area(data);
        area.EnsureDirs();
        auto db = store::Open(DbUrl(g));
        auto res = sync::InitSite(*db);
        if (g.json()) {
          PrintJson({{"created", res.created}, {"data", area.data_dir().string()}});
        } else {
          std::cout << (res.created ? "Site initialised in " : "Site already initialised in ")
                    << area.data_dir().string() << "\n";
        }
      });

  // config
  CLI::App* config = app.add_subcommand("config", "Show or change the tool settings");
  config->fallthrough()->require_subcommand(1);
  config->add_subcommand("list", "Every setting with its value")->fallthrough()->callback([&]() {
    Site s = OpenSite(g);
    sync::Settings settings(*s.db);
    if (g.json()) {
      nlohmann::json j = nlohmann::json::object();
      for (const auto& [k, v] : settings.List()) j[k] = v;
      PrintJson(j);
    } else {
      for (const auto& [k, v] : settings.List()) std::cout << k << " = " << v << "\n";
    }
  });
  auto key = std::make_shared<std::string>();
  auto value = std::make_shared<std::string>();
  CLI::App* get = config->add_subcommand("get", "Print one setting's value");
  get->fallthrough()->add_option("KEY", *key, "Setting name")->required();
  get->callback([&, key]() {
    Site s = OpenSite(g);
    std::string v = sync::Settings(*s.db).Get(*key);
    if (g.json()) {
      PrintJson({{*key, v}});
    } else {
      std::cout << v << "\n";
    }
  });
  CLI::App* set = config->add_subcommand("set", "Validate and store one setting");
  set->fallthrough();
  set->add_option("KEY", *key, "Setting name")->required();
  set->add_option("VALUE", *value, "New value")->required();
  set->callback([&, key, value]() {
    Site s = OpenSite(g);
    std::string v = sync::Settings(*s.db).Set(*key, *value);
    if (g.json()) {
      PrintJson({{*key, v}});
    } else if (!g.quiet) {
      std::cout << *key << " = " << v << "\n";
    }
  });

  // file tasks
  AddFileTask(app, g, "create", "Run the course creation/update file", sync::RunCreate, exit_with);
  AddFileTask(app, g, "delete",
              "Run the course deletion file (refused above courses_deletethreshold % without "
              "--force)",
              sync::RunDelete, exit_with, true);
  AddFileTask(app, g, "check",
              "Run the course existence check file (read-only; missing courses are a normal "
              "answer, exit 0)",
              sync::RunCheck, exit_with);
  AddFileTask(app, g, "reset", "Run the course reset (reinitialisation) file", sync::RunReset,
              exit_with);
  AddFileTask(app, g, "metas", "Run the metacourse binding file", sync::RunMetas, exit_with);

  // all
  auto all_args = std::make_shared<FileTaskArgs>();
  CLI::App* all = app.add_subcommand(
      "all",
      "Run reset, check, delete, create and metas for the files present, then clean old files");
  all->fallthrough();
  all->add_option("FILE", all_args->file,
                  "Feed this one file to every task (default: each task's "
                  "configured file)");
  all->add_flag("--simulate", all_args->simulate, "Dry run");
  all->add_option("--separator", all_args->separator, "Field separator: ; , : or tab");
  all->add_option("--encoding", all_args->encoding, "UTF-8, ISO-8859-1 or Windows-1252");
  all->add_flag("--force", all_args->force, "Bypass the deletion safety threshold");
  all->callback([&, all_args]() {
    Site site = OpenSite(g);
    sync::TaskOptions o;
    o.file = all_args->file;
    o.simulate = all_args->simulate;
    if (!all_args->separator.empty()) o.separator = all_args->separator;
    if (!all_args->encoding.empty()) o.encoding = all_args->encoding;
    o.force = all_args->force;
    auto res = sync::RunAll(*site.db, *site.area, o);
    if (g.json()) {
      PrintJson(res.ToJson());
    } else {
      std::cout << res.ToText();
    }
    exit_code = res.exit_code;
  });

  // generators
  struct GenArgs {
    std::string category, match, ids, identifier, out;
  };
  auto add_generator = [&](const std::string& name, const std::string& help, bool reset) {
    auto a = std::make_shared<GenArgs>();
    CLI::App* cmd = app.add_subcommand(name, help);
    cmd->fallthrough();
    cmd->add_option("--category", a->category, "Category id or path A/B/C (with subcategories)");
    cmd->add_option("--match", a->match, "Glob on shortname, e.g. 'HIST*'");
    cmd->add_option("--ids", a->ids, "Comma-separated course ids");
    cmd->add_option("--identifier", a->identifier, "idnumber, shortname or id")
        ->check(CLI::IsMember({"idnumber", "shortname", "id"}));
    cmd->add_option("--out", a->out, "Output file (default: the configured file in the file area)");
    cmd->callback([&, a, reset]() {
      Site site = OpenSite(g);
      sync::CourseFilter f;
      if (!a->category.empty()) f.category = sync::ResolveCategoryArg(*site.db, a->category);
      f.match = a->match;
      std::stringstream ids(a->ids);
      for (std::string id; std::getline(ids, id, ',');) {
        try {
          size_t used = 0;
          f.ids.push_back(std::stoll(id, &used));
          if (used != id.size()) throw std::invalid_argument(id);
        } catch (const std::exception&) {
          throw sync::Rejected("--ids: '" + id + "' is not a course id");
        }
      }
      std::optional<std::string> ident, out;
      if (!a->identifier.empty()) ident = a->identifier;
      if (!a->out.empty()) out = a->out;
      auto r = reset ? sync::MakeResetFile(*site.db, *site.area, f, ident, out)
                     : sync::MakeDeleteFile(*site.db, *site.area, f, ident, out);
      if (g.json()) {
        PrintJson({{"file", r.path},
                   {"identifier", r.identifier},
                   {"written", r.written},
                   {"skipped", r.skipped}});
      } else {
        std::cout << "Wrote " << r.written << " course(s) by " << r.identifier << " to " << r.path
                  << "\n";
        for (const auto& sk : r.skipped) std::cout << "left out: " << sk << "\n";
      }
    });
  };
  add_generator("make-delete-file", "Write a deletion file from a selection of courses", false);
  add_generator("make-reset-file", "Write a reset file (usual options) from a selection of courses",
                true);

  // cleancats
  auto cc_apply = std::make_shared<bool>(false);
  auto cc_cat = std::make_shared<std::string>();
  CLI::App* cleancats =
      app.add_subcommand("cleancats", "List the empty categories bottom-up; --apply deletes them");
  cleancats->fallthrough();
  cleancats->add_flag("--apply", *cc_apply, "Delete the listed categories");
  cleancats->add_option("--category", *cc_cat, "Start at this category (id or path)");
  cleancats->callback([&, cc_apply, cc_cat]() {
    Site site = OpenSite(g);
    std::optional<int64_t> start;
    if (!cc_cat->empty()) start = sync::ResolveCategoryArg(*site.db, *cc_cat);
    auto list = sync::CleanEmptyCategories(*site.db, *site.area, *cc_apply, start);
    if (g.json()) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& e : list) j.push_back({{"id", e.id}, {"path", e.path}});
      PrintJson({{"applied", *cc_apply}, {"categories", j}});
    } else {
      for (const auto& e : list) std::cout << e.id << "\t" << e.path << "\n";
      std::cout << list.size() << " empty categor" << (list.size() == 1 ? "y" : "ies")
                << (*cc_apply ? " deleted" : " (run with --apply to delete them)") << "\n";
    }
  });

  // integrity
  app.add_subcommand("integrity",
                     "Check the site's structure: contexts, categories, rows pointing at missing "
                     "rows (exit 1 when a problem is found)")
      ->fallthrough()
      ->callback([&]() {
        Site site = OpenSite(g);
        auto problems = sync::CheckIntegrity(*site.db);
        if (g.json()) {
          nlohmann::json j = nlohmann::json::array();
          for (const auto& p : problems) j.push_back({{"check", p.check}, {"message", p.message}});
          PrintJson({{"ok", problems.empty()}, {"problems", j}});
        } else {
          std::cout << sync::IntegrityText(problems)
                    << (problems.empty() ? std::string("no problem found")
                                         : std::to_string(problems.size()) + " problem(s)")
                    << "\n";
        }
        exit_code = problems.empty() ? 0 : 1;
      });

  // history
  auto h_task = std::make_shared<std::string>();
  auto h_status = std::make_shared<std::string>();
  auto h_limit = std::make_shared<int64_t>(50);
  CLI::App* history = app.add_subcommand("history", "The recorded runs, newest first");
  history->fallthrough();
  history->add_option("--task", *h_task, "Only this task");
  history->add_option("--status", *h_status, "Only this status (completed, failed, running)");
  history->add_option("--limit", *h_limit, "How many runs (default 50)")
      ->check(CLI::PositiveNumber);
  history->callback([&, h_task, h_status, h_limit]() {
    Site site = OpenSite(g);
    auto runs = sync::History(*site.db, {*h_task, *h_status, *h_limit});
    if (g.json()) {
      PrintJson(runs);
    } else {
      std::cout << sync::HistoryText(runs);
    }
  });

  // cleanup-files
  app.add_subcommand(
         "cleanup-files",
         "Remove archives, reports and tryback files older than fileareacleanupdelay days")
      ->fallthrough()
      ->callback([&]() {
        Site site = OpenSite(g);
        auto removed = sync::CleanupFiles(*site.db, *site.area);
        if (g.json()) {
          PrintJson({{"removed", removed}});
        } else {
          for (const auto& r : removed) std::cout << "removed " << r << "\n";
          std::cout << removed.size() << " file(s) removed\n";
        }
      });

  // demo
  auto demo = std::make_shared<sync::DemoOptions>();
  CLI::App* demo_cmd = app.add_subcommand("demo", "Fill the site with realistic demo data");
  demo_cmd->fallthrough();
  demo_cmd->add_option("--courses", demo->courses, "Courses to add (default 100)")
      ->check(CLI::Range(int64_t{1}, int64_t{10000000}));
  demo_cmd->add_option("--users", demo->users, "Users to add (default 200)")
      ->check(CLI::Range(int64_t{3}, int64_t{10000000}));
  demo_cmd->add_option("--seed", demo->seed, "Seed: the same seed gives the same site");
  demo_cmd->callback([&, demo]() {
    Site site = OpenSite(g);
    auto st = sync::RunDemo(*site.db, *demo);
    if (g.json()) {
      PrintJson({{"categories", st.categories},
                 {"courses", st.courses},
                 {"users", st.users},
                 {"enrolments", st.enrolments},
                 {"rows", st.rows}});
    } else {
      std::cout << "Demo data added: " << st.courses << " courses, " << st.categories
                << " categories, " << st.users << " users, " << st.enrolments << " enrolments, "
                << st.rows << " rows\n";
    }
  });

  // listings
  auto cat_arg = std::make_shared<std::string>();
  auto match_arg = std::make_shared<std::string>();
  CLI::App* courses = app.add_subcommand("courses", "List the site's courses");
  courses->fallthrough();
  courses->add_option("--category", *cat_arg, "Category id or path (with subcategories)");
  courses->add_option("--match", *match_arg, "Glob on shortname");
  courses->callback([&, cat_arg, match_arg]() {
    Site s = OpenSite(g);
    sync::CourseFilter f;
    if (!cat_arg->empty()) f.category = sync::ResolveCategoryArg(*s.db, *cat_arg);
    f.match = *match_arg;
    auto list = sync::ListCourses(*s.db, f);
    if (g.json()) {
      PrintJson(list);
    } else {
      std::cout << sync::CoursesText(list);
    }
  });
  app.add_subcommand("categories", "List the site's categories")->fallthrough()->callback([&]() {
    Site s = OpenSite(g);
    auto list = sync::ListCategories(*s.db);
    if (g.json()) {
      PrintJson(list);
    } else {
      std::cout << sync::CategoriesText(list);
    }
  });

  AddWebCommands(app, g);

  auto fail = [&](int code, const std::string& msg) {
    if (g.json()) {
      PrintJson({{"error", msg}, {"exit", code}});
    }
    std::cerr << "coursesync: " << msg << "\n";
    return code;
  };
  // An unknown command gets a plain message (CLI11 would only say a subcommand is required).
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data" || a == "--db" || a == "--format") {
      ++i;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    bool known = false;
    for (const CLI::App* sub : app.get_subcommands({})) known = known || sub->get_name() == a;
    if (!known) {
      std::cerr << "coursesync: unknown command '" << a << "' (see coursesync --help)\n";
      return 2;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    if (msg.empty()) msg = e.get_name();
    std::cerr << "coursesync: " << msg << " (see coursesync --help)\n";
    return 2;
  } catch (const sync::Rejected& e) {
    return fail(2, e.what());
  } catch (const sync::LockBusy& e) {
    return fail(3, e.what());
  } catch (const std::exception& e) {
    return fail(1, e.what());
  }
  return exit_code;
}

}  // namespace cs::cli
