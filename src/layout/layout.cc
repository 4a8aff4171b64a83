// LayoutMap: collect the visible tree in preorder, size the boxes, then hand
// the tree to one of the layouts. Every layout works on the preorder arrays
// (subtrees are contiguous ranges), which is what makes 1M nodes fast.
#include "mindcards/layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <limits>
#include <numbers>
#include <thread>

#include "core/both_threads.h"
#include "layout/text_engine.h"
#include "layout/tidy.h"

namespace mindcards {
namespace {

using detail::kNone;

// Trees this large get a second thread when LayoutOptions::threads is 0
// (see UseTwoThreads).
constexpr size_t kTwoThreadNodes = 50000;

constexpr std::string_view kNames[] = {"map", "tidy", "right", "down",
                                       "radial"};

// The visible tree in preorder.
struct Tree {
  std::vector<NodeId> id;        // preorder index -> NodeId
  std::vector<uint32_t> parent;  // preorder index of the parent
};

bool GivenSize(const Node& n, double* w, double* h) {
  for (const Attribute& a : n.attributes()) {
    if (a.name != kSizeAttribute) continue;
    const char* p = a.value.data();
    const char* end = p + a.value.size();
    auto r1 = std::from_chars(p, end, *w);
    if (r1.ec != std::errc() || r1.ptr == end || *r1.ptr != ' ') return false;
    auto r2 = std::from_chars(r1.ptr + 1, end, *h);
    if (r2.ec != std::errc() || r2.ptr != end) return false;
    return std::isfinite(*w) && std::isfinite(*h) && *w >= 0 && *h >= 0;
  }
  return false;
}

// Collects the visible tree in preorder and sizes each box on the way, so
// every node and its box are visited once (the walk, not the layout, is
// what costs most on a million nodes).
Result<Tree> CollectVisible(const Map& map, const LayoutOptions& o,
                            MapLayout* out) {
  Tree t;
  if (map.empty()) return t;
  t.id.reserve(map.size());
  t.parent.reserve(map.size());
  struct Entry {
    NodeId id;
    uint32_t parent;
    uint32_t depth;
    uint32_t branch;
  };
  std::vector<Entry> stack;
  stack.push_back({map.root(), kNone, 0, 0});
  detail::TextEngine* engine = nullptr;
  while (!stack.empty()) {
    Entry e = stack.back();
    stack.pop_back();
    uint32_t index = static_cast<uint32_t>(t.id.size());
    t.id.push_back(e.id);
    t.parent.push_back(e.parent);
    const Node& n = map.node(e.id);
    NodeBox& box = out->boxes[e.id];
    box.visible = true;
    box.depth = e.depth;
    box.branch = e.branch;
    double w, h;
    if (o.use_given_sizes && !n.attributes().empty() && GivenSize(n, &w, &h)) {
      box.width = w;
      box.height = h;
    } else {
      if (engine == nullptr) {
        auto got = detail::TextEngine::Get();
        if (!got) return tl::unexpected(got.error());
        engine = *got;
      }
      box.first_line = static_cast<uint32_t>(out->lines.size());
      double widest =
          engine->Wrap(n.text, o.font_size, o.max_width, &out->lines);
      box.line_count =
          static_cast<uint32_t>(out->lines.size()) - box.first_line;
      box.width = std::max(widest, o.font_size / 2) + 2 * o.padding_x;
      box.height = std::max<uint32_t>(box.line_count, 1) * o.line_height +
                   2 * o.padding_y;
    }
    if (n.first_child == kNoNode) continue;
    if (n.folded) {
      box.folded_children = true;
      continue;
    }
    // Children go on the stack last first; the root's children number the
    // branches in order.
    uint32_t branch = e.branch;
    if (e.parent == kNone) branch = static_cast<uint32_t>(map.ChildCount(e.id));
    for (NodeId c = n.last_child; c != kNoNode; c = map.node(c).prev_sibling) {
      stack.push_back({c, index, e.depth + 1, branch});
      if (e.parent == kNone) --branch;
    }
  }
  return t;
}

// Per-depth maximum extent along the depth axis.
std::vector<double> Columns(const Tree& t, const MapLayout& out,
                            bool horizontal) {
  std::vector<double> col;
  for (NodeId id : t.id) {
    const NodeBox& b = out.boxes[id];
    if (b.depth >= col.size()) col.resize(b.depth + 1, 0);
    col[b.depth] = std::max(col[b.depth], horizontal ? b.width : b.height);
  }
  return col;
}

// tidy, right and down. `horizontal`: depth grows along x (box width is the
// depth extent); `layered`: every depth level gets the widest extent of
// that level (a column).
void PlaceTidy(const Tree& t, const LayoutOptions& o, bool horizontal,
               bool layered, MapLayout* out) {
  std::vector<double> col;
  if (layered) col = Columns(t, *out, horizontal);
  size_t n = t.id.size();
  detail::TidyTree tidy(n);
  for (size_t i = 0; i < n; ++i) {
    const NodeBox& b = out->boxes[t.id[i]];
    double x_size = horizontal ? b.height : b.width;
    double depth = horizontal ? b.width : b.height;
    if (layered) depth = col[b.depth];
    if (i == 0) {
      tidy.SetRoot(x_size, depth + o.level_gap);
    } else {
      tidy.Add(static_cast<uint32_t>(i), t.parent[i], x_size,
               depth + o.level_gap);
    }
  }
  tidy.Layout(o.sibling_gap, o.cousin_gap);
  for (size_t i = 0; i < n; ++i) {
    NodeBox& b = out->boxes[t.id[i]];
    auto [x, y, half] = i == 0 ? tidy.ResolveRoot() : tidy.Resolve(i);
    if (horizontal) {
      b.x = y;
      b.y = x - b.height / 2;
    } else {
      b.x = x - b.width / 2;
      b.y = y;
    }
    b.side = 1;
  }
}

// The subtree of root child range [first, last) as its own tree under a
// copy of the root.
Tree SideTree(const Tree& t, const std::vector<uint32_t>& children) {
  Tree s;
  s.id.push_back(t.id[0]);
  s.parent.push_back(kNone);
  std::vector<uint32_t> remap;
  for (uint32_t c : children) {
    // The subtree of c is the preorder range [c, end).
    uint32_t end = c + 1;
    while (end < t.id.size() && t.parent[end] != 0) ++end;
    uint32_t base = static_cast<uint32_t>(s.id.size());
    for (uint32_t i = c; i < end; ++i) {
      s.id.push_back(t.id[i]);
      s.parent.push_back(i == c ? 0 : t.parent[i] - c + base);
    }
  }
  return s;
}

// `map` (may be null: every side automatic) gives the sticky sides.
void PlaceMap(const Map* map, const Tree& t, const LayoutOptions& o,
              MapLayout* out) {
  std::vector<uint32_t> kids;
  for (uint32_t i = 1; i < t.id.size(); ++i) {
    if (t.parent[i] == 0) kids.push_back(i);
  }
  if (kids.size() < 2) {
    PlaceTidy(t, o, true, false, out);
    return;
  }
  // Weigh each branch by its breadth when laid out alone (XMind's rule).
  PlaceTidy(t, o, true, false, out);
  std::vector<double> weight(kids.size(), 0);
  for (size_t k = 0; k < kids.size(); ++k) {
    uint32_t end =
        k + 1 < kids.size() ? kids[k + 1] : static_cast<uint32_t>(t.id.size());
    double lo = INFINITY, hi = -INFINITY;
    for (uint32_t i = kids[k]; i < end; ++i) {
      const NodeBox& b = out->boxes[t.id[i]];
      lo = std::min(lo, b.y);
      hi = std::max(hi, b.y + b.height);
    }
    weight[k] = hi - lo + o.cousin_gap;
  }
  // Sticky sides from the map win; the automatic ones split where the
  // prefix (right, clockwise from the top) is closest to half the weight.
  double total = 0;
  for (double w : weight) total += w;
  size_t split = 1;
  double best = INFINITY, prefix = 0;
  for (size_t k = 0; k + 1 < kids.size(); ++k) {
    prefix += weight[k];
    double diff = std::fabs(2 * prefix - total);
    if (diff < best) {
      best = diff;
      split = k + 1;
    }
  }
  std::vector<uint32_t> right, left;
  for (size_t k = 0; k < kids.size(); ++k) {
    Side s = map != nullptr ? map->node(t.id[kids[k]]).side : Side::kAuto;
    bool is_right = s == Side::kRight || (s == Side::kAuto && k < split);
    (is_right ? right : left).push_back(kids[k]);
  }
  // Clockwise: the left side reads bottom to top.
  std::reverse(left.begin(), left.end());
  const NodeBox root = out->boxes[t.id[0]];
  double root_w = root.width;
  double root_center = 0;
  for (int pass = 0; pass < 2; ++pass) {
    const std::vector<uint32_t>& side = pass == 0 ? right : left;
    if (side.empty()) continue;
    Tree s = SideTree(t, side);
    PlaceTidy(s, o, true, false, out);
    double shift = root_center - (out->boxes[s.id[0]].y + root.height / 2);
    for (size_t i = 1; i < s.id.size(); ++i) {
      NodeBox& b = out->boxes[s.id[i]];
      b.y += shift;
      if (pass == 1) {
        b.x = root_w - (b.x + b.width);
        b.side = -1;
      }
    }
  }
  NodeBox& r = out->boxes[t.id[0]];
  r.x = 0;
  r.y = root_center - root.height / 2;
}

// Rings around the root. Ring d sits at radius r[d], far enough from the
// rings inside it that boxes of different depths cannot meet (each box lies
// in the circle of radius rho around its centre). A node needs the angle its
// circle subtends at its ring, a subtree the larger of that and the sum of
// its children's needs; when the root's need exceeds a full turn every
// radius grows and the needs are recomputed. Wedges then split each
// parent's wedge in proportion to need, so every circle stays inside its
// own wedge and siblings' wedges do not overlap.
void PlaceRadial(const Tree& t, const LayoutOptions& o, MapLayout* out) {
  size_t n = t.id.size();
  std::vector<double> rho(n), need(n), angle0(n), span(n);
  std::vector<double> ring_rho;
  for (size_t i = 0; i < n; ++i) {
    const NodeBox& b = out->boxes[t.id[i]];
    rho[i] = std::hypot(b.width, b.height) / 2 + o.sibling_gap;
    if (b.depth >= ring_rho.size()) ring_rho.resize(b.depth + 1, 0);
    ring_rho[b.depth] = std::max(ring_rho[b.depth], rho[i]);
  }
  std::vector<double> radius(ring_rho.size(), 0);
  for (size_t d = 1; d < radius.size(); ++d) {
    radius[d] = radius[d - 1] + (d == 1 ? ring_rho[0] : ring_rho[d - 1]) +
                ring_rho[d] + o.level_gap;
  }
  std::vector<double> child_need(n);
  for (int round = 0; round < 60; ++round) {
    std::fill(child_need.begin(), child_need.end(), 0);
    for (size_t i = n; i-- > 1;) {
      double r = radius[out->boxes[t.id[i]].depth];
      double own = 2 * std::asin(std::min(1.0, rho[i] / r));
      need[i] = std::max(own, child_need[i]);
      child_need[t.parent[i]] += need[i];
    }
    double total = child_need[0];
    if (total <= 2 * std::numbers::pi || radius.size() < 2) break;
    // Angles shrink about in proportion to the radius.
    double grow = total / (2 * std::numbers::pi) * 1.02;
    for (size_t d = 1; d < radius.size(); ++d) radius[d] *= grow;
  }
  angle0[0] = 0;
  span[0] = 2 * std::numbers::pi;
  std::vector<double> cursor(n, 0);
  for (size_t i = 1; i < n; ++i) {
    uint32_t p = t.parent[i];
    double share = child_need[p] > 0 ? need[i] / child_need[p] : 0;
    span[i] = span[p] * share;
    angle0[i] = angle0[p] + cursor[p];
    cursor[p] += span[i];
  }
  for (size_t i = 0; i < n; ++i) {
    NodeBox& b = out->boxes[t.id[i]];
    double cx = 0, cy = 0;
    if (i > 0) {
      double a = angle0[i] + span[i] / 2 - std::numbers::pi / 2;
      cx = radius[b.depth] * std::cos(a);
      cy = radius[b.depth] * std::sin(a);
    }
    b.x = cx - b.width / 2;
    b.y = cy - b.height / 2;
    b.side = 0;
  }
}

Result<void> CheckOptions(const LayoutOptions& o) {
  auto bad = [](const char* what) {
    return Fail(ErrorCode::kUsage, fmt::format("bad layout option: {}", what));
  };
  auto ok = [](double v, double lo, double hi) {
    return std::isfinite(v) && v >= lo && v <= hi;
  };
  if (!ok(o.max_width, 0, 1e5)) return bad("max width must be 0..100000");
  if (!ok(o.font_size, 1, 1000)) return bad("font size must be 1..1000");
  if (!ok(o.line_height, 1, 2000)) return bad("line height must be 1..2000");
  if (!ok(o.padding_x, 0, 1000) || !ok(o.padding_y, 0, 1000)) {
    return bad("padding must be 0..1000");
  }
  if (!ok(o.sibling_gap, 0, 1e4) || !ok(o.cousin_gap, 0, 1e4) ||
      !ok(o.level_gap, 0, 1e5)) {
    return bad("gaps must be 0..10000");
  }
  if (o.max_width > 0 && o.max_width < o.font_size) {
    return bad("max width must be at least the font size");
  }
  return {};
}

// Whether every box size is finite and not negative: one branch-free pass
// (BadTree says which is not).
bool GoodBoxes(const TreeSizes& tree) {
  bool good = true;
  constexpr double kMax = std::numeric_limits<double>::max();
  for (size_t i = 0; i < tree.size(); ++i) {
    double w = tree.width[i], h = tree.height[i];
    good &= (w >= 0) & (w <= kMax) & (h >= 0) & (h <= kMax);
  }
  return good;
}

// The first fault of a tree that GoodBoxes or SubtreeSizes rejected.
tl::unexpected<Error> BadTree(const TreeSizes& tree) {
  for (size_t i = 0; i < tree.size(); ++i) {
    if (i > 0 && tree.parent[i] >= i) {
      return Fail(ErrorCode::kUsage,
                  fmt::format("tree sizes: node {} has parent {}, not an "
                              "earlier node",
                              i, tree.parent[i]));
    }
    if (!std::isfinite(tree.width[i]) || !std::isfinite(tree.height[i]) ||
        tree.width[i] < 0 || tree.height[i] < 0) {
      return Fail(ErrorCode::kUsage,
                  fmt::format("tree sizes: node {} has a bad size", i));
    }
  }
  return Fail(ErrorCode::kInternal, "tree sizes: no fault found");
}

// The subtree sizes of a TreeSizes, in place of `next`, checking that every
// parent comes before its child (`*parents_good`; a bad parent is counted
// as the root, never followed). Returns the deepest node holding more than
// half the nodes (those nodes are a path down from the root, and the
// deepest has the largest index).
uint32_t SubtreeSizes(const TreeSizes& tree, uint32_t* next,
                      bool* parents_good) {
  size_t n = tree.size();
  const uint32_t* parent = tree.parent.data();
  const size_t half = n / 2;
  for (size_t i = 0; i < n; ++i) next[i] = 1;
  uint32_t heavy = 0;
  bool good = true;
  for (size_t i = n; i-- > 1;) {
    uint32_t p = parent[i];
    good &= p < i;
    p = p < i ? p : 0;
    // Node i's children come after it: its size is complete.
    if (heavy == 0 && next[i] > half) heavy = static_cast<uint32_t>(i);
    next[p] += next[i];
  }
  *parents_good = good;
  return heavy;
}

// The preorder from the subtree sizes in `end`, with no stack: a node's
// place is its parent's place plus one plus the sizes of its earlier
// siblings. Then end[u] is where u's subtree ends (its place plus its
// size). `order` (if kOrder) receives the nodes in preorder, `at` (if kAt)
// every node's place, `kids` the children of node `v` in order (none for
// kNone).
template <bool kOrder, bool kAt>
void Places(const TreeSizes& tree, uint32_t* order, uint32_t* at, uint32_t* end,
            uint32_t v, std::vector<uint32_t>* kids) {
  size_t n = tree.size();
  const uint32_t* parent = tree.parent.data();
  end[0] = 1;
  if constexpr (kOrder) order[0] = 0;
  if constexpr (kAt) at[0] = 0;
  for (size_t i = 1; i < n; ++i) {
    uint32_t p = parent[i];
    uint32_t place = end[p];
    end[p] = place + end[i];
    end[i] = place + 1;
    if constexpr (kOrder) order[place] = static_cast<uint32_t>(i);
    if constexpr (kAt) at[i] = place;
    if (p == v) kids->push_back(static_cast<uint32_t>(i));
  }
}

// The share of a tidy layout a second thread takes: the whole subtrees of
// consecutive children of node `v` at the places [begin, end). Empty when
// there is none.
struct Part {
  uint32_t v = kNone;
  uint32_t begin = 0;
  uint32_t end = 0;
  bool Holds(uint32_t place) const { return place - begin < end - begin; }
};

// Under `v`, the deepest node holding more than half the nodes (see
// SubtreeSizes), with its children `kids` (node indices, in order): the run
// of consecutive children whose size is closest to half.
Part ChoosePart(size_t n, uint32_t v, const std::vector<uint32_t>& kids,
                const uint32_t* at, const uint32_t* end) {
  const size_t half = n / 2;
  Part best;
  size_t best_miss = std::numeric_limits<size_t>::max();
  auto consider = [&](uint32_t begin, uint32_t stop) {
    size_t size = stop - begin;
    size_t miss = size > half ? size - half : half - size;
    if (miss < best_miss) {
      best_miss = miss;
      best = {v, begin, stop};
    }
  };
  // Runs are contiguous places; no child holds more than half.
  size_t first = 0;
  for (size_t j = 0; j < kids.size(); ++j) {
    uint32_t stop = end[kids[j]];
    while (stop - at[kids[first]] > half) ++first;
    consider(at[kids[first]], stop);
    if (first > 0) consider(at[kids[first - 1]], stop);
  }
  return best;
}

struct Bounds {
  double min_x = INFINITY, min_y = INFINITY;
  double max_x = -INFINITY, max_y = -INFINITY;
  void Add(const Bounds& b) {
    min_x = std::min(min_x, b.min_x);
    min_y = std::min(min_y, b.min_y);
    max_x = std::max(max_x, b.max_x);
    max_y = std::max(max_y, b.max_y);
  }
  void AddBox(double x, double y, double width, double height) {
    min_x = std::min(min_x, x);
    min_y = std::min(min_y, y);
    max_x = std::max(max_x, x + width);
    max_y = std::max(max_y, y + height);
  }
};

void SetBounds(const Bounds& b, TreeLayout* out) {
  out->min_x = b.min_x;
  out->min_y = b.min_y;
  out->max_x = b.max_x;
  out->max_y = b.max_y;
}

// tidy, right and down on a TreeSizes. The tidy tree is filled in index
// order (parents come first), each node written once at its place in
// preorder, and the preorder itself (node at each place) with it. One thread
// then resolves the records back in index order with the bounding box in the
// same loop (ResolveAll). With a Part, one thread fills, walks and resolves the
// part's places and another the rest, both in preorder (each its own contiguous
// ranges of records); then each thread gathers one half of the nodes by index
// from the resolved records into the result, with that half's bounding box
// (GatherAll), so no cache line of the records or of the result is written by
// both. Each thread touches only its own records; the part's nodes under `v`
// get v's bottom and resolved position computed down v's path, so every number
// is the one a single thread computes.
class TreeTidy {
 public:
  TreeTidy(const TreeSizes& tree, const LayoutOptions& o, const uint32_t* at,
           detail::TidyTree* tidy, TreeLayout* out)
      : n_(tree.size()),
        horizontal_(o.kind != LayoutKind::kDown),
        gap_(o.level_gap),
        parent_(tree.parent.data()),
        breadth_((horizontal_ ? tree.height : tree.width).data()),
        along_((horizontal_ ? tree.width : tree.height).data()),
        width_(tree.width.data()),
        height_(tree.height.data()),
        at_(at),
        tidy_(tidy),
        order_(out->preorder.data()),
        out_x_(out->x.data()),
        out_y_(out->y.data()),
        depth_(o.kind == LayoutKind::kTidy ? 0 : n_) {
    if (o.kind != LayoutKind::kTidy) {
      // Every depth level gets its widest extent: depths first.
      col_.assign(1, along_[0]);
      depth_[0] = 0;
      for (size_t i = 1; i < n_; ++i) {
        uint32_t d = depth_[parent_[i]] + 1;
        depth_[i] = d;
        if (d >= col_.size()) col_.resize(d + 1, 0);
        col_[d] = std::max(col_[d], along_[i]);
      }
    }
  }

