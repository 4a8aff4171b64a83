#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

// Everything a read gives: the error, or each node with its position and
// the meta's title.
std::string ReadAll(std::string_view text, ReadLimits limits) {
  ReadOptions options;
  options.format = "markdown";
  options.limits = limits;
  auto map = ReadMap(text, options);
  if (!map) return "error " + map.error().ToString();
  std::string out = "title " + map->meta().title + "\n" + Dump(*map);
  for (auto it = map->PreOrder().begin(); it != map->PreOrder().end(); ++it) {
    const SourcePos pos = map->node(*it).pos;
    out += std::to_string(pos.line) + ":" + std::to_string(pos.column) + " ";
  }
  return out;
}

// A document of random Markdown pieces: headings, items at any indent,
// ordered lists, tables, code, quotes, HTML, images, links, entities, NULs,
// non-ASCII and combining marks, blank lines, CRLF.
std::string RandomMarkdown(uint64_t seed, size_t lines) {
  static const std::string_view kWords[] = {
      "cold",     "détente",     "東京",
      "**bold**", "*em*",        "`code`",
      "[a](u v)", "[b](<x\ny>)", "![i](p.png)",
      "&amp;",    "&#x301;",     "&bogus;",
      "<br>",     "<b>t</b>",    "<!-- markmap: fold -->",
      "~~s~~",    "\\*",         "e\xCC\x81",
      "|",        "#",           std::string_view("nul\0x", 5),
      "  ",       "\t",          "[r]",
      "x"};
  static const char* const kStarts[] = {"# ",
                                        "## ",
                                        "### ",
                                        "- ",
                                        "  - ",
                                        "    - ",
                                        "* ",
                                        "1. ",
                                        "  2) ",
                                        "> ",
                                        "",
                                        "",
                                        "    ",
                                        "| a | b |\n|---|---|\n| ",
                                        "```\n",
                                        "<div>\n",
                                        "[r]: http://r.org\n",
                                        "---\n"};
  uint64_t state = seed * 2654435761u + 1;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  std::string out = next(8) == 0 ? "---\ntitle: T\n---\n" : "";
  const char* eol = next(6) == 0 ? "\r\n" : "\n";
  for (size_t l = 0; l < lines; ++l) {
    out += kStarts[next(std::size(kStarts))];
    for (uint64_t w = 0, n = next(6); w < n; ++w) {
      out += kWords[next(std::size(kWords))];
      out += ' ';
    }
    out += eol;
  }
  return out;
}

// md4c on a second thread, the map built from its handed-over callbacks,
// must give what one thread gives: same nodes, positions and errors,
// including a node limit hit part way through a long input.
TEST(MarkdownTest, TwoThreadsReadTheSameMapAsOne) {
  std::vector<std::string> docs;
  for (uint64_t seed = 0; seed < 300; ++seed) {
    docs.push_back(RandomMarkdown(seed, 1 + seed % 60));
  }
  std::string long_doc = "# Root\n\n";  // many chunks of callbacks
  for (int i = 0; i < 60000; ++i) {
    long_doc.append(static_cast<size_t>(i % 6) * 2, ' ');
    long_doc += i % 7 == 0 ? "1. [item](u) " : "- item &amp; é ";
    long_doc += std::to_string(i) + "\n";
    if (i % 20 == 0) long_doc += "\n            note\n";
  }
  docs.push_back(long_doc);
  docs.push_back(RandomMarkdown(7, 20000));
  for (size_t max_nodes : {size_t{50'000'000}, size_t{30}, size_t{40000}}) {
    for (const std::string& doc : docs) {
      ReadLimits one;
      one.max_nodes = max_nodes;
      one.threads = 1;
      ReadLimits two = one;
      two.threads = 2;
      std::string want = ReadAll(doc, one);
      ASSERT_EQ(ReadAll(doc, two), want) << doc.substr(0, 200);
    }
  }
  ReadLimits automatic;  // 0: two threads from 4 MB
  std::string big = long_doc;
  while (big.size() < (size_t{5} << 20)) big += long_doc.substr(10);
  ReadLimits one;
  one.threads = 1;
  EXPECT_EQ(ReadAll(big, automatic), ReadAll(big, one));
}

TEST(MarkdownTest, Sniffs) {
  EXPECT_EQ(*DetectFormat("# Title\n\n- item\n", ""), "markdown");
  EXPECT_EQ(*DetectFormat("---\ntitle: x\n---\n- a\n", ""), "markdown");
  EXPECT_EQ(*DetectFormat("- a\n- b\n", "notes.md"), "markdown");
}

}  // namespace
}  // namespace mindcards
