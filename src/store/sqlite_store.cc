// The SQLite implementation of Store.
//
// One file, WAL journal, foreign keys on. synchronous=NORMAL is enough for
// durability against a killed process: in WAL mode a commit is in the WAL
// file (the OS page cache) before COMMIT returns, and the OS keeps it when
// the process dies; only an OS crash or power cut can lose the newest
// commits, which synchronous=FULL (SqliteOptions::sync_full) also covers.
//
// The schema is versioned with PRAGMA user_version; kMigrations[i] brings a
// database from version i to i + 1, each in its own transaction.
#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include <unordered_set>

#include "mindcards/store.h"
#include "store/sqlite_util.h"

namespace mindcards {
namespace {

using detail::Exec;
using detail::SqliteDb;
using detail::SqliteError;
using detail::Statement;
using detail::Transaction;

constexpr int64_t kDayMs = 86'400'000;

constexpr const char* kMigrations[] = {
    // 0 -> 1
    R"sql(
CREATE TABLE maps (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  source_format TEXT NOT NULL DEFAULT '',
  source_key TEXT NOT NULL DEFAULT '',
  document TEXT NOT NULL,
  document_format TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  updated_ms INTEGER NOT NULL
);
CREATE UNIQUE INDEX maps_source_key ON maps(source_key) WHERE source_key <> '';
CREATE TABLE nodes (
  map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  node_id INTEGER NOT NULL,
  parent_id INTEGER,
  position INTEGER NOT NULL,
  depth INTEGER NOT NULL,
  text TEXT NOT NULL,
  note TEXT NOT NULL,
  folded INTEGER NOT NULL,
  PRIMARY KEY (map_id, node_id)
) WITHOUT ROWID;
CREATE TABLE cards (
  uid INTEGER PRIMARY KEY,
  map_id INTEGER NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  kind TEXT NOT NULL,
  front TEXT NOT NULL,
  back TEXT NOT NULL,
  context TEXT NOT NULL,
  node TEXT NOT NULL,
  choices TEXT NOT NULL,
  extra TEXT NOT NULL,
  position INTEGER NOT NULL,
  retired INTEGER NOT NULL DEFAULT 0,
  state INTEGER NOT NULL DEFAULT 0,
  due_ms INTEGER NOT NULL DEFAULT 0,
  stability REAL NOT NULL DEFAULT 0,
  difficulty REAL NOT NULL DEFAULT 0,
  elapsed_days INTEGER NOT NULL DEFAULT 0,
  scheduled_days INTEGER NOT NULL DEFAULT 0,
  learning_steps INTEGER NOT NULL DEFAULT 0,
  reps INTEGER NOT NULL DEFAULT 0,
  lapses INTEGER NOT NULL DEFAULT 0,
  last_review_ms INTEGER NOT NULL DEFAULT 0,
  first_review_ms INTEGER,
  UNIQUE (map_id, id)
);
CREATE INDEX cards_queue ON cards(map_id, retired, state, due_ms);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  card_uid INTEGER NOT NULL REFERENCES cards(uid) ON DELETE CASCADE,
  time_ms INTEGER NOT NULL,
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
  answer TEXT NOT NULL,
  grade REAL NOT NULL,
  suggested_rating INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  b_state INTEGER NOT NULL, b_due_ms INTEGER NOT NULL,
  b_stability REAL NOT NULL, b_difficulty REAL NOT NULL,
  b_elapsed_days INTEGER NOT NULL, b_scheduled_days INTEGER NOT NULL,
  b_learning_steps INTEGER NOT NULL, b_reps INTEGER NOT NULL,
  b_lapses INTEGER NOT NULL, b_last_review_ms INTEGER NOT NULL,
  a_state INTEGER NOT NULL, a_due_ms INTEGER NOT NULL,
  a_stability REAL NOT NULL, a_difficulty REAL NOT NULL,
  a_elapsed_days INTEGER NOT NULL, a_scheduled_days INTEGER NOT NULL,
  a_learning_steps INTEGER NOT NULL, a_reps INTEGER NOT NULL,
  a_lapses INTEGER NOT NULL, a_last_review_ms INTEGER NOT NULL
);
CREATE INDEX reviews_card ON reviews(card_uid, time_ms);
CREATE INDEX reviews_time ON reviews(time_ms);
CREATE TRIGGER reviews_append_only BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'the review log is append-only'); END;
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql",
    // 1 -> 2: partial indexes for the queue (due cards, new cards in order,
    // new cards introduced today), so that its queries do not scan a map.
    R"sql(
DROP INDEX cards_queue;
CREATE INDEX cards_due ON cards(map_id, due_ms) WHERE retired = 0 AND state <> 0;
CREATE INDEX cards_new ON cards(map_id, position) WHERE retired = 0 AND state = 0;
CREATE INDEX cards_first_review ON cards(map_id, first_review_ms)
  WHERE first_review_ms IS NOT NULL;
)sql",
    // 2 -> 3: the trash (a deleted map can be restored until purged).
    R"sql(
ALTER TABLE maps ADD COLUMN trashed_ms INTEGER NOT NULL DEFAULT 0;
)sql",
};

