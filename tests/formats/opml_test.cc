#include <gtest/gtest.h>

#include <string>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

Result<Map> ReadOpml(std::string_view text, Diagnostics* d = nullptr) {
  ReadOptions options;
  options.format = "opml";
  return ReadMap(text, options, d);
}

TEST(OpmlTest, ReadsTextNotesLinksAttributesAndHead) {
  auto map = ReadOpml(
      "<?xml version=\"1.0\"?>\n"
      "<opml version=\"2.0\">\n"
      "  <head><title>Trees</title><ownerName>Ann</ownerName>\n"
      "    <dateCreated>Tue, 15 Mar 2005 16:35:45 GMT</dateCreated></head>\n"
      "  <body>\n"
      "    <outline text=\"Root\" created=\"x\">\n"
      "      <outline text=\"Oak &amp; ash\" _note=\"hard&#10;wood\"/>\n"
      "      <outline text=\"Site\" type=\"link\" "
      "url=\"https://a.example/\"/>\n"
      "    </outline>\n"
      "  </body>\n"
      "</opml>\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->meta().title, "Trees");
  EXPECT_EQ(map->meta().author, "Ann");
  EXPECT_EQ(map->meta().created, "2005-03-15");
  EXPECT_EQ(map->meta().source_format, "opml");
  ASSERT_EQ(map->size(), 3u);
  const Node& root = map->node(map->root());
  EXPECT_EQ(root.text, "Root");
  EXPECT_EQ(root.pos, (SourcePos{6, 5}));
  ASSERT_EQ(root.attributes().size(), 1u);
  EXPECT_EQ(root.attributes()[0], (Attribute{"created", "x"}));
  const Node& oak = map->node(root.first_child);
  EXPECT_EQ(oak.text, "Oak & ash");
  EXPECT_EQ(oak.note(), "hard\nwood");
  EXPECT_EQ(oak.pos, (SourcePos{7, 7}));
  const Node& site = map->node(oak.next_sibling);
  EXPECT_EQ(site.link(), "https://a.example/");
  EXPECT_EQ(site.attributes(), (std::vector<Attribute>{{"type", "link"}}));
}

TEST(OpmlTest, WritesWholeDocument) {
  Map map;
  map.meta().title = "T & t";
  map.meta().author = "Ann";
  map.meta().created = "2024-02-29";
  NodeId root = map.AddRoot("Root");
  NodeId a = map.AddChild(root, "a \"quoted\"\ttab");
  map.node(a).set_note("line 1\nline 2");
  map.node(a).mutable_extras().attributes.push_back({"created", "today"});
  map.node(a).mutable_extras().attributes.push_back({"not a name", "dropped"});
  map.node(a).mutable_extras().attributes.push_back(
      {"created", "repeated, dropped"});
  NodeId b = map.AddChild(a, "<b>");
  map.node(b).set_link("http://x.example/?a=1&b=2");
  map.AddChild(root, "c");
  auto out = WriteMap(map, "opml");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<opml version=\"2.0\">\n"
            "  <head>\n"
            "    <title>T &amp; t</title>\n"
            "    <dateCreated>Thu, 29 Feb 2024 00:00:00 GMT</dateCreated>\n"
            "    <ownerName>Ann</ownerName>\n"
            "  </head>\n"
            "  <body>\n"
            "    <outline text=\"Root\">\n"
            "      <outline text=\"a &quot;quoted&quot;&#9;tab\" "
            "_note=\"line 1&#10;line 2\" created=\"today\">\n"
            "        <outline text=\"&lt;b&gt;\" type=\"link\" "
            "url=\"http://x.example/?a=1&amp;b=2\"/>\n"
            "      </outline>\n"
            "      <outline text=\"c\"/>\n"
            "    </outline>\n"
            "  </body>\n"
            "</opml>\n");
  auto back = ReadOpml(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(map, *back, true, &why)) << why;
  EXPECT_EQ(back->meta().created, "2024-02-29");
}

