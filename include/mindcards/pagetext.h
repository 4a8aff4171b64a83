// Tools around the `pagetext` reader (mind maps rebuilt from text copied
// off a web page): the width model it measures with, a flattener that turns
// a map into page text the way the sites do, and the scores the evaluation
// harness (bench/pagetext_eval.cc) and the tests report.
#ifndef MINDCARDS_PAGETEXT_H_
#define MINDCARDS_PAGETEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mindcards/error.h"
#include "mindcards/formats.h"
#include "mindcards/map.h"

namespace mindcards {

// Rendered width of `text` in pixels at `font_px`, in the proportional font
// the reader measures with (Liberation Sans, Arial metrics).
double PageTextWidth(std::string_view text, double font_px);

// The box model the reader assumes for flattened (wrapped) page text: the
// sites draw every node in a box between `min_box_px` and `max_box_px`
// wide at `font_px`, and wrap its text greedily at that width. A line
// whose width + a space + the next line's first word fits in the narrowest
// box cannot be a wrapped line, so it ends its node: short labels are never
// joined. The defaults match the evaluation harness (150-450 px at 14 px).
struct PageTextOptions {
  double font_px = 14;
  double min_box_px = 150;
  double max_box_px = 450;
  // Threads for flattened text: 0 = two when the machine has two cores and
  // the body is large (64k lines or more), 1 = one. The map read is the
  // same either way; only the per-line and per-node features are split.
  unsigned threads = 0;
};

// Reads page text with an explicit box model (ReadMap with format
// "pagetext" uses the defaults).
[[nodiscard]] Result<Map> ReadPageText(std::string_view bytes,
                                       const PageTextOptions& options,
                                       const ReadLimits& limits = {},
                                       Diagnostics* diagnostics = nullptr);

// How a site prints a map as text.
enum class FlattenStyle {
  kWrapped,   // pre-order, every node word-wrapped at its box width, no
              // indentation (GoConqr's map view, Coggle)
  kNumbered,  // "1.2.3 text", one node per line (GoConqr, MindMeister)
  kBulleted,  // "• text" indented two spaces per level (GetRevising)
};

struct FlattenOptions {
  FlattenStyle style = FlattenStyle::kWrapped;
  uint64_t seed = 1;        // box widths are drawn from this seed
  double font_px = 14;      // font size the boxes wrap at
  double min_box_px = 150;  // box widths are uniform in [min, max]
  double max_box_px = 450;
};

// Prints `map` as page text: the root first, then every node in pre-order.
// Node text is whitespace-folded first. Deterministic for a given seed.
std::string FlattenMap(const Map& map, const FlattenOptions& options);

// How close a rebuilt map is to the true one.
struct RebuildScore {
  size_t true_nodes = 0;
  size_t rebuilt_nodes = 0;
  size_t matched_nodes = 0;  // node texts in both (multiset)
  size_t matched_parents = 0;
  size_t matched_paths = 0;
  size_t true_segments = 0;  // nodes with text (the rest are on no page)
  size_t rebuilt_segments = 0;
  size_t matched_segments = 0;
  // Node segmentation F1: how the page's text was cut into nodes, over the
  // nodes that have text (whitespace folded, multiset). A node with no
  // text is no segment: a wrapped page shows nothing for it.
  double f1 = 0;
  // The same over every node, empty ones included (lower when the true
  // map has empty nodes a page does not show).
  double f1_all_nodes = 0;
  // Share of the true map's non-root nodes whose text appears in the
  // rebuilt map under a parent with the true parent's text (multiset over
  // (parent text, text) pairs).
  double parent_accuracy = 0;
  // The stricter variant: the whole ancestor text path must match.
  double path_accuracy = 0;
};

RebuildScore ScoreRebuild(const Map& truth, const Map& rebuilt);

}  // namespace mindcards

#endif  // MINDCARDS_PAGETEXT_H_
