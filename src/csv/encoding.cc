#include "csv/encoding.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>

namespace cs::csv {
namespace {

constexpr size_t kNpos = std::string_view::npos;

// Windows-1252 0x80-0x9F; 0 marks the five undefined bytes.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 0x80
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 0x88
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 0x90
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 0x98
};

std::string Lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return r;
}

void AppendCodePoint(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Length of the valid UTF-8 sequence starting at s[i] (1-4), or 0 when it is invalid (bad lead
// byte, truncated, bad continuation, overlong, surrogate, above U+10FFFF). Sets `cp`.
size_t DecodeUtf8At(std::string_view s, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  const size_t n = s.size();
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  if (c < 0xC2) return 0;  // continuation byte or overlong 2-byte lead
  if (c < 0xE0) {
    if (i + 1 >= n || (b(i + 1) & 0xC0) != 0x80) return 0;
    cp = ((c & 0x1Fu) << 6) | (b(i + 1) & 0x3Fu);
    return 2;
  }
  if (c < 0xF0) {
    if (i + 2 >= n) return 0;
    const unsigned char c1 = b(i + 1);
    if ((c1 & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && c1 < 0xA0) return 0;   // overlong
    if (c == 0xED && c1 >= 0xA0) return 0;  // UTF-16 surrogate
    cp = ((c & 0x0Fu) << 12) | ((c1 & 0x3Fu) << 6) | (b(i + 2) & 0x3Fu);
    return 3;
  }
  if (c < 0xF5) {
    if (i + 3 >= n) return 0;
    const unsigned char c1 = b(i + 1);
    if ((c1 & 0xC0) != 0x80 || (b(i + 2) & 0xC0) != 0x80 || (b(i + 3) & 0xC0) != 0x80) return 0;
    if (c == 0xF0 && c1 < 0x90) return 0;   // overlong
    if (c == 0xF4 && c1 >= 0x90) return 0;  // above U+10FFFF
    cp =
        ((c & 0x07u) << 18) | ((c1 & 0x3Fu) << 12) | ((b(i + 2) & 0x3Fu) << 6) | (b(i + 3) & 0x3Fu);
    return 4;
  }
  return 0;
}

// Offset of the first byte >= 0x80 at or after `i`, or s.size().
size_t SkipAscii(std::string_view s, size_t i) {
  const size_t n = s.size();
  while (i + 8 <= n) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if (w & 0x8080808080808080ULL) break;
    i += 8;
  }
  while (i < n && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  return i;
}

// Encodes one code point in a single-byte encoding; '?' when not representable.
char EncodeSingleByte(uint32_t cp, Encoding to) {
  if (cp < 0x80) return static_cast<char>(cp);
  if (to == Encoding::kIso88591) return cp <= 0xFF ? static_cast<char>(cp) : '?';
  // Windows-1252: 0xA0-0xFF as Latin-1, 0x80-0x9F from the table (C1 controls are not encodable).
  if (cp >= 0xA0 && cp <= 0xFF) return static_cast<char>(cp);
  for (size_t k = 0; k < kCp1252High.size(); ++k) {
    if (kCp1252High[k] != 0 && kCp1252High[k] == cp) return static_cast<char>(0x80 + k);
  }
  return '?';
}

}  // namespace

Encoding ParseEncoding(std::string_view name) {
  const std::string n = Lower(name);
  if (n == "utf-8" || n == "utf8") return Encoding::kUtf8;
  if (n == "iso-8859-1" || n == "iso8859-1" || n == "iso_8859-1" || n == "latin1" ||
      n == "latin-1") {
    return Encoding::kIso88591;
  }
  if (n == "windows-1252" || n == "cp1252" || n == "win1252" || n == "windows1252") {
    return Encoding::kWindows1252;
  }
  throw std::invalid_argument("unknown encoding '" + std::string(name) +
                              "' (accepted: UTF-8, ISO-8859-1, Windows-1252)");
}

std::string EncodingName(Encoding e) {
  switch (e) {
    case Encoding::kUtf8:
      return "UTF-8";
    case Encoding::kIso88591:
      return "ISO-8859-1";
    case Encoding::kWindows1252:
      return "Windows-1252";
  }
  return "UTF-8";
}

size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  uint32_t cp;
  while (true) {
    i = SkipAscii(s, i);
    if (i >= s.size()) return kNpos;
    const size_t len = DecodeUtf8At(s, i, cp);
    if (len == 0) return i;
    i += len;
  }
}

size_t AppendUtf8(std::string_view in, Encoding from, std::string& out) {
  if (from == Encoding::kUtf8) {
    const size_t bad = FindInvalidUtf8(in);
    out.append(in.substr(0, bad));
    return bad;
  }
  size_t i = 0;
  while (i < in.size()) {
    const size_t j = SkipAscii(in, i);
    out.append(in.data() + i, j - i);
    if (j == in.size()) break;
    const auto c = static_cast<unsigned char>(in[j]);
    uint32_t cp = c;
    if (from == Encoding::kWindows1252 && c < 0xA0) {
      cp = kCp1252High[c - 0x80];
      if (cp == 0) return j;
    }
    AppendCodePoint(cp, out);
    i = j + 1;
  }
  return kNpos;
}

std::string FromUtf8(std::string_view utf8, Encoding to) {
  if (to == Encoding::kUtf8) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  uint32_t cp;
  while (i < utf8.size()) {
    const size_t j = SkipAscii(utf8, i);
    out.append(utf8.data() + i, j - i);
    if (j == utf8.size()) break;
    const size_t len = DecodeUtf8At(utf8, j, cp);
    if (len == 0) {
      out.push_back('?');
      i = j + 1;
    } else {
      out.push_back(EncodeSingleByte(cp, to));
      i = j + len;
    }
  }
  return out;
}

}  // namespace cs::csv
