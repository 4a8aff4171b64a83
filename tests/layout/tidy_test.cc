// The tidy layout against d3-flextree's own layouts of the harness trees,
// and the tidy-tree invariants on thousands of random trees.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <random>
#include <sstream>
#include <unordered_map>

#include "layout_test_util.h"
#include "mindcards/formats.h"
#include "mindcards/layout.h"
#include "test_util.h"

namespace mindcards {
namespace {

using testing::ReadFileOrDie;
using testing::SharedDir;

struct Rect {
  double x, y, w, h;
};

std::unordered_map<std::string, Rect> ReadReference(const std::string& text) {
  std::unordered_map<std::string, Rect> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string id;
    Rect r;
    f >> id >> r.x >> r.y >> r.w >> r.h;
    out[id] = r;
  }
  return out;
}

// Lays out `map` with tidy and compares with `ref` after moving both roots
// to the origin. Returns the largest deviation.
double CompareWithReference(const Map& map,
                            const std::unordered_map<std::string, Rect>& ref) {
  LayoutOptions o;
  o.kind = LayoutKind::kTidy;
  auto layout = LayoutMap(map, o);
  EXPECT_TRUE(layout.has_value());
  if (!layout) return INFINITY;
  const NodeBox& root = layout->boxes[map.root()];
  const Rect& ref_root = ref.at(map.node(map.root()).text);
  double worst = 0;
  size_t compared = 0;
  for (NodeId id : map.PreOrder()) {
    const NodeBox& b = layout->boxes[id];
    auto it = ref.find(map.node(id).text);
    if (it == ref.end()) {
      ADD_FAILURE() << "node " << map.node(id).text << " not in reference";
      return INFINITY;
    }
    const Rect& r = it->second;
    EXPECT_EQ(b.width, r.w);
    EXPECT_EQ(b.height, r.h);
    worst = std::max(worst, std::fabs((b.x - root.x) - (r.x - ref_root.x)));
    worst = std::max(worst, std::fabs((b.y - root.y) - (r.y - ref_root.y)));
    ++compared;
  }
  EXPECT_EQ(compared, ref.size());
  return worst;
}

class FlextreeReference : public ::testing::TestWithParam<std::string> {};

TEST_P(FlextreeReference, MatchesWithin1e6) {
  MINDCARDS_REQUIRE_SHARED();
  std::string dir = SharedDir() + "/layout";
  std::string tree_file = dir + "/trees/" + GetParam() + ".txt";
  std::string ref_file =
      dir + "/reference_layouts/" + GetParam() + ".flextree.txt";
  if (!std::filesystem::exists(tree_file) ||
      !std::filesystem::exists(ref_file)) {
    GTEST_SKIP() << "no reference layout " << ref_file;
  }
  ReadOptions ro;
  ro.format = "sizes";
  auto map = ReadMap(ReadFileOrDie(tree_file), ro);
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  EXPECT_LE(CompareWithReference(*map, ReadReference(ReadFileOrDie(ref_file))),
            1e-6);
  // d3-flextree's layout of the mirrored tree (every child list reversed).
  Map mirrored = testing_util::Mirror(*map);
  auto mirror_ref = ReadReference(ReadFileOrDie(
      dir + "/reference_layouts/" + GetParam() + ".flextree.mirror.txt"));
  EXPECT_LE(CompareWithReference(mirrored, mirror_ref), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Harness, FlextreeReference,
                         ::testing::Values("bushy_1000", "bushy_10000",
                                           "deep_1000", "deep_10000"));

// ---- invariants on random trees ----

using testing_util::RandomTree;
using testing_util::Shape;

struct Axis {
  // Breadth (sibling) and depth extents of a box for a layout orientation.
  bool horizontal;
  double b0(const NodeBox& b) const { return horizontal ? b.y : b.x; }
  double bs(const NodeBox& b) const { return horizontal ? b.height : b.width; }
  double d0(const NodeBox& b) const { return horizontal ? b.x : b.y; }
  double ds(const NodeBox& b) const { return horizontal ? b.width : b.height; }
};

// Checks the tidy invariants; returns "" or what failed.
std::string CheckTidy(const Map& map, const MapLayout& l, Axis ax, double sib,
                      double gap, bool exact_depth) {
  std::vector<NodeId> ids;
  for (NodeId id : map.PreOrder()) ids.push_back(id);
  const double eps = 1e-6;
  // No overlap: boxes whose depth ranges overlap are >= sib apart.
  for (size_t i = 0; i < ids.size(); ++i) {
    const NodeBox& a = l.boxes[ids[i]];
    for (size_t j = i + 1; j < ids.size(); ++j) {
      const NodeBox& b = l.boxes[ids[j]];
      bool depth_overlap = ax.d0(a) < ax.d0(b) + ax.ds(b) - eps &&
                           ax.d0(b) < ax.d0(a) + ax.ds(a) - eps;
      if (!depth_overlap) continue;
      double sep = std::max(ax.b0(b) - (ax.b0(a) + ax.bs(a)),
                            ax.b0(a) - (ax.b0(b) + ax.bs(b)));
      if (sep < sib - eps) {
        return fmt::format("nodes {} and {} are {} apart", ids[i], ids[j], sep);
      }
    }
  }
  for (NodeId id : ids) {
    const NodeBox& p = l.boxes[id];
    NodeId prev = kNoNode;
    for (NodeId c : map.Children(id)) {
      const NodeBox& b = l.boxes[c];
      double want = ax.d0(p) + ax.ds(p) + gap;
      if (exact_depth ? std::fabs(ax.d0(b) - want) > eps
                      : ax.d0(b) < want - eps) {
        return fmt::format("child {} at depth {} instead of {}", c, ax.d0(b),
                           want);
      }
      if (prev != kNoNode) {
        const NodeBox& a = l.boxes[prev];
        if (ax.b0(b) < ax.b0(a) + ax.bs(a) + sib - eps) {
          return fmt::format("siblings {} and {} out of order or too close",
                             prev, c);
        }
      }
      prev = c;
    }
    if (map.node(id).first_child != kNoNode) {
      const NodeBox& f = l.boxes[map.node(id).first_child];
      const NodeBox& k = l.boxes[map.node(id).last_child];
      double mid = (ax.b0(f) + ax.b0(k) + ax.bs(k)) / 2;
      if (std::fabs(ax.b0(p) + ax.bs(p) / 2 - mid) > 1e-6) {
        return fmt::format("parent {} not centred over its children", id);
      }
    }
  }
  return "";
}

// Equal subtrees (same shape and sizes) place their children at the same
// offsets. Layered layouts size each row by its depth, so there subtrees
// are only equal at equal depths (`by_depth`).
std::string CheckIsomorphic(const Map& map, const MapLayout& l, bool by_depth,
                            size_t* nontrivial) {
  std::vector<NodeId> ids;
  for (NodeId id : map.PreOrder()) ids.push_back(id);
  std::unordered_map<std::string, NodeId> classes;
  std::vector<std::string> key(map.id_count());
  for (size_t i = ids.size(); i-- > 0;) {
    NodeId id = ids[i];
    std::string k = "(" + map.node(id).attributes()[0].value;
    if (by_depth) k += fmt::format("@{}", l.boxes[id].depth);
    for (NodeId c : map.Children(id)) k += key[c];
    k += ")";
    key[id] = k;
    auto [it, fresh] = classes.emplace(k, id);
    if (fresh || map.node(id).first_child == kNoNode) continue;
    ++*nontrivial;
    // Compare every descendant's offset from the subtree root.
    NodeId rep = it->second;
    auto a = map.PreOrder(id).begin();
    auto b = map.PreOrder(rep).begin();
    for (; a != map.PreOrder(id).end(); ++a, ++b) {
      const NodeBox& x = l.boxes[*a];
      const NodeBox& y = l.boxes[*b];
      double dx = (x.x - l.boxes[id].x) - (y.x - l.boxes[rep].x);
      double dy = (x.y - l.boxes[id].y) - (y.y - l.boxes[rep].y);
      if (std::fabs(dx) > 1e-6 || std::fabs(dy) > 1e-6) {
        return fmt::format("subtrees {} and {} drawn differently", id, rep);
      }
    }
  }
  return "";
}

std::string CheckMirror(const Map& map, const MapLayout& l, const Map& mirror,
                        const MapLayout& m, Axis ax) {
  const NodeBox& r = l.boxes[map.root()];
  const NodeBox& mr = m.boxes[mirror.root()];
  for (NodeId id : map.PreOrder()) {
    const NodeBox& a = l.boxes[id];
    const NodeBox& b = m.boxes[id];  // Mirror keeps NodeIds
    double ca = ax.b0(a) + ax.bs(a) / 2 - (ax.b0(r) + ax.bs(r) / 2);
    double cb = ax.b0(b) + ax.bs(b) / 2 - (ax.b0(mr) + ax.bs(mr) / 2);
    if (std::fabs(ca + cb) > 1e-6 * std::max(1.0, std::fabs(ca))) {
      return fmt::format("node {}: {} is not the mirror of {}", id, cb, ca);
    }
    if (std::fabs((ax.d0(a) - ax.d0(r)) - (ax.d0(b) - ax.d0(mr))) > 1e-6) {
      return fmt::format("node {} at a different depth when mirrored", id);
    }
  }
  return "";
}

TEST(TidyInvariants, RandomTreesBushyDeepAndDuplicated) {
  size_t checked = 0;
  size_t isomorphic = 0;
  for (uint32_t seed = 1; seed <= 3000; ++seed) {
    Shape shape = static_cast<Shape>(seed % 3);
    Map map = RandomTree(seed, shape, 5 + seed % 120);
    for (LayoutKind kind : {LayoutKind::kTidy, LayoutKind::kDown}) {
      LayoutOptions o;
      o.kind = kind;
      auto l = LayoutMap(map, o);
      ASSERT_TRUE(l.has_value());
      Axis ax{kind == LayoutKind::kTidy};
      std::string why = CheckTidy(map, *l, ax, o.sibling_gap, o.level_gap,
                                  kind == LayoutKind::kTidy);
      ASSERT_EQ(why, "") << "seed " << seed << " " << LayoutName(kind);
      why = CheckIsomorphic(map, *l, kind == LayoutKind::kDown, &isomorphic);
      ASSERT_EQ(why, "") << "seed " << seed << " " << LayoutName(kind);
      Map mirror = testing_util::Mirror(map);
      auto m = LayoutMap(mirror, o);
      ASSERT_TRUE(m.has_value());
      why = CheckMirror(map, *l, mirror, *m, ax);
      ASSERT_EQ(why, "") << "seed " << seed << " " << LayoutName(kind);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 6000u);
  EXPECT_GT(isomorphic, 1000u);  // the duplicated shape exercised the check
}

TEST(TidyInvariants, CheckerCatchesAnOverlap) {
  // The checks must be able to fail: move one box onto its sibling.
  Map map = RandomTree(7, Shape::kBushy, 30);
  LayoutOptions o;
  o.kind = LayoutKind::kTidy;
  auto l = LayoutMap(map, o);
  ASSERT_TRUE(l.has_value());
  NodeId a = map.node(map.root()).first_child;
  NodeId b = map.node(a).next_sibling;
  ASSERT_NE(b, kNoNode);
  l->boxes[b].y = l->boxes[a].y + 1;
  EXPECT_NE(CheckTidy(map, *l, Axis{true}, 5, 80, true), "");
}

}  // namespace
}  // namespace mindcards
