// Card generation: one walk over the map with the facts of each node at
// hand. Every candidate card goes through the same checks (answer hidden,
// not a stop word, unique front) before it is kept; the checks of a node
// (NodeCards) can run on several threads, the map-wide ones (Committer) run
// in card order on one.
#include "mindcards/cards.h"

#include <fmt/format.h>
#include <utf8proc.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_set>
#include <utility>

#include "core/both_threads.h"
#include "mindcards/text.h"
#include "study/facts_internal.h"

namespace mindcards {
namespace {

using study::ContainsWord;
using study::Fold;

constexpr size_t kMaxAnswer = 40;     // a focused answer
constexpr size_t kMaxSentence = 240;  // bytes kept each side of a cloze
constexpr size_t kMaxLabel = 100;     // chronology event labels
constexpr size_t kMaxListItem = 160;  // list and question items

// 16 lower-case hex digits.
std::string Hex16(uint64_t v) {
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = "0123456789abcdef"[v & 15];
  return out;
}

// True when FoldWhitespace would leave `text` as it is: no space at either
// end, no other white space, no two spaces in a row. Eight bytes at a time:
// exact per-byte masks of the spaces and of the bytes below ' ', the space at
// the end of one block carried into the next.
bool IsTidy(std::string_view text) {
  if (text.empty() || text.front() == ' ' || text.back() == ' ') return false;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  constexpr uint64_t kSpaces = 0x2020202020202020ULL;
  // Bit 7 of each byte set exactly where `x` has a zero byte.
  auto zero_bytes = [](uint64_t x) {
    return ~(((x & kLow7) + kLow7) | x | kLow7);
  };
  const char* p = text.data();
  const char* end = p + text.size();
  bool prev_space = false;
  for (; end - p >= 8; p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    // Bytes below 0x20 (ASCII only: bit 7 clear): the ones where
    // (b & 0x7F) + 0x60 does not reach bit 7.
    uint64_t below = ~(((w & kLow7) + 0x6060606060606060ULL) | w) & kHigh;
    if (below != 0) break;  // the byte loop below decides
    uint64_t spaces = zero_bytes(w ^ kSpaces) & kHigh;
    if ((spaces & (spaces >> 8)) != 0) return false;
    if (prev_space && (spaces & 0x80) != 0) return false;
    prev_space = (spaces >> 63) != 0;
  }
  for (; p < end; ++p) {
    char c = *p;
    if (static_cast<unsigned char>(c) < ' ') {
      // Below ' ': white space other than ' ' folds; other control bytes
      // do not, as in the byte-wise check.
      if (c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v')
        return false;
    }
    bool space = c == ' ';
    if (space && prev_space) return false;
    prev_space = space;
  }
  return true;
}

// FoldWhitespace (same output: runs of white space, U+00A0 included, as
// one space, none at either end), copying runs of other bytes whole.
std::string FoldSpaces(std::string_view text) {
  const size_t n = text.size();
  auto space_len = [&](size_t i) -> size_t {
    char c = text[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
        c == '\v') {
      return 1;
    }
    return static_cast<unsigned char>(c) == 0xC2 && i + 1 < n &&
                   static_cast<unsigned char>(text[i + 1]) == 0xA0
               ? 2
               : 0;
  };
  std::string out;
  out.reserve(n);
  bool pending_space = false;
  size_t i = 0;
  while (i < n) {
    size_t b = i;
    while (i < n && space_len(i) == 0) ++i;
    if (i > b) {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(text.substr(b, i - b));
    }
    while (i < n) {
      size_t len = space_len(i);
      if (len == 0) break;
      i += len;
      pending_space = !out.empty();
    }
  }
  return out;
}

// FoldWhitespace, skipping the copy when the text is already tidy (the
// common case).
std::string Tidy(std::string text) {
  if (text.empty() || IsTidy(text)) return text;
  return FoldSpaces(text);
}

// study::Fold into a reused buffer (no allocation once it has grown).
void FoldInto(std::string_view text, std::string* out) {
  // ASCII (the common case): lower-cased in one pass that also notes any
  // byte of 0x80 and above.
  out->resize(text.size());
  char* o = out->data();
  unsigned char high = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    high |= static_cast<unsigned char>(c);
    o[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
  }
  if (high >= 0x80) {
    // Done already when every non-ASCII code point is its own lower case
    // and decodes from (so re-encodes to) the same bytes, as "…" does.
    bool done = true;
    std::string enc;  // at most 4 bytes: no allocation
    for (size_t i = 0; done && i < text.size();) {
      if (static_cast<unsigned char>(text[i]) < 0x80) {
        ++i;
        continue;
      }
      size_t start = i;
      char32_t cp = DecodeUtf8(text, &i);
      enc.clear();
      AppendUtf8(cp, &enc);
      done = static_cast<char32_t>(
                 utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))) == cp &&
             text.substr(start, i - start) == enc;
    }
    if (done) return;
    // As study::Fold: ASCII bytes lower-cased, other code points through
    // simple case folding.
    out->clear();
    size_t i = 0;
    while (i < text.size()) {
      size_t b = i;
      while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) {
        ++i;
      }
      size_t at = out->size();
      out->append(text.substr(b, i - b));
      for (size_t j = at; j < out->size(); ++j) {
        char& c = (*out)[j];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      if (i < text.size()) {
        char32_t cp = DecodeUtf8(text, &i);
        AppendUtf8(static_cast<char32_t>(
                       utf8proc_tolower(static_cast<utf8proc_int32_t>(cp))),
                   out);
      }
    }
  }
}

// The items joined with `sep` (as fmt::join).
std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  size_t size = 0;
  for (const std::string& s : items) size += s.size() + sep.size();
  std::string out;
  out.reserve(size);
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out.append(sep);
    out.append(items[i]);
  }
  return out;
}

// A hash of a card's front for the set of fronts in use: only ever
// compared with other fronts' hashes, so any good 64-bit hash does; this
// one takes eight bytes a step.
uint64_t FrontHash(std::string_view s) {
  uint64_t h = 0x9E3779B97F4A7C15ULL ^ (s.size() * 0xff51afd7ed558ccdULL);
  size_t i = 0;
  auto mix = [&h](uint64_t w) {
    h ^= w;
    h *= 0xc4ceb3f97f4a7c15ULL;
    h ^= h >> 29;
  };
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    mix(w);
  }
  uint64_t w = 0;
  std::memcpy(&w, s.data() + i, s.size() - i);
  mix(w);
  h ^= h >> 32;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return h;
}

