// Every layout: no overlaps, folding, sides of the balanced map, options,
// text measurement and wrapping, the sizes reader and the CLI.
#include "mindcards/layout.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdio>
#include <thread>

#include "layout/text_engine.h"
#include "layout_test_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"
#include "test_util.h"

namespace mindcards {
namespace {

using testing_util::RandomTree;
using testing_util::Shape;

constexpr LayoutKind kAllKinds[] = {LayoutKind::kMap, LayoutKind::kTidy,
                                    LayoutKind::kRight, LayoutKind::kDown,
                                    LayoutKind::kRadial};

// "" or the first pair of visible boxes that overlap (closer than `gap`).
std::string FindOverlap(const Map& map, const MapLayout& l, double gap) {
  std::vector<NodeId> ids;
  for (NodeId id : map.PreOrder()) {
    if (l.boxes[id].visible) ids.push_back(id);
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    const NodeBox& a = l.boxes[ids[i]];
    if (!std::isfinite(a.x) || !std::isfinite(a.y)) {
      return fmt::format("node {} not placed", ids[i]);
    }
    for (size_t j = i + 1; j < ids.size(); ++j) {
      const NodeBox& b = l.boxes[ids[j]];
      bool apart = a.x + a.width + gap <= b.x + 1e-6 ||
                   b.x + b.width + gap <= a.x + 1e-6 ||
                   a.y + a.height + gap <= b.y + 1e-6 ||
                   b.y + b.height + gap <= a.y + 1e-6;
      if (!apart) return fmt::format("nodes {} and {} overlap", ids[i], ids[j]);
    }
  }
  return "";
}

TEST(Layout, NoLayoutOverlapsBoxesOnRandomTrees) {
  for (uint32_t seed = 1; seed <= 600; ++seed) {
    Map map = RandomTree(seed, static_cast<Shape>(seed % 3), 3 + seed % 90);
    for (LayoutKind kind : kAllKinds) {
      LayoutOptions o;
      o.kind = kind;
      auto l = LayoutMap(map, o);
      ASSERT_TRUE(l.has_value());
      ASSERT_EQ(l->visible_count, map.size());
      ASSERT_EQ(FindOverlap(map, *l, 0), "")
          << "seed " << seed << " layout " << LayoutName(kind);
      for (NodeId id : map.PreOrder()) {
        const NodeBox& b = l->boxes[id];
        ASSERT_GE(b.x, l->min_x);
        ASSERT_LE(b.x + b.width, l->max_x + 1e-9);
        ASSERT_GE(b.y, l->min_y);
        ASSERT_LE(b.y + b.height, l->max_y + 1e-9);
      }
    }
  }
}

TEST(Layout, FoldedNodesHideTheirSubtrees) {
  Map map = RandomTree(11, Shape::kBushy, 200);
  NodeId folded = map.node(map.root()).first_child;
  ASSERT_NE(map.node(folded).first_child, kNoNode);
  map.node(folded).folded = true;
  size_t hidden = 0;
  for (NodeId id : map.PreOrder(folded)) hidden += id != folded;
  for (LayoutKind kind : kAllKinds) {
    LayoutOptions o;
    o.kind = kind;
    auto l = LayoutMap(map, o);
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(l->visible_count, map.size() - hidden);
    EXPECT_TRUE(l->boxes[folded].visible);
    EXPECT_TRUE(l->boxes[folded].folded_children);
    for (NodeId id : map.PreOrder(folded)) {
      if (id != folded) {
        EXPECT_FALSE(l->boxes[id].visible) << id;
      }
    }
    EXPECT_EQ(FindOverlap(map, *l, 0), "");
  }
}

TEST(Layout, MapSplitsBranchesClockwiseOnBothSides) {
  Map map;
  NodeId root = map.AddRoot("centre");
  testing_util::SetSize(&map, root, 100, 40);
  std::vector<NodeId> kids;
  for (int i = 0; i < 6; ++i) {
    kids.push_back(map.AddChild(root, fmt::format("k{}", i)));
    testing_util::SetSize(&map, kids.back(), 80, 30);
  }
  auto l = LayoutMap(map, LayoutOptions{});
  ASSERT_TRUE(l.has_value());
  const NodeBox& r = l->boxes[root];
  // Equal weights: three on each side; right ones top to bottom, left ones
  // bottom to top.
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(l->boxes[kids[i]].x, r.x + r.width) << i;
    EXPECT_EQ(l->boxes[kids[i]].side, 1);
    EXPECT_LE(l->boxes[kids[i + 3]].x + 80, r.x) << i;
    EXPECT_EQ(l->boxes[kids[i + 3]].side, -1);
  }
  EXPECT_LT(l->boxes[kids[0]].y, l->boxes[kids[1]].y);
  EXPECT_LT(l->boxes[kids[1]].y, l->boxes[kids[2]].y);
  EXPECT_GT(l->boxes[kids[3]].y, l->boxes[kids[4]].y);
  EXPECT_GT(l->boxes[kids[4]].y, l->boxes[kids[5]].y);
  // A side stored in the map wins.
  map.node(kids[0]).side = Side::kLeft;
  l = LayoutMap(map, LayoutOptions{});
  ASSERT_TRUE(l.has_value());
  EXPECT_EQ(l->boxes[kids[0]].side, -1);
  EXPECT_EQ(FindOverlap(map, *l, 0), "");
}

TEST(Layout, VeryDeepChainsLayOutWithoutRecursion) {
  Map map;
  NodeId at = map.AddRoot("r");
  for (int i = 0; i < 200000; ++i) at = map.AddChild(at, "n");
  for (LayoutKind kind : kAllKinds) {
    LayoutOptions o;
    o.kind = kind;
    auto l = LayoutMap(map, o);
    ASSERT_TRUE(l.has_value());
    EXPECT_EQ(l->visible_count, map.size());
    EXPECT_TRUE(std::isfinite(l->max_x) && std::isfinite(l->max_y));
  }
}

TEST(Layout, EmptyMapAndBadOptions) {
  auto empty = LayoutMap(Map(), LayoutOptions{});
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->visible_count, 0u);
  LayoutOptions o;
  o.max_width = -1;
  auto bad = LayoutMap(Map(), o);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kUsage);
  EXPECT_EQ(bad.error().message,
            "bad layout option: max width must be 0..100000");
  o = LayoutOptions{};
  o.font_size = NAN;
  EXPECT_FALSE(LayoutMap(Map(), o).has_value());
  auto kind = ParseLayoutKind("spiral");
  ASSERT_FALSE(kind.has_value());
  EXPECT_EQ(kind.error().message,
            "unknown layout 'spiral' (use map, tidy, right, down or radial)");
  EXPECT_EQ(*ParseLayoutKind("radial"), LayoutKind::kRadial);
}