  // The depth extent of node i's box plus the gap to its children.
  double YSize(size_t i) const {
    return (col_.empty() ? along_[i] : col_[depth_[i]]) + gap_;
  }

  // v and its ancestors below the root, v first.
  std::vector<uint32_t> PathTo(uint32_t v) const {
    std::vector<uint32_t> path;
    for (uint32_t u = v; u != 0; u = parent_[u]) path.push_back(u);
    return path;
  }

  // Node v's bottom, as Fill computes it, from v's path.
  double BottomOf(uint32_t v) const {
    std::vector<uint32_t> path = PathTo(v);
    double bottom = detail::TidyTree::RootBottom(YSize(0));
    for (size_t k = path.size(); k-- > 0;) {
      bottom = detail::TidyTree::ChildBottom(bottom, YSize(path[k]));
    }
    return bottom;
  }
  // Node v as Resolve leaves it, from v's path (after the walk, before
  // Resolve).
  detail::TidyTree::Resolved ResolvedOf(uint32_t v) const {
    std::vector<uint32_t> path = PathTo(v);
    detail::TidyTree::Resolved r = tidy_->PeekRoot();
    for (size_t k = path.size(); k-- > 0;) r = tidy_->Peek(at_[path[k]], r);
    return r;
  }

  // Which nodes a pass handles: all, a part's, or all but a part's.
  enum class Share { kAll, kPart, kRest };

