// The HTTP face: routes are thin functions over the library (formats,
// layout, render, cards, FSRS, grading) and the Store. One mutex guards the
// in-memory maps and the store: every request is short, and SQLite
// serialises writers anyway. The FSRS optimizer alone fits outside it.
#include "mindcards/server.h"

#ifndef MINDCARDS_SERVER_UNAVAILABLE

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "mindcards/apkg.h"
#include "mindcards/cards.h"
#include "mindcards/facts.h"
#include "mindcards/formats.h"
#include "mindcards/fsrs.h"
#include "mindcards/fsrs_optimizer.h"
#include "mindcards/fsrs_settings.h"
#include "mindcards/grade.h"
#include "mindcards/layout.h"
#include "mindcards/render.h"
#include "mindcards/store.h"
#include "mindcards/study_store.h"
#include "mindcards/text.h"
#include "server/assets.h"
#include "server/http_guard.h"
#include "server/map_json.h"

namespace mindcards {

using nlohmann::json;

namespace {

constexpr size_t kUndoDepth = 100;
constexpr size_t kMaxNodeText = 100'000;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A failure of a request: HTTP status and a message for the client.
struct HttpError {
  int status = 400;
  std::string message;
};

template <typename T>
using HttpResult = tl::expected<T, HttpError>;

tl::unexpected<HttpError> Http(int status, std::string message) {
  return tl::unexpected(HttpError{status, std::move(message)});
}

// Maps a library error to a status: not found 404, bad input 400, the rest
// 500.
HttpError FromError(const Error& e) {
  int status = 500;
  switch (e.code) {
    case ErrorCode::kBadInput:
    case ErrorCode::kLimitExceeded:
    case ErrorCode::kUsage:
      status = e.code == ErrorCode::kLimitExceeded ? 413 : 400;
      break;
    case ErrorCode::kNotFound:
      status = 404;
      break;
    case ErrorCode::kIo:
    case ErrorCode::kInternal:
      status = 500;
      break;
  }
  return HttpError{status, e.ToString()};
}

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Sends an already serialized JSON body (moved, not copied).
void SendJsonText(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json");
}

void SendJson(httplib::Response& res, int status, const json& body) {
  SendJsonText(res, status, Dump(body));
}

void SendError(httplib::Response& res, const HttpError& e) {
  SendJson(res, e.status, json{{"error", e.message}});
}

// Parses a decimal id from a path capture or a query value.
std::optional<int64_t> ParseId(std::string_view s) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

HttpResult<json> ParseBody(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    return Http(400, "request body is not valid JSON");
  }
  if (!body.is_object()) return Http(400, "request body must be a JSON object");
  return body;
}

// Checks user-typed node text: valid UTF-8, bounded, NFC.
HttpResult<std::string> CleanText(const json& value, std::string_view field) {
  if (!value.is_string()) {
    return Http(400, fmt::format("'{}' must be a string", field));
  }
  const std::string& s = value.get_ref<const std::string&>();
  if (s.size() > kMaxNodeText) {
    return Http(
        413, fmt::format("'{}' is longer than {} bytes", field, kMaxNodeText));
  }
  if (auto ok = ValidateUtf8(s); !ok) {
    return Http(400, fmt::format("'{}': {}", field, ok.error().message));
  }
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 || c == '\n' || c == '\t') out.push_back(c);
  }
  return IsAscii(out) ? out : ToNfc(out);
}

HttpResult<NodeId> NodeField(const json& body, const char* field,
                             const Map& map, bool allow_missing) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) {
    if (allow_missing) return kNoNode;
    return Http(400, fmt::format("'{}' is required", field));
  }
  if (!it->is_number_unsigned()) {
    return Http(400, fmt::format("'{}' must be a node id", field));
  }
  uint64_t v = it->get<uint64_t>();
  if (v >= map.id_count() || !map.valid(static_cast<NodeId>(v))) {
    return Http(404, fmt::format("no node {} in this map", v));
  }
  return static_cast<NodeId>(v);
}

// The parts of a card's JSON that change only when its map's cards are
// regenerated.
json CardContentJson(const StoredCard& c) {
  Card card = FromStoredCard(c);
  return {{"id", c.id},          {"map", c.map_id},
          {"kind", c.kind},      {"front", c.front},
          {"back", c.back},      {"context", card.context.headings()},
          {"hint", card.hint},   {"node", c.node},
          {"choices", c.choices}};
}

// The card's content as the start of a JSON object: "{...", no closing
// brace, so that the scheduling fields can follow.
std::string CardContentFragment(const StoredCard& c) {
  std::string out = Dump(CardContentJson(c));
  out.pop_back();  // '}'
  return out;
}

// Appends the scheduling fields and closes the card's object.
void AppendSchedule(const StoredCard& c, std::string* out) {
  fmt::format_to(std::back_inserter(*out),
                 R"(,"state":"{}","due_ms":{},"reps":{},"lapses":{})",
                 fsrs::StateName(static_cast<fsrs::State>(c.schedule.state)),
                 c.schedule.due_ms, c.schedule.reps, c.schedule.lapses);
}

std::string DateOfDay(int64_t day) {
  using std::chrono::days;
  using std::chrono::sys_days;
  std::chrono::year_month_day ymd{sys_days{days{day}}};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

// A map not loaded into memory, as lists show it.
json MapRecordJson(const MapRecord& r) {
  return {{"id", r.id},
          {"name", r.name},
          {"source_format", r.source_format},
          {"created_ms", r.created_ms},
          {"updated_ms", r.updated_ms}};
}

// Characters a file name in Content-Disposition may keep.
std::string SafeFileName(std::string_view name) {
  std::string out;
  for (char c : name) {
    auto b = static_cast<unsigned char>(c);
    if (std::isalnum(b) || c == '-' || c == '_' || c == '.') {
      out.push_back(c);
    } else if (c == ' ' && !out.empty() && out.back() != '-') {
      out.push_back('-');
    }
    if (out.size() >= 60) break;
  }
  return out.empty() ? "map" : out;
}

}  // namespace

std::string DefaultDatabasePath() { return DefaultStorePath(); }

// One map being served: the Map (authoritative while the server runs) and
// its undo and redo stacks of whole snapshots.
struct MapEntry {
  MapRecord record;
  Map map;
  uint64_t version = 1;
  std::vector<Map> undo;
  std::vector<Map> redo;
};

class Server::Impl {
 public:
  explicit Impl(ServerOptions options) : options_(std::move(options)) {}

  Result<void> Open();
  Result<void> Bind();
  void Routes();

