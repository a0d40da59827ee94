// Streaming RFC 4180 CSV reader for command files: quotes, doubled quotes, separators and line
// breaks inside quotes, CRLF/LF/CR, records up to 16 MiB (a longer one is not a command file),
// UTF-8 (BOM stripped), ISO-8859-1 and Windows-1252 decoded to UTF-8, invalid UTF-8 reported with
// line and column, `#`/`//` comment lines and blank lines skipped. Memory does not grow with the
// file.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv/encoding.h"

namespace cs::csv {

// A file-level or record-level reading error, with position (1-based physical line and column;
// column counts characters of the decoded line, 0 when not known).
class CsvError : public std::runtime_error {
 public:
  CsvError(std::string file, int64_t line, int64_t column, std::string reason);
  const std::string& file() const { return file_; }
  int64_t line() const { return line_; }
  int64_t column() const { return column_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  int64_t line_;
  int64_t column_;
  std::string reason_;
};

struct ReaderOptions {
  char separator = ';';
  Encoding encoding = Encoding::kUtf8;
  // Skip lines whose first character is `#` or that start with `//` (outside quotes), and lines
  // that are empty or hold only whitespace.
  bool skip_comments = true;
  // When false the whole physical line is one field (no separator split, no quote handling);
  // used by identifier-per-line files. Comments/blank lines still skipped.
  bool split = true;
  // A record (a physical line, or the lines of a quoted field spanning several) longer than this
  // many bytes is a CsvError: no command file holds one, and a binary or corrupt file read as one
  // line would otherwise be held in memory whole.
  size_t max_record_bytes = size_t{16} << 20;
};

struct Record {
  std::vector<std::string> fields;  // decoded UTF-8, not trimmed
  int64_t line = 0;                 // physical line number (1-based) where the record starts
  int64_t end_line = 0;             // physical line where it ends (differs with quoted newlines)
};

class Reader {
 public:
  // `name` is used in error messages. The stream must outlive the reader.
  Reader(std::istream& in, std::string name, ReaderOptions options);
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads the next non-skipped record. Returns false at end of input. Throws CsvError on
  // invalid UTF-8 (UTF-8 encoding), NUL bytes, an unterminated quoted field at end of file, or a
  // record longer than max_record_bytes.
  bool Next(Record& record);

  const std::string& name() const { return name_; }

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
  std::string name_;
};

// tool_sync's sanity check on a header ("Invalid separator detected"): a header whose fields
// contain one of the other separators (`;` `,` `:` TAB, other than `separator`) means the file
// was likely written with another separator. Returns the first foreign separator found (in field
// order), or 0.
char DetectForeignSeparator(const Record& header, char separator);

// Parse a separator setting: ";" "," ":" "tab" (or "\t"). Throws std::invalid_argument.
char ParseSeparator(const std::string& value);
std::string SeparatorName(char separator);  // inverse: ";" "," ":" "tab"

}  // namespace cs::csv