  // Writes the records of the nodes `share` says, and with a part the
  // preorder at their places (on one thread the places pass writes it).
  template <Share kShare>
  void Fill(const Part& part, double v_bottom) {
    if (kShare != Share::kPart) tidy_->SetRoot(breadth_[0], YSize(0));
    if (kShare == Share::kRest) order_[0] = 0;
    for (size_t i = 1; i < n_; ++i) {
      PrefetchAhead<kShare>(part, i);
      uint32_t place = at_[i];
      if (!Mine<kShare>(part, place)) continue;
      if (kShare != Share::kAll) order_[place] = static_cast<uint32_t>(i);
      uint32_t p = parent_[i];
      if (kShare == Share::kPart && p == part.v) {
        tidy_->AddBelow(place, at_[p], v_bottom, breadth_[i], YSize(i));
      } else {
        tidy_->Add(place, at_[p], breadth_[i], YSize(i));
      }
    }
  }

  // Resolves the records at places [from, to) (the root too when from is
  // 0) in preorder; v's children (a part's roots) resolved below `v_at`
  // when `v_place` is set. Writes no result: GatherAll does.
  void ResolvePlaces(uint32_t from, uint32_t to, uint32_t v_place,
                     detail::TidyTree::Resolved v_at, double v_bottom) {
    if (from == 0) {
      tidy_->ResolveRoot();
      from = 1;
    }
    for (uint32_t p = from; p < to; ++p) {
      if (tidy_->Parent(p) == v_place) {
        tidy_->ResolveBelow<true>(p, v_at, v_bottom);
      } else {
        tidy_->Resolve<true>(p);
      }
    }
  }
  // Nodes [from, to) from their resolved records into the result, in
  // index order, and their bounding box: each thread writes its own index
  // range of x and y (no cache line of the result written by both).
  Bounds GatherAll(size_t from, size_t to) {
    Bounds b;
    if (from == 0) {
      Put(0, tidy_->GetRoot(), &b);
      from = 1;
    }
    for (size_t i = from; i < to; ++i) {
      PrefetchAhead<Share::kAll, false>(Part{}, i);
      Put(i, tidy_->Get(at_[i]), &b);
    }
    return b;
  }
  // Resolves every node in index order (parents come first), gathering
  // the records, with the bounding box in the same loop: one pass, for
  // one thread.
  Bounds ResolveAll() {
    Bounds b;
    Put(0, tidy_->ResolveRoot(), &b);
    for (size_t i = 1; i < n_; ++i) {
      PrefetchAhead<Share::kAll>(Part{}, i);
      Put(i, tidy_->Resolve(at_[i]), &b);
    }
    return b;
  }