  ServerOptions options_;
  std::unique_ptr<Store> store_;
  fsrs::Scheduler scheduler_;
  StoredFsrsParameters params_;  // what scheduler_ was made from
  std::mutex mu_;
  std::map<MapKey, std::unique_ptr<MapEntry>> maps_;  // loaded on first use
  httplib::Server http_;
  int port_ = 0;
  std::atomic<bool> optimizing_{false};  // one optimize at a time
  std::atomic<bool> stopping_{false};    // Stop() interrupts an optimize

 private:
  // --- helpers; callers hold mu_.
  HttpResult<MapEntry*> Entry(MapKey id);
  HttpResult<MapKey> ImportBytes(std::string_view bytes,
                                 const std::string& format,
                                 const std::string& name,
                                 const std::string& source_key,
                                 std::vector<std::string>* warnings);
  // Writes the map's document and regenerates its cards.
  HttpResult<void> Save(MapEntry* entry);
  HttpResult<void> SyncCards(MapEntry* entry);
  json MapSummary(const MapEntry& e) const;
  HttpResult<MapKey> MapParam(const httplib::Request& req, bool required);
  // The card's content, serialized (CardContentFragment), cached per map
  // until the map's cards change: SyncCards, ImportBytes and DeleteMap drop
  // a map's entries. Reviews change only the schedule, which is not cached.
  // `c` may lack its content (QueueOptions::content false): then a miss
  // reads the card from the store.
  HttpResult<const std::string*> CardFragment(const StoredCard& c);
  std::unordered_map<MapKey, std::unordered_map<std::string, std::string>>
      card_json_;

  // --- routes
  // Runs `fn` under mu_ and sends its result.
  void Handle(const httplib::Request& req, httplib::Response& res,
              HttpResult<json> (Impl::*fn)(const httplib::Request&,
                                           httplib::Response&),
              int ok_status = 200);
  static void Respond(httplib::Response& res, const HttpResult<json>& out,
                      int ok_status);
  HttpResult<json> ListMaps(const httplib::Request&, httplib::Response&);
  // Scheduler parameters: personal (fitted) or the defaults.
  json FsrsSettingsJson() const;
  HttpResult<json> GetFsrs(const httplib::Request&, httplib::Response&);
  // Takes mu_ itself, only around its snapshot and its result.
  HttpResult<json> OptimizeFsrs();
  HttpResult<json> ResetFsrs(const httplib::Request&, httplib::Response&);
  HttpResult<json> PostMap(const httplib::Request&, httplib::Response&);
  HttpResult<json> GetMap(const httplib::Request&, httplib::Response&);
  // DELETE moves a map to the trash; restore brings it back (the undo of
  // a delete); the trash lists them and purges one for good.
  HttpResult<json> DeleteMap(const httplib::Request&, httplib::Response&);
  HttpResult<json> RestoreMap(const httplib::Request&, httplib::Response&);
  HttpResult<json> ListTrash(const httplib::Request&, httplib::Response&);
  HttpResult<json> PurgeMap(const httplib::Request&, httplib::Response&);
  HttpResult<json> AddNode(const httplib::Request&, httplib::Response&);
  HttpResult<json> EditNode(const httplib::Request&, httplib::Response&);
  HttpResult<json> DeleteNode(const httplib::Request&, httplib::Response&);
  HttpResult<json> Undo(const httplib::Request&, httplib::Response&);
  // Undo (redo false) or redo: swaps the map with the top snapshot.
  HttpResult<json> Step(const httplib::Request& req, bool redo);
  // The map and node of a /api/maps/{id}/nodes/{node} path.
  struct NodeTarget {
    MapEntry* entry;
    NodeId node;
  };
  HttpResult<NodeTarget> EntryAndNode(const httplib::Request& req);
  HttpResult<json> Redo(const httplib::Request&, httplib::Response&);
  HttpResult<json> Layout(const httplib::Request&, httplib::Response&);
  HttpResult<json> Render(const httplib::Request&, httplib::Response&);
  HttpResult<json> Cards(const httplib::Request&, httplib::Response&);
  HttpResult<json> Due(const httplib::Request&, httplib::Response&);
  // The "map" (optional) and "card_id" of a grade or review request.
  HttpResult<std::pair<MapKey, std::string>> CardRefOf(const json& body);
  HttpResult<json> Grade(const httplib::Request&, httplib::Response&);
  HttpResult<json> Review(const httplib::Request&, httplib::Response&);
  HttpResult<json> Reviews(const httplib::Request&, httplib::Response&);
  HttpResult<json> Export(const httplib::Request&, httplib::Response&);
  HttpResult<json> Stats(const httplib::Request&, httplib::Response&);
  HttpResult<json> Timeline(const httplib::Request&, httplib::Response&);

  // Applies `edit` to a copy of the map; on success the old map goes on the
  // undo stack and the result is saved.
  template <typename Fn>
  HttpResult<json> Edit(MapEntry* e, Fn&& edit);
  HttpResult<MapLayout> LayoutOf(const MapEntry& e,
                                 const httplib::Request& req);
};

Result<void> Server::Impl::Open() {
  std::string path =
      options_.db_path.empty() ? DefaultStorePath() : options_.db_path;
  if (path.empty()) {
    return Fail(ErrorCode::kUsage,
                "no database path: set HOME or XDG_DATA_HOME, or pass --db");
  }
  auto store = OpenSqliteStore(path);
  if (!store) {
    Error e = store.error();
    if (e.file.empty()) e.file = path;
    return tl::unexpected(e);
  }
  store_ = std::move(*store);
  params_ = LoadFsrsParameters(*store_);
  if (auto s = fsrs::Scheduler::Create(params_.parameters)) scheduler_ = *s;
  for (const std::string& file : options_.import_files) {
    std::FILE* f = std::fopen(file.c_str(), "rb");
    if (f == nullptr) {
      return tl::unexpected(
          Error{ErrorCode::kIo,
                fmt::format("cannot open: {}", std::strerror(errno)),
                {},
                file});
    }
    std::string bytes;
    char buf[1 << 16];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) bytes.append(buf, n);
    std::fclose(f);
    std::vector<std::string> warnings;
    char* real = realpath(file.c_str(), nullptr);
    std::string key = real != nullptr ? real : file;
    std::free(real);
    auto id = ImportBytes(bytes, "auto", file, "file:" + key, &warnings);
    if (!id) {
      Error e{id.error().status == 413 ? ErrorCode::kLimitExceeded
                                       : ErrorCode::kBadInput,
              id.error().message,
              {},
              {}};
      return tl::unexpected(e);
    }
  }
  return {};
}

