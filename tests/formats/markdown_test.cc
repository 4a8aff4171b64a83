#include <gtest/gtest.h>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

Result<Map> ReadMarkdown(std::string_view text, Diagnostics* d = nullptr) {
  ReadOptions options;
  options.format = "markdown";
  return ReadMap(text, options, d);
}

std::string Outline(const Map& map) {
  auto out = WriteMap(map, "outline");
  return out ? *out : out.error().ToString();
}

// Each node as "text [note] <link>", indented: the whole tree in one string.
std::string Dump(const Map& map) {
  std::string out;
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    const Node& n = map.node(*it);
    out.append(it.depth() * 2, ' ');
    out += n.text;
    if (!n.note().empty()) out += " [" + n.note() + "]";
    if (!n.link().empty()) out += " <" + n.link() + ">";
    if (n.folded) out += " (folded)";
    out += "\n";
  }
  return out;
}

TEST(MarkdownTest, BuildsTheTreeAsMarkmapDoes) {
  auto map = ReadMarkdown(
      "# Root\n"
      "Intro *paragraph*.\n"
      "## A\n"
      "- a1\n"
      "  - a1x\n"
      "- **a2** with `code`\n"
      "### A deep\n"
      "#### Skipped level\n"
      "## B <!-- markmap: fold -->\n"
      "1. first\n"
      "2. second\n"
      "\n"
      "| h1 | h2 |\n"
      "|----|----|\n"
      "| c1 | c2 |\n"
      "\n"
      "```\n"
      "code block\n"
      "```\n"
      "\n"
      "![alt text](img.png)\n"
      "\n"
      "> quoted\n"
      "> text\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(Dump(*map),
            "Root [Intro paragraph.]\n"
            "  A\n"
            "    a1\n"
            "      a1x\n"
            "    a2 with code\n"
            "    A deep\n"
            "      Skipped level\n"
            "  B [quoted\ntext] (folded)\n"
            "    1. first\n"
            "    2. second\n"
            "    h1 | h2\nc1 | c2\n"
            "    code block\n"
            "    alt text <img.png>\n");
}

