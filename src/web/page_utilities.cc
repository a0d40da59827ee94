// The utilities (tool_sync.md §4): deletion and reset file generators with a course browser
// (category tree, search, paging, "select all on this filter"), the existence test on an uploaded
// or pasted list, and the clean-up of empty categories (preview, then confirm).
#include <sstream>

#include "sync/errors.h"
#include "sync/listing.h"
#include "sync/settings.h"
#include "sync/tasks_more.h"
#include "sync/utilities.h"
#include "web/course_browser.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/report_view.h"

namespace cs::web {
namespace {

constexpr int64_t kPageSize = 50;

std::vector<std::pair<std::string, std::string>> CategoryChoices(store::Db& db,
                                                                 const std::string& all_label) {
  std::vector<std::pair<std::string, std::string>> opts = {{"", all_label}};
  for (const auto& cat : sync::ListCategories(db)) {
    int64_t depth = cat.value("depth", int64_t{1});
    std::string indent;
    for (int64_t i = 1; i < depth; ++i) indent += "\u00a0\u00a0";
    opts.emplace_back(std::to_string(cat.value("id", int64_t{0})),
                      indent + cat.value("path", std::string()) + " (" +
                          std::to_string(cat.value("coursecount", int64_t{0})) + ")");
  }
  return opts;
}

CourseQuery QueryOf(const Ctx& c) {
  CourseQuery q;
  int64_t cat = c.IntParam("category", 0);
  if (cat > 0) q.category = cat;
  q.search = c.Param("q");
  int64_t page = std::max<int64_t>(1, c.IntParam("page", 1));
  q.limit = kPageSize;
  q.offset = (page - 1) * kPageSize;
  return q;
}

std::string KindOf(const Ctx& c) { return c.Param("kind") == "reset" ? "reset" : "delete"; }

void ShowGenerator(Ctx& c, const std::string& notice_html) {
  std::string kind = KindOf(c);
  CourseQuery q = QueryOf(c);
  CoursePage page = BrowseCourses(c.db(), q);
  std::unordered_map<int64_t, std::string> paths;
  for (const auto& cat : sync::ListCategories(c.db())) {
    paths[cat.value("id", int64_t{0})] = cat.value("path", std::string());
  }
  sync::Settings settings(c.db());
  std::string id_key =
      kind == "reset" ? "courses_fileresetidentifier" : "courses_filedeleteidentifier";
  std::string loc_key =
      kind == "reset" ? "courses_fileresetlocation" : "courses_filedeletelocation";
  std::string body = notice_html;
  body += "<p>" +
          std::string(kind == "reset" ? "Write a reset file (the usual reset options) for the "
                                        "courses you select."
                                      : "Write a deletion file for the courses you select.") +
          " The file goes to <code>" + Esc(settings.Get(loc_key)) +
          "</code> in the file area (replaced when it exists), with the identifier <code>" +
          Esc(settings.Get(id_key)) + "</code>. Nothing is deleted or reset until you run it.</p>";
  // Filters (GET).
  body +=
      "<form method=\"get\" action=\"/utilities/generate\" class=\"filters\" role=\"search\">"
      "<input type=\"hidden\" name=\"kind\" value=\"" +
      Esc(kind) + "\">";
  body += SelectField("category", "Category (with its subcategories)",
                      CategoryChoices(c.db(), "Every category"),
                      q.category ? std::to_string(*q.category) : "");
  FieldOptions so;
  so.type = "search";
  body += InputField("q", "Search shortname, full name or ID number", q.search, so);
  body +=
      "<div class=\"field\"><button type=\"submit\" "
      "class=\"secondary\">Filter</button></div></form>";

  int64_t pages = std::max<int64_t>(1, (page.total + kPageSize - 1) / kPageSize);
  int64_t current = q.offset / kPageSize + 1;
  // Selection (POST).
  body += "<form method=\"post\" action=\"/utilities/generate\">" + CsrfField(c.csrf()) +
          "<input type=\"hidden\" name=\"kind\" value=\"" + Esc(kind) +
          "\"><input type=\"hidden\" name=\"category\" value=\"" +
          Esc(q.category ? std::to_string(*q.category) : "") +
          "\"><input type=\"hidden\" name=\"q\" value=\"" + Esc(q.search) + "\">";
  body += "<p><strong>" + std::to_string(page.total) + "</strong> course(s) match; page " +
          std::to_string(current) + " of " + std::to_string(pages) + ".</p>";
  body +=
      "<table><caption class=\"sr\">Courses</caption><thead><tr><th scope=\"col\"><input "
      "type=\"checkbox\" id=\"select-page\" aria-label=\"Select every course on this "
      "page\"></th><th scope=\"col\">Shortname</th><th scope=\"col\">Full name</th><th "
      "scope=\"col\">ID number</th><th scope=\"col\">Category</th><th "
      "scope=\"col\">Visible</th></tr></thead><tbody>";
  for (const auto& row : page.rows) {
    std::string id = std::to_string(row.id);
    body += "<tr><td><input type=\"checkbox\" name=\"ids\" value=\"" + id + "\" id=\"c-" + id +
            "\"></td><td><label for=\"c-" + id + "\">" + Esc(row.shortname) + "</label></td><td>" +
            Esc(row.fullname) + "</td><td>" + Esc(row.idnumber) + "</td><td>" +
            Esc(paths[row.category]) + "</td><td>" + (row.visible ? "yes" : "no") + "</td></tr>";
  }
  body += "</tbody></table>";
  auto link = [&](int64_t p, const std::string& text) {
    return "<a href=\"/utilities/generate" +
           Esc(Query({{"kind", kind},
                      {"category", q.category ? std::to_string(*q.category) : ""},
                      {"q", q.search},
                      {"page", std::to_string(p)}})) +
           "\">" + text + "</a>";
  };
  body += "<nav class=\"pager\" aria-label=\"Pages\">";
  if (current > 1) body += link(1, "« First") + link(current - 1, "‹ Previous");
  if (current < pages) body += link(current + 1, "Next ›") + link(pages, "Last »");
  body += "</nav>";
  body +=
      "<fieldset><legend>Selection</legend><div><label><input type=\"radio\" name=\"mode\" "
      "value=\"selected\" checked> The courses ticked on this page</label></div><div><label>"
      "<input type=\"radio\" name=\"mode\" value=\"filter\"> Every course matching the filter (" +
      std::to_string(page.total) + ")</label></div></fieldset>";
  body += std::string("<p><button type=\"submit\">") +
          (kind == "reset" ? "Generate the reset file" : "Generate the deletion file") +
          "</button></p></form>";
  c.Page(kind == "reset" ? "Reset file generator" : "Deletion file generator", "utilities", body);
}

std::string FindingsTable(const nlohmann::json& report) {
  std::string found, missing;
  int nf = 0, nm = 0;
  for (const auto& l : report.value("lines", nlohmann::json::array())) {
    std::string status = l.value("status", "");
    std::string row = "<tr><td class=\"num\">" + Esc(l["line"].dump()) + "</td><td>" +
                      Esc(l.value("identifier", "")) + "</td><td>" + Esc(l.value("message", "")) +
                      "</td></tr>";
    if (status == "found") {
      found += row;
      ++nf;
    } else {
      missing += row;
      ++nm;
    }
  }
  auto table = [](const std::string& title, int n, const std::string& rows) {
    return "<h2>" + title + " (" + std::to_string(n) +
           ")</h2><table><thead><tr><th scope=\"col\" "
           "class=\"num\">Line</th><th scope=\"col\">Identifier</th><th "
           "scope=\"col\">Message</th></tr></thead><tbody>" +
           rows + "</tbody></table>";
  };
  return table("Missing or failed", nm, missing) + table("Found", nf, found);
}

void ShowCheck(Ctx& c, const std::string& result_html, int status) {
  sync::Settings settings(c.db());
  std::string body = result_html;
  body +=
      "<p>Paste identifiers (one per line, optionally followed by a description) or upload a "
      "file; the configured identifier is <code>" +
      Esc(settings.Get("courses_existfileidentifier")) +
      "</code>. Nothing is changed.</p><form method=\"post\" action=\"/utilities/check\" "
      "enctype=\"multipart/form-data\">" +
      CsrfField(c.csrf()) +
      "<div class=\"field\"><label for=\"f-list\">Identifiers</label><textarea id=\"f-list\" "
      "name=\"list\">" +
      Esc(c.Param("list")) +
      "</textarea></div><div class=\"field\"><label for=\"f-file\">Or a file</label><input "
      "type=\"file\" id=\"f-file\" name=\"file\"></div>";
  body += SelectField(
      "identifier", "Identifier",
      {{"", "as configured"}, {"idnumber", "idnumber"}, {"shortname", "shortname"}, {"id", "id"}},
      c.Param("identifier"));
  body += "<p><button type=\"submit\">Check</button></p></form>";
  c.Page("Test if courses exist", "utilities", body, status);
}

void ShowCleanCats(Ctx& c, const std::string& before) {
  std::optional<int64_t> start;
  int64_t cat = c.IntParam("category", 0);
  if (cat > 0) start = cat;
  std::vector<sync::EmptyCategory> list;
  try {
    list = sync::CleanEmptyCategories(c.db(), c.app.area(), false, start, "web");
  } catch (const sync::Rejected&) {
    start.reset();  // the starting category itself was deleted
    list = sync::CleanEmptyCategories(c.db(), c.app.area(), false, start, "web");
  }
  std::string body = before;
  body +=
      "<p>A category is empty when it holds no course and no non-empty subcategory; whole "
      "empty branches are listed at once. The default category is never deleted.</p>";
  body += "<form method=\"get\" action=\"/utilities/cleancats\" class=\"filters\">" +
          SelectField("category", "Starting category", CategoryChoices(c.db(), "Whole site"),
                      start ? std::to_string(*start) : "") +
          "<div class=\"field\"><button type=\"submit\" class=\"secondary\">Preview</button></div>"
          "</form>";
  body += "<h2>Empty categories (" + std::to_string(list.size()) + ")</h2>";
  if (list.empty()) {
    body += "<p>There is no empty category here.</p>";
  } else {
    body += "<ul id=\"empty-categories\">";
    for (const auto& e : list) body += "<li>" + Esc(e.path) + "</li>";
    body += "</ul><form method=\"post\" action=\"/utilities/cleancats\">" + CsrfField(c.csrf()) +
            "<input type=\"hidden\" name=\"category\" value=\"" +
            Esc(start ? std::to_string(*start) : "") +
            "\"><button type=\"submit\" class=\"danger\" data-confirm=\"Delete these " +
            std::to_string(list.size()) +
            " empty categories?\">Confirm: delete these empty categories</button></form>";
  }
  c.Page("Clean empty categories", "utilities", body);
}

}  // namespace

void RegisterUtilityPages(Router& r) {
  r.Page("/utilities", [](Ctx& c) {
    std::string body =
        "<ul class=\"tools\">"
        "<li><a href=\"/utilities/generate?kind=delete\">Create a file for course deletion</a>: "
        "browse and select courses, write the deletion file.</li>"
        "<li><a href=\"/utilities/generate?kind=reset\">Create a file for course "
        "reinitialisation</a>: the same for the reset file.</li>"
        "<li><a href=\"/utilities/check\">Test if courses exist</a>: paste or upload a list, see "
        "what is found and missing.</li>"
        "<li><a href=\"/utilities/cleancats\">Clean empty categories</a>: preview the list, then "
        "confirm.</li></ul>";
    c.Page("Utilities", "utilities", body);
  });

  r.Page("/utilities/generate", [](Ctx& c) { ShowGenerator(c, ""); });

  r.Action("/utilities/generate", [](Ctx& c) {
    std::string kind = KindOf(c);
    sync::CourseFilter filter;
    if (c.Param("mode") == "filter") {
      CourseQuery q = QueryOf(c);
      if (q.search.empty()) {
        filter.category = q.category;
      } else {
        filter.ids = MatchingCourseIds(c.db(), q);
      }
      if (filter.ids.empty() && !filter.category && !q.search.empty()) {
        ShowGenerator(c, Notice("error", "No course matches the filter."));
        return;
      }
    } else {
      for (const auto& v : c.Params("ids")) {
        try {
          filter.ids.push_back(std::stoll(v));
        } catch (const std::exception&) {
        }
      }
      if (filter.ids.empty()) {
        ShowGenerator(c, Notice("error",
                                "Tick at least one course, or choose every course "
                                "matching the filter."));
        return;
      }
    }
    sync::GeneratedFile g;
    try {
      g = kind == "reset"
              ? sync::MakeResetFile(c.db(), c.app.area(), filter, std::nullopt, std::nullopt)
              : sync::MakeDeleteFile(c.db(), c.app.area(), filter, std::nullopt, std::nullopt);
    } catch (const sync::Rejected& e) {
      ShowGenerator(c, Notice("error", e.what()));
      return;
    }
    std::string msg = "<div class=\"notice notice-ok\" role=\"status\">" +
                      std::string(kind == "reset" ? "Reset" : "Deletion") +
                      " file written: " + FileLink(g.path) + " with " + std::to_string(g.written) +
                      " course(s), identifier " + Esc(g.identifier) + ".";
    if (!g.skipped.empty()) {
      msg += " Left out: <ul>";
      for (const auto& s : g.skipped) msg += "<li>" + Esc(s) + "</li>";
      msg += "</ul>";
    }
    msg += " <a href=\"/run" + Esc(Query({{"task", kind}})) +
           "\">Run it from Manual operations</a>.</div>";
    ShowGenerator(c, msg);
  });

  r.Page("/utilities/check", [](Ctx& c) { ShowCheck(c, "", 200); });

  r.Action("/utilities/check", [](Ctx& c) {
    std::string content = c.Param("list");
    if (const auto* f = c.Upload("file")) content = f->content;
    if (content.find_first_not_of(" \t\r\n") == std::string::npos) {
      ShowCheck(c, Notice("error", "Paste a list or choose a file."), 400);
      return;
    }
    std::istringstream in(content);
    sync::TaskOptions o;
    o.file = "-";
    o.stdin_stream = &in;
    o.started_by = "web:" + c.session->user;
    std::string id = c.Param("identifier");
    if (!id.empty()) o.identifier = id;
    try {
      sync::RunReport report = sync::RunCheck(c.db(), c.app.area(), o);
      nlohmann::json j = report.ToJson();
      ShowCheck(c, RenderTotals(j["totals"]) + FindingsTable(j), 200);
    } catch (const sync::Rejected& e) {
      ShowCheck(c, Notice("error", e.what()), 400);
    }
  });

  r.Page("/utilities/cleancats", [](Ctx& c) { ShowCleanCats(c, ""); });

  r.Action("/utilities/cleancats", [](Ctx& c) {
    std::optional<int64_t> start;
    int64_t cat = c.IntParam("category", 0);
    if (cat > 0) start = cat;
    auto removed =
        sync::CleanEmptyCategories(c.db(), c.app.area(), true, start, "web:" + c.session->user);
    std::string html = "<div class=\"notice notice-ok\" role=\"status\">" +
                       std::to_string(removed.size()) + " empty categor" +
                       (removed.size() == 1 ? "y" : "ies") + " deleted.";
    if (!removed.empty()) {
      html += "<ul id=\"deleted-categories\">";
      for (const auto& e : removed) html += "<li>" + Esc(e.path) + "</li>";
      html += "</ul>";
    }
    html += "</div>";
    ShowCleanCats(c, html);
  });
}

}  // namespace cs::web
