// The run history: the runs table with filters (task, status, how many), a chart of courses
// created / updated / deleted / failed per run, and one run's full stored report.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sync/utilities.h"
#include "web/history_chart.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/report_view.h"

namespace fs = std::filesystem;

namespace cs::web {
namespace {

std::string S(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::string TotalsText(const nlohmann::json& totals) {
  std::string out;
  if (!totals.is_object()) return out;
  for (const auto& [k, v] : totals.items()) {
    out += (out.empty() ? "" : ", ") + k + " " + (v.is_string() ? v.get<std::string>() : v.dump());
  }
  return out;
}

}  // namespace

void RegisterHistoryPages(Router& r) {
  r.Page("/history", [](Ctx& c) {
    sync::HistoryFilter f;
    f.task = c.Param("task");
    f.status = c.Param("status");
    f.limit = std::clamp<int64_t>(c.IntParam("limit", 50), 1, 1000);
    nlohmann::json runs = sync::History(c.db(), f);
    std::string body =
        "<form method=\"get\" action=\"/history\" class=\"filters\" aria-label=\"Filters\">";
    body += SelectField("task", "Task",
                        {{"", "Every task"},
                         {"create", "create"},
                         {"delete", "delete"},
                         {"check", "check"},
                         {"reset", "reset"},
                         {"metas", "metas"},
                         {"cleancats", "cleancats"}},
                        f.task);
    body += SelectField("status", "Status",
                        {{"", "Every status"},
                         {"running", "running"},
                         {"completed", "completed"},
                         {"failed", "failed"},
                         {"rejected", "rejected"},
                         {"interrupted", "interrupted"}},
                        f.status);
    body += SelectField("limit", "Runs shown",
                        {{"20", "20"}, {"50", "50"}, {"100", "100"}, {"500", "500"}},
                        std::to_string(f.limit));
    body +=
        "<div class=\"field\"><button type=\"submit\" "
        "class=\"secondary\">Filter</button></div></form>";
    body += "<h2>Courses per run</h2>" + HistoryChartSvg(runs) +
            "<p class=\"legend\"><span><i class=\"sw sw-created\"></i>created</span><span><i "
            "class=\"sw sw-updated\"></i>updated</span><span><i class=\"sw "
            "sw-deleted\"></i>deleted</span><span><i class=\"sw sw-failed\"></i>failed</span></p>";
    body += "<h2>Runs (" + std::to_string(runs.size()) + ")</h2>";
    body +=
        "<table><thead><tr><th scope=\"col\">Run</th><th scope=\"col\">Task</th><th "
        "scope=\"col\">File</th><th scope=\"col\">Started</th><th scope=\"col\">Ended</th><th "
        "scope=\"col\">By</th><th scope=\"col\">Status</th><th scope=\"col\">Totals</th></tr>"
        "</thead><tbody>";
    for (const auto& run : runs) {
      std::string id = S(run, "id");
      body += "<tr><td><a href=\"/history/" + Esc(id) + "\">#" + Esc(id) + "</a></td><td>" +
              Esc(S(run, "task")) +
              (run.value("simulate", false) ? " <span class=\"badge\">simulation</span>" : "") +
              "</td><td>" + Esc(S(run, "file")) + "</td><td>" +
              Esc(FormatTime(run.value("start", int64_t{0}))) + "</td><td>" +
              Esc(FormatTime(run.value("end", int64_t{0}))) + "</td><td>" +
              Esc(S(run, "startedby")) + "</td><td class=\"outcome-" + Esc(S(run, "status")) +
              "\">" + Esc(S(run, "status")) + " (exit " + Esc(S(run, "exitcode")) + ")</td><td>" +
              Esc(TotalsText(run.value("totals", nlohmann::json::object()))) + "</td></tr>";
    }
    body += "</tbody></table>";
    c.Page("History", "history", body);
  });

  r.Page(R"(/history/(\d+))", [](Ctx& c) {
    int64_t id = c.MatchId();
    auto st = c.db().Prepare(
        "SELECT task, filename, startedby, timestart, timeend, simulate, status, exitcode, "
        "totals, report, tryback, message FROM {tool_sync_runs} WHERE id = ?");
    if (!st->Run(id)) {
      c.Fail(404, "no run #" + std::to_string(id));
      return;
    }
    std::string task = st->Text(0), file = st->Text(1), by = st->Text(2);
    int64_t start = st->Int(3), end = st->Int(4);
    bool simulate = st->Int(5) != 0;
    std::string status = st->Text(6);
    int64_t exit_code = st->Int(7);
    nlohmann::json totals = nlohmann::json::parse(st->Text(8), nullptr, false);
    std::string report = st->IsNull(9) ? "" : st->Text(9);
    std::string tryback = st->IsNull(10) ? "" : st->Text(10);
    std::string message = st->IsNull(11) ? "" : st->Text(11);
    st->Reset();
    std::string body = "<dl class=\"meta\"><dt>Task</dt><dd>" + Esc(task) +
                       (simulate ? " <span class=\"badge\">simulation</span>" : "") +
                       "</dd><dt>File</dt><dd>" + Esc(file) + "</dd><dt>Started</dt><dd>" +
                       Esc(FormatTime(start)) + " by " + Esc(by) + "</dd><dt>Ended</dt><dd>" +
                       Esc(FormatTime(end)) + "</dd><dt>Status</dt><dd class=\"outcome-" +
                       Esc(status) + "\">" + Esc(status) + " (exit " + std::to_string(exit_code) +
                       ")</dd></dl>";
    if (!message.empty()) body += Notice("error", message);
    body += RenderTotals(totals);
    if (!tryback.empty()) body += "<p>Tryback file: " + FileLink(tryback) + "</p>";
    bool shown = false;
    if (!report.empty()) {
      fs::path txt = c.app.area().data_dir() / report;
      fs::path json = txt;
      json.replace_extension(".json");
      std::error_code ec;
      if (c.app.area().Contains(json) && fs::is_regular_file(json, ec)) {
        std::ifstream f(json, std::ios::binary);
        std::stringstream ss;
        ss << f.rdbuf();
        nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
        if (!j.is_discarded()) {
          body += "<h2>Report</h2>" + RenderResult(j);
          shown = true;
        }
      }
      if (!shown) body += "<p>Report: " + FileLink(report) + "</p>";
    }
    if (!shown && report.empty()) body += "<p class=\"muted\">No stored report for this run.</p>";
    c.Page("Run #" + std::to_string(id), "history", body);
  });
}

}  // namespace cs::web
