// The non-layered tidy tree of van der Ploeg (2014), exactly as d3-flextree
// 2.1.2 computes it, without recursion.
#ifndef MINDCARDS_LAYOUT_TIDY_H_
#define MINDCARDS_LAYOUT_TIDY_H_

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "mindcards/map.h"

namespace mindcards::detail {
using std::size_t;

inline constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

// An uninitialised array from AllocateLarge (huge pages from 4 MB up).
template <typename T>
class LargeBuffer {
 public:
  LargeBuffer() = default;
  explicit LargeBuffer(size_t n)
      : p_(n == 0 ? nullptr : static_cast<T*>(AllocateLarge(n * sizeof(T)))),
        n_(n) {}
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;
  ~LargeBuffer() {
    if (p_ != nullptr) FreeLarge(p_, n_ * sizeof(T));
  }
  T& operator[](size_t i) { return p_[i]; }
  const T& operator[](size_t i) const { return p_[i]; }
  T* data() { return p_; }
  const T* data() const { return p_; }
  size_t size() const { return n_; }

 private:
  T* p_ = nullptr;
  size_t n_ = 0;
};

// A tree for the tidy layout, stored in preorder: node 0 is the root and
// every subtree is a contiguous range of indices. 48 bytes per node, no
// per-node allocation:
//
//   TidyTree t(n);
//   t.SetRoot(x_size, y_size);
//   t.Add(k, parent, x_size, y_size);  // every k in 1..n-1, any order in
//                                      // which parents come first
//   t.Layout(sibling_gap, cousin_gap);
//   t.ResolveRoot(); t.Resolve(k) for every k > 0, parents first
//
// `x_size` is a box's extent along the breadth axis, `y_size` along the
// depth axis including the gap to its children. Resolve gives node k's
// breadth centre and depth top exactly where d3-flextree places them (the
// root at 0, 0).
//
// Two threads can share the work. A part is the preorder range
// [begin, end) of whole subtrees of consecutive children of one node `v`;
// one thread adds and walks the part while the other does the rest, each
// touching only its own records, and the results are the same bit for bit:
//
//   thread B: AddBelow(k, parent, bottom, ...) for the part's nodes, with
//             v's bottom (RootBottom/ChildBottom down v's path) for v's
//             children, Bottom(parent) for the others;
//             part_walk.RunPart(begin, end)
//   thread A: SetRoot and Add for the other nodes; walk.Run(end, n)
//   then A:   walk.Adopt(part_walk); walk.Run(0, begin)
//   and both resolve their own nodes (Resolve<true>), B with
//   ResolveBelow<true>(k, r, bottom) for v's children, r being v resolved
//   (PeekRoot/Peek down v's path); then any thread can Get any node.
class TidyTree {
 public:
  explicit TidyTree(size_t n) : hot_(n) {}

  size_t size() const { return hot_.size(); }

  void SetRoot(double x_size, double y_size) {
    hot_[0] = {0 + y_size, 0, 0, x_size / 2, kNone, kNone, kNone};
  }
  // Node k under `parent` < k (added before).
  void Add(uint32_t k, uint32_t parent, double x_size, double y_size) {
    AddBelow(k, parent, hot_[parent].bottom, x_size, y_size);
  }
  // The same with the parent's bottom given (Bottom(parent), or computed
  // by RootBottom/ChildBottom down the parent's path when another thread
  // owns the parent's record).
  void AddBelow(uint32_t k, uint32_t parent, double parent_bottom,
                double x_size, double y_size) {
    hot_[k] = {parent_bottom + y_size, 0, 0, x_size / 2, kNone, kNone, parent};
  }
  double Bottom(size_t k) const { return hot_[k].bottom; }
  uint32_t Parent(size_t k) const { return hot_[k].parent; }
  static double RootBottom(double y_size) { return 0 + y_size; }
  static double ChildBottom(double parent_bottom, double y_size) {
    return parent_bottom + y_size;
  }

  // Asks for node k's record ahead of Add or Resolve when nodes come in
  // an order far from preorder. Always inlined: a call to a function that
  // only prefetches is dropped as dead code.
  [[gnu::always_inline]] void Prefetch(size_t k) const {
    const char* p = reinterpret_cast<const char*>(&hot_[k]);
    __builtin_prefetch(p, 1);
    __builtin_prefetch(p + sizeof(Hot) - 1, 1);
  }

