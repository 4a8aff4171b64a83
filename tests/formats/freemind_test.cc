#include <gtest/gtest.h>

#include <string>

#include "formats/map_dump.h"
#include "mindcards/formats.h"

namespace mindcards {
namespace {

Result<Map> ReadMm(std::string_view text, Diagnostics* d = nullptr) {
  ReadOptions options;
  options.format = "mm";
  return ReadMap(text, options, d);
}

using testing::DumpMap;

TEST(FreemindTest, ReadsTextRichTextNotesAndProperties) {
  auto map = ReadMm(
      "<map version=\"freeplane 1.9.13\">\n"
      "<node TEXT=\"&#x5b59;&#23376;\" FOLDED=\"false\">\n"
      "<hook NAME=\"MapStyle\"><map_styles><stylenode TEXT=\"style\"/>"
      "</map_styles></hook>\n"
      "<node TEXT=\"Left\" POSITION=\"left\" FOLDED=\"true\" "
      "LINK=\"https://a.example/\">\n"
      "<icon BUILTIN=\"yes\"/><icon BUILTIN=\"idea\"/>\n"
      "<attribute NAME=\"anki:deck\" VALUE=\"Bio\"/>\n"
      "<richcontent TYPE=\"NOTE\"><html><head><title>x</title></head><body>"
      "<p>first   paragraph</p>\n<p>second<br/>line</p></body></html>"
      "</richcontent>\n"
      "<richcontent TYPE=\"DETAILS\" HIDDEN=\"true\"><html><body><p>more"
      "</p></body></html></richcontent>\n"
      "<node ID=\"x\"><richcontent TYPE=\"NODE\"><html>\n  <head>\n  </head>\n"
      "  <body>\n    <p>\n      rich <b>bold</b>&#160;text\n    </p>\n"
      "    <ul><li>one</li><li>two</li></ul>\n  </body>\n</html>"
      "</richcontent></node>\n"
      "</node>\n"
      "<node TEXT=\"Right\" POSITION=\"bottom_or_right\"/>\n"
      "</node>\n"
      "</map>\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(DumpMap(*map),
            "\xE5\xAD\x99\xE5\xAD\x90\n"
            "  Left [note: first paragraph\nsecond\nline\n\nmore] "
            "[link: https://a.example/] [icon: yes] [icon: idea] "
            "[anki:deck=Bio] [folded] [left]\n"
            "    rich bold text\none\ntwo\n"
            "  Right [right]\n");
  const Node& left = map->node(map->node(map->root()).first_child);
  EXPECT_EQ(left.pos, (SourcePos{4, 1}));
  EXPECT_EQ(map->node(left.first_child).pos, (SourcePos{10, 1}));
}

TEST(FreemindTest, SkipsFreeplaneGroupMarkersAndKeepsSummaries) {
  auto map = ReadMm(
      "<map version=\"freeplane 1.12.1\"><node TEXT=\"r\">"
      "<node TEXT=\"\"><hook NAME=\"FirstGroupNode\"/></node>"
      "<node TEXT=\"a\"/><node TEXT=\"b\"/>"
      "<node TEXT=\"\"><hook NAME=\"SummaryNode\"/>"
      "<hook NAME=\"AlwaysUnfoldedNode\"/>"
      "<node TEXT=\"summary of a and b\"/></node>"
      "<node TEXT=\"\"/>"
      "<node TEXT=\"\"><hook NAME=\"SummaryNode\"/><icon BUILTIN=\"yes\"/>"
      "</node>"
      "</node></map>");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(DumpMap(*map),
            "r\n  a\n  b\n  summary of a and b\n  \n   [icon: yes]\n");
}

TEST(FreemindTest, ReadsFreeMind08NoteHookAndPlainRichcontent) {
  auto map = ReadMm(
      "<map version=\"0.8.0\"><node TEXT=\"r\">"
      "<hook NAME=\"accessories/plugins/NodeNote.properties\">"
      "<text>old note</text></hook>"
      "<node TEXT=\"c\"><richcontent TYPE=\"NOTE\" CONTENT-TYPE=\"plain/text\">"
      "<text>plain  note</text></richcontent></node>"
      "</node></map>");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(DumpMap(*map), "r [note: old note]\n  c [note: plain  note]\n");
}

TEST(FreemindTest, WritesFreeMindXml) {
  Map map;
  NodeId root = map.AddRoot("Root & \"co\"");
  NodeId a = map.AddChild(root, "two\nlines");
  map.node(a).side = Side::kLeft;
  map.node(a).folded = true;
  map.node(a).set_link("https://a.example/?x=1&y=2");
  map.node(a).mutable_extras().icons.push_back("yes");
  map.node(a).mutable_extras().attributes.push_back({"k", "v"});
  map.node(a).set_note("  indented <b>\n\nafter  blank");
  map.AddChild(a, "leaf");
  NodeId b = map.AddChild(root, "right");
  map.node(b).side = Side::kRight;
  auto out = WriteMap(map, "mm");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "<map version=\"freemind 1.0.1\">\n"
            "<node TEXT=\"Root &amp; &quot;co&quot;\">\n"
            "<node TEXT=\"two&#10;lines\" FOLDED=\"true\" POSITION=\"left\" "
            "LINK=\"https://a.example/?x=1&amp;y=2\">\n"
            "<icon BUILTIN=\"yes\"/>\n"
            "<attribute NAME=\"k\" VALUE=\"v\"/>\n"
            "<richcontent TYPE=\"NOTE\"><html><head></head><body><p>"
            "&#160;&#160;indented &lt;b&gt;<br/><br/>after &#160;blank"
            "</p></body></html></richcontent>\n"
            "<node TEXT=\"leaf\"/>\n"
            "</node>\n"
            "<node TEXT=\"right\" POSITION=\"right\"/>\n"
            "</node>\n"
            "</map>\n");
  auto back = ReadMm(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  // Canonical spacing trims the note's leading spaces on the way in.
  map.node(a).set_note("indented <b>\n\nafter  blank");
  EXPECT_EQ(DumpMap(*back), DumpMap(map));
}

TEST(FreemindTest, WarnsAboutASecondRoot) {
  Diagnostics d;
  auto map = ReadMm("<map>\n<node TEXT=\"a\"/>\n<node TEXT=\"b\"/></map>", &d);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->size(), 1u);
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].pos, (SourcePos{3, 1}));
  EXPECT_EQ(d.items()[0].message,
            "a second top-level <node> (a map has one root); it and the "
            "nodes after it are ignored");
}

