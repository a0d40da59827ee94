#include "web/html.h"

#include <cstdio>
#include <ctime>

namespace cs::web {

std::string Esc(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string UrlEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string Query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    out += out.empty() ? "?" : "&";
    out += UrlEncode(k) + "=" + UrlEncode(v);
  }
  return out;
}

std::string FormatTime(int64_t unix_time) {
  if (unix_time <= 0) return "";
  std::time_t t = static_cast<std::time_t>(unix_time);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
  return buf;
}

std::string FormatSize(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < 1024ull * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", static_cast<double>(bytes) / 1024);
  } else if (bytes < 1024ull * 1024 * 1024) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", static_cast<double>(bytes) / (1024 * 1024));
  } else {
    std::snprintf(buf, sizeof buf, "%.1f GiB", static_cast<double>(bytes) / (1024 * 1024 * 1024));
  }
  return buf;
}

std::string CsrfField(const std::string& token) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Esc(token) + "\">";
}

namespace {

std::string FieldId(const std::string& name) { return "f-" + Esc(name); }

// The hint and error paragraphs of a field, and the aria attributes pointing at them.
std::pair<std::string, std::string> Describe(const std::string& name, const FieldOptions& o) {
  std::string attrs, after;
  std::string ids;
  if (!o.help.empty()) {
    ids += "h-" + Esc(name);
    after += "<p class=\"help\" id=\"h-" + Esc(name) + "\">" + Esc(o.help) + "</p>";
  }
  if (!o.error.empty()) {
    ids += std::string(ids.empty() ? "" : " ") + "e-" + Esc(name);
    after += "<p class=\"field-error\" id=\"e-" + Esc(name) + "\" role=\"alert\">" + Esc(o.error) +
             "</p>";
    attrs += " aria-invalid=\"true\"";
  }
  if (!ids.empty()) attrs += " aria-describedby=\"" + ids + "\"";
  return {attrs, after};
}

}  // namespace

std::string InputField(const std::string& name, const std::string& label, const std::string& value,
                       const FieldOptions& o) {
  auto [attrs, after] = Describe(name, o);
  std::string cls = o.error.empty() ? "field" : "field has-error";
  return "<div class=\"" + cls + "\"><label for=\"" + FieldId(name) + "\">" + Esc(label) +
         "</label><input type=\"" + Esc(o.type) + "\" id=\"" + FieldId(name) + "\" name=\"" +
         Esc(name) + "\" value=\"" + Esc(value) + "\"" + attrs + (o.extra.empty() ? "" : " ") +
         o.extra + ">" + after + "</div>";
}

std::string SelectField(const std::string& name, const std::string& label,
                        const std::vector<std::pair<std::string, std::string>>& options,
                        const std::string& selected, const FieldOptions& o) {
  auto [attrs, after] = Describe(name, o);
  std::string cls = o.error.empty() ? "field" : "field has-error";
  std::string out = "<div class=\"" + cls + "\"><label for=\"" + FieldId(name) + "\">" +
                    Esc(label) + "</label><select id=\"" + FieldId(name) + "\" name=\"" +
                    Esc(name) + "\"" + attrs + (o.extra.empty() ? "" : " ") + o.extra + ">";
  for (const auto& [v, text] : options) {
    out += "<option value=\"" + Esc(v) + "\"" + (v == selected ? " selected" : "") + ">" +
           Esc(text) + "</option>";
  }
  return out + "</select>" + after + "</div>";
}

std::string YesNoField(const std::string& name, const std::string& label, bool value,
                       const FieldOptions& o) {
  auto [attrs, after] = Describe(name, o);
  std::string cls = o.error.empty() ? "field yesno" : "field yesno has-error";
  std::string n = Esc(name);
  return "<fieldset class=\"" + cls + "\"" + attrs + "><legend>" + Esc(label) + "</legend>" +
         "<label><input type=\"radio\" name=\"" + n + "\" value=\"1\"" + (value ? " checked" : "") +
         "> Yes</label> <label><input type=\"radio\" name=\"" + n + "\" value=\"0\"" +
         (value ? "" : " checked") + "> No</label>" + after + "</fieldset>";
}

std::string Notice(const std::string& kind, const std::string& text) {
  std::string role = kind == "error" ? "alert" : "status";
  return "<div class=\"notice notice-" + Esc(kind) + "\" role=\"" + role + "\">" + Esc(text) +
         "</div>";
}

std::string Layout(const Frame& frame, const std::string& body) {
  static const std::vector<std::pair<std::string, std::string>> kNav = {
      {"run", "Run"},         {"utilities", "Utilities"}, {"files", "Files"},
      {"history", "History"}, {"settings", "Settings"},   {"tokens", "API tokens"},
      {"account", "Account"}};
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      Esc(frame.title) +
      " · coursesync</title><link rel=\"stylesheet\" href=\"/static/style.css\">"
      "<script src=\"/static/app.js\" defer></script></head><body>"
      "<a class=\"skip\" href=\"#main\">Skip to content</a><header class=\"top\">"
      "<span class=\"brand\">coursesync</span>";
  if (!frame.user.empty()) {
    out += "<nav aria-label=\"Main\"><ul>";
    for (const auto& [key, text] : kNav) {
      bool on = key == frame.active;
      out += "<li><a href=\"/" + key + "\"" + (on ? " aria-current=\"page\"" : "") + ">" +
             Esc(text) + "</a></li>";
    }
    out += "</ul></nav><form class=\"logout\" method=\"post\" action=\"/logout\">" +
           CsrfField(frame.csrf) + "<span class=\"user\">" + Esc(frame.user) +
           "</span> <button type=\"submit\">Log out</button></form>";
  }
  out += "</header><main id=\"main\"><h1>" + Esc(frame.title) + "</h1>";
  if (!frame.flash_text.empty()) out += Notice(frame.flash_kind, frame.flash_text);
  out += body;
  out += "</main></body></html>\n";
  return out;
}

}  // namespace cs::web
