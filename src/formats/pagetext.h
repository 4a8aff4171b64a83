// Internals of the `pagetext` reader (text copied from a mind-map web page):
// the width table, the header parser, the explicit-structure parser and the
// flattened-text inference. See docs/formats.md, section "pagetext".
#ifndef MINDCARDS_FORMATS_PAGETEXT_H_
#define MINDCARDS_FORMATS_PAGETEXT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/error.h"
#include "mindcards/formats.h"
#include "mindcards/map.h"

namespace mindcards::detail {

// ---- Text width (pagetext_widths.cc) -------------------------------------

// Advance width of one code point in Liberation Sans (Arial metrics), in
// thousandths of an em. CJK ideographs and full-width forms are 1000,
// combining marks 0, unknown code points an average Latin width.
int AdvanceWidth(char32_t cp);
// Rendered width of `text` in thousandths of an em (sum of advances), at
// most kMaxTextWidth (a million em: far wider than any box, and room to add
// a few such widths in an int).
inline constexpr int kMaxTextWidth = 1 << 30;
int TextWidth(std::string_view text);
// True for code points a browser may break a line around without a space
// (CJK ideographs, kana, hangul, full-width forms).
// Inline: it is asked for every line break and node.
inline bool IsWide(char32_t cp) {
  if (cp < 0x1100) return false;  // Latin, Greek, Cyrillic: the common case
  return cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
         (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
         (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) ||
         (cp >= 0x20000 && cp <= 0x3FFFD);
}
// Width of the first word of `text`: up to a space, or the first character
// when it is wide (at most kMaxTextWidth).
int FirstWordWidth(std::string_view text);
// Width of one space, in thousandths of an em.
inline constexpr int kSpaceWidth = 278;

// ---- Threads ---------------------------------------------------------------

// Below this many input bytes, or lines (or nodes) of per-item work, a
// second thread costs more than it saves (PageTextOptions::threads).
inline constexpr size_t kParallelBytes = size_t{4} << 20;
inline constexpr size_t kParallelMin = 65536;

// ---- Lines -----------------------------------------------------------------

// One line of the input, without its terminator and trailing white space.
struct PageLine {
  std::string_view text;  // without indentation
  uint32_t indent = 0;    // leading spaces (a tab counts 4)
  uint32_t number = 0;    // 1-based line number in the input
  bool blank() const { return text.empty(); }
};

// The lines of `bytes`, numbered from 1 (on two threads for large inputs
// when `threads` >= 2; the result is the same).
std::vector<PageLine> SplitPageLines(std::string_view bytes,
                                     unsigned threads = 1);

// ---- Header (pagetext_header.cc) -------------------------------------------

// What the page header told, and where the map's own text begins.
struct PageHeader {
  MapMeta meta;           // title, description, tags, author, date, site...
  std::string root_text;  // the central topic when the page names it
  size_t body_begin = 0;  // index of the first body line
  size_t body_end = 0;    // one past the last body line (footer cut)
  int confidence = 0;     // 0 = no template recognised ... 100 = sure
};

// Recognises the site templates in the first lines of `lines` and the page
// chrome around the map. Never fails: unrecognised text is all body.
PageHeader ParsePageHeader(const std::vector<PageLine>& lines);

// True for lines that are site chrome wherever they appear in a header
// ("Resource summary", "Please enable JavaScript", view counts...).
bool IsChromeLine(std::string_view text);

// Parses "15/04/2014", "06/30/2015", "15.04.2014", "2014-04-15" into
// "YYYY-MM-DD". Ambiguous day/month order follows `month_first`. Returns ""
// when `text` is not a date.
std::string ParseDate(std::string_view text, bool month_first);

// ---- Body -----------------------------------------------------------------

// A node recovered from the body, in pre-order, with the index of its
// parent in the same vector (-1 for a top-level node: a child of the root).
struct PageNode {
  std::string text;
  int32_t parent = -1;
  SourcePos pos;
  float join_confidence = 1.0f;
  float parent_confidence = 1.0f;
  bool marked = false;  // the line had a number or a bullet
  int32_t width = -1;   // TextWidth(text) when known (flattened bodies)
};

enum class BodyStyle { kFlat, kDotted, kRestarting, kBulleted, kIndented };

// Classifies the body lines [begin, end) (counting on two threads for
// many lines when `threads` >= 2; the result is the same).
BodyStyle ClassifyBody(const std::vector<PageLine>& lines, size_t begin,
                       size_t end, unsigned threads = 1);

// Parses a body with explicit structure (numbers, bullets, indentation).
// Lines without a marker continue the node before them.
std::vector<PageNode> ParseStructuredBody(const std::vector<PageLine>& lines,
                                          size_t begin, size_t end,
                                          BodyStyle style);

// The language that weighs case cues in flattened text: the header's, or
// "de" for a body that reads as German (which capitalises every noun), or "".
std::string_view BodyLanguage(const std::vector<PageLine>& lines, size_t begin,
                              size_t end, std::string_view header_language);

// Flattened text (pagetext_infer.cc), step 1: joins wrapped lines into
// nodes (parents left at -1). Blank lines always separate nodes.
// `language` is the page's BCP 47 tag or "" (German weakens case cues).
// Box widths in thousandths of an em (see PageTextOptions).
struct BoxModel {
  double min_box = 150.0 / 14 * 1000;
  double max_box = 450.0 / 14 * 1000;
};
// `threads` (1 or 2, see PageTextOptions::threads) splits the per-line
// features of large blocks; the result does not depend on it. With two
// threads, `beside` (if any: work of the caller's that the nodes do not
// depend on) runs on the second thread while the first runs the first
// large block's programme, given an estimate of how many nodes the lines
// make (its only chance to run: the rest of the time both threads work).
std::vector<PageNode> SegmentFlatLines(
    const std::vector<PageLine>& lines, size_t begin, size_t end,
    std::string_view language, const BoxModel& box = {}, unsigned threads = 1,
    const std::function<void(size_t)>& beside = nullptr);
// The most frequent Chinese words of two characters, simplified and
// traditional, six UTF-8 bytes each, sorted (pagetext_cjk_words.cc).
extern const std::string_view kCommonChineseWords;
// Round and square brackets of a line, its full-width round ones
// "（" "）" counted as "(" ")" (Chinese input methods mix the two), and its
// full-width square ones "［" "］" as "[" "]" when `wide_square`
// (pagetext_cjk.cc): the brackets left open at its end, and whether a
// closing one had no opening one before it in the line.
struct BracketWalk {
  int open = 0;
  bool closes_earlier = false;
};
BracketWalk WalkBrackets(std::string_view text, bool wide_square);
// Page-wide evidence for breaks in Chinese and Japanese text
// (pagetext_cjk.cc). A wrap there falls between any two characters, often
// inside a word ("收" / "集"); a node ends between words. For each break
// between two wide letters (ideographs, kana, hangul: the last letter of a
// line and the first of the next), counts how often the lines [begin, end)
// write that pair inside one line: a pair the page writes elsewhere is
// likely a word cut by a wrap. Also tells whether the page writes Latin
// terms into its CJK text without spaces. Counts on two threads for many
// lines when `threads` >= 2 (the counts are the same).
class CjkBreakPairs {
 public:
  CjkBreakPairs(const std::vector<PageLine>& lines, size_t begin, size_t end,
                unsigned threads = 1);
  // Occurrences inside the lines of the pair at the break between line `a`
  // and the next line `b`; -1 when the break is not between two wide
  // letters (and for every break when the body has none).
  int Count(std::string_view a, std::string_view b) const;
  // False when no line of the body begins with a wide character, no break
  // is between two wide letters and the page does not write Latin terms
  // into CJK text: then JoinEvidence is 0 and LatinEmbedded false for
  // every break (callers skip them).
  bool Active() const { return active_; }
  // Log-odds that the break between `a` and `b` is a wrap: positive from
  // Count (0 for a pair the page writes nowhere else, or no pair), from a
  // common Chinese word cut by the break (kCommonChineseWords), from a
  // Chinese function word ending `a` ("是否", "对于", "于"), from a clause
  // of one letter left by the break ("...，取" / "值...") and from `b`
  // closing a bracket it did not open; negative when both lines open with
  // the same two wide letters (items of one list).
  double JoinEvidence(std::string_view a, std::string_view b) const;
  // True when line `b` opens with a Latin letter and the page writes Latin
  // words into its CJK text without spaces: the letter's case is the
  // term's own, neither a sentence's start nor its continuation.
  bool LatinEmbedded(std::string_view b) const;

 private:
  static constexpr uint64_t kEmpty = ~uint64_t{0};
  size_t Slot(uint64_t key) const;
  void Insert(uint64_t key);
  int32_t Find(uint64_t key) const;
  std::vector<uint64_t> keys_;  // open addressing, kEmpty = free
  std::vector<uint32_t> counts_;
  size_t mask_ = 0;
  size_t used_ = 0;
  bool latin_embedded_ = false;
  bool active_ = false;
};

// The words a page capitalises inside its sentences (pagetext_infer.cc):
// names ("Stalin", "Germany", "Freeplane") that it writes after a
// lower-case letter within a line, gathered from the first lines of
// [begin, end). A capital opening a line says less of a new node when the
// word is one of these.
class PageNames {
 public:
  PageNames(const std::vector<PageLine>& lines, size_t begin, size_t end);
  // Whether `line` opens with one of the words (closing punctuation aside:
  // "Stalin," is "Stalin").
  bool OpensWithName(std::string_view line) const;

 private:
  std::unordered_set<std::string_view> words_;  // views into the lines
};

// Step 2: chooses the most probable tree for nodes in pre-order under a
// root whose text is `root_text`; sets each node's parent (an index into
// `nodes`, -1 for the root) and parent_confidence. With `threads` > 1 (and
// many nodes) a second thread computes the per-node features while this
// one searches, then runs `beside` (if any: work of the caller's that the
// tree does not depend on, such as faulting in memory) while the search
// goes on.
void InferHierarchy(std::string_view root_text, std::string_view language,
                    std::span<PageNode> nodes, unsigned threads = 1,
                    const std::function<void()>& beside = nullptr);
// The K items that come first under `before` (a strict weak order) among
// those offered, in that order: what std::partial_sort(first, first + K,
// last, before) leaves in [first, first + K) for the items in offer order,
// done as libstdc++ does it (a heap of the first K; each later item that
// comes before the heap's last replaces it; the heap then sorted), so that
// items that tie fall in the same order as there, on any standard library.
// Items are offered one at a time: no array of all of them is kept (the
// tree search offers some twenty options per node and keeps four).
template <typename T, size_t K, typename Before>
class HeapSelect {
 public:
  explicit HeapSelect(Before before = {}) : before_(before) {}
  void Offer(const T& item) {
    if (size_ < K) {
      heap_[size_++] = item;
      if (size_ == K) MakeHeap();
    } else if (before_(item, heap_[0])) {
      Adjust(0, K, item);
    }
  }
  // Sorts what was kept; the items are then [data(), data() + size()).
  void Sort() {
    if (size_ < K) MakeHeap();
    for (ptrdiff_t last = static_cast<ptrdiff_t>(size_) - 1; last > 0; --last) {
      T value = heap_[last];
      heap_[last] = heap_[0];
      Adjust(0, last, value);
    }
  }
  void Clear() { size_ = 0; }
  size_t size() const { return size_; }
  const T* data() const { return heap_; }
  const T& operator[](size_t i) const { return heap_[i]; }

 private:
  void MakeHeap() {
    auto len = static_cast<ptrdiff_t>(size_);
    if (len < 2) return;
    for (ptrdiff_t parent = (len - 2) / 2;; --parent) {
      Adjust(parent, len, heap_[parent]);
      if (parent == 0) return;
    }
  }
  // Moves the hole at `hole` down to a leaf, then `value` up from there
  // (std::__adjust_heap and std::__push_heap).
  void Adjust(ptrdiff_t hole, ptrdiff_t len, T value) {
    const ptrdiff_t top = hole;
    ptrdiff_t child = hole;
    while (child < (len - 1) / 2) {
      child = 2 * (child + 1);
      if (before_(heap_[child], heap_[child - 1])) --child;
      heap_[hole] = heap_[child];
      hole = child;
    }
    if ((len & 1) == 0 && child == (len - 2) / 2) {
      child = 2 * (child + 1);
      heap_[hole] = heap_[child - 1];
      hole = child - 1;
    }
    ptrdiff_t parent = (hole - 1) / 2;
    while (hole > top && before_(heap_[parent], value)) {
      heap_[hole] = heap_[parent];
      hole = parent;
      parent = (hole - 1) / 2;
    }
    heap_[hole] = value;
  }

  T heap_[K];
  size_t size_ = 0;
  Before before_;
};

// The thread count for PageTextOptions::threads: 1, or 2 for 0 (when the
// machine has two cores) or any larger request.
unsigned PageTextThreads(unsigned requested);

// Splits a body line's list marker: "1.2.3. text" gives {1,2,3}, "• text"
// gives {} with `bullet` set. Returns false for a line with no marker.
struct ListMarker {
  std::vector<uint32_t> numbers;
  bool bullet = false;
  size_t text_offset = 0;  // where the node text starts in the line
};
bool ParseListMarker(std::string_view text, ListMarker* marker);

// ---- Reader (pagetext.cc) ---------------------------------------------------

const FormatSpec& PageTextFormat();

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_PAGETEXT_H_