TEST(FreemindTest, MapWithoutNodeIsAnError) {
  auto map = ReadMm("<map version=\"1.0.1\">\n</map>\n");
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(), "<input>:1:1: FreeMind map has no <node>");
}

TEST(FreemindTest, DetectedByContent) {
  auto format = DetectFormat("<map version=\"freeplane 1.9.13\">\n<node", "");
  ASSERT_TRUE(format);
  EXPECT_EQ(*format, "mm");
}

TEST(FreemindTest, DeepNestingReadsAndWrites) {
  constexpr size_t kDepth = 100'000;
  std::string input = "<map>";
  for (size_t i = 0; i < kDepth; ++i) input += "<node TEXT=\"d\">";
  for (size_t i = 0; i < kDepth; ++i) input += "</node>";
  input += "</map>";
  auto map = ReadMm(input);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->size(), kDepth);
  EXPECT_EQ(map->MaxDepth(), kDepth - 1);
  auto out = WriteMap(*map, "mm");
  ASSERT_TRUE(out);
  auto back = ReadMm(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(*map, *back, true, &why)) << why;
}

TEST(FreemindTest, MillionSiblingsReadAndWrite) {
  constexpr size_t kSiblings = 1'000'000;
  std::string input = "<map><node TEXT=\"r\">";
  for (size_t i = 0; i < kSiblings; ++i) input += "<node TEXT=\"s\"/>";
  input += "</node></map>";
  auto map = ReadMm(input);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->ChildCount(map->root()), kSiblings);
  auto out = WriteMap(*map, "mm");
  ASSERT_TRUE(out);
  auto back = ReadMm(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(*map, *back, true, &why)) << why;
}

TEST(FreemindTest, DeepRichTextIsWalkedWithoutRecursion) {
  constexpr size_t kDepth = 100'000;
  std::string input = "<map><node><richcontent TYPE=\"NODE\"><html><body>";
  for (size_t i = 0; i < kDepth; ++i) input += "<b>";
  input += "deep";
  for (size_t i = 0; i < kDepth; ++i) input += "</b>";
  input += "</body></html></richcontent></node></map>";
  auto map = ReadMm(input);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->node(map->root()).text, "deep");
}

}  // namespace
}  // namespace mindcards
