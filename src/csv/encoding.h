// Input encodings of command files and their conversion to and from UTF-8 (direct tables: the
// three encodings are single-byte or UTF-8, so no iconv state is needed).
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

// Decode `in` (in encoding `from`) to UTF-8 and append it to `out`. Returns npos on success, or the
// byte offset in `in` of the first byte that cannot be decoded (a byte undefined in Windows-1252:
// 0x81 0x8D 0x8F 0x90 0x9D; the start of an invalid UTF-8 sequence); `out` then holds the text
// decoded before it. NUL bytes are decoded (they are valid in all three encodings).
size_t AppendUtf8(std::string_view in, Encoding from, std::string& out);

}  // namespace cs::csv