// The last steps of CardId: after the node path, kind and answer are
// hashed in, a final mix so near-equal inputs spread.
std::string IdFromHash(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return Hex16(h);
}

// The facts of one node: a contiguous run of ExtractFacts' output, iterated
// as pointers.
struct FactSpan {
  const Fact* first = nullptr;
  const Fact* last = nullptr;
  struct Iter {
    const Fact* p;
    const Fact* operator*() const { return p; }
    Iter& operator++() {
      ++p;
      return *this;
    }
    bool operator!=(const Iter& o) const { return p != o.p; }
  };
  Iter begin() const { return {first}; }
  Iter end() const { return {last}; }
};

size_t WordCount(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool w = study::IsWordByteAt(text, i);
    if (w && !in_word) ++words;
    in_word = w;
  }
  return words;
}

size_t ContentWordCount(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !study::IsWordByteAt(text, i)) ++i;
    size_t b = i;
    while (i < text.size() && study::IsWordByteAt(text, i)) ++i;
    if (i > b && !study::IsStopWord(text.substr(b, i - b))) ++count;
  }
  return count;
}

bool Acronym(std::string_view s) {
  size_t upper = 0;
  for (char c : s) {
    if (c >= 'a' && c <= 'z') return false;
    if (c >= 'A' && c <= 'Z') ++upper;
  }
  return upper >= 2;
}

uint32_t ShapeOf(std::string_view name) {
  return static_cast<uint32_t>(WordCount(name) * 2 + (Acronym(name) ? 1 : 0));
}

// True when `a` and `b` hold at least `n` words that are not stop words.
bool HasContentWords(std::string_view a, std::string_view b, size_t n) {
  size_t count = 0;
  for (std::string_view text : {a, b}) {
    size_t i = 0;
    while (i < text.size()) {
      while (i < text.size() && !study::IsWordByteAt(text, i)) ++i;
      size_t start = i;
      while (i < text.size() && study::IsWordByteAt(text, i)) ++i;
      if (i > start && !study::IsStopWord(text.substr(start, i - start)) &&
          ++count >= n) {
        return true;
      }
    }
  }
  return false;
}

// Cuts `text` to at most `max` bytes at a word boundary (never inside a
// code point or a grapheme cluster), adding "…".
std::string Shorten(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max;
  while (cut > 0 && !study::IsCutPoint(text, cut, false)) --cut;
  size_t space = text.rfind(' ', cut);
  if (space != std::string_view::npos && space > max / 2) cut = space;
  return std::string(Trim(text.substr(0, cut))) + "…";
}

// Bounds of the sentence around [b, e) in `text`, at most kMaxSentence
// bytes each side; never inside a word, a code point or a grapheme cluster.
std::pair<size_t, size_t> SentenceAround(std::string_view text, size_t b,
                                         size_t e) {
  auto is_end = [&](size_t i) {
    char c = text[i];
    return (c == '.' || c == '!' || c == '?' || c == ';') &&
           (i + 1 >= text.size() || text[i + 1] == ' ' || text[i + 1] == '\n');
  };
  size_t s = b;
  while (s > 0 && !is_end(s - 1) && b - s < kMaxSentence) --s;
  size_t t = e;
  while (t < text.size() && !is_end(t) && t - e < kMaxSentence) ++t;
  if (t < text.size() && is_end(t)) ++t;
  // Move inwards to a cut point (the fact's own bounds always are one).
  while (s < b && !study::IsCutPoint(text, s)) ++s;
  while (t > e && !study::IsCutPoint(text, t)) --t;
  return {s, t};
}

// Open-addressing map from 64-bit hashes to counts (linear probing, load at
// most 1/2): the fronts and ids of a 100,000-node map are looked up a few
// hundred thousand times, and std::unordered_map's node per entry made those
// lookups cache misses.
class HashCounts {
 public:
  void Reserve(size_t n) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    if (cap > slots_.size()) Rehash(cap);
  }
  bool Contains(uint64_t key) const {
    if (key == 0) return zero_ > 0;
    if (slots_.empty()) return false;
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      if (slots_[i].key == key) return true;
      if (slots_[i].key == 0) return false;
    }
  }
  // The count stored under `key`, inserted as 0 when absent.
  int& operator[](uint64_t key) {
    if (key == 0) return zero_;
    if (2 * (size_ + 1) > slots_.size())
      Rehash(std::max<size_t>(16, 2 * slots_.size()));
    size_t i = key & mask_;
    while (slots_[i].key != 0 && slots_[i].key != key) i = (i + 1) & mask_;
    if (slots_[i].key == 0) {
      slots_[i].key = key;
      ++size_;
    }
    return slots_[i].count;
  }

 private:
  // Key and count side by side: one cache miss per lookup, not two.
  struct Slot {
    uint64_t key = 0;
    int count = 0;
  };
  void Rehash(size_t cap) {
    std::vector<Slot> slots(cap);
    size_t mask = cap - 1;
    for (const Slot& s : slots_) {
      if (s.key == 0) continue;
      size_t i = s.key & mask;
      while (slots[i].key != 0) i = (i + 1) & mask;
      slots[i] = s;
    }
    slots_ = std::move(slots);
    mask_ = mask;
  }
  std::vector<Slot> slots_;
  size_t mask_ = 0, size_ = 0;
  int zero_ = 0;  // key 0 (present in Contains() when non-zero)
};

// A dated child of a heading, for chronology cards.
struct ChronoEvent {
  std::string label;
  int year;
  int64_t key;
};

struct Pools {
  // Names of the map for multiple-choice distractors, as written and
  // folded, with their shape (acronym, word count).
  std::vector<std::string> names;
  std::vector<std::string> names_folded;
  std::vector<uint32_t> shape;
};

// What every worker reads and nobody writes once the walk starts.
struct Shared {
  Shared(const Map& m, const CardOptions& o) : map(m), options(o) {}
  const Map& map;
  const CardOptions& options;
  int era = 0;
  std::vector<Fact> facts;
  std::vector<std::pair<uint32_t, uint32_t>> ranges;  // facts of each node
  std::vector<uint64_t> path_hash;  // of each node's text path
  Pools pools;
  // The live nodes in pre-order, and their depths.
  std::vector<NodeId> order;
  std::vector<uint32_t> depth;
};

// What the map-wide checks need of a card that passed every check of its
// own node: CardId's hash state after the node path, and whether the answer
// shows in the front on purpose (chronology).
struct CardMeta {
  uint64_t id_seed = 0;
  bool answer_shown_by_design = false;
};

