#include "sync/settings.h"

#include <algorithm>
#include <cctype>

#include "sync/errors.h"

namespace cs::sync {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

using Norm = std::function<std::string(const std::string&)>;

Norm OneOf(std::string key, std::vector<std::string> allowed, bool case_insensitive = true) {
  return [key, allowed, case_insensitive](const std::string& raw) {
    std::string v = Trim(raw);
    for (const auto& a : allowed) {
      if (v == a || (case_insensitive && Lower(v) == Lower(a))) return a;
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw Rejected("invalid value '" + raw + "' for " + key + ": expected one of " + list);
  };
}

Norm Boolean(std::string key) {
  return [key](const std::string& raw) -> std::string {
    std::string v = Lower(Trim(raw));
    if (v == "1" || v == "yes" || v == "true" || v == "on") return "1";
    if (v == "0" || v == "no" || v == "false" || v == "off") return "0";
    throw Rejected("invalid value '" + raw + "' for " + key + ": expected 0 or 1");
  };
}

Norm IntRange(std::string key, long lo, long hi) {
  return [key, lo, hi](const std::string& raw) {
    std::string v = Trim(raw);
    bool digits = !v.empty() && v.size() <= 9 &&
                  std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); });
    long n = digits ? std::stol(v) : -1;
    if (!digits || n < lo || n > hi) {
      throw Rejected("invalid value '" + raw + "' for " + key + ": expected a whole number from " +
                     std::to_string(lo) + " to " + std::to_string(hi));
    }
    return std::to_string(n);
  };
}

