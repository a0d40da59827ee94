// CSV writer for tryback files, generated command files and result files: RFC 4180 quoting
// (a field is quoted when it holds the separator, a quote, CR/LF, or leading/trailing space,
// or starts with '#', "//" or U+FEFF in the first column so it is not read back as a comment or
// a byte order mark; a record
// whose fields are all empty starts with `""` so it is not read back as a blank line).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "csv/encoding.h"

namespace cs::csv {

class Writer {
 public:
  Writer(std::ostream& out, char separator, Encoding encoding = Encoding::kUtf8);
  void WriteRecord(const std::vector<std::string>& fields);  // ends with "\n"
  static std::string Quote(const std::string& field, char separator, bool first_column);

 private:
  std::ostream& out_;
  char separator_;
  Encoding encoding_;
  std::string line_;  // reused output line buffer
};

}  // namespace cs::csv