// The map-wide checks, applied in card order: no two cards share a front
// (a repeated one names its heading or is dropped), ids made unique.
class Committer {
 public:
  explicit Committer(const Shared& shared) : s_(shared) {
    fronts_.Reserve(s_.facts.size() + s_.map.size());
    ids_.Reserve(s_.facts.size() + s_.map.size());
    cards_.reserve(s_.facts.size());
  }
  // Keeps all of `node_cards` (the cards of one node, in order; `meta` side
  // by side) and returns true, or keeps none, leaves them as they are and
  // returns false when one of them would be dropped. Keeping card by card
  // is the same call with one card.
  bool Commit(std::span<Card> node_cards, std::span<const CardMeta> meta);
  std::vector<Card> Take() { return std::move(cards_); }

 private:
  bool Used(uint64_t front_hash) const {
    return fronts_.Contains(front_hash) ||
           std::find(planned_.begin(), planned_.end(), front_hash) !=
               planned_.end();
  }

  const Shared& s_;
  std::vector<Card> cards_;
  // Fronts and ids already used, by 64-bit hash (a collision would only
  // drop a card, with odds near 2^-40 for a million cards).
  HashCounts fronts_;
  HashCounts ids_;
  std::vector<uint64_t> planned_;  // front hashes of the call's cards
  // Fronts that name their heading, by index in the call's cards.
  std::vector<std::pair<size_t, std::string>> renamed_;
  std::string fold_front_, fold_answer_;
};

bool Committer::Commit(std::span<Card> node_cards,
                       std::span<const CardMeta> meta) {
  planned_.clear();
  renamed_.clear();
  for (size_t i = 0; i < node_cards.size(); ++i) {
    Card& card = node_cards[i];
    uint64_t front_hash = FrontHash(card.front);
    if (Used(front_hash)) {
      // Same prompt elsewhere: name the heading it sits under.
      if (card.context.empty()) return false;
      std::string front = card.front;
      front += " (under “";
      front += Shorten(card.context.back(), 60);
      front += "”)";
      if (!meta[i].answer_shown_by_design) {
        FoldInto(front, &fold_front_);
        for (const std::string& a : card.answers) {
          FoldInto(a, &fold_answer_);
          if (ContainsWord(fold_front_, fold_answer_)) return false;
        }
      }
      front_hash = FrontHash(front);
      if (Used(front_hash)) return false;
      renamed_.emplace_back(i, std::move(front));
    }
    planned_.push_back(front_hash);
  }
  // All kept: only now are the cards changed.
  for (auto& [i, front] : renamed_) node_cards[i].front = std::move(front);
  for (size_t i = 0; i < node_cards.size(); ++i) {
    Card& card = node_cards[i];
    int& seen =
        ids_[study::Hash64(card.back, study::Hash64(CardKindName(card.kind),
                                                    s_.path_hash[card.node]))];
    // CardId(path_key, kind, answer_key) from the node's hash state, where
    // answer_key is the answer, then "#2", "#3"... for repeats.
    uint64_t h = study::Hash64(
        "\x1f", study::Hash64(CardKindName(card.kind), meta[i].id_seed));
    h = study::Hash64(card.back, h);
    if (seen++ > 0) {
      char buf[16];
      buf[0] = '#';
      auto [end, ec] = std::to_chars(buf + 1, buf + sizeof buf, seen);
      h = study::Hash64(std::string_view(buf, end - buf), h);
    }
    card.id = IdFromHash(h);
    fronts_[planned_[i]] = 1;
    cards_.push_back(std::move(card));
  }
  return true;
}

// The ids from the root down to `id`'s parent.
void AncestorsOf(const Map& map, NodeId id, std::vector<NodeId>* out) {
  out->clear();
  for (NodeId p = map.node(id).parent; p != kNoNode; p = map.node(p).parent) {
    out->push_back(p);
  }
  std::reverse(out->begin(), out->end());
}

// What the cards of one heading's children share: the context (one list,
// held by all their cards) and the same text folded for the visibility
// checks.
struct Heading {
  CardContext context;
  std::string folded;
};

// Makes the cards of nodes, one node at a time. Each card that passes its
// node's checks goes to the Committer right away (`committer` set), or is
// queued with its node for a later Commit (a worker thread's part of the
// map).
class NodeCards {
 public:
  NodeCards(const Shared& shared, Committer* committer)
      : s_(shared),
        map_(shared.map),
        options_(shared.options),
        pools_(shared.pools),
        path_hash_(shared.path_hash),
        committer_(committer) {
    const size_t ids = map_.id_count();
    cleaned_.resize(ids);
    folded_.resize(ids);
    cached_.assign(ids, 0);
    dated_state_.assign(ids, 0);
    dated_fact_.assign(ids, nullptr);
    dated_title_.resize(ids);
    heading_of_.assign(ids, 0);
  }

  // The cards of node `id`, under `heading` (its parent's, or an empty one
  // for the root): all of them, or only its "when", quote, cloze and choice
  // cards (made in this order), the only ones whose making depends on
  // whether earlier cards of the node were kept.
  void Visit(NodeId id, const Heading& heading, bool steered_only = false);
  // Visits the nodes s_.order[begin, end).
  void VisitRange(size_t begin, size_t end);

  // Without a committer: the queued cards and their CardMeta, and for each
  // node with cards (in visiting order) its id, heading and first card.
  struct PendingNode {
    NodeId id;
    const Heading* heading;  // owned by this NodeCards
    size_t first;
  };
  std::vector<Card> pending;
  std::vector<CardMeta> pending_meta;
  std::vector<PendingNode> pending_nodes;

 private:
  struct NodeCtx {
    NodeId id;
    const Heading* heading = nullptr;
    std::string path_key;
    // Hash64 of path_key, and CardId's hash state after path_key and its
    // separator.
    uint64_t path_key_hash = 0;
    uint64_t id_seed = 0;
  };

  // Whether `answer` shows in `folded_front` or the node's context.
  bool Visible(const NodeCtx& n, std::string_view folded_front,
               std::string_view answer) {
    FoldInto(answer, &fold_answer_);
    return ContainsWord(folded_front, fold_answer_) ||
           ContainsWord(n.heading->folded, fold_answer_);
  }
  // Checks a card against its node and hands it on (see the class comment).
  // Returns whether it was kept; a queued card counts as kept.
  // `tidy`: the front and back are Tidy's output already (Tidy would leave
  // them as they are).
  bool Keep(const NodeCtx& n, Card card, bool answer_shown_by_design = false,
            bool tidy = false);
  const Heading& HeadingOf(const std::vector<NodeId>& ancestors);