TEST(OpmlTest, SeveralTopLevelOutlinesGetARootFromTheTitle) {
  const std::string input =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<opml version=\"2.0\">\n"
      "  <head>\n"
      "    <title>Deck</title>\n"
      "  </head>\n"
      "  <body>\n"
      "    <outline text=\"q1\">\n"
      "      <outline text=\"a1\"/>\n"
      "    </outline>\n"
      "    <outline text=\"q2\"/>\n"
      "  </body>\n"
      "</opml>\n";
  auto map = ReadOpml(input);
  ASSERT_TRUE(map) << map.error().ToString();
  ASSERT_EQ(map->size(), 4u);
  EXPECT_EQ(map->node(map->root()).text, "Deck");
  EXPECT_EQ(map->node(map->root()).pos, (SourcePos{6, 3}));
  EXPECT_EQ(map->ChildCount(map->root()), 2u);
  // Written back as it was: no extra level, no duplicated root.
  auto out = WriteMap(*map, "opml");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, input);
}

TEST(OpmlTest, RootNameFallsBackToBodyTextThenUntitled) {
  auto map = ReadOpml(
      "<opml><body text=\"from body\"><outline text=\"a\"/>"
      "<outline text=\"b\"/></body></opml>");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->node(map->root()).text, "from body");
  map = ReadOpml("<opml><head/><body/></opml>");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->size(), 1u);
  EXPECT_EQ(map->node(map->root()).text, "untitled");
  auto out = WriteMap(*map, "opml");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml "
            "version=\"2.0\">\n  <head>\n    <title>untitled</title>\n  "
            "</head>\n  <body>\n  </body>\n</opml>\n");
}

TEST(OpmlTest, DecodesDeclaredLatin1AndWindows1252) {
  for (const char* encoding : {"ISO-8859-1", "latin1", "windows-1252"}) {
    std::string input = std::string("<?xml version=\"1.0\" encoding=\"") +
                        encoding +
                        "\"?>\n<opml><body><outline text=\"caf\xE9 "
                        "\x80\x35\"/></body></opml>";
    auto map = ReadOpml(input);
    ASSERT_TRUE(map) << encoding << ": " << map.error().ToString();
    EXPECT_EQ(map->node(map->root()).text,
              "caf\xC3\xA9 \xE2\x82\xAC"
              "5")
        << encoding;
  }
}

TEST(OpmlTest, WarnsAboutOutlineWithoutText) {
  Diagnostics d;
  auto map = ReadOpml("<opml><body>\n<outline/></body></opml>", &d);
  ASSERT_TRUE(map) << map.error().ToString();
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].pos, (SourcePos{2, 1}));
  EXPECT_EQ(d.items()[0].message, "<outline> without a text attribute");
}

TEST(OpmlTest, DetectedByContent) {
  auto format = DetectFormat("<?xml version=\"1.0\"?>\n<opml version=\"2.0\">",
                             "notes.xml");
  ASSERT_TRUE(format);
  EXPECT_EQ(*format, "opml");
}

// 100,000 levels: reading, writing and destroying must not recurse.
TEST(OpmlTest, DeepNestingReadsAndWrites) {
  constexpr size_t kDepth = 100'000;
  std::string input = "<opml><body>";
  for (size_t i = 0; i < kDepth; ++i) input += "<outline text=\"d\">";
  for (size_t i = 0; i < kDepth; ++i) input += "</outline>";
  input += "</body></opml>";
  auto map = ReadOpml(input);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->size(), kDepth);
  EXPECT_EQ(map->MaxDepth(), kDepth - 1);
  auto out = WriteMap(*map, "opml");
  ASSERT_TRUE(out);
  auto back = ReadOpml(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(*map, *back, true, &why)) << why;
}

TEST(OpmlTest, MillionSiblingsReadAndWrite) {
  constexpr size_t kSiblings = 1'000'000;
  std::string input = "<opml><body><outline text=\"r\">";
  for (size_t i = 0; i < kSiblings; ++i) input += "<outline text=\"s\"/>";
  input += "</outline></body></opml>";
  auto map = ReadOpml(input);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->size(), kSiblings + 1);
  EXPECT_EQ(map->ChildCount(map->root()), kSiblings);
  auto out = WriteMap(*map, "opml");
  ASSERT_TRUE(out);
  auto back = ReadOpml(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(*map, *back, true, &why)) << why;
}

TEST(OpmlTest, DepthLimitIsAnError) {
  ReadOptions options;
  options.format = "opml";
  options.limits.max_depth = 2;
  auto map = ReadMap(
      "<opml><body>\n<outline text=\"0\"><outline text=\"1\">\n"
      "  <outline text=\"2\"><outline text=\"3\"/></outline>"
      "</outline></outline></body></opml>",
      options);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(), "<input>:3:21: nesting too deep (limit 2)");
}

}  // namespace
}  // namespace mindcards
