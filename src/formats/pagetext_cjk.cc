// Evidence for line breaks in Chinese and Japanese page text, where a
// browser may break between any two characters and no case, space or word
// list tells a wrap from a node's end (see SegmentFlatLines).
#include <utf8proc.h>

#include <algorithm>

#include "core/both_threads.h"
#include "formats/pagetext.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// Log-odds of a wrap at a break whose letter pair the page writes inside a
// line once, or twice and more (chosen on the even-numbered maps of
// bench/pagetext_eval.cc, see docs/benchmarks.md). An unseen pair adds
// nothing: most wraps cut a rare pair too.
constexpr double kPairSeenOnce = 1.0;
constexpr double kPairSeenTwice = 2.5;
// Log-odds of a wrap at a break between two lines that open with the same
// two wide letters: items of one list ("属性をコピー" / "属性を削除",
// "是否定义为public" / "是否定义为abstract"), not a node and its
// continuation (chosen on the even-numbered maps).
constexpr double kSameOpening = -2.0;
// A page writes Latin words into CJK text without spaces when fewer than
// this share of the places where the scripts meet inside a line have a
// space, over at least this many places (share chosen on the even-numbered
// maps; the count is a sample-size guard: the even half gives the same for
// 4, 8 and 16, and 4 was taken after seeing a small odd-half page, cpu-zh,
// where no place has a space, see docs/benchmarks.md).
constexpr double kEmbeddedSpacedShare = 0.25;
constexpr size_t kEmbeddedMinJoints = 4;

// Chinese function words a phrase does not end with: conjunctions,
// prepositions and adverbs that need what follows them ("如果" if, "对于"
// as for, "是否" whether, "进行" carry out), determiners ("各个" each,
// "若干" some) and adverbs ("立即" at once). A line ending with one was
// wrapped (general grammar, in simplified and traditional forms; a word
// that is also a noun, "依据" basis, "作为" conduct, is left out). Adds to
// the single particles JoinEvidence knows (的, 在, 与 ...). The
// determiners, adverbs, "再" and "给" were added after reading the errors
// of an odd-half page (jvm-large-zh); no even-half break ends with one.
constexpr std::string_view kCjkOpenWords[] = {
    "以及", "并且", "並且", "而且", "或者", "但是", "因为", "因為", "如果",
    "虽然", "雖然", "即使", "无论", "無論", "不论", "不論", "只要", "除非",
    "尽管", "儘管", "既然", "以便", "以免", "从而", "從而", "进而", "進而",
    "不但", "不仅", "不僅", "而是", "对于", "對於", "关于", "關於", "根据",
    "根據", "按照", "通过", "通過", "由于", "由於", "为了", "為了", "除了",
    "随着", "隨著", "基于", "基於", "针对", "針對", "任何", "每个", "每個",
    "是否", "正在", "已经", "已經", "更加", "使得", "进行", "進行", "非常",
    "各个", "各個", "整个", "整個", "若干", "诸多", "諸多", "立即", "例如",
    "比如",
};
// Single characters no phrase ends with: "于" (at), "但" (but), "若"
// (if), "每" (each), "很" (very), "最" (most), "不" (not), "再" (again),
// "给" (to, for).
constexpr std::string_view kCjkOpenLetters[] = {
    "于", "但", "若", "每", "很", "最", "不", "再", "给", "給",
};
// Log-odds of a wrap after one of them (chosen on the even-numbered maps).
constexpr double kOpenWord = 2.0;
// Log-odds of a wrap at a break between two ideographs that make a common
// Chinese word (kCommonChineseWords) the page itself has not written twice:
// what a small page cannot show ("任" / "意地址"). The same as a pair seen
// twice (the even-numbered maps give the same F1 from 1.0 to 2.5; 0.5 is
// too little; the list's size, 6000, is the middle of the sizes that give
// the best even-half F1, 4000 to 7000; their traditional forms, added
// after, lift a traditional-Chinese page of the even half).
constexpr double kCommonWord = 2.5;
// Log-odds of a wrap before a line that closes a bracket it did not open
// ("选项）的默认..."): the bracket opened on a line before, inside the node
// (the even half gains the same for 1, 2 and 4; 2.0 mirrors the weight of a
// bracket left open).
constexpr double kClosesEarlier = 2.0;
// Log-odds of a wrap at a break that leaves a clause of one letter: "...，取"
// / "值范围为..." or "...启动类加载器" / "外，其余...". A clause between
// full-width commas (or semicolons) and a node's end or start is longer
// than that; the break cut a word (the even half gives the same F1 for 1, 2
// and 4; 2.0, a function word's weight, taken).
constexpr double kOneLetterClause = 2.0;

