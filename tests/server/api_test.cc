// The JSON API against a real `mindcards serve` on a loopback port.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "mindcards/cards.h"
#include "mindcards/formats.h"
#include "mindcards/fsrs_optimizer.h"
#include "mindcards/store.h"
#include "server/server_process.h"
#include "test_util.h"

namespace mindcards::testing {
namespace {

using nlohmann::json;

std::string ErrorOf(const httplib::Result& r) {
  json j = Json(r);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>()
                                              : "(no JSON error)";
}

std::string SeedPath() {
  return SourceDir() + "/examples/peaceful-coexistence.txt";
}

// Texts of a map in pre-order, as ReadMap gives them.
std::vector<std::string> Texts(const Map& map) {
  std::vector<std::string> out;
  for (NodeId id : map.PreOrder()) out.push_back(map.node(id).text);
  return out;
}

std::vector<std::string> Texts(const json& map) {
  std::vector<std::string> out;
  for (const json& n : map["nodes"]) out.push_back(n["text"]);
  return out;
}

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    server_ = std::make_unique<ServerProcess>(dir_ + "/db.sqlite");
    ASSERT_TRUE(server_->ok()) << server_->error();
    client_ = server_->Client();
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }

  int64_t ImportSeed() {
    std::string seed = ReadFileOrDie(SeedPath());
    auto r = client_->Post("/api/maps?name=seed.txt", seed,
                           "application/octet-stream");
    EXPECT_TRUE(r);
    if (!r) return 0;
    EXPECT_EQ(r->status, 201) << r->body;
    return Json(r).value("id", int64_t{0});
  }