  // Writes the records' memory once per 4 KB page until `stop` is set, so
  // that another thread takes the first-touch page faults before the
  // records are added. The 2 MB chunks go in bit-reversed order: whatever
  // share gets done is spread evenly over the records (and so over the two
  // threads' ranges when they are added). Changes no record that Add or
  // SetRoot will not write anyway.
  void TouchPages(const std::atomic<bool>& stop) {
    char* p = reinterpret_cast<char*>(hot_.data());
    size_t bytes = hot_.size() * sizeof(Hot);
    constexpr size_t kPage = 4096, kChunk = size_t{2} << 20;
    size_t chunks = (bytes + kChunk - 1) / kChunk;
    int bits = 0;
    while ((size_t{1} << bits) < chunks) ++bits;
    for (size_t j = 0; j < (size_t{1} << bits); ++j) {
      size_t c = 0;
      for (int b = 0; b < bits; ++b) c |= ((j >> b) & 1) << (bits - 1 - b);
      if (c >= chunks) continue;
      if (stop.load(std::memory_order_relaxed)) return;
      for (size_t at = c * kChunk; at < std::min(bytes, (c + 1) * kChunk);
           at += kPage) {
        static_cast<volatile char*>(p)[at] = 0;
      }
    }
  }

  // Lays out every parent's children, in reverse preorder. O(n), no
  // recursion.
  void Layout(double sibling_gap, double cousin_gap);

 private:
  // What a contour step reads. next_l / next_r: the first / last child, or
  // for a leaf its left / right thread (threads are only set on leaves);
  // set when the node's children are laid out. Once the node is resolved
  // (for Get) the walk is over, and the two hold its depth top instead
  // (SetTop), so that Get reads one record.
  struct Hot {
    double bottom;  // y + y_size
    double prelim;
    double rel_x;
    double half;  // x_size / 2
    uint32_t next_l;
    uint32_t next_r;
    uint32_t parent;
  };
  static constexpr size_t kTop = offsetof(Hot, next_l);
  static_assert(kTop % alignof(double) == 0 &&
                offsetof(Hot, next_r) == kTop + 4);
  static void SetTop(Hot& v, double y) {
    std::memcpy(reinterpret_cast<char*>(&v) + kTop, &y, sizeof y);
  }
  static double Top(const Hot& v) {
    double y;
    std::memcpy(&y, reinterpret_cast<const char*>(&v) + kTop, sizeof y);
    return y;
  }
  // A laid-out subtree waiting for its parent: its root, its extreme left
  // and right nodes (both leaves) and the sums of rel_x down to them. In
  // reverse preorder the subtrees waiting form a stack, a parent's children
  // on top, the first child topmost.
  struct Pending {
    double l_rel_x;
    double r_rel_x;
    uint32_t node;
    uint32_t parent;  // node's
    uint32_t l;
    uint32_t r;
  };
  struct Low {
    double low_y;
    uint32_t index;
    uint32_t next;
  };
  // Per parent being laid out: its children's shift and change.
  struct Shift {
    double shift;
    double change;
  };

 public:
  // One walk's state: the laid-out subtrees waiting for their parent and
  // the scratch of the parent being laid out. Layout is
  // Walk(*this, ...).Run(0, size()). A cache line of its own: two walks
  // on two threads write their members (stack tops, vector ends) at every
  // node, and walks declared side by side must not share a line.
  class alignas(64) Walk {
   public:
    Walk(TidyTree& tree, double sibling_gap, double cousin_gap);
    Walk(const Walk&) = delete;
    Walk& operator=(const Walk&) = delete;
    ~Walk();
    // Nodes [begin, end) in reverse preorder: every node whose children
    // are all done is laid out. Nodes [end, size()) must be done (by this
    // walk, or adopted). With a part on another thread, the whole walk is
    //   walk.Run(end, n); before.RunBeside(0, begin, ancestors, &marks);
    //   then, the part done: walk.Adopt(part) and for each ancestor a
    //   (nearest first) walk.Adopt(before, previous mark, its mark),
    //   walk.Run(a, a + 1).
    void Run(size_t begin, size_t end);
    // A part's subtrees only: [begin, end) holds whole subtrees, so no
    // record outside it is read or written.
    void RunPart(size_t begin, size_t end);
    // The nodes [begin, end) before a part, except its ancestors
    // (`skip`, places in descending order): whole subtrees that need
    // nothing from the part. `marks` receives, at each ancestor, how many
    // subtrees this walk holds by then.
    void RunBeside(size_t begin, size_t end, const std::vector<uint32_t>& skip,
                   std::vector<size_t>* marks);
    // Takes over the subtrees `other` laid out, entries [from, to) of its
    // stack (all of them by default), as if this walk had run over them.
    void Adopt(const Walk& other, size_t from = 0,
               size_t to = std::numeric_limits<size_t>::max());