  void ClozeAndChoice(const NodeCtx& n, std::string_view text, FactSpan facts,
                      bool when_made);
  bool When(const NodeCtx& n, std::string_view text, FactSpan facts);
  // The single date of a short dated heading ("Austrian State Treaty 1955")
  // and the heading without it, or null.
  const Fact* DatedTitle(NodeId id, std::string_view text, FactSpan facts,
                         std::string* title) const;
  void Question(const NodeCtx& n, std::string_view text);
  void List(const NodeCtx& n, bool is_question);
  void Chronology(const NodeCtx& n);
  void Quotes(const NodeCtx& n, FactSpan facts);

  // Text of `text` without the spans of its date facts, tidied: used as an
  // event label ("End of Korean War" from "End of Korean War July 1953").
  std::string WithoutDates(std::string_view text, FactSpan facts) const;
  FactSpan FactsOf(NodeId id) const {
    if (id >= s_.ranges.size()) return {};
    return {s_.facts.data() + s_.ranges[id].first,
            s_.facts.data() + s_.ranges[id].second};
  }
  uint64_t Rand(uint64_t a, uint64_t b) const {
    uint64_t x = a ^ (b * 0x9E3779B97F4A7C15ULL) ^ options_.seed;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb3f97f4a7c15ULL;
    x ^= x >> 33;
    return x;
  }

  const std::string& Cleaned(NodeId id) {
    if (!cached_[id]) Cache(id);
    return cleaned_[id];
  }
  const std::string& Folded(NodeId id) {
    if (!cached_[id]) Cache(id);
    return folded_[id];
  }
  void Cache(NodeId id) {
    cleaned_[id] = study::CleanText(map_.node(id).text);
    folded_[id] = Fold(cleaned_[id]);
    cached_[id] = 1;
  }

  const Shared& s_;
  const Map& map_;
  const CardOptions& options_;
  const Pools& pools_;
  const std::vector<uint64_t>& path_hash_;
  Committer* committer_;
  std::vector<std::string> cleaned_, folded_;
  std::vector<uint8_t> cached_;
  // The Heading of each node's children: 0 none yet, else index + 1 into
  // headings_ (a deque, so the ones handed out stay put).
  std::vector<uint32_t> heading_of_;
  std::deque<Heading> headings_;
  const Heading no_heading_;  // the root's
  // Buffers reused from card to card.
  std::string fold_front_, fold_answer_, fold_text_, scratch_;
  std::vector<std::pair<int, const Fact*>> ranked_, order_;
  std::vector<uint8_t> taken_;
  std::vector<std::string> used_;
  std::string hay_;
  std::vector<size_t> picked_;
  std::vector<ChronoEvent> events_;
  std::vector<NodeId> ancestors_;
  NodeCtx ctx_;
  // DatedTitle of nodes under a heading with 3 or more children, from the
  // heading's chronology to the node's own "when" card: 0 not computed, 1
  // computed, 2 taken.
  std::vector<uint8_t> dated_state_;
  std::vector<const Fact*> dated_fact_;
  std::vector<std::string> dated_title_;
};

bool NodeCards::Keep(const NodeCtx& n, Card card, bool answer_shown_by_design,
                     bool tidy) {
  if (!options_.enabled(card.kind)) return false;
  if (!tidy) {
    card.front = Tidy(std::move(card.front));
    card.back = Tidy(std::move(card.back));
  }
  if (card.front.empty() || card.back.empty()) return false;
  if (card.answers.empty()) card.answers.push_back(card.back);
  for (const std::string& a : card.answers) {
    if (study::AllStopWords(a)) return false;
  }
  if (!answer_shown_by_design) {
    FoldInto(card.front, &fold_front_);
    for (const std::string& a : card.answers) {
      if (Visible(n, fold_front_, a)) return false;
    }
    if (card.answers.size() > 1 && Visible(n, fold_front_, card.back)) {
      return false;
    }
  }
  card.node = n.id;
  card.context = n.heading->context;
  card.era = s_.era;
  const CardMeta meta{n.id_seed, answer_shown_by_design};
  if (committer_ != nullptr) {
    return committer_->Commit(std::span<Card>(&card, 1),
                              std::span<const CardMeta>(&meta, 1));
  }
  if (pending_nodes.empty() || pending_nodes.back().id != n.id) {
    pending_nodes.push_back({n.id, n.heading, pending.size()});
  }
  pending.push_back(std::move(card));
  pending_meta.push_back(meta);
  return true;
}

const Heading& NodeCards::HeadingOf(const std::vector<NodeId>& ancestors) {
  NodeId parent = ancestors.back();
  if (heading_of_[parent] != 0) return headings_[heading_of_[parent] - 1];
  std::vector<std::string> context;
  std::string folded;
  const size_t kMaxContext = 12;
  size_t depth = ancestors.size();
  auto add = [&](NodeId a) {
    context.push_back(Cleaned(a));
    folded += Folded(a);
    folded += " \n ";
  };
  if (depth <= kMaxContext) {
    for (NodeId a : ancestors) add(a);
  } else {
    add(ancestors[0]);
    context.emplace_back("…");
    for (size_t i = depth - (kMaxContext - 2); i < depth; ++i) {
      add(ancestors[i]);
    }
  }
  headings_.push_back({CardContext(std::move(context)), std::move(folded)});
  heading_of_[parent] = static_cast<uint32_t>(headings_.size());
  return headings_.back();
}

// The rank of a fact as a cloze answer (lower first), or -1 to skip it.
int ClozeRank(const Fact& f) {
  switch (f.kind) {
    case FactKind::kDate:
      return 0;
    case FactKind::kQuantity: {
      bool bare = f.unit.empty() &&
                  f.text.find_first_not_of("0123456789") == std::string::npos;
      if (!bare) return 1;
      return f.text.size() >= 2 ? 4 : -1;
    }
    case FactKind::kQuote: {
      size_t words = WordCount(f.text);
      return words >= 1 && words <= 6 ? 2 : -1;
    }
    case FactKind::kName:
      return f.text.size() >= 2 ? 3 : 5;
    case FactKind::kQuestion:
      return -1;
  }
  return -1;
}

