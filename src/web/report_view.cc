#include "web/report_view.h"

#include "web/html.h"

namespace cs::web {
namespace {

constexpr size_t kMaxLinesShown = 5000;

std::string Str(const nlohmann::json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || j[key].is_null()) return "";
  const auto& v = j[key];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

std::string LinesTable(const nlohmann::json& lines, bool failed_only, size_t* shown) {
  std::string rows;
  *shown = 0;
  for (const auto& l : lines) {
    std::string status = Str(l, "status");
    if (failed_only && status != "failed") continue;
    if (*shown >= kMaxLinesShown) break;
    ++*shown;
    rows += "<tr><td class=\"num\">" + Esc(Str(l, "line")) + "</td><td>" +
            Esc(Str(l, "identifier")) + "</td><td class=\"status-" + Esc(status) + "\">" +
            Esc(status) + "</td><td class=\"num\">" + Esc(Str(l, "id")) + "</td><td>" +
            Esc(Str(l, "message")) + "</td></tr>";
  }
  return "<table><thead><tr><th scope=\"col\" class=\"num\">Line</th><th "
         "scope=\"col\">Identifier</th><th scope=\"col\">Status</th><th scope=\"col\" "
         "class=\"num\">Id</th><th scope=\"col\">Message</th></tr></thead><tbody>" +
         rows + "</tbody></table>";
}

}  // namespace

std::string FileLink(const std::string& data_relative) {
  std::string p = data_relative;
  if (p.rfind("files/", 0) == 0) p = p.substr(6);
  return "<a href=\"/files/view" + Query({{"path", p}}) + "\">" + Esc(data_relative) + "</a>";
}

std::string RenderTotals(const nlohmann::json& totals) {
  if (!totals.is_object()) return "";
  std::string out = "<ul class=\"totals\" aria-label=\"Totals\">";
  for (const auto& [k, v] : totals.items()) {
    out += "<li><span class=\"status-" + Esc(k) + "\">" + Esc(k) + "</span>: <strong>" +
           Esc(v.is_string() ? v.get<std::string>() : v.dump()) + "</strong></li>";
  }
  return out + "</ul>";
}

std::string RenderReport(const nlohmann::json& r) {
  std::string out = "<section class=\"report\"><h3>" + Esc(Str(r, "task")) + " · " +
                    Esc(Str(r, "file")) + "</h3>";
  if (r.value("simulate", false)) {
    out += "<p><span class=\"badge\">Simulation</span> nothing was written.</p>";
  }
  out += RenderTotals(r.value("totals", nlohmann::json::object()));
  const nlohmann::json lines = r.value("lines", nlohmann::json::array());
  size_t shown = 0;
  std::string failed = LinesTable(lines, true, &shown);
  if (shown > 0) {
    out += "<h4>Failed lines</h4>" + failed;
  } else {
    out += "<p>No line failed.</p>";
  }
  std::string all = LinesTable(lines, false, &shown);
  out += "<details><summary>Every line (" + std::to_string(lines.size()) + ")</summary>" + all;
  if (shown < lines.size()) {
    out += "<p class=\"muted\">The first " + std::to_string(shown) +
           " lines are shown; the stored report has them all.</p>";
  }
  out += "</details>";
  if (r.contains("notes") && r["notes"].is_array() && !r["notes"].empty()) {
    out += "<h4>Notes</h4><ul>";
    for (const auto& n : r["notes"]) {
      out += "<li>" + Esc(n.is_string() ? n.get<std::string>() : n.dump()) + "</li>";
    }
    out += "</ul>";
  }
  std::string report = Str(r, "report"), tryback = Str(r, "tryback");
  if (!report.empty() || !tryback.empty()) {
    out += "<p>";
    if (!report.empty()) out += "Report: " + FileLink(report) + " ";
    if (!tryback.empty()) out += "Tryback file: " + FileLink(tryback);
    out += "</p>";
  }
  return out + "</section>";
}

std::string RenderResult(const nlohmann::json& result) {
  if (!result.is_object()) return "";
  if (Str(result, "task") == "cleancats") {
    const auto& list = result.value("deleted", nlohmann::json::array());
    if (list.empty()) return "<p>No empty category: nothing deleted.</p>";
    std::string out = "<h3>Deleted categories (" + std::to_string(list.size()) + ")</h3><ul>";
    for (const auto& c : list) out += "<li>" + Esc(Str(c, "path")) + "</li>";
    return out + "</ul>";
  }
  const char* list_key = result.contains("runs") ? "runs" : "reports";
  if (result.contains(list_key) && result[list_key].is_array()) {
    std::string out;
    if (result.contains("problems") && result["problems"].is_array() &&
        !result["problems"].empty()) {
      out += "<h3>Tasks that did not run</h3><ul>";
      for (const auto& p : result["problems"]) {
        std::string text;
        if (p.is_array()) {
          for (const auto& part : p) {
            text += (text.empty() ? "" : " · ") +
                    (part.is_string() ? part.get<std::string>() : part.dump());
          }
        } else if (p.is_object()) {
          text = Str(p, "task") + ": " + Str(p, "reason") + Str(p, "message");
          if (p.contains("exit")) text += " (exit " + Str(p, "exit") + ")";
        } else {
          text = p.is_string() ? p.get<std::string>() : p.dump();
        }
        out += "<li>" + Esc(text) + "</li>";
      }
      out += "</ul>";
    }
    if (result[list_key].empty()) out += "<p>No task had a file to process.</p>";
    for (const auto& r : result[list_key]) out += RenderReport(r);
    return out;
  }
  return RenderReport(result);
}

}  // namespace cs::web
