// Random trees with given box sizes, and mirrored copies, for layout tests.
#ifndef MINDCARDS_TESTS_LAYOUT_LAYOUT_TEST_UTIL_H_
#define MINDCARDS_TESTS_LAYOUT_LAYOUT_TEST_UTIL_H_

#include <fmt/format.h>

#include <array>
#include <random>
#include <string>
#include <vector>

#include "mindcards/layout.h"
#include "mindcards/map.h"

namespace mindcards::testing_util {

enum class Shape { kBushy, kDeep, kDuplicated };

inline void SetSize(Map* map, NodeId id, int w, int h) {
  map->node(id).mutable_extras().attributes.push_back(
      {std::string(kSizeAttribute), fmt::format("{} {}", w, h)});
}

// A tree of about `n` nodes with random box sizes (width 10-300, height
// 10-80). Bushy: 1-8 children per node, shallow. Deep: long chains with
// occasional branching. Duplicated: a skeleton whose leaves get copies of a
// few template subtrees (many isomorphic subtrees).
inline Map RandomTree(uint32_t seed, Shape shape, size_t n) {
  std::mt19937 rng(seed);
  auto pick = [&](int lo, int hi) {
    return std::uniform_int_distribution<int>(lo, hi)(rng);
  };
  Map map;
  NodeId root = map.AddRoot("root");
  SetSize(&map, root, pick(10, 300), pick(10, 80));
  std::vector<NodeId> all = {root};
  auto add = [&](NodeId parent, int w, int h) {
    NodeId id = map.AddChild(parent, fmt::format("n{}", map.id_count()));
    SetSize(&map, id, w, h);
    all.push_back(id);
    return id;
  };
  if (shape == Shape::kBushy) {
    std::vector<NodeId> frontier = {root};
    while (all.size() < n && !frontier.empty()) {
      size_t i =
          static_cast<size_t>(pick(0, static_cast<int>(frontier.size()) - 1));
      NodeId p = frontier[i];
      frontier[i] = frontier.back();
      frontier.pop_back();
      int k = pick(1, 8);
      for (int j = 0; j < k && all.size() < n; ++j) {
        frontier.push_back(add(p, pick(10, 300), pick(10, 80)));
      }
    }
  } else if (shape == Shape::kDeep) {
    NodeId tail = root;
    while (all.size() < n) {
      NodeId at = pick(0, 9) < 6
                      ? tail
                      : all[pick(0, static_cast<int>(all.size()) - 1)];
      int len = pick(1, 12);
      for (int j = 0; j < len && all.size() < n; ++j) {
        at = add(at, pick(10, 300), pick(10, 80));
      }
      tail = at;
    }
  } else {
    // Templates: (parent index, w, h) lists.
    std::vector<std::vector<std::array<int, 3>>> templates(3);
    for (auto& t : templates) {
      int size = pick(2, 7);
      for (int j = 0; j < size; ++j) {
        t.push_back(
            {j == 0 ? -1 : pick(0, j - 1), pick(10, 300), pick(10, 80)});
      }
    }
    std::vector<NodeId> skeleton = {root};
    while (all.size() < n / 2) {
      NodeId p = skeleton[pick(0, static_cast<int>(skeleton.size()) - 1)];
      skeleton.push_back(add(p, pick(10, 300), pick(10, 80)));
    }
    for (NodeId s : skeleton) {
      if (map.node(s).first_child != kNoNode) continue;
      const auto& t = templates[pick(0, 2)];
      std::vector<NodeId> made;
      for (const auto& [p, w, h] : t) {
        made.push_back(add(p < 0 ? s : made[p], w, h));
      }
    }
  }
  return map;
}

// The same tree with every child list reversed; NodeIds are kept (the map
// must have been built parents first, siblings in id order).
inline Map Mirror(const Map& map) {
  Map out;
  for (NodeId id = 0; id < map.id_count(); ++id) {
    const Node& n = map.node(id);
    NodeId made =
        n.parent == kNoNode
            ? out.AddRoot(n.text)
            : out.InsertChild(n.parent, out.node(n.parent).first_child, n.text);
    out.node(made).mutable_extras().attributes = n.attributes();
    out.node(made).folded = n.folded;
  }
  out.meta() = map.meta();
  return out;
}

}  // namespace mindcards::testing_util

#endif  // MINDCARDS_TESTS_LAYOUT_LAYOUT_TEST_UTIL_H_