std::string HintOf(const Fact& f) {
  switch (f.kind) {
    case FactKind::kDate:
      return f.precision == DatePrecision::kYear ? "year" : "date";
    case FactKind::kQuantity:
      return "number";
    case FactKind::kName:
      return "name";
    case FactKind::kQuote:
      return "words";
    case FactKind::kQuestion:
      break;
  }
  return {};
}

void NodeCards::ClozeAndChoice(const NodeCtx& n, std::string_view text,
                               FactSpan facts, bool when_made) {
  std::vector<std::pair<int, const Fact*>>& ranked = ranked_;
  ranked.clear();
  for (const Fact* f : facts) {
    int rank = ClozeRank(*f);
    if (rank < 0 || f->text.size() > kMaxAnswer) continue;
    if (when_made && f->kind == FactKind::kDate) continue;
    ranked.push_back({rank, f});
    if (ranked.size() >= 256) break;  // bounds the work on hostile text
  }
  if (ranked.empty()) return;
  std::stable_sort(
      ranked.begin(), ranked.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  // Take one fact of each rank in turn (a date, a quantity, a term, a
  // name, then again), so a long node gets a mix rather than only dates.
  std::vector<std::pair<int, const Fact*>>& order = order_;
  order.clear();
  taken_.assign(ranked.size(), 0);
  while (order.size() < ranked.size()) {
    int last_rank = -1;
    for (size_t i = 0; i < ranked.size(); ++i) {
      if (taken_[i] || ranked[i].first == last_rank) continue;
      taken_[i] = 1;
      last_rank = ranked[i].first;
      order.push_back(ranked[i]);
    }
  }
  const int limit =
      options_.max_cloze_per_node + static_cast<int>(WordCount(text) / 15);
  size_t used = 0;  // used_[0, used): folded answers already asked here
  int made = 0;
  for (const auto& [rank, f] : order) {
    if (made >= limit) break;
    std::string answer = Tidy(f->text);
    FoldInto(answer, &fold_text_);
    const std::string& folded = fold_text_;
    if (std::find(used_.begin(), used_.begin() + used, folded) !=
        used_.begin() + used) {
      continue;
    }
    if (used == used_.size()) used_.emplace_back();
    used_[used++] = folded;
    if (study::AllStopWords(answer)) continue;
    auto [s, e] = SentenceAround(text, f->begin, f->end);
    std::string_view before = text.substr(s, f->begin - s);
    std::string_view after = text.substr(f->end, e - f->end);
    if (!HasContentWords(before, after, 2)) continue;
    std::string_view lead = s > 0 ? "… " : "";
    std::string_view tail = e < text.size() ? " …" : "";
    if (f->kind == FactKind::kDate) {
      // "55" stands for 1955: the resolved year must stay hidden too.
      char buf[16];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f->year_from);
      scratch_.assign(before);
      scratch_ += ' ';
      scratch_ += after;
      FoldInto(scratch_, &fold_front_);
      if (Visible(n, fold_front_, std::string_view(buf, end - buf))) continue;
    }
    Card card;
    card.fact_type = f->type;
    card.hint = HintOf(*f);
    card.back = answer;
    card.answers = {answer};
    // The prompt and the cloze: lead + before + gap + after + tail, tidied.
    auto build = [&](std::string_view gap_open, std::string_view gap,
                     std::string_view gap_close) {
      std::string out;
      out.reserve(lead.size() + before.size() + gap_open.size() + gap.size() +
                  gap_close.size() + after.size() + tail.size());
      out.append(lead).append(before).append(gap_open).append(gap);
      out.append(gap_close).append(after).append(tail);
      return Tidy(std::move(out));
    };
    std::string shown = build("", "[...]", "");
    card.cloze = build("{{c1::", answer, "}}");
    // Names are asked half as multiple choice (recognition), half as cloze
    // (recall); which one is a stable function of the node and the name.
    bool choice = f->kind == FactKind::kName &&
                  options_.enabled(CardKind::kChoice) &&
                  (!options_.enabled(CardKind::kCloze) ||
                   (study::Hash64(answer, path_hash_[n.id]) & 1) != 0);
    if (choice) {
      // Distractors: other names of the map, absent from this prompt.
      std::string& hay = hay_;
      FoldInto(shown, &hay);
      hay += ' ';
      hay += n.heading->folded;
      std::vector<size_t>& picked = picked_;  // indices into the pools
      picked.clear();
      size_t pool = pools_.names.size();
      uint64_t base = study::Hash64(answer, n.path_key_hash);
      const uint32_t shape = ShapeOf(answer);
      for (size_t tries = 0;
           tries < 96 && pool > 0 &&
           static_cast<int>(picked.size()) < options_.choice_count - 1;
           ++tries) {
        size_t k = Rand(base, tries) % pool;
        const std::string& cand = pools_.names_folded[k];
        // First tries: only names of the same shape (acronym or not, as
        // many words) so the answer does not stand out.
        if (tries < 40 && pools_.shape[k] != shape) continue;
        if (cand == folded || ContainsWord(cand, folded) ||
            ContainsWord(folded, cand) || ContainsWord(hay, cand)) {
          continue;
        }
        bool dup = false;
        for (size_t p : picked) dup = dup || pools_.names_folded[p] == cand;
        if (!dup) picked.push_back(k);
      }
      if (static_cast<int>(picked.size()) == options_.choice_count - 1) {
        std::vector<std::string> choices;
        choices.reserve(picked.size() + 1);
        for (size_t p : picked) choices.push_back(pools_.names[p]);
        choices.push_back(answer);
        // Deterministic shuffle.
        for (size_t i = choices.size(); i > 1; --i) {
          std::swap(choices[i - 1], choices[Rand(base, 1000 + i) % i]);
        }
        Card mc = card;
        mc.kind = CardKind::kChoice;
        mc.front = "Which name fills the gap? " + shown;
        mc.choices = std::move(choices);
        // "Which name fills the gap? " + a tidy non-empty prompt: tidy.
        if (Keep(n, std::move(mc), false, /*tidy=*/true)) {
          ++made;
          continue;
        }
      }
    }
    card.kind = CardKind::kCloze;
    card.front = std::move(shown);
    if (Keep(n, std::move(card), false, /*tidy=*/true)) ++made;
  }
}

