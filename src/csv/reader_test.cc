#include "csv/reader.h"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace cs::csv {
namespace {

using Fields = std::vector<std::string>;

std::vector<Record> ReadAll(const std::string& data, ReaderOptions options = {}) {
  std::istringstream in(data);
  Reader reader(in, "t.csv", options);
  std::vector<Record> records;
  Record record;
  while (reader.Next(record)) records.push_back(record);
  EXPECT_FALSE(reader.Next(record));  // stays at end
  return records;
}

std::vector<Fields> FieldsOf(const std::vector<Record>& records) {
  std::vector<Fields> out;
  for (const Record& r : records) out.push_back(r.fields);
  return out;
}

std::vector<Fields> ReadFields(const std::string& data, ReaderOptions options = {}) {
  return FieldsOf(ReadAll(data, options));
}

CsvError ReadError(const std::string& data, ReaderOptions options = {}) {
  try {
    ReadAll(data, options);
  } catch (const CsvError& e) {
    return e;
  }
  ADD_FAILURE() << "no CsvError for input";
  return CsvError("", 0, 0, "none");
}

ReaderOptions WithEncoding(Encoding e) {
  ReaderOptions o;
  o.encoding = e;
  return o;
}

ReaderOptions WithSeparator(char s) {
  ReaderOptions o;
  o.separator = s;
  return o;
}

TEST(ReaderTest, SimpleRecords) {
  EXPECT_EQ(ReadFields("a;b;c\nd;e;f\n"), (std::vector<Fields>{{"a", "b", "c"}, {"d", "e", "f"}}));
}

TEST(ReaderTest, EmptyFileHasNoRecords) {
  EXPECT_TRUE(ReadAll("").empty());
  EXPECT_TRUE(ReadAll("\n\n  \n# only comments\n// here\n").empty());
}

TEST(ReaderTest, NoTrailingNewline) {
  const auto records = ReadAll("a;b\nc;d");
  EXPECT_EQ(FieldsOf(records), (std::vector<Fields>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(records[1].line, 2);
}

TEST(ReaderTest, EmptyFieldsAndTrailingSeparator) {
  EXPECT_EQ(ReadFields("a;b;\n"), (std::vector<Fields>{{"a", "b", ""}}));
  EXPECT_EQ(ReadFields(";;\n"), (std::vector<Fields>{{"", "", ""}}));
  EXPECT_EQ(ReadFields("a;;b\n"), (std::vector<Fields>{{"a", "", "b"}}));
  EXPECT_EQ(ReadFields(";a\n"), (std::vector<Fields>{{"", "a"}}));
  EXPECT_EQ(ReadFields("\"\";\"\"\n"), (std::vector<Fields>{{"", ""}}));
}

TEST(ReaderTest, FieldsAreNotTrimmed) {
  EXPECT_EQ(ReadFields("x; a ;b \n"), (std::vector<Fields>{{"x", " a ", "b "}}));
}

TEST(ReaderTest, QuotedSeparators) {
  EXPECT_EQ(ReadFields("\"a;b\";c\n\"x\";\";\"\n"),
            (std::vector<Fields>{{"a;b", "c"}, {"x", ";"}}));
}

TEST(ReaderTest, DoubledQuotes) {
  EXPECT_EQ(ReadFields("\"say \"\"hi\"\"\";\"\"\"\"\n"),
            (std::vector<Fields>{{"say \"hi\"", "\""}}));
}

TEST(ReaderTest, EmbeddedNewlinesKeepLineNumbers) {
  const auto records = ReadAll("h1;h2\na;\"x\ny\nz\";b\nc;d\n\"e\n\";f\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields, (Fields{"a", "x\ny\nz", "b"}));
  EXPECT_EQ(records[1].line, 2);
  EXPECT_EQ(records[1].end_line, 4);
  EXPECT_EQ(records[2].fields, (Fields{"c", "d"}));
  EXPECT_EQ(records[2].line, 5);
  EXPECT_EQ(records[2].end_line, 5);
  EXPECT_EQ(records[3].fields, (Fields{"e\n", "f"}));
  EXPECT_EQ(records[3].line, 6);
  EXPECT_EQ(records[3].end_line, 7);
}

TEST(ReaderTest, EmbeddedLineBreaksAreKeptVerbatim) {
  EXPECT_EQ(ReadFields("\"a\r\nb\";c\r\n"), (std::vector<Fields>{{"a\r\nb", "c"}}));
  EXPECT_EQ(ReadFields("\"a\rb\";c\r"), (std::vector<Fields>{{"a\rb", "c"}}));
}

TEST(ReaderTest, CommentsAndBlankLinesInsideQuotesAreData) {
  const auto records = ReadAll("\"a\n#not a comment\n\n//nor this\";b\nc\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields, (Fields{"a\n#not a comment\n\n//nor this", "b"}));
  EXPECT_EQ(records[1].line, 5);
}

TEST(ReaderTest, LineEndings) {
  for (const std::string eol : {"\n", "\r\n", "\r"}) {
    SCOPED_TRACE(testing::PrintToString(eol));
    const auto records = ReadAll("a;b" + eol + eol + "c;d" + eol + "e" + eol);
    EXPECT_EQ(FieldsOf(records), (std::vector<Fields>{{"a", "b"}, {"c", "d"}, {"e"}}));
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[1].line, 3);
    EXPECT_EQ(records[2].line, 4);
  }
}

TEST(ReaderTest, MixedLineEndings) {
  const auto records = ReadAll("a\r\nb\nc\rd\r\n\re\n\"f\r\ng\";h\ni");
  EXPECT_EQ(FieldsOf(records),
            (std::vector<Fields>{{"a"}, {"b"}, {"c"}, {"d"}, {"e"}, {"f\r\ng", "h"}, {"i"}}));
  std::vector<int64_t> lines;
  for (const auto& r : records) lines.push_back(r.line);
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 4, 6, 7, 9}));
}

// CRLF split across the reader's internal buffer (64 KiB): try every split position nearby.
TEST(ReaderTest, CrLfAcrossBufferBoundary) {
  for (size_t len = 65530; len <= 65540; ++len) {
    const std::string first(len, 'x');
    const auto records = ReadAll(first + "\r\nsecond\r\nthird");
    ASSERT_EQ(records.size(), 3u) << len;
    EXPECT_EQ(records[0].fields[0], first);
    EXPECT_EQ(records[1].fields, Fields{"second"});
    EXPECT_EQ(records[1].line, 2);
    EXPECT_EQ(records[2].line, 3);
  }
}

TEST(ReaderTest, Utf8BomStrippedFromFirstLineOnly) {
  EXPECT_EQ(ReadFields("\xEF\xBB\xBFid;name\n\xEF\xBB\xBFx;y\n"),
            (std::vector<Fields>{{"id", "name"}, {"\xEF\xBB\xBFx", "y"}}));
  EXPECT_EQ(ReadFields("id;name\n"), (std::vector<Fields>{{"id", "name"}}));
  // A BOM before a comment does not hide it.
  EXPECT_EQ(ReadFields("\xEF\xBB\xBF# comment\na\n"), (std::vector<Fields>{{"a"}}));
  EXPECT_TRUE(ReadAll("\xEF\xBB\xBF").empty());
}

TEST(ReaderTest, Utf8MultibyteText) {
  EXPECT_EQ(ReadFields("caf\xC3\xA9;\xE2\x82\xAC;\xF0\x9F\x98\x80\n"),
            (std::vector<Fields>{{"café", "€", "\xF0\x9F\x98\x80"}}));
}

TEST(ReaderTest, Latin1Decoded) {
  const auto options = WithEncoding(Encoding::kIso88591);
  EXPECT_EQ(ReadFields("caf\xE9;\xC9t\xE9;\xFF\n", options),
            (std::vector<Fields>{{"café", "Été", "ÿ"}}));
  // In Latin-1, 0x80-0x9F are the C1 controls.
  EXPECT_EQ(ReadFields("\x80\n", options), (std::vector<Fields>{{"\xC2\x80"}}));
}

TEST(ReaderTest, Windows1252Decoded) {
  const auto options = WithEncoding(Encoding::kWindows1252);
  EXPECT_EQ(ReadFields("\x80 10;\x93quoted\x94;it\x92s;wait\x85;caf\xE9\n", options),
            (std::vector<Fields>{{"€ 10", "“quoted”", "it’s", "wait…", "café"}}));
  EXPECT_EQ(ReadFields("\x91x\x92;\x96;\x97;\x99;\x9F\n", options),
            (std::vector<Fields>{{"‘x’", "–", "—", "™", "Ÿ"}}));
}

TEST(ReaderTest, Windows1252UndefinedByteIsAnError) {
  for (const char b : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'}) {
    const CsvError e =
        ReadError(std::string("ok\n\xE9t\xE9;x") + b + "y\n", WithEncoding(Encoding::kWindows1252));
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 6);
    EXPECT_NE(e.reason().find("not defined in Windows-1252"), std::string::npos) << e.what();
  }
}

