// The non-layered tidy tree of van der Ploeg (2014), exactly as d3-flextree
// 2.1.2 computes it, without recursion.
#ifndef MINDCARDS_LAYOUT_TIDY_H_
#define MINDCARDS_LAYOUT_TIDY_H_

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace mindcards::detail {
using std::size_t;

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// One node of a tree stored in preorder (index 0 is the root, every subtree
// is a contiguous range). The caller fills `parent`, `x_size` (extent along
// the breadth axis) and `y_size` (extent along the depth axis, including the
// gap to the children); TidyLayout fills `x` (breadth centre) and `y`
// (depth top) as d3-flextree does. The rest is working state.
struct TidyNode {
  // Read for every contour step of separate(): kept together.
  double bottom = 0;  // y + y_size
  double prelim = 0;
  double rel_x = 0;
  double x_size = 0;
  uint32_t parent = kNone;
  uint32_t last_child = kNone;
  uint32_t l_thr = kNone;
  uint32_t r_thr = kNone;
  // Once per node.
  double y_size = 0;
  double x = 0;
  double y = 0;
  double shift = 0;
  double change = 0;
  double l_ext_rel_x = 0;
  double r_ext_rel_x = 0;
  uint32_t next_sibling = kNone;
  uint32_t l_ext = 0;
  uint32_t r_ext = 0;
};

// Lays the tree out. `sibling_gap` separates boxes with the same parent,
// `cousin_gap` any other pair of neighbours (d3-flextree's spacing(a, b)).
// The root ends at x = 0, y = 0. O(n) time, no recursion.
void TidyLayout(std::vector<TidyNode>* nodes, double sibling_gap,
                double cousin_gap);

}  // namespace mindcards::detail

#endif  // MINDCARDS_LAYOUT_TIDY_H_
