#include "web/html.h"

#include <gtest/gtest.h>

#include "web/report_view.h"

namespace cs::web {
namespace {

TEST(Html, EscapesEverySpecialCharacter) {
  EXPECT_EQ(Esc("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(Esc("a & b \"c\" 'd'"), "a &amp; b &quot;c&quot; &#39;d&#39;");
  EXPECT_EQ(Esc("plain é"), "plain é");
  EXPECT_EQ(Esc(""), "");
}

TEST(Html, UrlEncodingAndQueries) {
  EXPECT_EQ(UrlEncode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
  EXPECT_EQ(UrlEncode("é"), "%C3%A9");
  EXPECT_EQ(Query({{"q", "x y"}, {"empty", ""}, {"page", "2"}}), "?q=x%20y&page=2");
  EXPECT_EQ(Query({}), "");
}

TEST(Html, FieldsEscapeValuesAndShowErrorsBesideTheField) {
  FieldOptions o;
  o.help = "Help <b>";
  o.error = "bad \"value\"";
  std::string f = InputField("k", "Label <i>", "v\"><script>", o);
  EXPECT_NE(f.find("value=\"v&quot;&gt;&lt;script&gt;\""), std::string::npos) << f;
  EXPECT_NE(f.find("Label &lt;i&gt;"), std::string::npos);
  EXPECT_NE(f.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(f.find("aria-describedby=\"h-k e-k\""), std::string::npos);
  EXPECT_NE(f.find("bad &quot;value&quot;"), std::string::npos);
  EXPECT_NE(f.find("<label for=\"f-k\">"), std::string::npos);
  EXPECT_EQ(f.find("<script>"), std::string::npos);
}

TEST(Html, SelectAndYesNo) {
  std::string s = SelectField("sep", "Separator", {{";", "semicolon"}, {"<", "<lt>"}}, "<");
  EXPECT_NE(s.find("<option value=\"&lt;\" selected>&lt;lt&gt;</option>"), std::string::npos) << s;
  std::string y = YesNoField("flag", "Flag", false);
  EXPECT_NE(y.find("value=\"0\" checked"), std::string::npos);
  EXPECT_NE(y.find("<legend>Flag</legend>"), std::string::npos);
}

TEST(Html, LayoutEscapesTitleUserAndFlash) {
  Frame f;
  f.title = "<t>";
  f.user = "<u>";
  f.csrf = "abc";
  f.flash_kind = "ok";
  f.flash_text = "<f>";
  std::string page = Layout(f, "<p>body</p>");
  EXPECT_EQ(page.find("<t>"), std::string::npos);
  EXPECT_EQ(page.find("<u>"), std::string::npos);
  EXPECT_EQ(page.find("<f>"), std::string::npos);
  EXPECT_NE(page.find("<p>body</p>"), std::string::npos);
  EXPECT_NE(page.find("name=\"csrf\" value=\"abc\""), std::string::npos);
  EXPECT_NE(page.find("<html lang=\"en\">"), std::string::npos);
}

TEST(Html, ReportViewEscapesEveryValue) {
  nlohmann::json r = {{"task", "create"},
                      {"file", "<f>.csv"},
                      {"simulate", true},
                      {"totals", {{"read", 1}, {"failed", 1}}},
                      {"lines",
                       {{{"line", 2},
                         {"identifier", "<script>alert(1)</script>"},
                         {"status", "failed"},
                         {"id", nullptr},
                         {"message", "<b>bad</b>"}}}},
                      {"notes", {"<n>"}},
                      {"report", "files/reports/r.txt"},
                      {"tryback", nullptr}};
  std::string html = RenderResult(r);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<b>bad"), std::string::npos);
  EXPECT_EQ(html.find("<n>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("Failed lines"), std::string::npos);
  EXPECT_NE(html.find("/files/view?path=reports%2Fr.txt"), std::string::npos);
}

TEST(Html, Formats) {
  EXPECT_EQ(FormatTime(0), "");
  EXPECT_EQ(FormatSize(10), "10 B");
  EXPECT_EQ(FormatSize(2048), "2.0 KiB");
}

}  // namespace
}  // namespace cs::web