// ---- text ----

detail::TextEngine* Engine() {
  auto e = detail::TextEngine::Get();
  EXPECT_TRUE(e.has_value());
  return e ? *e : nullptr;
}

std::vector<std::string> Wrapped(std::string_view text, double max_width,
                                 std::vector<LineSpan>* spans) {
  spans->clear();
  Engine()->Wrap(text, 16, max_width, spans);
  std::vector<std::string> out;
  for (const LineSpan& l : *spans) {
    out.emplace_back(text.substr(l.offset, l.length));
  }
  return out;
}

TEST(Text, WrapsAtSpacesWithinTheWidth) {
  std::vector<LineSpan> spans;
  std::string text =
      "The quick brown fox jumps over the lazy dog while the cat watches";
  auto lines = Wrapped(text, 120, &spans);
  ASSERT_GT(lines.size(), 2u);
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(spans[i].width, 120) << lines[i];
    EXPECT_GT(spans[i].width, 0);
    EXPECT_EQ(Trim(lines[i]), lines[i]);
    joined += (i ? " " : "") + lines[i];
  }
  EXPECT_EQ(joined, text);
  // Greedy: the next line's first word would not have fit.
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    std::string longer =
        lines[i] + " " + lines[i + 1].substr(0, lines[i + 1].find(' '));
    EXPECT_GT(Engine()->Measure(longer, 16), 120) << longer;
  }
  // No wrapping: one line, as wide as the widest.
  lines = Wrapped(text, 0, &spans);
  EXPECT_EQ(lines, std::vector<std::string>{text});
}

