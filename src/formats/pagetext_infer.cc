// Flattened page text: wrapped lines with no structure left (GoConqr's map
// view, Coggle). Two steps, both linear in the input. The per-line
// features, calibrations and node texts of large blocks are computed on
// two threads (a page of many small blocks shares out its blocks instead),
// and their per-node features on the second thread while the beam search
// consumes them (each index by one thread, so the result does not depend
// on it); the programme and the beam search are serial, the second thread
// making the node arrays while the programme runs.
//
// 1. Segmentation. A dynamic programme over "which lines form one node"
//    (at most kMaxNodeLines per node) scores each candidate node by
//    width geometry and by local evidence at every line break. A greedy
//    wrapper breaks a line only when the next word does not fit, so inside
//    one node every non-final line plus a space plus the next line's first
//    word is wider than the box, and the box is at least as wide as the
//    node's widest line: width(j) + space + first_word(j+1) > max width.
//    Widths are measured in a proportional font (pagetext_widths.cc).
//    Case, punctuation (full-width too), open brackets and function words
//    (Chinese and Japanese particles at a line's end or start included) at
//    the break add log-odds for or against a join. The box likelihood
//    weighs more for nodes of three lines or more, whose widths pin the box
//    down even when the page's boxes are not the assumed 150-450 px.
//    Syntax and the page's own habits add more (SyntaxEvidence,
//    CalibrateLowerCase): code kept one statement per node (a line ending
//    with ";", "{" or "}" ends one), object members, one XML element or
//    TeX environment per node, a lone operator or menu arrow at a line's
//    end, a Latin capital after Cyrillic (a name), a German clause-final
//    verb, a repeated line, two one-word lines, a closed aside; and the
//    lower-case bonus is calibrated per block: breaks no wrapper made
//    (line + next word within the narrowest box) are certain node starts,
//    and their lower-case share says how much a lower-case line means on
//    this page. NameLinkTexEvidence: a name cut by the wrap ("... John" /
//    "Diefenbaker, these"), a capitalised menu path ("меню" / "Формат >
//    ..."), an aside opening a line ("(english)") join; a web address
//    opens a node; an open TeX group joins; a closing quote is no open
//    one. CalibrateSentenceEnds: the page's sentence ends inside the lines
//    that continue estimate how often a ". A" break is inside a node, and
//    the fixed evidence against a join there rises to that (never falls).
//    AddressCreditEvidence: an e-mail address opens a node; a capitalised
//    run that changes script at the break ("Andrew Iggleden" /
//    "Установщик ...") is two labels, not a title. PageNames: a line
//    opening with a word the page capitalises inside its sentences (a
//    name) leans back towards a join: the capital says less there.
//    BoxBound: a lone unbreakable token (a URL, a formula) wider than the
//    narrowest box may have overflowed its box, so amid spaced text it
//    bounds the box only by the narrowest box.
//    Chinese and Japanese breaks, which fall between any two characters,
//    also take evidence from the page as a whole (CjkBreakPairs,
//    pagetext_cjk.cc): a letter pair the page writes inside a line, or
//    a common Chinese word (pagetext_cjk_words.cc), is a word cut by a
//    wrap; so is a clause of one letter left by the break; a Chinese
//    function word at a line's end and a bracket closed on the next line
//    continue the node; lines opening alike are items of one list; on
//    pages that write Latin terms into CJK text without spaces a Latin
//    line's case says nothing.
//
// 2. Hierarchy. Each node is scored as a heading (short, title-like,
//    dated, a question) or a statement; discourse cues ("Consequently",
//    "However", "As X said", a pronoun opening) mark an elaboration of the
//    statement before. A beam search (kBeamWidth hypotheses) over the stack
//    of open nodes picks, for each node, its parent among the ancestors of
//    the node before, maximising a sum of feature weights (a log-linear
//    model). Without cues (label maps) two features decide: a node is
//    often the first child of the node before, and siblings share their
//    form (ending, opening, length class, script, inner colon). The weights
//    were set on the evaluation harness (bench/pagetext_eval.cc; the newer
//    ones chosen on its even-numbered maps, see docs/benchmarks.md), with
//    the seed page as a check, not on any one page.
#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iterator>
#include <limits>
#include <memory>
#include <span>
#include <string_view>
#include <thread>
#include <unordered_set>

#include "core/both_threads.h"
#include "formats/pagetext.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// ---- Segmentation weights (log-odds of "join" at a line break) -------------
constexpr double kJoinBase = 0.0;
constexpr double kNextLower = 2.5;        // next line starts lower-case
constexpr double kNextUpper = -1.6;       // ... upper-case
constexpr double kNextDigit = -1.2;       // ... with a digit
constexpr double kEndComma = 1.5;         // line ends with , or ;
constexpr double kEndDash = 1.5;          // ... with - – / &
constexpr double kEndOpen = 2.5;          // ... with ( [ {
constexpr double kEndStop = -1.5;         // ... with . ! ?
constexpr double kEndColon = -0.5;        // ... with :
constexpr double kEndFunctionWord = 2.0;  // ... with "of", "the", "and"...
constexpr double kOpenBracket = 2.0;      // an unclosed ( or quote in the line
constexpr double kTitleRun = 1.6;         // Capitalised word, Capitalised next
constexpr double kNextCue = -1.0;         // next line opens with a cue word
constexpr double kNextCueComma = -3.5;    // ... followed by a comma: "however,"
constexpr double kSentenceTail = 2.0;     // next line: "Two." ending a sentence
constexpr double kWideNeverFirstJoin = 4.0;  // next line opens with "，" "）"
// Geometry (widths in thousandths of an em).
constexpr double kFeasible = 0.5;    // per join that fits the box model
constexpr double kInfeasible = 6.0;  // node whose lines could not wrap so
constexpr double kInfeasibleSlope = 30.0;
constexpr double kInfeasibleTolerance = 0.03;  // font mismatch allowance
constexpr double kSmallMismatch = 1.0;
// A break whose "line + space + next word" fits in the narrowest box is no
// wrap: the node ends there (near-hard: the penalty outweighs any evidence).
constexpr double kBelowMinBox = 30.0;
constexpr double kBoxWeight = 0.4;
constexpr double kBoxWeightLong = 0.6;
// SegmentFlatLines skips the box term's `log` when it cannot help a
// candidate win, which holds only while the term is never positive.
static_assert(kBoxWeight > 0 && kBoxWeightLong > 0);
constexpr size_t kMaxNodeLines = 64;

// ---- Hierarchy weights ------------------------------------------------------
constexpr double kRootHeading = 0.5;
constexpr double kRootStatement = -1.0;
constexpr double kRootOverlap = 3.0;  // heading repeats words of the title
constexpr double kRootCategory = 0.5;
constexpr double kHeadingUnderHeading = 0.5;
constexpr double kCategoryParent = 1.5;  // "Why ...?", "Key measures"
constexpr double kStatementUnderHeading = 2.0;
constexpr double kHeadingUnderStatement = -3.0;
constexpr double kCueUnderStatement = 2.5;
constexpr double kStatementUnderStatement = -1.5;
constexpr double kSequenceChild = -1.0;  // "1955 - ...", "later" as child
constexpr double kSiblingSame = 1.0;
constexpr double kSiblingDifferent = -1.0;
constexpr double kCueNotChild = -1.5;
constexpr double kChildlessCategory = -2.0;  // a "Key measures" left empty
constexpr double kPop = 0.3;
// Label maps have no cues: a node is the first child of the node before
// about as often as its next sibling, and siblings share their form.
constexpr double kFirstChild = 1.5;
constexpr double kFormWeight = 1.5;  // per form feature shared beyond...
constexpr double kFormPivot = 4.0;   // ... this many (of five)
constexpr size_t kBeamWidth = 4;
constexpr size_t kMaxPops = 16;

// Words after which a line cannot end a node: articles, prepositions,
// conjunctions (en, es, fr, de, pt, it).
constexpr std::string_view kFunctionWords[] = {
    "a",     "an",    "the",   "of",   "to",    "in",    "on",   "at",
    "by",    "for",   "from",  "with", "and",   "or",    "but",  "nor",
    "as",    "that",  "which", "who",  "whose", "into",  "onto", "than",
    "its",   "their", "his",   "her",  "our",   "your",  "my",   "this",
    "these", "those", "is",    "are",  "was",   "were",  "be",   "been",
    "has",   "have",  "had",   "not",  "very",  "more",  "most", "de",
    "del",   "la",    "el",    "los",  "las",   "y",     "o",    "en",
    "con",   "por",   "para",  "un",   "una",   "que",   "le",   "les",
    "des",   "du",    "et",    "ou",   "au",    "aux",   "pour", "sur",
    "der",   "die",   "das",   "und",  "oder",  "mit",   "von",  "zu",
    "im",    "dem",   "den",   "ein",  "eine",  "da",    "do",   "dos",
    "das",   "e",     "di",    "il",   "lo",    "gli",   "per",  "della",
    "nach",  "aus",   "bei",   "über", "durch", "gegen", "ohne", "vom",
    "zum",   "zur",
};

// Russian function words (Cyrillic is not lower-cased by Key, and these
// are written lower-case).
constexpr std::string_view kRussianFunctionWords[] = {
    "и",  "в",   "во",  "на",  "с",   "со",  "по",  "для", "от",
    "к",  "не",  "что", "как", "из",  "о",   "об",  "у",   "за",
    "до", "при", "а",   "но",  "или", "это", "его", "её",  "их",
};

// Full-width punctuation: commas and openings continue a node; closing
// marks and commas never begin one (CJK text).
constexpr std::string_view kWideContinuing[] = {
    "\xEF\xBC\x8C",  // ，
    "\xE3\x80\x81",  // 、
    "\xEF\xBC\x9B",  // ；
    "\xEF\xBC\x88",  // （
    "\xE3\x80\x90",  // 【
    "\xE3\x80\x8A",  // 《
    "\xE3\x80\x8C",  // 「
    "\xE3\x80\x8E",  // 『
};
constexpr std::string_view kWideNeverFirst[] = {
    "\xEF\xBC\x8C",  // ，
    "\xE3\x80\x82",  // 。
    "\xE3\x80\x81",  // 、
    "\xEF\xBC\x9B",  // ；
    "\xEF\xBC\x9A",  // ：
    "\xEF\xBC\x89",  // ）
    "\xE3\x80\x91",  // 】
    "\xE3\x80\x8B",  // 》
    "\xE3\x80\x8D",  // 」
    "\xE3\x80\x8F",  // 』
    "\xEF\xBC\x81",  // ！
    "\xEF\xBC\x9F",  // ？
};
// Particles and prepositions a Chinese or Japanese node does not end with
// (a line ending so was wrapped), and particles it does not begin with.
constexpr std::string_view kCjkNotLast[] = {
    "的", "在", "对", "与", "和", "及", "或", "把", "被",
    "将", "从", "向", "为", "是", "而", "之", "其", "以",
    "の", "が", "を", "に", "で", "も", "へ", "や",
};
constexpr std::string_view kCjkNotFirst[] = {"的", "之", "者",
                                             "也", "着", "を"};

template <size_t N>
bool OneOf(std::string_view c, const std::string_view (&list)[N]) {
  return std::find(std::begin(list), std::end(list), c) != std::end(list);
}

