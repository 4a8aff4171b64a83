// Persistent storage for maps, cards, reviews and settings.
//
// `Store` is an abstract interface so that the CLI (`mindcards study`) and
// the web server do not know which database sits behind it. The SQLite
// implementation (OpenSqliteStore) is the only one today; a PostgreSQL back
// end can implement the same interface later without touching callers.
//
// The store knows nothing of the FSRS code or of card generation: cards come
// in as `StoredCard` (plain fields; callers convert from mindcards::Card) and
// scheduling state as `CardSchedule` (the fields of an FSRS card, as ts-fsrs
// names them; callers convert to and from the scheduler's type). Times are
// milliseconds since the Unix epoch (UTC), always passed in by the caller so
// that tests are exact.
//
// Threads: a Store is not thread-safe (the SQLite store keeps one
// connection and a cache of prepared statements); guard it with a mutex or
// open one store per thread on the same file (WAL lets readers and one
// writer work at once; writers wait up to SqliteOptions::busy_timeout_ms).
//
// Durability: a call that returns success has committed its transaction. The
// SQLite store runs in WAL mode with synchronous=NORMAL, which survives the
// process being killed (SIGKILL) at any moment; only a power cut or an OS
// crash can lose the last transactions. Set `SqliteOptions::sync_full` for
// that too.
#ifndef MINDCARDS_STORE_H_
#define MINDCARDS_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/map.h"

namespace mindcards {

using MapKey = int64_t;  // a stored map's id; 0 means "none" or "all maps"

// A stored map: its metadata and the document itself.
struct MapRecord {
  MapKey id = 0;              // 0 when not stored yet
  std::string name;           // shown in lists; the map title by default
  std::string source_format;  // format it was read from ("outline", ...)
  std::string source_key;     // where it came from (a path); may be empty.
                              // Re-importing with the same key updates the
                              // map instead of adding another.
  std::string document;       // the map, as text in `document_format`
  std::string document_format = "json";  // a FormatSpec name
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int64_t trashed_ms = 0;  // when it was moved to the trash; 0 when not
};

// One node of a stored map, flattened (for search and per-node queries).
// `id` is the node's NodeId in the Map the record was written from.
struct StoredNode {
  NodeId id = kNoNode;
  NodeId parent = kNoNode;
  uint32_t position = 0;  // index among its siblings
  uint32_t depth = 0;
  std::string text;
  std::string note;
  bool folded = false;
};

// FSRS card state, as ts-fsrs's `Card` holds it.
enum class CardState : uint8_t {
  kNew = 0,
  kLearning = 1,
  kReview = 2,
  kRelearning = 3
};

struct CardSchedule {
  CardState state = CardState::kNew;
  int64_t due_ms = 0;  // when the card is due (0 for a new card)
  double stability = 0;
  double difficulty = 0;
  int64_t elapsed_days = 0;
  int64_t scheduled_days = 0;
  int32_t learning_steps = 0;
  int32_t reps = 0;
  int32_t lapses = 0;
  int64_t last_review_ms = 0;  // 0 = never reviewed
  friend bool operator==(const CardSchedule&, const CardSchedule&) = default;
};

// A card as stored. The content fields mirror mindcards::Card; `id` is the
// card's stable id (the same card generated again gets the same id). Ids are
// unique within a map; the same id may exist in two maps (a map imported
// twice), so the store keys cards by (map_id, id).
struct StoredCard {
  std::string id;
  MapKey map_id = 0;
  std::string kind;  // "cloze", "question", "list", ...
  std::string front;
  std::string back;     // the answer alone
  std::string context;  // path of headings above the node
  std::string node;     // the node the card came from (caller's encoding)
  std::vector<std::string> choices;  // multiple choice, else empty
  std::string extra_json;  // anything else, as a JSON value; "" for none
  int32_t position = 0;    // order new cards are introduced in (set by Sync)
  bool retired = false;    // no longer produced by the map; kept for history
  CardSchedule schedule;   // read-only through SyncCards
};

// What SyncCards did.
struct SyncResult {
  size_t added = 0;
  size_t updated = 0;  // same id, content changed; schedule kept
  size_t unchanged = 0;
  size_t retired = 0;  // stored cards the new set no longer has
  size_t revived = 0;  // retired cards that came back
};

// One row of the append-only review log.
struct ReviewRecord {
  int64_t id = 0;     // assigned by the store
  MapKey map_id = 0;  // the card's map; 0: the only map holding
                      // card_id (kBadInput when several do)
  std::string card_id;
  int64_t time_ms = 0;           // when the review happened
  int32_t rating = 0;            // 1 Again, 2 Hard, 3 Good, 4 Easy
  std::string answer;            // what the student typed ("" if revealed)
  double grade = -1;             // grader's score in [0, 1]; -1 when not graded
  int32_t suggested_rating = 0;  // grader's suggestion; 0 when none
  int64_t duration_ms = 0;       // time spent on the card; 0 if unknown
  CardSchedule before;
  CardSchedule after;
};

// What to take from the queue.
struct QueueOptions {
  MapKey map_id = 0;  // 0: every map
  int64_t now_ms = 0;
  size_t limit = 20;        // cards returned at most, due ones first
  size_t new_per_day = 20;  // new cards introduced per day at most
  // Start of the student's current day (for the new-card limit); when 0 the
  // UTC day containing now_ms is used.
  int64_t day_start_ms = 0;
  // When false, only the cards' id, map_id, position, retired and schedule
  // are read (for callers that cache the content; cheaper).
  bool content = true;
};

struct StoreStats {
  size_t cards = 0;  // active (not retired)
  size_t retired = 0;
  size_t new_cards = 0;
  size_t learning = 0;  // learning + relearning
  size_t review = 0;
  size_t due_now = 0;    // not new, due at or before now
  size_t reviews = 0;    // review log rows
  size_t new_today = 0;  // new cards introduced today
  // Share of reviews of cards in the Review state that were not rated Again;
  // -1 when there were none.
  double retention = -1;
  struct Day {
    int64_t day = 0;  // days since the Unix epoch (UTC)
    size_t count = 0;
  };
  std::vector<Day> reviews_per_day;  // days with reviews, ascending
  std::vector<Day> due_forecast;     // next 30 days from today, cards due
                                     // that day (day 0 includes overdue)
};

class Store {
 public:
  virtual ~Store() = default;

