// Manual operations: run reset, create, delete, check, metacourse binding, all course tasks or
// the empty-category clean-up, on the configured file or on a file uploaded now, optionally as
// a simulation. A run is a background job; its page follows it live (polling a JSON status) and
// shows the full report when it is done.
#include <map>

#include "sync/listing.h"
#include "sync/settings.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/report_view.h"
#include "web/uploads.h"

namespace cs::web {
namespace {

struct TaskInfo {
  std::string task, label, location_key, help;
};

const std::vector<TaskInfo>& TaskInfos() {
  static const std::vector<TaskInfo> infos = {
      {"reset", "Reset courses", "courses_fileresetlocation",
       "Reinitialise the courses listed in the reset file."},
      {"create", "Create or update courses", "courses_fileuploadlocation",
       "Create the courses of the creation file (and update existing ones when force update is "
       "on)."},
      {"delete", "Delete courses", "courses_filedeletelocation",
       "Delete the courses listed in the deletion file."},
      {"check", "Check that courses exist", "courses_fileexistlocation",
       "Report which courses of the existence file are found or missing (read-only)."},
      {"metas", "Bind metacourses", "courses_filemetabindinglocation",
       "Add or remove the metacourse links of the binding file."},
      {"all", "All course tasks", "",
       "Reset, check, delete, create and metas, each whose file is present (an uploaded file is "
       "fed to every task)."},
      {"cleancats", "Clean empty categories", "",
       "Delete every empty category below the starting category (see Utilities for a preview)."},
  };
  return infos;
}

std::string CategoryOptions(store::Db& db, const std::string& selected, const std::string& name,
                            const std::string& label) {
  std::vector<std::pair<std::string, std::string>> opts = {{"", "Whole site"}};
  for (const auto& cat : sync::ListCategories(db)) {
    opts.emplace_back(std::to_string(cat.value("id", int64_t{0})), cat.value("path", ""));
  }
  return SelectField(name, label, opts, selected);
}

void ShowForm(Ctx& c, const std::string& error, int status) {
  sync::Settings settings(c.db());
  std::string task = c.Param("task").empty() ? "create" : c.Param("task");
  std::string body;
  if (!error.empty()) body += Notice("error", error);
  body += "<form method=\"post\" action=\"/run\" enctype=\"multipart/form-data\">" +
          CsrfField(c.csrf()) + "<fieldset><legend>Task</legend>";
  for (const auto& t : TaskInfos()) {
    body += "<div><label><input type=\"radio\" name=\"task\" value=\"" + Esc(t.task) + "\"" +
            (t.task == task ? " checked" : "") + "> <strong>" + Esc(t.label) + "</strong></label>";
    body += " <span class=\"help\">" + Esc(t.help);
    if (!t.location_key.empty()) {
      std::string loc = settings.Get(t.location_key);
      bool present = c.app.area().ResolveLocation(loc).has_value();
      body += " Configured file: <code>" + Esc(loc) + "</code> (" +
              (present ? "present" : "not found") + ").";
    }
    body += "</span></div>";
  }
  body += "</fieldset>";
  bool upload = c.Param("source") == "upload";
  body +=
      "<fieldset><legend>File</legend><div><label><input type=\"radio\" name=\"source\" "
      "value=\"configured\"" +
      std::string(upload ? "" : " checked") +
      "> Use the configured file</label></div><div><label><input type=\"radio\" name=\"source\" "
      "value=\"upload\"" +
      std::string(upload ? " checked" : "") +
      "> Use this file:</label> <label class=\"sr\" for=\"f-file\">File to process</label><input "
      "type=\"file\" id=\"f-file\" name=\"file\"></div>"
      "<p class=\"help\">An uploaded file is kept in files/uploads/ and archived after the run "
      "like any other input.</p></fieldset>";
  bool simulate = c.req.method == "POST" ? c.Param("simulate") == "1" : settings.Bool("simulate");
  body += "<div class=\"field\"><label><input type=\"checkbox\" name=\"simulate\" value=\"1\"" +
          std::string(simulate ? " checked" : "") +
          "> Simulate: do everything but write (same report, nothing changed)</label></div>";
  body += "<div class=\"field\"><label><input type=\"checkbox\" name=\"force\" value=\"1\"" +
          std::string(c.Param("force") == "1" ? " checked" : "") +
          "> Deletion: bypass the safety threshold (" +
          Esc(settings.Get("courses_deletethreshold")) + "% of the courses)</label></div>";
  body += CategoryOptions(c.db(), c.Param("category"), "category",
                          "Clean empty categories: starting category");
  body += "<p><button type=\"submit\">Run now</button></p></form>";

  auto jobs = c.app.jobs().List(20);
  if (!jobs.empty()) {
    body +=
        "<h2>Recent runs of this server</h2><table><thead><tr><th scope=\"col\">Run</th><th "
        "scope=\"col\">Task</th><th scope=\"col\">File</th><th scope=\"col\">Started</th><th "
        "scope=\"col\">State</th><th scope=\"col\" class=\"num\">Records</th></tr></thead><tbody>";
    for (const auto& j : jobs) {
      std::string state = j.done() ? j.outcome : j.state;
      body +=
          "<tr><td><a href=\"/run/jobs/" + std::to_string(j.id) + "\">#" + std::to_string(j.id) +
          "</a></td><td>" + Esc(j.request.task) +
          (j.request.simulate ? " <span class=\"badge\">simulation</span>" : "") + "</td><td>" +
          Esc(j.request.file.empty() ? "(configured)" : c.app.area().DisplayName(j.request.file)) +
          "</td><td>" + Esc(FormatTime(j.started)) + "</td><td class=\"outcome-" + Esc(state) +
          "\">" + Esc(state) + "</td><td class=\"num\">" + std::to_string(j.records) + "</td></tr>";
    }
    body += "</tbody></table>";
  }
  c.Page("Manual operations", "run", body, status);
}

}  // namespace

void RegisterRunPages(Router& r) {
  r.Page("/run", [](Ctx& c) { ShowForm(c, "", 200); });

  r.Action("/run", [](Ctx& c) {
    JobRequest req;
    req.task = c.Param("task");
    if (!JobManager::IsTask(req.task)) {
      ShowForm(c, "Choose a task.", 400);
      return;
    }
    req.simulate = c.Param("simulate") == "1";
    req.force = c.Param("force") == "1";
    req.started_by = "web:" + c.session->user;
    int64_t cat = c.IntParam("category", 0);
    if (cat > 0) req.category = cat;
    if (c.Param("source") == "upload" && req.task != "cleancats") {
      const auto* f = c.Upload("file");
      if (!f) {
        ShowForm(c, "Choose a file to upload, or use the configured file.", 400);
        return;
      }
      req.file = SaveUpload(c.app.area(), "uploads", f->filename, f->content, true).string();
    }
    int64_t id = c.app.jobs().Start(req);
    c.Redirect("/run/jobs/" + std::to_string(id));
  });

  r.Page(R"(/run/jobs/(\d+))", [](Ctx& c) {
    auto job = c.app.jobs().Get(c.MatchId());
    if (!job) {
      c.Fail(404, "no such run (runs are kept until the server restarts; see History)");
      return;
    }
    std::string state = job->done() ? job->outcome : job->state;
    std::string url = "/run/jobs/" + std::to_string(job->id) + "/status";
    std::string body = "<div id=\"job\" data-status-url=\"" + Esc(url) + "\" data-state=\"" +
                       Esc(job->state) + "\" aria-live=\"polite\">";
    body += "<p>Task <strong>" + Esc(job->request.task) + "</strong> on " +
            Esc(job->request.file.empty() ? "the configured file"
                                          : c.app.area().DisplayName(job->request.file)) +
            (job->request.simulate ? " <span class=\"badge\">Simulation</span>" : "") + "</p>";
    body += "<p>State: <strong id=\"job-state\" class=\"outcome-" + Esc(state) + "\">" +
            Esc(state) + "</strong> · records handled: <strong id=\"job-records\">" +
            std::to_string(job->records) + "</strong></p></div>";
    if (!job->done()) {
      body += "<noscript><p><a href=\"/run/jobs/" + std::to_string(job->id) +
              "\">Reload</a> to follow the run.</p></noscript>";
    } else {
      if (!job->message.empty()) body += Notice("error", job->message);
      body += RenderResult(job->result);
      body += "<p><a class=\"button\" href=\"/run" + Query({{"task", job->request.task}}) +
              "\">Run this tool again</a></p>";
    }
    c.Page("Run #" + std::to_string(job->id), "run", body);
  });

  r.Page(R"(/run/jobs/(\d+)/status)", [](Ctx& c) {
    auto job = c.app.jobs().Get(c.MatchId());
    if (!job) {
      c.Json({{"error", "no such run"}}, 404);
      return;
    }
    c.Json(job->ToJson(false));
  });
}

}  // namespace cs::web