// Openings that mark an elaboration of the statement before.
constexpr std::string_view kCueWords[] = {
    // en
    "consequently",
    "therefore",
    "thus",
    "hence",
    "so",
    "as",
    "this",
    "these",
    "that",
    "it",
    "its",
    "they",
    "their",
    "he",
    "his",
    "she",
    "her",
    "which",
    "e.g",
    "e.g.",
    "eg",
    "i.e",
    "i.e.",
    "however",
    "but",
    "although",
    "though",
    "because",
    "since",
    "moreover",
    "furthermore",
    "also",
    "meaning",
    "whereas",
    "while",
    "instead",
    "otherwise",
    "nevertheless",
    // es
    "por",
    "esto",
    "esta",
    "este",
    "estos",
    "sin",
    "pero",
    "porque",
    "además",
    "como",
    "así",
    // fr
    "donc",
    "ainsi",
    "cela",
    "ceci",
    "cette",
    "ces",
    "il",
    "elle",
    "ils",
    "cependant",
    "mais",
    "car",
    "comme",
    "pourtant",
    // de
    "daher",
    "deshalb",
    "dies",
    "diese",
    "dieser",
    "er",
    "sie",
    "es",
    "jedoch",
    "aber",
    "weil",
    "außerdem",
    "wie",
    "z.b.",
    // pt
    "portanto",
    "isso",
    "isto",
    "porém",
    "mas",
    "assim",
    // it
    "quindi",
    "perciò",
    "questo",
    "questa",
    "però",
    "perché",
    "inoltre",
};

// Openings that mark the next item of a sequence, a sibling.
constexpr std::string_view kSequenceWords[] = {
    "later", "then",    "next",    "finally", "afterwards", "subsequently",
    "luego", "después", "ensuite", "danach",  "depois",     "poi",
};

// Common finite verbs (en, es, fr, de, pt, it).
constexpr std::string_view kCommonVerbs[] = {
    "is",    "was",    "were", "are",   "has",  "had", "did", "es",
    "fue",   "son",    "est",  "était", "sont", "ist", "war", "sind",
    "wurde", "wurden", "hat",  "haben", "foi",  "era", "è",   "sono",
};

// Nouns of a heading that gathers a list of sub-headings.
constexpr std::string_view kCategoryWords[] = {
    "reasons",      "causes",        "effects",     "consequences",
    "factors",      "measures",      "motives",     "aims",
    "types",        "features",      "examples",    "events",
    "results",      "impacts",       "advantages",  "disadvantages",
    "key",          "main",          "stages",      "steps",
    "policies",     "initiatives",   "razones",     "causas",
    "efectos",      "consecuencias", "factores",    "medidas",
    "motivos",      "tipos",         "raisons",     "effets",
    "conséquences", "facteurs",      "mesures",     "gründe",
    "ursachen",     "folgen",        "faktoren",    "maßnahmen",
    "razões",       "efeitos",       "fatores",     "ragioni",
    "cause",        "effetti",       "conseguenze", "fattori",
};

// Equal bytes, compared in place: the words and tokens compared per line
// are short, so a loop beats a call to memcmp (which showed in profiles).
bool SameBytes(std::string_view x, std::string_view y) {
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

// A word list as a small open-addressing hash table (the lists are looked
// up for every line and node, so scans and binary searches showed in
// profiles).
class WordSet {
 public:
  template <size_t N>
  explicit WordSet(const std::string_view (&list)[N]) {
    size_t size = 16;
    while (size < 4 * N) size *= 2;
    slots_.resize(size);
    for (std::string_view w : list) {
      if (w.empty() || w.size() >= kLengths) continue;
      auto first = static_cast<unsigned char>(w.front());
      present_[w.size()][first / 64] |= uint64_t{1} << (first % 64);
      longest_ = std::max(longest_, w.size());
      size_t at = Hash(w) & (size - 1);
      while (!slots_[at].empty() && !SameBytes(slots_[at], w)) {
        at = (at + 1) & (size - 1);
      }
      slots_[at] = w;
    }
  }
  // Whether some word of the list has this length and first byte.
  bool MayContain(size_t size, unsigned char first) const {
    return size > 0 && size <= longest_ &&
           (present_[size][first / 64] >> (first % 64) & 1) != 0;
  }
  bool Contains(std::string_view w) const {
    // Most words fail on (length, first byte) without a comparison, words
    // longer than any in the list at once.
    if (w.empty() ||
        !MayContain(w.size(), static_cast<unsigned char>(w.front()))) {
      return false;
    }
    size_t mask = slots_.size() - 1;
    for (size_t at = Hash(w) & mask; !slots_[at].empty();
         at = (at + 1) & mask) {
      if (SameBytes(slots_[at], w)) return true;
    }
    return false;
  }

 private:
  // FNV-1a, its high bits folded in (the table indexes by the low ones):
  // an inline loop over a short word costs less than std::hash's call,
  // which showed in profiles. Only the speed depends on the hash.
  static size_t Hash(std::string_view w) {
    uint64_t h = 0xcbf29ce484222325;
    for (char c : w) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3;
    return static_cast<size_t>(h ^ (h >> 32));
  }

  static constexpr size_t kLengths = 24;
  std::vector<std::string_view> slots_;  // empty = free
  size_t longest_ = 0;                   // < kLengths
  uint64_t present_[kLengths][4] = {};
};

// One table for each list, built on first use (thread-safe).
template <const auto& kList>
const WordSet& ListSet() {
  static const WordSet set(kList);
  return set;
}

template <const auto& kList>
bool InList(std::string_view w) {
  return ListSet<kList>().Contains(w);
}

inline utf8proc_category_t FirstCategory(std::string_view text) {
  if (text.empty()) return UTF8PROC_CATEGORY_CN;
  auto b = static_cast<unsigned char>(text.front());
  if (b < 0x80) {  // ASCII without a table look-up
    if (b >= 'a' && b <= 'z') return UTF8PROC_CATEGORY_LL;
    if (b >= 'A' && b <= 'Z') return UTF8PROC_CATEGORY_LU;
    if (b >= '0' && b <= '9') return UTF8PROC_CATEGORY_ND;
    return UTF8PROC_CATEGORY_PO;
  }
  size_t i = 0;
  char32_t cp = DecodeUtf8(text, &i);
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp));
}

bool IsUpperCategory(utf8proc_category_t c) {
  return c == UTF8PROC_CATEGORY_LU || c == UTF8PROC_CATEGORY_LT;
}

// IsWide of the first code point. Wide code points (U+1100 and up) take
// three bytes or more with a lead byte of 0xE1 or above: most text is told
// by its first byte, without decoding.
bool StartsWide(std::string_view text) {
  if (!text.empty() && static_cast<unsigned char>(text.front()) < 0xE1) {
    return false;
  }
  size_t at = 0;
  return IsWide(DecodeUtf8(text, &at));
}

std::string_view FirstWord(std::string_view text) {
  size_t sp = text.find(' ');
  return sp == std::string_view::npos ? text : text.substr(0, sp);
}

std::string_view LastWord(std::string_view text) {
  size_t sp = text.rfind(' ');
  return sp == std::string_view::npos ? text : text.substr(sp + 1);
}

