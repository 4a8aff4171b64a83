// ReadMap returns canonical text whatever the reader (docs/architecture.md):
// canonicalising its result again changes nothing. Readers that check
// their texts themselves (FormatSpec::canonical_text) are held to it here.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "test_util.h"

namespace mindcards {
namespace {

// Every node text and note (dead nodes too) and the meta's texts.
std::string AllTexts(const Map& map) {
  std::string out;
  for (NodeId id = 0; id < map.id_count(); ++id) {
    out += "[" + map.node(id).text + "|" + map.node(id).note() + "]\n";
  }
  const MapMeta& m = map.meta();
  out += m.title + "|" + m.description + "|" + m.author + "\n";
  for (const std::string& t : m.tags) out += t + "\n";
  return out;
}

void ExpectCanonical(std::string_view bytes, const std::string& format,
                     const std::string& what) {
  ReadOptions options;
  options.format = format;
  options.filename = what;
  auto map = ReadMap(bytes, options);
  if (!map) return;  // errors are other tests' business
  Map again = *map;
  ASSERT_TRUE(detail::CanonicalizeMapText(&again, true).has_value()) << what;
  EXPECT_EQ(AllTexts(again), AllTexts(*map)) << what;
}

TEST(CanonicalTextTest, MarkdownReaderChecksEveryTextItWrites) {
  const char* const kInputs[] = {
      "# Title \n\n- a  \n- b\t\n",
      "1. one\n2. two\n\n3. three\n",
      "1.\n2. \n- \n",
      "- item\n\n  para one \n\n  para two\n- next\n",
      "- a\n  - b\n\n  note after the list\n",
      "# H\n\n![alt](img.png)\n\n![](x.png) text\n",
      "# H\n\n> quote\n> more\n\n```\ncode  \n```\n",
      "| a | b |\n|---|---|\n| 1 | 2 |\n",
      "- cafe\xCC\x81 (decomposed)\n- \xEF\xBB\xBF"
      "bom inside\n",
      "- a&nbsp;\n- &#9;tab\n- line<br>break\n",
      "---\ntitle: \" spaced title \"\ntags: [ a , b ]\n---\n- x\n",
      "---\ntitle: T\n---\n",
      "- only\n  - child\n\n  note of only\n",
      "\r\n- crlf\r\n  - child\r\n",
      "- a <!-- markmap: fold -->\n  - b\n",
  };
  for (const char* md : kInputs) ExpectCanonical(md, "markdown", md);
}

TEST(CanonicalTextTest, FreemindReaderChecksEveryTextItWrites) {
  const char* const kInputs[] = {
      "<map><node TEXT=\" padded \"><node TEXT=\"a&#10;b\"/></node></map>",
      "<map><node TEXT=\"cafe&#x301;\"><node TEXT=\"x&#x9;\"/></node></map>",
      "<map><node TEXT=\"r\"><richcontent TYPE=\"NOTE\"><html><body>"
      "<p> note </p></body></html></richcontent></node></map>",
      "<map><node TEXT=\"&#xFEFF;bom\"/></map>",
      "<map><node TEXT=\"a&#x1;b\"/></map>",
  };
  for (const char* mm : kInputs) ExpectCanonical(mm, "mm", mm);
}

TEST(CanonicalTextTest, EveryCorpusMapReadsCanonical) {
  MINDCARDS_REQUIRE_SHARED();
  std::vector<std::string> files =
      testing::ListFiles(testing::SharedDir() + "/corpus", {""});
  ASSERT_FALSE(files.empty());
  for (const std::string& path : files) {
    if (path.ends_with(".tsv")) continue;
    ExpectCanonical(testing::ReadFileOrDie(path), "auto", path);
  }
}

}  // namespace
}  // namespace mindcards