TEST(ReaderTest, InvalidUtf8ReportsLineAndColumn) {
  const CsvError e = ReadError("id;name\nab;c\xE9x\n");
  EXPECT_EQ(e.file(), "t.csv");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 5);
  EXPECT_STREQ(e.what(),
               "t.csv: line 2, column 5: invalid UTF-8 byte 0xE9 (is the file ISO-8859-1? set "
               "encoding)");
}

TEST(ReaderTest, InvalidUtf8ColumnCountsCharacters) {
  // "é€;" is 3 characters (6 bytes): the bad byte is the 4th character.
  const CsvError e = ReadError("\xC3\xA9\xE2\x82\xAC;\x80\n");
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 4);
  EXPECT_NE(std::string(e.what()).find("0x80 (is the file Windows-1252?"), std::string::npos);
  // The BOM is not counted.
  EXPECT_EQ(ReadError("\xEF\xBB\xBFxy\xE9\n").column(), 3);
}

TEST(ReaderTest, InvalidUtf8InsideQuotedFieldReportsPhysicalLine) {
  const CsvError e = ReadError("a;\"x\nyy\xFF\";b\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 3);
}

TEST(ReaderTest, InvalidUtf8Sequences) {
  for (const std::string bad : {"\xC3", "\xC3(", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80",
                                "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xE2\x82"}) {
    SCOPED_TRACE(testing::PrintToString(bad));
    const CsvError e = ReadError("x\nab" + bad + "\n");
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 3);
  }
}