TEST(Text, HardBreaksAndLongWords) {
  std::vector<LineSpan> spans;
  EXPECT_EQ(Wrapped("first\nsecond line", 0, &spans),
            (std::vector<std::string>{"first", "second line"}));
  auto lines =
      Wrapped("Pneumonoultramicroscopicsilicovolcanoconiosis", 80, &spans);
  ASSERT_GT(lines.size(), 2u);
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_LE(spans[i].width, 80);
    joined += lines[i];
  }
  EXPECT_EQ(joined, "Pneumonoultramicroscopicsilicovolcanoconiosis");
}

TEST(Text, ChineseAndJapaneseWrapBetweenCharacters) {
  std::vector<LineSpan> spans;
  std::string zh =
      "垃圾回收器是Java虚拟机中最重要的组成部分之一，负责自动管理内存。";
  auto lines = Wrapped(zh, 100, &spans);
  ASSERT_GT(lines.size(), 2u);
  std::string joined;
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_TRUE(ValidateUtf8(lines[i]).has_value());
    EXPECT_LE(spans[i].width, 100);
    // UAX #14: no line starts with the closing punctuation "，" or "。".
    EXPECT_FALSE(lines[i].starts_with("，") || lines[i].starts_with("。"))
        << lines[i];
    joined += lines[i];
  }
  EXPECT_EQ(joined, zh);
  // CJK glyphs come from the fallback font and have real widths (about 1em).
  double w = Engine()->Measure("日本語", 16);
  EXPECT_GT(w, 40);
  EXPECT_LT(w, 56);
}

TEST(Text, BoxesHoldTheirText) {
  Map map;
  NodeId root = map.AddRoot("A root with a rather long title that must wrap");
  map.AddChild(root, "短い");
  map.AddChild(root, "");
  map.AddChild(root, "x\ny\nz");
  LayoutOptions o;
  o.max_width = 150;
  auto l = LayoutMap(map, o);
  ASSERT_TRUE(l.has_value());
  for (NodeId id : map.PreOrder()) {
    const NodeBox& b = l->boxes[id];
    for (uint32_t i = 0; i < b.line_count; ++i) {
      const LineSpan& s = l->lines[b.first_line + i];
      EXPECT_LE(s.width + 2 * o.padding_x, b.width + 1e-9);
      EXPECT_LE(s.width, o.max_width);
    }
    EXPECT_GE(b.height, b.line_count * o.line_height + 2 * o.padding_y);
    EXPECT_LE(b.width, o.max_width + 2 * o.padding_x);
  }
  EXPECT_GT(l->boxes[root].line_count, 1u);
  EXPECT_EQ(l->boxes[3].line_count, 3u);
  EXPECT_EQ(LineText(map, *l, 3, 2), "z");
}

// ---- the sizes reader and the CLI ----