// Lower-cases ASCII and strips trailing punctuation: "Consequently," ->
// "consequently".
// Words longer than kMaxKey are in no list: they come back empty.
constexpr size_t kMaxKey = 24;
struct KeyBuffer {
  char data[kMaxKey];
  size_t size = 0;
  operator std::string_view() const { return {data, size}; }
};
// `word` without the characters of kChars at its end ("Stalin," without
// "," is "Stalin"). The set is a template argument, so each use is a few
// comparisons inline: keys are made for every line and node.
template <const std::string_view& kChars>
std::string_view WithoutTrailing(std::string_view word) {
  while (!word.empty() &&
         std::any_of(kChars.begin(), kChars.end(),
                     [&](char c) { return c == word.back(); })) {
    word.remove_suffix(1);
  }
  return word;
}
// What a key drops at a word's end: "Consequently," is "consequently".
constexpr std::string_view kKeyTrailing = ",;:-";
// Whether a line ending with `end` ends a sentence or a label: ". ! ? :".
bool EndsSentenceOrLabel(char end) {
  return end == '.' || end == '!' || end == '?' || end == ':';
}
KeyBuffer Key(std::string_view word) {
  word = WithoutTrailing<kKeyTrailing>(word);
  KeyBuffer key;
  if (word.size() > kMaxKey) return key;
  for (char c : word) {
    key.data[key.size++] =
        (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return key;
}

// InList(Key(word)), making the key only for a word whose length and
// (lower-cased) first byte some word of the list has: most words are told
// without it, and the key is made for every line and node.
template <const auto& kList>
bool InListKey(std::string_view word) {
  std::string_view w = WithoutTrailing<kKeyTrailing>(word);
  if (w.empty()) return false;
  char first = w.front();
  if (first >= 'A' && first <= 'Z')
    first = static_cast<char>(first - 'A' + 'a');
  if (!ListSet<kList>().MayContain(w.size(),
                                   static_cast<unsigned char>(first))) {
    return false;
  }
  return InList<kList>(Key(word));
}

// Last code point of the text, as UTF-8 bytes.
std::string_view LastChar(std::string_view text) {
  if (text.empty()) return text;
  size_t i = text.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return text.substr(i);
}

// The line's last character as JoinEvidence weighs it: the ASCII byte
// itself, '-' for an en or em dash, kIdeographicStop for "。", and '\0'
// for anything else.
constexpr char kIdeographicStop = '\x01';
char Ending(std::string_view last) {
  if (last.size() == 1) {
    return last.front() == kIdeographicStop ? '\0' : last.front();
  }
  if (last == "\xE2\x80\x93" || last == "\xE2\x80\x94") return '-';
  if (last == "\xE3\x80\x82") return kIdeographicStop;
  return '\0';
}

// Every line of every page passes here, and few hold a bracket: the
// quotes and the bytes beyond ASCII are counted in one branch-free
// (vectorised) pass, and the depth is walked only from the first opening
// bracket memchr finds (brackets before it close nothing).
bool HasOpenBracket(std::string_view text) {
  unsigned quotes = 0;
  unsigned char bits = 0;  // every byte or-ed: >= 0x80 if one is not ASCII
  for (char c : text) {
    quotes += c == '"';
    bits |= static_cast<unsigned char>(c);
  }
  if (quotes % 2 == 1) return true;
  if (bits < 0x80) {
    size_t open = std::min(text.find('('), text.find('['));
    if (open == std::string_view::npos) return false;
    int depth = 0;
    for (char c : text.substr(open)) {
      if (c == '(' || c == '[') ++depth;
      if ((c == ')' || c == ']') && depth > 0) --depth;
    }
    return depth > 0;
  }
  // Round brackets counted with their full-width forms: a full-width one
  // closes an ASCII one and the other way round, as Chinese input methods
  // mix them ("（Application Class Loader)"); square brackets as they are.
  if (WalkBrackets(text, false).open > 0) return true;
  // Curly quotes and full-width brackets: an opening after the last close.
  constexpr std::pair<std::string_view, std::string_view> kPairs[] = {
      {"\xE2\x80\x9C", "\xE2\x80\x9D"},  // “ ”
      {"\xE3\x80\x90", "\xE3\x80\x91"},  // 【 】
      {"\xE3\x80\x8A", "\xE3\x80\x8B"},  // 《 》
      {"\xE3\x80\x8C", "\xE3\x80\x8D"},  // 「 」
  };
  for (const auto& [open, close] : kPairs) {
    size_t o = text.rfind(open);
    if (o == std::string_view::npos) continue;
    size_t c = text.rfind(close);
    if (c == std::string_view::npos || c < o) return true;
  }
  return false;
}

// Possessives and demonstratives that refer back ("Under its terms",
// "In his view").
constexpr std::string_view kBackReferences[] = {
    "its",   "his",   "her", "their", "this", "these", "that",
    "those", "su",    "sus", "son",   "sa",   "ses",   "leur",
    "sein",  "seine", "ihr", "ihre",  "seu",  "sua",   "suo",
};

// StartsWithCue for a caller that has found the first word,
// `first` = FirstWord(text).
bool StartsWithCueWord(std::string_view text, std::string_view first) {
  if (InListKey<kCueWords>(first)) return true;
  // A preposition and a back-reference: "Under its terms", "In his view".
  if (first.size() > 5 || first.size() == text.size()) return false;
  std::string_view rest = text.substr(first.size() + 1);
  return InListKey<kBackReferences>(FirstWord(rest));
}

bool StartsWithCue(std::string_view text) {
  return StartsWithCueWord(text, FirstWord(text));
}

// Share of capitalised words among the significant ones (>= 2 of them).
bool TitleLike(std::string_view text) {
  size_t significant = 0, capitalised = 0;
  for (size_t i = 0; i < text.size() && significant < 32;) {
    size_t sp = text.find(' ', i);
    if (sp == std::string_view::npos) sp = text.size();
    std::string_view w = text.substr(i, sp - i);
    i = sp + 1;
    bool upper = !w.empty() && IsUpperCategory(FirstCategory(w));
    if (w.size() >= 4 || upper) {
      ++significant;
      if (upper) ++capitalised;
    }
  }
  return significant >= 1 && capitalised * 10 >= significant * 6;
}

// The line opens with a dash and a space ("- ", "– ", "— "). The first
// byte is tested first: few lines open with either.
bool StartsWithLoneDash(std::string_view b) {
  if (b.empty() || (b.front() != '-' && b.front() != '\xE2')) return false;
  return b.starts_with("- ") || b.starts_with("\xE2\x80\x93 ") ||
         b.starts_with("\xE2\x80\x94 ");
}

// Log-odds that line `a` and line `b` (the next) belong to one node, from
// everything but geometry. `case_blind`: the next line's case says nothing
// (a term embedded in CJK text, see CjkBreakPairs::LatinEmbedded).
double JoinEvidence(std::string_view a, std::string_view b,
                    bool nouns_capitalised, bool case_blind) {
  double j = kJoinBase;
  utf8proc_category_t next = FirstCategory(b);
  if (case_blind) {
    // Neither a continuation nor a new sentence.
  } else if (next == UTF8PROC_CATEGORY_LL) {
    j += kNextLower;
  } else if (IsUpperCategory(next)) {
    j += nouns_capitalised ? 0.0 : kNextUpper;
  } else if (next == UTF8PROC_CATEGORY_ND) {
    j += kNextDigit;
  }
  std::string_view last = LastChar(a);
  const char end = Ending(last);
  switch (end) {
    case ',':
    case ';':
      j += kEndComma;
      break;
    case '-':
    case '/':
    case '&':
      j += kEndDash;
      break;
    case '(':
    case '[':
    case '{':
      j += kEndOpen;
      break;
    case '.':
    case '!':
    case '?':
    case kIdeographicStop:
      j += kEndStop;
      break;
    case ':':
      j += kEndColon;
      break;
    default:
      break;
  }
  // Ends a sentence or a label: ". ! ? :".
  const bool closed = EndsSentenceOrLabel(end);
  std::string_view last_word = LastWord(a);
  if (InListKey<kFunctionWords>(last_word)) j += kEndFunctionWord;
  if (static_cast<unsigned char>(last.front()) >= 0x80) {
    if (OneOf(last, kWideContinuing)) j += kEndComma;
    if (OneOf(last, kCjkNotLast)) j += kEndFunctionWord;
    if (InList<kRussianFunctionWords>(last_word)) j += kEndFunctionWord;
  }
  if (!b.empty() && static_cast<unsigned char>(b.front()) >= 0x80) {
    size_t at = 0;
    DecodeUtf8(b, &at);
    std::string_view first = b.substr(0, at);
    if (OneOf(first, kWideNeverFirst)) j += kWideNeverFirstJoin;
    if (OneOf(first, kCjkNotFirst)) j += kEndFunctionWord;
  }
  if (HasOpenBracket(a)) j += kOpenBracket;
  // German capitalises every noun: a run of capitals is no title there.
  if (!nouns_capitalised && !case_blind && IsUpperCategory(next) &&
      IsUpperCategory(FirstCategory(last_word)) && !closed && TitleLike(a) &&
      TitleLike(b)) {
    j += kTitleRun;
  }
  // A line of one or two words that ends a sentence the line before left
  // open is the sentence's last words ("... after World War" / "Two."):
  // a node that is a sentence has more words than that.
  const char b_end = b.empty() ? '\0' : b.back();
  if ((b_end == '.' || b_end == '!') && !closed &&
      std::count(b.begin(), b.end(), ' ') <= 1) {
    j += kSentenceTail;
  }
  // A dash standing alone at the start: the wrapper moved it down (" - "
  // joins clauses; a node does not open with one).
  if (StartsWithLoneDash(b)) j += kEndDash;
  if (StartsWithCue(b)) {
    j += kNextCue;
    if (FirstWord(b).ends_with(",")) j += kNextCueComma;
  }
  return j;
}

// ---- Code, markup and mixed scripts at a break -----------------------------
// Maps that hold code keep one statement per node ("if (x) {", "return y;",
// "}"); a greedy wrapper breaks only at spaces, so a statement wrapped over
// lines leaves its inner lines without the ";", "{" or "}" that ends one.
constexpr double kStatementEnd = -6.0;  // code line ends ; { }, or next opens }
constexpr double kLoneOperator = 2.5;   // line ends with " =", " >", " &&"...
constexpr double kCodeAfterText = -1.0;    // "text" / "f(x);"
constexpr double kClosedAside = -1.0;      // "... (vertical)" / "x"
constexpr double kTexEnvironment = 2.5;    // "\\begin{", "&&"
constexpr double kRepeatedLine = -2.0;     // "x" / "x"
constexpr double kSingleWordLines = -1.0;  // one-word lines: a list
constexpr double kGermanClauseEnd = -1.0;  // "... werden" / "Quellknoten"
// Markup source (XML, HTML) kept one element per node.
constexpr double kMarkupUnit = -4.0;  // "<a>..</a>" or one tag, next opens <
constexpr double kMarkupOpen = 2.5;   // "<a>text" whose "</a>" is on the next

bool HasPrefix(std::string_view text, std::string_view prefix) {
  return SameBytes(text.substr(0, prefix.size()), prefix);
}

// Characters that mark a line as code: calls, assignments, indexing,
// sigils, increments, member arrows, a call or index ending a statement.
bool HasCodeToken(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(' || c == '=' || c == '[' || c == '$' || c == '@' || c == '{' ||
        c == '}') {
      return true;
    }
    if (i + 1 < text.size() &&
        ((c == '-' && (text[i + 1] == '>' || text[i + 1] == '-')) ||
         (c == '+' && text[i + 1] == '+') || (c == ':' && text[i + 1] == ':') ||
         ((c == ')' || c == ']') && text[i + 1] == ';'))) {
      return true;
    }
  }
  return false;
}

// "&quot;" or "&#1076;" at the end: an escaped character, not a statement.
bool EndsWithEntity(std::string_view word) {
  size_t amp = word.rfind('&');
  if (amp == std::string_view::npos || word.size() - amp < 3) return false;
  for (size_t i = amp + 1; i + 1 < word.size(); ++i) {
    char c = word[i];
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
              (c >= 'A' && c <= 'Z') || (c == '#' && i == amp + 1);
    if (!ok) return false;
  }
  return true;
}

// Where a " //" comment starts in the line, or npos. Looks for the rare
// '/' first: every line of every page passes here.
size_t FindLineComment(std::string_view text) {
  for (size_t at = text.find('/'); at != std::string_view::npos;
       at = text.find('/', at + 1)) {
    if (at > 0 && at + 1 < text.size() && text[at - 1] == ' ' &&
        text[at + 1] == '/') {
      return at - 1;
    }
  }
  return std::string_view::npos;
}

// The line is a statement of code that ends here: ";" (not an escaped
// character's), or a block's brace standing apart ("if (x) {", "}"), not
// one of a TeX argument ("\frac{1}{2}").
bool EndsStatement(std::string_view a) {
  char last = a.back();
  if (last != ';' && last != '{' && last != '}') {
    // A comment after the statement does not count: "if (x) { // why".
    size_t comment = FindLineComment(a);
    if (comment == std::string_view::npos || comment == 0) return false;
    a = a.substr(0, comment);
    last = a.back();
  }
  if (last == '{' || last == '}') {
    if (a.size() == 1) return true;
    char before = a[a.size() - 2];
    return before == ' ' || (last == '{' && before == ')') ||
           (last == '}' && before == ';');
  }
  if (last != ';' || EndsWithEntity(LastWord(a))) return false;
  return HasCodeToken(a) || a.find(' ') == std::string_view::npos;
}

// The line opens with an object member's key: "\"name\": ", "parse: ".
bool StartsWithMemberKey(std::string_view text) {
  size_t at = 0;
  if (!text.empty() && text.front() == '"') {
    at = text.find('"', 1);
    if (at == std::string_view::npos || at == 1) return false;
    ++at;
  } else {
    while (at < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[at])) ||
            text[at] == '_' || text[at] == '$')) {
      ++at;
    }
    if (at == 0) return false;
  }
  if (at < text.size() && text[at] == ' ') ++at;
  return at + 1 < text.size() && text[at] == ':' && text[at + 1] == ' ';
}

// The line opens with a sigil and a name: "$count", "@ARGV", "%ENV".
bool StartsWithVariable(std::string_view b) {
  if (b.size() < 2 || (b[0] != '$' && b[0] != '@' && b[0] != '%')) {
    return false;
  }
  auto c = static_cast<unsigned char>(b[1]);
  return std::isalpha(c) || c == '_';
}

// The line opens by closing a block: "}", "});", "} else {".
bool OpensWithClosingBrace(std::string_view b) {
  if (b.empty() || b.front() != '}') return false;
  std::string_view word = FirstWord(b);
  return word.find_first_not_of(");,", 1) == std::string_view::npos;
}

bool IsComment(std::string_view b) {
  return HasPrefix(b, "//") || HasPrefix(b, "/*") || HasPrefix(b, "#");
}

// The line reads as code: a code token, or a statement's end. A comment
// does not: it continues the statement before it.
bool LooksLikeCode(std::string_view b) {
  return !IsComment(b) && (HasCodeToken(b) || EndsStatement(b));
}

// A line holding one tag ("<head>", "<opml version=\"2.0\">") or one
// element ("<title>Notes</title>").
bool IsMarkupUnit(std::string_view a) {
  if (a.size() < 3 || a.front() != '<' || a.back() != '>') return false;
  size_t opens = std::count(a.begin(), a.end(), '<');
  if (opens == 1) return true;
  if (opens != 2) return false;
  size_t name_end = a.find_first_of(" >", 1);
  size_t close = a.rfind("</");
  if (name_end == std::string_view::npos || close == std::string_view::npos)
    return false;
  std::string_view name = a.substr(1, name_end - 1);
  return SameBytes(a.substr(close + 2, a.size() - close - 3), name);
}