// The ids of the maps not in the trash (for all-maps queries).
constexpr std::string_view kActiveMaps =
    "SELECT id FROM maps WHERE trashed_ms = 0";

constexpr int kSchemaVersion =
    static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));

constexpr std::string_view kScheduleColumns =
    "state, due_ms, stability, difficulty, elapsed_days, scheduled_days, "
    "learning_steps, reps, lapses, last_review_ms";

constexpr std::string_view kCardColumns =
    "c.map_id, c.id, c.kind, c.front, c.back, c.context, c.node, c.choices, "
    "c.extra, c.position, c.retired, c.state, c.due_ms, c.stability, "
    "c.difficulty, c.elapsed_days, c.scheduled_days, c.learning_steps, "
    "c.reps, c.lapses, c.last_review_ms";

// Reads 10 schedule columns starting at `col`.
CardSchedule ReadSchedule(const Statement& s, int col) {
  CardSchedule c;
  int64_t state = s.Int(col);
  c.state = state >= 0 && state <= 3 ? static_cast<CardState>(state)
                                     : CardState::kNew;
  c.due_ms = s.Int(col + 1);
  c.stability = s.Real(col + 2);
  c.difficulty = s.Real(col + 3);
  c.elapsed_days = s.Int(col + 4);
  c.scheduled_days = s.Int(col + 5);
  c.learning_steps = static_cast<int32_t>(s.Int(col + 6));
  c.reps = static_cast<int32_t>(s.Int(col + 7));
  c.lapses = static_cast<int32_t>(s.Int(col + 8));
  c.last_review_ms = s.Int(col + 9);
  return c;
}

void BindSchedule(Statement& s, int col, const CardSchedule& c) {
  s.Bind(col, static_cast<int64_t>(c.state))
      .Bind(col + 1, c.due_ms)
      .Bind(col + 2, c.stability)
      .Bind(col + 3, c.difficulty)
      .Bind(col + 4, c.elapsed_days)
      .Bind(col + 5, c.scheduled_days)
      .Bind(col + 6, static_cast<int64_t>(c.learning_steps))
      .Bind(col + 7, static_cast<int64_t>(c.reps))
      .Bind(col + 8, static_cast<int64_t>(c.lapses))
      .Bind(col + 9, c.last_review_ms);
}