HttpResult<MapEntry*> Server::Impl::Entry(MapKey id) {
  auto it = maps_.find(id);
  if (it != maps_.end()) return it->second.get();
  auto record = store_->GetMap(id);
  if (!record) {
    if (record.error().code == ErrorCode::kNotFound) {
      return Http(404, fmt::format("no map {}", id));
    }
    return tl::unexpected(FromError(record.error()));
  }
  if (record->trashed_ms != 0) {
    return Http(404, fmt::format("map {} is in the trash (POST "
                                 "/api/maps/{}/restore brings it back)",
                                 id, id));
  }
  ReadOptions ro;
  ro.format = record->document_format;
  auto map = ReadMap(record->document, ro);
  if (!map) {
    return Http(500, fmt::format("stored map {} cannot be read: {}", id,
                                 map.error().ToString()));
  }
  auto entry = std::make_unique<MapEntry>();
  entry->record = std::move(*record);
  entry->record.document.clear();
  entry->map = std::move(*map);
  MapEntry* e = entry.get();
  maps_[id] = std::move(entry);
  return e;
}

HttpResult<const std::string*> Server::Impl::CardFragment(const StoredCard& c) {
  auto& cache = card_json_[c.map_id];
  auto it = cache.find(c.id);
  if (it != cache.end()) return &it->second;
  std::string fragment;
  if (!c.kind.empty()) {
    fragment = CardContentFragment(c);
  } else {
    auto full = store_->GetCard(c.map_id, c.id);
    if (!full) return tl::unexpected(FromError(full.error()));
    fragment = CardContentFragment(*full);
  }
  return &cache.emplace(c.id, std::move(fragment)).first->second;
}

HttpResult<void> Server::Impl::SyncCards(MapEntry* e) {
  card_json_.erase(e->record.id);
  std::vector<Card> cards = GenerateCards(e->map, CardOptions{});
  std::vector<StoredCard> stored;
  stored.reserve(cards.size());
  for (const Card& c : cards) stored.push_back(ToStoredCard(c));
  auto r = store_->SyncCards(e->record.id, stored);
  if (!r) return tl::unexpected(FromError(r.error()));
  return {};
}

HttpResult<void> Server::Impl::Save(MapEntry* e) {
  // Stored as mindcards JSON (keeps notes, folds, links), as ImportMap does.
  const std::string format = "json";
  auto doc = WriteMap(e->map, format);
  if (!doc) return tl::unexpected(FromError(doc.error()));
  MapRecord record = e->record;
  record.document = std::move(*doc);
  record.document_format = format;
  record.updated_ms = NowMs();
  auto id = store_->PutMap(record, &e->map);
  if (!id) return tl::unexpected(FromError(id.error()));
  e->record.id = *id;
  e->record.updated_ms = record.updated_ms;
  e->record.document_format = format;
  return SyncCards(e);
}

HttpResult<MapKey> Server::Impl::ImportBytes(
    std::string_view bytes, const std::string& format, const std::string& name,
    const std::string& source_key, std::vector<std::string>* warnings) {
  ReadOptions ro;
  ro.format = format;
  ro.filename = name;
  Diagnostics diagnostics;
  auto map = ReadMap(bytes, ro, &diagnostics);
  if (!map) {
    Error e = map.error();
    if (e.file.empty()) e.file = name.empty() ? "input" : name;
    return tl::unexpected(FromError(e));
  }
  for (const Diagnostic& d : diagnostics.items()) {
    Error w{ErrorCode::kBadInput, d.message, d.pos, name};
    warnings->push_back(w.ToString());
  }
  if (map->empty()) return Http(400, "the map has no nodes");
  ImportRequest request;
  // A file given on the command line is named by its map; an upload by the
  // name the client gave.
  if (source_key.empty()) request.name = name.substr(0, 200);
  request.source_key = source_key;
  request.now_ms = NowMs();
  auto imported = ImportMap(*store_, *map, request);
  if (!imported) return tl::unexpected(FromError(imported.error()));
  // Keep the map as read: the stored JSON document does not carry the
  // readers' join/parent confidences the page marks for checking.
  auto record = store_->GetMap(imported->map_id);
  if (!record) return tl::unexpected(FromError(record.error()));
  auto entry = std::make_unique<MapEntry>();
  entry->record = std::move(*record);
  entry->record.document.clear();
  entry->map = std::move(*map);
  maps_[imported->map_id] = std::move(entry);
  card_json_.erase(imported->map_id);
  return imported->map_id;
}

json Server::Impl::MapSummary(const MapEntry& e) const {
  return {{"id", e.record.id},
          {"name", e.record.name},
          {"source_format", e.record.source_format},
          {"nodes", e.map.size()},
          {"version", e.version},
          {"can_undo", !e.undo.empty()},
          {"can_redo", !e.redo.empty()},
          {"created_ms", e.record.created_ms},
          {"updated_ms", e.record.updated_ms}};
}

HttpResult<MapKey> Server::Impl::MapParam(const httplib::Request& req,
                                          bool required) {
  if (!req.has_param("map")) {
    if (required) return Http(400, "the 'map' parameter is required");
    return MapKey{0};
  }
  auto id = ParseId(req.get_param_value("map"));
  if (!id) return Http(400, "'map' must be a map id");
  if (*id != 0) {
    if (auto e = Entry(*id); !e) return tl::unexpected(e.error());
  }
  return *id;
}

void Server::Impl::Handle(const httplib::Request& req, httplib::Response& res,
                          HttpResult<json> (Impl::*fn)(const httplib::Request&,
                                                       httplib::Response&),
                          int ok_status) {
  std::lock_guard<std::mutex> lock(mu_);
  Respond(res, (this->*fn)(req, res), ok_status);
}

void Server::Impl::Respond(httplib::Response& res, const HttpResult<json>& out,
                           int ok_status) {
  if (!out) {
    SendError(res, out.error());
  } else if (!out->is_null()) {
    SendJson(res, ok_status, *out);
  }
}

HttpResult<json> Server::Impl::ListMaps(const httplib::Request&,
                                        httplib::Response&) {
  auto list = store_->ListMaps();
  if (!list) return tl::unexpected(FromError(list.error()));
  json maps = json::array();
  for (const MapRecord& r : *list) {
    auto it = maps_.find(r.id);
    maps.push_back(it != maps_.end() ? MapSummary(*it->second)
                                     : MapRecordJson(r));
  }
  return json{{"maps", maps}};
}

HttpResult<json> Server::Impl::PostMap(const httplib::Request& req,
                                       httplib::Response&) {
  std::string format =
      req.has_param("format") ? req.get_param_value("format") : "auto";
  std::string name = req.has_param("name") ? req.get_param_value("name") : "";
  if (format != "auto" && FindFormat(format) == nullptr) {
    return Http(400, fmt::format("unknown format '{}'", format));
  }
  if (req.body.empty())
    return Http(400, "the request body is empty: send the map file's bytes");
  std::vector<std::string> warnings;
  auto id = ImportBytes(req.body, format, name, "", &warnings);
  if (!id) return tl::unexpected(id.error());
  auto e = Entry(*id);
  if (!e) return tl::unexpected(e.error());
  json out = MapSummary(**e);
  out["warnings"] = warnings;
  return out;
}