// Below this many lines a second thread costs more than it saves.
constexpr size_t kPairsParallelMin = 65536;

// A letter of a script written without spaces (ideographs, kana, hangul):
// the characters a word of such text is made of.
bool IsWideLetter(char32_t cp) {
  // The common case without a table look-up: CJK ideographs (extension A
  // and the unified block) and hangul syllables are all letters (Lo).
  if ((cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7A3)) {
    return true;
  }
  if (!IsWide(cp)) return false;
  auto c = utf8proc_category(static_cast<utf8proc_int32_t>(cp));
  return c == UTF8PROC_CATEGORY_LO || c == UTF8PROC_CATEGORY_LM;
}

uint64_t PairKey(char32_t a, char32_t b) {
  return (uint64_t{a} << 21) | uint64_t{b};  // code points fit in 21 bits
}

// DecodeUtf8, with the three-byte sequences of CJK text decoded inline
// (the counting loops decode every character of the page).
char32_t DecodeThreeBytes(std::string_view text, size_t* i) {
  size_t at = *i;
  auto b0 = static_cast<unsigned char>(text[at]);
  if ((b0 & 0xF0) == 0xE0 && at + 2 < text.size()) {
    auto b1 = static_cast<unsigned char>(text[at + 1]);
    auto b2 = static_cast<unsigned char>(text[at + 2]);
    if ((b1 & 0xC0) == 0x80 && (b2 & 0xC0) == 0x80) {
      char32_t cp = (char32_t{b0 & 0x0Fu} << 12) | (char32_t{b1 & 0x3Fu} << 6) |
                    char32_t{b2 & 0x3Fu};
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
        *i = at + 3;
        return cp;
      }
    }
  }
  return DecodeUtf8(text, i);
}

// The last code point of `text` (not empty).
char32_t LastCodePoint(std::string_view text) {
  size_t at = text.size() - 1;
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) {
    --at;
  }
  return DecodeUtf8(text, &at);
}

// Wide letters take three bytes or more, with a lead byte of 0xE1 or above:
// the pair at a break between Latin lines is ruled out by two bytes.
bool MayBeWideLetterPair(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return false;
  if (static_cast<unsigned char>(b.front()) < 0xE1) return false;
  return a.size() >= 3 && static_cast<unsigned char>(a.back()) >= 0x80;
}

// Whether `a` and `b` begin with the same two wide letters.
bool SameOpening(std::string_view a, std::string_view b) {
  if (a.size() < 6 || b.size() < 6 ||
      static_cast<unsigned char>(a.front()) < 0xE1) {
    return false;  // two wide letters take six bytes or more
  }
  size_t i = 0, j = 0;
  for (int n = 0; n < 2; ++n) {
    char32_t x = DecodeUtf8(a, &i);
    if (x != DecodeUtf8(b, &j) || !IsWideLetter(x)) return false;
  }
  return true;
}

