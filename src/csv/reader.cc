#include "csv/reader.h"

#include <cstring>
#include <string_view>
#include <utility>

namespace cs::csv {
namespace {

constexpr size_t kNpos = std::string_view::npos;
// Bytes read from the stream at a time. Memory use is this buffer plus the current record.
constexpr size_t kBufferSize = size_t{1} << 16;
constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string FormatError(const std::string& file, int64_t line, int64_t column,
                        const std::string& reason) {
  std::string s = file.empty() ? "<input>" : file;
  if (line > 0) {
    s += ": line " + std::to_string(line);
    if (column > 0) s += ", column " + std::to_string(column);
  }
  s += ": ";
  s += reason;
  return s;
}

// Number of characters in valid UTF-8 text (bytes that are not continuation bytes).
int64_t CharCount(std::string_view s) {
  int64_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string Hex(unsigned char b) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  return std::string("0x") + kDigits[b >> 4] + kDigits[b & 0xF];
}

// Comment (`#...`, `//...`) or blank (empty or only spaces/tabs) line.
bool IsSkippable(std::string_view l) {
  if (l.empty() || l[0] == '#') return true;
  if (l.size() >= 2 && l[0] == '/' && l[1] == '/') return true;
  for (const char c : l) {
    if (c != ' ' && c != '\t') return false;
  }
  return true;
}

}  // namespace

CsvError::CsvError(std::string file, int64_t line, int64_t column, std::string reason)
    : std::runtime_error(FormatError(file, line, column, reason)),
      file_(std::move(file)),
      line_(line),
      column_(column),
      reason_(std::move(reason)) {}

// Reading is two-level: ReadRawLine() cuts the next physical line out of a fixed-size buffer
// (CR, LF and CRLF all end a line), NextLine() decodes/validates it to UTF-8, and ParseRecord()
// splits the decoded line into fields, pulling further physical lines while inside quotes.
class Reader::Impl {
 public:
  Impl(std::istream& in, std::string name, ReaderOptions options)
      : in_(in), name_(std::move(name)), opt_(options), buf_(new char[kBufferSize]) {}

  bool Next(Record& record) {
    do {
      if (!NextLine()) return false;
    } while (opt_.skip_comments && IsSkippable(line_));
    record.line = line_no_;
    nf_ = 0;
    if (opt_.split) {
      ParseRecord(record);
    } else {
      NewField(record).assign(line_);
    }
    record.fields.resize(nf_);
    record.end_line = line_no_;
    return true;
  }

 private:
  bool Refill() {
    pos_ = 0;
    end_ = 0;
    if (!in_.good()) return false;
    in_.read(buf_.get(), kBufferSize);
    end_ = static_cast<size_t>(in_.gcount());
    return end_ > 0;
  }

  // Reads the next physical line into raw_ (without its terminator, kept in term_; empty for a
  // last line without line break). Returns false at end of input.
  bool ReadRawLine() {
    raw_.clear();
    term_ = {};
    bool any = false;
    while (true) {
      if (pos_ == end_ && !Refill()) return any;
      any = true;
      const char* p = buf_.get() + pos_;
      const char* e = buf_.get() + end_;
      const char* q = p;
      while (q != e && *q != '\n' && *q != '\r') ++q;
      raw_.append(p, q);
      if (raw_.size() > opt_.max_record_bytes) FailTooLong(line_no_ + 1, 0);
      pos_ = static_cast<size_t>(q - buf_.get());
      if (q == e) continue;
      ++pos_;
      if (*q == '\n') {
        term_ = "\n";
      } else if ((pos_ != end_ || Refill()) && buf_[pos_] == '\n') {
        ++pos_;
        term_ = "\r\n";
      } else {
        term_ = "\r";
      }
      return true;
    }
  }

  // Reads, decodes and validates the next physical line into line_. Returns false at end of input.
  bool NextLine() {
    if (!ReadRawLine()) return false;
    ++line_no_;
    std::string_view raw = raw_;
    if (line_no_ == 1 && opt_.encoding == Encoding::kUtf8 && raw.starts_with(kUtf8Bom)) {
      raw.remove_prefix(kUtf8Bom.size());
    }
    const void* nul = std::memchr(raw.data(), 0, raw.size());
    const size_t nul_at =
        nul ? static_cast<size_t>(static_cast<const char*>(nul) - raw.data()) : kNpos;
    if (opt_.encoding == Encoding::kUtf8) {
      const size_t bad = FindInvalidUtf8(raw);
      if (bad != kNpos && bad < nul_at) {
        const auto b = static_cast<unsigned char>(raw[bad]);
        std::string hint = b < 0xA0 ? "(is the file Windows-1252? set encoding)"
                                    : "(is the file ISO-8859-1? set encoding)";
        if (line_no_ == 1 && bad == 0 && (b == 0xFF || b == 0xFE)) {
          hint = "(is the file UTF-16? save it as UTF-8)";
        }
        Fail(line_no_, CharCount(raw.substr(0, bad)) + 1,
             "invalid UTF-8 byte " + Hex(b) + " " + hint);
      }
      if (nul_at != kNpos) FailNul(CharCount(raw.substr(0, nul_at)) + 1);
      line_ = raw;
    } else {
      decoded_.clear();
      const size_t bad = AppendUtf8(raw, opt_.encoding, decoded_);
      if (bad != kNpos && bad < nul_at) {
        Fail(line_no_, static_cast<int64_t>(bad) + 1,
             "byte " + Hex(static_cast<unsigned char>(raw[bad])) +
                 " is not defined in Windows-1252 (is the file UTF-8 or ISO-8859-1? set "
                 "encoding)");
      }
      if (nul_at != kNpos) FailNul(static_cast<int64_t>(nul_at) + 1);
      line_ = decoded_;
    }
    return true;
  }