std::string ChoicesToJson(const std::vector<std::string>& choices) {
  nlohmann::json j = nlohmann::json::array();
  for (const std::string& c : choices) j.push_back(c);
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::string> ChoicesFromJson(const std::string& text) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

// The columns of a card without its content, read by ReadCardSchedule.
constexpr std::string_view kCardScheduleColumns =
    "c.map_id, c.id, c.position, c.retired, c.state, c.due_ms, c.stability, "
    "c.difficulty, c.elapsed_days, c.scheduled_days, c.learning_steps, "
    "c.reps, c.lapses, c.last_review_ms";

StoredCard ReadCardSchedule(const Statement& s) {
  StoredCard c;
  c.map_id = s.Int(0);
  c.id = s.Text(1);
  c.position = static_cast<int32_t>(s.Int(2));
  c.retired = s.Int(3) != 0;
  c.schedule = ReadSchedule(s, 4);
  return c;
}

// Reads a card selected with kCardColumns.
StoredCard ReadCard(const Statement& s) {
  StoredCard c;
  c.map_id = s.Int(0);
  c.id = s.Text(1);
  c.kind = s.Text(2);
  c.front = s.Text(3);
  c.back = s.Text(4);
  c.context = s.Text(5);
  c.node = s.Text(6);
  c.choices = ChoicesFromJson(s.Text(7));
  c.extra_json = s.Text(8);
  c.position = static_cast<int32_t>(s.Int(9));
  c.retired = s.Int(10) != 0;
  c.schedule = ReadSchedule(s, 11);
  return c;
}

bool SameContent(const StoredCard& a, const StoredCard& b) {
  return a.kind == b.kind && a.front == b.front && a.back == b.back &&
         a.context == b.context && a.node == b.node && a.choices == b.choices &&
         a.extra_json == b.extra_json;
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Puts the map condition where `sql` says {map}: "map_id = ?1", or for
// all maps (id 0) "?1 = 0" and not in the trash, which keeps ?1 bound; a
// plain equality lets SQLite use the per-map indexes.
std::string WithMap(std::string sql, MapKey id) {
  std::string column =
      sql.find("cards c ") != std::string::npos ? "c.map_id" : "map_id";
  std::string condition = id == 0 ? "?1 = 0 AND " + column + " IN (" +
                                        std::string(kActiveMaps) + ")"
                                  : column + " = ?1";
  for (size_t p = sql.find("{map}"); p != std::string::npos;
       p = sql.find("{map}", p)) {
    sql.replace(p, 5, condition);
  }
  return sql;
}

tl::unexpected<Error> NotFound(std::string message) {
  return Fail(ErrorCode::kNotFound, std::move(message));
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(SqliteDb db) : db_(std::move(db)) {}

  Result<void> Configure(const SqliteOptions& options);
  Result<void> Migrate();

  Result<MapKey> PutMap(const MapRecord& map, const Map* nodes) override;
  Result<MapRecord> GetMap(MapKey id) override;
  Result<std::optional<MapRecord>> FindMapByKey(std::string_view key) override;
  Result<std::vector<MapRecord>> ListMaps() override;
  Result<std::vector<StoredNode>> GetNodes(MapKey id) override;
  Result<void> DeleteMap(MapKey id) override;
  Result<void> TrashMap(MapKey id, int64_t now_ms) override;
  Result<void> RestoreMap(MapKey id) override;
  Result<std::vector<MapRecord>> ListTrash() override;
  Result<SyncResult> SyncCards(MapKey map_id,
                               std::span<const StoredCard> cards) override;
  Result<StoredCard> GetCard(MapKey map_id, std::string_view id) override;
  Result<std::vector<StoredCard>> ListCards(MapKey map_id,
                                            bool include_retired) override;
  Result<std::vector<StoredCard>> Queue(const QueueOptions& options) override;
  Result<int64_t> RecordReview(const ReviewRecord& review) override;
  Result<std::vector<ReviewRecord>> ListReviews(
      MapKey map_id, std::string_view card_id) override;
  Result<std::optional<std::string>> GetSetting(std::string_view key) override;
  Result<void> PutSetting(std::string_view key,
                          std::string_view value) override;
  Result<StoreStats> Stats(MapKey map_id, int64_t now_ms) override;

 private:
  Result<Statement> Prepare(std::string_view sql) {
    return cache_.Get(db_.get(), sql);
  }
  // Prepare for SQL with a {map} condition (see WithMap).
  Result<Statement> PrepareFor(MapKey map_id, std::string sql) {
    return cache_.Get(db_.get(), WithMap(std::move(sql), map_id));
  }
  Result<bool> MapExists(MapKey id);
  Result<std::vector<MapRecord>> ListMapRecords(std::string_view sql);
  Result<void> WriteNodes(MapKey id, const Map& map);
  // Finds the card's row id (see GetCard for map_id 0).
  Result<int64_t> CardUid(MapKey map_id, std::string_view id);
  Result<size_t> CountNewSince(MapKey map_id, int64_t since_ms);
  Result<size_t> CountOne(std::string_view sql, MapKey map_id,
                          std::optional<int64_t> extra = std::nullopt);

  SqliteDb db_;
  detail::StatementCache cache_;  // after db_: destroyed first
};

Result<void> SqliteStore::Configure(const SqliteOptions& options) {
  sqlite3_busy_timeout(db_.get(), options.busy_timeout_ms);
  sqlite3_extended_result_codes(db_.get(), 1);
  // A file that is not a database fails here, with SQLITE_NOTADB.
  if (auto ok = Exec(db_.get(), "PRAGMA journal_mode=WAL"); !ok) {
    return tl::unexpected(ok.error());
  }
  std::string pragmas =
      fmt::format("PRAGMA foreign_keys=ON; PRAGMA synchronous={};",
                  options.sync_full ? "FULL" : "NORMAL");
  return Exec(db_.get(), pragmas);
}

Result<void> SqliteStore::Migrate() {
  auto version_stmt = Prepare("PRAGMA user_version");
  if (!version_stmt) return tl::unexpected(version_stmt.error());
  auto row = version_stmt->Step();
  if (!row) return tl::unexpected(row.error());
  int version = static_cast<int>(version_stmt->Int(0));
  version_stmt->Reset();
  if (version > kSchemaVersion) {
    return BadInput(fmt::format(
        "database schema version {} is newer than this mindcards ({}); "
        "upgrade mindcards",
        version, kSchemaVersion));
  }
  if (version == 0) {
    // A fresh file must be empty; a foreign database is refused rather than
    // mixed with our tables.
    auto tables = Prepare("SELECT count(*) FROM sqlite_master");
    if (!tables) return tl::unexpected(tables.error());
    if (auto r = tables->Step(); !r) return tl::unexpected(r.error());
    if (tables->Int(0) != 0) {
      return BadInput("not a mindcards database (it has other tables)");
    }
  }
  for (int v = version; v < kSchemaVersion; ++v) {
    Transaction tx(db_.get());
    if (auto ok = tx.Begin(); !ok) return ok;
    if (auto ok = Exec(db_.get(), kMigrations[v]); !ok) return ok;
    if (auto ok = Exec(db_.get(), fmt::format("PRAGMA user_version={}", v + 1));
        !ok) {
      return ok;
    }
    if (auto ok = tx.Commit(); !ok) return ok;
  }
  return {};
}

Result<bool> SqliteStore::MapExists(MapKey id) {
  auto s = Prepare("SELECT 1 FROM maps WHERE id = ?");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, id);
  return s->Step();
}

Result<void> SqliteStore::WriteNodes(MapKey id, const Map& map) {
  auto del = Prepare("DELETE FROM nodes WHERE map_id = ?");
  if (!del) return tl::unexpected(del.error());
  del->Bind(1, id);
  if (auto ok = del->Run(); !ok) return ok;
  if (map.empty()) return {};
  auto ins = Prepare(
      "INSERT INTO nodes (map_id, node_id, parent_id, position, depth, text, "
      "note, folded) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!ins) return tl::unexpected(ins.error());
  // Sibling positions: a node's index is its previous sibling's plus one,
  // and pre-order visits the previous sibling first.
  std::unordered_map<NodeId, uint32_t> position;
  auto range = map.PreOrder();
  for (auto it = range.begin(); it != range.end(); ++it) {
    NodeId n = *it;
    const Node& node = map.node(n);
    uint32_t pos = 0;
    if (node.prev_sibling != kNoNode) pos = position[node.prev_sibling] + 1;
    position[n] = pos;
    ins->Bind(1, id).Bind(2, static_cast<int64_t>(n));
    if (node.parent == kNoNode) {
      ins->BindNull(3);
    } else {
      ins->Bind(3, static_cast<int64_t>(node.parent));
    }
    ins->Bind(4, static_cast<int64_t>(pos))
        .Bind(5, static_cast<int64_t>(it.depth()))
        .Bind(6, std::string_view(node.text))
        .Bind(7, std::string_view(node.note()))
        .Bind(8, static_cast<int64_t>(node.folded ? 1 : 0));
    if (auto ok = ins->Run(); !ok) return ok;
  }
  return {};
}

// Binds the map's text fields as parameters 1-5, in the column order of
// PutMap's UPDATE and INSERT.
Statement& BindMapFields(const MapRecord& map, Statement* s) {
  return s->Bind(1, std::string_view(map.name))
      .Bind(2, std::string_view(map.source_format))
      .Bind(3, std::string_view(map.source_key))
      .Bind(4, std::string_view(map.document))
      .Bind(5, std::string_view(map.document_format));
}

Result<MapKey> SqliteStore::PutMap(const MapRecord& map, const Map* nodes) {
  Transaction tx(db_.get());
  if (auto ok = tx.Begin(); !ok) return tl::unexpected(ok.error());
  MapKey id = map.id;
  if (id == 0 && !map.source_key.empty()) {
    auto s = Prepare("SELECT id FROM maps WHERE source_key = ?");
    if (!s) return tl::unexpected(s.error());
    s->Bind(1, std::string_view(map.source_key));
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    if (*row) id = s->Int(0);
  }
  if (id != 0) {
    auto exists = MapExists(id);
    if (!exists) return tl::unexpected(exists.error());
    if (!*exists) return NotFound(fmt::format("no map with id {}", id));
    auto s = Prepare(
        "UPDATE maps SET name = ?, source_format = ?, source_key = ?, "
        "document = ?, document_format = ?, updated_ms = ?, trashed_ms = 0 "
        "WHERE id = ?");
    if (!s) return tl::unexpected(s.error());
    BindMapFields(map, &*s).Bind(6, map.updated_ms).Bind(7, id);
    if (auto ok = s->Run(); !ok) return tl::unexpected(ok.error());
  } else {
    auto s = Prepare(
        "INSERT INTO maps (name, source_format, source_key, document, "
        "document_format, created_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, "
        "?)");
    if (!s) return tl::unexpected(s.error());
    BindMapFields(map, &*s).Bind(6, map.created_ms).Bind(7, map.updated_ms);
    if (auto ok = s->Run(); !ok) return tl::unexpected(ok.error());
    id = sqlite3_last_insert_rowid(db_.get());
  }
  if (nodes != nullptr) {
    if (auto ok = WriteNodes(id, *nodes); !ok)
      return tl::unexpected(ok.error());
  }
  if (auto ok = tx.Commit(); !ok) return tl::unexpected(ok.error());
  return id;
}

constexpr std::string_view kMapColumns =
    "id, name, source_format, source_key, document, document_format, "
    "created_ms, updated_ms, trashed_ms";

MapRecord ReadMapRecord(const Statement& s) {
  MapRecord m;
  m.id = s.Int(0);
  m.name = s.Text(1);
  m.source_format = s.Text(2);
  m.source_key = s.Text(3);
  m.document = s.Text(4);
  m.document_format = s.Text(5);
  m.created_ms = s.Int(6);
  m.updated_ms = s.Int(7);
  m.trashed_ms = s.Int(8);
  return m;
}

Result<MapRecord> SqliteStore::GetMap(MapKey id) {
  auto s =
      Prepare(fmt::format("SELECT {} FROM maps WHERE id = ?", kMapColumns));
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, id);
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return NotFound(fmt::format("no map with id {}", id));
  return ReadMapRecord(*s);
}

Result<std::optional<MapRecord>> SqliteStore::FindMapByKey(
    std::string_view key) {
  if (key.empty()) return std::optional<MapRecord>();
  auto s = Prepare(
      fmt::format("SELECT {} FROM maps WHERE source_key = ?", kMapColumns));
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, key);
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<MapRecord>();
  return std::optional<MapRecord>(ReadMapRecord(*s));
}

