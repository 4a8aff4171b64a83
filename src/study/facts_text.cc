#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "mindcards/text.h"
#include "study/facts_internal.h"

namespace mindcards::study {
namespace {

// Lower case.
constexpr std::string_view kStopWords[] = {
    "a",       "about",   "above",    "after",    "again",      "against",
    "al",      "all",     "also",     "am",       "an",         "and",
    "any",     "are",     "as",       "at",       "au",         "be",
    "because", "been",    "before",   "being",    "below",      "between",
    "both",    "but",     "by",       "can",      "con",        "could",
    "dans",    "de",      "del",      "des",      "did",        "do",
    "does",    "doing",   "down",     "du",       "during",     "each",
    "el",      "en",      "es",       "est",      "et",         "etc",
    "few",     "for",     "from",     "further",  "had",        "has",
    "have",    "having",  "he",       "her",      "here",       "hers",
    "herself", "him",     "himself",  "his",      "how",        "i",
    "if",      "il",      "in",       "into",     "is",         "it",
    "its",     "itself",  "just",     "la",       "las",        "le",
    "les",     "lo",      "los",      "may",      "me",         "might",
    "more",    "most",    "much",     "must",     "my",         "myself",
    "no",      "nor",     "not",      "now",      "o",          "of",
    "off",     "on",      "once",     "only",     "or",         "other",
    "ou",      "our",     "ours",     "out",      "over",       "own",
    "para",    "por",     "que",      "same",     "se",         "shall",
    "she",     "should",  "so",       "some",     "such",       "than",
    "that",    "the",     "their",    "theirs",   "them",       "then",
    "there",   "these",   "they",     "this",     "those",      "through",
    "to",      "too",     "un",       "una",      "une",        "under",
    "until",   "up",      "upon",     "us",       "very",       "was",
    "we",      "were",    "what",     "when",     "where",      "which",
    "while",   "who",     "whom",     "whose",    "why",        "will",
    "with",    "within",  "without",  "would",    "y",          "yet",
    "you",     "your",    "yours",    "yourself", "yourselves", "like",
    "unlike",  "despite", "although", "however",  "therefore",  "thus",
    "hence",   "shortly", "later",    "soon",     "many",       "él",
    "ésta",    "über",    "à",        "ça",       "être",       "ya",
};

int32_t CodePointAt(std::string_view text, size_t i) {
  size_t j = i;
  return static_cast<int32_t>(DecodeUtf8(text, &j));
}

// Start of the code point that contains byte i.
size_t CodePointStart(std::string_view text, size_t i) {
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}

// The stop words in an open-addressing table (linear probing, load under
// 1/4): each word of at most 12 bytes packed, zero-padded, into two 64-bit
// keys with its length, so a probe is two integer compares. Checked for
// nearly every word of every node and card.
class StopWordTable {
 public:
  StopWordTable() {
    for (std::string_view w : kStopWords) {
      char buf[16] = {};
      std::memcpy(buf, w.data(), w.size());
      Key k = Pack(buf);
      size_t i = Slot(k);
      while (len_[i] != 0) i = (i + 1) & kMask;
      a_[i] = k.a;
      b_[i] = k.b;
      len_[i] = static_cast<uint8_t>(w.size());
    }
  }
  // A lower-case word of `len` (1-12) bytes in `buf`, zero-padded.
  bool Contains(const char (&buf)[16], size_t len) const {
    Key k = Pack(buf);
    for (size_t i = Slot(k);; i = (i + 1) & kMask) {
      if (len_[i] == 0) return false;
      if (a_[i] == k.a && b_[i] == k.b && len_[i] == len) return true;
    }
  }

