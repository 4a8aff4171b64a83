#include "mindcards/store.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "store/sqlite_util.h"

namespace mindcards {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kT0 = 1'780'000'000'000;  // a fixed "now"

std::string TempDir() {
  std::string base = ::testing::TempDir() + "mindcards-store-XXXXXX";
  std::vector<char> buf(base.begin(), base.end());
  buf.push_back('\0');
  const char* dir = mkdtemp(buf.data());
  EXPECT_NE(dir, nullptr);
  return dir != nullptr ? std::string(dir) : std::string();
}

StoredCard MakeCard(std::string id, std::string front, std::string back) {
  StoredCard c;
  c.id = std::move(id);
  c.kind = "cloze";
  c.front = std::move(front);
  c.back = std::move(back);
  c.context = "Root > Branch";
  c.node = "n1";
  return c;
}

MapRecord MakeMap(std::string key) {
  MapRecord m;
  m.name = "Peaceful coexistence";
  m.source_format = "outline";
  m.source_key = std::move(key);
  m.document = "{\"root\":{}}";
  m.created_ms = kT0;
  m.updated_ms = kT0;
  return m;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir();
    path_ = dir_ + "/sub/dir/test.db";
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    store_.reset();
    auto s = OpenSqliteStore(path_);
    ASSERT_TRUE(s) << s.error().ToString();
    store_ = std::move(*s);
  }
  MapKey AddMapWithCards(const std::string& key, size_t n) {
    auto id = store_->PutMap(MakeMap(key), nullptr);
    EXPECT_TRUE(id) << id.error().ToString();
    std::vector<StoredCard> cards;
    for (size_t i = 0; i < n; ++i) {
      cards.push_back(MakeCard(std::string("c").append(std::to_string(i)),
                               "front " + std::to_string(i),
                               "back " + std::to_string(i)));
    }
    auto sync = store_->SyncCards(*id, cards);
    EXPECT_TRUE(sync) << sync.error().ToString();
    return *id;
  }
  ReviewRecord Review(MapKey map, const std::string& card, int64_t t,
                      int rating, int64_t due) {
    ReviewRecord r;
    r.map_id = map;
    r.card_id = card;
    r.time_ms = t;
    r.rating = rating;
    r.answer = "typed";
    r.grade = 0.5;
    r.suggested_rating = 2;
    r.after.state = CardState::kReview;
    r.after.due_ms = due;
    r.after.stability = 3.5;
    r.after.difficulty = 5.25;
    r.after.scheduled_days = 3;
    r.after.reps = 1;
    r.after.last_review_ms = t;
    return r;
  }

  std::string dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, CreatesFileWithWalForeignKeysAndVersion) {
  EXPECT_TRUE(std::filesystem::exists(path_));
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  detail::SqliteDb db(raw);
  auto s = detail::Statement::Prepare(db.get(), "PRAGMA journal_mode");
  ASSERT_TRUE(s);
  ASSERT_TRUE(*s->Step());
  EXPECT_EQ(s->Text(0), "wal");
  auto v = detail::Statement::Prepare(db.get(), "PRAGMA user_version");
  ASSERT_TRUE(v);
  ASSERT_TRUE(*v->Step());
  EXPECT_EQ(v->Int(0), SqliteSchemaVersion());
  EXPECT_GE(SqliteSchemaVersion(), 1);
}

// A version-1 database (before the queue's partial indexes) is upgraded in
// place on open, keeping its data.
TEST_F(StoreTest, MigratesVersionOneDatabases) {
  MapKey map = AddMapWithCards("k", 3);
  store_.reset();
  auto indexes = [&] {
    sqlite3* raw = nullptr;
    EXPECT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    detail::SqliteDb db(raw);
    auto s = detail::Statement::Prepare(
        db.get(),
        "SELECT group_concat(name, ' ') FROM (SELECT name FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = 'cards' AND sql IS NOT NULL "
        "ORDER BY name)");
    EXPECT_TRUE(s && *s->Step());
    return s->Text(0);
  };
  EXPECT_EQ(indexes(), "cards_due cards_first_review cards_new");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    detail::SqliteDb db(raw);
    ASSERT_TRUE(detail::Exec(
        db.get(),
        "DROP INDEX cards_due; DROP INDEX cards_new; DROP INDEX "
        "cards_first_review; CREATE INDEX cards_queue ON cards(map_id, "
        "retired, state, due_ms); ALTER TABLE maps DROP COLUMN trashed_ms; "
        "PRAGMA user_version = 1;"));
  }
  EXPECT_EQ(indexes(), "cards_queue");
  Reopen();
  EXPECT_EQ(indexes(), "cards_due cards_first_review cards_new");
  auto cards = store_->ListCards(map, false);
  ASSERT_TRUE(cards);
  EXPECT_EQ(cards->size(), 3u);
  // Version 3 added the trash: the old map is not in it.
  auto maps = store_->ListMaps();
  ASSERT_TRUE(maps);
  ASSERT_EQ(maps->size(), 1u);
  EXPECT_EQ((*maps)[0].trashed_ms, 0);
}