HttpResult<json> Server::Impl::GetMap(const httplib::Request& req,
                                      httplib::Response&) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  json out = MapSummary(**e);
  out.update(detail::MapToJson((*e)->map));
  return out;
}

HttpResult<json> Server::Impl::DeleteMap(const httplib::Request& req,
                                         httplib::Response&) {
  MapKey id = *ParseId(req.matches[1].str());
  // Only a map being served can be trashed (a trashed one is a 404 here).
  if (auto e = Entry(id); !e) return tl::unexpected(e.error());
  auto ok = store_->TrashMap(id, NowMs());
  if (!ok) return tl::unexpected(FromError(ok.error()));
  maps_.erase(id);
  card_json_.erase(id);
  return json{{"deleted", id}, {"trash", true}};
}

HttpResult<json> Server::Impl::RestoreMap(const httplib::Request& req,
                                          httplib::Response&) {
  MapKey id = *ParseId(req.matches[1].str());
  auto ok = store_->RestoreMap(id);
  if (!ok) return tl::unexpected(FromError(ok.error()));
  auto e = Entry(id);
  if (!e) return tl::unexpected(e.error());
  return MapSummary(**e);
}

HttpResult<json> Server::Impl::ListTrash(const httplib::Request&,
                                         httplib::Response&) {
  auto list = store_->ListTrash();
  if (!list) return tl::unexpected(FromError(list.error()));
  json maps = json::array();
  for (const MapRecord& r : *list) {
    json m = MapRecordJson(r);
    m["trashed_ms"] = r.trashed_ms;
    maps.push_back(std::move(m));
  }
  return json{{"maps", std::move(maps)}};
}

HttpResult<json> Server::Impl::PurgeMap(const httplib::Request& req,
                                        httplib::Response&) {
  MapKey id = *ParseId(req.matches[1].str());
  auto record = store_->GetMap(id);
  if (!record) return tl::unexpected(FromError(record.error()));
  if (record->trashed_ms == 0) {
    return Http(409, fmt::format("map {} is not in the trash; DELETE "
                                 "/api/maps/{} moves it there first",
                                 id, id));
  }
  auto ok = store_->DeleteMap(id);
  if (!ok) return tl::unexpected(FromError(ok.error()));
  return json{{"purged", id}};
}

template <typename Fn>
HttpResult<json> Server::Impl::Edit(MapEntry* e, Fn&& edit) {
  Map before = e->map;
  HttpResult<json> out = edit(e->map);
  if (!out) {
    e->map = std::move(before);
    return out;
  }
  e->undo.push_back(std::move(before));
  if (e->undo.size() > kUndoDepth) e->undo.erase(e->undo.begin());
  e->redo.clear();
  ++e->version;
  if (auto ok = Save(e); !ok) return tl::unexpected(ok.error());
  json result = MapSummary(*e);
  result.update(*out);
  return result;
}

HttpResult<json> Server::Impl::AddNode(const httplib::Request& req,
                                       httplib::Response&) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  auto body = ParseBody(req);
  if (!body) return tl::unexpected(body.error());
  auto parent = NodeField(*body, "parent", (*e)->map, false);
  if (!parent) return tl::unexpected(parent.error());
  auto before = NodeField(*body, "before", (*e)->map, true);
  if (!before) return tl::unexpected(before.error());
  if (*before != kNoNode && (*e)->map.node(*before).parent != *parent) {
    return Http(400, "'before' must be a child of 'parent'");
  }
  std::string text;
  if (body->contains("text")) {
    auto t = CleanText((*body)["text"], "text");
    if (!t) return tl::unexpected(t.error());
    text = std::move(*t);
  }
  return Edit(*e, [&](Map& map) -> HttpResult<json> {
    NodeId id = map.InsertChild(*parent, *before, text);
    return json{{"node", id}};
  });
}

HttpResult<json> Server::Impl::EditNode(const httplib::Request& req,
                                        httplib::Response&) {
  auto target = EntryAndNode(req);
  if (!target) return tl::unexpected(target.error());
  MapEntry* e = target->entry;
  NodeId node = target->node;
  Map& current = e->map;
  auto body = ParseBody(req);
  if (!body) return tl::unexpected(body.error());
  static constexpr std::string_view kKnown[] = {"text", "note", "folded",
                                                "parent", "before"};
  for (auto& [key, value] : body->items()) {
    if (std::find(std::begin(kKnown), std::end(kKnown), key) ==
        std::end(kKnown)) {
      return Http(400, fmt::format("unknown field '{}'", key));
    }
  }
  std::optional<std::string> text, note;
  if (body->contains("text")) {
    auto t = CleanText((*body)["text"], "text");
    if (!t) return tl::unexpected(t.error());
    text = std::move(*t);
  }
  if (body->contains("note")) {
    auto t = CleanText((*body)["note"], "note");
    if (!t) return tl::unexpected(t.error());
    note = std::move(*t);
  }
  std::optional<bool> folded;
  if (body->contains("folded")) {
    if (!(*body)["folded"].is_boolean()) {
      return Http(400, "'folded' must be true or false");
    }
    folded = (*body)["folded"].get<bool>();
  }
  NodeId parent = kNoNode, before = kNoNode;
  bool move = body->contains("parent");
  if (move) {
    auto p = NodeField(*body, "parent", current, false);
    if (!p) return tl::unexpected(p.error());
    auto b = NodeField(*body, "before", current, true);
    if (!b) return tl::unexpected(b.error());
    if (*b != kNoNode && current.node(*b).parent != *p) {
      return Http(400, "'before' must be a child of 'parent'");
    }
    if (*b == node) return Http(400, "a node cannot move before itself");
    parent = *p;
    before = *b;
  } else if (body->contains("before")) {
    return Http(400, "'before' needs 'parent'");
  }
  if (!text && !note && !folded && !move) {
    return Http(400, "nothing to change: give text, note, folded or parent");
  }
  return Edit(e, [&](Map& map) -> HttpResult<json> {
    Node& n = map.node(node);
    if (text) n.text = *text;
    if (note) n.set_note(*note);
    if (folded) n.folded = *folded;
    if (text || move) {
      // The student has looked at it: no longer uncertain.
      if (text) n.join_confidence = 1.0f;
      if (move) n.parent_confidence = 1.0f;
    }
    if (move) {
      auto ok = map.Move(node, parent, before);
      if (!ok) return Http(400, ok.error().message);
    }
    return json{{"node", node}};
  });
}

HttpResult<json> Server::Impl::DeleteNode(const httplib::Request& req,
                                          httplib::Response&) {
  auto target = EntryAndNode(req);
  if (!target) return tl::unexpected(target.error());
  MapEntry* e = target->entry;
  NodeId node = target->node;
  Map& current = e->map;
  if (node == current.root()) {
    return Http(400, "the root cannot be deleted; delete the map instead");
  }
  return Edit(e, [&](Map& map) -> HttpResult<json> {
    map.Remove(node);
    return json{{"node", node}};
  });
}

