// libFuzzer target: the CSV reader (src/csv/reader.h) with the encodings (UTF-8 with or without a
// BOM, ISO-8859-1, Windows-1252) and the writer used for tryback files. The first byte of an input
// picks the reader options (separator, encoding, comment skipping, field splitting); the rest is
// the file. Besides "no crash, no sanitizer report", it checks:
//   - a rejected file gives a CsvError with the file name and a line (and column) in range;
//   - every record has valid UTF-8 fields without NUL bytes, and increasing line numbers;
//   - what the writer writes from the records (a tryback file) reads back as the same records;
//   - the single-byte decoders round-trip through FromUtf8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "csv/encoding.h"
#include "csv/reader.h"
#include "csv/writer.h"

namespace {

using cs::csv::Encoding;

[[noreturn]] void Fail(const std::string& why) {
  std::fprintf(stderr, "csv_reader_fuzz: %s\n", why.c_str());
  std::abort();
}

// Reads every record; returns false (after checking the error) when the file is rejected.
bool ReadAll(const std::string& text, const cs::csv::ReaderOptions& o,
             std::vector<cs::csv::Record>& out) {
  std::istringstream in(text);
  cs::csv::Reader reader(in, "fuzz.csv", o);
  const int64_t physical_lines = static_cast<int64_t>(text.size()) + 1;
  try {
    cs::csv::Record rec;
    int64_t last = 0;
    while (reader.Next(rec)) {
      if (rec.line <= last || rec.end_line < rec.line || rec.end_line > physical_lines) {
        Fail("bad record line numbers " + std::to_string(rec.line) + "-" +
             std::to_string(rec.end_line) + " after " + std::to_string(last));
      }
      last = rec.end_line;
      for (const std::string& f : rec.fields) {
        if (cs::csv::FindInvalidUtf8(f) != std::string::npos) Fail("invalid UTF-8 in a field");
        if (f.find('\0') != std::string::npos) Fail("NUL byte in a field");
      }
      (void)cs::csv::DetectForeignSeparator(rec, o.separator);
      out.push_back(rec);
    }
  } catch (const cs::csv::CsvError& e) {
    if (e.file() != "fuzz.csv" || e.line() < 1 || e.line() > physical_lines || e.column() < 0 ||
        e.reason().empty() || std::string_view(e.what()).find("fuzz.csv: line ") != 0) {
      Fail(std::string("malformed CsvError: ") + e.what());
    }
    return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char kSeparators[] = {';', ',', ':', '\t'};
  static const Encoding kEncodings[] = {Encoding::kUtf8, Encoding::kIso88591,
                                        Encoding::kWindows1252};
  const uint8_t cfg = data[0];
  cs::csv::ReaderOptions o;
  o.separator = kSeparators[cfg & 3];
  o.encoding = kEncodings[((cfg >> 2) & 3) % 3];
  o.skip_comments = (cfg & 0x10) == 0;
  o.split = (cfg & 0x20) == 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);

  // The encodings on their own.
  std::string decoded;
  const size_t bad = cs::csv::AppendUtf8(text, o.encoding, decoded);
  if (bad == std::string::npos) {
    if (cs::csv::FindInvalidUtf8(decoded) != std::string::npos) Fail("decoder made bad UTF-8");
    if (cs::csv::FromUtf8(decoded, o.encoding) != text) Fail("decode/encode round trip");
  } else if (bad >= text.size()) {
    Fail("decoder error offset out of range");
  }

  std::vector<cs::csv::Record> records;
  if (!ReadAll(text, o, records) || !o.split) return 0;

  // The tryback file: the same records written and read back.
  std::ostringstream out;
  cs::csv::Writer writer(out, o.separator, o.encoding);
  for (const auto& rec : records) writer.WriteRecord(rec.fields);
  std::vector<cs::csv::Record> again;
  cs::csv::ReaderOptions ro = o;
  ro.skip_comments = true;  // tryback files are read back as command files
  if (!ReadAll(out.str(), ro, again)) Fail("the writer's output is rejected by the reader");
  if (again.size() != records.size()) {
    Fail("round trip: " + std::to_string(records.size()) + " records written, " +
         std::to_string(again.size()) + " read back");
  }
  for (size_t i = 0; i < records.size(); ++i) {
    if (again[i].fields != records[i].fields) {
      Fail("round trip: record " + std::to_string(i + 1) + " (line " +
           std::to_string(records[i].line) + ") reads back differently");
    }
  }
  return 0;
}