TEST_F(StoreTest, MapsRoundTripAndReimportBySourceKeyUpdates) {
  MapRecord m = MakeMap("/tmp/a.txt");
  auto id = store_->PutMap(m, nullptr);
  ASSERT_TRUE(id);
  m.document = "changed";
  m.updated_ms = kT0 + 5;
  auto again = store_->PutMap(m, nullptr);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *id);
  auto got = store_->GetMap(*id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->document, "changed");
  EXPECT_EQ(got->created_ms, kT0);
  EXPECT_EQ(got->updated_ms, kT0 + 5);
  EXPECT_EQ(got->source_key, "/tmp/a.txt");
  auto other = store_->PutMap(MakeMap(""), nullptr);
  ASSERT_TRUE(other);
  EXPECT_NE(*other, *id);
  auto list = store_->ListMaps();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, *id);
  EXPECT_EQ((*list)[0].document, "");
  auto found = store_->FindMapByKey("/tmp/a.txt");
  ASSERT_TRUE(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, *id);
  auto missing = store_->GetMap(999);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "no map with id 999");
}

TEST_F(StoreTest, StoresNodesWithPositionsAndDepth) {
  Map map;
  NodeId root = map.AddRoot("Root");
  NodeId a = map.AddChild(root, "A");
  NodeId b = map.AddChild(root, "B");
  NodeId b1 = map.AddChild(b, "B1");
  map.node(b1).set_note("note");
  map.node(a).folded = true;
  auto id = store_->PutMap(MakeMap(""), &map);
  ASSERT_TRUE(id);
  auto nodes = store_->GetNodes(*id);
  ASSERT_TRUE(nodes);
  ASSERT_EQ(nodes->size(), 4u);
  std::string got;
  for (const StoredNode& n : *nodes) {
    got += std::to_string(n.id) + ":" +
           (n.parent == kNoNode ? "-" : std::to_string(n.parent)) + ":" +
           std::to_string(n.position) + ":" + std::to_string(n.depth) + ":" +
           n.text + ":" + n.note + ":" + (n.folded ? "F" : "") + " ";
  }
  EXPECT_EQ(got, "0:-:0:0:Root:: 1:0:0:1:A::F 2:0:1:1:B:: 3:2:0:2:B1:note: ");
}

TEST_F(StoreTest, SyncKeepsScheduleOfUnchangedCardsAndRetiresMissing) {
  MapKey map = AddMapWithCards("k", 3);
  ASSERT_TRUE(store_->RecordReview(Review(map, "c1", kT0, 3, kT0 + 3 * kDay)));
  // Edit: c0 changes its text, c1 stays, c2 disappears, c3 is new.
  std::vector<StoredCard> next = {MakeCard("c3", "front 3", "back 3"),
                                  MakeCard("c1", "front 1", "back 1"),
                                  MakeCard("c0", "front 0 edited", "back 0")};
  auto sync = store_->SyncCards(map, next);
  ASSERT_TRUE(sync) << sync.error().ToString();
  EXPECT_EQ(sync->added, 1u);
  EXPECT_EQ(sync->updated, 1u);
  EXPECT_EQ(sync->unchanged, 1u);
  EXPECT_EQ(sync->retired, 1u);
  EXPECT_EQ(sync->revived, 0u);
  auto c1 = store_->GetCard(map, "c1");
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->schedule.state, CardState::kReview);
  EXPECT_EQ(c1->schedule.due_ms, kT0 + 3 * kDay);
  EXPECT_EQ(c1->schedule.stability, 3.5);
  EXPECT_EQ(c1->position, 1);
  auto reviews = store_->ListReviews(map, "c1");
  ASSERT_TRUE(reviews);
  EXPECT_EQ(reviews->size(), 1u);
  auto active = store_->ListCards(map, false);
  ASSERT_TRUE(active);
  std::string ids;
  for (const StoredCard& c : *active) ids += c.id + " ";
  EXPECT_EQ(ids, "c3 c1 c0 ");
  auto all = store_->ListCards(map, true);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 4u);
  // c2 comes back.
  next.push_back(MakeCard("c2", "front 2", "back 2"));
  sync = store_->SyncCards(map, next);
  ASSERT_TRUE(sync);
  EXPECT_EQ(sync->revived, 1u);
  EXPECT_EQ(sync->unchanged, 3u);
  auto c2 = store_->GetCard(map, "c2");
  ASSERT_TRUE(c2);
  EXPECT_FALSE(c2->retired);
}

