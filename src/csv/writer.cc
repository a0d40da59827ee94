#include "csv/writer.h"

namespace cs::csv {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

bool NeedsQuotes(const std::string& field, char separator, bool first_column) {
  if (field.empty()) return false;
  for (const char c : field) {
    if (c == separator || c == '"' || c == '\n' || c == '\r') return true;
  }
  if (IsSpace(field.front()) || IsSpace(field.back())) return true;
  // In the first column: a comment marker, or a byte order mark (U+FEFF), which the reader strips
  // from the start of a file.
  return first_column &&
         (field[0] == '#' || field.starts_with("//") || field.starts_with("\xEF\xBB\xBF"));
}

void AppendField(std::string& out, const std::string& field, char separator, bool first_column) {
  if (!NeedsQuotes(field, separator, first_column)) {
    out += field;
    return;
  }
  out.push_back('"');
  for (const char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

Writer::Writer(std::ostream& out, char separator, Encoding encoding)
    : out_(out), separator_(separator), encoding_(encoding) {}

void Writer::WriteRecord(const std::vector<std::string>& fields) {
  line_.clear();
  bool all_empty = true;
  for (size_t k = 0; k < fields.size(); ++k) {
    if (k > 0) line_.push_back(separator_);
    AppendField(line_, fields[k], separator_, k == 0);
    all_empty = all_empty && fields[k].empty();
  }
  // An empty line (or only tab separators) would be skipped as blank when read back.
  if (all_empty && !fields.empty()) line_.insert(0, "\"\"");
  line_.push_back('\n');
  if (encoding_ == Encoding::kUtf8) {
    out_.write(line_.data(), static_cast<std::streamsize>(line_.size()));
  } else {
    const std::string converted = FromUtf8(line_, encoding_);
    out_.write(converted.data(), static_cast<std::streamsize>(converted.size()));
  }
}

std::string Writer::Quote(const std::string& field, char separator, bool first_column) {
  std::string out;
  AppendField(out, field, separator, first_column);
  return out;
}

}  // namespace cs::csv
