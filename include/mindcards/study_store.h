// Study operations over a Store, shared by `mindcards study` and the web
// server: importing a map with its cards, converting between the store's
// plain records and the study types, and recording a graded review.
#ifndef MINDCARDS_STUDY_STORE_H_
#define MINDCARDS_STUDY_STORE_H_

#include <cstdint>
#include <string>

#include "mindcards/cards.h"
#include "mindcards/error.h"
#include "mindcards/fsrs.h"
#include "mindcards/grade.h"
#include "mindcards/map.h"
#include "mindcards/store.h"

namespace mindcards {

// A generated card as a store record (map_id 0; SyncCards sets it). The
// grading fields (answers, list, ordered, era, hint, cloze, the context as a
// list) travel in extra_json so that FromStoredCard gives them back.
StoredCard ToStoredCard(const Card& card);
// The card a record holds; kinds the build does not know become kCloze.
Card FromStoredCard(const StoredCard& stored);

// The store's schedule <-> the scheduler's card. A new card (never
// reviewed) becomes fsrs::NewCard(now_ms).
CardSchedule ToSchedule(const fsrs::Card& card);
fsrs::Card FromSchedule(const CardSchedule& schedule, int64_t now_ms);

struct ImportRequest {
  std::string name;        // empty: the map's title, else its root's text
  std::string source_key;  // see MapRecord::source_key
  std::string source_format;
  int64_t now_ms = 0;
  CardOptions card_options;
};

struct ImportResult {
  MapKey map_id = 0;
  size_t cards = 0;  // cards generated
  SyncResult sync;
};

// Stores `map` (as mindcards JSON, with its nodes), generates its cards and
// syncs them: re-importing an edited map under the same source_key updates
// it and keeps the schedules and reviews of the cards that did not change.
[[nodiscard]] Result<ImportResult> ImportMap(Store& store, const Map& map,
                                             const ImportRequest& request);

struct ReviewRequest {
  MapKey map_id = 0;  // 0: the only map with this card id
  std::string card_id;
  // 1..4; 0 takes the grader's suggestion (an error when nothing was typed,
  // since then there is none).
  int rating = 0;
  std::string answer;  // what was typed; "" when the answer was revealed
  int64_t now_ms = 0;
  int64_t response_ms = -1;  // time taken, -1 unknown
};

struct ReviewResult {
  Grade grade;     // how == kEmpty when nothing was typed
  int rating = 0;  // the rating recorded
  fsrs::Card before;
  fsrs::Card after;
  int64_t log_id = 0;
};

// Grades the answer, schedules the card and appends the review, durably.
// kNotFound for an unknown card, kUsage for a bad rating.
[[nodiscard]] Result<ReviewResult> ReviewCard(Store& store,
                                              const fsrs::Scheduler& scheduler,
                                              const ReviewRequest& request);

}  // namespace mindcards

#endif  // MINDCARDS_STUDY_STORE_H_