TEST(ReaderTest, Utf16HasAHint) {
  const CsvError e = ReadError(std::string("\xFF\xFEi\0d\0", 6));
  EXPECT_EQ(e.line(), 1);
  EXPECT_EQ(e.column(), 1);
  EXPECT_NE(e.reason().find("UTF-16"), std::string::npos);
}

TEST(ReaderTest, NulByteIsAnError) {
  const CsvError e = ReadError(std::string("a;b\nc\xC3\xA9\0d\n", 10));
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 3);
  EXPECT_NE(e.reason().find("NUL"), std::string::npos);
  const CsvError latin1 =
      ReadError(std::string("\xE9\xE9\0\n", 4), WithEncoding(Encoding::kIso88591));
  EXPECT_EQ(latin1.line(), 1);
  EXPECT_EQ(latin1.column(), 3);
}

TEST(ReaderTest, UnterminatedQuoteNamesStartLine) {
  const CsvError e = ReadError("a;b\nc\xC3\xA9;\"open\nmore\nlines\n");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 4);
  EXPECT_NE(e.reason().find("unterminated quoted field"), std::string::npos);
  EXPECT_EQ(std::string(e.what()).rfind("t.csv: line 2, column 4: unterminated", 0), 0u)
      << e.what();
  // Without a final line break, and on a single line.
  EXPECT_EQ(ReadError("x\n\"open;y").line(), 2);
  EXPECT_EQ(ReadError("\"").line(), 1);
}