TEST(Sizes, ReadsTheHarnessFormatAndReportsErrors) {
  ReadOptions ro;
  ro.format = "sizes";
  auto map =
      ReadMap("# c\n0 -1 100 40\n1 0 50 20\n2 0 60.5 30\n3 1 10 10\n", ro);
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  EXPECT_EQ(map->size(), 4u);
  EXPECT_EQ(map->node(2).attributes()[0].value, "60.5 30");
  auto written = WriteMap(*map, "sizes");
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(*written,
            "# mmtree v1 (mindcards)\n# id parent_id width height\n"
            "0 -1 100 40\n1 0 50 20\n2 1 10 10\n3 0 60.5 30\n");
  struct Case {
    const char* input;
    const char* error;
  };
  for (const Case& c : {
           Case{"0 -1 10\n",
                "<input>:1:1: expected 'id parent width height', found 3 "
                "fields"},
           Case{"0 -1 10 10\n1 5 3 3\n",
                "<input>:2:3: parent 5 is not defined on an earlier line"},
           Case{"0 -1 10 10\n0 0 3 3\n",
                "<input>:2:1: node id 0 appears twice"},
           Case{"0 -1 10 -4\n", "<input>:1:9: bad height '-4' (0..1000000)"},
           Case{"0 -1 10 10\n1 -1 3 3\n",
                "<input>:2:3: a second root (parent -1)"},
           Case{"# nothing\n", "no nodes (expected 'id parent width height')"},
       }) {
    auto bad = ReadMap(c.input, ro);
    ASSERT_FALSE(bad.has_value()) << c.input;
    EXPECT_EQ(bad.error().ToString(), c.error);
    // The compact reader of `mindcards layout -f sizes` says the same.
    std::vector<std::string_view> ids;
    auto bad_tree = ReadTreeSizes(c.input, &ids);
    ASSERT_FALSE(bad_tree.has_value()) << c.input;
    Error e = bad_tree.error();
    if (e.pos.line != 0) e.file = "<input>";
    EXPECT_EQ(e.ToString(), c.error);
  }
  std::vector<std::string_view> ids;
  auto tree = ReadTreeSizes(
      "# c\n7 -1 100 40\n1 7 50 20\n2 7 60.5 30\n3 1 10 10\n", &ids);
  ASSERT_TRUE(tree.has_value()) << tree.error().ToString();
  EXPECT_EQ(ids, (std::vector<std::string_view>{"7", "1", "2", "3"}));
  EXPECT_EQ(tree->parent, (LargeVector<uint32_t>{0, 0, 0, 1}));
  EXPECT_EQ(tree->width, (LargeVector<double>{100, 50, 60.5, 10}));
  EXPECT_EQ(tree->height, (LargeVector<double>{40, 20, 30, 10}));
}

// The sizes of a tree made by RandomTree, node ids as indices.
TreeSizes SizesOf(const Map& map) {
  TreeSizes tree;
  for (NodeId id = 0; id < map.id_count(); ++id) {
    const Node& n = map.node(id);
    EXPECT_TRUE(id == 0 ? n.parent == kNoNode : n.parent < id);
    tree.parent.push_back(id == 0 ? 0 : n.parent);
    double w = 0, h = 0;
    EXPECT_EQ(
        std::sscanf(n.attributes().at(0).value.c_str(), "%lf %lf", &w, &h), 2);
    tree.width.push_back(w);
    tree.height.push_back(h);
  }
  return tree;
}

// LayoutTree (compact arrays, any node order with parents first) places
// every box exactly where LayoutMap places the same tree given as a Map.
TEST(LayoutTree, PlacesBoxesExactlyAsLayoutMapDoes) {
  for (uint32_t seed = 0; seed < 600; ++seed) {
    Map map = RandomTree(seed, static_cast<Shape>(seed % 3), 1 + seed % 150);
    TreeSizes tree = SizesOf(map);
    for (LayoutKind kind :
         {LayoutKind::kMap, LayoutKind::kTidy, LayoutKind::kRight,
          LayoutKind::kDown, LayoutKind::kRadial}) {
      LayoutOptions o;
      o.kind = kind;
      auto want = LayoutMap(map, o);
      auto got = LayoutTree(tree, o);
      ASSERT_TRUE(want.has_value() && got.has_value());
      ASSERT_EQ(got->preorder.size(), map.size());
      size_t k = 0;
      for (NodeId id : map.PreOrder()) {
        ASSERT_EQ(got->preorder[k++], id) << seed;
        const NodeBox& b = want->boxes[id];
        ASSERT_EQ(got->x[id], b.x) << seed << " " << LayoutName(kind);
        ASSERT_EQ(got->y[id], b.y) << seed << " " << LayoutName(kind);
      }
      EXPECT_EQ(got->min_x, want->min_x);
      EXPECT_EQ(got->min_y, want->min_y);
      EXPECT_EQ(got->max_x, want->max_x);
      EXPECT_EQ(got->max_y, want->max_y);
    }
  }
  TreeSizes bad;
  bad.parent = {0, 2, 0};
  bad.width = bad.height = {1, 1, 1};
  auto e = LayoutTree(bad, LayoutOptions{});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().ToString(),
            "tree sizes: node 1 has parent 2, not an earlier node");
  bad.parent = {0, 0, 1};
  bad.width[2] = -1;
  e = LayoutTree(bad, LayoutOptions{});
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().ToString(), "tree sizes: node 2 has a bad size");
  auto empty = LayoutTree(TreeSizes{}, LayoutOptions{});
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->x.empty());
}