// The element the line opens at its start and leaves open ("<date>Sat, 01"),
// or "" when there is none.
std::string_view OpenElement(std::string_view a) {
  if (a.size() < 3 || a.front() != '<') return {};
  size_t name_end = 1;
  while (name_end < a.size() &&
         (std::isalnum(static_cast<unsigned char>(a[name_end])) ||
          a[name_end] == ':' || a[name_end] == '_' || a[name_end] == '-')) {
    ++name_end;
  }
  if (name_end == 1 || a.find('>', name_end) == std::string_view::npos) {
    return {};
  }
  std::string_view name = a.substr(1, name_end - 1);
  for (size_t at = a.find("</"); at != std::string_view::npos;
       at = a.find("</", at + 2)) {
    if (SameBytes(a.substr(at + 2, name.size()), name)) return {};
  }
  return name;
}

// Binary operators and menu-path arrows no node ends with: a line ending
// with one standing alone continues ("x =" / "y + 1;", "File >" / "Export").
constexpr std::string_view kLoneOperators[] = {
    "=",  "+",  "*",  ">",  "<",  "&&", "||", "?", ":",
    "->", "=>", "==", "!=", "<=", ">=", "+=", "|", "\xE2\x86\x92",  // →
};

// English prepositions and subordinating conjunctions beyond
// kFunctionWords: a node does not end with one either ("... since" /
// "1929, ...", "... when" / "the node is selected").
constexpr std::string_view kEndConnectives[] = {
    "since",   "after",   "before",    "until",    "between", "about",
    "during",  "without", "within",    "under",    "over",    "towards",
    "toward",  "upon",    "via",       "per",      "among",   "across",
    "through", "against", "including", "despite",  "onto",    "beyond",
    "amid",    "along",   "around",    "behind",   "below",   "beside",
    "besides", "near",    "unlike",    "like",     "whether", "while",
    "when",    "where",   "because",   "although", "if",
};

// German closes a clause with its verb: an auxiliary or modal infinitive
// ending a line before a capital ("... verbunden werden" / "Quellknoten")
// ended the clause, and in these maps the node.
constexpr std::string_view kGermanClauseEnds[] = {
    "haben",  "werden", "sein",   "worden", "lassen",
    "können", "müssen", "sollen", "wollen", "dürfen",
};

// Log-odds for a join from code and markup syntax and from a change of
// script, added to JoinEvidence.
double SyntaxEvidence(std::string_view a, std::string_view b,
                      bool nouns_capitalised) {
  double j = 0;
  if (a.empty() || b.empty()) return j;
  // After a statement comes the next one, or a label that is no code
  // ("max subscript"); a comment after the statement may wrap, though.
  if ((OpensWithClosingBrace(b) || EndsStatement(a)) && LooksLikeCode(a)) {
    bool commented = FindLineComment(a) != std::string_view::npos;
    if (LooksLikeCode(b) || (!commented && !IsComment(b))) j += kStatementEnd;
  }
  // A statement or a variable after a line of text ("inline code" /
  // "console.log(x);", "export and import" / "@ISA=qw(Exporter)") opens a
  // line of code of its own.
  if (((FirstCategory(b) == UTF8PROC_CATEGORY_LL && EndsStatement(b) &&
        HasCodeToken(b)) ||
       StartsWithVariable(b)) &&
      !LooksLikeCode(a)) {
    j += kCodeAfterText;
  }
  // Object literals and JSON keep one member per node ("\"name\": \"x\",").
  if (a.back() == ',' && StartsWithMemberKey(a) && StartsWithMemberKey(b)) {
    j += kStatementEnd;
  }
  std::string_view last_word = LastWord(a);
  if (!last_word.empty() && last_word.size() <= 3 &&
      last_word.size() < a.size() &&
      std::string_view("=+*><&|?:-!\xE2").find(last_word.front()) !=
          std::string_view::npos &&
      std::any_of(
          std::begin(kLoneOperators), std::end(kLoneOperators),
          [&](std::string_view op) { return SameBytes(op, last_word); })) {
    j += kLoneOperator;
  }
  // Two lines of one word each (no space, not CJK): the box held no more
  // than one word, which fits lists of names (files, identifiers, links)
  // better than a wrap. Not for TeX, whose formulas are long single tokens.
  if (last_word.size() == a.size() && b.find(' ') == std::string_view::npos &&
      !StartsWide(b) && !StartsWide(LastChar(a)) &&
      a.find_first_of("\\{") == std::string_view::npos &&
      b.find_first_of("\\{") == std::string_view::npos) {
    j += kSingleWordLines;
  }
  if (nouns_capitalised && IsUpperCategory(FirstCategory(b)) &&
      InList<kGermanClauseEnds>(last_word)) {
    j += kGermanClauseEnd;
  }
  // A line closing the aside it opened ("Scroll bar (vertical)") has said
  // what it had to: labels end so, wrapped sentences rarely break there.
  if (a.back() == ')' && last_word.size() < a.size()) {
    auto opens = std::count(a.begin(), a.end(), '(');
    if (opens > 0 && opens == std::count(a.begin(), a.end(), ')')) {
      j += kClosedAside;
    }
  }
  // TeX kept one environment per node: "\\begin{...}" opens a node,
  // "\\end{...}" and a row continuing an alignment ("&&\\text...") do not.
  if (b.front() == '\\') {
    if (HasPrefix(b, "\\begin{")) j -= kTexEnvironment;
    if (HasPrefix(b, "\\end{")) j += kTexEnvironment;
  } else if (b.front() == '&' && !HasPrefix(b, "&#") &&
             a.find_first_of("\\&") != std::string_view::npos) {
    j += kTexEnvironment;
  }
  // The same line twice: two items of a list, not one wrapped text.
  if (SameBytes(a, b)) j += kRepeatedLine;
  if (last_word.size() < a.size() && InList<kEndConnectives>(last_word)) {
    j += kEndFunctionWord;
  }
  if (b.front() == '<' && IsMarkupUnit(a)) j += kMarkupUnit;
  std::string_view open = OpenElement(a);
  if (!open.empty()) {
    size_t at = b.find("</");
    if (at != std::string_view::npos &&
        SameBytes(b.substr(at + 2, open.size()), open)) {
      j += kMarkupOpen;
    }
  }
  // A Latin capital after Cyrillic or Greek text starts a name (Windows,
  // Ctrl, Freeplane), not a sentence: the case says nothing there.
  auto first = static_cast<unsigned char>(b.front());
  if (!nouns_capitalised && first >= 'A' && first <= 'Z' &&
      static_cast<unsigned char>(a.back()) >= 0x80) {
    size_t at = 0;
    std::string_view last = LastChar(a);
    char32_t cp = DecodeUtf8(last, &at);
    if (cp >= 0x370 && cp < 0x530 &&
        utf8proc_category(static_cast<utf8proc_int32_t>(cp)) ==
            UTF8PROC_CATEGORY_LL) {
      j -= kNextUpper;
    }
  }
  return j;
}

// Runs body(lo, hi) over [0, n): on two threads (halves) when `threads` > 1
// and n is large, else on this one. Each index is written by one call, so
// the result is the same either way. An exception on the second thread is
// rethrown here, as on the first.
template <typename Body>
void ForHalves(size_t n, unsigned threads, const Body& body) {
  if (threads < 2 || n < kParallelMin) {
    body(size_t{0}, n);
    return;
  }
  size_t mid = n / 2;
  detail::BothThreads(
      true, [&] { body(mid, n); }, [&] { body(size_t{0}, mid); });
}

// How often a node begins lower-case depends on the map: labels of code or
// commands ("shift @array;", "menubar") often do, prose nodes hardly ever.
// A break that no wrapper made (the line and the next word fit in the
// narrowest box) is a certain node start, so those breaks estimate the
// page's share of lower-case starts (with a prior worth kLowerPriorWeight
// breaks); the lower-case bonus becomes log(continuations' share / starts'
// share), never more than kNextLower nor below 0. Lines whose case says
// nothing (`pairs.LatinEmbedded`) neither count nor take the change.
constexpr double kLowerContinuing = 0.8;  // share of continuations so
constexpr double kLowerStartPrior = 0.05;
constexpr double kLowerPriorWeight = 8.0;

// The block's `m` lines start at lines[first]; full and join have m
// entries (the last unused). Counts and adds on two threads when `threads`
// > 1 (the counts are whole numbers, the same in any order).
void CalibrateLowerCase(const std::vector<PageLine>& lines, size_t first,
                        size_t m, const double* full, double limit,
                        const CjkBreakPairs& pairs, unsigned threads,
                        double* join) {
  if (m < 2) return;
  bool cjk = pairs.Active();
  auto lower_start = [&](size_t k) {
    std::string_view b = lines[first + k + 1].text;
    return FirstCategory(b) == UTF8PROC_CATEGORY_LL &&
           !(cjk && pairs.LatinEmbedded(b));
  };
  size_t forced_half[2] = {0, 0}, lower_half[2] = {0, 0};
  ForHalves(m - 1, threads, [&](size_t lo, size_t hi) {
    size_t forced = 0, lower = 0;
    for (size_t k = lo; k < hi; ++k) {
      if (full[k] > limit) continue;
      if (cjk && pairs.LatinEmbedded(lines[first + k + 1].text)) continue;
      ++forced;
      if (lower_start(k)) ++lower;
    }
    forced_half[lo == 0 ? 0 : 1] = forced;
    lower_half[lo == 0 ? 0 : 1] = lower;
  });
  auto forced = static_cast<double>(forced_half[0] + forced_half[1]);
  auto lower = static_cast<double>(lower_half[0] + lower_half[1]);
  double share = (lower + kLowerStartPrior * kLowerPriorWeight) /
                 (forced + kLowerPriorWeight);
  double weight =
      std::clamp(std::log(kLowerContinuing / share), 0.0, kNextLower);
  if (weight >= kNextLower) return;
  ForHalves(m - 1, threads, [&](size_t lo, size_t hi) {
    for (size_t k = lo; k < hi; ++k) {
      if (lower_start(k)) join[k] += weight - kNextLower;
    }
  });
}

// ---- Names, menus, asides, links, TeX groups, sentences, long tokens -------
constexpr double kNameContinues = 2.0;  // "... Minister John" / "Diefenbaker,"
constexpr double kLinkOpens = -4.0;     // the next line opens with a URL
constexpr double kTexGroupOpen = 2.5;   // "\textsf{my formula:" / "$x$}"
constexpr double kAsideOpens = 1.5;     // "... on the internet" / "(english)"

// The line opens with a web address: "http://", "https://", "www.".
bool StartsWithLink(std::string_view b) {
  if (b.front() != 'h' && b.front() != 'w') return false;
  return HasPrefix(b, "http://") || HasPrefix(b, "https://") ||
         HasPrefix(b, "www.");
}

// A line of TeX (it holds a backslash) that leaves a group open: more "{"
// than "}", escaped braces ("\{" in TeX) not counted.
bool OpensTexGroup(std::string_view a) {
  if (a.find('\\') == std::string_view::npos) return false;
  int depth = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] == '\\') {
      ++i;  // an escaped brace or backslash is a character, not a group
    } else if (a[i] == '{') {
      ++depth;
    } else if (a[i] == '}' && depth > 0) {
      --depth;
    }
  }
  return depth > 0;
}

// The line opens with a menu path: one of its first three words is
// followed by a lone ">" ("Format > Node style", "Файл > ..."). Not "→",
// which pages write between a cause and its effect as often.
bool OpensMenuPath(std::string_view b) {
  if (b.find('>') == std::string_view::npos) return false;
  size_t at = 0;
  for (int word = 0; word < 3; ++word) {
    at = b.find(' ', at);
    if (at == std::string_view::npos) return false;
    ++at;
    std::string_view next = FirstWord(b.substr(at));
    if (SameBytes(next, ">")) return true;
  }
  return false;
}

