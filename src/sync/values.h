// Parsing of cell values shared by the command files: dates, integers, booleans.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cs::sync {

// `YYYY-MM-DD`, `YYYY-MM-DD hh:mm`, `YYYY-MM-DD hh:mm:ss` (local time) or a Unix timestamp
// (digits only). nullopt when the text is none of these or not a real date.
std::optional<int64_t> ParseDate(std::string_view text);
// A whole number (optional leading '-'), no spaces, no decimals. nullopt otherwise.
std::optional<int64_t> ParseInt(std::string_view text);
// A record id as written by Moodle: digits, no sign, no leading zero ("007" is text, not 7).
// nullopt otherwise.
std::optional<int64_t> ParseId(std::string_view text);
// yes/no words: 1 yes true on / 0 no false off (case-insensitive). nullopt otherwise.
std::optional<bool> ParseBool(std::string_view text);
std::string Trim(std::string_view s);
std::string Lower(std::string_view s);
// Number of Unicode characters in a UTF-8 string.
size_t Utf8Length(std::string_view s);
// `s` for a message: whole when at most `max_chars` characters, else its start (cut on a
// character boundary) followed by "... (N characters)".
std::string Excerpt(std::string_view s, size_t max_chars = 80);

}  // namespace cs::sync
