#include "sync/values.h"

#include <array>
#include <cctype>
#include <ctime>

namespace cs::sync {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r' || s[b] == '\n')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n')) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::optional<int64_t> ParseInt(std::string_view t) {
  if (t.empty() || t.size() > 18) return std::nullopt;
  size_t i = 0;
  bool neg = false;
  if (t[0] == '-') {
    neg = true;
    i = 1;
    if (t.size() == 1) return std::nullopt;
  }
  int64_t v = 0;
  for (; i < t.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return std::nullopt;
    v = v * 10 + (t[i] - '0');
  }
  return neg ? -v : v;
}

std::optional<int64_t> ParseId(std::string_view t) {
  if (t.empty() || t[0] == '0') return std::nullopt;
  for (const char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  return ParseInt(t);
}

std::string Excerpt(std::string_view s, size_t max_chars) {
  const size_t n = Utf8Length(s);
  if (n <= max_chars) return std::string(s);
  size_t end = 0;
  for (size_t chars = 0; end < s.size(); ++end) {
    if ((static_cast<unsigned char>(s[end]) & 0xC0) != 0x80 && chars++ == max_chars) break;
  }
  return std::string(s.substr(0, end)) + "... (" + std::to_string(n) + " characters)";
}

std::optional<bool> ParseBool(std::string_view text) {
  std::string v = Lower(text);
  if (v == "1" || v == "yes" || v == "true" || v == "on") return true;
  if (v == "0" || v == "no" || v == "false" || v == "off") return false;
  return std::nullopt;
}

namespace {

// mktime() of a local date and time, nullopt for a day the month does not have (2025-02-30).
// glibc's mktime() runs tzset(), which stats /etc/localtime on every call when TZ is unset: a
// system call per date cell, a tenth of a creation run's line checks. A file holds few distinct
// dates, so each thread keeps the last results (the time zone does not change during a run).
std::optional<int64_t> LocalTime(int y, int m, int d, int hh, int mm, int ss) {
  struct Entry {
    uint64_t key = 0;  // 0: empty (no valid date packs to 0: the year is at least 1970)
    std::optional<int64_t> value;
  };
  constexpr size_t kEntries = 64;
  thread_local std::array<Entry, kEntries> cache;
  uint64_t key = ((((static_cast<uint64_t>(y) * 13 + m) * 32 + d) * 24 + hh) * 60 + mm) * 60 + ss;
  Entry& e = cache[(key ^ (key >> 17)) % kEntries];
  if (e.key == key) return e.value;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  tm.tm_sec = ss;
  tm.tm_isdst = -1;
  std::time_t v = std::mktime(&tm);
  e.key = key;
  e.value =
      v == -1 || tm.tm_mday != d || tm.tm_mon != m - 1 ? std::nullopt : std::optional<int64_t>(v);
  return e.value;
}

}  // namespace

std::optional<int64_t> ParseDate(std::string_view t) {
  bool digits = !t.empty();
  for (char c : t) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) {
    if (t.size() > 12) return std::nullopt;
    return ParseInt(t);
  }
  // YYYY-MM-DD[ hh:mm[:ss]] (also 'T' between date and time)
  auto num = [&](size_t pos, size_t len) -> int {
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (i >= t.size() || !std::isdigit(static_cast<unsigned char>(t[i]))) return -1;
      v = v * 10 + (t[i] - '0');
    }
    return v;
  };
  if (t.size() != 10 && t.size() != 16 && t.size() != 19) return std::nullopt;
  if (t[4] != '-' || t[7] != '-') return std::nullopt;
  int y = num(0, 4), m = num(5, 2), d = num(8, 2);
  int hh = 0, mm = 0, ss = 0;
  if (t.size() >= 16) {
    if ((t[10] != ' ' && t[10] != 'T') || t[13] != ':') return std::nullopt;
    hh = num(11, 2);
    mm = num(14, 2);
    if (t.size() == 19) {
      if (t[16] != ':') return std::nullopt;
      ss = num(17, 2);
    }
  }
  if (y < 1970 || m < 1 || m > 12 || d < 1 || d > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 ||
      ss < 0 || ss > 59) {
    return std::nullopt;
  }
  return LocalTime(y, m, d, hh, mm, ss);
}

}  // namespace cs::sync