// A file location inside the file area: a relative path, optionally with * ? wildcards in the
// name and a comma-separated list of candidates. Never absolute, never `..`, no URL.
Norm Location(std::string key) {
  return [key](const std::string& raw) {
    std::string v = Trim(raw);
    auto bad = [&](const std::string& why) {
      return Rejected("invalid value '" + raw + "' for " + key + ": " + why);
    };
    if (v.empty()) throw bad("a file name is required");
    size_t start = 0;
    while (start <= v.size()) {
      size_t comma = v.find(',', start);
      std::string part =
          Trim(v.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (part.empty()) throw bad("empty name in the candidate list");
      if (part.find("://") != std::string::npos) throw bad("remote locations are not supported");
      if (part[0] == '/' || part[0] == '\\') throw bad("must be relative to the file area");
      if (part.find('\\') != std::string::npos) throw bad("use / as the folder separator");
      size_t p = 0;
      while (p <= part.size()) {
        size_t slash = part.find('/', p);
        std::string seg =
            part.substr(p, slash == std::string::npos ? std::string::npos : slash - p);
        if (seg.empty() || seg == "." || seg == "..") throw bad("must stay inside the file area");
        if (slash == std::string::npos) break;
        p = slash + 1;
      }
      for (unsigned char c : part) {
        if (c < 0x20) throw bad("control characters are not allowed");
      }
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return v;
  };
}

std::vector<SettingDef> MakeDefs() {
  const std::vector<std::string> ids = {"idnumber", "shortname", "id"};
  std::vector<SettingDef> d;
  auto add = [&](std::string key, std::string def, std::string group, std::string label,
                 std::string help, Norm norm, std::vector<std::string> choices = {}) {
    d.push_back({key, def, label, help, group, std::move(norm), std::move(choices)});
  };
  const std::string files = "Files and runs";
  add("csvseparator", ";", files, "CSV field separator",
      "Separator of every command file: ; , : or tab.",
      OneOf("csvseparator", {";", ",", ":", "tab"}), {";", ",", ":", "tab"});
  add("encoding", "UTF-8", files, "Source file encoding",
      "Encoding of every command file. Tryback files are written in the same encoding.",
      OneOf("encoding", {"UTF-8", "ISO-8859-1", "Windows-1252"}),
      {"UTF-8", "ISO-8859-1", "Windows-1252"});
  add("simulate", "0", files, "Simulate",
      "Run every task as a dry run: same report, nothing written.", Boolean("simulate"));
  add("storereport", "1", files, "Store report file",
      "Keep a report of every run in files/reports/.", Boolean("storereport"));
  add("filearchive", "1", files, "Archive processed files",
      "Move each processed input into files/archives/ after a run that committed.",
      Boolean("filearchive"));
  add("filefailed", "1", files, "Tryback file",
      "Write the rejected lines (with the header) to files/failed/, ready to re-run.",
      Boolean("filefailed"));
  add("filecleanup", "0", files, "Clean up processed files",
      "Delete the processed input when it is not archived.", Boolean("filecleanup"));
  add("fileareacleanupdelay", "90", files, "Remove stored files older than (days)",
      "Archives, reports and tryback files older than this are removed by cleanup-files; 0 = "
      "never.",
      IntRange("fileareacleanupdelay", 0, 36500));
  const std::string create = "Course creation and update";
  add("courses_fileuploadlocation", "uploadcourses.csv", create, "Course creation file",
      "Name of the creation/update file in the file area (wildcards * ? pick the oldest match).",
      Location("courses_fileuploadlocation"));
  add("courses_fileuploadidentifier", "shortname", create, "Course identifier (creation file)",
      "Which column identifies an existing course.", OneOf("courses_fileuploadidentifier", ids),
      ids);
  add("courses_coursecategoryidentifier", "idname", create, "Course category identifier",
      "idname: a category id or a path A/B/C whose missing categories are created; idnumber: the "
      "category idnumber, which must exist.",
      OneOf("courses_coursecategoryidentifier", {"idname", "idnumber"}), {"idname", "idnumber"});
  add("courses_newcategoriesvisible", "1", create, "New categories are visible",
      "Categories created from paths are visible (1) or hidden (0).",
      Boolean("courses_newcategoriesvisible"));
  add("courses_protectcategory", "0", create, "Protect category on existing courses",
      "When on, an update never moves an existing course to another category.",
      Boolean("courses_protectcategory"));
  add("courses_forceupdate", "0", create, "Force course update",
      "When on, lines for existing courses update them (only the columns present in the file); "
      "when off they are skipped.",
      Boolean("courses_forceupdate"));
  add("courses_template_mode", "0", create, "Template content integration mode",
      "What a template does to an existing course on update: 0 nothing, 1 add its sections, 2 "
      "replace the sections.",
      IntRange("courses_template_mode", 0, 2), {"0", "1", "2"});
  const std::string other = "Deletion, check, reset and metacourses";
  add("courses_deletethreshold", "10", other, "Deletion safety threshold (%)",
      "A deletion run that would remove more than this percentage of the site's courses is "
      "refused unless --force is given.",
      IntRange("courses_deletethreshold", 0, 100));
  add("courses_filedeletelocation", "deletecourses.csv", other, "Course deletion file",
      "Name of the deletion file in the file area.", Location("courses_filedeletelocation"));
  add("courses_filedeleteidentifier", "shortname", other, "Deletion file identifier",
      "Identifier used in the deletion file.", OneOf("courses_filedeleteidentifier", ids), ids);
  add("courses_fileexistlocation", "courses.csv", other, "Course existence check file",
      "Name of the existence check file in the file area.", Location("courses_fileexistlocation"));
  add("courses_existfileidentifier", "shortname", other, "Existence check identifier",
      "Identifier used in the existence check file.", OneOf("courses_existfileidentifier", ids),
      ids);
  add("courses_fileresetlocation", "resetcourses.csv", other, "Course reset file",
      "Name of the reset (reinitialisation) file in the file area.",
      Location("courses_fileresetlocation"));
  add("courses_fileresetidentifier", "shortname", other, "Reset file identifier",
      "Identifier column of the reset file.", OneOf("courses_fileresetidentifier", ids), ids);
  add("courses_filemetabindinglocation", "metacourses.csv", other, "Metacourse binding file",
      "Name of the metacourse binding file in the file area.",
      Location("courses_filemetabindinglocation"));
  add("courses_filemetabindingidentifier", "shortname", other, "Metacourse binding identifier",
      "Identifier used for both courses of the metacourse binding file.",
      OneOf("courses_filemetabindingidentifier", ids), ids);
  return d;
}

}  // namespace

const std::vector<SettingDef>& Settings::Defs() {
  static const std::vector<SettingDef> defs = MakeDefs();
  return defs;
}

const SettingDef* Settings::Find(const std::string& key) {
  for (const auto& d : Defs()) {
    if (d.key == key) return &d;
  }
  return nullptr;
}

Settings::Settings(store::Db& db) : db_(db) {}

std::string Settings::Validate(const std::string& key, const std::string& value) {
  const SettingDef* d = Find(key);
  if (!d) throw Rejected("unknown setting '" + key + "' (see: coursesync config list)");
  return d->normalise(value);
}

std::string Settings::Get(const std::string& key) const {
  const SettingDef* d = Find(key);
  if (!d) throw Rejected("unknown setting '" + key + "' (see: coursesync config list)");
  auto st = db_.Prepare("SELECT value FROM {config_plugins} WHERE plugin='tool_sync' AND name=?");
  if (st->Run(key)) {
    // A value stored by an older release or by hand is used only if it is still valid.
    try {
      return d->normalise(st->Text(0));
    } catch (const Rejected&) {
    }
  }
  return d->default_value;
}

std::string Settings::Set(const std::string& key, const std::string& value) {
  std::string v = Validate(key, value);
  auto upd = db_.Prepare("UPDATE {config_plugins} SET value=? WHERE plugin='tool_sync' AND name=?");
  upd->Run(v, key);
  auto exists = db_.Prepare("SELECT 1 FROM {config_plugins} WHERE plugin='tool_sync' AND name=?");
  if (!exists->Run(key)) {
    db_.Execute("INSERT INTO {config_plugins} (plugin, name, value) VALUES ('tool_sync', ?, ?)",
                key, v);
  }
  return v;
}

std::vector<std::pair<std::string, std::string>> Settings::List() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& d : Defs()) out.emplace_back(d.key, Get(d.key));
  return out;
}

}  // namespace cs::sync