TEST(ReaderTest, CommentsAndBlankLinesSkipped) {
  const auto records =
      ReadAll("# comment\n// comment\n\n   \n\t\nid;name\n#x;y\n \t \na;b\n//\nc;d\n");
  EXPECT_EQ(FieldsOf(records), (std::vector<Fields>{{"id", "name"}, {"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(records[0].line, 6);
  EXPECT_EQ(records[1].line, 9);
  EXPECT_EQ(records[2].line, 11);
}

// The original tool swallowed lines starting with a space, '-', '(', '[' or '/': they are data.
TEST(ReaderTest, LinesLookingLikeFormattingAreData) {
  EXPECT_EQ(ReadFields(" X;1\n-X;2\n(X);3\n[X];4\n/X;5\n  #x;6\n"),
            (std::vector<Fields>{
                {" X", "1"}, {"-X", "2"}, {"(X)", "3"}, {"[X]", "4"}, {"/X", "5"}, {"  #x", "6"}}));
}

TEST(ReaderTest, QuotedHashIsData) {
  EXPECT_EQ(ReadFields("\"#x\";y\n\"//z\"\n"), (std::vector<Fields>{{"#x", "y"}, {"//z"}}));
}

TEST(ReaderTest, SkipCommentsOff) {
  ReaderOptions options;
  options.skip_comments = false;
  const auto records = ReadAll("#a;b\n\n  \nc\n", options);
  EXPECT_EQ(FieldsOf(records), (std::vector<Fields>{{"#a", "b"}, {""}, {"  "}, {"c"}}));
  EXPECT_EQ(records[3].line, 4);
}

TEST(ReaderTest, LenientQuoting) {
  // A quote inside an unquoted field is literal; text after a closing quote is appended.
  EXPECT_EQ(ReadFields("ab\"c;\"x\"y;\"a;b\"c\"d;z\n"),
            (std::vector<Fields>{{"ab\"c", "xy", "a;bc\"d", "z"}}));
  // A field that starts with a space is unquoted: its quotes are literal.
  EXPECT_EQ(ReadFields(" \"a;b\"\n"), (std::vector<Fields>{{" \"a", "b\""}}));
}

TEST(ReaderTest, TabCommaColonSeparators) {
  EXPECT_EQ(ReadFields("a\tb;c\t\"d\te\"\n", WithSeparator('\t')),
            (std::vector<Fields>{{"a", "b;c", "d\te"}}));
  EXPECT_EQ(ReadFields("a,b;c,\"d,e\"\n", WithSeparator(',')),
            (std::vector<Fields>{{"a", "b;c", "d,e"}}));
  EXPECT_EQ(ReadFields("a:b,c:\n", WithSeparator(':')), (std::vector<Fields>{{"a", "b,c", ""}}));
  // With a tab separator a line of tabs is blank.
  EXPECT_EQ(ReadFields("\t\t\na\t\n", WithSeparator('\t')), (std::vector<Fields>{{"a", ""}}));
}

TEST(ReaderTest, InvalidSeparatorRejected) {
  std::istringstream in("");
  for (const char s : {'"', '\n', '\r', '\0', '\xC3'}) {
    EXPECT_THROW(Reader(in, "x", WithSeparator(s)), std::invalid_argument);
  }
}

TEST(ReaderTest, SplitFalseKeepsWholeLine) {
  ReaderOptions options;
  options.split = false;
  const auto records = ReadAll("# comment\na;\"b\nc,\"d\"\"\r\n\n  x  \n", options);
  EXPECT_EQ(FieldsOf(records), (std::vector<Fields>{{"a;\"b"}, {"c,\"d\"\""}, {"  x  "}}));
  EXPECT_EQ(records[1].line, 3);
  EXPECT_EQ(records[1].end_line, 3);
  EXPECT_EQ(records[2].line, 5);
  // Decoding still applies.
  options.encoding = Encoding::kIso88591;
  EXPECT_EQ(ReadFields("\xE9;x\n", options), (std::vector<Fields>{{"é;x"}}));
}

TEST(ReaderTest, RecordStorageIsReused) {
  std::istringstream in("a-long-first-field-value-here;b;c\nshort;y\nz\n");
  Reader reader(in, "t.csv", {});
  Record record;
  ASSERT_TRUE(reader.Next(record));
  ASSERT_EQ(record.fields.size(), 3u);
  const char* storage = record.fields[0].data();
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(record.fields, (Fields{"short", "y"}));
  EXPECT_EQ(record.fields[0].data(), storage);
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(record.fields, Fields{"z"});
  EXPECT_EQ(record.line, 3);
  EXPECT_FALSE(reader.Next(record));
}

TEST(ReaderTest, HundredThousandLines) {
  constexpr int kLines = 100000;
  std::string data = "\xEF\xBB\xBFusername;email;\"full name\"\r\n";
  for (int i = 0; i < kLines; ++i) {
    data += "user" + std::to_string(i) + ";u" + std::to_string(i) +
            "@example.org;\"Doe; J\xC3\xA9r\xC3\xB4me \"\"" + std::to_string(i) + "\"\"\"\r\n";
  }
  std::istringstream in(data);
  Reader reader(in, "big.csv", {});
  Record record;
  ASSERT_TRUE(reader.Next(record));
  EXPECT_EQ(record.fields, (Fields{"username", "email", "full name"}));
  const auto start = std::chrono::steady_clock::now();
  int count = 0;
  while (reader.Next(record)) {
    ASSERT_EQ(record.fields.size(), 3u);
    ASSERT_EQ(record.line, count + 2);
    ++count;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(count, kLines);
  EXPECT_EQ(record.fields, (Fields{"user99999", "u99999@example.org", "Doe; Jérôme \"99999\""}));
  EXPECT_EQ(record.end_line, kLines + 1);
  RecordProperty("lines_per_second", static_cast<int>(kLines / seconds));
}

TEST(ReaderTest, OneMegabyteLine) {
  std::string big;
  while (big.size() < (1u << 20)) big += "\xC3\xA9-bcdefgh";
  // A huge quoted field holding separators and a doubled quote.
  std::string quoted_content(1u << 20, 'q');
  for (size_t k = 0; k < quoted_content.size(); k += 1000) quoted_content[k] = ';';
  quoted_content[500] = '"';
  std::string quoted;
  for (const char c : quoted_content) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  // A 1 MB line of 200,000 fields.
  std::string many;
  for (int i = 0; i < 200000; ++i) many += "abcd;";
  const auto records = ReadAll(big + ";end\n\"" + quoted + "\";x\n" + many + "\nlast");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].fields, (Fields{big, "end"}));
  EXPECT_EQ(records[1].fields, (Fields{quoted_content, "x"}));
  EXPECT_EQ(records[1].line, 2);
  ASSERT_EQ(records[2].fields.size(), 200001u);
  EXPECT_EQ(records[2].fields[199999], "abcd");
  EXPECT_EQ(records[2].fields[200000], "");
  EXPECT_EQ(records[3].fields, Fields{"last"});
  EXPECT_EQ(records[3].line, 4);
  // The error column is counted in characters far into a long line.
  const CsvError e = ReadError("ok\n" + big + "\xE9");
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), static_cast<int64_t>(big.size() / 10 * 9 + 1));
}

// Issue 9 (bad-input corpus): a 100 MB line without a line break was read whole into memory, and
// its value then echoed in messages. A record longer than max_record_bytes is now an error at the
// line (and, for a quoted field spanning lines, the column) where it starts.
TEST(ReaderTest, RecordLongerThanTheLimit) {
  ReaderOptions o;
  o.max_record_bytes = 1000;
  EXPECT_EQ(ReadAll("a;" + std::string(998, 'x') + "\nb\n", o).size(), 2u);  // exactly 1000
  CsvError e = ReadError("a;b\nc;" + std::string(999, 'x') + "\nd\n", o);
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 0);
  EXPECT_NE(std::string(e.what()).find("line 2: record longer than 1000 bytes"), std::string::npos)
      << e.what();
  // No line break at all, far beyond the read buffer.
  e = ReadError(std::string(200000, 'A'), o);
  EXPECT_EQ(e.line(), 1);
  // A quoted field whose lines are each short but together too long.
  std::string lines;
  for (int i = 0; i < 200; ++i) lines += "0123456789\n";
  e = ReadError("h\nx;\"" + lines + "\";y\n", o);
  EXPECT_EQ(e.line(), 2);
  EXPECT_EQ(e.column(), 3);
  // The default limit is 16 MiB.
  EXPECT_EQ(ReaderOptions{}.max_record_bytes, size_t{16} << 20);
  e = ReadError(std::string((size_t{16} << 20) + 1, 'A'));
  EXPECT_NE(std::string(e.what()).find("record longer than 16 MiB"), std::string::npos);
}