  // --- maps
  // Inserts `map` (id 0 and no stored map with the same non-empty
  // source_key) or updates the stored one; returns its id. `nodes`, when
  // given, replaces the map's node rows. created_ms/updated_ms are taken from
  // the record (callers pass their clock). Updating a map in the trash takes
  // it out (re-importing a deleted file brings it back with its history).
  [[nodiscard]] virtual Result<MapKey> PutMap(const MapRecord& map,
                                              const Map* nodes) = 0;
  // The map (in the trash or not: see trashed_ms), or an error with code
  // kNotFound.
  [[nodiscard]] virtual Result<MapRecord> GetMap(MapKey id) = 0;
  // The map whose source_key is `key`, or nullopt.
  [[nodiscard]] virtual Result<std::optional<MapRecord>> FindMapByKey(
      std::string_view key) = 0;
  // Every map not in the trash, by id, without `document` (empty) to keep
  // the list cheap.
  [[nodiscard]] virtual Result<std::vector<MapRecord>> ListMaps() = 0;
  [[nodiscard]] virtual Result<std::vector<StoredNode>> GetNodes(MapKey id) = 0;
  // Deletes the map with its nodes, cards and their reviews, for good (in
  // the trash or not). kNotFound if there is no such map.
  [[nodiscard]] virtual Result<void> DeleteMap(MapKey id) = 0;