TEST_F(StoreTest, SameCardIdInTwoMapsIsKeptApart) {
  MapKey a = AddMapWithCards("a", 2);
  MapKey b = AddMapWithCards("b", 2);
  ASSERT_TRUE(store_->RecordReview(Review(a, "c0", kT0, 3, kT0 + kDay)));
  auto ca = store_->GetCard(a, "c0");
  auto cb = store_->GetCard(b, "c0");
  ASSERT_TRUE(ca && cb);
  EXPECT_EQ(ca->schedule.state, CardState::kReview);
  EXPECT_EQ(cb->schedule.state, CardState::kNew);
  auto ambiguous = store_->GetCard(0, "c0");
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.error().message,
            "card id 'c0' is in several maps; give the map id");
  auto missing = store_->GetCard(a, "zz");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message,
            "no card 'zz' in map " + std::to_string(a));
}

TEST_F(StoreTest, QueueGivesDueFirstThenNewWithinDailyLimit) {
  MapKey map = AddMapWithCards("k", 6);
  // c4 reviewed yesterday, due now; c5 reviewed today, due tomorrow.
  ASSERT_TRUE(store_->RecordReview(Review(map, "c4", kT0 - kDay, 3, kT0 - 10)));
  ASSERT_TRUE(store_->RecordReview(Review(map, "c5", kT0, 3, kT0 + kDay)));
  QueueOptions q;
  q.map_id = map;
  q.now_ms = kT0;
  q.day_start_ms = kT0 - 1000;
  q.new_per_day = 3;  // c5 was introduced today: 2 more
  q.limit = 10;
  auto queue = store_->Queue(q);
  ASSERT_TRUE(queue) << queue.error().ToString();
  std::string ids;
  for (const StoredCard& c : *queue) ids += c.id + " ";
  EXPECT_EQ(ids, "c4 c0 c1 ");
  q.limit = 1;
  queue = store_->Queue(q);
  ASSERT_TRUE(queue);
  ASSERT_EQ(queue->size(), 1u);
  EXPECT_EQ((*queue)[0].id, "c4");
  q.limit = 10;
  q.new_per_day = 0;
  queue = store_->Queue(q);
  ASSERT_TRUE(queue);
  EXPECT_EQ(queue->size(), 1u);
}

TEST_F(StoreTest, QueueWithoutContentGivesTheSameCardsAndSchedules) {
  MapKey map = AddMapWithCards("k", 6);
  ASSERT_TRUE(store_->RecordReview(Review(map, "c4", kT0 - kDay, 3, kT0 - 10)));
  QueueOptions q;
  q.map_id = map;
  q.now_ms = kT0;
  q.limit = 4;
  auto full = store_->Queue(q);
  q.content = false;
  auto lean = store_->Queue(q);
  ASSERT_TRUE(full && lean);
  ASSERT_EQ(lean->size(), full->size());
  for (size_t i = 0; i < full->size(); ++i) {
    const StoredCard& f = (*full)[i];
    const StoredCard& l = (*lean)[i];
    EXPECT_EQ(l.id, f.id);
    EXPECT_EQ(l.map_id, f.map_id);
    EXPECT_EQ(l.position, f.position);
    EXPECT_EQ(l.retired, f.retired);
    EXPECT_EQ(l.schedule, f.schedule);
    EXPECT_FALSE(f.front.empty());
    EXPECT_TRUE(l.front.empty() && l.back.empty() && l.extra_json.empty());
  }
  EXPECT_EQ((*lean)[0].id, "c4");
  EXPECT_EQ((*lean)[0].schedule.reps, 1);
}