// The line's quotes are odd in number, the first closes a quote (it
// follows a letter or a stop and is followed by the end, a space, a tag's
// ">" or punctuation), and no bracket is open.
bool ClosesEarlierQuote(std::string_view a) {
  size_t first = a.find('"');
  if (first == std::string_view::npos || first == 0) return false;
  if (std::count(a.begin(), a.end(), '"') % 2 == 0) return false;
  if (a.find_first_of("([") != std::string_view::npos) return false;
  char before = a[first - 1];
  if (before == ' ' || before == '=' || before == ':') return false;
  if (first + 1 == a.size()) return true;
  return std::string_view(" >.,;:!?").find(a[first + 1]) !=
         std::string_view::npos;
}

// The text opens with a letter (of any script).
bool IsWordStart(std::string_view text) {
  utf8proc_category_t c = FirstCategory(text);
  return c == UTF8PROC_CATEGORY_LL || c == UTF8PROC_CATEGORY_LU ||
         c == UTF8PROC_CATEGORY_LT || c == UTF8PROC_CATEGORY_LO;
}

// A word of letters that begins with a capital ("John", "Microsoft").
bool IsCapitalisedWord(std::string_view w) {
  if (w.empty() || !IsUpperCategory(FirstCategory(w))) return false;
  for (char c : w) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x80 && !std::isalpha(u)) return false;
  }
  return true;
}

// Log-odds for a join from names, menu paths, asides, quotes, links and
// TeX groups, added to JoinEvidence (independent per line, like
// SyntaxEvidence).
double NameLinkTexEvidence(std::string_view a, std::string_view b,
                           bool nouns_capitalised) {
  double j = 0;
  if (a.empty() || b.empty()) return j;
  // A name wrapped after its first words: the line ends with a capitalised
  // word and the next opens with another followed by a comma ("Prime
  // Minister John" / "Diefenbaker, these were"). A node opening with a
  // capitalised word and a comma is rare; a name running on is not. Cue
  // words ("However,") keep their own evidence.
  const bool upper = IsUpperCategory(FirstCategory(b));
  if (upper && !nouns_capitalised) {
    std::string_view first = FirstWord(b);
    if (first.size() >= 4 && first.back() == ',' && first.size() < b.size() &&
        IsCapitalisedWord(LastWord(a)) &&
        IsCapitalisedWord(first.substr(0, first.size() - 1)) &&
        !StartsWithCue(b)) {
      j += kNameContinues;
    }
  }
  // A menu path's items are capitalised as names ("меню" / "Формат > Цвет
  // облака."): the capital opening it says nothing of a new node. (A
  // Latin capital after non-ASCII text has had its penalty cancelled in
  // SyntaxEvidence already.)
  char end = a.back();
  bool latin_after_other = static_cast<unsigned char>(end) >= 0x80 &&
                           b.front() >= 'A' && b.front() <= 'Z';
  if (upper && !nouns_capitalised && !latin_after_other &&
      !EndsSentenceOrLabel(end) && OpensMenuPath(b)) {
    j -= kNextUpper;
  }
  // An aside opening the line ("... the internet" / "(english)", "Format
  // Painter" / "(Ctrl+Shift+C)") adds to the line before: nodes seldom open
  // with one. Not code ("($a, $b) = ...", "(?m)"): the bracket then holds
  // a sigil or a sign, not a word.
  if (b.size() > 1 && b.front() == '(' && !EndsSentenceOrLabel(end) &&
      IsWordStart(b.substr(1))) {
    j += kAsideOpens;
  }
  // A line whose unpaired quote closes one opened on a line before
  // ("is a link.\"></outline>") ends what the quote held: JoinEvidence's
  // open-quote bonus does not apply.
  if (ClosesEarlierQuote(a)) j -= kOpenBracket;
  // A web address is written as it is: its lower case continues nothing,
  // and links stand as nodes of their own.
  if (StartsWithLink(b)) j += kLinkOpens;
  if (a.back() != '{' && OpensTexGroup(a)) j += kTexGroupOpen;
  return j;
}

// ---- Addresses and credits at a break ---------------------------------------
// An e-mail address is written as it is, like a web address: its lower case
// continues nothing, and addresses stand as nodes of their own. A run of
// capitalised words that changes script at the break ("Andrew Iggleden" /
// "Установщик для Windows") is two labels, a name and what it did, not one
// title: a title is written in one script.
constexpr double kAddressOpens = -4.0;  // the next line opens with a@b.c
constexpr double kScriptChangeRun = -1.6;  // "Latin Name" / "Кириллица ..."

// What an address drops at its end: "a@b.c," is "a@b.c".
constexpr std::string_view kAddressTrailing = ",;.";

// The line's first word is an address "name@host.domain" (a trailing ","
// ";" or "." aside): letters, digits and "._%+-" before the "@", labels of
// letters, digits and "-" joined by dots after it. Not code ("(@a,@b)").
bool StartsWithMailAddress(std::string_view b) {
  // Few lines hold an "@": one memchr over the line rules the rest out
  // before the first word is split off.
  if (b.find('@') == std::string_view::npos) return false;
  std::string_view w = WithoutTrailing<kAddressTrailing>(FirstWord(b));
  size_t at = w.find('@');
  if (at == 0 || at == std::string_view::npos ||
      !std::isalnum(static_cast<unsigned char>(w.front()))) {
    return false;
  }
  for (size_t i = 0; i < at; ++i) {
    auto u = static_cast<unsigned char>(w[i]);
    if (!std::isalnum(u) && u != '.' && u != '_' && u != '%' && u != '+' &&
        u != '-') {
      return false;
    }
  }
  size_t dots = 0;
  char before = '@';
  for (size_t i = at + 1; i < w.size(); ++i) {
    auto u = static_cast<unsigned char>(w[i]);
    if (u == '.') {
      if (before == '@' || before == '.') return false;
      ++dots;
    } else if (!std::isalnum(u) && u != '-') {
      return false;
    }
    before = static_cast<char>(u);
  }
  return dots > 0 && before != '.';
}

// Every letter of the line is a Latin (ASCII) one, and it has some.
bool AllLatinLetters(std::string_view a) {
  return IsAscii(a) && std::any_of(a.begin(), a.end(), [](char c) {
           return std::isalpha(static_cast<unsigned char>(c)) != 0;
         });
}

double AddressCreditEvidence(std::string_view a, std::string_view b,
                             bool nouns_capitalised) {
  double j = 0;
  if (a.empty() || b.empty()) return j;
  if (StartsWithMailAddress(b)) j += kAddressOpens;
  char end = a.back();
  if (!nouns_capitalised && static_cast<unsigned char>(b.front()) >= 0x80 &&
      !EndsSentenceOrLabel(end) && IsUpperCategory(FirstCategory(b)) &&
      IsCapitalisedWord(LastWord(a)) && AllLatinLetters(a) && TitleLike(a) &&
      TitleLike(b)) {
    j += kScriptChangeRun;
  }
  return j;
}

// ---- Names the page writes inside its sentences -----------------------------
// A capital opening the next line says a node starts (kNextUpper), unless
// the word is one the page capitalises anyway (PageNames): then the capital
// says less, and a break before the word leans kNameOpens back to a join.
constexpr double kNameOpens = 0.4;
// A page's vocabulary shows early: its names are gathered from its first
// this many lines and bytes (a huge page, or one of huge lines, costs no
// more).
constexpr size_t kNameSampleLines = size_t{1} << 16;
constexpr size_t kNameSampleBytes = size_t{4} << 20;

// What a name drops at its end: "Stalin," "Stalin." "(Stalin)" are
// "Stalin".
constexpr std::string_view kNameTrailing = ",.;:!?)\"'";

// How often a sentence ends inside a node depends on the page: notes of
// several sentences are common in manuals, rare in label maps. The page's
// lines say it: `boundaries` sentence ends (". X") inside the lines that
// continue (whose break leans to a join) per word gap inside them is the
// rate within wrapped text (counted over every line, one-line labels, which
// seldom hold a sentence end, would dilute it), so the page's `joins`
// wrapped breaks (those whose local evidence leans to a join before
// CalibrateLowerCase; an estimate of the wrapped breaks) hold about
// boundaries * joins / gaps sentence ends; `ambiguous` breaks end a
// sentence and open the next with a capital. Their share (with a prior of
// the fixed evidence's probability, worth kSentencePriorWeight breaks)
// replaces the fixed evidence when it says more: the join log-odds at those
// breaks rise to the page's, never fall.
constexpr double kSentencePriorWeight = 8.0;
// The rate is a ratio of two counts over the lines: a block of more than
// kSentenceSampleAll lines counts every kSentenceSampleEvery-th line only
// (the same lines on one thread or two).
constexpr size_t kSentenceSampleAll = 4096;
constexpr size_t kSentenceSampleEvery = 8;
struct SentenceCounts {
  size_t boundaries = 0;  // ". X" inside lines that continue
  size_t gaps = 0;        // spaces inside lines that continue
  size_t joins = 0;       // breaks whose evidence leans to a join
  size_t ambiguous = 0;   // breaks after ". !?" before a capital
  void Add(const SentenceCounts& o) {
    boundaries += o.boundaries;
    gaps += o.gaps;
    joins += o.joins;
    ambiguous += o.ambiguous;
  }
};

// Sentence ends inside the line: ". ", "! " or "? " before a capital. The
// spaces are counted in one vectorised pass and each stop found with
// memchr: every line of every page passes here.
void CountSentences(std::string_view a, SentenceCounts* c) {
  c->gaps += static_cast<size_t>(std::count(a.begin(), a.end(), ' '));
  for (char stop : {'.', '!', '?'}) {
    for (size_t at = a.find(stop); at != std::string_view::npos;
         at = a.find(stop, at + 1)) {
      if (at + 2 < a.size() && a[at + 1] == ' ' &&
          IsUpperCategory(FirstCategory(a.substr(at + 2)))) {
        ++c->boundaries;
      }
    }
  }
}

bool EndsSentenceBeforeCapital(std::string_view a, std::string_view b) {
  char end = a.empty() ? '\0' : a.back();
  return (end == '.' || end == '!' || end == '?') &&
         IsUpperCategory(FirstCategory(b));
}

// The least box width line `at` shows: its width, except for a line of
// one unbreakable token (no space, no wide character) wider than the
// narrowest box amid spaced text ("... on the internet" / a long URL / "a
// formula"): a greedy wrapper puts such a token on a line of its own and
// lets it overflow a narrower box, so it shows only the narrowest box.
// Lists of such tokens (identifiers one per line) keep their widths: there
// the token is the node.
double BoxBound(const std::vector<PageLine>& lines, size_t begin, size_t end,
                size_t at, double width, const BoxModel& box) {
  if (width <= box.min_box) return width;
  std::string_view t = lines[at].text;
  if (t.find(' ') != std::string_view::npos) return width;
  auto spaced = [&](size_t k) {
    return k >= begin && k < end &&
           lines[k].text.find(' ') != std::string_view::npos;
  };
  if (!spaced(at + 1) && !(at > 0 && spaced(at - 1))) return width;
  for (size_t q = 0; q < t.size();) {
    if (IsWide(DecodeUtf8(t, &q))) return width;
  }
  return box.min_box;
}

