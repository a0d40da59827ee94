// HTML rendering helpers shared by every page: escaping of every value taken from data or from a
// request, URL encoding, dates, and small form building blocks. Pages build their markup from
// these, so no value reaches the output unescaped.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cs::web {

// Escapes & < > " ' for use in element content and in quoted attribute values.
std::string Esc(std::string_view s);

// Percent-encodes everything but unreserved characters (RFC 3986), for query strings.
std::string UrlEncode(std::string_view s);

// A query string from pairs, values encoded: "?a=1&b=x%20y" (empty pairs are left out).
std::string Query(const std::vector<std::pair<std::string, std::string>>& params);

// Local date and time "YYYY-MM-DD HH:MM:SS"; "" for 0.
std::string FormatTime(int64_t unix_time);

// A human size: "512 B", "3.4 KiB", "1.2 MiB".
std::string FormatSize(uint64_t bytes);

// The hidden field carrying the session's CSRF token in a form.
std::string CsrfField(const std::string& token);

// <label for=id>label</label> and an <input>; `help` goes in a described-by hint, `error`
// (escaped) beside the field with aria-invalid.
struct FieldOptions {
  std::string type = "text";
  std::string help;
  std::string error;
  std::string extra;  // raw trusted attributes, e.g. "required"
};
std::string InputField(const std::string& name, const std::string& label, const std::string& value,
                       const FieldOptions& o = {});

// A <select> with (value, text) options; `selected` is the current value.
std::string SelectField(const std::string& name, const std::string& label,
                        const std::vector<std::pair<std::string, std::string>>& options,
                        const std::string& selected, const FieldOptions& o = {});

// A Yes/No radio group in a fieldset (values 1 / 0).
std::string YesNoField(const std::string& name, const std::string& label, bool value,
                       const FieldOptions& o = {});

// A message box: kind is "ok", "error" or "info"; text is escaped.
std::string Notice(const std::string& kind, const std::string& text);

// What the page frame needs to know about the request.
struct Frame {
  std::string title;
  std::string active;  // the nav entry to highlight ("run", "utilities", ...)
  std::string user;    // empty: not logged in (no navigation)
  std::string csrf;    // for the logout form
  std::string flash_kind, flash_text;
};

// The whole document: head, navigation, main content (`body` is trusted markup).
std::string Layout(const Frame& frame, const std::string& body);

}  // namespace cs::web