HttpResult<json> Server::Impl::Undo(const httplib::Request& req,
                                    httplib::Response&) {
  return Step(req, false);
}

HttpResult<json> Server::Impl::Redo(const httplib::Request& req,
                                    httplib::Response&) {
  return Step(req, true);
}

HttpResult<json> Server::Impl::Step(const httplib::Request& req, bool redo) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  MapEntry* m = *e;
  std::vector<Map>& from = redo ? m->redo : m->undo;
  std::vector<Map>& to = redo ? m->undo : m->redo;
  if (from.empty())
    return Http(409, redo ? "nothing to redo" : "nothing to undo");
  to.push_back(std::move(m->map));
  m->map = std::move(from.back());
  from.pop_back();
  ++m->version;
  if (auto ok = Save(m); !ok) return tl::unexpected(ok.error());
  return MapSummary(*m);
}

HttpResult<Server::Impl::NodeTarget> Server::Impl::EntryAndNode(
    const httplib::Request& req) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  auto id = ParseId(req.matches[2].str());
  const Map& map = (*e)->map;
  if (!id || *id >= static_cast<int64_t>(map.id_count()) ||
      !map.valid(static_cast<NodeId>(*id))) {
    return Http(404,
                fmt::format("no node {} in this map", req.matches[2].str()));
  }
  return NodeTarget{*e, static_cast<NodeId>(*id)};
}

HttpResult<MapLayout> Server::Impl::LayoutOf(const MapEntry& e,
                                             const httplib::Request& req) {
  LayoutOptions lo;
  if (req.has_param("layout")) {
    auto kind = ParseLayoutKind(req.get_param_value("layout"));
    if (!kind) return tl::unexpected(FromError(kind.error()));
    lo.kind = *kind;
  }
  if (req.has_param("max_width")) {
    auto w = ParseId(req.get_param_value("max_width"));
    if (!w || *w > 5000) return Http(400, "'max_width' must be 0..5000");
    lo.max_width = static_cast<double>(*w);
  }
  auto layout = LayoutMap(e.map, lo);
  if (!layout) return tl::unexpected(FromError(layout.error()));
  return std::move(*layout);
}

HttpResult<json> Server::Impl::Layout(const httplib::Request& req,
                                      httplib::Response&) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  auto layout = LayoutOf(**e, req);
  if (!layout) return tl::unexpected(layout.error());
  const Map& map = (*e)->map;
  json boxes = json::array();
  for (NodeId id : map.PreOrder()) {
    const NodeBox& b = layout->boxes[id];
    if (!b.visible) continue;
    json lines = json::array();
    for (uint32_t i = 0; i < b.line_count; ++i) {
      lines.push_back(LineText(map, *layout, id, i));
    }
    const Node& n = map.node(id);
    boxes.push_back(
        {{"id", id},
         {"parent", n.parent == kNoNode ? json(nullptr) : json(n.parent)},
         {"x", b.x},
         {"y", b.y},
         {"w", b.width},
         {"h", b.height},
         {"depth", b.depth},
         {"branch", b.branch},
         {"side", b.side},
         {"folded", b.folded_children},
         {"lines", std::move(lines)}});
  }
  return json{{"layout", LayoutName(layout->kind)},
              {"version", (*e)->version},
              {"min_x", layout->min_x},
              {"min_y", layout->min_y},
              {"max_x", layout->max_x},
              {"max_y", layout->max_y},
              {"font_size", layout->font_size},
              {"line_height", layout->line_height},
              {"padding_x", layout->padding_x},
              {"padding_y", layout->padding_y},
              {"boxes", std::move(boxes)}};
}

HttpResult<json> Server::Impl::Render(const httplib::Request& req,
                                      httplib::Response& res) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  auto layout = LayoutOf(**e, req);
  if (!layout) return tl::unexpected(layout.error());
  RenderOptions ro;
  if (req.has_param("theme")) {
    auto theme = ParseTheme(req.get_param_value("theme"));
    if (!theme) return tl::unexpected(FromError(theme.error()));
    ro.theme = *theme;
  }
  auto svg = RenderSvg((*e)->map, *layout, ro);
  if (!svg) return tl::unexpected(FromError(svg.error()));
  res.status = 200;
  res.set_content(std::move(*svg), "image/svg+xml");
  return json(nullptr);
}

HttpResult<json> Server::Impl::Cards(const httplib::Request& req,
                                     httplib::Response& res) {
  MapKey id = *ParseId(req.matches[1].str());
  if (auto e = Entry(id); !e) return tl::unexpected(e.error());
  auto cards = store_->ListCards(id, false);
  if (!cards) return tl::unexpected(FromError(cards.error()));
  std::string body = R"({"cards":[)";
  for (const StoredCard& c : *cards) {
    auto fragment = CardFragment(c);
    if (!fragment) return tl::unexpected(fragment.error());
    if (&c != cards->data()) body += ',';
    body += **fragment;
    AppendSchedule(c, &body);
    body += '}';
  }
  body += "]}";
  SendJsonText(res, 200, std::move(body));
  return json(nullptr);
}

HttpResult<json> Server::Impl::Due(const httplib::Request& req,
                                   httplib::Response& res) {
  auto map = MapParam(req, false);
  if (!map) return tl::unexpected(map.error());
  QueueOptions qo;
  qo.map_id = *map;
  qo.now_ms = NowMs();
  if (req.has_param("limit")) {
    auto limit = ParseId(req.get_param_value("limit"));
    if (!limit || *limit < 1 || *limit > 1000) {
      return Http(400, "'limit' must be a number from 1 to 1000");
    }
    qo.limit = static_cast<size_t>(*limit);
  }
  if (req.has_param("new")) {
    auto n = ParseId(req.get_param_value("new"));
    if (!n || *n > 100000) return Http(400, "'new' must be 0..100000");
    qo.new_per_day = static_cast<size_t>(*n);
  }
  qo.content = false;  // the content comes from card_json_
  auto queue = store_->Queue(qo);
  if (!queue) return tl::unexpected(FromError(queue.error()));
  // Written straight into the body: building a json tree per request cost
  // more than the query (docs/benchmarks.md, Web server).
  std::string body;
  body.reserve(1024 + 600 * queue->size());
  fmt::format_to(std::back_inserter(body), R"({{"now_ms":{},"cards":[)",
                 qo.now_ms);
  for (const StoredCard& c : *queue) {
    auto fragment = CardFragment(c);
    if (!fragment) return tl::unexpected(fragment.error());
    if (&c != queue->data()) body += ',';
    body += **fragment;
    AppendSchedule(c, &body);
    auto outcomes =
        scheduler_.Preview(FromSchedule(c.schedule, qo.now_ms), qo.now_ms);
    if (outcomes) {
      // FormatInterval gives plain ASCII ("10m", "3.5mo"): nothing to escape.
      char sep = '[';
      body += R"(,"intervals":)";
      for (const fsrs::Card& o : outcomes->cards) {
        body += sep;
        body += '"';
        body += fsrs::FormatInterval(qo.now_ms, o.due_ms);
        body += '"';
        sep = ',';
      }
      body += ']';
    }
    body += '}';
  }
  body += "]}";
  SendJsonText(res, 200, std::move(body));
  return json(nullptr);
}