void CalibrateSentenceEnds(const std::vector<PageLine>& lines, size_t first,
                           size_t m, const SentenceCounts& counts,
                           bool nouns_capitalised, const CjkBreakPairs& pairs,
                           unsigned threads, double* join) {
  if (counts.boundaries == 0 || counts.ambiguous == 0 || counts.gaps == 0) {
    return;
  }
  double fixed = kEndStop + (nouns_capitalised ? 0.0 : kNextUpper);
  double prior = 1.0 / (1.0 + std::exp(-fixed));
  double expected = static_cast<double>(counts.boundaries) *
                    static_cast<double>(counts.joins) /
                    static_cast<double>(counts.gaps);
  double share = (expected + prior * kSentencePriorWeight) /
                 (static_cast<double>(counts.ambiguous) + kSentencePriorWeight);
  share = std::min(share, 0.5);
  double raise = std::log(share / (1 - share)) - fixed;
  if (raise <= 0) return;
  if (m < 2) return;
  bool cjk = pairs.Active();
  ForHalves(m - 1, threads, [&](size_t lo, size_t hi) {
    for (size_t k = lo; k < hi; ++k) {
      std::string_view b = lines[first + k + 1].text;
      if (EndsSentenceBeforeCapital(lines[first + k].text, b) &&
          !(cjk && pairs.LatinEmbedded(b))) {
        join[k] += raise;
      }
    }
  });
}

// Penalty (<= 0) or bonus for a node made of lines with these widths:
// `max_width` the widest, `min_full` the smallest "line + space + next
// word", `joins` the number of internal breaks.
double Geometry(double max_width, double min_full, size_t joins) {
  if (joins == 0) return 0;
  double g = 0;
  if (min_full > max_width) {
    g += kFeasible * static_cast<double>(joins);
  } else {
    double deficit = (max_width - min_full) / std::max(max_width, 1.0);
    g -= deficit <= kInfeasibleTolerance
             ? kSmallMismatch
             : kInfeasible + kInfeasibleSlope * deficit;
  }
  return g;
}

// The interval model: log-likelihood of the node's widths when its box
// width is uniform in [box.min_box, box.max_box] (see Geometry's caller).
// Never positive: hi - lo <= max_box - min_box <= span, and 200 < span.
double BoxLikelihood(double max_width, double min_full, size_t joins,
                     const BoxModel& box) {
  double span = std::max(box.max_box - box.min_box, 400.0);
  double lo = std::max(max_width, box.min_box);
  // A one-line node fits any box from its width up; a wrapped node only
  // boxes narrower than its fullest line plus the next word.
  double hi = joins == 0 ? box.max_box : std::min(min_full, box.max_box);
  return std::log(std::max(hi - lo, 200.0) / span);
}

float Sigmoid(double x) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-x)));
}

// Appends a line to a node's text; returns whether a space went between.
bool AppendJoined(std::string_view text, std::string* node) {
  if (node->empty()) {
    node->append(text);  // keeps the capacity the caller reserved
    return false;
  }
  bool glue = node->size() >= 2 && node->back() == '-' &&
              (*node)[node->size() - 2] != ' ' &&
              FirstCategory(text) == UTF8PROC_CATEGORY_LL;
  // Browsers break CJK text between characters, with no space to restore.
  if (StartsWide(text) || StartsWide(LastChar(*node))) glue = true;
  if (!glue) node->push_back(' ');
  node->append(text);
  return !glue;
}

// ---- Node features for the hierarchy ----------------------------------------

struct NodeFeatures {
  bool heading = false;
  bool category = false;  // gathers sub-headings
  bool cue = false;       // elaborates the statement before
  bool sequence = false;  // next item of a sequence
  bool overlaps_root = false;
  // The node's form, compared between siblings (items of one list share
  // it): how it ends, how it begins, its length class, its script, and
  // whether it has a "label: value" colon inside.
  uint8_t ending = 0;
  uint8_t opening = 0;
  uint8_t length = 0;
  bool wide = false;
  bool inner_colon = false;
};

// How many of the five form features two nodes share.
int SameForm(const NodeFeatures& a, const NodeFeatures& b) {
  return (a.ending == b.ending) + (a.opening == b.opening) +
         (a.length == b.length) + (a.wide == b.wide) +
         (a.inner_colon == b.inner_colon);
}

bool IsYearToken(std::string_view w) {
  // "1955", "1902-1988", "1950s)", "(1956)"
  size_t digits = 0, run = 0, best = 0;
  for (char c : w) {
    if (c >= '0' && c <= '9') {
      ++digits;
      best = std::max(best, ++run);
    } else {
      run = 0;
    }
  }
  return best == 4 && digits >= 4;
}

// The words of four letters or more that are not function words,
// lower-cased (ASCII) and without punctuation at either end. They are
// written to `*buffer` and viewed by `*words` (no string per word: this
// runs for every heading).
void ContentWords(std::string_view text, std::string* buffer,
                  std::vector<std::string_view>* words) {
  buffer->clear();
  // The words are never longer than the text: no reallocation below, so
  // the views stay valid.
  buffer->reserve(text.size());
  words->clear();
  size_t i = 0;
  while (i < text.size()) {
    size_t sp = text.find(' ', i);
    if (sp == std::string_view::npos) sp = text.size();
    std::string_view w = text.substr(i, sp - i);
    while (!w.empty() && std::ispunct(static_cast<unsigned char>(w.back()))) {
      w.remove_suffix(1);
    }
    while (!w.empty() && std::ispunct(static_cast<unsigned char>(w.front()))) {
      w.remove_prefix(1);
    }
    if (w.size() >= 4) {
      size_t at = buffer->size();
      // Copied, then lower-cased in place (no size check per byte).
      buffer->append(w);
      char* copy = buffer->data() + at;
      for (size_t k = 0; k < w.size(); ++k) {
        if (copy[k] >= 'A' && copy[k] <= 'Z') copy[k] += 'a' - 'A';
      }
      std::string_view lower(copy, w.size());
      if (InList<kFunctionWords>(lower)) {
        buffer->resize(at);
      } else {
        words->push_back(lower);
      }
    }
    i = sp + 1;
  }
}

// Scratch space of Describe, one per thread.
struct DescribeScratch {
  std::string buffer;
  std::vector<std::string_view> words;
};

// Whether the text has a digit, found without an early exit and in a
// byte so that the compiler vectorises the loop: without one, no word of
// the text is a year token, and Describe skips the per-word check.
bool HasDigit(std::string_view text) {
  unsigned char digit = 0;
  for (char c : text) digit |= static_cast<unsigned char>(c - '0') < 10;
  return digit != 0;
}

NodeFeatures Describe(std::string_view text, int width,
                      const std::vector<std::string_view>& root_words,
                      bool nouns_capitalised, DescribeScratch* scratch) {
  NodeFeatures f;
  size_t words = 0, significant = 0, capitalised = 0;
  bool year = false, verb = false;
  bool may_have_year = HasDigit(text);
  // The walk over the words also finds the first word and the ", " and
  // " - " that the heading score looks for (a word ending in a comma, a
  // word "-" after another, each followed by a space): when it reaches the
  // end of the text, they need no scans of their own (a find(" - ") calls
  // memchr for every space).
  std::string_view first_word;
  bool comma_space = false, spaced_dash = false;
  const WordSet& verbs = ListSet<kCommonVerbs>();  // looked up once
  size_t i = 0;
  while (i < text.size() && words < 64) {
    size_t sp = text.find(' ', i);
    if (sp == std::string_view::npos) sp = text.size();
    std::string_view w = text.substr(i, sp - i);
    if (i == 0) first_word = w;
    if (sp < text.size()) {
      if (!w.empty() && w.back() == ',') comma_space = true;
      if (i > 0 && w == "-") spaced_dash = true;
    }
    i = sp + 1;
    if (w.empty()) continue;
    ++words;
    if (may_have_year && IsYearToken(w)) year = true;
    if (verbs.Contains(w)) verb = true;
    bool upper = IsUpperCategory(FirstCategory(w));
    if (w.size() >= 4 || upper) {
      ++significant;
      if (upper) ++capitalised;
    }
  }
  std::string_view last = LastChar(text);
  double h = 0;
  if (words <= 3) {
    h += 1.5;
  } else if (words <= 6) {
    h += 0.8;
  } else if (words <= 9) {
    h -= 0.3;
  } else {
    h -= 2.0;
  }
  if (SameBytes(last, "?")) h += 2.5;
  if (SameBytes(last, ".") || SameBytes(last, "!")) h -= 1.5;
  if (SameBytes(last, ":")) h += 1.5;
  if (!nouns_capitalised && significant >= 2 &&
      capitalised * 10 >= significant * 6) {
    h += 1.2;
  }
  if (year && words <= 8) h += 0.8;
  if (i < text.size()) {  // stopped at 64 words
    comma_space = text.find(", ") != std::string_view::npos;
    spaced_dash = text.find(" - ") != std::string_view::npos;
  }
  utf8proc_category_t first = FirstCategory(text);
  f.cue = first == UTF8PROC_CATEGORY_LL || StartsWithCueWord(text, first_word);
  if (f.cue) h -= 2.0;
  if (comma_space) h -= 0.7;
  // A finite verb makes a statement; headings are noun phrases.
  if (verb) h -= 1.2;
  if (spaced_dash) h -= 0.7;
  f.heading = h > 0;
  if (SameBytes(last, ".") || SameBytes(last, "!") ||
      SameBytes(last, "\xE3\x80\x82") || SameBytes(last, "\xEF\xBC\x81")) {
    f.ending = 1;
  } else if (SameBytes(last, ":") || SameBytes(last, "\xEF\xBC\x9A")) {
    f.ending = 2;
  } else if (SameBytes(last, "?") || SameBytes(last, "\xEF\xBC\x9F")) {
    f.ending = 3;
  }
  f.wide = StartsWide(text);
  f.opening = f.wide                          ? 1
              : first == UTF8PROC_CATEGORY_ND ? 2
              : IsUpperCategory(first)        ? 3
              : first == UTF8PROC_CATEGORY_LL ? 4
                                              : 0;
  if (width < 0) width = TextWidth(text);
  f.length = width <= 6000 ? 0 : width <= 15000 ? 1 : width <= 30000 ? 2 : 3;
  std::string_view inner = text.substr(0, text.size() - last.size());
  f.inner_colon = inner.find(':') != std::string_view::npos ||
                  inner.find("\xEF\xBC\x9A") != std::string_view::npos;
  KeyBuffer first_key = Key(first_word);
  f.sequence = InList<kSequenceWords>(first_key) ||
               (first == UTF8PROC_CATEGORY_ND && IsYearToken(first_word));
  if (f.heading) {
    f.category = SameBytes(last, "?");
    ContentWords(text, &scratch->buffer, &scratch->words);
    const std::vector<std::string_view>& cw = scratch->words;
    for (std::string_view w : cw) {
      if (InList<kCategoryWords>(w)) f.category = true;
    }
    if (InList<kCategoryWords>(first_key)) f.category = true;
    size_t shared = 0;
    for (std::string_view w : cw) {
      if (std::find(root_words.begin(), root_words.end(), w) !=
          root_words.end()) {
        ++shared;
      }
    }
    f.overlaps_root = shared >= 2 || (shared >= 1 && cw.size() <= 2);
  }
  return f;
}

constexpr std::string_view kGermanWords[] = {
    "der",  "die", "das",    "und",    "ist",   "nicht", "mit",  "für",
    "auf",  "sie", "werden", "wird",   "sind",  "ein",   "eine", "dem",
    "den",  "des", "auch",   "oder",   "kann",  "im",    "zum",  "zur",
    "sich", "es",  "wenn",   "können", "diese", "einen",
};