  json GetMap(int64_t id) {
    auto r = client_->Get("/api/maps/" + std::to_string(id));
    EXPECT_TRUE(r && r->status == 200);
    return Json(r);
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ApiTest, ServesThePageAndOnlyKnownFiles) {
  auto index = client_->Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"),
            "text/html; charset=utf-8");
  EXPECT_EQ(index->body, ReadFileOrDie(SourceDir() + "/web/index.html"));
  auto js = client_->Get("/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, ReadFileOrDie(SourceDir() + "/web/app.js"));
  for (const char* path :
       {"/../CMakeLists.txt", "/web/index.html", "/%2e%2e/%2e%2e/etc/passwd",
        "/etc/passwd", "/app.js/../../README.md"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_NE(r->body.find("\"error\""), std::string::npos) << path;
  }
}

TEST_F(ApiTest, ImportsTheSeedAsTheLibraryReadsIt) {
  std::string seed = ReadFileOrDie(SeedPath());
  auto expected = ReadMap(seed, ReadOptions{"auto", "seed.txt", {}});
  ASSERT_TRUE(expected) << expected.error().ToString();
  int64_t id = ImportSeed();
  ASSERT_GT(id, 0);
  json map = GetMap(id);
  EXPECT_EQ(Texts(map), Texts(*expected));
  EXPECT_EQ(map["nodes"].size(), expected->size());

  auto list = Json(client_->Get("/api/maps"));
  ASSERT_EQ(list["maps"].size(), 1u);
  EXPECT_EQ(list["maps"][0]["id"], id);
  EXPECT_EQ(list["maps"][0]["name"], "seed.txt");

  auto gone = client_->Delete("/api/maps/" + std::to_string(id));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 200);
  auto missing = client_->Get("/api/maps/" + std::to_string(id + 1));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(ErrorOf(missing), "no map " + std::to_string(id + 1));
}

// Deleting a map moves it to the trash; restoring it (the page's Undo)
// brings back the same map, cards, schedules and reviews; purging ends it.
TEST_F(ApiTest, DeletedMapsGoToTheTrashAndComeBackWhole) {
  int64_t id = ImportSeed();
  int64_t other = ImportSeed();
  std::string map = "/api/maps/" + std::to_string(id);
  std::string n = std::to_string(id);
  // Some history worth keeping: an edit and two reviews.
  json root = GetMap(id)["root"];
  auto added = client_->Post(
      map + "/nodes", json{{"parent", root}, {"text", "Added 1962"}}.dump(),
      "application/json");
  ASSERT_TRUE(added && added->status == 201);
  json due = Json(client_->Get("/api/study/due?map=" + n));
  for (int i = 0; i < 2; ++i) {
    auto r = client_->Post(
        "/api/reviews",
        json{{"map", id}, {"card_id", due["cards"][i]["id"]}, {"rating", 3}}
            .dump(),
        "application/json");
    ASSERT_TRUE(r && r->status == 201);
  }
  json before_map = GetMap(id);
  json before_cards = Json(client_->Get(map + "/cards"));
  json before_reviews = Json(client_->Get("/api/reviews?map=" + n));
  json before_stats = Json(client_->Get("/api/stats?map=" + n));
  ASSERT_EQ(before_reviews["reviews"].size(), 2u);

  auto gone = client_->Delete(map);
  ASSERT_TRUE(gone);
  ASSERT_EQ(gone->status, 200) << gone->body;
  EXPECT_EQ(Json(gone), (json{{"deleted", id}, {"trash", true}}));
  // Out of sight: the list, every per-map route, all-maps study and stats.
  json list = Json(client_->Get("/api/maps"));
  ASSERT_EQ(list["maps"].size(), 1u);
  EXPECT_EQ(list["maps"][0]["id"], other);
  const std::string in_trash = "map " + n +
                               " is in the trash (POST /api/maps/" + n +
                               "/restore brings it back)";
  for (const std::string& path :
       {map, map + "/cards", map + "/layout", "/api/study/due?map=" + n,
        "/api/stats?map=" + n}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(ErrorOf(r), in_trash) << path;
  }
  auto review = client_->Post(
      "/api/reviews",
      json{{"map", id}, {"card_id", due["cards"][3]["id"]}, {"rating", 3}}
          .dump(),
      "application/json");
  ASSERT_TRUE(review);
  EXPECT_EQ(review->status, 404);
  EXPECT_EQ(ErrorOf(review), in_trash);
  for (const json& c :
       Json(client_->Get("/api/study/due?limit=100"))["cards"]) {
    EXPECT_EQ(c["map"], other);
  }
  EXPECT_EQ(Json(client_->Get("/api/stats"))["reviews"], 0);
  auto again = client_->Delete(map);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
  EXPECT_EQ(ErrorOf(again), in_trash);
  json trash = Json(client_->Get("/api/trash"));
  ASSERT_EQ(trash["maps"].size(), 1u);
  EXPECT_EQ(trash["maps"][0]["id"], id);
  EXPECT_EQ(trash["maps"][0]["name"], "seed.txt");
  EXPECT_GT(trash["maps"][0]["trashed_ms"].get<int64_t>(), 0);

  // Undo: all of it is back.
  auto restored = client_->Post(map + "/restore", "", "application/json");
  ASSERT_TRUE(restored);
  ASSERT_EQ(restored->status, 200) << restored->body;
  EXPECT_EQ(Json(restored)["id"], id);
  json after_map = GetMap(id);
  // The undo history of a served map does not survive the trash, and the
  // reader's confidences come back as stored (rounded), as after a restart.
  for (json* m : {&before_map, &after_map}) {
    for (const char* key : {"version", "can_undo", "can_redo"}) m->erase(key);
    for (json& node : (*m)["nodes"]) {
      node.erase("join_confidence");
      node.erase("parent_confidence");
    }
  }
  EXPECT_EQ(after_map, before_map);
  EXPECT_EQ(Json(client_->Get(map + "/cards")), before_cards);
  EXPECT_EQ(Json(client_->Get("/api/reviews?map=" + n)), before_reviews);
  EXPECT_EQ(Json(client_->Get("/api/stats?map=" + n)), before_stats);
  EXPECT_EQ(Json(client_->Get("/api/maps"))["maps"].size(), 2u);
  EXPECT_TRUE(Json(client_->Get("/api/trash"))["maps"].empty());
  auto twice = client_->Post(map + "/restore", "", "application/json");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->status, 404);
  EXPECT_EQ(ErrorOf(twice), "no map with id " + n + " in the trash");