namespace {
// The "map" (optional) and "card_id" of a grade or review request.
HttpResult<std::pair<MapKey, std::string>> ParseCardRef(const json& body) {
  auto id = body.find("card_id");
  if (id == body.end() || !id->is_string()) {
    return Http(400, "'card_id' (a string) is required");
  }
  MapKey map_id = 0;
  if (auto map = body.find("map"); map != body.end()) {
    if (!map->is_number_unsigned()) return Http(400, "'map' must be a map id");
    map_id = map->get<MapKey>();
  }
  return std::pair<MapKey, std::string>(map_id, id->get<std::string>());
}

}  // namespace

HttpResult<std::pair<MapKey, std::string>> Server::Impl::CardRefOf(
    const json& body) {
  auto ref = ParseCardRef(body);
  if (!ref) return ref;
  // A map in the trash is not studied (with map 0 the store skips it).
  if (ref->first != 0) {
    if (auto e = Entry(ref->first); !e) return tl::unexpected(e.error());
  }
  return ref;
}

namespace {
json GradeJson(const mindcards::Grade& g) {
  return {{"score", g.score},
          {"correct", g.correct},
          {"how", MatchKindName(g.how)},
          {"suggested_rating", g.suggested_rating},
          {"missed", g.missed},
          {"extra", g.extra},
          {"feedback", g.feedback}};
}
}  // namespace

HttpResult<json> Server::Impl::Grade(const httplib::Request& req,
                                     httplib::Response&) {
  auto body = ParseBody(req);
  if (!body) return tl::unexpected(body.error());
  auto ref = CardRefOf(*body);
  if (!ref) return tl::unexpected(ref.error());
  auto [map_id, card_id] = *ref;
  auto answer = CleanText(body->value("answer", json("")), "answer");
  if (!answer) return tl::unexpected(answer.error());
  auto card = store_->GetCard(map_id, card_id);
  if (!card) return tl::unexpected(FromError(card.error()));
  json out = GradeJson(GradeCard(*answer, FromStoredCard(*card), -1));
  out["back"] = card->back;
  return out;
}

HttpResult<json> Server::Impl::Review(const httplib::Request& req,
                                      httplib::Response&) {
  auto body = ParseBody(req);
  if (!body) return tl::unexpected(body.error());
  auto ref = CardRefOf(*body);
  if (!ref) return tl::unexpected(ref.error());
  auto [map_id, card_id] = *ref;
  if (!body->contains("rating") || !(*body)["rating"].is_number_integer()) {
    return Http(400, "'rating' (1 Again, 2 Hard, 3 Good, 4 Easy) is required");
  }
  int rating_value = (*body)["rating"].get<int>();
  auto rating = fsrs::RatingFromInt(rating_value);
  if (!rating) {
    return Http(400, fmt::format("'rating' must be 1, 2, 3 or 4, not {}",
                                 rating_value));
  }
  std::string answer;
  if (body->contains("answer") && !(*body)["answer"].is_null()) {
    auto a = CleanText((*body)["answer"], "answer");
    if (!a) return tl::unexpected(a.error());
    answer = std::move(*a);
  }
  int64_t duration = 0;
  if (body->contains("duration_ms")) {
    if (!(*body)["duration_ms"].is_number_unsigned()) {
      return Http(400, "'duration_ms' must be a non-negative integer");
    }
    duration = (*body)["duration_ms"].get<int64_t>();
  }
  ReviewRequest rr;
  rr.map_id = map_id;
  rr.card_id = card_id;
  rr.rating = rating_value;
  rr.answer = std::move(answer);
  rr.now_ms = NowMs();
  rr.response_ms = duration > 0 ? duration : -1;
  auto done = ReviewCard(*store_, scheduler_, rr);
  if (!done) return tl::unexpected(FromError(done.error()));
  json out;
  out["grade"] = done->grade.how == MatchKind::kEmpty ? json(nullptr)
                                                      : GradeJson(done->grade);
  out["review_id"] = done->log_id;
  out["card_id"] = rr.card_id;
  out["rating"] = done->rating;
  out["state"] = fsrs::StateName(done->after.state);
  out["due_ms"] = done->after.due_ms;
  out["interval"] = fsrs::FormatInterval(rr.now_ms, done->after.due_ms);
  return out;
}

HttpResult<json> Server::Impl::Reviews(const httplib::Request& req,
                                       httplib::Response&) {
  auto map = MapParam(req, false);
  if (!map) return tl::unexpected(map.error());
  std::string card = req.has_param("card") ? req.get_param_value("card") : "";
  auto list = store_->ListReviews(*map, card);
  if (!list) return tl::unexpected(FromError(list.error()));
  json out = json::array();
  for (const ReviewRecord& r : *list) {
    out.push_back({{"id", r.id},
                   {"map", r.map_id},
                   {"card_id", r.card_id},
                   {"time_ms", r.time_ms},
                   {"rating", r.rating},
                   {"answer", r.answer},
                   {"grade", r.grade < 0 ? json(nullptr) : json(r.grade)},
                   {"due_ms", r.after.due_ms}});
  }
  return json{{"reviews", std::move(out)}};
}

