// A line-by-line port of d3-flextree's layoutChildren/separate/resolveX with
// the recursion unrolled: the first walk runs in reverse preorder (every
// subtree is finished before its parent, and separating one parent's
// children only touches nodes inside that parent's subtree), the second in
// preorder. Floating-point operations keep d3-flextree's order so the
// coordinates agree to the last bit on the reference trees.
#include "layout/tidy.h"

namespace mindcards::detail {
namespace {

struct Low {
  double low_y;
  uint32_t index;
  uint32_t next;
};

class Tidy {
 public:
  Tidy(std::vector<TidyNode>* nodes, double sib, double cousin)
      : t_(*nodes), sib_(sib), cousin_(cousin) {}

  void Run() {
    size_t n = t_.size();
    if (n == 0) return;
    for (size_t i = 0; i < n; ++i) {
      TidyNode& v = t_[i];
      v.l_ext = v.r_ext = static_cast<uint32_t>(i);
      v.l_thr = v.r_thr = v.last_child = v.next_sibling = kNone;
      v.prelim = v.rel_x = v.shift = v.change = 0;
      v.l_ext_rel_x = v.r_ext_rel_x = 0;
    }
    t_[0].y = 0;
    t_[0].bottom = t_[0].y + t_[0].y_size;
    for (size_t i = 1; i < n; ++i) {
      uint32_t p = t_[i].parent;
      if (t_[p].last_child != kNone) {
        t_[t_[p].last_child].next_sibling = static_cast<uint32_t>(i);
      }
      t_[p].last_child = static_cast<uint32_t>(i);
      t_[i].y = t_[p].y + t_[p].y_size;
      t_[i].bottom = t_[i].y + t_[i].y_size;
    }
    for (size_t i = n; i-- > 0;) {
      if (t_[i].last_child != kNone) LayoutChildren(static_cast<uint32_t>(i));
    }
    ResolveX();
  }

 private:
  double Bottom(uint32_t v) const { return t_[v].bottom; }
  uint32_t NextL(uint32_t v) const {
    return t_[v].last_child != kNone ? v + 1 : t_[v].l_thr;
  }
  uint32_t NextR(uint32_t v) const {
    return t_[v].last_child != kNone ? t_[v].last_child : t_[v].r_thr;
  }

  void LayoutChildren(uint32_t w) {
    kids_.clear();
    for (uint32_t c = w + 1; c != kNone; c = t_[c].next_sibling) {
      kids_.push_back(c);
    }
    lows_.clear();
    uint32_t head = kNone;
    for (uint32_t i = 0; i < kids_.size(); ++i) {
      uint32_t kid = kids_[i];
      double low_y = Bottom(i == 0 ? t_[kid].l_ext : t_[kid].r_ext);
      if (i != 0) Separate(i, head);
      uint32_t h = head;
      while (h != kNone && low_y >= lows_[h].low_y) h = lows_[h].next;
      lows_.push_back({low_y, i, h});
      head = static_cast<uint32_t>(lows_.size() - 1);
    }
    ShiftChange();
    PositionRoot(w);
  }

  void Separate(uint32_t i, uint32_t lows) {
    uint32_t l_sib = kids_[i - 1];
    uint32_t cur = kids_[i];
    uint32_t r = l_sib;
    double r_sum = t_[l_sib].rel_x;
    uint32_t l = cur;
    double l_sum = t_[cur].rel_x;
    bool first = true;
    while (r != kNone && l != kNone) {
      if (Bottom(r) > lows_[lows].low_y && lows_[lows].next != kNone) {
        lows = lows_[lows].next;
      }
      double gap = t_[r].parent == t_[l].parent ? sib_ : cousin_;
      double dist = (r_sum + t_[r].prelim) - (l_sum + t_[l].prelim) +
                    t_[r].x_size / 2 + t_[l].x_size / 2 + gap;
      if (dist > 0 || (dist < 0 && first)) {
        l_sum += dist;
        t_[cur].rel_x += dist;
        t_[cur].l_ext_rel_x += dist;
        t_[cur].r_ext_rel_x += dist;
        DistributeExtra(i, lows_[lows].index, dist);
      }
      first = false;
      double right_bottom = Bottom(r);
      double left_bottom = Bottom(l);
      if (right_bottom <= left_bottom) {
        r = NextR(r);
        if (r != kNone) r_sum += t_[r].rel_x;
      }
      if (right_bottom >= left_bottom) {
        l = NextL(l);
        if (l != kNone) l_sum += t_[l].rel_x;
      }
    }
    if (r == kNone && l != kNone) {
      SetLThr(i, l, l_sum);
    } else if (r != kNone && l == kNone) {
      SetRThr(i, r, r_sum);
    }
  }