  // Purging: only from the trash, and for good.
  auto early = client_->Delete("/api/trash/" + n);
  ASSERT_TRUE(early);
  EXPECT_EQ(early->status, 409);
  EXPECT_EQ(ErrorOf(early), "map " + n +
                                " is not in the trash; DELETE /api/maps/" + n +
                                " moves it there first");
  ASSERT_EQ(client_->Delete(map)->status, 200);
  auto purge = client_->Delete("/api/trash/" + n);
  ASSERT_TRUE(purge);
  ASSERT_EQ(purge->status, 200) << purge->body;
  EXPECT_EQ(Json(purge), (json{{"purged", id}}));
  EXPECT_TRUE(Json(client_->Get("/api/trash"))["maps"].empty());
  auto lost = client_->Post(map + "/restore", "", "application/json");
  ASSERT_TRUE(lost);
  EXPECT_EQ(lost->status, 404);
  auto none = client_->Get(map);
  ASSERT_TRUE(none);
  EXPECT_EQ(ErrorOf(none), "no map " + n);
}

// Every corpus file goes through the API exactly as through ReadMap: the
// same tree when the library reads it, the same message when it does not.
TEST_F(ApiTest, ImportsEveryCorpusFileLikeTheLibrary) {
  MINDCARDS_REQUIRE_SHARED();
  std::vector<std::string> files =
      ListFiles(SharedDir() + "/corpus", {".txt", ".md", ".html", ".mmd", ".mm",
                                          ".opml", ".xml", ".xmind", ".json"});
  ASSERT_FALSE(files.empty());
  std::set<std::string> formats_read;
  for (const std::string& path : files) {
    std::string name = std::filesystem::path(path).filename().string();
    std::string bytes = ReadFileOrDie(path);
    auto expected = ReadMap(bytes, ReadOptions{"auto", name, {}});
    auto r = client_->Post("/api/maps?name=" + name, bytes,
                           "application/octet-stream");
    ASSERT_TRUE(r) << path;
    if (expected && !expected->empty()) {
      ASSERT_EQ(r->status, 201) << path << ": " << r->body;
      json map = GetMap(Json(r)["id"]);
      EXPECT_EQ(Texts(map), Texts(*expected)) << path;
      formats_read.insert(expected->meta().source_format);
    } else {
      EXPECT_EQ(r->status / 100, 4) << path;
      if (!expected) {
        Error e = expected.error();
        if (e.file.empty()) e.file = name;
        EXPECT_EQ(ErrorOf(r), e.ToString()) << path;
      }
    }
  }
  // At least the outline-like page text is read today; every other format
  // joins as its reader lands.
  EXPECT_FALSE(formats_read.empty());
}