Result<std::vector<MapRecord>> SqliteStore::ListMaps() {
  return ListMapRecords(
      "SELECT id, name, source_format, source_key, '', document_format, "
      "created_ms, updated_ms, trashed_ms FROM maps WHERE trashed_ms = 0 "
      "ORDER BY id");
}

Result<std::vector<MapRecord>> SqliteStore::ListTrash() {
  return ListMapRecords(
      "SELECT id, name, source_format, source_key, '', document_format, "
      "created_ms, updated_ms, trashed_ms FROM maps WHERE trashed_ms <> 0 "
      "ORDER BY trashed_ms DESC, id DESC");
}

Result<std::vector<MapRecord>> SqliteStore::ListMapRecords(
    std::string_view sql) {
  auto s = Prepare(sql);
  if (!s) return tl::unexpected(s.error());
  std::vector<MapRecord> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(ReadMapRecord(*s));
  }
  return out;
}

Result<std::vector<StoredNode>> SqliteStore::GetNodes(MapKey id) {
  auto exists = MapExists(id);
  if (!exists) return tl::unexpected(exists.error());
  if (!*exists) return NotFound(fmt::format("no map with id {}", id));
  auto s = Prepare(
      "SELECT node_id, parent_id, position, depth, text, note, folded FROM "
      "nodes WHERE map_id = ? ORDER BY node_id");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, id);
  std::vector<StoredNode> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    StoredNode n;
    n.id = static_cast<NodeId>(s->Int(0));
    n.parent = s->IsNull(1) ? kNoNode : static_cast<NodeId>(s->Int(1));
    n.position = static_cast<uint32_t>(s->Int(2));
    n.depth = static_cast<uint32_t>(s->Int(3));
    n.text = s->Text(4);
    n.note = s->Text(5);
    n.folded = s->Int(6) != 0;
    out.push_back(std::move(n));
  }
  return out;
}