HttpResult<json> Server::Impl::Export(const httplib::Request& req,
                                      httplib::Response& res) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  if (!req.has_param("format")) {
    return Http(400,
                "the 'format' parameter is required (apkg, md, opml, mm, "
                "json, outline, svg, png, pdf)");
  }
  std::string format = req.get_param_value("format");
  const Map& map = (*e)->map;
  std::string base = SafeFileName((*e)->record.name);
  std::string body, type = "application/octet-stream", ext = format;
  if (format == "svg" || format == "png" || format == "pdf") {
    auto layout = LayoutOf(**e, req);
    if (!layout) return tl::unexpected(layout.error());
    RenderOptions ro;
    Result<std::string> out = format == "svg"   ? RenderSvg(map, *layout, ro)
                              : format == "png" ? RenderPng(map, *layout, ro)
                                                : RenderPdf(map, *layout, ro);
    if (!out) return tl::unexpected(FromError(out.error()));
    body = std::move(*out);
    type = format == "svg"   ? "image/svg+xml"
           : format == "png" ? "image/png"
                             : "application/pdf";
  } else if (format == "apkg") {
    auto out = WriteApkg(GenerateCards(map, CardOptions{}), (*e)->record.name);
    if (!out) return tl::unexpected(FromError(out.error()));
    body = std::move(*out);
    type = "application/vnd.anki";
  } else {
    std::string name = format == "md" ? "markdown" : format;
    const FormatSpec* spec = FindFormat(name);
    if (spec == nullptr || spec->write == nullptr) {
      spec = FindFormat(format);
    }
    if (spec == nullptr || spec->write == nullptr) {
      return Http(400, fmt::format("cannot export to '{}': use apkg, md, "
                                   "opml, mm, json, outline, svg, png or pdf",
                                   format));
    }
    auto out = WriteMap(map, spec->name);
    if (!out) return tl::unexpected(FromError(out.error()));
    body = std::move(*out);
    type = format == "json"                     ? "application/json"
           : format == "opml" || format == "mm" ? "application/xml"
                                                : "text/plain; charset=utf-8";
    if (format == "outline") ext = "txt";
  }
  res.status = 200;
  res.set_header("Content-Disposition",
                 fmt::format("attachment; filename=\"{}.{}\"", base, ext));
  res.set_content(std::move(body), type);
  return json(nullptr);
}

json Server::Impl::FsrsSettingsJson() const {
  json out;
  out["personal"] = params_.personal;
  out["description"] = DescribeFsrsParameters(params_);
  out["parameters"] = json::parse(fsrs::ParametersToJson(params_.parameters));
  out["default_w"] = fsrs::kDefaultWeights;
  out["fit"] = params_.fit ? json::parse(FsrsFitSummaryToJson(*params_.fit))
                           : json(nullptr);
  if (!params_.warning.empty()) out["warning"] = params_.warning;
  return out;
}

HttpResult<json> Server::Impl::GetFsrs(const httplib::Request&,
                                       httplib::Response&) {
  return FsrsSettingsJson();
}

// Fits the weights to every review in the store. A fit of a large log takes
// seconds, so only the snapshot of the reviews and the storing of the result
// hold mu_; the page keeps working meanwhile, on the parameters in use until
// the new ones are stored. Reviews recorded during the fit count next time.
HttpResult<json> Server::Impl::OptimizeFsrs() {
  if (optimizing_.exchange(true)) {
    return Http(409,
                "the scheduler's parameters are being optimized already; "
                "try again when that has finished");
  }
  struct Done {
    std::atomic<bool>* flag;
    ~Done() { flag->store(false); }
  } done{&optimizing_};
  std::vector<fsrs::ReviewRecord> reviews;
  fsrs::OptimizerOptions options;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto snapshot = FsrsReviewsFromStore(*store_);
    if (!snapshot) return tl::unexpected(FromError(snapshot.error()));
    reviews = std::move(*snapshot);
    options.enable_short_term = params_.parameters.enable_short_term;
    options.num_relearning_steps =
        std::max<size_t>(1, params_.parameters.relearning_steps.size());
  }
  options.progress = [this](size_t, size_t) { return !stopping_.load(); };
  if (options_.optimize_hook) options_.optimize_hook();
  auto fit = fsrs::Optimize(reviews, options);
  if (!fit) return tl::unexpected(FromError(fit.error()));
  if (!fit->trained) {
    return Http(422, fmt::format("not enough reviews to fit personal "
                                 "parameters ({} reviews of {} cards): {}",
                                 fit->reviews, fit->cards, fit->note));
  }
  FsrsFitSummary summary = SummarizeFit(reviews, *fit, options, NowMs());
  std::lock_guard<std::mutex> lock(mu_);
  StoredFsrsParameters next;
  next.parameters = params_.parameters;
  next.parameters.w = fit->w;
  next.personal = true;
  next.fit = std::move(summary);
  auto scheduler = fsrs::Scheduler::Create(next.parameters);
  if (!scheduler) return tl::unexpected(FromError(scheduler.error()));
  if (auto ok = SaveFsrsParameters(*store_, next.parameters, *next.fit); !ok) {
    return tl::unexpected(FromError(ok.error()));
  }
  params_ = std::move(next);
  scheduler_ = *scheduler;
  return FsrsSettingsJson();
}

HttpResult<json> Server::Impl::ResetFsrs(const httplib::Request&,
                                         httplib::Response&) {
  if (auto ok = ClearFsrsParameters(*store_); !ok) {
    return tl::unexpected(FromError(ok.error()));
  }
  params_ = StoredFsrsParameters{};
  scheduler_ = fsrs::Scheduler{};
  return FsrsSettingsJson();
}

HttpResult<json> Server::Impl::Stats(const httplib::Request& req,
                                     httplib::Response&) {
  auto map = MapParam(req, false);
  if (!map) return tl::unexpected(map.error());
  int64_t now = NowMs();
  auto stats = store_->Stats(*map, now);
  if (!stats) return tl::unexpected(FromError(stats.error()));
  auto days = [](const std::vector<StoreStats::Day>& list) {
    json out = json::array();
    for (const StoreStats::Day& d : list) {
      out.push_back(
          {{"day", d.day}, {"date", DateOfDay(d.day)}, {"count", d.count}});
    }
    return out;
  };
  const StoreStats& s = *stats;
  return json{
      {"map", *map},
      {"cards", s.cards},
      {"retired", s.retired},
      {"new", s.new_cards},
      {"learning", s.learning},
      {"review", s.review},
      {"due_now", s.due_now},
      {"reviews", s.reviews},
      {"new_today", s.new_today},
      {"retention", s.retention < 0 ? json(nullptr) : json(s.retention)},
      {"reviews_per_day", days(s.reviews_per_day)},
      {"due_forecast", days(s.due_forecast)}};
}

HttpResult<json> Server::Impl::Timeline(const httplib::Request& req,
                                        httplib::Response&) {
  auto e = Entry(*ParseId(req.matches[1].str()));
  if (!e) return tl::unexpected(e.error());
  const Map& map = (*e)->map;
  std::vector<Fact> facts = ExtractFacts(map);
  std::erase_if(facts, [](const Fact& f) { return f.kind != FactKind::kDate; });
  std::stable_sort(
      facts.begin(), facts.end(),
      [](const Fact& a, const Fact& b) { return a.SortKey() < b.SortKey(); });
  json events = json::array();
  for (const Fact& f : facts) {
    if (!map.valid(f.node)) continue;
    events.push_back({{"node", f.node},
                      {"date", f.text},
                      {"year", f.year_from},
                      {"year_to", f.year_to},
                      {"month", f.month},
                      {"day", f.day},
                      {"text", map.node(f.node).text},
                      {"path", detail::NodePath(map, f.node)}});
  }
  return json{{"events", std::move(events)}};
}

