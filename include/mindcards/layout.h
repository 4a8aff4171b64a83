// Placing a map's nodes on a plane: text measurement and the layouts.
//
// LayoutMap measures every visible node's text (HarfBuzz shaping on the
// fonts mindcards ships with, ICU line breaking at a maximum width), then
// places the boxes with one of five layouts. Coordinates are in CSS px,
// +y down; (x, y) is a box's top-left corner. Boxes never overlap. Folded
// nodes are visible but their descendants are not.
//
// A node may carry its box size instead of text: an attribute named
// kSizeAttribute with the value "WIDTH HEIGHT" (px, as the `sizes` format
// writes it). Such boxes are used as given and hold no text lines.
#ifndef MINDCARDS_LAYOUT_H_
#define MINDCARDS_LAYOUT_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/map.h"

namespace mindcards {

enum class LayoutKind : uint8_t {
  kMap,     // balanced on both sides of the root (XMind, GoConqr)
  kTidy,    // van der Ploeg tidy tree, rightwards, as markmap/d3-flextree
  kRight,   // logic chart: rightwards, children stacked (same engine as tidy)
  kDown,    // org chart: downwards
  kRadial,  // rings around the root
};

// "map", "tidy", "right", "down", "radial".
std::string_view LayoutName(LayoutKind kind);
// Parses a layout name; the error lists the valid names.
[[nodiscard]] Result<LayoutKind> ParseLayoutKind(std::string_view name);

// The attribute that gives a node's box size, "WIDTH HEIGHT" in px.
inline constexpr std::string_view kSizeAttribute = "mindcards:size";

struct LayoutOptions {
  LayoutKind kind = LayoutKind::kMap;
  double max_width = 300;   // text wraps at this width (px); 0: never wraps
  double font_size = 16;    // px
  double line_height = 20;  // px per wrapped line
  double padding_x = 8;     // inside a box, around the text
  double padding_y = 4;
  double sibling_gap = 5;  // between adjacent siblings (breadth axis)
  double cousin_gap = 10;  // between any other neighbours (breadth axis)
  double level_gap = 80;   // between a parent's box and its children's
  // Honour kSizeAttribute on nodes that carry it.
  bool use_given_sizes = true;
  // LayoutTree's tidy, right and down: 1 runs on the calling thread only;
  // 2 or more shares the work with one more thread; 0 (automatic) does so
  // for trees of 50,000 nodes or more when the machine has two cores or
  // more. The boxes are the same bit for bit whatever the value.
  unsigned threads = 0;
};

// One wrapped line of a node's text: a byte range of Node::text (trimmed of
// the spaces it broke at) and its measured width in px.
struct LineSpan {
  uint32_t offset = 0;
  uint32_t length = 0;
  float width = 0;
};

// Where one node is drawn.
struct NodeBox {
  double x = 0;  // top-left corner, px
  double y = 0;
  double width = 0;
  double height = 0;
  uint32_t first_line = 0;  // index into MapLayout::lines
  uint32_t line_count = 0;
  uint32_t depth = 0;            // edges from the root
  uint32_t branch = 0;           // index of the root's child this node is under
                                 // (0 for the root itself); picks a colour
  int8_t side = 1;               // +1: drawn right of / below its parent,
                                 // -1: left of it (map layout), 0: radial
  bool visible = false;          // false for dead nodes and hidden subtrees
  bool folded_children = false;  // folded with hidden children: fold marker
};

struct MapLayout {
  LayoutKind kind = LayoutKind::kMap;
  // One entry per NodeId (Map::id_count()); only `visible` ones are placed.
  std::vector<NodeBox> boxes;
  std::vector<LineSpan> lines;
  size_t visible_count = 0;
  // Bounding box of the visible boxes (all zero for an empty map).
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  // The text settings the boxes were measured with (renderers reuse them).
  double font_size = 16;
  double line_height = 20;
  double padding_x = 8;
  double padding_y = 4;

  double width() const { return max_x - min_x; }
  double height() const { return max_y - min_y; }
};

// Measures and places the map. Fails only on bad options (kUsage) or when
// no font can be loaded (kIo); every map, however large or deep, lays out.
[[nodiscard]] Result<MapLayout> LayoutMap(const Map& map,
                                          const LayoutOptions& options);

// A tree given by box sizes only, no text (the layout harness's trees, read
// with ReadTreeSizes): the fast path of `mindcards layout -f sizes`, with no
// Map in between. Node 0 is the root; every other node i has its parent at
// parent[i] < i; siblings keep index order.
// Arrays of a million nodes go in huge pages (see detail::AllocateLarge).
template <typename T>
using LargeVector = std::vector<T, detail::LargeArrayAllocator<T>>;

struct TreeSizes {
  LargeVector<uint32_t> parent;  // parent[0] is ignored
  LargeVector<double> width;     // px, finite, >= 0
  LargeVector<double> height;
  size_t size() const { return parent.size(); }
};

struct TreeLayout {
  LargeVector<double> x;  // top-left corner of node i's box, px, +y down
  LargeVector<double> y;
  LargeVector<uint32_t> preorder;  // node indices, root first
  double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
  unsigned threads = 1;  // how many threads the layout ran on
};

// Places the boxes exactly as LayoutMap places a Map whose nodes carry the
// same sizes (kSizeAttribute), with the same options (the text settings are
// unused). Fails on bad options or a malformed tree (kUsage). tidy, right
// and down work on the nodes in index order (no permutation) in about 77
// bytes per node at a million nodes, the result included, on up to two
// threads (LayoutOptions::threads).
[[nodiscard]] Result<TreeLayout> LayoutTree(const TreeSizes& tree,
                                            const LayoutOptions& options);

// Parses the `sizes` format (see src/formats/sizes.cc) into a TreeSizes;
// `ids` receives each node's id as written in `bytes` (views into it).
// Errors are those of ReadMap with -f sizes (line:col: message).
[[nodiscard]] Result<TreeSizes> ReadTreeSizes(
    std::string_view bytes, std::vector<std::string_view>* ids);

// The text of wrapped line `i` of node `id`.
std::string_view LineText(const Map& map, const MapLayout& layout, NodeId id,
                          uint32_t i);

}  // namespace mindcards

#endif  // MINDCARDS_LAYOUT_H_