  void DistributeExtra(uint32_t cur_i, uint32_t left_i, double dist) {
    uint32_t n = cur_i - left_i;
    if (n > 1) {
      double delta = dist / n;
      t_[kids_[left_i + 1]].shift += delta;
      TidyNode& cur = t_[kids_[cur_i]];
      cur.shift -= delta;
      cur.change -= dist - delta;
    }
  }

  void SetLThr(uint32_t i, uint32_t l_contour, double l_sum) {
    TidyNode& first = t_[kids_[0]];
    uint32_t l_ext = first.l_ext;
    const TidyNode& cur = t_[kids_[i]];
    t_[l_ext].l_thr = l_contour;
    double diff = l_sum - t_[l_contour].rel_x - first.l_ext_rel_x;
    t_[l_ext].rel_x += diff;
    t_[l_ext].prelim -= diff;
    first.l_ext = cur.l_ext;
    first.l_ext_rel_x = cur.l_ext_rel_x;
  }

  void SetRThr(uint32_t i, uint32_t r_contour, double r_sum) {
    TidyNode& cur = t_[kids_[i]];
    uint32_t r_ext = cur.r_ext;
    const TidyNode& l_sib = t_[kids_[i - 1]];
    t_[r_ext].r_thr = r_contour;
    double diff = r_sum - t_[r_contour].rel_x - cur.r_ext_rel_x;
    t_[r_ext].rel_x += diff;
    t_[r_ext].prelim -= diff;
    cur.r_ext = l_sib.r_ext;
    cur.r_ext_rel_x = l_sib.r_ext_rel_x;
  }

  void ShiftChange() {
    double shift_sum = 0;
    double change_sum = 0;
    for (uint32_t c : kids_) {
      TidyNode& child = t_[c];
      shift_sum = shift_sum + child.shift;
      change_sum = change_sum + shift_sum + child.change;
      child.rel_x += change_sum;
    }
  }

  void PositionRoot(uint32_t w) {
    const TidyNode& k0 = t_[kids_.front()];
    const TidyNode& kf = t_[kids_.back()];
    TidyNode& v = t_[w];
    v.prelim = (k0.prelim + k0.rel_x - k0.x_size / 2 + kf.rel_x + kf.prelim +
                kf.x_size / 2) /
               2;
    v.l_ext = k0.l_ext;
    v.l_ext_rel_x = k0.l_ext_rel_x;
    v.r_ext = kf.r_ext;
    v.r_ext_rel_x = kf.r_ext_rel_x;
  }

  // d3-flextree's resolveX; `shift` is reused to hold the running sum.
  void ResolveX() {
    TidyNode& root = t_[0];
    double sum = (-root.rel_x - root.prelim) + root.rel_x;
    root.rel_x = sum + root.prelim - 0;
    root.x = 0 + root.rel_x;
    root.shift = sum;
    for (size_t i = 1; i < t_.size(); ++i) {
      TidyNode& v = t_[i];
      const TidyNode& p = t_[v.parent];
      double s = p.shift + v.rel_x;
      v.rel_x = s + v.prelim - p.x;
      v.x = p.x + v.rel_x;
      v.shift = s;
    }
  }

  std::vector<TidyNode>& t_;
  double sib_;
  double cousin_;
  std::vector<uint32_t> kids_;
  std::vector<Low> lows_;
};

}  // namespace

void TidyLayout(std::vector<TidyNode>* nodes, double sibling_gap,
                double cousin_gap) {
  Tidy(nodes, sibling_gap, cousin_gap).Run();
}

}  // namespace mindcards::detail
