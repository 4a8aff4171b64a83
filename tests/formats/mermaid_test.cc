#include <gtest/gtest.h>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

Result<Map> ReadMermaid(std::string_view text, Diagnostics* d = nullptr) {
  ReadOptions options;
  options.format = "mermaid";
  return ReadMap(text, options, d);
}

std::string Outline(const Map& map) {
  auto out = WriteMap(map, "outline");
  return out ? *out : out.error().ToString();
}

std::string Attr(const Node& n, std::string_view name) {
  for (const Attribute& a : n.attributes()) {
    if (a.name == name) return a.value;
  }
  return "";
}

TEST(MermaidTest, ParentIsTheNearestNodeIndentedLess) {
  // Irregular indentation, as in mermaid's own documentation.
  auto map = ReadMermaid(
      "%% a comment\n"
      "mindmap\n"
      "  root((mindmap))\n"
      "    A\n"
      "      A1\n"
      "            A1a\n"
      "        A2\n"
      "   B\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(Outline(*map), "mindmap\n  A\n    A1\n      A1a\n      A2\n  B\n");
}

TEST(MermaidTest, ReadsShapesIconsAndClasses) {
  auto map = ReadMermaid(
      "mindmap\n"
      "root\n"
      "  a[square]\n"
      "    ::icon(fa fa-book)\n"
      "    :::urgent large\n"
      "  b(rounded)\n"
      "  c((circle))\n"
      "  d)cloud(\n"
      "  e))bang((\n"
      "  f{{hexagon}}\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(
      Outline(*map),
      "root\n  square\n  rounded\n  circle\n  cloud\n  bang\n  hexagon\n");
  std::vector<std::string> shapes;
  for (NodeId c : map->Children(map->root())) {
    shapes.push_back(Attr(map->node(c), "mermaid.shape"));
  }
  EXPECT_EQ(shapes, (std::vector<std::string>{"rect", "rounded", "circle",
                                              "cloud", "bang", "hexagon"}));
  const Node& a = map->node(map->node(map->root()).first_child);
  EXPECT_EQ(a.icons(), (std::vector<std::string>{"fa fa-book"}));
  EXPECT_EQ(Attr(a, "mermaid.class"), "urgent large");
}

TEST(MermaidTest, ReadsStringsBreaksAndEntities) {
  auto map = ReadMermaid(
      "mindmap\n"
      "  root[\"quoted ] (text)\"]\n"
      "    md[\"`**bold** and\n"
      "       second line`\"]\n"
      "    one<br/>two<BR>three\n"
      "    e[\"#quot;x#quot; #35; #59;\"]\n"
      "    s[a \"stray quote]\n"
      "    ml[\n"
      "      spans\n"
      "      lines\n"
      "    ]\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(Outline(*map),
            "quoted ] (text)\n"
            "  bold and\\nsecond line\n"
            "  one\\ntwo\\nthree\n"
            "  \"x\" # ;\n"
            "  a \"stray quote\n"
            "  spans\\nlines\n");
}

TEST(MermaidTest, BracketsInsideTextKeepTheLineWithAWarning) {
  Diagnostics d;
  auto map = ReadMermaid(
      "mindmap\n  root\n    pH = -log[H+]\n    f(x)\n    a (b) c\n", &d);
  ASSERT_TRUE(map) << map.error().ToString();
  // "f(x)" is an id with a shape, as mermaid reads it.
  EXPECT_EQ(Outline(*map), "root\n  pH = -log[H+]\n  x\n  a (b) c\n");
  ASSERT_EQ(d.items().size(), 2u);
  EXPECT_EQ(d.items()[0].pos, (SourcePos{3, 5}));
  EXPECT_EQ(d.items()[0].message,
            "brackets after text with spaces (not a node id); kept the whole "
            "line as text");
}

TEST(MermaidTest, ErrorsHavePositions) {
  struct Case {
    const char* input;
    const char* error;
  } cases[] = {
      {"graph TD\n  a\n", "<input>:1:1: expected 'mindmap', got 'graph TD'"},
      {"\n%% only\n", "<input>:3:1: expected 'mindmap', got end of input"},
      {"mindmap\n", "<input>:2:1: no nodes: the mindmap is empty"},
      {"mindmap\n  a\n  b\n",
       "<input>:3:3: a second root: no earlier node is indented less than this "
       "one (a mindmap has one root)"},
      {"mindmap\n  ::icon(x)\n", "<input>:2:3: '::icon(..)' before any node"},
      {"mindmap\n  a\n  ::icon(x\n", "<input>:3:3: '::icon(' without its ')'"},
      {"mindmap\n  a[\"open\n", "<input>:2:5: unterminated quoted string"},
      {"mindmap\n  a[\"x\" y]\n",
       "<input>:2:3: expected a closing bracket for '['"},
      {"mindmap\n  a\xC3\n", "<input>:2:4: invalid UTF-8 (byte 0xC3)"},
      {"---\ntitle: x\n",
       "<input>:1:1: front matter opened with '---' is never closed"},
  };
  for (const Case& c : cases) {
    auto map = ReadMermaid(c.input);
    ASSERT_FALSE(map) << c.input;
    EXPECT_EQ(map.error().ToString(), c.error) << c.input;
  }
}

TEST(MermaidTest, WritesQuotedStringsWhereNeeded) {
  Map map;
  NodeId root = map.AddRoot("Root");
  map.node(root).mutable_extras().attributes.push_back(
      {"mermaid.shape", "circle"});
  map.AddChild(root, "plain words");
  NodeId b = map.AddChild(root, "has \"quotes\" [brackets] #1; and\nbreak");
  map.node(b).mutable_extras().icons = {"fa fa-x"};
  map.AddChild(root, "");
  map.AddChild(root, "C1-1");
  auto out = WriteMap(map, "mermaid");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            "mindmap\n"
            "  ((\"Root\"))\n"
            "    plain words\n"
            "    [\"has #quot;quotes#quot; [brackets] #35;1; and<br/>break\"]\n"
            "      ::icon(fa fa-x)\n"
            "    [\" \"]\n"
            "    [\"C1-1\"]\n");
  auto back = ReadMermaid(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(map, *back, false, &why)) << why;
}

TEST(MermaidTest, HostileTextsRoundTrip) {
  const char* texts[] = {
      "\"",  "#quot;",    "#35;",   "a<br/>b",          "<br>",    "`tick",
      "`\"", "::icon(x)", ":::c",   "%% not a comment", "mindmap", "x))y((",
      "((",  "]",         "a\n\nb", "tab\there",        "\\",      "#",
      "#x",  "-)",        "(-",
  };
  Map map;
  NodeId root = map.AddRoot("r");
  for (const char* t : texts) map.AddChild(root, t);
  auto out = WriteMap(map, "mermaid");
  ASSERT_TRUE(out);
  auto back = ReadMermaid(*out);
  ASSERT_TRUE(back) << back.error().ToString() << "\n" << *out;
  std::string why;
  EXPECT_TRUE(SameTree(map, *back, false, &why)) << why << "\n" << *out;
}

TEST(MermaidTest, SniffsTheKeyword) {
  EXPECT_EQ(*DetectFormat("%% c\n\nmindmap\n  a\n", ""), "mermaid");
  EXPECT_EQ(*DetectFormat("---\ntitle: t\n---\nmindmap\n  a\n", ""), "mermaid");
}

}  // namespace
}  // namespace mindcards