   private:
    void RunUpTo(size_t begin, size_t end, size_t limit);
    Pending& Kid(uint32_t i);
    void LayoutChildren(uint32_t w);
    void Separate(uint32_t i, uint32_t lows);
    void Thread(uint32_t ext, uint32_t Hot::*next, uint32_t contour, double sum,
                double ext_sum);
    void SetLThr(uint32_t i, uint32_t l_contour, double l_sum);
    void SetRThr(uint32_t i, uint32_t r_contour, double r_sum);

    Hot* hot_;
    size_t n_;
    double sib_;
    double cousin_;
    std::vector<Pending> pending_;
    size_t top_ = 0;  // index of the first child's entry in pending_
    std::vector<Shift> shift_;
    std::vector<Low> lows_;
  };

  // Then the positions (d3-flextree's resolveX), node by node: the root
  // first, then every other node after its parent (preorder, or the order
  // the nodes were added in).
  struct Placed {
    double x;     // breadth centre
    double y;     // depth top
    double half;  // x_size / 2
  };
  // A resolved node as its children need it: the running sum and the
  // final x.
  struct Resolved {
    double prelim;
    double rel_x;
  };
  // What ResolveRoot / Resolve(k) would compute for the root / node k
  // under a parent resolved as `p`, without writing anything.
  Resolved PeekRoot() const {
    const Hot& root = hot_[0];
    double sum = (-root.rel_x - root.prelim) + root.rel_x;
    double rel_x = sum + root.prelim - 0;
    return {sum, 0 + rel_x};
  }
  Resolved Peek(size_t k, Resolved p) const {
    const Hot& v = hot_[k];
    double s = p.prelim + v.rel_x;
    double rel_x = s + v.prelim - p.rel_x;
    return {s, p.rel_x + rel_x};
  }
  Placed ResolveRoot() {
    Hot& root = hot_[0];
    Resolved r = PeekRoot();
    root.rel_x = r.rel_x;
    root.prelim = r.prelim;
    return {r.rel_x, 0.0, root.half};
  }
  // kForGet: keep what Get(k) needs in the record (only Get reads it).
  template <bool kForGet = false>
  Placed Resolve(size_t k) {
    // The running sum goes to `prelim` and the final x to `rel_x` (the
    // node's children need both).
    const Hot& p = hot_[hot_[k].parent];
    return ResolveBelow<kForGet>(k, {p.prelim, p.rel_x}, p.bottom);
  }
  // The root / node k (> 0) as ResolveRoot / Resolve<true> returned it,
  // read back from the records once resolved.
  Placed GetRoot() const { return {hot_[0].rel_x, 0.0, hot_[0].half}; }
  Placed Get(size_t k) const {
    const Hot& v = hot_[k];
    return {v.rel_x, Top(v), v.half};
  }
  // The same with the parent given (Peek down its path, when another
  // thread owns the parent's record).
  template <bool kForGet = false>
  Placed ResolveBelow(size_t k, Resolved p, double parent_bottom) {
    Hot& v = hot_[k];
    Resolved r = Peek(k, p);
    v.rel_x = r.rel_x;
    v.prelim = r.prelim;
    if constexpr (kForGet) SetTop(v, parent_bottom);
    return {r.rel_x, parent_bottom, v.half};
  }

 private:
  LargeBuffer<Hot> hot_;
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_LAYOUT_TIDY_H_