std::string NodeCards::WithoutDates(std::string_view text,
                                    FactSpan facts) const {
  std::string out;
  size_t p = 0;
  for (const Fact* f : facts) {
    if (f->kind != FactKind::kDate || f->begin < p) continue;
    out.append(text.substr(p, f->begin - p));
    out += ' ';
    p = f->end;
  }
  out.append(text.substr(p));
  out = Tidy(std::move(out));
  // Tidy what the date leaves behind: "Treaty of", "(from )", " - ". Every
  // step only drops a prefix or a suffix, so it works on a view of `out`.
  std::string_view v = out;
  for (bool changed = true; changed;) {
    changed = false;
    v = Trim(v);
    while (!v.empty() &&
           (v.back() == '-' || v.back() == ',' || v.back() == '(' ||
            v.back() == ':' || v.back() == ' ')) {
      v.remove_suffix(1);
      changed = true;
    }
    while (!v.empty() &&
           (v.front() == '-' || v.front() == ',' || v.front() == ':' ||
            v.front() == ' ' || v.front() == ')')) {
      v.remove_prefix(1);
      changed = true;
    }
    for (std::string_view tail :
         {" in", " of", " from", " (from", " ()", " since"}) {
      if (v.size() > tail.size() && v.ends_with(tail)) {
        v.remove_suffix(tail.size());
        changed = true;
      }
    }
    if (v.ends_with("()")) {
      v.remove_suffix(2);
      changed = true;
    }
  }
  return std::string(v);
}

const Fact* NodeCards::DatedTitle(NodeId id, std::string_view text,
                                  FactSpan facts, std::string* title) const {
  const Fact* date = nullptr;
  for (const Fact* f : facts) {
    if (f->kind != FactKind::kDate) continue;
    if (date != nullptr) return nullptr;  // one date only
    date = f;
  }
  if (date == nullptr || date->text.size() > kMaxAnswer) return nullptr;
  // The date opens or closes the text: a dated heading, not a sentence.
  std::string_view head = Trim(text.substr(0, date->begin));
  std::string_view tail = Trim(text.substr(date->end));
  auto only_punct = [](std::string_view s) {
    for (char c : s) {
      if (c != ')' && c != '(' && c != '-' && c != ':' && c != ',' && c != '.')
        return false;
    }
    return true;
  };
  bool at_end = only_punct(tail);
  bool at_start = only_punct(head);
  if (!at_end && !(at_start && map_.node(id).first_child != kNoNode)) {
    return nullptr;
  }
  *title = WithoutDates(text, facts);
  size_t words = WordCount(*title);
  if (words == 0 || words > 10 || title->size() > 90 ||
      ContentWordCount(*title) == 0) {
    return nullptr;
  }
  return date;
}

bool NodeCards::When(const NodeCtx& n, std::string_view text, FactSpan facts) {
  std::string title;
  const Fact* date;
  if (dated_state_[n.id] == 1) {
    // Worked out by the parent's chronology; taken, no longer needed.
    date = dated_fact_[n.id];
    title = std::move(dated_title_[n.id]);
    dated_state_[n.id] = 2;
  } else {
    date = DatedTitle(n.id, text, facts, &title);
  }
  if (date == nullptr) return false;
  Card card;
  card.kind = CardKind::kWhen;
  card.front = "When: " + title + "?";
  card.back = Tidy(date->text);
  card.fact_type = FactType::kDate;
  card.hint = HintOf(*date);
  char buf[16];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, date->year_from);
  FoldInto(card.front, &fold_text_);
  if (Visible(n, fold_text_, std::string_view(buf, end - buf))) return false;
  return Keep(n, std::move(card));
}

std::vector<std::string> ChildTexts(const Map& map, NodeId id, size_t max) {
  std::vector<std::string> items;
  for (NodeId c : map.Children(id)) {
    items.push_back(Shorten(Tidy(map.node(c).text), max));
  }
  return items;
}

void NodeCards::Question(const NodeCtx& n, std::string_view text) {
  if (map_.node(n.id).first_child == kNoNode) return;
  std::vector<std::string> items = ChildTexts(map_, n.id, kMaxListItem);
  items.erase(std::remove_if(items.begin(), items.end(),
                             [](const std::string& s) {
                               return s.empty() || study::AllStopWords(s);
                             }),
              items.end());
  if (items.empty() || items.size() > 12) return;
  Card card;
  card.kind = CardKind::kQuestion;
  card.front = std::string(text);
  card.back = Join(items, "; ");
  card.answers = items;
  card.is_list = items.size() > 1;
  card.hint = items.size() > 1 ? std::to_string(items.size()) + " points" : "";
  Keep(n, std::move(card));
}

void NodeCards::List(const NodeCtx& n, bool is_question) {
  if (is_question) return;
  size_t count = map_.ChildCount(n.id);
  if (count < 2 || count > static_cast<size_t>(options_.max_list_items)) {
    return;
  }
  std::vector<std::string> items;
  std::vector<std::string_view> distinct;  // folded; at most max_list_items
  for (NodeId c : map_.Children(n.id)) {
    const std::string& item = Cleaned(c);
    if (item.empty() || item.size() > kMaxListItem ||
        study::AllStopWords(item)) {
      return;
    }
    std::string_view folded = Folded(c);
    if (std::find(distinct.begin(), distinct.end(), folded) != distinct.end())
      return;
    distinct.push_back(folded);
    items.push_back(item);
  }
  std::string heading = Shorten(Cleaned(n.id), 120);
  if (heading.empty()) return;
  Card card;
  card.kind = CardKind::kList;
  card.front = "List the " + std::to_string(items.size()) + " points under “" +
               heading + "”";
  card.back = Join(items, "; ");
  card.answers = std::move(items);
  card.is_list = true;
  card.hint = "items";
  Keep(n, std::move(card));
}