// Every layout, on one thread or two, rejects a bad parent or size with the
// first fault in index order (the tidy ones check while they work: a bad
// parent must never be followed, even far beyond the last node).
TEST(LayoutTree, RejectsBadTreesOnEveryPath) {
  TreeSizes big;
  for (uint32_t i = 0; i < 60000; ++i) {
    big.parent.push_back(i == 0 ? 0 : (i - 1) / 3);
    big.width.push_back(10 + i % 7);
    big.height.push_back(10 + i % 5);
  }
  constexpr uint32_t kKeep = 0xffffffffu;
  struct Case {
    uint32_t node;
    uint32_t parent;  // or kKeep
    double width;
    const char* want;
  };
  const Case cases[] = {
      {59999, 4000000000u, 10,
       "tree sizes: node 59999 has parent 4000000000, "
       "not an earlier node"},
      {30000, 30000, 10,
       "tree sizes: node 30000 has parent 30000, not an earlier node"},
      {12345, kKeep, -1, "tree sizes: node 12345 has a bad size"},
      {7, kKeep, INFINITY, "tree sizes: node 7 has a bad size"},
      {59999, kKeep, NAN, "tree sizes: node 59999 has a bad size"},
  };
  for (const Case& c : cases) {
    TreeSizes bad = big;
    if (c.parent != kKeep) bad.parent[c.node] = c.parent;
    bad.width[c.node] = c.width;
    for (LayoutKind kind : {LayoutKind::kTidy, LayoutKind::kRight,
                            LayoutKind::kDown, LayoutKind::kMap}) {
      for (unsigned threads : {1u, 2u}) {
        LayoutOptions o;
        o.kind = kind;
        o.threads = threads;
        auto e = LayoutTree(bad, o);
        ASSERT_FALSE(e.has_value()) << c.want;
        EXPECT_EQ(e.error().ToString(), c.want)
            << LayoutName(kind) << " " << threads;
      }
    }
  }
  // A bad size before a bad parent: the size is reported.
  TreeSizes both = big;
  both.width[100] = -2;
  both.parent[200] = 300;
  LayoutOptions o;
  o.kind = LayoutKind::kTidy;
  o.threads = 2;
  auto e = LayoutTree(both, o);
  ASSERT_FALSE(e.has_value());
  EXPECT_EQ(e.error().ToString(), "tree sizes: node 100 has a bad size");
}

// "" or the first difference between two layouts of `tree`, bit for bit.
std::string Difference(const TreeLayout& a, const TreeLayout& b) {
  auto same = [](double x, double y) {
    return std::bit_cast<uint64_t>(x) == std::bit_cast<uint64_t>(y);
  };
  if (a.x.size() != b.x.size()) return "sizes differ";
  for (size_t i = 0; i < a.x.size(); ++i) {
    if (!same(a.x[i], b.x[i]) || !same(a.y[i], b.y[i])) {
      return fmt::format("node {}: ({}, {}) vs ({}, {})", i, a.x[i], a.y[i],
                         b.x[i], b.y[i]);
    }
  }
  if (a.preorder != b.preorder) return "preorders differ";
  if (!same(a.min_x, b.min_x) || !same(a.min_y, b.min_y) ||
      !same(a.max_x, b.max_x) || !same(a.max_y, b.max_y)) {
    return "bounds differ";
  }
  return "";
}