  void SetBox(size_t i, detail::TidyTree::Placed p) {
    out_x_[i] = horizontal_ ? p.y : p.x - p.half;
    out_y_[i] = horizontal_ ? p.x - p.half : p.y;
  }
  void Put(size_t i, detail::TidyTree::Placed p, Bounds* b) {
    SetBox(i, p);
    b->AddBox(out_x_[i], out_y_[i], width_[i], height_[i]);
  }

 private:
  // Nodes visited in index order are scattered in preorder (bushy trees
  // read breadth first): their records are asked for this many ahead.
  static constexpr size_t kAhead = 16;

  template <Share kShare>
  static bool Mine(const Part& part, uint32_t place) {
    if constexpr (kShare == Share::kAll) return true;
    return part.Holds(place) == (kShare == Share::kPart);
  }

  // The record of node i + kAhead, and its parent's when kParent (Add and
  // Resolve read it; Get does not). Always inlined: GCC finds a function
  // whose only effect is a prefetch pure, and drops calls to it.
  template <Share kShare, bool kParent = true>
  [[gnu::always_inline]] void PrefetchAhead(const Part& part, size_t i) const {
    if (i + kAhead >= n_) return;
    uint32_t place = at_[i + kAhead];
    if (!Mine<kShare>(part, place)) return;
    tidy_->Prefetch(place);
    if (kParent) tidy_->Prefetch(at_[parent_[i + kAhead]]);
  }

