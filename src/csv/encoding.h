// Input encodings of command files and their conversion to UTF-8 (glibc iconv).
#pragma once

#include <string>
#include <string_view>

namespace cs::csv {

enum class Encoding { kUtf8, kIso88591, kWindows1252 };

// "UTF-8", "ISO-8859-1", "Windows-1252" (case-insensitive; "latin1", "cp1252", "utf8" accepted).
// Throws std::invalid_argument naming the accepted values.
Encoding ParseEncoding(std::string_view name);
std::string EncodingName(Encoding e);  // canonical: "UTF-8", "ISO-8859-1", "Windows-1252"

// Convert a UTF-8 string to the given encoding (for tryback files written in the input's
// encoding). Characters that cannot be represented become '?'.
std::string FromUtf8(std::string_view utf8, Encoding to);

// Validate UTF-8: returns the byte offset of the first invalid sequence, or npos.
size_t FindInvalidUtf8(std::string_view s);

}  // namespace cs::csv