void NodeCards::Chronology(const NodeCtx& n) {
  using Event = ChronoEvent;
  if (map_.ChildCount(n.id) < 3) return;
  // Reused from heading to heading: a long list of children would otherwise
  // grow a fresh vector past malloc's small sizes each time.
  std::vector<Event>& events = events_;
  events.clear();
  for (NodeId c : map_.Children(n.id)) {
    // Kept for the child's own "when" card, which needs the same title.
    const Fact* date =
        DatedTitle(c, map_.node(c).text, FactsOf(c), &dated_title_[c]);
    dated_fact_[c] = date;
    dated_state_[c] = 1;
    if (date == nullptr || date->precision == DatePrecision::kDecade ||
        date->precision == DatePrecision::kPartOfDecade) {
      continue;
    }
    std::string label = Shorten(dated_title_[c], kMaxLabel);
    events.push_back({std::move(label), date->year_from, date->SortKey()});
  }
  // Consecutive runs of up to 5 events with distinct years and labels.
  size_t i = 0;
  while (i < events.size()) {
    std::vector<Event> group;
    while (i < events.size() && group.size() < 5) {
      // Distinct years and labels (at most 5: a linear scan).
      bool repeat = false;
      for (const Event& g : group) {
        repeat =
            repeat || g.year == events[i].year || g.label == events[i].label;
      }
      if (repeat) break;
      group.push_back(events[i++]);
    }
    if (group.size() < 3) {
      if (group.empty()) ++i;
      continue;
    }
    std::vector<std::string> shown;
    for (const Event& e : group) shown.push_back(e.label);
    std::stable_sort(
        group.begin(), group.end(),
        [](const Event& a, const Event& b) { return a.key < b.key; });
    std::vector<std::string> ordered;
    for (const Event& e : group) ordered.push_back(e.label);
    // Shown shuffled, never already in order.
    uint64_t base = study::Hash64(n.path_key + ordered.front());
    for (size_t k = shown.size(); k > 1; --k) {
      std::swap(shown[k - 1], shown[Rand(base, k) % k]);
    }
    if (shown == ordered) std::swap(shown[0], shown[1]);
    Card card;
    card.kind = CardKind::kChronology;
    card.front = "Put in order, earliest first: " + Join(shown, " | ");
    card.choices = shown;
    card.back = Join(ordered, "; ");
    card.answers = ordered;
    card.is_list = true;
    card.ordered = true;
    card.hint = "order";
    Keep(n, std::move(card), /*answer_shown_by_design=*/true);
  }
}

void NodeCards::Quotes(const NodeCtx& n, FactSpan facts) {
  for (const Fact* f : facts) {
    if (f->kind != FactKind::kQuote || f->speaker.empty()) continue;
    if (WordCount(f->text) < 4) continue;
    Card card;
    card.kind = CardKind::kQuote;
    card.front = "Who said “" + Shorten(f->text, 400) + "”?";
    card.back = f->speaker;
    card.fact_type = FactType::kName;
    card.hint = "name";
    Keep(n, std::move(card));
  }
}

void NodeCards::Visit(NodeId id, const Heading& heading, bool steered_only) {
  const Node& node = map_.node(id);
  NodeCtx& n = ctx_;
  n.id = id;
  n.heading = &heading;
  n.path_key.resize(16);  // Hex16, in place
  for (int i = 15, v = 0; i >= 0; --i, ++v) {
    n.path_key[i] = "0123456789abcdef"[(path_hash_[id] >> (4 * v)) & 15];
  }
  n.path_key_hash = study::Hash64(n.path_key);
  n.id_seed = study::Hash64("\x1f", n.path_key_hash);
  FactSpan facts = FactsOf(id);
  const std::string& text = node.text;
  bool is_question = false;
  for (const Fact* f : facts) is_question |= f->kind == FactKind::kQuestion;
  if (!steered_only) {
    if (is_question) Question(n, Cleaned(id));
    List(n, is_question);
  }
  if (node.parent != kNoNode) {  // not the root
    bool when = When(n, text, facts);
    Quotes(n, facts);
    ClozeAndChoice(n, text, facts, when);
  }
  if (!steered_only) Chronology(n);
}

void NodeCards::VisitRange(size_t begin, size_t end) {
  if (begin >= end) return;
  // The path above the first node; after it, pre-order changes only its
  // tail (as WalkWithAncestors).
  std::vector<NodeId>& ancestors = ancestors_;
  AncestorsOf(map_, s_.order[begin], &ancestors);
  for (size_t i = begin; i < end; ++i) {
    NodeId id = s_.order[i];
    ancestors.resize(s_.depth[i]);
    if (!ancestors.empty()) ancestors.back() = map_.node(id).parent;
    Visit(id, ancestors.empty() ? no_heading_ : HeadingOf(ancestors));
  }
}

// Keeps the queued cards of `node` (in order, `meta` side by side) as
// the single-thread walk would have: all of them when none is dropped.
// Otherwise the question and list cards (made first) and the chronology
// cards (made last) are kept or dropped one by one, since nothing else
// depends on them; the "when", quote, cloze and choice cards between are
// kept together, or made again by `remake` against the cards kept so far,
// as which of them are made depends on which were kept.
void CommitQueued(const NodeCards::PendingNode& node, std::span<Card> cards,
                  std::span<const CardMeta> meta, Committer* committer,
                  NodeCards* remake) {
  if (committer->Commit(cards, meta)) return;
  auto alone = [&](size_t i) {
    (void)committer->Commit(cards.subspan(i, 1), meta.subspan(i, 1));
  };
  auto kind = [&](size_t i) { return cards[i].kind; };
  size_t i = 0;
  for (; i < cards.size() &&
         (kind(i) == CardKind::kQuestion || kind(i) == CardKind::kList);
       ++i) {
    alone(i);
  }
  size_t j = i;
  while (j < cards.size() && kind(j) != CardKind::kChronology) ++j;
  if (!committer->Commit(cards.subspan(i, j - i), meta.subspan(i, j - i))) {
    remake->Visit(node.id, *node.heading, /*steered_only=*/true);
  }
  for (; j < cards.size(); ++j) alone(j);
}

// The threads GenerateCards uses: options.threads (at most 16), or for 0
// one per core, at most 4 (each holds per-node caches the size of the map),
// on maps big enough to repay starting a thread.
size_t ThreadCount(const CardOptions& options, size_t nodes) {
  constexpr size_t kMaxThreads = 16;
  size_t threads = static_cast<size_t>(std::max(options.threads, 0));
  if (threads == 0) {
    constexpr size_t kMinNodesForThreads = 4096;
    constexpr unsigned kMaxAutoThreads = 4;
    if (nodes < kMinNodesForThreads) return 1;
    threads =
        std::clamp(std::thread::hardware_concurrency(), 1u, kMaxAutoThreads);
  }
  return std::clamp<size_t>(threads, 1, std::min(kMaxThreads, nodes));
}