Result<void> SqliteStore::DeleteMap(MapKey id) {
  auto s = Prepare("DELETE FROM maps WHERE id = ?");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, id);
  if (auto ok = s->Run(); !ok) return ok;
  if (sqlite3_changes(db_.get()) == 0) {
    return NotFound(fmt::format("no map with id {}", id));
  }
  return {};
}

Result<void> SqliteStore::TrashMap(MapKey id, int64_t now_ms) {
  auto s =
      Prepare("UPDATE maps SET trashed_ms = ? WHERE id = ? AND trashed_ms = 0");
  if (!s) return tl::unexpected(s.error());
  // 0 means "not in the trash": a clock at the epoch still trashes.
  s->Bind(1, std::max<int64_t>(now_ms, 1)).Bind(2, id);
  if (auto ok = s->Run(); !ok) return ok;
  if (sqlite3_changes(db_.get()) == 0) {
    return NotFound(fmt::format("no map with id {} outside the trash", id));
  }
  return {};
}

Result<void> SqliteStore::RestoreMap(MapKey id) {
  auto s = Prepare(
      "UPDATE maps SET trashed_ms = 0 WHERE id = ? AND trashed_ms <> 0");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, id);
  if (auto ok = s->Run(); !ok) return ok;
  if (sqlite3_changes(db_.get()) == 0) {
    return NotFound(fmt::format("no map with id {} in the trash", id));
  }
  return {};
}

Result<SyncResult> SqliteStore::SyncCards(MapKey map_id,
                                          std::span<const StoredCard> cards) {
  Transaction tx(db_.get());
  if (auto ok = tx.Begin(); !ok) return tl::unexpected(ok.error());
  auto exists = MapExists(map_id);
  if (!exists) return tl::unexpected(exists.error());
  if (!*exists) return NotFound(fmt::format("no map with id {}", map_id));

  std::unordered_map<std::string, StoredCard> stored;
  {
    auto s = Prepare(
        fmt::format("SELECT {} FROM cards c WHERE c.map_id = ?", kCardColumns));
    if (!s) return tl::unexpected(s.error());
    s->Bind(1, map_id);
    for (;;) {
      auto row = s->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      StoredCard c = ReadCard(*s);
      std::string key = c.id;
      stored.emplace(std::move(key), std::move(c));
    }
  }
  auto insert = Prepare(
      "INSERT INTO cards (map_id, id, kind, front, back, context, node, "
      "choices, extra, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto update = Prepare(
      "UPDATE cards SET kind = ?, front = ?, back = ?, context = ?, node = ?, "
      "choices = ?, extra = ?, position = ?, retired = 0 WHERE map_id = ? AND "
      "id = ?");
  auto retire =
      Prepare("UPDATE cards SET retired = 1 WHERE map_id = ? AND id = ?");
  if (!insert) return tl::unexpected(insert.error());
  if (!update) return tl::unexpected(update.error());
  if (!retire) return tl::unexpected(retire.error());

  SyncResult result;
  std::unordered_set<std::string_view> seen;
  int64_t position = 0;
  for (const StoredCard& c : cards) {
    if (!seen.insert(c.id).second) continue;
    auto it = stored.find(c.id);
    std::string choices = ChoicesToJson(c.choices);
    if (it == stored.end()) {
      insert->Bind(1, map_id)
          .Bind(2, std::string_view(c.id))
          .Bind(3, std::string_view(c.kind))
          .Bind(4, std::string_view(c.front))
          .Bind(5, std::string_view(c.back))
          .Bind(6, std::string_view(c.context))
          .Bind(7, std::string_view(c.node))
          .Bind(8, std::string_view(choices))
          .Bind(9, std::string_view(c.extra_json))
          .Bind(10, position);
      if (auto ok = insert->Run(); !ok) return tl::unexpected(ok.error());
      ++result.added;
    } else {
      const StoredCard& old = it->second;
      bool same = SameContent(old, c);
      if (old.retired) {
        ++result.revived;
      } else if (same) {
        ++result.unchanged;
      } else {
        ++result.updated;
      }
      if (!same || old.retired || old.position != position) {
        update->Bind(1, std::string_view(c.kind))
            .Bind(2, std::string_view(c.front))
            .Bind(3, std::string_view(c.back))
            .Bind(4, std::string_view(c.context))
            .Bind(5, std::string_view(c.node))
            .Bind(6, std::string_view(choices))
            .Bind(7, std::string_view(c.extra_json))
            .Bind(8, position)
            .Bind(9, map_id)
            .Bind(10, std::string_view(c.id));
        if (auto ok = update->Run(); !ok) return tl::unexpected(ok.error());
      }
    }
    ++position;
  }
  for (const auto& [id, old] : stored) {
    if (old.retired || seen.count(id) != 0) continue;
    retire->Bind(1, map_id).Bind(2, std::string_view(id));
    if (auto ok = retire->Run(); !ok) return tl::unexpected(ok.error());
    ++result.retired;
  }
  if (auto ok = tx.Commit(); !ok) return tl::unexpected(ok.error());
  return result;
}