void Server::Impl::Routes() {
  // Security first: every request names this server in Host (DNS
  // rebinding), and writes carry no foreign Origin.
  http_.set_pre_routing_handler([this](const httplib::Request& req,
                                       httplib::Response& res) {
    std::string host = req.get_header_value("Host");
    if (!detail::HostAllowed(host, options_.host, port_)) {
      SendError(res, {421, fmt::format("Host '{}' is not this server; open "
                                       "http://127.0.0.1:{}/",
                                       host.substr(0, 100), port_)});
      return httplib::Server::HandlerResponse::Handled;
    }
    std::string origin = req.get_header_value("Origin");
    if (detail::IsWriteMethod(req.method) &&
        !detail::OriginAllowed(origin, options_.host, port_)) {
      SendError(res, {403, fmt::format("writes from origin '{}' are refused",
                                       origin.substr(0, 100))});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http_.set_post_routing_handler(
      [](const httplib::Request&, httplib::Response& res) {
        res.set_header("X-Content-Type-Options", "nosniff");
        res.set_header("Referrer-Policy", "no-referrer");
        res.set_header("Cache-Control", "no-store");
        res.set_header("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data: blob:; "
                       "style-src 'self' 'unsafe-inline'; object-src 'none'; "
                       "frame-ancestors 'none'; base-uri 'none'");
      });
  http_.set_error_handler(
      [](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) return;
        std::string message =
            res.status == 404   ? fmt::format("no such resource: {} {}",
                                              req.method, req.path.substr(0, 200))
            : res.status == 413 ? std::string("request body too large")
            : res.status == 405 ? std::string("method not allowed")
                                : fmt::format("HTTP {}", res.status);
        SendJson(res, res.status, json{{"error", message}});
      });
  http_.set_exception_handler([](const httplib::Request&,
                                 httplib::Response& res,
                                 std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      if (ep) std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    SendJson(res, 500, json{{"error", "internal error: " + what}});
  });

  for (const detail::WebAsset& asset : detail::WebAssets()) {
    std::string path(asset.path);
    auto handler = [asset](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(asset.body), std::string(asset.content_type));
    };
    http_.Get(path, handler);
    if (path == "/index.html") http_.Get("/", handler);
  }

  using R = const httplib::Request&;
  using W = httplib::Response&;
  auto route = [this](auto fn, int status = 200) {
    return [this, fn, status](R req, W res) { Handle(req, res, fn, status); };
  };
  http_.Get("/api/health", [](R, W res) {
    SendJson(res, 200, {{"ok", true}});
  });
  http_.Get("/api/formats", [](R, W res) {
    json list = json::array();
    for (const FormatSpec* f : AllFormats()) {
      list.push_back({{"name", f->name},
                      {"description", f->description},
                      {"read", f->read != nullptr},
                      {"write", f->write != nullptr}});
    }
    SendJson(res, 200, {{"formats", list}});
  });
  http_.Get("/api/maps", route(&Impl::ListMaps));
  http_.Post("/api/maps", route(&Impl::PostMap, 201));
  http_.Get(R"(/api/maps/(\d{1,18}))", route(&Impl::GetMap));
  http_.Delete(R"(/api/maps/(\d{1,18}))", route(&Impl::DeleteMap));
  http_.Post(R"(/api/maps/(\d{1,18})/restore)", route(&Impl::RestoreMap));
  http_.Get("/api/trash", route(&Impl::ListTrash));
  http_.Delete(R"(/api/trash/(\d{1,18}))", route(&Impl::PurgeMap));
  http_.Post(R"(/api/maps/(\d{1,18})/nodes)", route(&Impl::AddNode, 201));
  http_.Patch(R"(/api/maps/(\d{1,18})/nodes/(\d{1,10}))",
              route(&Impl::EditNode));
  http_.Delete(R"(/api/maps/(\d{1,18})/nodes/(\d{1,10}))",
               route(&Impl::DeleteNode));
  http_.Post(R"(/api/maps/(\d{1,18})/undo)", route(&Impl::Undo));
  http_.Post(R"(/api/maps/(\d{1,18})/redo)", route(&Impl::Redo));
  http_.Get(R"(/api/maps/(\d{1,18})/layout)", route(&Impl::Layout));
  http_.Get(R"(/api/maps/(\d{1,18})/render\.svg)", route(&Impl::Render));
  http_.Get(R"(/api/maps/(\d{1,18})/cards)", route(&Impl::Cards));
  http_.Get(R"(/api/maps/(\d{1,18})/export)", route(&Impl::Export));
  http_.Get(R"(/api/maps/(\d{1,18})/timeline)", route(&Impl::Timeline));
  http_.Get("/api/study/due", route(&Impl::Due));
  http_.Post("/api/grade", route(&Impl::Grade));
  http_.Post("/api/reviews", route(&Impl::Review, 201));
  http_.Get("/api/reviews", route(&Impl::Reviews));
  http_.Get("/api/stats", route(&Impl::Stats));
  http_.Get("/api/settings/fsrs", route(&Impl::GetFsrs));
  http_.Post("/api/settings/fsrs/optimize",
             [this](R, W res) { Respond(res, OptimizeFsrs(), 200); });
  http_.Delete("/api/settings/fsrs", route(&Impl::ResetFsrs));

  http_.set_payload_max_length(options_.max_body_bytes);
  http_.set_keep_alive_max_count(1000);
  // Headers and body go out in separate writes: without TCP_NODELAY each
  // response waits ~40 ms for the client's delayed ACK (Nagle).
  http_.set_tcp_nodelay(true);
  http_.set_read_timeout(10, 0);
}

Result<void> Server::Impl::Bind() {
  if (options_.port < 0 || options_.port > 65535) {
    return Fail(
        ErrorCode::kUsage,
        fmt::format("--port {} is not a port (0-65535)", options_.port));
  }
  if (options_.port == 0) {
    port_ = http_.bind_to_any_port(options_.host);
    if (port_ < 0) port_ = 0;
  } else if (http_.bind_to_port(options_.host, options_.port)) {
    port_ = options_.port;
  }
  if (port_ == 0) {
    return Fail(ErrorCode::kIo,
                fmt::format("cannot listen on {}:{} (address in use or not "
                            "available)",
                            options_.host, options_.port));
  }
  return {};
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>(options);
  if (auto ok = impl->Open(); !ok) return tl::unexpected(ok.error());
  impl->Routes();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Result<void> Server::Bind() { return impl_->Bind(); }
int Server::port() const { return impl_->port_; }
void Server::Run() { impl_->http_.listen_after_bind(); }
void Server::Stop() {
  impl_->stopping_ = true;
  impl_->http_.stop();
}

}  // namespace mindcards

#endif  // MINDCARDS_SERVER_UNAVAILABLE
