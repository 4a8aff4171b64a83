// Grading typed answers the way a teacher would.
//
// GradeAnswer compares what the student typed with a card's expected answer
// and returns a score, how it matched, and a suggested FSRS rating (1 Again,
// 2 Hard, 3 Good, 4 Easy) that the student may overrule.
//
// Rules, in order (the first that accepts wins):
//  1. Normalisation: case, accents, punctuation, quotes, dashes and spacing
//     are ignored; leading articles (the, a, an) and text in parentheses in
//     the expected answer are optional.
//  2. Numbers: "5.8mil" = "5.8 million" = "5,800,000" = "5800k"; the typed
//     value must round to the expected one at the precision the expected
//     answer states ("5.8 million" accepts 5.83 million, not 5.9 million;
//     1955 needs exactly 1955). Percentages, money and units must agree in
//     kind when both sides state them (50% is not 0.5). Ordinals too
//     ("20th" = "20"; "XX" in Roman numerals = 20 only for an ordinal).
//  3. Years: a two-digit year ("55", "'55") stands for the year of the
//     map's era (GradeOptions::era_century) — never when the era is unknown.
//  4. Typos in words: optimal string alignment distance (Damerau with
//     adjacent transpositions) within a budget scaled by the word's length:
//     up to 3 letters none (USA is not USSR), 4-5 letters one, 6-10 two,
//     longer words 20%. Never for tokens with digits. A multi-word expected
//     answer accepts its last word alone when that word is a name of at
//     least 4 letters ("Khrushchev" for "Nikita Khrushchev").
//  5. Alternatives: "A / B" or "A or B" in the expected answer accept either.
//  6. Lists: an expected answer of several items (one per line, or split by
//     ";", ",", " and ", "&") accepts them in any order, with partial credit:
//     the score is the share of items matched and `missed` names the rest.
//     Items the student typed that match nothing are in `extra`.
//
// GradeAnswer never fails: any bytes give a grade (invalid UTF-8 is treated
// as opaque text). Only the first 16 KiB of an answer (and of the expected
// items) and the first 128 list items on each side are read, which bounds
// the work on hostile input.
#ifndef MINDCARDS_GRADE_H_
#define MINDCARDS_GRADE_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/cards.h"

namespace mindcards {

struct GradeOptions {
  // The century two-digit years belong to (1900 for a map about the 1950s;
  // MapEra in facts.h computes it); 0 when unknown, in which case a bare
  // "55" never equals 1955 (an apostrophe "'55" still does).
  int era_century = 0;
  // Time the student took, in ms (-1: unknown). A fully correct answer
  // typed within `easy_ms` suggests Easy instead of Good.
  int64_t response_ms = -1;
  int64_t easy_ms = 6000;
  // Split the expected answer into list items (on lines, ";", ",", "and").
  // When false only lines split it.
  bool split_lists = true;
};

// How an answer was accepted (or not).
enum class MatchKind : uint8_t {
  kEmpty,   // nothing typed: the student revealed the answer
  kExact,   // equal after normalisation
  kNumber,  // equal as numbers at the stated precision
  kYear,    // two-digit year resolved by the era
  kTypo,    // within the typo budget
  kList,    // several items, some or all matched (see score)
  kWrong,
};

// "empty", "exact", "number", "year", "typo", "list", "wrong".
std::string_view MatchKindName(MatchKind kind);

struct Grade {
  double score = 0;      // 0..1; 1 = fully correct
  bool correct = false;  // score == 1
  MatchKind how = MatchKind::kWrong;
  // 1..4, or 0 when nothing was typed (the student rates after revealing).
  int suggested_rating = 0;
  std::vector<std::string> missed;  // expected list items not given
  std::vector<std::string> extra;   // typed items that matched nothing
  std::string feedback;             // one line for the student
};

// Grades `answer` against `expected`.
Grade GradeAnswer(std::string_view answer, std::string_view expected,
                  const GradeOptions& options = {});

// Grades `answer` against a list of expected items, in any order with
// partial credit; with `ordered` (chronology) the score is the share of
// items given in the right relative order (the longest run of matched items
// in increasing order), and every item must be matched and in order for
// `correct`.
Grade GradeList(std::string_view answer, std::span<const std::string> items,
                bool ordered, const GradeOptions& options = {});

// Grades a typed answer to a generated card: its `answers` (a list when
// `is_list`), its era for two-digit years; for multiple choice the student
// may type the option's number (1-based) instead of its text.
Grade GradeCard(std::string_view answer, const Card& card,
                int64_t response_ms = -1);

namespace detail {
// Exposed for tests and the fuzzer.
// Case-folded, accent-free, punctuation-light form used for comparison.
std::string NormalizeForGrading(std::string_view text);
// Optimal string alignment distance over code points, giving up (returning
// limit + 1) once the distance must exceed `limit`.
size_t OsaDistance(std::u32string_view a, std::u32string_view b, size_t limit);
}  // namespace detail

}  // namespace mindcards

#endif  // MINDCARDS_GRADE_H_