TEST_F(ApiTest, EditsAreUndoable) {
  int64_t id = ImportSeed();
  std::string base = "/api/maps/" + std::to_string(id);
  json before = GetMap(id);
  int root = before["root"];

  auto add = client_->Post(base + "/nodes",
                           json{{"parent", root}, {"text", "New idea"}}.dump(),
                           "application/json");
  ASSERT_TRUE(add);
  ASSERT_EQ(add->status, 201) << add->body;
  int added = Json(add)["node"];
  auto rename =
      client_->Patch(base + "/nodes/" + std::to_string(added),
                     json{{"text", "Renamed idea"}}.dump(), "application/json");
  ASSERT_TRUE(rename);
  EXPECT_EQ(rename->status, 200) << rename->body;
  json after = GetMap(id);
  EXPECT_EQ(after["nodes"].size(), before["nodes"].size() + 1);
  EXPECT_EQ(after["nodes"].back()["text"], "Renamed idea");
  EXPECT_EQ(after["nodes"].back()["parent"], root);

  // Move the first child of the root under the new node, fold it.
  int first = before["nodes"][1]["id"];
  auto move =
      client_->Patch(base + "/nodes/" + std::to_string(first),
                     json{{"parent", added}}.dump(), "application/json");
  ASSERT_TRUE(move);
  EXPECT_EQ(move->status, 200) << move->body;
  auto fold = client_->Patch(base + "/nodes/" + std::to_string(added),
                             json{{"folded", true}}.dump(), "application/json");
  ASSERT_TRUE(fold);
  EXPECT_EQ(fold->status, 200);
  json moved = GetMap(id);
  for (const json& n : moved["nodes"]) {
    if (n["id"] == first) {
      EXPECT_EQ(n["parent"], added);
    }
    if (n["id"] == added) {
      EXPECT_EQ(n["folded"], true);
    }
  }
  // A cycle is refused with a message.
  auto cycle =
      client_->Patch(base + "/nodes/" + std::to_string(added),
                     json{{"parent", first}}.dump(), "application/json");
  ASSERT_TRUE(cycle);
  EXPECT_EQ(cycle->status, 400);
  EXPECT_FALSE(ErrorOf(cycle).empty());

  // Undo fold, move, rename, add: back to the imported map.
  for (int i = 0; i < 4; ++i) {
    auto u = client_->Post(base + "/undo");
    ASSERT_TRUE(u);
    EXPECT_EQ(u->status, 200) << u->body;
  }
  EXPECT_EQ(GetMap(id)["nodes"], before["nodes"]);
  auto nothing = client_->Post(base + "/undo");
  ASSERT_TRUE(nothing);
  EXPECT_EQ(nothing->status, 409);
  EXPECT_EQ(ErrorOf(nothing), "nothing to undo");
  // Redo all four.
  for (int i = 0; i < 4; ++i) {
    auto r = client_->Post(base + "/redo");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  EXPECT_EQ(GetMap(id)["nodes"], moved["nodes"]);

  // Delete the added node (and the subtree moved under it); undo restores.
  auto gone = client_->Delete(base + "/nodes/" + std::to_string(added));
  ASSERT_TRUE(gone);
  EXPECT_EQ(gone->status, 200);
  EXPECT_LT(GetMap(id)["nodes"].size(), before["nodes"].size());
  ASSERT_TRUE(client_->Post(base + "/undo"));
  EXPECT_EQ(GetMap(id)["nodes"], moved["nodes"]);
}

TEST_F(ApiTest, BadRequestsGetClearMessages) {
  int64_t id = ImportSeed();
  std::string base = "/api/maps/" + std::to_string(id);
  struct Case {
    std::string method, path, body;
    int status;
    std::string error;
  };
  const Case cases[] = {
      {"POST", "/api/maps", "", 400,
       "the request body is empty: send the map file's bytes"},
      {"POST", "/api/maps?format=nope", "x", 400, "unknown format 'nope'"},
      {"GET", "/api/maps/999", "", 404, "no map 999"},
      {"POST", base + "/nodes", "{not json", 400,
       "request body is not valid JSON"},
      {"POST", base + "/nodes", "[1]", 400,
       "request body must be a JSON object"},
      {"POST", base + "/nodes", R"({"text": "x"})", 400,
       "'parent' is required"},
      {"POST", base + "/nodes", R"({"parent": 99999})", 404,
       "no node 99999 in this map"},
      {"POST", base + "/nodes", R"({"parent": 0, "text": 5})", 400,
       "'text' must be a string"},
      {"PATCH", base + "/nodes/0", R"({"colour": "red"})", 400,
       "unknown field 'colour'"},
      {"PATCH", base + "/nodes/0", R"({})", 400,
       "nothing to change: give text, note, folded or parent"},
      {"PATCH", base + "/nodes/0", R"({"folded": "yes"})", 400,
       "'folded' must be true or false"},
      {"DELETE", base + "/nodes/0", "", 400,
       "the root cannot be deleted; delete the map instead"},
      {"POST", "/api/reviews", R"({"card_id": "x", "rating": 5})", 400,
       "'rating' must be 1, 2, 3 or 4, not 5"},
      {"POST", "/api/reviews", R"({"rating": 3})", 400,
       "'card_id' (a string) is required"},
      {"GET", "/api/study/due?limit=0", "", 400,
       "'limit' must be a number from 1 to 1000"},
      {"GET", "/api/study/due?map=abc", "", 400, "'map' must be a map id"},
      {"GET", base + "/export", "", 400,
       "the 'format' parameter is required (apkg, md, opml, mm, json, "
       "outline, svg, png, pdf)"},
      {"GET", base + "/export?format=docx", "", 400,
       "cannot export to 'docx': use apkg, md, opml, mm, json, outline, "
       "svg, png or pdf"},
      {"GET", "/api/nothing-here", "", 404,
       "no such resource: GET /api/nothing-here"},
  };
  for (const Case& c : cases) {
    httplib::Result r = c.method == "GET"      ? client_->Get(c.path)
                        : c.method == "DELETE" ? client_->Delete(c.path)
                        : c.method == "PATCH"
                            ? client_->Patch(c.path, c.body, "application/json")
                            : client_->Post(c.path, c.body, "application/json");
    ASSERT_TRUE(r) << c.method << " " << c.path;
    EXPECT_EQ(r->status, c.status)
        << c.method << " " << c.path << ": " << r->body;
    EXPECT_EQ(ErrorOf(r), c.error) << c.method << " " << c.path;
  }
  // A malformed map names where it went wrong.
  auto bad = client_->Post("/api/maps?format=outline&name=bad.txt",
                           std::string("root\n\xff\xfe broken\n"),
                           "application/octet-stream");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(ErrorOf(bad).rfind("bad.txt:", 0), 0u) << ErrorOf(bad);
}

TEST_F(ApiTest, StudiesAndRecordsReviews) {
  int64_t id = ImportSeed();
  std::string map = std::to_string(id);
  json cards = Json(client_->Get("/api/maps/" + map + "/cards"));
  ASSERT_GT(cards["cards"].size(), 3u);
  json due = Json(client_->Get("/api/study/due?map=" + map + "&limit=50"));
  // Single-answer cards, so that typing `back` is the right answer.
  std::vector<json> single;
  for (const json& card : due["cards"]) {
    std::string kind = card["kind"];
    if (kind == "cloze" || kind == "when" || kind == "quote")
      single.push_back(card);
    if (single.size() == 3) break;
  }
  ASSERT_EQ(single.size(), 3u);
  std::set<std::string> reviewed;
  for (const json& card : single) {
    ASSERT_EQ(card["intervals"].size(), 4u);
    EXPECT_FALSE(card["front"].get<std::string>().empty());
    // Answer right: the grade says so and suggests a passing rating.
    json body = {{"map", id},
                 {"card_id", card["id"]},
                 {"rating", 3},
                 {"answer", card["back"]}};
    auto r = client_->Post("/api/reviews", body.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    json out = Json(r);
    EXPECT_EQ(out["grade"]["correct"], true) << card["back"];
    EXPECT_GE(out["grade"]["suggested_rating"].get<int>(), 3);
    EXPECT_GT(out["due_ms"].get<int64_t>(), due["now_ms"].get<int64_t>());
    EXPECT_EQ(out["card_id"], card["id"]);
    reviewed.insert(card["id"].get<std::string>());
  }
  json log = Json(client_->Get("/api/reviews?map=" + map));
  ASSERT_EQ(log["reviews"].size(), 3u);
  for (const json& r : log["reviews"]) {
    EXPECT_TRUE(reviewed.count(r["card_id"].get<std::string>()));
    EXPECT_EQ(r["rating"], 3);
  }
  json stats = Json(client_->Get("/api/stats?map=" + map));
  EXPECT_EQ(stats["reviews"], 3);
  EXPECT_EQ(stats["cards"], cards["cards"].size());
  EXPECT_EQ(stats["learning"].get<int>() + stats["review"].get<int>(), 3);

  // A wrong typed answer is graded wrong and suggests Again.
  json next = Json(client_->Get("/api/study/due?map=" + map + "&limit=20"));
  ASSERT_FALSE(next["cards"].empty());
  json card = next["cards"].back();
  auto g = client_->Post(
      "/api/grade",
      json{{"map", id}, {"card_id", card["id"]}, {"answer", "zzzz qqqq"}}
          .dump(),
      "application/json");
  ASSERT_TRUE(g);
  ASSERT_EQ(g->status, 200) << g->body;
  EXPECT_EQ(Json(g)["correct"], false);
  EXPECT_EQ(Json(g)["suggested_rating"], 1);
}

// GET /api/study/due?map=ID&limit=20, after checking that each card's
// content is what the library makes of the map the server holds now (its
// JSON export), so that a stale cached card fails.
json DueMatchingTheMap(httplib::Client& client, int64_t id) {
  std::string map_url = "/api/maps/" + std::to_string(id);
  auto doc = client.Get(map_url + "/export?format=json");
  EXPECT_TRUE(doc && doc->status == 200);
  if (!doc) return json();
  auto map = ReadMap(doc->body, ReadOptions{"json", "export.json", {}});
  EXPECT_TRUE(map) << map.error().ToString();
  if (!map) return json();
  std::map<std::string, Card> expected;
  for (Card& c : GenerateCards(*map, CardOptions{})) {
    expected.emplace(c.id, std::move(c));
  }
  json due = Json(
      client.Get("/api/study/due?map=" + std::to_string(id) + "&limit=20"));
  EXPECT_FALSE(due["cards"].empty());
  for (const json& card : due["cards"]) {
    auto it = expected.find(card["id"].get<std::string>());
    EXPECT_NE(it, expected.end()) << card["id"] << " is not a card of the map";
    if (it == expected.end()) continue;
    const Card& c = it->second;
    EXPECT_EQ(card["map"], id);
    EXPECT_EQ(card["kind"], CardKindName(c.kind));
    EXPECT_EQ(card["front"], c.front);
    EXPECT_EQ(card["back"], c.back);
    EXPECT_EQ(card["context"], c.context.headings());
    EXPECT_EQ(card["hint"], c.hint);
    EXPECT_EQ(card["node"], std::to_string(c.node));
    EXPECT_EQ(card["choices"], c.choices);
    EXPECT_EQ(card["intervals"].size(), 4u);
  }
  return due;
}

std::vector<std::string> Ids(const json& due) {
  std::vector<std::string> out;
  for (const json& c : due["cards"]) out.push_back(c["id"]);
  return out;
}

TEST_F(ApiTest, DueQueueFollowsReviewsEditsAndUndo) {
  int64_t id = ImportSeed();
  std::string map = std::to_string(id);
  json first = DueMatchingTheMap(*client_, id);
  ASSERT_EQ(first["cards"].size(), 20u);
  // Asked again (card content now cached): the same cards.
  json again = DueMatchingTheMap(*client_, id);
  first.erase("now_ms");
  again.erase("now_ms");
  EXPECT_EQ(again, first);

  // A review: the card is learning, due in a minute, so out of the queue.
  std::string reviewed = first["cards"][0]["id"];
  auto r = client_->Post(
      "/api/reviews",
      json{{"map", id}, {"card_id", reviewed}, {"rating", 1}}.dump(),
      "application/json");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  json after_review = DueMatchingTheMap(*client_, id);
  std::vector<std::string> ids = Ids(after_review);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), reviewed), 0);
  std::vector<std::string> rest = Ids(first);
  rest.erase(rest.begin());
  // 20 new cards a day: one was introduced, 19 remain.
  EXPECT_EQ(ids, rest);
  for (const json& c :
       Json(client_->Get("/api/maps/" + map + "/cards"))["cards"]) {
    if (c["id"] != reviewed) continue;
    EXPECT_EQ(c["state"], "Learning");
    EXPECT_EQ(c["reps"], 1);
  }

  // An edit of a queued card's node: the next queue shows the new text.
  json target;
  for (const json& c : after_review["cards"]) {
    if (c["kind"] == "cloze") {
      target = c;
      break;
    }
  }
  ASSERT_TRUE(target.is_object());
  std::string node = target["node"];
  std::string text = "In 1956 Khrushchev denounced Stalin in the Secret Speech";
  auto edit = client_->Patch("/api/maps/" + map + "/nodes/" + node,
                             json{{"text", text}}.dump(), "application/json");
  ASSERT_TRUE(edit);
  ASSERT_EQ(edit->status, 200) << edit->body;
  json after_edit = DueMatchingTheMap(*client_, id);
  bool old_front = false, new_text = false;
  for (const json& c : after_edit["cards"]) {
    if (c["front"] == target["front"]) old_front = true;
    if (c["node"] == node &&
        (c["front"].get<std::string>() + " " + c["back"].get<std::string>())
                .find("Secret Speech") != std::string::npos) {
      new_text = true;
    }
  }
  EXPECT_FALSE(old_front);
  EXPECT_TRUE(new_text) << after_edit.dump(1);

  // Undone: the queue is back to what it was after the review.
  auto undo =
      client_->Post("/api/maps/" + map + "/undo", "", "application/json");
  ASSERT_TRUE(undo);
  ASSERT_EQ(undo->status, 200) << undo->body;
  json after_undo = DueMatchingTheMap(*client_, id);
  after_review.erase("now_ms");
  after_undo.erase("now_ms");
  EXPECT_EQ(after_undo, after_review);
}