Result<int64_t> SqliteStore::CardUid(MapKey map_id, std::string_view id) {
  auto s =
      map_id != 0
          ? Prepare("SELECT uid FROM cards WHERE map_id = ? AND id = ?")
          : Prepare(fmt::format("SELECT uid FROM cards WHERE ? = 0 AND id = ? "
                                "AND map_id IN ({}) LIMIT 2",
                                kActiveMaps));
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, map_id).Bind(2, id);
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) {
    return NotFound(map_id != 0
                        ? fmt::format("no card '{}' in map {}", id, map_id)
                        : fmt::format("no card '{}'", id));
  }
  int64_t uid = s->Int(0);
  auto again = s->Step();
  if (!again) return tl::unexpected(again.error());
  if (*again) {
    return BadInput(
        fmt::format("card id '{}' is in several maps; give the map id", id));
  }
  return uid;
}

Result<StoredCard> SqliteStore::GetCard(MapKey map_id, std::string_view id) {
  auto uid = CardUid(map_id, id);
  if (!uid) return tl::unexpected(uid.error());
  auto s = Prepare(
      fmt::format("SELECT {} FROM cards c WHERE c.uid = ?", kCardColumns));
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, *uid);
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return NotFound(fmt::format("no card '{}'", id));
  return ReadCard(*s);
}

Result<std::vector<StoredCard>> SqliteStore::ListCards(MapKey map_id,
                                                       bool include_retired) {
  auto s = PrepareFor(
      map_id, fmt::format("SELECT {} FROM cards c WHERE {{map}} AND "
                          "(?2 OR c.retired = 0) ORDER BY c.map_id, c.position",
                          kCardColumns));
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, map_id).Bind(2, static_cast<int64_t>(include_retired ? 1 : 0));
  std::vector<StoredCard> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(ReadCard(*s));
  }
  return out;
}

Result<size_t> SqliteStore::CountOne(std::string_view sql, MapKey map_id,
                                     std::optional<int64_t> extra) {
  auto s = PrepareFor(map_id, std::string(sql));
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, map_id);
  if (extra) s->Bind(2, *extra);
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  return static_cast<size_t>(s->Int(0));
}

Result<size_t> SqliteStore::CountNewSince(MapKey map_id, int64_t since_ms) {
  return CountOne(
      "SELECT count(*) FROM cards WHERE {map} AND "
      "first_review_ms >= ?2",
      map_id, since_ms);
}

Result<std::vector<StoredCard>> SqliteStore::Queue(
    const QueueOptions& options) {
  std::vector<StoredCard> out;
  if (options.limit == 0) return out;
  int64_t limit =
      static_cast<int64_t>(std::min<size_t>(options.limit, INT32_MAX));
  std::string_view columns =
      options.content ? kCardColumns : kCardScheduleColumns;
  auto read = options.content ? ReadCard : ReadCardSchedule;
  auto due = PrepareFor(
      options.map_id,
      fmt::format(
          "SELECT {} FROM cards c WHERE {{map}} AND c.retired = "
          "0 AND c.state <> 0 AND c.due_ms <= ?2 ORDER BY c.due_ms, c.position "
          "LIMIT ?3",
          columns));
  if (!due) return tl::unexpected(due.error());
  due->Bind(1, options.map_id).Bind(2, options.now_ms).Bind(3, limit);
  for (;;) {
    auto row = due->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(read(*due));
  }
  int64_t day_start = options.day_start_ms != 0
                          ? options.day_start_ms
                          : FloorDiv(options.now_ms, kDayMs) * kDayMs;
  auto introduced = CountNewSince(options.map_id, day_start);
  if (!introduced) return tl::unexpected(introduced.error());
  size_t room_today =
      options.new_per_day > *introduced ? options.new_per_day - *introduced : 0;
  size_t room = std::min(room_today, options.limit - out.size());
  if (room == 0) return out;
  auto fresh = PrepareFor(
      options.map_id,
      fmt::format("SELECT {} FROM cards c WHERE {{map}} AND c.retired = "
                  "0 AND c.state = 0 ORDER BY c.map_id, c.position LIMIT ?2",
                  columns));
  if (!fresh) return tl::unexpected(fresh.error());
  fresh->Bind(1, options.map_id).Bind(2, static_cast<int64_t>(room));
  for (;;) {
    auto row = fresh->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    out.push_back(read(*fresh));
  }
  return out;
}