  size_t n_;
  bool horizontal_;
  double gap_;
  const uint32_t* parent_;
  const double* breadth_;
  const double* along_;
  const double* width_;
  const double* height_;
  const uint32_t* at_;
  detail::TidyTree* tidy_;
  uint32_t* order_;
  double* out_x_;
  double* out_y_;
  detail::LargeBuffer<uint32_t> depth_;  // layered only
  std::vector<double> col_;              // layered only: per depth
};

// Whether a tree of n nodes is laid out on two threads. Automatically for
// large trees on a machine with two cores or more: in the quiet re-runs
// after the walks stopped sharing cache lines, two threads beat one on
// bushy trees at 100k and 1M nodes and on deep trees at 1M (deep 100k was
// even within noise; docs/benchmarks.md, "Quiet re-runs of the open speed
// targets").
bool UseTwoThreads(unsigned threads, size_t n) {
  if (threads == 0) {
    return n >= kTwoThreadNodes && std::thread::hardware_concurrency() >= 2;
  }
  return threads >= 2 && n >= 2;
}

// False, leaving `out` unspecified, when `tree` has a bad parent or size.
bool LayoutTreeTidy(const TreeSizes& tree, const LayoutOptions& o,
                    TreeLayout* out) {
  size_t n = tree.size();
  bool two = UseTwoThreads(o.threads, n);
  // Every node's place, and where its subtree ends: one array, so that a
  // million nodes get huge pages (from 4 MB, detail::AllocateLarge).
  detail::LargeBuffer<uint32_t> places(2 * n);
  uint32_t* at = places.data();
  uint32_t* end = at + n;
  detail::TidyTree tidy(n);
  bool boxes_good = false;
  bool parents_good = false;
  auto arrays = [&] {
    boxes_good = GoodBoxes(tree);
    out->x.resize(n);
    out->y.resize(n);
    out->preorder.resize(n);
  };
  Part part;
  // On one thread the places pass writes the preorder too, as it did before
  // there were two.
  if (!two) arrays();
  {
    // The places take one thread; on two, the other meanwhile checks the
    // box sizes, zeroes the result arrays and takes the records' first-touch
    // page faults for as long as the places take, and each thread writes
    // the preorder at its own places in the fill.
    std::atomic<bool> placed = false;
    detail::BothThreads(
        two,
        [&] {
          arrays();
          tidy.TouchPages(placed);
        },
        [&] {
          uint32_t v = SubtreeSizes(tree, end, &parents_good);
          if (parents_good && two) {
            std::vector<uint32_t> kids;
            Places<false, true>(tree, nullptr, at, end, v, &kids);
            part = ChoosePart(n, v, kids, at, end);
          } else if (parents_good) {
            Places<true, true>(tree, out->preorder.data(), at, end, kNone,
                               nullptr);
          }
          placed.store(true, std::memory_order_relaxed);
        });
  }
  if (!boxes_good || !parents_good) return false;
  TreeTidy job(tree, o, at, &tidy, out);
  detail::TidyTree::Walk walk(tidy, o.sibling_gap, o.cousin_gap);
  if (part.begin == part.end) {
    // (A tree of two nodes or more always has a part; were there none,
    // the places pass above left the preorder to the fill.)
    for (size_t i = 0; two && i < n; ++i) {
      out->preorder[at[i]] = static_cast<uint32_t>(i);
    }
    job.Fill<TreeTidy::Share::kAll>(part, 0);
    walk.Run(0, n);
    out->threads = 1;
    SetBounds(job.ResolveAll(), out);
    return true;
  }
  // The part's ancestors by place, nearest first; the part's roots are
  // placed below v's bottom and resolved position, computed down the path.
  std::vector<uint32_t> path = job.PathTo(part.v);
  path.push_back(0);
  for (uint32_t& a : path) a = at[a];
  double v_bottom = job.BottomOf(part.v);
  detail::TidyTree::Walk part_walk(tidy, o.sibling_gap, o.cousin_gap);
  detail::TidyTree::Walk before(tidy, o.sibling_gap, o.cousin_gap);
  std::vector<size_t> marks;
  bool ran = detail::BothThreads(
      true,
      [&] {
        job.Fill<TreeTidy::Share::kPart>(part, v_bottom);
        part_walk.RunPart(part.begin, part.end);
      },
      [&] {
        job.Fill<TreeTidy::Share::kRest>(part, 0);
        walk.Run(part.end, n);
        before.RunBeside(0, part.begin, path, &marks);
      });
  out->threads = ran ? 2 : 1;
  walk.Adopt(part_walk);
  for (size_t j = 0; j < path.size(); ++j) {
    walk.Adopt(before, j == 0 ? 0 : marks[j - 1], marks[j]);
    walk.Run(path[j], path[j] + 1);
  }
  detail::TidyTree::Resolved v_at = job.ResolvedOf(part.v);
  detail::BothThreads(
      true,
      [&] {
        job.ResolvePlaces(part.begin, part.end, at[part.v], v_at, v_bottom);
      },
      [&] {
        job.ResolvePlaces(0, part.begin, kNone, {}, 0);
        job.ResolvePlaces(part.end, static_cast<uint32_t>(n), kNone, {}, 0);
      });
  // min and max are exact, and no coordinate is -0: the same bounds as one
  // pass over all nodes.
  Bounds mine, theirs;
  detail::BothThreads(
      true, [&] { theirs = job.GatherAll(n / 2, n); },
      [&] { mine = job.GatherAll(0, n / 2); });
  mine.Add(theirs);
  SetBounds(mine, out);
  return true;
}

// map and radial on a TreeSizes, through the same code as LayoutMap.
void LayoutTreeBoxes(const TreeSizes& tree, const LayoutOptions& o,
                     TreeLayout* out) {
  size_t n = tree.size();
  Tree t;
  t.id.assign(out->preorder.begin(), out->preorder.end());
  t.parent.resize(n);
  MapLayout boxes;
  boxes.boxes.resize(n);
  std::vector<uint32_t> pre_of(n);
  for (size_t k = 0; k < n; ++k) pre_of[t.id[k]] = static_cast<uint32_t>(k);
  for (size_t k = 0; k < n; ++k) {
    uint32_t v = t.id[k];
    NodeBox& b = boxes.boxes[v];
    b.visible = true;
    b.width = tree.width[v];
    b.height = tree.height[v];
    if (k == 0) {
      t.parent[k] = kNone;
      continue;
    }
    t.parent[k] = pre_of[tree.parent[v]];
    b.depth = boxes.boxes[tree.parent[v]].depth + 1;
  }
  if (o.kind == LayoutKind::kMap) {
    PlaceMap(nullptr, t, o, &boxes);
  } else {
    PlaceRadial(t, o, &boxes);
  }
  out->x.resize(n);
  out->y.resize(n);
  for (size_t v = 0; v < n; ++v) {
    out->x[v] = boxes.boxes[v].x;
    out->y[v] = boxes.boxes[v].y;
  }
}

}  // namespace

std::string_view LayoutName(LayoutKind kind) {
  return kNames[static_cast<size_t>(kind)];
}

Result<LayoutKind> ParseLayoutKind(std::string_view name) {
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (name == kNames[i]) return static_cast<LayoutKind>(i);
  }
  return Fail(ErrorCode::kUsage,
              fmt::format("unknown layout '{}' (use map, tidy, right, down "
                          "or radial)",
                          name));
}