// A page without a header names no language: German is told by its
// function words (the first 4096 lines are enough).
bool LooksGerman(const std::vector<PageLine>& lines, size_t begin, size_t end) {
  size_t words = 0, german = 0;
  for (size_t i = begin; i < end && i < begin + 4096; ++i) {
    std::string_view t = lines[i].text;
    for (size_t at = 0; at < t.size();) {
      size_t sp = t.find(' ', at);
      if (sp == std::string_view::npos) sp = t.size();
      ++words;
      if (InList<kGermanWords>(t.substr(at, sp - at))) ++german;
      at = sp + 1;
    }
  }
  return german >= 5 && german * 100 >= words * 4;
}

// The segmentation programme over a block of `m` lines (see
// SegmentFlatLines): best[k] is the score of the best segmentation of the
// first k lines, from[k] where its last node starts. best[0] and from[*]
// are 0 on entry.
void RunProgramme(size_t m, const double* bound, const double* full,
                  const double* join, const BoxModel& box, double* best,
                  size_t* from) {
  for (size_t k = 1; k <= m; ++k) {
    best[k] = -1e300;
    double max_width = bound[k - 1], min_full = 1e300, evidence = 0;
    for (size_t a = k - 1;; --a) {
      if (a < k - 1) {
        max_width = std::max(max_width, bound[a]);
        min_full = std::min(min_full, full[a]);
        evidence += join[a];
      }
      // The box term is never positive (BoxLikelihood's ratio is at most
      // 1, its weight positive), so a candidate whose other terms do not
      // beat best[k] cannot win: its `log` is skipped. The sum is the
      // same, in the same order, when it is taken.
      double partial =
          best[a] + evidence + Geometry(max_width, min_full, k - 1 - a);
      if (partial > best[k]) {
        double score =
            partial + (k - 1 - a >= 2 ? kBoxWeightLong : kBoxWeight) *
                          BoxLikelihood(max_width, min_full, k - 1 - a, box);
        if (score > best[k]) {
          best[k] = score;
          from[k] = a;
        }
      }
      if (a == 0 || k - a >= kMaxNodeLines) break;
      // Lines that no box could have wrapped so stay impossible when the
      // node grows upwards (max_width only grows, min_full only shrinks):
      // stop, which keeps the programme linear in practice.
      if (min_full < max_width * (1 - kInfeasibleTolerance)) break;
      if (min_full <= box.min_box * (1 - kInfeasibleTolerance)) break;
    }
  }
}

// The per-line numbers of a block of lines (SegmentFlatLines): its width,
// the box width it shows, its width with the next word, the evidence for
// joining it to the next, and the programme's best score and choice.
// Allocated for the largest block and never zeroed: the per-line phase
// writes every entry before anything reads it, on both threads for large
// blocks, so both fault in and zero the fresh pages (a tenth of the read's
// time, on one thread, when these were vectors zeroed when sized).
struct BlockNumbers {
  std::unique_ptr<double[]> width, bound, full, join, best;
  std::unique_ptr<size_t[]> from;
  size_t capacity = 0;  // lines

  void Reserve(size_t lines) {
    if (lines <= capacity) return;
    width = std::make_unique_for_overwrite<double[]>(lines);
    bound = std::make_unique_for_overwrite<double[]>(lines);
    full = std::make_unique_for_overwrite<double[]>(lines);
    join = std::make_unique_for_overwrite<double[]>(lines);
    best = std::make_unique_for_overwrite<double[]>(lines + 1);
    from = std::make_unique_for_overwrite<size_t[]>(lines + 1);
    capacity = lines;
  }
};

}  // namespace

PageNames::PageNames(const std::vector<PageLine>& lines, size_t begin,
                     size_t end) {
  end = std::min(end, begin + kNameSampleLines);
  size_t bytes = 0;
  for (size_t i = begin; i < end && bytes < kNameSampleBytes; ++i) {
    std::string_view t = lines[i].text.substr(0, kNameSampleBytes - bytes);
    bytes += t.size() + 1;
    for (size_t at = t.find(' '); at != std::string_view::npos;) {
      size_t next = t.find(' ', at + 1);
      std::string_view word = t.substr(at + 1, next == std::string_view::npos
                                                   ? std::string_view::npos
                                                   : next - at - 1);
      // A capitalised word after a lower-case letter (of any script).
      if (at > 0 && !word.empty() && IsUpperCategory(FirstCategory(word)) &&
          FirstCategory(LastChar(t.substr(0, at))) == UTF8PROC_CATEGORY_LL) {
        words_.insert(WithoutTrailing<kNameTrailing>(word));
      }
      at = next;
    }
  }
}

bool PageNames::OpensWithName(std::string_view line) const {
  return !words_.empty() &&
         words_.contains(WithoutTrailing<kNameTrailing>(FirstWord(line)));
}

unsigned PageTextThreads(unsigned requested) {
  if (requested == 1) return 1;
  if (requested >= 2) return 2;
  return std::thread::hardware_concurrency() >= 2 ? 2 : 1;
}

std::string_view BodyLanguage(const std::vector<PageLine>& lines, size_t begin,
                              size_t end, std::string_view header_language) {
  if (!header_language.empty()) return header_language;
  return LooksGerman(lines, begin, end) ? "de" : "";
}

namespace {

// The largest run of non-blank lines in [begin, end).
size_t LargestBlock(const std::vector<PageLine>& lines, size_t begin,
                    size_t end) {
  size_t largest = 0, run = 0;
  for (size_t i = begin; i < end; ++i) {
    run = lines[i].blank() ? 0 : run + 1;
    largest = std::max(largest, run);
  }
  return largest;
}

// SegmentFlatLines over the blocks in [begin, end), with the page's pairs.
std::vector<PageNode> SegmentBlocks(const std::vector<PageLine>& lines,
                                    size_t begin, size_t end,
                                    const CjkBreakPairs& pairs,
                                    const PageNames& names,
                                    bool nouns_capitalised, const BoxModel& box,
                                    unsigned threads,
                                    const std::function<void(size_t)>& beside) {
  std::vector<PageNode> nodes;
  size_t i = begin;
  BlockNumbers numbers;
  bool beside_ran = false;
  bool cjk = pairs.Active();
  while (i < end) {
    if (lines[i].blank()) {
      ++i;
      continue;
    }
    size_t block_end = i;
    while (block_end < end && !lines[block_end].blank()) ++block_end;
    size_t m = block_end - i;
    numbers.Reserve(m);
    double* width = numbers.width.get();
    double* bound = numbers.bound.get();  // what each line says of the box
    double* full = numbers.full.get();
    double* join = numbers.join.get();
    double* best = numbers.best.get();
    size_t* from = numbers.from.get();
    // Per line: its width, and for the break after it the width with the
    // next word and the text's evidence (independent per line).
    SentenceCounts sentences[2];  // one per half
    ForHalves(m, threads, [&](size_t lo, size_t hi) {
      // The programme's numbers are first touched here, by both threads.
      std::fill(best + lo, best + hi, 0.0);
      std::fill(from + lo, from + hi, size_t{0});
      // Counted in a local and stored once: the two halves' counts share a
      // cache line, which the threads would pass back and forth per line.
      SentenceCounts counts;
      for (size_t k = lo; k < hi; ++k) {
        std::string_view a = lines[i + k].text;
        width[k] = TextWidth(a);
        bound[k] = BoxBound(lines, i, i + m, i + k, width[k], box);
        if (k + 1 == m) break;
        std::string_view b = lines[i + k + 1].text;
        // Browsers break CJK text between characters with no space: the
        // next "word" is one character and no space is added before it.
        bool wide = StartsWide(b) || StartsWide(LastChar(a));
        full[k] = width[k] + (wide ? 0 : kSpaceWidth) + FirstWordWidth(b);
        join[k] = (cjk ? JoinEvidence(a, b, nouns_capitalised,
                                      pairs.LatinEmbedded(b)) +
                             pairs.JoinEvidence(a, b)
                       : JoinEvidence(a, b, nouns_capitalised, false)) +
                  SyntaxEvidence(a, b, nouns_capitalised) +
                  NameLinkTexEvidence(a, b, nouns_capitalised) +
                  AddressCreditEvidence(a, b, nouns_capitalised);
        if (!nouns_capitalised && !a.empty() &&
            !EndsSentenceOrLabel(a.back()) &&
            IsUpperCategory(FirstCategory(b)) && names.OpensWithName(b)) {
          join[k] += kNameOpens;
        }
        // The line and the next word fit in the narrowest box: no wrap.
        if (full[k] <= box.min_box * (1 - kInfeasibleTolerance)) {
          join[k] -= kBelowMinBox;
        } else if (EndsSentenceBeforeCapital(a, b)) {
          ++counts.ambiguous;
        }
        if (join[k] > 0) {
          ++counts.joins;
          if (m < kSentenceSampleAll || k % kSentenceSampleEvery == 0) {
            CountSentences(a, &counts);
          }
        }
      }
      sentences[lo == 0 ? 0 : 1] = counts;
    });
    full[m - 1] = 0;  // no break after the last line
    join[m - 1] = 0;
    best[m] = 0;
    from[m] = 0;
    CalibrateLowerCase(lines, i, m, full,
                       box.min_box * (1 - kInfeasibleTolerance), pairs, threads,
                       join);
    sentences[0].Add(sentences[1]);
    CalibrateSentenceEnds(lines, i, m, sentences[0], nouns_capitalised, pairs,
                          threads, join);
    // The programme runs here while the second thread makes the nodes'
    // array, then runs `beside`: about one node per break whose evidence
    // leans to a split (a tenth more; a short estimate only costs a move
    // below).
    size_t base = nodes.size();
    size_t splits = m - sentences[0].joins;
    size_t estimate = base + splits + splits / 10 + 16;
    detail::BothThreads(
        threads > 1 && m >= kParallelMin,
        [&] {
          nodes.resize(estimate);
          if (beside && !beside_ran) {
            beside(estimate + (end - block_end) / 2);  // and the lines after
            beside_ran = true;
          }
        },
        [&] { RunProgramme(m, bound, full, join, box, best, from); });
    // Walk back to the node boundaries, then emit them in order (each
    // node from its own lines: on two threads for large bodies).
    size_t count = 0;
    for (size_t k = m; k > 0; k = from[k]) ++count;
    std::vector<std::pair<size_t, size_t>> spans(count);
    for (size_t k = m; k > 0; k = from[k]) spans[--count] = {from[k], k};
    nodes.resize(base + spans.size());
    ForHalves(spans.size(), threads, [&](size_t lo, size_t hi) {
      for (size_t s = lo; s < hi; ++s) {
        auto [a, b] = spans[s];
        PageNode& node = nodes[base + s];
        const PageLine& first = lines[i + a];
        node.pos = {first.number, first.indent + 1};
        double max_width = 0;
        size_t bytes = b - a - 1;  // the spaces between lines, at most
        for (size_t k = a; k < b; ++k) {
          max_width = std::max(max_width, width[k]);
          bytes += lines[i + k].text.size();
        }
        node.text.reserve(bytes);
        // The confidence is the least sure decision's: Sigmoid of the
        // least log-odds among the node's joins and the break before it
        // (Sigmoid rises, so one call does; Sigmoid(inf) is 1).
        double least = std::numeric_limits<double>::infinity();
        double node_width = 0;  // the joined text's: the widths add up
        for (size_t k = a; k < b; ++k) {
          if (AppendJoined(lines[i + k].text, &node.text)) {
            node_width += kSpaceWidth;
          }
          node_width += width[k];
          if (k + 1 < b) {  // a join: how sure, locally
            least = std::min(
                least,
                join[k] + (full[k] > max_width ? kFeasible : -kInfeasible));
          }
        }
        if (a > 0) {  // the break before this node
          double pair_max = std::max(width[a - 1], width[a]);
          double alt =
              join[a - 1] + (full[a - 1] > pair_max ? kFeasible : -kInfeasible);
          least = std::min(least, -alt);
        }
        node.join_confidence = Sigmoid(least);  // 1 when there was none
        node.width = static_cast<int32_t>(
            std::min(node_width, static_cast<double>(kMaxTextWidth)));
      }
    });
    i = block_end;
  }
  return nodes;
}

}  // namespace