TEST(ReaderTest, DetectForeignSeparator) {
  const auto header = [](const std::string& line, char sep) {
    const auto records = ReadAll(line + "\n", WithSeparator(sep));
    return records.at(0);
  };
  EXPECT_EQ(DetectForeignSeparator(header("id;name;email", ';'), ';'), 0);
  EXPECT_EQ(DetectForeignSeparator(header("id,name,email", ';'), ';'), ',');
  EXPECT_EQ(DetectForeignSeparator(header("id;name;email", ','), ','), ';');
  EXPECT_EQ(DetectForeignSeparator(header("id\tname", ';'), ';'), '\t');
  EXPECT_EQ(DetectForeignSeparator(header("id;name:x", ';'), ';'), ':');
  EXPECT_EQ(DetectForeignSeparator(header("id\tname\temail", '\t'), '\t'), 0);
  EXPECT_EQ(DetectForeignSeparator(header("a:b,c", '\t'), '\t'), ':');  // first in field order
  EXPECT_EQ(DetectForeignSeparator(Record{}, ';'), 0);
}

TEST(ReaderTest, ParseSeparatorAndName) {
  EXPECT_EQ(ParseSeparator(";"), ';');
  EXPECT_EQ(ParseSeparator(","), ',');
  EXPECT_EQ(ParseSeparator(":"), ':');
  EXPECT_EQ(ParseSeparator("tab"), '\t');
  EXPECT_EQ(ParseSeparator("TAB"), '\t');
  EXPECT_EQ(ParseSeparator("\t"), '\t');
  EXPECT_EQ(ParseSeparator("\\t"), '\t');
  for (const std::string bad : {"", "|", ";;", "tabs", " "}) {
    EXPECT_THROW(ParseSeparator(bad), std::invalid_argument) << bad;
  }
  try {
    ParseSeparator("|");
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("tab"), std::string::npos);
  }
  for (const char s : {';', ',', ':', '\t'}) EXPECT_EQ(ParseSeparator(SeparatorName(s)), s);
  EXPECT_EQ(SeparatorName('\t'), "tab");
  EXPECT_EQ(SeparatorName(';'), ";");
}

TEST(ReaderTest, CsvErrorMessage) {
  EXPECT_STREQ(CsvError("f.csv", 12, 5, "bad").what(), "f.csv: line 12, column 5: bad");
  EXPECT_STREQ(CsvError("f.csv", 12, 0, "bad").what(), "f.csv: line 12: bad");
  EXPECT_STREQ(CsvError("f.csv", 0, 0, "bad").what(), "f.csv: bad");
  const CsvError e("f.csv", 3, 4, "why");
  EXPECT_EQ(e.file(), "f.csv");
  EXPECT_EQ(e.line(), 3);
  EXPECT_EQ(e.column(), 4);
  EXPECT_EQ(e.reason(), "why");
}

TEST(ReaderTest, NameIsKept) {
  std::istringstream in("");
  Reader reader(in, "users.csv", {});
  EXPECT_EQ(reader.name(), "users.csv");
}

}  // namespace
}  // namespace cs::csv