Result<int64_t> SqliteStore::RecordReview(const ReviewRecord& review) {
  if (review.rating < 1 || review.rating > 4) {
    return BadInput(
        fmt::format("rating must be 1 to 4, got {}", review.rating));
  }
  Transaction tx(db_.get());
  if (auto ok = tx.Begin(); !ok) return tl::unexpected(ok.error());
  auto uid = CardUid(review.map_id, review.card_id);
  if (!uid) return tl::unexpected(uid.error());
  auto ins = Prepare(fmt::format(
      "INSERT INTO reviews (card_uid, time_ms, rating, answer, grade, "
      "suggested_rating, duration_ms, b_state, b_due_ms, b_stability, "
      "b_difficulty, b_elapsed_days, b_scheduled_days, b_learning_steps, "
      "b_reps, b_lapses, b_last_review_ms, a_state, a_due_ms, a_stability, "
      "a_difficulty, a_elapsed_days, a_scheduled_days, a_learning_steps, "
      "a_reps, a_lapses, a_last_review_ms) VALUES ({})",
      fmt::join(std::vector<std::string>(27, "?"), ", ")));
  if (!ins) return tl::unexpected(ins.error());
  ins->Bind(1, *uid)
      .Bind(2, review.time_ms)
      .Bind(3, static_cast<int64_t>(review.rating))
      .Bind(4, std::string_view(review.answer))
      .Bind(5, review.grade)
      .Bind(6, static_cast<int64_t>(review.suggested_rating))
      .Bind(7, review.duration_ms);
  BindSchedule(*ins, 8, review.before);
  BindSchedule(*ins, 18, review.after);
  if (auto ok = ins->Run(); !ok) return tl::unexpected(ok.error());
  int64_t log_id = sqlite3_last_insert_rowid(db_.get());
  auto upd = Prepare(fmt::format(
      "UPDATE cards SET ({}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?), "
      "first_review_ms = coalesce(first_review_ms, ?) WHERE uid = ?",
      kScheduleColumns));
  if (!upd) return tl::unexpected(upd.error());
  BindSchedule(*upd, 1, review.after);
  upd->Bind(11, review.time_ms).Bind(12, *uid);
  if (auto ok = upd->Run(); !ok) return tl::unexpected(ok.error());
  if (auto ok = tx.Commit(); !ok) return tl::unexpected(ok.error());
  return log_id;
}

Result<std::vector<ReviewRecord>> SqliteStore::ListReviews(
    MapKey map_id, std::string_view card_id) {
  auto s = PrepareFor(
      map_id,
      "SELECT r.id, c.map_id, c.id, r.time_ms, r.rating, r.answer, r.grade, "
      "r.suggested_rating, r.duration_ms, b_state, b_due_ms, b_stability, "
      "b_difficulty, b_elapsed_days, b_scheduled_days, b_learning_steps, "
      "b_reps, b_lapses, b_last_review_ms, a_state, a_due_ms, a_stability, "
      "a_difficulty, a_elapsed_days, a_scheduled_days, a_learning_steps, "
      "a_reps, a_lapses, a_last_review_ms FROM reviews r JOIN cards c ON "
      "c.uid = r.card_uid WHERE {map} AND (?2 = '' OR "
      "c.id = ?2) ORDER BY r.time_ms, r.id");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, map_id).Bind(2, card_id);
  std::vector<ReviewRecord> out;
  for (;;) {
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    if (!*row) break;
    ReviewRecord r;
    r.id = s->Int(0);
    r.map_id = s->Int(1);
    r.card_id = s->Text(2);
    r.time_ms = s->Int(3);
    r.rating = static_cast<int32_t>(s->Int(4));
    r.answer = s->Text(5);
    r.grade = s->Real(6);
    r.suggested_rating = static_cast<int32_t>(s->Int(7));
    r.duration_ms = s->Int(8);
    r.before = ReadSchedule(*s, 9);
    r.after = ReadSchedule(*s, 19);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::optional<std::string>> SqliteStore::GetSetting(
    std::string_view key) {
  auto s = Prepare("SELECT value FROM settings WHERE key = ?");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, key);
  auto row = s->Step();
  if (!row) return tl::unexpected(row.error());
  if (!*row) return std::optional<std::string>();
  return std::optional<std::string>(s->Text(0));
}

