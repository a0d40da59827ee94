#include "csv/encoding.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace cs::csv {
namespace {

constexpr size_t kNpos = std::string::npos;

std::string Decode(const std::string& in, Encoding from) {
  std::string out = "prefix:";
  EXPECT_EQ(AppendUtf8(in, from, out), kNpos);
  return out.substr(7);
}

TEST(EncodingTest, ParseEncoding) {
  EXPECT_EQ(ParseEncoding("UTF-8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("utf8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("Utf-8"), Encoding::kUtf8);
  EXPECT_EQ(ParseEncoding("ISO-8859-1"), Encoding::kIso88591);
  EXPECT_EQ(ParseEncoding("latin1"), Encoding::kIso88591);
  EXPECT_EQ(ParseEncoding("LATIN1"), Encoding::kIso88591);
  EXPECT_EQ(ParseEncoding("Windows-1252"), Encoding::kWindows1252);
  EXPECT_EQ(ParseEncoding("cp1252"), Encoding::kWindows1252);
  EXPECT_EQ(ParseEncoding("CP1252"), Encoding::kWindows1252);
  EXPECT_THROW(ParseEncoding("utf-16"), std::invalid_argument);
  EXPECT_THROW(ParseEncoding(""), std::invalid_argument);
  try {
    ParseEncoding("ebcdic");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("ebcdic"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("UTF-8, ISO-8859-1, Windows-1252"), std::string::npos);
  }
}

TEST(EncodingTest, EncodingNameRoundTrip) {
  for (const Encoding e : {Encoding::kUtf8, Encoding::kIso88591, Encoding::kWindows1252}) {
    EXPECT_EQ(ParseEncoding(EncodingName(e)), e);
  }
  EXPECT_EQ(EncodingName(Encoding::kUtf8), "UTF-8");
  EXPECT_EQ(EncodingName(Encoding::kIso88591), "ISO-8859-1");
  EXPECT_EQ(EncodingName(Encoding::kWindows1252), "Windows-1252");
}

TEST(EncodingTest, FindInvalidUtf8AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), kNpos);
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, longer than eight bytes"), kNpos);
  EXPECT_EQ(FindInvalidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"), kNpos);
  EXPECT_EQ(FindInvalidUtf8("\xEF\xBB\xBF\xED\x9F\xBF\xEE\x80\x80"), kNpos);  // BOM, U+D7FF, U+E000
  EXPECT_EQ(FindInvalidUtf8(std::string("a\0b", 3)), kNpos);                  // NUL is valid UTF-8
}

TEST(EncodingTest, FindInvalidUtf8FindsFirstBadSequence) {
  EXPECT_EQ(FindInvalidUtf8("\x80"), 0u);              // lone continuation
  EXPECT_EQ(FindInvalidUtf8("abc\xE9xyz"), 3u);        // Latin-1 é
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xC3"), 2u);      // truncated at end
  EXPECT_EQ(FindInvalidUtf8("\xC3\xA9\xC3x"), 2u);     // bad continuation
  EXPECT_EQ(FindInvalidUtf8("\xC0\xAF"), 0u);          // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xC1\xBF"), 0u);          // overlong
  EXPECT_EQ(FindInvalidUtf8("\xE0\x9F\xBF"), 0u);      // overlong 3-byte
  EXPECT_EQ(FindInvalidUtf8("\xF0\x8F\xBF\xBF"), 0u);  // overlong 4-byte
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate U+D800
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("\xF5\x80\x80\x80"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xFF"), 0u);
  EXPECT_EQ(FindInvalidUtf8("\xE2\x82"), 0u);
  // After a long ASCII run (word-at-a-time path) and in the tail.
  const std::string ascii(37, 'a');
  EXPECT_EQ(FindInvalidUtf8(ascii + "\xFE" + ascii), 37u);
  EXPECT_EQ(FindInvalidUtf8(ascii + "\xC3\xA9" + ascii + "\x80"), 76u);
}

TEST(EncodingTest, Latin1DecodesEveryByte) {
  std::string all;
  for (int b = 1; b < 256; ++b) all.push_back(static_cast<char>(b));
  const std::string utf8 = Decode(all, Encoding::kIso88591);
  EXPECT_EQ(FindInvalidUtf8(utf8), kNpos);
  EXPECT_EQ(utf8.size(), 127u + 128u * 2);
  EXPECT_EQ(Decode("caf\xE9", Encoding::kIso88591), "café");
  EXPECT_EQ(Decode("\xA0\xFF", Encoding::kIso88591), "\xC2\xA0\xC3\xBF");
  // And back.
  EXPECT_EQ(FromUtf8(utf8, Encoding::kIso88591), all);
}

TEST(EncodingTest, Windows1252Table) {
  EXPECT_EQ(Decode("\x80", Encoding::kWindows1252), "€");
  EXPECT_EQ(Decode("\x82\x83\x84\x85\x86\x87", Encoding::kWindows1252), "‚ƒ„…†‡");
  EXPECT_EQ(Decode("\x88\x89\x8A\x8B\x8C\x8E", Encoding::kWindows1252), "ˆ‰Š‹ŒŽ");
  EXPECT_EQ(Decode("\x91\x92\x93\x94\x95\x96\x97", Encoding::kWindows1252), "‘’“”•–—");
  EXPECT_EQ(Decode("\x98\x99\x9A\x9B\x9C\x9E\x9F", Encoding::kWindows1252), "˜™š›œžŸ");
  EXPECT_EQ(Decode("caf\xE9 \xA0", Encoding::kWindows1252), "café \xC2\xA0");
}

TEST(EncodingTest, Windows1252UndefinedBytes) {
  for (const char b : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'}) {
    std::string out;
    EXPECT_EQ(AppendUtf8(std::string("\xE9xy") + b + "z", Encoding::kWindows1252, out), 3u);
    EXPECT_EQ(out, "éxy");
  }
}

TEST(EncodingTest, Windows1252RoundTrip) {
  std::string all;
  for (int b = 1; b < 256; ++b) {
    if (b != 0x81 && b != 0x8D && b != 0x8F && b != 0x90 && b != 0x9D) {
      all.push_back(static_cast<char>(b));
    }
  }
  EXPECT_EQ(FromUtf8(Decode(all, Encoding::kWindows1252), Encoding::kWindows1252), all);
}

TEST(EncodingTest, AppendUtf8ValidatesUtf8) {
  std::string out = "x";
  EXPECT_EQ(AppendUtf8("caf\xC3\xA9", Encoding::kUtf8, out), kNpos);
  EXPECT_EQ(out, "xcafé");
  out.clear();
  EXPECT_EQ(AppendUtf8("ab\xE9xy", Encoding::kUtf8, out), 2u);
  EXPECT_EQ(out, "ab");
}

TEST(EncodingTest, FromUtf8) {
  EXPECT_EQ(FromUtf8("café €", Encoding::kUtf8), "café €");
  EXPECT_EQ(FromUtf8("café €", Encoding::kIso88591), "caf\xE9 ?");
  EXPECT_EQ(FromUtf8("café €", Encoding::kWindows1252), "caf\xE9 \x80");
  EXPECT_EQ(FromUtf8("“x” – ’", Encoding::kWindows1252), "\x93x\x94 \x96 \x92");
  EXPECT_EQ(FromUtf8("中文 \xF0\x9F\x98\x80", Encoding::kWindows1252), "?? ?");
  EXPECT_EQ(FromUtf8("\xC2\x81", Encoding::kWindows1252), "?");  // C1 control: not in 1252
  EXPECT_EQ(FromUtf8("\xC2\x81", Encoding::kIso88591), "\x81");
  EXPECT_EQ(FromUtf8("a\xE9z", Encoding::kIso88591), "a?z");  // invalid input byte
  EXPECT_EQ(FromUtf8("", Encoding::kIso88591), "");
}

}  // namespace
}  // namespace cs::csv
