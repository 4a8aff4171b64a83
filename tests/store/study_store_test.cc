#include "mindcards/study_store.h"

#include <gtest/gtest.h>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

constexpr int64_t kT0 = 1'780'000'000'000;

Map ReadOutline(const std::string& text) {
  ReadOptions options;
  options.format = "outline";
  auto map = ReadMap(text, options);
  EXPECT_TRUE(map) << map.error().ToString();
  return map ? std::move(*map) : Map();
}

const char* kMap =
    "Cold War\n"
    "  Stalin died in March 1953\n"
    "  Geneva Summit in July 1955\n"
    "  Khrushchev's Secret Speech in February 1956\n";

class StudyStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(":memory:");
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
  }
  // The first active card made from the node whose text contains `text`.
  StoredCard CardAbout(MapKey map, const Map& m, const std::string& text) {
    auto cards = store_->ListCards(map, false);
    EXPECT_TRUE(cards);
    for (const StoredCard& c : *cards) {
      Card card = FromStoredCard(c);
      if (card.node != kNoNode && m.valid(card.node) &&
          m.node(card.node).text.find(text) != std::string::npos) {
        return c;
      }
    }
    ADD_FAILURE() << "no card about " << text;
    return {};
  }
  std::unique_ptr<Store> store_;
};

TEST_F(StudyStoreTest, CardsRoundTripThroughStoredRecords) {
  Card c;
  c.id = "0123456789abcdef";
  c.kind = CardKind::kList;
  c.front = "Name the 2 ...";
  c.back = "Poland; Hungary";
  c.context = {"Cold War", "Uprisings"};
  c.node = 7;
  c.answers = {"Poland", "Hungary"};
  c.is_list = true;
  c.fact_type = FactType::kName;
  c.era = 1900;
  c.hint = "items";
  StoredCard s = ToStoredCard(c);
  EXPECT_EQ(s.context, "Cold War \u203A Uprisings");
  EXPECT_EQ(s.kind, "list");
  EXPECT_EQ(s.node, "7");
  Card back = FromStoredCard(s);
  EXPECT_EQ(back.id, c.id);
  EXPECT_EQ(back.kind, c.kind);
  EXPECT_EQ(back.context, c.context);
  EXPECT_EQ(back.answers, c.answers);
  EXPECT_TRUE(back.is_list);
  EXPECT_EQ(back.fact_type, FactType::kName);
  EXPECT_EQ(back.era, 1900);
  EXPECT_EQ(back.node, 7u);
  EXPECT_EQ(back.hint, "items");
}

TEST_F(StudyStoreTest, SchedulesConvertBothWays) {
  fsrs::Card fresh = FromSchedule(CardSchedule(), kT0);
  EXPECT_EQ(fresh, fsrs::NewCard(kT0));
  fsrs::Scheduler scheduler;
  auto next = scheduler.Next(fresh, kT0, fsrs::Rating::kGood);
  ASSERT_TRUE(next);
  EXPECT_EQ(FromSchedule(ToSchedule(*next), kT0 + 5), *next);
}

TEST_F(StudyStoreTest, ReimportKeepsHistoryOfUnchangedCards) {
  Map map = ReadOutline(kMap);
  ImportRequest request;
  request.source_key = "/maps/cold-war.txt";
  request.now_ms = kT0;
  auto first = ImportMap(*store_, map, request);
  ASSERT_TRUE(first) << first.error().ToString();
  ASSERT_GT(first->cards, 0u);
  EXPECT_EQ(first->sync.added, first->cards);
  auto stored_map = store_->GetMap(first->map_id);
  ASSERT_TRUE(stored_map);
  EXPECT_EQ(stored_map->name, "Cold War");
  EXPECT_EQ(stored_map->document_format, "json");

  StoredCard stalin = CardAbout(first->map_id, map, "Stalin");
  fsrs::Scheduler scheduler;
  ReviewRequest review;
  review.map_id = first->map_id;
  review.card_id = stalin.id;
  review.answer = stalin.back;
  review.now_ms = kT0 + 1000;
  auto result = ReviewCard(*store_, scheduler, review);
  ASSERT_TRUE(result) << result.error().ToString();
  EXPECT_TRUE(result->grade.correct);
  EXPECT_EQ(result->rating, 3);  // the suggestion
  EXPECT_EQ(result->after.reps, 1);

  // Edit another node and import again under the same key.
  Map edited = ReadOutline(
      "Cold War\n"
      "  Stalin died in March 1953\n"
      "  Geneva Summit in August 1955\n"
      "  Khrushchev's Secret Speech in February 1956\n");
  request.now_ms = kT0 + 2000;
  auto second = ImportMap(*store_, edited, request);
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_EQ(second->map_id, first->map_id);
  EXPECT_GT(second->sync.unchanged, 0u);
  EXPECT_GT(second->sync.retired, 0u);  // the Geneva cards changed answers
  auto again = store_->GetCard(first->map_id, stalin.id);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->retired);
  EXPECT_EQ(again->schedule, ToSchedule(result->after));
  auto log = store_->ListReviews(first->map_id, stalin.id);
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].answer, stalin.back);
  EXPECT_EQ((*log)[0].grade, 1.0);
  auto maps = store_->ListMaps();
  ASSERT_TRUE(maps);
  EXPECT_EQ(maps->size(), 1u);
}

TEST_F(StudyStoreTest, ReviewNeedsARatingWhenNothingWasTyped) {
  Map map = ReadOutline(kMap);
  auto imported = ImportMap(*store_, map, ImportRequest());
  ASSERT_TRUE(imported);
  auto cards = store_->ListCards(imported->map_id, false);
  ASSERT_TRUE(cards);
  ASSERT_FALSE(cards->empty());
  fsrs::Scheduler scheduler;
  ReviewRequest review;
  review.card_id = (*cards)[0].id;
  review.now_ms = kT0;
  auto none = ReviewCard(*store_, scheduler, review);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kUsage);
  EXPECT_EQ(none.error().message,
            "no answer was typed, so a rating 1-4 is needed");
  review.rating = 7;
  auto bad = ReviewCard(*store_, scheduler, review);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "rating must be 1 to 4, got 7");
  review.rating = 1;
  auto ok = ReviewCard(*store_, scheduler, review);
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->grade.how, MatchKind::kEmpty);
  auto log = store_->ListReviews(0, "");
  ASSERT_TRUE(log);
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].grade, -1);
  EXPECT_EQ((*log)[0].rating, 1);
  review.card_id = "nope";
  auto missing = ReviewCard(*store_, scheduler, review);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace mindcards