Result<void> SqliteStore::PutSetting(std::string_view key,
                                     std::string_view value) {
  auto s = Prepare(
      "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
      "UPDATE SET value = excluded.value");
  if (!s) return tl::unexpected(s.error());
  s->Bind(1, key).Bind(2, value);
  return s->Run();
}

Result<StoreStats> SqliteStore::Stats(MapKey map_id, int64_t now_ms) {
  StoreStats st;
  {
    auto s = PrepareFor(map_id,
                        "SELECT sum(retired = 0), sum(retired = 1), "
                        "sum(retired = 0 AND state = 0), "
                        "sum(retired = 0 AND state IN (1, 3)), "
                        "sum(retired = 0 AND state = 2), "
                        "sum(retired = 0 AND state <> 0 AND due_ms <= ?2) "
                        "FROM cards WHERE {map}");
    if (!s) return tl::unexpected(s.error());
    s->Bind(1, map_id).Bind(2, now_ms);
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    st.cards = static_cast<size_t>(s->Int(0));
    st.retired = static_cast<size_t>(s->Int(1));
    st.new_cards = static_cast<size_t>(s->Int(2));
    st.learning = static_cast<size_t>(s->Int(3));
    st.review = static_cast<size_t>(s->Int(4));
    st.due_now = static_cast<size_t>(s->Int(5));
  }
  int64_t today = FloorDiv(now_ms, kDayMs);
  auto new_today = CountNewSince(map_id, today * kDayMs);
  if (!new_today) return tl::unexpected(new_today.error());
  st.new_today = *new_today;
  {
    auto s = PrepareFor(
        map_id,
        "SELECT count(*), sum(r.b_state = 2), sum(r.b_state = 2 AND r.rating "
        "> 1) FROM reviews r JOIN cards c ON c.uid = r.card_uid WHERE {map}");
    if (!s) return tl::unexpected(s.error());
    s->Bind(1, map_id);
    auto row = s->Step();
    if (!row) return tl::unexpected(row.error());
    st.reviews = static_cast<size_t>(s->Int(0));
    int64_t in_review = s->Int(1);
    if (in_review > 0) {
      st.retention =
          static_cast<double>(s->Int(2)) / static_cast<double>(in_review);
    }
  }
  {
    // Integer division rounds towards zero; times before 1970 do not occur.
    auto s = PrepareFor(
        map_id,
        "SELECT r.time_ms / 86400000 AS day, count(*) FROM reviews r JOIN "
        "cards c ON c.uid = r.card_uid WHERE {map} GROUP "
        "BY day ORDER BY day");
    if (!s) return tl::unexpected(s.error());
    s->Bind(1, map_id);
    for (;;) {
      auto row = s->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      st.reviews_per_day.push_back({s->Int(0), static_cast<size_t>(s->Int(1))});
    }
  }
  {
    st.due_forecast.resize(30);
    for (int i = 0; i < 30; ++i) st.due_forecast[i].day = today + i;
    auto s = PrepareFor(
        map_id,
        "SELECT max(?2, due_ms / 86400000) AS day, count(*) FROM cards WHERE "
        "{map} AND retired = 0 AND state <> 0 AND due_ms < "
        "?3 GROUP BY day");
    if (!s) return tl::unexpected(s.error());
    s->Bind(1, map_id).Bind(2, today).Bind(3, (today + 30) * kDayMs);
    for (;;) {
      auto row = s->Step();
      if (!row) return tl::unexpected(row.error());
      if (!*row) break;
      int64_t index = s->Int(0) - today;
      if (index >= 0 && index < 30) {
        st.due_forecast[static_cast<size_t>(index)].count +=
            static_cast<size_t>(s->Int(1));
      }
    }
  }
  return st;
}

}  // namespace

int SqliteSchemaVersion() { return kSchemaVersion; }

std::string DefaultStorePath() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg != nullptr && xdg[0] == '/') {
    return std::string(xdg) + "/mindcards/mindcards.db";
  }
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] != '\0') {
    return std::string(home) + "/.local/share/mindcards/mindcards.db";
  }
  return "";
}

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                               const SqliteOptions& options) {
  if (path.empty()) {
    return Fail(ErrorCode::kUsage, "no database path given");
  }
  if (options.create_directories && path != ":memory:") {
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec) {
      Error e{ErrorCode::kIo,
              fmt::format("cannot create folder {}: {}", parent.string(),
                          ec.message()),
              {},
              path};
      return tl::unexpected(e);
    }
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  SqliteDb db(raw);
  auto with_file = [&](Error e) {
    e.file = path;
    return tl::unexpected(std::move(e));
  };
  if (rc != SQLITE_OK) {
    return with_file(SqliteError(db.get(), "cannot open database").value());
  }
  auto store = std::make_unique<SqliteStore>(std::move(db));
  if (auto ok = store->Configure(options); !ok) {
    Error e = ok.error();
    if (e.message.find("not a database") != std::string::npos) {
      e.code = ErrorCode::kBadInput;
      e.message = "not a mindcards database (" + e.message + ")";
    }
    return with_file(std::move(e));
  }
  if (auto ok = store->Migrate(); !ok) return with_file(ok.error());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace mindcards