  // --- the trash: a map moved there keeps its nodes, cards and reviews but
  // drops out of ListMaps and of every all-maps (map id 0) query: the queue,
  // ListCards, GetCard, RecordReview's card lookup, ListReviews and Stats.
  // Queries naming its id still see it; callers refuse those as they see
  // fit. Moves a map to the trash at `now_ms`; kNotFound when there is no
  // such map or it is in the trash already.
  [[nodiscard]] virtual Result<void> TrashMap(MapKey id, int64_t now_ms) = 0;
  // Takes a map out of the trash; kNotFound when it is not there.
  [[nodiscard]] virtual Result<void> RestoreMap(MapKey id) = 0;
  // The maps in the trash, most recently trashed first, without `document`.
  [[nodiscard]] virtual Result<std::vector<MapRecord>> ListTrash() = 0;

  // --- cards
  // Makes `cards` the active cards of `map_id`, matching by id: new ids are
  // added as new cards (position in the order given), known ids get their
  // content updated and keep their schedule and reviews, stored cards
  // missing from `cards` are retired (kept, with their history, but never
  // queued). Duplicate ids in `cards`: the first wins. The cards' own
  // map_id fields are ignored.
  [[nodiscard]] virtual Result<SyncResult> SyncCards(
      MapKey map_id, std::span<const StoredCard> cards) = 0;
  // The card `id` of map `map_id` (0: the only map holding that id;
  // kBadInput when several do). kNotFound when there is none.
  [[nodiscard]] virtual Result<StoredCard> GetCard(MapKey map_id,
                                                   std::string_view id) = 0;
  // Cards of a map (0: all maps) in position order.
  [[nodiscard]] virtual Result<std::vector<StoredCard>> ListCards(
      MapKey map_id, bool include_retired) = 0;

  // --- study queue
  // Due cards (not new, due_ms <= now_ms, not retired), most overdue first,
  // then new cards in position order, within the daily new-card limit (new
  // cards first reviewed since the day start count against it). At most
  // `limit` cards.
  [[nodiscard]] virtual Result<std::vector<StoredCard>> Queue(
      const QueueOptions& options) = 0;

  // --- reviews
  // Appends a review and sets the card's schedule to `review.after`, in one
  // transaction; durable when it returns. Fails with kNotFound for an
  // unknown card, kBadInput for a rating outside 1..4. Returns the log id.
  [[nodiscard]] virtual Result<int64_t> RecordReview(
      const ReviewRecord& review) = 0;
  // Reviews of a map's cards (0: all maps), or only of card `card_id` when
  // it is non-empty, oldest first.
  [[nodiscard]] virtual Result<std::vector<ReviewRecord>> ListReviews(
      MapKey map_id, std::string_view card_id) = 0;

  // --- settings (e.g. "fsrs.parameters" as JSON)
  [[nodiscard]] virtual Result<std::optional<std::string>> GetSetting(
      std::string_view key) = 0;
  [[nodiscard]] virtual Result<void> PutSetting(std::string_view key,
                                                std::string_view value) = 0;

  // --- stats for one map (0: all maps) at `now_ms`.
  [[nodiscard]] virtual Result<StoreStats> Stats(MapKey map_id,
                                                 int64_t now_ms) = 0;
};

struct SqliteOptions {
  bool sync_full = false;          // synchronous=FULL instead of NORMAL
  int busy_timeout_ms = 5000;      // wait this long for another writer
  bool create_directories = true;  // create the file's parent folders
};

// Opens (creating when missing) the SQLite store at `path` and brings its
// schema up to date. ":memory:" gives a private in-memory store. Fails with
// kIo when the file cannot be opened and kBadInput when it is not a
// mindcards database or was written by a newer version.
[[nodiscard]] Result<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const SqliteOptions& options = {});

// The schema version this build writes (PRAGMA user_version).
int SqliteSchemaVersion();

// The default database file: $XDG_DATA_HOME/mindcards/mindcards.db, or
// ~/.local/share/mindcards/mindcards.db when XDG_DATA_HOME is unset or not
// absolute. Empty when neither XDG_DATA_HOME nor HOME is usable.
std::string DefaultStorePath();

}  // namespace mindcards

#endif  // MINDCARDS_STORE_H_