std::vector<PageNode> SegmentFlatLines(
    const std::vector<PageLine>& lines, size_t begin, size_t end,
    std::string_view language, const BoxModel& box, unsigned threads,
    const std::function<void(size_t)>& beside) {
  // German capitalises every noun: case says less about node starts.
  bool nouns_capitalised = language == "de";
  CjkBreakPairs pairs(lines, begin, end, threads);
  PageNames names(lines, begin, end);
  // A page of many small blocks (blank lines between its nodes) gives each
  // block's lines too few to split: the blocks are independent, so each
  // thread takes those of half the lines instead.
  if (threads > 1 && end - begin >= kParallelMin &&
      LargestBlock(lines, begin, end) < kParallelMin) {
    size_t cut = begin + (end - begin) / 2;
    while (cut < end && !lines[cut].blank()) ++cut;
    std::vector<PageNode> nodes, second;
    detail::BothThreads(
        true,
        [&] {
          second = SegmentBlocks(lines, cut, end, pairs, names,
                                 nouns_capitalised, box, 1, nullptr);
        },
        [&] {
          nodes = SegmentBlocks(lines, begin, cut, pairs, names,
                                nouns_capitalised, box, 1, nullptr);
        });
    nodes.insert(nodes.end(), std::make_move_iterator(second.begin()),
                 std::make_move_iterator(second.end()));
    return nodes;
  }
  return SegmentBlocks(lines, begin, end, pairs, names, nouns_capitalised, box,
                       threads, beside);
}

namespace {

constexpr bool IsHalfStep(double w) {
  return w * 2 == static_cast<double>(static_cast<int64_t>(w * 2)) &&
         w < 1024 && w > -1024;
}
// The beam adds these weights in whatever order suits it: their sums are
// exact (multiples of 1/2, far below 2^52), so the order changes no score.
constexpr bool kHalfStepWeights =
    IsHalfStep(kRootHeading) && IsHalfStep(kRootStatement) &&
    IsHalfStep(kRootOverlap) && IsHalfStep(kRootCategory) &&
    IsHalfStep(kHeadingUnderHeading) && IsHalfStep(kCategoryParent) &&
    IsHalfStep(kStatementUnderHeading) && IsHalfStep(kHeadingUnderStatement) &&
    IsHalfStep(kCueUnderStatement) && IsHalfStep(kStatementUnderStatement) &&
    IsHalfStep(kSequenceChild) && IsHalfStep(kSiblingSame) &&
    IsHalfStep(kSiblingDifferent) && IsHalfStep(kCueNotChild) &&
    IsHalfStep(kChildlessCategory) && IsHalfStep(kFirstChild) &&
    IsHalfStep(kFormWeight) && IsHalfStep(kFormPivot) &&
    IsHalfStep(kFormWeight * kFormPivot);
static_assert(kHalfStepWeights);

}  // namespace

void InferHierarchy(std::string_view root_text, std::string_view language,
                    std::span<PageNode> nodes, unsigned threads,
                    const std::function<void()>& beside) {
  size_t n = nodes.size();
  if (n == 0) return;
  std::string root_buffer;
  std::vector<std::string_view> root_words;
  ContentWords(root_text, &root_buffer, &root_words);
  std::vector<NodeFeatures> f(n);
  auto describe = [&](size_t lo, size_t hi, DescribeScratch* scratch) {
    for (size_t i = lo; i < hi; ++i) {
      f[i] = Describe(nodes[i].text, nodes[i].width, root_words,
                      language == "de", scratch);
    }
  };

  // A hypothesis is a chain of records, one per node; a record names the
  // record of its parent (-1 = the root) and of the node before.
  struct Record {
    int32_t node;
    int32_t parent;  // record index, -1 = root
    int32_t prev;    // record of the previous node, -1 = none
    float confidence;
  };
  struct State {
    int32_t record;
    double score;
  };
  struct Option {
    uint32_t state;
    int32_t parent;
    double local;  // its score but the state's
  };
  // What is ordered: an option's score and index. The best kBeamWidth
  // are picked as std::partial_sort over all options in order would pick
  // them (HeapSelect), so options that tie fall as they always have.
  struct Key {
    double score;
    uint32_t option;
  };
  struct HigherScore {
    bool operator()(const Key& a, const Key& b) const {
      return a.score > b.score;
    }
  };
  // Options per state: the first child, a sibling per open ancestor up to
  // kMaxPops, and the root after that many.
  constexpr size_t kMaxOptions = kBeamWidth * (kMaxPops + 2);
  std::array<Option, kMaxOptions> options;
  HeapSelect<Key, kBeamWidth, HigherScore> keys;
  // Each state's two best local scores: a kept option's margin is its
  // score less the best other.
  std::array<double, kBeamWidth> tops, seconds;
  std::vector<Record> records;
  records.reserve(n * kBeamWidth);
  std::vector<State> beam = {{-1, 0.0}}, next_beam;
  // One step of the beam: the options for node x (its features ready).
  auto step = [&](size_t x) {
    size_t count = 0;
    keys.Clear();
    const NodeFeatures& fx = f[x];
    // The terms that depend on x alone. A score is a sum of weights that
    // are multiples of 1/2 (kHalfStepWeights): exact, so the same in any
    // order, until the pops' term, which comes last.
    double root = fx.heading
                      ? kRootHeading + (fx.overlaps_root ? kRootOverlap : 0) +
                            (fx.category ? kRootCategory : 0)
                      : kRootStatement;
    double under_heading =
        fx.heading ? kHeadingUnderHeading : kStatementUnderHeading;
    double under_category = fx.heading ? kHeadingUnderHeading + kCategoryParent
                                       : kStatementUnderHeading;
    double under_statement =
        fx.heading ? kHeadingUnderStatement
                   : (fx.cue ? kCueUnderStatement : kStatementUnderStatement);
    double not_child = fx.cue ? kCueNotChild : 0;
    auto under = [&](const NodeFeatures& fp) {
      return fp.heading ? (fp.category ? under_category : under_heading)
                        : under_statement;
    };
    for (size_t s = 0; s < beam.size(); ++s) {
      int32_t q = beam[s].record;
      double top = -1e300, second = -1e300;
      auto add = [&](int32_t parent, double sc, size_t pops) {
        double v = sc - kPop * static_cast<double>(pops);
        options[count] = {static_cast<uint32_t>(s), parent, v};
        keys.Offer({beam[s].score + v, static_cast<uint32_t>(count)});
        ++count;
        if (v > top) {
          second = top;
          top = v;
        } else if (v > second) {
          second = v;
        }
      };
      if (q < 0) {
        add(-1, root, 0);
      } else {
        // First child of the node before.
        const NodeFeatures* fa = &f[records[q].node];
        add(q,
            under(*fa) + (!fa->heading && fx.sequence ? kSequenceChild : 0) +
                kFirstChild,
            0);
        // Next sibling of `a` (with features *fa), for each open ancestor.
        int32_t a = q;
        size_t pops = 0;
        while (true) {
          int32_t parent = records[a].parent;
          const NodeFeatures* fp =
              parent < 0 ? nullptr : &f[records[parent].node];
          double sc = not_child + (fp ? under(*fp) : root);
          if (a == q && fa->category && fx.heading) sc += kChildlessCategory;
          if (fa->heading == fx.heading) {
            sc += kSiblingSame;
          } else if (!(fx.heading && fp && fp->category)) {
            sc += kSiblingDifferent;
          }
          sc += kFormWeight * (SameForm(fx, *fa) - kFormPivot);
          add(parent, sc, pops);
          if (parent < 0) break;
          a = parent;
          fa = fp;
          if (++pops >= kMaxPops) {
            add(-1, root + not_child, pops);
            break;
          }
        }
      }
      tops[s] = top;
      seconds[s] = second;
    }
    keys.Sort();
    size_t keep = keys.size();
    next_beam.clear();
    for (size_t k = 0; k < keep; ++k) {
      const Option& o = options[keys[k].option];
      double other =
          o.local == tops[o.state] ? seconds[o.state] : tops[o.state];
      // The margin is kept (as a float); only the chosen path's becomes a
      // probability.
      records.push_back({static_cast<int32_t>(x), o.parent,
                         beam[o.state].record,
                         static_cast<float>(o.local - other)});
      next_beam.push_back(
          {static_cast<int32_t>(records.size() - 1), keys[k].score});
    }
    beam.swap(next_beam);
  };

  if (threads < 2 || n < kParallelMin) {
    DescribeScratch scratch;
    describe(0, n, &scratch);
    for (size_t x = 0; x < n; ++x) step(x);
  } else {
    // The beam is serial and needs the nodes' features in order: the
    // second thread describes the nodes chunk by chunk ahead of it, and
    // this thread, when the beam has caught up, describes the next chunk
    // nobody has claimed (each chunk by one thread, so the features, and
    // the tree, are those of one thread).
    constexpr size_t kChunk = 4096;
    size_t chunks = (n + kChunk - 1) / kChunk;
    std::atomic<size_t> next_chunk{0};
    std::vector<std::atomic<bool>> ready(chunks);
    std::atomic<bool> failed{false};
    // Counts the chunks described (and a failure): the beam, with nothing
    // left to claim, sleeps on it until the chunk it needs is ready.
    std::atomic<uint32_t> events{0};
    auto signal = [&] {
      events.fetch_add(1, std::memory_order_release);
      events.notify_all();
    };
    auto claim = [&](DescribeScratch* scratch) {
      if (next_chunk.load(std::memory_order_relaxed) >= chunks) return false;
      size_t c = next_chunk.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks) return false;
      describe(c * kChunk, std::min(n, (c + 1) * kChunk), scratch);
      ready[c].store(true, std::memory_order_release);
      signal();
      return true;
    };
    detail::BothThreads(
        true,
        [&] {
          DescribeScratch scratch;
          try {
            // The records' pages, zeroed here rather than by the beam.
            Prefault(records.data(), records.capacity() * sizeof(Record));
            while (claim(&scratch)) {
            }
          } catch (...) {
            failed.store(true);  // the beam stops waiting; rethrown below
            signal();
            throw;
          }
          if (beside) beside();
        },
        [&] {
          DescribeScratch scratch;
          for (size_t c = 0; c < chunks; ++c) {
            while (!ready[c].load(std::memory_order_acquire)) {
              if (claim(&scratch)) continue;
              uint32_t seen = events.load(std::memory_order_acquire);
              if (ready[c].load(std::memory_order_acquire)) break;
              if (failed.load()) return;
              events.wait(seen, std::memory_order_acquire);
            }
            for (size_t x = c * kChunk; x < std::min(n, (c + 1) * kChunk);
                 ++x) {
              step(x);
            }
          }
        });
  }
  for (int32_t r = beam.front().record; r >= 0; r = records[r].prev) {
    PageNode& node = nodes[records[r].node];
    int32_t parent = records[r].parent;
    node.parent = parent < 0 ? -1 : records[parent].node;
    double margin = records[r].confidence;
    node.parent_confidence = margin > 50 ? 1.0f : Sigmoid(margin * 1.5);
  }
}

}  // namespace mindcards::detail