Result<TreeLayout> LayoutTree(const TreeSizes& tree, const LayoutOptions& o) {
  if (auto checked = CheckOptions(o); !checked) {
    return tl::unexpected(checked.error());
  }
  size_t n = tree.size();
  if (tree.width.size() != n || tree.height.size() != n) {
    return Fail(ErrorCode::kUsage, "tree sizes: arrays of different lengths");
  }
  if (n >= kNone) return Fail(ErrorCode::kUsage, "tree sizes: too many nodes");
  TreeLayout out;
  if (n == 0) return out;
  if (o.kind != LayoutKind::kMap && o.kind != LayoutKind::kRadial) {
    if (!LayoutTreeTidy(tree, o, &out)) return BadTree(tree);
    return out;
  }
  {
    detail::LargeBuffer<uint32_t> end(n);
    bool parents_good = false;
    SubtreeSizes(tree, end.data(), &parents_good);
    if (!parents_good || !GoodBoxes(tree)) return BadTree(tree);
    out.preorder.resize(n);
    Places<true, false>(tree, out.preorder.data(), nullptr, end.data(), kNone,
                        nullptr);
  }
  LayoutTreeBoxes(tree, o, &out);
  out.min_x = out.min_y = INFINITY;
  out.max_x = out.max_y = -INFINITY;
  for (size_t v = 0; v < n; ++v) {
    out.min_x = std::min(out.min_x, out.x[v]);
    out.min_y = std::min(out.min_y, out.y[v]);
    out.max_x = std::max(out.max_x, out.x[v] + tree.width[v]);
    out.max_y = std::max(out.max_y, out.y[v] + tree.height[v]);
  }
  return out;
}