TEST_F(StoreTest, ReviewLogIsAppendOnlyAndValidated) {
  MapKey map = AddMapWithCards("k", 1);
  ReviewRecord r = Review(map, "c0", kT0, 5, kT0);
  auto bad = store_->RecordReview(r);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "rating must be 1 to 4, got 5");
  r.rating = 1;
  r.card_id = "nope";
  auto missing = store_->RecordReview(r);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  r.card_id = "c0";
  r.before.state = CardState::kNew;
  auto id = store_->RecordReview(r);
  ASSERT_TRUE(id);
  auto reviews = store_->ListReviews(0, "");
  ASSERT_TRUE(reviews);
  ASSERT_EQ(reviews->size(), 1u);
  const ReviewRecord& got = (*reviews)[0];
  EXPECT_EQ(got.id, *id);
  EXPECT_EQ(got.map_id, map);
  EXPECT_EQ(got.card_id, "c0");
  EXPECT_EQ(got.rating, 1);
  EXPECT_EQ(got.answer, "typed");
  EXPECT_EQ(got.grade, 0.5);
  EXPECT_EQ(got.suggested_rating, 2);
  EXPECT_EQ(got.before, r.before);
  EXPECT_EQ(got.after, r.after);
  store_.reset();
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
  detail::SqliteDb db(raw);
  auto ok = detail::Exec(db.get(), "UPDATE reviews SET rating = 4");
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message, "sqlite: the review log is append-only");
}

TEST_F(StoreTest, TwoConnectionsShareTheFile) {
  MapKey map = AddMapWithCards("k", 2);
  auto other = OpenSqliteStore(path_);
  ASSERT_TRUE(other) << other.error().ToString();
  ASSERT_TRUE((*other)->RecordReview(Review(map, "c1", kT0, 3, kT0 + kDay)));
  auto seen = store_->GetCard(map, "c1");
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->schedule.due_ms, kT0 + kDay);
  ASSERT_TRUE(store_->RecordReview(Review(map, "c0", kT0, 2, kT0 + 5)));
  auto log = (*other)->ListReviews(map, "");
  ASSERT_TRUE(log);
  EXPECT_EQ(log->size(), 2u);
}

TEST_F(StoreTest, DeleteMapCascades) {
  MapKey map = AddMapWithCards("k", 2);
  ASSERT_TRUE(store_->RecordReview(Review(map, "c0", kT0, 3, kT0)));
  ASSERT_TRUE(store_->DeleteMap(map));
  auto cards = store_->ListCards(0, true);
  ASSERT_TRUE(cards);
  EXPECT_TRUE(cards->empty());
  auto reviews = store_->ListReviews(0, "");
  ASSERT_TRUE(reviews);
  EXPECT_TRUE(reviews->empty());
  auto again = store_->DeleteMap(map);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);
}