 private:
  static constexpr size_t kSize = 1024, kMask = kSize - 1;
  struct Key {
    uint64_t a, b;
  };
  static Key Pack(const char (&buf)[16]) {
    Key k;
    std::memcpy(&k.a, buf, 8);
    std::memcpy(&k.b, buf + 8, 8);
    return k;
  }
  static size_t Slot(Key k) {
    uint64_t h = (k.a * 0x9E3779B97F4A7C15ULL) ^ (k.b * 0xC2B2AE3D27D4EB4FULL);
    return static_cast<size_t>(h >> 54) & kMask;
  }
  uint64_t a_[kSize] = {};
  uint64_t b_[kSize] = {};
  uint8_t len_[kSize] = {};
};

}  // namespace

bool IsStopWord(std::string_view word) {
  if (word.empty() || word.size() > 12) return false;
  static const StopWordTable table;
  char buf[16] = {};
  bool ascii = true;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = word[i];
    if (static_cast<unsigned char>(c) >= 0x80) ascii = false;
    buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  if (ascii) return table.Contains(buf, word.size());
  std::string lower = Fold(word);
  // Folding can lengthen a word; no stop word is longer than 12 bytes.
  if (lower.size() > 12) return false;
  char folded[16] = {};
  std::memcpy(folded, lower.data(), lower.size());
  return table.Contains(folded, lower.size());
}

bool AllStopWords(std::string_view text) {
  size_t i = 0;
  bool any_word = false;
  while (i < text.size()) {
    while (i < text.size() && !IsWordByteAt(text, i)) ++i;
    size_t b = i;
    while (i < text.size() && IsWordByteAt(text, i)) ++i;
    if (i > b) {
      any_word = true;
      if (!IsStopWord(text.substr(b, i - b))) return false;
    }
  }
  (void)any_word;
  return true;
}

std::string Fold(std::string_view text) {
  if (IsAscii(text)) return AsciiLower(text);
  // Simple case folding, code point by code point (text is NFC already).
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32)
                                         : static_cast<char>(c));
      ++i;
      continue;
    }
    char32_t cp = DecodeUtf8(text, &i);
    AppendUtf8(static_cast<char32_t>(
                   utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))),
               &out);
  }
  return out;
}

bool IsNonAsciiWordByteAt(std::string_view text, size_t i) {
  size_t start = CodePointStart(text, i);
  return IsLetterAt(text, start);
}

bool IsCutPoint(std::string_view text, size_t i, bool whole_words) {
  if (i == 0 || i >= text.size()) return true;
  if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) return false;
  size_t p = CodePointStart(text, i - 1);
  int32_t before = CodePointAt(text, p);
  int32_t after = CodePointAt(text, i);
  if (!utf8proc_grapheme_break(before, after)) return false;
  return !whole_words || !IsWordByteAt(text, i - 1) || !IsWordByteAt(text, i);
}

bool ContainsWord(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return false;
  size_t pos = 0;
  while ((pos = hay.find(needle, pos)) != std::string_view::npos) {
    size_t end = pos + needle.size();
    bool left_ok =
        pos == 0 || !IsWordByteAt(hay, pos - 1) || !IsWordByteAt(needle, 0);
    bool right_ok = end >= hay.size() || !IsWordByteAt(hay, end) ||
                    !IsWordByteAt(needle, needle.size() - 1);
    if (left_ok && right_ok) return true;
    ++pos;
  }
  return false;
}

bool IsNonAsciiLetterAt(std::string_view text, size_t i) {
  int32_t cp = CodePointAt(text, i);
  auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool IsNonAsciiUpperAt(std::string_view text, size_t i) {
  int32_t cp = CodePointAt(text, i);
  auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

std::vector<std::string> ContextOf(const Map& map,
                                   const std::vector<NodeId>& ancestors,
                                   size_t max_depth) {
  std::vector<std::string> out;
  if (ancestors.empty()) return out;
  size_t n = ancestors.size();
  if (n <= max_depth) {
    out.reserve(n);
    for (NodeId a : ancestors) out.push_back(CleanText(map.node(a).text));
    return out;
  }
  out.reserve(max_depth);
  out.push_back(CleanText(map.node(ancestors[0]).text));
  out.push_back("…");
  for (size_t i = n - (max_depth - 2); i < n; ++i) {
    out.push_back(CleanText(map.node(ancestors[i]).text));
  }
  return out;
}

std::string CleanText(std::string_view text) { return FoldWhitespace(text); }

uint64_t Hash64(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (char c : data) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace mindcards::study