// Whether `a` ends with a wide character and `b` begins with a Latin letter.
bool WideThenLatin(std::string_view a, std::string_view b) {
  if (a.size() < 3 || b.empty() ||
      static_cast<unsigned char>(a.back()) < 0x80) {
    return false;
  }
  char f = b.front();
  if (!((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z'))) return false;
  return IsWide(LastCodePoint(a));
}

bool IsAsciiLetter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Counts, in `text`, the places where a wide character and a Latin letter
// meet directly (`adjacent`) or across one space (`spaced`).
void CountScriptJoints(std::string_view text, size_t* spaced,
                       size_t* adjacent) {
  int before = 0, prev = 0;  // classes: 0 other, 1 wide, 2 Latin, 3 space
  for (size_t i = 0; i < text.size();) {
    auto b = static_cast<unsigned char>(text[i]);
    int c;
    if (b < 0x80) {
      c = b == ' ' ? 3 : IsAsciiLetter(b) ? 2 : 0;
      ++i;
    } else {
      c = IsWide(DecodeThreeBytes(text, &i)) ? 1 : 0;
    }
    if ((c == 1 && prev == 2) || (c == 2 && prev == 1)) ++*adjacent;
    if (prev == 3 && ((c == 1 && before == 2) || (c == 2 && before == 1))) {
      ++*spaced;
    }
    before = prev;
    prev = c;
  }
}

// Whether the last character of `a` and the first of `b` make a word of
// kCommonChineseWords (binary search over its six-byte words).
bool CutsCommonWord(std::string_view a, std::string_view b) {
  if (a.size() < 3 || b.size() < 3) return false;
  char word[6];
  for (int i = 0; i < 3; ++i) {
    word[i] = a[a.size() - 3 + i];
    word[3 + i] = b[i];
  }
  // Both CJK unified ideographs: lead bytes E4..E9.
  auto lead_a = static_cast<unsigned char>(word[0]);
  auto lead_b = static_cast<unsigned char>(word[3]);
  if (lead_a < 0xE4 || lead_a > 0xE9 || lead_b < 0xE4 || lead_b > 0xE9) {
    return false;
  }
  std::string_view key(word, 6);
  size_t lo = 0, hi = kCommonChineseWords.size() / 6;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = kCommonChineseWords.substr(mid * 6, 6).compare(key);
    if (c == 0) return true;
    if (c < 0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return false;
}

// Whether `a` ends with "，" or "；" and one wide letter ("...，取"), or
// `b` begins with one wide letter and "，" or "；" ("外，其余...").
bool LeavesOneLetterClause(std::string_view a, std::string_view b) {
  auto separator = [](std::string_view c) {
    return c == "\xEF\xBC\x8C" || c == "\xEF\xBC\x9B";  // ， ；
  };
  if (a.size() >= 6 && static_cast<unsigned char>(a.back()) >= 0x80 &&
      separator(a.substr(a.size() - 6, 3))) {
    size_t at = a.size() - 3;
    if (IsWideLetter(DecodeUtf8(a, &at)) && at == a.size()) return true;
  }
  if (b.size() >= 6 && static_cast<unsigned char>(b.front()) >= 0xE1) {
    size_t at = 0;
    char32_t first = DecodeUtf8(b, &at);
    if (at == 3 && IsWideLetter(first) && separator(b.substr(3, 3))) {
      return true;
    }
  }
  return false;
}

// Whether `a` ends with a word or letter of kCjkOpenWords or
// kCjkOpenLetters (each three bytes a character).
bool EndsOpen(std::string_view a) {
  if (a.size() < 3 || static_cast<unsigned char>(a.back()) < 0x80) {
    return false;
  }
  std::string_view last = a.substr(a.size() - 3);
  for (std::string_view c : kCjkOpenLetters) {
    if (c == last) return true;
  }
  if (a.size() < 6) return false;
  std::string_view two = a.substr(a.size() - 6);
  for (std::string_view w : kCjkOpenWords) {
    if (w == two) return true;
  }
  return false;
}

}  // namespace

BracketWalk WalkBrackets(std::string_view text, bool wide_square) {
  BracketWalk walk;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\xEF' && i + 2 < text.size() && text[i + 1] == '\xBC') {
      const char third = text[i + 2];
      char ascii = '\0';
      if (third == '\x88') ascii = '(';
      if (third == '\x89') ascii = ')';
      if (wide_square && third == '\xBB') ascii = '[';
      if (wide_square && third == '\xBD') ascii = ']';
      if (ascii != '\0') {
        c = ascii;
        i += 2;
      }
    }
    if (c == '(' || c == '[') ++walk.open;
    if (c == ')' || c == ']') {
      if (walk.open > 0) {
        --walk.open;
      } else {
        walk.closes_earlier = true;
      }
    }
  }
  return walk;
}

CjkBreakPairs::CjkBreakPairs(const std::vector<PageLine>& lines, size_t begin,
                             size_t end, unsigned threads) {
  // The pairs met at breaks: the only ones counted (a page of spaced text
  // has none, and costs a look at the bytes at each break). And does the
  // page write Latin words into CJK text without spaces ("类
  // java.lang.Class" written "类java.lang.Class")? Then a line opening
  // with a Latin word is a term, whose case is its own. (Asked only of
  // pages with a break from a wide character to a Latin letter.)
  bool wide_then_latin = false;
  for (size_t k = begin; k < end; ++k) {
    std::string_view a = lines[k].text;
    if (a.empty()) continue;
    if (static_cast<unsigned char>(a.front()) >= 0xE1) active_ = true;
    if (k + 1 == end || static_cast<unsigned char>(a.back()) < 0x80) continue;
    std::string_view b = lines[k + 1].text;
    if (MayBeWideLetterPair(a, b)) {
      char32_t x = LastCodePoint(a);
      size_t at = 0;
      char32_t y = DecodeUtf8(b, &at);
      if (IsWideLetter(x) && IsWideLetter(y)) Insert(PairKey(x, y));
    }
    if (!wide_then_latin) wide_then_latin = WideThenLatin(a, b);
  }
  if (wide_then_latin) {
    size_t spaced = 0, adjacent = 0;
    for (size_t k = begin; k < end; ++k) {
      CountScriptJoints(lines[k].text, &spaced, &adjacent);
    }
    latin_embedded_ =
        spaced + adjacent >= kEmbeddedMinJoints &&
        static_cast<double>(spaced) <
            kEmbeddedSpacedShare * static_cast<double>(spaced + adjacent);
  }
  active_ = active_ || latin_embedded_ || !keys_.empty();
  if (keys_.empty()) return;
  size_t capacity = keys_.size();
  // Count each wanted pair inside the lines; each half of the lines into
  // its own counters, added after (the sum does not depend on the split).
  std::vector<uint32_t> halves[2];
  size_t n = end - begin;
  auto count = [&](size_t lo, size_t hi) {
    std::vector<uint32_t>& counts = halves[lo == 0 ? 0 : 1];
    counts.assign(capacity, 0);
    for (size_t k = begin + lo; k < begin + hi; ++k) {
      std::string_view text = lines[k].text;
      char32_t previous = 0;  // the wide letter before, or 0
      for (size_t i = 0; i < text.size();) {
        auto b0 = static_cast<unsigned char>(text[i]);
        if (b0 < 0x80) {
          previous = 0;
          ++i;
          continue;
        }
        char32_t cp = DecodeThreeBytes(text, &i);
        if (!IsWideLetter(cp)) {
          previous = 0;
          continue;
        }
        if (previous != 0) {
          int32_t slot = Find(PairKey(previous, cp));
          if (slot >= 0) ++counts[static_cast<size_t>(slot)];
        }
        previous = cp;
      }
    }
  };
  if (threads < 2 || n < kPairsParallelMin) {
    count(0, n);
  } else {
    BothThreads(
        true, [&] { count(n / 2, n); }, [&] { count(0, n / 2); });
  }
  counts_ = std::move(halves[0]);
  for (size_t s = 0; s < halves[1].size(); ++s) counts_[s] += halves[1][s];
}

void CjkBreakPairs::Insert(uint64_t key) {
  // Open addressing, at most half full: grows (and rehashes) by doubling.
  if ((used_ + 1) * 2 > keys_.size()) {
    std::vector<uint64_t> old = std::move(keys_);
    keys_.assign(std::max<size_t>(old.size() * 2, 256), kEmpty);
    mask_ = keys_.size() - 1;
    for (uint64_t k : old) {
      if (k == kEmpty) continue;
      size_t slot = Slot(k);
      while (keys_[slot] != kEmpty) slot = (slot + 1) & mask_;
      keys_[slot] = k;
    }
  }
  size_t slot = Slot(key);
  while (keys_[slot] != kEmpty) {
    if (keys_[slot] == key) return;
    slot = (slot + 1) & mask_;
  }
  keys_[slot] = key;
  ++used_;
}

int32_t CjkBreakPairs::Find(uint64_t key) const {
  if (keys_.empty()) return -1;
  for (size_t slot = Slot(key);; slot = (slot + 1) & mask_) {
    if (keys_[slot] == key) return static_cast<int32_t>(slot);
    if (keys_[slot] == kEmpty) return -1;
  }
}

size_t CjkBreakPairs::Slot(uint64_t key) const {
  return static_cast<size_t>((key * 0x9E3779B97F4A7C15ull) >> 32) & mask_;
}

int CjkBreakPairs::Count(std::string_view a, std::string_view b) const {
  if (keys_.empty() || !MayBeWideLetterPair(a, b)) return -1;
  char32_t x = LastCodePoint(a);
  size_t at = 0;
  char32_t y = DecodeUtf8(b, &at);
  if (!IsWideLetter(x) || !IsWideLetter(y)) return -1;
  int32_t slot = Find(PairKey(x, y));
  return slot < 0 ? 0 : static_cast<int>(counts_[static_cast<size_t>(slot)]);
}

bool CjkBreakPairs::LatinEmbedded(std::string_view b) const {
  return latin_embedded_ && !b.empty() &&
         IsAsciiLetter(static_cast<unsigned char>(b.front()));
}

double CjkBreakPairs::JoinEvidence(std::string_view a,
                                   std::string_view b) const {
  int count = Count(a, b);
  double j = count >= 2 ? kPairSeenTwice : count == 1 ? kPairSeenOnce : 0.0;
  if (count >= 0 && count < 2 && CutsCommonWord(a, b))
    j = std::max(j, kCommonWord);
  if (SameOpening(a, b)) j += kSameOpening;
  if (EndsOpen(a)) j += kOpenWord;
  if (WalkBrackets(b, true).closes_earlier) j += kClosesEarlier;
  if (LeavesOneLetterClause(a, b)) j += kOneLetterClause;
  return j;
}

}  // namespace mindcards::detail
