// Facts found in a map's node texts: dates, quantities, names, quotes and
// questions, each with the node and the byte span it came from. Card
// generation, the timeline and grading build on these.
#ifndef MINDCARDS_FACTS_H_
#define MINDCARDS_FACTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/map.h"

namespace mindcards {

// What kind of answer a fact (or a card) expects; grading compares answers
// by this type.
enum class FactType : uint8_t {
  kDate,    // a year, a month and year, a full date, a range or a decade
  kNumber,  // a quantity, with or without a unit ("5.8mil", "1.95%")
  kName,    // a person, place or organisation
  kText,    // anything else: quoted words, a node's text, a list item
};

// What was found.
enum class FactKind : uint8_t {
  kDate,
  kQuantity,
  kName,
  kQuote,     // words in quotation marks, e.g. a speech
  kQuestion,  // the node itself is a question ("Why did ...?")
};

// How much of a date is known.
enum class DatePrecision : uint8_t {
  kNone,          // not a date
  kDay,           // 15/04/2014
  kMonth,         // July 1953, June 53
  kYear,          // 1955, in 55
  kRange,         // 1953-54, 1902-1988: year_from..year_to
  kDecade,        // "40s", "the 1950s" (year_from = 1940, year_to = 1949)
  kPartOfDecade,  // "mid 1950s", "early 60s", "2nd half of 50s"
};

struct Fact {
  FactKind kind = FactKind::kDate;
  FactType type = FactType::kText;
  NodeId node = kNoNode;
  // The fact as written, and its byte span in the node's text.
  std::string text;
  size_t begin = 0;
  size_t end = 0;

  // Dates (kind kDate): resolved years (two-digit years through the map's
  // era), month 1-12 and day 1-31 when known, else 0. A sortable key for
  // ordering events: year_from * 10000 + month * 100 + day.
  DatePrecision precision = DatePrecision::kNone;
  int year_from = 0;
  int year_to = 0;
  int month = 0;
  int day = 0;
  int64_t SortKey() const {
    return static_cast<int64_t>(year_from) * 10000 + month * 100 + day;
  }

  // Quantities (kind kQuantity): the value as written times its scale
  // ("5.8mil" -> 5800000), and the unit word or sign ("%", "$", "year",
  // "men", "th parallel"), possibly empty.
  double value = 0;
  std::string unit;

  // Quotes: who is credited in the same node ("K", "Malenkov"), or empty.
  std::string speaker;
};

// The first year of the century that most of the map's four-digit years
// (1000-2999) fall in, e.g. 1900; two-digit years ("June 53", "in 55",
// "'55") mean era + yy. 0 when the map has no four-digit year.
int MapEra(const Map& map);

// Resolves a two-digit year through `era` (0: unknown, returns -1).
inline int ResolveTwoDigitYear(int yy, int era) {
  return era > 0 ? era + yy : -1;
}

// All facts of every live node, in pre-order, and within a node in text
// order. Names are capitalised spans that are not a mere sentence start, or
// that recur across the map. Linear in the map's total text size.
std::vector<Fact> ExtractFacts(const Map& map);

// The facts of one text, as if it were node `node` of a map of era `era`
// (names only where the capitalisation alone shows them).
std::vector<Fact> ExtractFactsFromText(std::string_view text, NodeId node,
                                       int era);

// A date as a reader sees it in a timeline: "2014-04-15", "1953-07", "1955",
// "1953-1954", "1940s", "1954-1956 (mid 1950s)".
std::string FormatDate(const Fact& date);

// One dated event of a map: the date fact and the path of node texts from
// the root down to the node (the node's own text last).
struct TimelineEvent {
  Fact date;
  std::vector<std::string> path;
};

// Every date of the map that pins an event (decades included), sorted by
// start year, month and day; ties keep map order.
std::vector<TimelineEvent> BuildTimeline(const Map& map);

// "date", "quantity", "name", "quote", "question".
std::string_view FactKindName(FactKind kind);
// "date", "number", "name", "text".
std::string_view FactTypeName(FactType type);

}  // namespace mindcards

#endif  // MINDCARDS_FACTS_H_