std::string_view LineText(const Map& map, const MapLayout& layout, NodeId id,
                          uint32_t i) {
  const NodeBox& b = layout.boxes[id];
  const LineSpan& l = layout.lines[b.first_line + i];
  return std::string_view(map.node(id).text).substr(l.offset, l.length);
}

Result<MapLayout> LayoutMap(const Map& map, const LayoutOptions& o) {
  if (auto checked = CheckOptions(o); !checked) {
    return tl::unexpected(checked.error());
  }
  MapLayout out;
  out.kind = o.kind;
  out.font_size = o.font_size;
  out.line_height = o.line_height;
  out.padding_x = o.padding_x;
  out.padding_y = o.padding_y;
  out.boxes.resize(map.id_count());
  auto collected = CollectVisible(map, o, &out);
  if (!collected) return tl::unexpected(collected.error());
  const Tree& t = *collected;
  out.visible_count = t.id.size();
  if (t.id.empty()) return out;
  switch (o.kind) {
    case LayoutKind::kTidy:
      PlaceTidy(t, o, true, false, &out);
      break;
    case LayoutKind::kRight:
      PlaceTidy(t, o, true, true, &out);
      break;
    case LayoutKind::kDown:
      PlaceTidy(t, o, false, true, &out);
      break;
    case LayoutKind::kMap:
      PlaceMap(&map, t, o, &out);
      break;
    case LayoutKind::kRadial:
      PlaceRadial(t, o, &out);
      break;
  }
  out.min_x = out.min_y = INFINITY;
  out.max_x = out.max_y = -INFINITY;
  for (NodeId id : t.id) {
    const NodeBox& b = out.boxes[id];
    out.min_x = std::min(out.min_x, b.x);
    out.min_y = std::min(out.min_y, b.y);
    out.max_x = std::max(out.max_x, b.x + b.width);
    out.max_y = std::max(out.max_y, b.y + b.height);
  }
  return out;
}

}  // namespace mindcards