TEST_F(ApiTest, ExportsEveryFormat) {
  int64_t id = ImportSeed();
  json map = GetMap(id);
  std::string base = "/api/maps/" + std::to_string(id) + "/export?format=";
  for (const FormatSpec* spec : AllFormats()) {
    // "sizes" carries box sizes for layout tests, not text.
    if (spec->write == nullptr || spec->name == std::string_view("sizes"))
      continue;
    auto r = client_->Get(base + spec->name);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << spec->name << ": " << r->body;
    if (spec->read == nullptr) continue;
    auto back = ReadMap(r->body, ReadOptions{spec->name, "", {}});
    ASSERT_TRUE(back) << spec->name << ": " << back.error().ToString();
    EXPECT_EQ(Texts(*back), Texts(map)) << spec->name;
  }
  struct Binary {
    const char* format;
    std::string magic;
    const char* type;
  };
  for (const Binary& b :
       {Binary{"svg", "<?xml", "image/svg+xml"},
        Binary{"png", "\x89PNG", "image/png"},
        Binary{"pdf", "%PDF", "application/pdf"},
        Binary{"apkg", std::string("PK\x03\x04", 4), "application/vnd.anki"}}) {
    auto r = client_->Get(base + b.format);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << b.format << ": " << r->body.substr(0, 200);
    EXPECT_EQ(r->get_header_value("Content-Type"), b.type);
    EXPECT_EQ(r->body.substr(0, b.magic.size()), b.magic) << b.format;
    EXPECT_NE(r->get_header_value("Content-Disposition").find("attachment"),
              std::string::npos);
  }
  auto svg = client_->Get("/api/maps/" + std::to_string(id) +
                          "/render.svg?layout=right");
  ASSERT_TRUE(svg);
  EXPECT_EQ(svg->status, 200);
  EXPECT_EQ(svg->body.substr(0, 5), "<?xml");
  auto layout =
      client_->Get("/api/maps/" + std::to_string(id) + "/layout?layout=radial");
  ASSERT_TRUE(layout);
  ASSERT_EQ(layout->status, 200);
  EXPECT_EQ(Json(layout)["boxes"].size(), map["nodes"].size());
  auto bad =
      client_->Get("/api/maps/" + std::to_string(id) + "/layout?layout=spiral");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(ApiTest, TimelineListsDatesInOrder) {
  int64_t id = ImportSeed();
  json t = Json(client_->Get("/api/maps/" + std::to_string(id) + "/timeline"));
  ASSERT_GT(t["events"].size(), 5u);
  int previous = 0;
  for (const json& e : t["events"]) {
    int year = e["year"];
    EXPECT_GE(year, previous) << e.dump();
    previous = year;
    EXPECT_NE(e["text"].get<std::string>().find(e["date"].get<std::string>()),
              std::string::npos)
        << e.dump();
  }
}

// Personal FSRS parameters: shown, fitted from the store's reviews, applied
// to the running scheduler, and reset.
TEST_F(ApiTest, FitsAppliesAndResetsPersonalFsrsParameters) {
  json fresh = Json(client_->Get("/api/settings/fsrs"));
  ASSERT_TRUE(fresh.is_object());
  EXPECT_EQ(fresh["personal"], false);
  EXPECT_EQ(fresh["description"], "default parameters");
  ASSERT_EQ(fresh["parameters"]["w"].size(), 21u);
  EXPECT_EQ(fresh["parameters"]["w"], fresh["default_w"]);
  EXPECT_EQ(fresh["parameters"]["request_retention"], 0.9);
  EXPECT_TRUE(fresh["fit"].is_null());

  // No reviews yet: a clear refusal, nothing changes.
  auto none =
      client_->Post("/api/settings/fsrs/optimize", "", "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 422);
  EXPECT_EQ(ErrorOf(none).rfind("not enough reviews to fit personal "
                                "parameters (0 reviews of 0 cards): ",
                                0),
            0u)
      << none->body;
  EXPECT_EQ(Json(client_->Get("/api/settings/fsrs")), fresh);

  int64_t id = ImportSeed();
  std::string due_url = "/api/study/due?map=" + std::to_string(id);
  json before = Json(client_->Get(due_url))["cards"][0]["intervals"];
  ASSERT_EQ(before.size(), 4u);

  // A review log of a learner whose first Easy lasts 40 days, written to
  // the same database the server uses.
  fsrs::Weights truth = fsrs::kDefaultWeights;
  truth[3] = 40.0;
  size_t recorded = RecordSimulatedReviews(dir_ + "/db.sqlite", id, truth);
  ASSERT_GT(recorded, 100u);

  auto fit =
      client_->Post("/api/settings/fsrs/optimize", "", "application/json");
  ASSERT_TRUE(fit);
  ASSERT_EQ(fit->status, 200) << fit->body;
  json fitted = Json(fit);
  EXPECT_EQ(fitted["personal"], true);
  EXPECT_EQ(fitted["fit"]["reviews"], recorded);
  EXPECT_EQ(fitted["fit"]["trained"], true);
  double loss = fitted["fit"]["log_loss"];
  EXPECT_GT(loss, 0.0);
  EXPECT_LE(loss, fitted["fit"]["default_log_loss"].get<double>());
  EXPECT_GT(fitted["fit"]["rmse_bins"].get<double>(), 0.0);
  EXPECT_NE(fitted["parameters"]["w"], fresh["default_w"]);
  EXPECT_EQ(fitted["description"].get<std::string>().rfind(
                "personal parameters (fitted ", 0),
            0u);
  EXPECT_EQ(Json(client_->Get("/api/settings/fsrs")), fitted);
  // Applied at once: a new card's Easy interval follows the fitted w[3].
  json after = Json(client_->Get(due_url))["cards"][0]["intervals"];
  EXPECT_NE(after, before);

  auto reset = client_->Delete("/api/settings/fsrs");
  ASSERT_TRUE(reset);
  EXPECT_EQ(reset->status, 200);
  EXPECT_EQ(Json(reset), fresh);
  EXPECT_EQ(Json(client_->Get(due_url))["cards"][0]["intervals"], before);
}

}  // namespace
}  // namespace mindcards::testing
