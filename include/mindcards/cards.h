// Flashcards generated from a map's own structure and facts.
//
// Every card carries its context (the headings above its node) so it can be
// answered without the map; its answer never appears in its front or its
// context (compared case-insensitively); a cloze never hides a stop word; no
// two cards of one map share a front. Ids are stable: a hash of the node's
// text path, the card kind and the answer, so regenerating after an edit
// keeps the ids (and so the review history) of unchanged cards.
#ifndef MINDCARDS_CARDS_H_
#define MINDCARDS_CARDS_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/facts.h"
#include "mindcards/map.h"

namespace mindcards {

enum class CardKind : uint8_t {
  kCloze,       // one fact hidden in its sentence: "... in [...] 1953"
  kQuestion,    // a question node, answered by its children
  kList,        // a heading and its children: "Name the 3 ..."
  kWhen,        // a dated heading: "When: Austrian State Treaty?"
  kChronology,  // put 3-5 dated events in order
  kQuote,       // quote attribution: "Who said '...'?"
  kChoice,      // multiple choice, distractors of the same type from the map
};
inline constexpr int kCardKindCount = 7;

// The headings above a card's node, root first. Immutable and shared:
// GenerateCards gives the cards of all children of one heading the same
// list, so a card holds a pointer, not copies of the strings. Reads like a
// const std::vector<std::string>; assign a whole new list to change it.
class CardContext {
 public:
  using value_type = std::string;
  using const_iterator = std::vector<std::string>::const_iterator;
  using iterator = const_iterator;

  CardContext() = default;
  // Implicit, so that `card.context = headings;` and
  // `card.context = {"Cold War", "Korea"};` read as for a vector.
  CardContext(std::vector<std::string> headings)  // NOLINT
      : headings_(headings.empty()
                      ? nullptr
                      : std::make_shared<const std::vector<std::string>>(
                            std::move(headings))) {}
  CardContext(std::initializer_list<std::string> headings)
      : CardContext(std::vector<std::string>(headings)) {}

  const std::vector<std::string>& headings() const {
    static const std::vector<std::string> kNone;
    return headings_ ? *headings_ : kNone;
  }
  size_t size() const { return headings().size(); }
  bool empty() const { return headings().empty(); }
  const std::string& operator[](size_t i) const { return headings()[i]; }
  const std::string& back() const { return headings().back(); }
  const_iterator begin() const { return headings().begin(); }
  const_iterator end() const { return headings().end(); }

  friend bool operator==(const CardContext& a, const CardContext& b) {
    return a.headings_ == b.headings_ || a.headings() == b.headings();
  }
  friend bool operator==(const CardContext& a,
                         const std::vector<std::string>& b) {
    return a.headings() == b;
  }

 private:
  std::shared_ptr<const std::vector<std::string>> headings_;
};

struct Card {
  // 16 lower-case hex digits; stable (see above). Unique within one map.
  std::string id;
  CardKind kind = CardKind::kCloze;
  // The prompt, without the context. For kCloze the hidden span shows as
  // "[...]"; for kChoice the choices are listed in `choices`, not here.
  std::string front;
  // The answer alone, as a student would type it ("1955", "Malenkov"). For
  // lists the items joined with "; " (chronology: in the right order).
  std::string back;
  // Text of each heading from the root down to (not including) the node.
  CardContext context;
  // The node the card is about (for lists, questions and chronology: the
  // heading whose children are the answer).
  NodeId node = kNoNode;
  // kChoice: every option, the right one included, in display order.
  std::vector<std::string> choices;

  // What grading needs. `answers` are the expected answers: one entry for a
  // single answer (equal to `back`), one per item for lists and chronology.
  std::vector<std::string> answers;
  bool is_list = false;  // partial credit, items in any order...
  bool ordered = false;  // ...except when order matters (chronology)
  FactType fact_type = FactType::kText;
  // The map's era (MapEra): two-digit years typed by the student mean
  // era + yy. 0 when unknown.
  int era = 0;

  // kCloze only: the node text with the answer marked in Anki cloze syntax,
  // "Armistice was negotiated along {{c1::38th parallel}} in July 53".
  std::string cloze;
  // A short hint of what is asked: "year", "date", "number", "name",
  // "quote", "items"; may be empty.
  std::string hint;
};

struct CardOptions {
  // Which kinds to make; all by default.
  bool kinds[kCardKindCount] = {true, true, true, true, true, true, true};
  // At most this many cloze and choice cards per node, plus one per 15
  // words of its text; facts of each type in turn (date, quantity, term,
  // name).
  int max_cloze_per_node = 3;
  // List cards only for headings with 2..max_list_items children.
  int max_list_items = 8;
  // Options offered by a multiple-choice card (the answer included).
  int choice_count = 4;
  // Seed for choosing distractors and chronology sets; the same map and
  // seed give the same cards.
  uint64_t seed = 0;

  // Threads to work on: 1 = the calling thread only; 0 = one per core of
  // the machine (at most 4), for maps of 4,096 nodes and more; at most 16.
  // The cards are the same whatever the count.
  int threads = 0;

  bool enabled(CardKind kind) const { return kinds[static_cast<int>(kind)]; }
};

// Cards for every live node of `map`, in pre-order of their nodes. Linear in
// the map's text size (plus a sort); docs/benchmarks.md has the times of a
// fact-dense 100,000-node map on one and two threads.
std::vector<Card> GenerateCards(const Map& map, const CardOptions& options);

// "cloze", "question", "list", "when", "chronology", "quote", "choice".
std::string_view CardKindName(CardKind kind);
std::optional<CardKind> ParseCardKind(std::string_view name);

// The context joined with " › ", then the front: what a student sees.
std::string CardPrompt(const Card& card);

// Stable id of a card: 16 hex digits of a 64-bit hash of `node_path` (the
// node's text path), the kind and `answer`.
std::string CardId(std::string_view node_path, CardKind kind,
                   std::string_view answer);

// Serialisations (docs/cards.md). JSON: {"cards": [...]} with id, kind,
// front, back, context, node, choices, answers, list, ordered, type, era,
// hint and cloze. CSV (RFC 4180, header row): id,kind,context,front,back.
// Anki text: "#separator:tab", "#html:true", "#guid column:1" headers, then
// guid, front (with context), back per line.
std::string CardsToJson(const std::vector<Card>& cards);
std::string CardsToCsv(const std::vector<Card>& cards);
std::string CardsToAnkiText(const std::vector<Card>& cards);

}  // namespace mindcards

#endif  // MINDCARDS_CARDS_H_
