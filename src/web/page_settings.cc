// The settings page: every setting of the contract, grouped and ordered as on the original's
// screen, each with its help text. Saving validates every field first (errors shown beside their
// fields, nothing saved), then writes only the keys this page owns whose value changed; other
// keys of the plugin are never touched (the original wiped them).
#include <map>
#include <set>

#include "sync/errors.h"
#include "sync/settings.h"
#include "web/html.h"
#include "web/pages.h"

namespace cs::web {
namespace {

struct Section {
  std::string title;
  std::vector<std::string> keys;
};

// The original's order (tool_sync.md §1.1, §5.1); keys defined later are appended to "Other".
std::vector<Section> Sections() {
  std::vector<Section> s = {
      {"Course files",
       {"courses_fileuploadlocation", "courses_fileuploadidentifier",
        "courses_coursecategoryidentifier", "courses_newcategoriesvisible",
        "courses_protectcategory", "courses_filedeletelocation", "courses_filedeleteidentifier",
        "courses_fileexistlocation", "courses_existfileidentifier", "courses_fileresetlocation",
        "courses_fileresetidentifier", "courses_filemetabindinglocation",
        "courses_filemetabindingidentifier", "courses_forceupdate", "courses_template_mode"}},
      {"Files and runs",
       {"csvseparator", "encoding", "simulate", "filearchive", "filefailed", "storereport",
        "filecleanup", "fileareacleanupdelay", "courses_deletethreshold"}},
  };
  std::set<std::string> placed;
  for (auto& sec : s) {
    std::vector<std::string> known;
    for (const auto& k : sec.keys) {
      if (sync::Settings::Find(k)) {
        known.push_back(k);
        placed.insert(k);
      }
    }
    sec.keys = known;
  }
  Section other{"Other", {}};
  for (const auto& d : sync::Settings::Defs()) {
    if (!placed.count(d.key)) other.keys.push_back(d.key);
  }
  if (!other.keys.empty()) s.push_back(other);
  return s;
}

bool Accepts(const std::string& key, const std::string& v) {
  try {
    sync::Settings::Validate(key, v);
    return true;
  } catch (const sync::Rejected&) {
    return false;
  }
}

// A 0/1 setting: accepts 0 and 1 and nothing else numeric.
bool IsBoolean(const sync::SettingDef& d) {
  return d.choices.empty() && Accepts(d.key, "0") && Accepts(d.key, "1") && !Accepts(d.key, "2");
}

std::string ChoiceText(const std::string& key, const std::string& v) {
  if (key == "courses_template_mode") {
    if (v == "0") return "0 · do nothing";
    if (v == "1") return "1 · add content to the course";
    if (v == "2") return "2 · replace the course content";
  }
  if (key == "csvseparator") {
    if (v == ";") return "; (semicolon)";
    if (v == ",") return ", (comma)";
    if (v == ":") return ": (colon)";
    if (v == "tab") return "tab";
  }
  if (key == "courses_coursecategoryidentifier") {
    if (v == "idname") return "idname · category id or path A/B/C (created when missing)";
    if (v == "idnumber") return "idnumber · category ID number";
  }
  return v;
}

std::string Field(const sync::SettingDef& d, const std::string& value, const std::string& error) {
  FieldOptions o;
  o.help = d.help + " (" + d.key + ", default " +
           (d.default_value.empty() ? "empty" : d.default_value) + ")";
  o.error = error;
  if (IsBoolean(d)) return YesNoField(d.key, d.label, value == "1", o);
  if (!d.choices.empty()) {
    std::vector<std::pair<std::string, std::string>> opts;
    for (const auto& ch : d.choices) opts.emplace_back(ch, ChoiceText(d.key, ch));
    return SelectField(d.key, d.label, opts, value, o);
  }
  bool numeric = Accepts(d.key, "0") && Accepts(d.key, "2") && !Accepts(d.key, "x");
  if (numeric) {
    o.type = "number";
    o.extra = "min=\"0\" inputmode=\"numeric\"";
  }
  return InputField(d.key, d.label, value, o);
}

void Show(Ctx& c, const std::map<std::string, std::string>& values,
          const std::map<std::string, std::string>& errors, int status) {
  std::string body;
  if (!errors.empty()) {
    body += Notice("error", "Nothing was saved: " + std::to_string(errors.size()) +
                                " field(s) need a correction (see below).");
  }
  body += "<form method=\"post\" action=\"/settings\" novalidate>" + CsrfField(c.csrf());
  for (const auto& sec : Sections()) {
    body += "<h2>" + Esc(sec.title) + "</h2>";
    for (const auto& key : sec.keys) {
      const sync::SettingDef* d = sync::Settings::Find(key);
      auto v = values.find(key);
      auto e = errors.find(key);
      body += Field(*d, v == values.end() ? "" : v->second, e == errors.end() ? "" : e->second);
    }
  }
  body += "<p><button type=\"submit\">Save the settings</button></p></form>";
  c.Page("Settings", "settings", body, status);
}

}  // namespace

void RegisterSettingsPages(Router& r) {
  r.Page("/settings", [](Ctx& c) {
    sync::Settings settings(c.db());
    std::map<std::string, std::string> values;
    for (const auto& [k, v] : settings.List()) values[k] = v;
    Show(c, values, {}, 200);
  });

  r.Action("/settings", [](Ctx& c) {
    sync::Settings settings(c.db());
    std::map<std::string, std::string> values, errors, normalised;
    for (const auto& [k, v] : settings.List()) values[k] = v;
    for (const auto& sec : Sections()) {
      for (const auto& key : sec.keys) {
        if (!c.Has(key)) continue;  // not submitted: left as it is
        std::string raw = c.Param(key);
        values[key] = raw;
        try {
          normalised[key] = sync::Settings::Validate(key, raw);
        } catch (const sync::Rejected& e) {
          errors[key] = e.what();
        }
      }
    }
    if (!errors.empty()) {
      Show(c, values, errors, 400);
      return;
    }
    int changed = 0;
    store::Transaction tx(c.db());
    for (const auto& [key, v] : normalised) {
      if (settings.Get(key) == v) continue;
      settings.Set(key, v);
      ++changed;
    }
    tx.Commit();
    c.Redirect("/settings", "ok",
               changed == 0 ? "Nothing to save: no setting changed."
                            : "Settings saved (" + std::to_string(changed) + " changed).");
  });
}

}  // namespace cs::web
