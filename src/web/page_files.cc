// The file manager: list, upload, download, view and delete the command files, archives,
// tryback files, reports and uploads of the file area. Every name goes through
// FileArea::SafePath; uploads keep only their base name.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sync/errors.h"
#include "web/html.h"
#include "web/pages.h"
#include "web/uploads.h"

namespace fs = std::filesystem;

namespace cs::web {
namespace {

constexpr uintmax_t kMaxView = 2u << 20;

// The folders of files/ shown by the manager ("" is files/ itself).
const std::vector<std::pair<std::string, std::string>>& Folders() {
  static const std::vector<std::pair<std::string, std::string>> f = {{"", "Command files"},
                                                                     {"uploads", "Uploads"},
                                                                     {"archives", "Archives"},
                                                                     {"failed", "Tryback files"},
                                                                     {"reports", "Reports"}};
  return f;
}

std::string FolderParam(const Ctx& c) {
  std::string d = c.Param("dir");
  for (const auto& [k, v] : Folders()) {
    if (k == d) return d;
  }
  return "";
}

std::string ReadAll(const fs::path& p, uintmax_t max) {
  std::error_code ec;
  uintmax_t size = fs::file_size(p, ec);
  if (ec) return "";
  std::ifstream f(p, std::ios::binary);
  std::string s(static_cast<size_t>(std::min(size, max)), '\0');
  f.read(s.data(), static_cast<std::streamsize>(s.size()));
  s.resize(static_cast<size_t>(f.gcount()));
  return s;
}

// The file named by ?path= (relative to files/); Rejected when unsafe, 404 when absent.
std::optional<fs::path> FileOf(Ctx& c) {
  fs::path p = c.app.area().SafePath(c.Param("path"));
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) {
    c.Fail(404, "no such file: " + c.Param("path"));
    return std::nullopt;
  }
  return p;
}

std::string ContentType(const fs::path& p) {
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char ch) { return std::tolower(ch); });
  if (ext == ".json") return "application/json";
  if (ext == ".csv") return "text/csv; charset=utf-8";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace

void RegisterFilePages(Router& r) {
  r.Page("/files", [](Ctx& c) {
    std::string dir = FolderParam(c);
    fs::path folder = dir.empty() ? c.app.area().files_dir() : c.app.area().SafePath(dir);
    std::string body = "<nav aria-label=\"Folders\"><ul class=\"totals\">";
    for (const auto& [k, v] : Folders()) {
      body += "<li><a href=\"/files" + Esc(Query({{"dir", k}})) + "\"" +
              (k == dir ? " aria-current=\"page\"" : "") + ">" + Esc(v) + "</a></li>";
    }
    body += "</ul></nav>";
    struct Entry {
      std::string name;
      uintmax_t size;
      fs::file_time_type when;
    };
    std::vector<Entry> entries;
    std::error_code ec;
    if (fs::is_directory(folder, ec)) {
      for (const auto& e : fs::directory_iterator(folder, ec)) {
        if (!e.is_regular_file(ec)) continue;
        std::string name = e.path().filename().string();
        if (name.size() > 10 && name.compare(name.size() - 10, 10, ".uploading") == 0) continue;
        entries.push_back({name, e.file_size(ec), e.last_write_time(ec)});
      }
    }
    std::sort(entries.begin(), entries.end(),
              [](const Entry& a, const Entry& b) { return a.when > b.when; });
    body += "<h2>" + Esc(dir.empty() ? "files/" : "files/" + dir + "/") + " (" +
            std::to_string(entries.size()) + ")</h2>";
    if (entries.empty()) {
      body += "<p>No file here.</p>";
    } else {
      body +=
          "<table><thead><tr><th scope=\"col\">Name</th><th scope=\"col\" class=\"num\">Size</th>"
          "<th scope=\"col\">Modified</th><th scope=\"col\">Actions</th></tr></thead><tbody>";
      for (const auto& e : entries) {
        std::string rel = dir.empty() ? e.name : dir + "/" + e.name;
        auto secs = std::chrono::duration_cast<std::chrono::seconds>(
                        e.when - fs::file_time_type::clock::now() +
                        std::chrono::system_clock::now().time_since_epoch())
                        .count();
        body += "<tr><td><a href=\"/files/view" + Esc(Query({{"path", rel}})) + "\">" +
                Esc(e.name) + "</a></td><td class=\"num\">" + Esc(FormatSize(e.size)) +
                "</td><td>" + Esc(FormatTime(secs)) + "</td><td><a href=\"/files/download" +
                Esc(Query({{"path", rel}})) +
                "\">Download</a> <form class=\"inline\" "
                "method=\"post\" action=\"/files/delete\">" +
                CsrfField(c.csrf()) + "<input type=\"hidden\" name=\"path\" value=\"" + Esc(rel) +
                "\"><button type=\"submit\" class=\"secondary\" aria-label=\"Delete " +
                Esc(e.name) + "\" data-confirm=\"Delete " + Esc(e.name) +
                "?\">Delete</button></form></td></tr>";
      }
      body += "</tbody></table>";
    }
    body +=
        "<h2>Upload</h2><form method=\"post\" action=\"/files/upload\" "
        "enctype=\"multipart/form-data\">" +
        CsrfField(c.csrf());
    std::vector<std::pair<std::string, std::string>> targets;
    for (const auto& [k, v] : Folders())
      targets.emplace_back(k, k.empty() ? "files/" : "files/" + k + "/");
    body += SelectField("dir", "Folder", targets, dir);
    body +=
        "<div class=\"field\"><label for=\"f-file\">File</label><input type=\"file\" "
        "id=\"f-file\" name=\"file\" required></div><p class=\"help\">A command file "
        "uploaded to files/ under its configured name (e.g. uploadcourses.csv) is picked up "
        "by the next run. An existing file of the same name is replaced.</p>"
        "<p><button type=\"submit\">Upload</button></p></form>";
    c.Page("Files", "files", body);
  });

  r.Action("/files/upload", [](Ctx& c) {
    const auto* f = c.Upload("file");
    if (!f) {
      c.Redirect("/files", "error", "Choose a file to upload.");
      return;
    }
    std::string dir = FolderParam(c);
    fs::path p = SaveUpload(c.app.area(), dir, f->filename, f->content, false);
    c.Redirect(
        "/files" + Query({{"dir", dir}}), "ok",
        "Uploaded " + c.app.area().DisplayName(p) + " (" + FormatSize(f->content.size()) + ").");
  });

  r.Page("/files/download", [](Ctx& c) {
    auto p = FileOf(c);
    if (!p) return;
    std::string name = p->filename().string();
    std::string ascii;
    for (char ch : name) {
      ascii += (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 32 ||
                static_cast<unsigned char>(ch) > 126)
                   ? '_'
                   : ch;
    }
    c.res.set_header("Content-Disposition",
                     "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + UrlEncode(name));
    c.res.set_content(ReadAll(*p, UINTMAX_MAX), ContentType(*p));
  });

  r.Page("/files/view", [](Ctx& c) {
    auto p = FileOf(c);
    if (!p) return;
    std::error_code ec;
    uintmax_t size = fs::file_size(*p, ec);
    std::string rel = c.Param("path");
    std::string body = "<p>" + Esc(FormatSize(size)) + " · <a href=\"/files/download" +
                       Esc(Query({{"path", rel}})) + "\">Download</a></p>";
    std::string content = ReadAll(*p, kMaxView);
    if (size > kMaxView) {
      body += Notice("info", "Only the first " + FormatSize(kMaxView) + " are shown.");
    }
    body += "<pre>" + Esc(content) + "</pre>";
    c.Page("files/" + rel, "files", body);
  });

  r.Action("/files/delete", [](Ctx& c) {
    std::string rel = c.Param("path");
    fs::path p = c.app.area().SafePath(rel);
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      c.Redirect("/files", "error", "No such file: " + rel);
      return;
    }
    fs::remove(p, ec);
    std::string dir = fs::path(rel).parent_path().string();
    if (ec) {
      c.Redirect("/files" + Query({{"dir", dir}}), "error",
                 "Cannot delete " + rel + ": " + ec.message());
    } else {
      c.Redirect("/files" + Query({{"dir", dir}}), "ok", "Deleted " + rel + ".");
    }
  });
}

}  // namespace cs::web