TEST_F(StoreTest, TrashedMapsLeaveAllMapQueriesAndComeBackWhole) {
  MapKey a = AddMapWithCards("a", 3);
  MapKey b = AddMapWithCards("b", 2);
  ASSERT_TRUE(store_->RecordReview(Review(a, "c0", kT0 - kDay, 3, kT0 - 10)));
  ASSERT_TRUE(store_->RecordReview(Review(b, "c1", kT0 - kDay, 3, kT0 - 10)));
  auto all_ids = [&](MapKey map) {
    std::string out;
    QueueOptions q;
    q.map_id = map;
    q.now_ms = kT0;
    auto queue = store_->Queue(q);
    EXPECT_TRUE(queue);
    if (queue) {
      for (const StoredCard& c : *queue) {
        out += std::to_string(c.map_id == a ? 1 : 2) + ":" + c.id + " ";
      }
    }
    auto cards = store_->ListCards(map, true);
    auto reviews = store_->ListReviews(map, "");
    auto stats = store_->Stats(map, kT0);
    EXPECT_TRUE(cards && reviews && stats);
    if (cards && reviews && stats) {
      out += fmt::format("| {} cards {} reviews {} stats", cards->size(),
                         reviews->size(), stats->cards);
    }
    return out;
  };
  const std::string both =
      "1:c0 2:c1 1:c1 1:c2 2:c0 | 5 cards 2 reviews 5 stats";
  EXPECT_EQ(all_ids(0), both);

  ASSERT_TRUE(store_->TrashMap(a, kT0 + 1));
  EXPECT_EQ(all_ids(0), "2:c1 2:c0 | 2 cards 1 reviews 2 stats");
  auto list = store_->ListMaps();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, b);
  auto trash = store_->ListTrash();
  ASSERT_TRUE(trash);
  ASSERT_EQ(trash->size(), 1u);
  EXPECT_EQ((*trash)[0].id, a);
  EXPECT_EQ((*trash)[0].trashed_ms, kT0 + 1);
  // By id it is still there, for the caller to refuse or restore.
  auto got = store_->GetMap(a);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->trashed_ms, kT0 + 1);
  // c0 is in both maps: with `a` in the trash, map 0 means `b`'s.
  auto card = store_->GetCard(0, "c2");
  ASSERT_FALSE(card);
  EXPECT_EQ(card.error().code, ErrorCode::kNotFound);
  auto twice = store_->TrashMap(a, kT0 + 2);
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message,
            "no map with id " + std::to_string(a) + " outside the trash");

  ASSERT_TRUE(store_->RestoreMap(a));
  EXPECT_EQ(all_ids(0), both);
  trash = store_->ListTrash();
  ASSERT_TRUE(trash);
  EXPECT_TRUE(trash->empty());
  auto again = store_->RestoreMap(a);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kNotFound);

  // Re-importing a trashed map's file (same source key) takes it out.
  ASSERT_TRUE(store_->TrashMap(a, kT0 + 3));
  MapRecord m = MakeMap("a");
  m.updated_ms = kT0 + 4;
  auto put = store_->PutMap(m, nullptr);
  ASSERT_TRUE(put);
  EXPECT_EQ(*put, a);
  EXPECT_EQ(all_ids(0), both);
  // Deleting for good works in the trash too.
  ASSERT_TRUE(store_->TrashMap(b, kT0 + 5));
  ASSERT_TRUE(store_->DeleteMap(b));
  EXPECT_EQ(all_ids(0), "1:c0 1:c1 1:c2 | 3 cards 1 reviews 3 stats");
  trash = store_->ListTrash();
  ASSERT_TRUE(trash);
  EXPECT_TRUE(trash->empty());
}

TEST_F(StoreTest, SettingsPersist) {
  ASSERT_TRUE(store_->PutSetting("fsrs.parameters", "[1,2]"));
  ASSERT_TRUE(store_->PutSetting("fsrs.parameters", "[3]"));
  Reopen();
  auto v = store_->GetSetting("fsrs.parameters");
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, "[3]");
  auto none = store_->GetSetting("absent");
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(StoreTest, StatsCountStatesRetentionAndForecast) {
  MapKey map = AddMapWithCards("k", 4);
  const int64_t day0 = (kT0 / kDay) * kDay;
  ASSERT_TRUE(
      store_->RecordReview(Review(map, "c0", day0 - kDay, 3, day0 - 5)));
  ReviewRecord lapse = Review(map, "c0", day0 + 10, 1, day0 + 2 * kDay + 7);
  lapse.before.state = CardState::kReview;
  lapse.after.state = CardState::kRelearning;
  ASSERT_TRUE(store_->RecordReview(lapse));
  ReviewRecord pass = Review(map, "c1", day0 + 20, 3, day0 + 2 * kDay);
  pass.before.state = CardState::kReview;
  ASSERT_TRUE(store_->RecordReview(pass));
  auto st = store_->Stats(map, day0 + 100);
  ASSERT_TRUE(st) << st.error().ToString();
  EXPECT_EQ(st->cards, 4u);
  EXPECT_EQ(st->new_cards, 2u);
  EXPECT_EQ(st->learning, 1u);
  EXPECT_EQ(st->review, 1u);
  EXPECT_EQ(st->due_now, 0u);
  EXPECT_EQ(st->reviews, 3u);
  EXPECT_EQ(st->new_today, 1u);  // c1; c0 was first reviewed yesterday
  EXPECT_DOUBLE_EQ(st->retention, 0.5);
  ASSERT_EQ(st->reviews_per_day.size(), 2u);
  EXPECT_EQ(st->reviews_per_day[0].count, 1u);
  EXPECT_EQ(st->reviews_per_day[1].count, 2u);
  ASSERT_EQ(st->due_forecast.size(), 30u);
  EXPECT_EQ(st->due_forecast[2].count, 2u);
  size_t total = 0;
  for (const auto& d : st->due_forecast) total += d.count;
  EXPECT_EQ(total, 2u);
}