std::vector<Card> Generate(const Map& map, const CardOptions& options) {
  if (map.empty()) return {};
  Shared s(map, options);
  const size_t threads = ThreadCount(options, map.size());
  s.era = MapEra(map);
  s.facts = study::ExtractFactsWithEra(map, s.era, threads);
  s.ranges.assign(map.id_count(), {0, 0});
  for (uint32_t i = 0; i < s.facts.size();) {
    NodeId id = s.facts[i].node;
    uint32_t j = i;
    while (j < s.facts.size() && s.facts[j].node == id) ++j;
    s.ranges[id] = {i, j};
    i = j;
  }
  // Names for distractors, each once, in map order.
  std::unordered_set<std::string> seen;
  for (const Fact& f : s.facts) {
    if (f.kind != FactKind::kName || f.text.size() < 2) continue;
    std::string folded = Fold(f.text);
    if (seen.insert(folded).second) {
      s.pools.names.push_back(f.text);
      s.pools.names_folded.push_back(std::move(folded));
      s.pools.shape.push_back(ShapeOf(f.text));
    }
  }
  s.path_hash.assign(map.id_count(), 0);
  s.order.reserve(map.size());
  s.depth.reserve(map.size());
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    const Node& node = map.node(*it);
    uint64_t parent_hash =
        it.depth() == 0 ? 0x6d696e64ULL : s.path_hash[node.parent];
    s.path_hash[*it] =
        study::Hash64(node.text, parent_hash ^ 0x9E3779B97F4A7C15ULL);
    s.order.push_back(*it);
    s.depth.push_back(static_cast<uint32_t>(it.depth()));
  }
  Committer committer(s);
  NodeCards first(s, &committer);
  if (threads == 1) {
    first.VisitRange(0, s.order.size());
    return committer.Take();
  }
  // The calling thread makes and keeps the cards of the first part of the
  // pre-order; each other part's cards are made on a thread of its own and
  // queued, chunk by chunk, and the calling thread keeps them in order, node
  // by node (CommitQueued), as soon as it is done with its own part, while
  // the other threads still work: the result is the single-thread one.
  const size_t n = s.order.size();
  std::vector<size_t> bounds(threads + 1, n);
  bounds[0] = 0;
  // The calling thread also keeps every other part's cards, so it makes
  // the cards of a smaller part. Per node, making cards costs about kMake,
  // making and keeping them at once kMakeAndKeep, keeping queued cards
  // (with the remakes of colliding nodes) kKeepQueued (callgrind of the
  // bench's 100k map); the first part's share x balances the threads:
  // kMakeAndKeep x + kKeepQueued (1 - x) = kMake (1 - x) / (threads - 1).
  constexpr size_t kMake = 9, kMakeAndKeep = 10, kKeepQueued = 4;
  const size_t others = threads - 1;
  const size_t first_part =
      kMake > kKeepQueued * others
          ? n * (kMake - kKeepQueued * others) /
                ((kMakeAndKeep - kKeepQueued) * others + kMake)
          : 0;
  for (size_t k = 1; k < threads; ++k) {
    bounds[k] = first_part + (n - first_part) * (k - 1) / others;
  }
  // A part's queued cards, handed over every kChunk nodes.
  struct Chunk {
    std::vector<Card> cards;
    std::vector<CardMeta> meta;
    std::vector<NodeCards::PendingNode> nodes;
  };
  struct Stream {
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<Chunk> chunks;
    bool done = false;
  };
  constexpr size_t kChunk = 1024;
  std::vector<std::unique_ptr<NodeCards>> parts;
  std::vector<Stream> streams(others);
  // A worker that fails (bad_alloc) still ends its stream; Finish rethrows.
  struct EndStream {
    Stream& stream;
    ~EndStream() {
      std::lock_guard lock(stream.mutex);
      stream.done = true;
      stream.ready.notify_one();
    }
  };
  detail::ThreadGroup workers;
  for (size_t k = 1; k < threads; ++k) {
    parts.push_back(std::make_unique<NodeCards>(s, nullptr));
    workers.Start([part = parts.back().get(), &stream = streams[k - 1],
                   begin = bounds[k], end = bounds[k + 1]] {
      EndStream end_stream{stream};
      for (size_t b = begin; b < end; b += kChunk) {
        part->VisitRange(b, std::min(end, b + kChunk));
        Chunk chunk{std::exchange(part->pending, {}),
                    std::exchange(part->pending_meta, {}),
                    std::exchange(part->pending_nodes, {})};
        std::lock_guard lock(stream.mutex);
        stream.chunks.push_back(std::move(chunk));
        stream.ready.notify_one();
      }
    });
  }
  first.VisitRange(bounds[0], bounds[1]);
  for (size_t k = 1; k < threads; ++k) {
    Stream& stream = streams[k - 1];
    for (;;) {
      Chunk chunk;
      {
        std::unique_lock lock(stream.mutex);
        stream.ready.wait(
            lock, [&] { return stream.done || !stream.chunks.empty(); });
        if (stream.chunks.empty()) break;  // and done
        chunk = std::move(stream.chunks.front());
        stream.chunks.pop_front();
      }
      auto& marks = chunk.nodes;
      for (size_t i = 0; i < marks.size(); ++i) {
        size_t b = marks[i].first;
        size_t e =
            i + 1 < marks.size() ? marks[i + 1].first : chunk.cards.size();
        CommitQueued(marks[i], std::span<Card>(chunk.cards.data() + b, e - b),
                     std::span<const CardMeta>(chunk.meta.data() + b, e - b),
                     &committer, &first);
      }
    }
    workers.Wait(k - 1);
    parts[k - 1].reset();
  }
  workers.Finish();
  return committer.Take();
}

}  // namespace

std::vector<Card> GenerateCards(const Map& map, const CardOptions& options) {
  return Generate(map, options);
}

std::string_view CardKindName(CardKind kind) {
  switch (kind) {
    case CardKind::kCloze:
      return "cloze";
    case CardKind::kQuestion:
      return "question";
    case CardKind::kList:
      return "list";
    case CardKind::kWhen:
      return "when";
    case CardKind::kChronology:
      return "chronology";
    case CardKind::kQuote:
      return "quote";
    case CardKind::kChoice:
      return "choice";
  }
  return "?";
}

std::optional<CardKind> ParseCardKind(std::string_view name) {
  for (int k = 0; k < kCardKindCount; ++k) {
    auto kind = static_cast<CardKind>(k);
    if (CardKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::string CardPrompt(const Card& card) {
  if (card.context.empty()) return card.front;
  return fmt::format("{} › {}", fmt::join(card.context, " › "), card.front);
}

std::string CardId(std::string_view node_path, CardKind kind,
                   std::string_view answer) {
  uint64_t h = study::Hash64(node_path);
  h = study::Hash64("\x1f", h);
  h = study::Hash64(CardKindName(kind), h);
  h = study::Hash64("\x1f", h);
  h = study::Hash64(answer, h);
  return IdFromHash(h);
}

}  // namespace mindcards