TEST(MarkdownTest, SeveralTopLevelNodesGetTheFrontMatterTitle) {
  auto map = ReadMarkdown(
      "---\ntitle: \"My map\"\nauthor: Ann\ntags: [x, y]\nmarkmap:\n  "
      "maxWidth: 300\n---\n"
      "# One\n# Two\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(Outline(*map), "My map\n  One\n  Two\n");
  EXPECT_EQ(map->meta().title, "My map");
  EXPECT_EQ(map->meta().author, "Ann");
  EXPECT_EQ(map->meta().tags, (std::vector<std::string>{"x", "y"}));
  // Without a title the root is empty, as in markmap.
  auto untitled = ReadMarkdown("- one\n- two\n");
  ASSERT_TRUE(untitled);
  EXPECT_EQ(Outline(*untitled), "\\_\n  one\n  two\n");
}

TEST(MarkdownTest, LinksAndLooseItems) {
  auto map = ReadMarkdown(
      "# [Root](https://r.org)\n"
      "- <https://auto.org>\n"
      "- see [the docs](docs.md) and [more](more.md)\n"
      "- loose item\n"
      "\n"
      "  its second paragraph\n"
      "  - child\n"
      "\n"
      "  after the child\n"
      "- multi\n"
      "  line\\\n"
      "  hard\n");
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(Dump(*map),
            "Root <https://r.org>\n"
            "  https://auto.org <https://auto.org>\n"
            "  see the docs and more <docs.md>\n"
            "  loose item [its second paragraph\n\nafter the child]\n"
            "    child\n"
            "  multi\nline\nhard\n");
}

TEST(MarkdownTest, KeepsChildrenMarkmapWouldDrop) {
  // markmap keeps only a node's lowest-level kind of children (here the
  // sub-heading), dropping the list items; mindcards keeps both, in order.
  auto map = ReadMarkdown("# R\n## A\n- item\n### Sub\n- sub item\n");
  ASSERT_TRUE(map);
  EXPECT_EQ(Outline(*map), "R\n  A\n    item\n    Sub\n      sub item\n");
}

TEST(MarkdownTest, WritesHeadingRootAndNestedLists) {
  Map map;
  map.meta().title = "Title";
  NodeId root = map.AddRoot("Root");
  map.node(root).set_note("root note");
  NodeId a = map.AddChild(root, "a *b* [c]");
  map.node(a).set_link("https://x.org/a b");
  map.node(a).folded = true;
  NodeId a1 = map.AddChild(a, "1. not a list");
  map.node(a1).set_note("line one\n\nline three");
  map.AddChild(root, "two\nlines");
  auto out = WriteMap(map, "markdown");
  ASSERT_TRUE(out);
  EXPECT_EQ(
      *out,
      "---\ntitle: \"Title\"\n---\n\n"
      "# Root\n\nroot note\n\n"
      "- [a \\*b\\* \\[c\\]](<https://x.org/a b>) <!-- markmap: fold -->\n"
      "  - 1\\. not a list\n\n"
      "    line one\n    \\\n    line three\n"
      "- two\n  lines\n");
  auto back = ReadMarkdown(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(Dump(*back), Dump(map));
  EXPECT_EQ(back->meta().title, "Title");
}

TEST(MarkdownTest, HostileTextsRoundTrip) {
  const char* texts[] = {
      "- dash",
      "+ plus",
      "* star",
      "1. one",
      "2) two",
      "# hash",
      "## two",
      "> quote",
      "---",
      "===",
      "***",
      "___",
      "*em* _em_",
      "**strong**",
      "`code`",
      "```",
      "~~~",
      "~~del~~",
      "[x](y)",
      "![i](j)",
      "<b>html</b>",
      "<!-- c -->",
      "&amp; &#35;",
      "a | b",
      "| t |",
      "\\",
      "ends \\",
      "a\\*b",
      "line\n- item",
      "a\n\nb",
      "a\n\n\nb",
      "a\n#b",
      "x  \ny",
      "x\n  indented",
      "tab\tin",
      "C#",
      "http://x.org",
      "[ ] task",
      "10000000000. big",
      "=",
      "a\n===",
      "a\n---",
      "x\n    code?",
      "q\"'()",
      "<https://a.b>",
      "ü é 中文",
      "",
  };
  Map map;
  NodeId root = map.AddRoot("root ### with # hashes #");
  for (const char* t : texts) {
    NodeId n = map.AddChild(root, t);
    map.node(n).set_note(t);
    map.AddChild(n, t);
  }
  auto out = WriteMap(map, "markdown");
  ASSERT_TRUE(out);
  auto back = ReadMarkdown(*out);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(map, *back, true, &why)) << why << "\n" << *out;
}

TEST(MarkdownTest, RootWithLineBreakOrEmptyRoundTrips) {
  for (const char* root_text : {"two\nlines", ""}) {
    Map map;
    NodeId root = map.AddRoot(root_text);
    map.node(root).set_note("n");
    NodeId only = map.AddChild(root, "only child");
    map.AddChild(only, "grandchild");
    auto out = WriteMap(map, "markdown");
    ASSERT_TRUE(out);
    auto back = ReadMarkdown(*out);
    ASSERT_TRUE(back) << back.error().ToString();
    std::string why;
    EXPECT_TRUE(SameTree(map, *back, true, &why)) << why << "\n" << *out;
  }
}

TEST(MarkdownTest, ErrorsHavePositions) {
  struct Case {
    std::string input;
    const char* error;
  } cases[] = {
      {"# a\n- b\xFF\n", "<input>:2:4: invalid UTF-8 (byte 0xFF)"},
  };
  for (const Case& c : cases) {
    auto map = ReadMarkdown(c.input);
    ASSERT_FALSE(map) << c.input;
    EXPECT_EQ(map.error().ToString(), c.error) << c.input;
  }
}

TEST(MarkdownTest, NestingIsBoundedBeforeParsing) {
  ReadOptions options;
  options.format = "markdown";
  options.limits.max_depth = 100;
  std::string deep = "# r\n";
  for (int i = 0; i < 101; ++i) deep += "> ";
  deep += "x\n";
  auto map = ReadMap(deep, options);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(),
            "<input>:2:1: nesting too deep (limit 100)");
  std::string lists = "# r\n";
  for (int i = 0; i < 101; ++i) lists += "- ";
  lists += "x\n";
  map = ReadMap(lists, options);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(),
            "<input>:2:1: nesting too deep (limit 100)");
  // Lines that end in a lone carriage return are lines too.
  map = ReadMap("# r\r" + lists, options);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(),
            "<input>:3:1: nesting too deep (limit 100)");
  // A long thematic break is not nesting.
  map = ReadMap("# r\n" + std::string(1000, '-') + "\n", options);
  EXPECT_TRUE(map) << map.error().ToString();
}

TEST(MarkdownTest, NodesKnowTheirSourcePosition) {
  auto map = ReadMarkdown("# Root\n\n- a\n  - **b**\n");
  ASSERT_TRUE(map);
  NodeId a = map->node(map->root()).first_child;
  EXPECT_EQ(map->node(map->root()).pos, (SourcePos{1, 3}));
  EXPECT_EQ(map->node(a).pos, (SourcePos{3, 3}));
  EXPECT_EQ(map->node(map->node(a).first_child).pos, (SourcePos{4, 7}));
}

TEST(MarkdownTest, Sniffs) {
  EXPECT_EQ(*DetectFormat("# Title\n\n- item\n", ""), "markdown");
  EXPECT_EQ(*DetectFormat("---\ntitle: x\n---\n- a\n", ""), "markdown");
  EXPECT_EQ(*DetectFormat("- a\n- b\n", "notes.md"), "markdown");
}

}  // namespace
}  // namespace mindcards