// Lays `tree` out with one thread and with `threads`; "" when the boxes are
// the same bit for bit and the second layout ran on `want_threads`.
std::string CompareThreads(const TreeSizes& tree, unsigned threads,
                           unsigned want_threads) {
  for (LayoutKind kind :
       {LayoutKind::kTidy, LayoutKind::kRight, LayoutKind::kDown}) {
    LayoutOptions o;
    o.kind = kind;
    o.threads = 1;
    auto one = LayoutTree(tree, o);
    o.threads = threads;
    auto two = LayoutTree(tree, o);
    if (!one || !two) return "failed";
    if (one->threads != 1 || two->threads != want_threads) {
      return fmt::format("ran on {} and {} threads", one->threads,
                         two->threads);
    }
    std::string diff = Difference(*one, *two);
    if (!diff.empty()) return fmt::format("{}: {}", LayoutName(kind), diff);
  }
  return "";
}

// The second thread lays out whole subtrees chosen from the tree's shape;
// every box lands exactly where one thread puts it, on random trees with
// the second thread forced, on a chain, a star, and trees large enough
// for the automatic choice (nodes breadth first and depth first).
TEST(LayoutTree, TwoThreadsPlaceBoxesExactlyAsOne) {
  for (uint32_t seed = 0; seed < 300; ++seed) {
    Map map = RandomTree(seed, static_cast<Shape>(seed % 3), 2 + seed % 200);
    EXPECT_EQ(CompareThreads(SizesOf(map), 2, 2), "") << seed;
  }
  TreeSizes chain, star;
  for (uint32_t i = 0; i < 3000; ++i) {
    chain.parent.push_back(i == 0 ? 0 : i - 1);
    star.parent.push_back(0);
    for (TreeSizes* t : {&chain, &star}) {
      t->width.push_back(10 + i % 7 * 30);
      t->height.push_back(10 + i % 5 * 15);
    }
  }
  EXPECT_EQ(CompareThreads(chain, 2, 2), "");
  EXPECT_EQ(CompareThreads(star, 2, 2), "");
  TreeSizes single;
  single.parent = {0};
  single.width = single.height = {10};
  EXPECT_EQ(CompareThreads(single, 2, 1), "");
  // Automatic: two threads from 50,000 nodes, whatever the shape.
  unsigned automatic = std::thread::hardware_concurrency() >= 2 ? 2 : 1;
  TreeSizes deep = SizesOf(RandomTree(7, Shape::kDeep, 60000));
  EXPECT_EQ(CompareThreads(deep, 0, automatic), "");
  TreeSizes bushy = SizesOf(RandomTree(7, Shape::kBushy, 60000));
  EXPECT_EQ(CompareThreads(bushy, 0, automatic), "");
  EXPECT_EQ(CompareThreads(bushy, 1, 1), "");
  TreeSizes small = SizesOf(RandomTree(7, Shape::kBushy, 40000));
  EXPECT_EQ(CompareThreads(small, 0, 1), "");
}

TEST(Cli, LayoutPrintsOneLinePerVisibleNode) {
  std::string tree = "0 -1 100 40\n1 0 50 20\n2 0 60 30\n";
  auto r =
      testing::RunCli({"layout", "-", "-f", "sizes", "--layout", "tidy"}, tree);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ReadOptions ro;
  ro.format = "sizes";
  auto map = ReadMap(tree, ro);
  LayoutOptions o;
  o.kind = LayoutKind::kTidy;
  auto l = LayoutMap(*map, o);
  std::string want;
  for (NodeId id : map->PreOrder()) {
    const NodeBox& b = l->boxes[id];
    want +=
        fmt::format("{}\t{}\t{}\t{}\t{}\n", id, b.x, b.y, b.width, b.height);
  }
  EXPECT_EQ(r.out, want);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "0\t0\t-20\t100\t40");
  r = testing::RunCli({"layout", "-", "--layout", "spiral"}, tree);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "mindcards layout: unknown layout 'spiral' (use map, tidy, right, "
            "down or radial)\n");
  r = testing::RunCli({"layout", "-", "-f", "sizes"}, "0 -1 x 1\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "<stdin>:1:6: bad width 'x' (0..1000000)\n");
}

}  // namespace
}  // namespace mindcards
