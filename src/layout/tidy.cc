// A line-by-line port of d3-flextree's layoutChildren/separate/resolveX with
// the recursion unrolled: the first walk runs in reverse preorder (every
// subtree is finished before its parent, and separating one parent's
// children only touches nodes inside that parent's subtree), the second in
// preorder (Resolve). Floating-point operations keep d3-flextree's order so the
// coordinates agree to the last bit on the reference trees.
#include "layout/tidy.h"

#include <algorithm>

namespace mindcards::detail {

void TidyTree::Layout(double sibling_gap, double cousin_gap) {
  Walk(*this, sibling_gap, cousin_gap).Run(0, size());
}

TidyTree::Walk::Walk(TidyTree& tree, double sibling_gap, double cousin_gap)
    : hot_(tree.hot_.data()),
      n_(tree.size()),
      sib_(sibling_gap),
      cousin_(cousin_gap) {
  pending_.reserve(1024);
}

TidyTree::Walk::~Walk() = default;

void TidyTree::Walk::Run(size_t begin, size_t end) { RunUpTo(begin, end, n_); }

void TidyTree::Walk::RunPart(size_t begin, size_t end) {
  // end - 1 is the part's last leaf: node `end` cannot be its child, and
  // its record belongs to the other thread.
  RunUpTo(begin, end, end);
}

void TidyTree::Walk::RunBeside(size_t begin, size_t end,
                               const std::vector<uint32_t>& skip,
                               std::vector<size_t>* marks) {
  size_t s = 0;
  for (size_t k = end; k-- > begin;) {
    if (s < skip.size() && k == skip[s]) {
      marks->push_back(pending_.size());
      ++s;
      continue;
    }
    // Node `end` is the part's first: its parent is skipped.
    RunUpTo(k, k + 1, end);
  }
}

void TidyTree::Walk::Adopt(const Walk& other, size_t from, size_t to) {
  to = std::min(to, other.pending_.size());
  pending_.insert(pending_.end(), other.pending_.begin() + from,
                  other.pending_.begin() + to);
}

// `limit`: nodes from here on are not looked at.
void TidyTree::Walk::RunUpTo(size_t begin, size_t end, size_t limit) {
  for (size_t k = end; k-- > begin;) {
    uint32_t w = static_cast<uint32_t>(k);
    if (k + 1 < limit && hot_[k + 1].parent == w) {
      LayoutChildren(w);
    } else {
      pending_.push_back({0, 0, w, hot_[w].parent, w, w});
    }
  }
}

TidyTree::Pending& TidyTree::Walk::Kid(uint32_t i) {
  return pending_[top_ - i];
}

void TidyTree::Walk::LayoutChildren(uint32_t w) {
  // The children are the entries on top of the stack whose node is w's.
  top_ = pending_.size() - 1;
  size_t m = 1;
  while (m <= top_ && pending_[top_ - m].parent == w) ++m;
  if (shift_.size() < m) shift_.resize(m);
  for (size_t i = 0; i < m; ++i) shift_[i] = {0, 0};
  lows_.clear();
  uint32_t head = kNone;
  for (uint32_t i = 0; i < m; ++i) {
    const Pending& e = Kid(i);
    double low_y = hot_[i == 0 ? e.l : e.r].bottom;
    if (i != 0) Separate(i, head);
    uint32_t h = head;
    while (h != kNone && low_y >= lows_[h].low_y) h = lows_[h].next;
    lows_.push_back({low_y, i, h});
    head = static_cast<uint32_t>(lows_.size() - 1);
  }
  // d3-flextree's shiftChange.
  double shift_sum = 0;
  double change_sum = 0;
  for (uint32_t i = 0; i < m; ++i) {
    shift_sum = shift_sum + shift_[i].shift;
    change_sum = change_sum + shift_sum + shift_[i].change;
    hot_[Kid(i).node].rel_x += change_sum;
  }
  // positionRoot.
  const Pending& e0 = Kid(0);
  const Pending& ef = Kid(static_cast<uint32_t>(m - 1));
  const Hot& k0 = hot_[e0.node];
  const Hot& kf = hot_[ef.node];
  Hot& v = hot_[w];
  v.prelim =
      (k0.prelim + k0.rel_x - k0.half + kf.rel_x + kf.prelim + kf.half) / 2;
  v.next_l = e0.node;
  v.next_r = ef.node;
  Pending done = {e0.l_rel_x, ef.r_rel_x, w, v.parent, e0.l, ef.r};
  pending_.resize(pending_.size() - m);
  pending_.push_back(done);
}

void TidyTree::Walk::Separate(uint32_t i, uint32_t lows) {
  uint32_t l_sib = Kid(i - 1).node;
  Pending& cur_ext = Kid(i);
  uint32_t cur = cur_ext.node;
  uint32_t r = l_sib;
  double r_sum = hot_[l_sib].rel_x;
  uint32_t l = cur;
  double l_sum = hot_[cur].rel_x;
  bool first = true;
  while (r != kNone && l != kNone) {
    const Hot& hr = hot_[r];
    const Hot& hl = hot_[l];
    double right_bottom = hr.bottom;
    double left_bottom = hl.bottom;
    if (right_bottom > lows_[lows].low_y && lows_[lows].next != kNone) {
      lows = lows_[lows].next;
    }
    double gap = hr.parent == hl.parent ? sib_ : cousin_;
    double dist =
        (r_sum + hr.prelim) - (l_sum + hl.prelim) + hr.half + hl.half + gap;
    if (dist > 0 || (dist < 0 && first)) {
      l_sum += dist;
      hot_[cur].rel_x += dist;
      cur_ext.l_rel_x += dist;
      cur_ext.r_rel_x += dist;
      // distributeExtra.
      uint32_t left_i = lows_[lows].index;
      uint32_t between = i - left_i;
      if (between > 1) {
        double delta = dist / between;
        shift_[left_i + 1].shift += delta;
        shift_[i].shift -= delta;
        shift_[i].change -= dist - delta;
      }
    }
    first = false;
    if (right_bottom <= left_bottom) {
      r = hr.next_r;
      if (r != kNone) r_sum += hot_[r].rel_x;
    }
    if (right_bottom >= left_bottom) {
      l = hl.next_l;
      if (l != kNone) l_sum += hot_[l].rel_x;
    }
  }
  if (r == kNone && l != kNone) {
    SetLThr(i, l, l_sum);
  } else if (r != kNone && l == kNone) {
    SetRThr(i, r, r_sum);
  }
}

// Threads the extreme leaf `ext` of the subtrees so far to `contour`, the
// next node of a deeper sibling's contour, keeping `ext` where it is: `sum`
// is the rel_x sum down to `contour`, `ext_sum` the one down to `ext`.
void TidyTree::Walk::Thread(uint32_t ext, uint32_t Hot::*next, uint32_t contour,
                            double sum, double ext_sum) {
  Hot& e = hot_[ext];
  e.*next = contour;
  double diff = sum - hot_[contour].rel_x - ext_sum;
  e.rel_x += diff;
  e.prelim -= diff;
}

void TidyTree::Walk::SetLThr(uint32_t i, uint32_t l_contour, double l_sum) {
  Pending& first = Kid(0);
  const Pending& cur = Kid(i);
  Thread(first.l, &Hot::next_l, l_contour, l_sum, first.l_rel_x);
  first.l = cur.l;
  first.l_rel_x = cur.l_rel_x;
}

void TidyTree::Walk::SetRThr(uint32_t i, uint32_t r_contour, double r_sum) {
  Pending& cur = Kid(i);
  const Pending& l_sib = Kid(i - 1);
  Thread(cur.r, &Hot::next_r, r_contour, r_sum, cur.r_rel_x);
  cur.r = l_sib.r;
  cur.r_rel_x = l_sib.r_rel_x;
}

}  // namespace mindcards::detail