  // Next field of `record`, emptied; reuses the strings (and their capacity) already there.
  std::string& NewField(Record& record) {
    if (nf_ < record.fields.size()) {
      std::string& f = record.fields[nf_++];
      f.clear();
      return f;
    }
    ++nf_;
    return record.fields.emplace_back();
  }

  // RFC 4180 with two lenient rules, as most readers do:
  // - a quote inside an unquoted field (`ab"c`) is a literal character;
  // - text between a closing quote and the next separator is appended to the field
  //   (`"ab"c` -> `abc`, `"a;b"x;y` -> `a;bx`, `y`), quotes in it being literal.
  // Line breaks inside quotes are kept as they are in the file (CRLF, LF or CR).
  void ParseRecord(Record& record) {
    const char sep = opt_.separator;
    size_t i = 0;
    while (true) {
      std::string& f = NewField(record);
      std::string_view l = line_;
      size_t next;  // the separator ending this field, or npos at end of record
      if (i < l.size() && l[i] == '"') {
        const int64_t start_line = line_no_;
        const size_t quote_at = i;
        int64_t start_column = 0;
        ++i;
        while (true) {
          const size_t q = l.find('"', i);
          if (q == kNpos) {  // the field goes on on the next physical line
            f.append(l.substr(i));
            if (line_no_ == start_line) start_column = CharCount(l.substr(0, quote_at)) + 1;
            if (term_.empty()) FailUnterminated(start_line, start_column);
            f.append(term_);
            if (f.size() > opt_.max_record_bytes) FailTooLong(start_line, start_column);
            if (!NextLine()) FailUnterminated(start_line, start_column);
            l = line_;
            i = 0;
            continue;
          }
          f.append(l.substr(i, q - i));
          if (q + 1 < l.size() && l[q + 1] == '"') {
            f.push_back('"');
            i = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
      }
      next = l.find(sep, i);
      f.append(l.substr(i, next == kNpos ? kNpos : next - i));
      if (next == kNpos) return;
      i = next + 1;
    }
  }

  [[noreturn]] void Fail(int64_t line, int64_t column, std::string reason) const {
    throw CsvError(name_, line, column, std::move(reason));
  }
  [[noreturn]] void FailNul(int64_t column) const {
    Fail(line_no_, column, "NUL byte (is the file UTF-16 or binary? save it as UTF-8 text)");
  }
  [[noreturn]] void FailTooLong(int64_t line, int64_t column) const {
    const size_t max = opt_.max_record_bytes;
    Fail(line, column,
         "record longer than " +
             (max >= (size_t{1} << 20) && max % (size_t{1} << 20) == 0
                  ? std::to_string(max >> 20) + " MiB"
                  : std::to_string(max) + " bytes") +
             ": not a command file (binary or corrupt?)");
  }
  [[noreturn]] void FailUnterminated(int64_t line, int64_t column) const {
    Fail(line, column, "unterminated quoted field: no closing '\"' before end of file");
  }

  std::istream& in_;
  const std::string name_;
  const ReaderOptions opt_;
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0;         // next unread byte of buf_
  size_t end_ = 0;         // end of valid bytes in buf_
  std::string raw_;        // current physical line as read
  std::string decoded_;    // raw_ decoded to UTF-8 (single-byte encodings only)
  std::string_view line_;  // current physical line, UTF-8, BOM and terminator removed
  std::string_view term_;  // its terminator: "\n", "\r\n", "\r" or "" (end of file)
  int64_t line_no_ = 0;    // physical line number of line_
  size_t nf_ = 0;          // fields filled in the record being read
};

Reader::Reader(std::istream& in, std::string name, ReaderOptions options) : name_(name) {
  const char s = options.separator;
  if (s == '"' || s == '\r' || s == '\n' || s == '\0' || static_cast<unsigned char>(s) >= 0x80) {
    throw std::invalid_argument("invalid CSV separator " + Hex(static_cast<unsigned char>(s)));
  }
  impl_ = std::make_unique<Impl>(in, std::move(name), options);
}

Reader::~Reader() = default;

bool Reader::Next(Record& record) { return impl_->Next(record); }

char DetectForeignSeparator(const Record& header, char separator) {
  for (const std::string& field : header.fields) {
    for (const char c : field) {
      if (c != separator && (c == ';' || c == ',' || c == ':' || c == '\t')) return c;
    }
  }
  return 0;
}

char ParseSeparator(const std::string& value) {
  if (value == ";" || value == "," || value == ":" || value == "\t" || value == "\\t") {
    return value == "\\t" ? '\t' : value[0];
  }
  if (value.size() == 3) {
    std::string lower = value;
    for (char& c : lower) c = static_cast<char>(c | 0x20);
    if (lower == "tab") return '\t';
  }
  throw std::invalid_argument("invalid separator '" + value +
                              "' (accepted: \";\", \",\", \":\", \"tab\")");
}

std::string SeparatorName(char separator) {
  if (separator == '\t') return "tab";
  return std::string(1, separator);
}

}  // namespace cs::csv