TEST_F(StoreTest, RefusesForeignAndNewerDatabases) {
  std::string foreign = dir_ + "/foreign.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(foreign.c_str(), &raw), SQLITE_OK);
    detail::SqliteDb db(raw);
    ASSERT_TRUE(detail::Exec(db.get(), "CREATE TABLE t (x)"));
  }
  auto s = OpenSqliteStore(foreign);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().ToString(),
            foreign + ": not a mindcards database (it has other tables)");
  std::string newer = dir_ + "/newer.db";
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(newer.c_str(), &raw), SQLITE_OK);
    detail::SqliteDb db(raw);
    ASSERT_TRUE(detail::Exec(db.get(), "PRAGMA user_version = 999"));
  }
  s = OpenSqliteStore(newer);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().ToString(),
            newer +
                ": database schema version 999 is newer than this "
                "mindcards (" +
                std::to_string(SqliteSchemaVersion()) + "); upgrade mindcards");
  std::string text = dir_ + "/text.db";
  std::ofstream(text) << "this is not a database at all, just some text that "
                         "is long enough to fill a header page.............";
  s = OpenSqliteStore(text);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  EXPECT_NE(s.error().message.find("not a mindcards database"),
            std::string::npos)
      << s.error().message;
}

TEST_F(StoreTest, DefaultPathFollowsXdg) {
  const char* old_xdg = std::getenv("XDG_DATA_HOME");
  std::string saved = old_xdg != nullptr ? old_xdg : "";
  setenv("XDG_DATA_HOME", "/xdg/data", 1);
  EXPECT_EQ(DefaultStorePath(), "/xdg/data/mindcards/mindcards.db");
  setenv("XDG_DATA_HOME", "relative", 1);
  setenv("HOME", "/home/student", 1);
  EXPECT_EQ(DefaultStorePath(),
            "/home/student/.local/share/mindcards/mindcards.db");
  if (old_xdg != nullptr) {
    setenv("XDG_DATA_HOME", saved.c_str(), 1);
  } else {
    unsetenv("XDG_DATA_HOME");
  }
}

// A child process records reviews and reports each acknowledged one through
// a pipe; it is killed with SIGKILL mid-stream. Every acknowledged review
// must be there after reopening.
TEST_F(StoreTest, AcknowledgedReviewsSurviveSigkill) {
  MapKey map = AddMapWithCards("k", 50);
  store_.reset();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(fds[0]);
    auto s = OpenSqliteStore(path_);
    if (!s) _exit(3);
    for (int i = 0;; ++i) {
      ReviewRecord r;
      r.map_id = map;
      r.card_id = std::string("c").append(std::to_string(i % 50));
      r.time_ms = kT0 + i;
      r.rating = 3;
      r.after.state = CardState::kReview;
      r.after.due_ms = kT0 + i;
      if (!(*s)->RecordReview(r)) _exit(4);
      int32_t acked = i;
      if (write(fds[1], &acked, sizeof acked) != sizeof acked) _exit(5);
    }
  }
  close(fds[1]);
  int32_t last = -1;
  int32_t v;
  while (last < 300 && read(fds[0], &v, sizeof v) == sizeof v) last = v;
  kill(pid, SIGKILL);
  // Drain what the child acknowledged before it died.
  while (read(fds[0], &v, sizeof v) == sizeof v) last = v;
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  Reopen();
  auto reviews = store_->ListReviews(map, "");
  ASSERT_TRUE(reviews);
  ASSERT_GE(static_cast<int64_t>(reviews->size()), last + 1);
  for (int32_t i = 0; i <= last; ++i) {
    EXPECT_EQ((*reviews)[static_cast<size_t>(i)].time_ms, kT0 + i);
  }
}

}  // namespace
}  // namespace mindcards
