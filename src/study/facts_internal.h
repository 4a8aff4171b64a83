// Text helpers shared by fact extraction, card generation and the timeline.
#ifndef MINDCARDS_STUDY_FACTS_INTERNAL_H_
#define MINDCARDS_STUDY_FACTS_INTERNAL_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/facts.h"
#include "mindcards/map.h"

namespace mindcards::study {

// True for common function words (English plus a few Spanish and French
// ones) that a card must never ask for. `word` in any case.
bool IsStopWord(std::string_view word);
// True when every word of `text` is a stop word (or it has no word at all).
bool AllStopWords(std::string_view text);

// Case-folded copy (ASCII fast path; full Unicode case folding otherwise).
std::string Fold(std::string_view text);
// True when `needle` (already folded) occurs in `folded_hay` with no letter
// or digit right before or after it.
bool ContainsWord(std::string_view folded_hay, std::string_view folded_needle);

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiAlpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// Letters and digits by code point (Unicode letters count). ASCII inline,
// other code points through utf8proc.
bool IsNonAsciiLetterAt(std::string_view text, size_t i);
bool IsNonAsciiUpperAt(std::string_view text, size_t i);
inline bool IsLetterAt(std::string_view text, size_t i) {
  char c = text[i];
  if (static_cast<unsigned char>(c) < 0x80) return IsAsciiAlpha(c);
  return IsNonAsciiLetterAt(text, i);
}
inline bool IsUpperAt(std::string_view text, size_t i) {
  char c = text[i];
  if (static_cast<unsigned char>(c) < 0x80) return c >= 'A' && c <= 'Z';
  return IsNonAsciiUpperAt(text, i);
}
// A byte that belongs to a word: ASCII letter or digit, or any non-ASCII
// byte that is part of a letter (checked by code point).
bool IsNonAsciiWordByteAt(std::string_view text, size_t i);
inline bool IsWordByteAt(std::string_view text, size_t i) {
  char c = text[i];
  if (static_cast<unsigned char>(c) < 0x80)
    return IsAsciiAlpha(c) || IsDigit(c);
  return IsNonAsciiWordByteAt(text, i);
}

// True when `text` may be cut at byte `i`: a code point start, not inside a
// grapheme cluster (a base letter and its combining marks, an emoji and its
// modifiers), and, when `whole_words`, not inside a word.
bool IsCutPoint(std::string_view text, size_t i, bool whole_words = true);

// The texts of `ancestors` (root first), at most `max_depth` of them:
// longer paths keep the root, "…" and the nearest max_depth - 2.
std::vector<std::string> ContextOf(const Map& map,
                                   const std::vector<NodeId>& ancestors,
                                   size_t max_depth = 12);

// Walks the tree in pre-order and calls visit(id, ancestors) with the ids
// from the root down to id's parent. Never recurses.
template <typename Visit>
void WalkWithAncestors(const Map& map, Visit&& visit) {
  if (map.empty()) return;
  std::vector<NodeId> ancestors;
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    ancestors.resize(it.depth());
    if (it.depth() > 0) {
      // The parent of this node is the node at depth - 1 on the path.
      ancestors.back() = map.node(*it).parent;
    }
    visit(*it, static_cast<const std::vector<NodeId>&>(ancestors));
  }
}

// The node text with runs of white space folded to one space.
std::string CleanText(std::string_view text);

// ExtractFacts with the map's era already known (MapEra), on `threads`
// threads (the calling one included); the same facts whatever the count.
std::vector<Fact> ExtractFactsWithEra(const Map& map, int era,
                                      size_t threads = 1);

// 64-bit FNV-1a.
uint64_t Hash64(std::string_view data, uint64_t seed = 0xcbf29ce484222325ULL);

}  // namespace mindcards::study

#endif  // MINDCARDS_STUDY_FACTS_INTERNAL_H_
