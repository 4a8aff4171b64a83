// Other web sites cannot use the local server: DNS rebinding (Host) and
// cross-origin writes (Origin) are refused, bodies are bounded, map text is
// never markup, and an acknowledged review survives SIGKILL.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "mindcards/formats.h"
#include "server/http_guard.h"
#include "server/server_process.h"
#include "test_util.h"

namespace mindcards::testing {
namespace {

using nlohmann::json;

std::string ErrorOf(const httplib::Result& r) {
  json j = json::parse(r->body, nullptr, false);
  return j.is_object() && j.contains("error") ? j["error"].get<std::string>()
                                              : "(no JSON error)";
}

TEST(HttpGuardTest, HostHeader) {
  using detail::HostAllowed;
  EXPECT_TRUE(HostAllowed("127.0.0.1:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(HostAllowed("localhost:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(HostAllowed("LOCALHOST:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(HostAllowed("[::1]:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(HostAllowed("localhost", "127.0.0.1", 8080));
  EXPECT_TRUE(HostAllowed("192.168.1.5:8080", "192.168.1.5", 8080));
  EXPECT_FALSE(HostAllowed("192.168.1.5:8080", "0.0.0.0", 8080));
  EXPECT_FALSE(HostAllowed("evil.example:8080", "127.0.0.1", 8080));
  EXPECT_FALSE(HostAllowed("localhost.evil.example:8080", "127.0.0.1", 8080));
  EXPECT_FALSE(HostAllowed("127.0.0.1:8081", "127.0.0.1", 8080));
  EXPECT_FALSE(HostAllowed("127.0.0.1:80x", "127.0.0.1", 8080));
  EXPECT_FALSE(HostAllowed("", "127.0.0.1", 8080));
  EXPECT_FALSE(HostAllowed("::1:8080", "127.0.0.1", 8080));
}

TEST(HttpGuardTest, Origin) {
  using detail::OriginAllowed;
  EXPECT_TRUE(OriginAllowed("", "127.0.0.1", 8080));
  EXPECT_TRUE(OriginAllowed("http://127.0.0.1:8080", "127.0.0.1", 8080));
  EXPECT_TRUE(OriginAllowed("http://localhost:8080", "127.0.0.1", 8080));
  EXPECT_FALSE(OriginAllowed("null", "127.0.0.1", 8080));
  EXPECT_FALSE(OriginAllowed("http://evil.example", "127.0.0.1", 8080));
  EXPECT_FALSE(OriginAllowed("https://127.0.0.1:8080", "127.0.0.1", 8080));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:9999", "127.0.0.1", 8080));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1", "127.0.0.1", 8080));
  EXPECT_FALSE(OriginAllowed("http://127.0.0.1:8080/x", "127.0.0.1", 8080));
}

class ServerTest : public ::testing::Test {
 protected:
  void Start(const std::vector<std::string>& args = {}) {
    server_ = std::make_unique<ServerProcess>(dir_ + "/db.sqlite", args);
    ASSERT_TRUE(server_->ok()) << server_->error();
    client_ = server_->Client();
  }
  void SetUp() override {
    dir_ = TempDir(
        ::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t Import(const std::string& bytes, const std::string& format) {
    auto r = client_->Post("/api/maps?format=" + format, bytes,
                           "application/octet-stream");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no reply");
    return r ? json::parse(r->body, nullptr, false).value("id", int64_t{0}) : 0;
  }

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, RefusesOtherOriginsAndHosts) {
  Start();
  std::string port = std::to_string(server_->port());
  auto evil = client_->Post("/api/maps", {{"Origin", "http://evil.example"}},
                            "root\n  child\n", "text/plain");
  ASSERT_TRUE(evil);
  EXPECT_EQ(evil->status, 403);
  EXPECT_EQ(ErrorOf(evil),
            "writes from origin 'http://evil.example' are refused");
  auto list = json::parse(client_->Get("/api/maps")->body);
  EXPECT_TRUE(list["maps"].empty());

  auto rebound = client_->Get("/api/maps", {{"Host", "evil.example:" + port}});
  ASSERT_TRUE(rebound);
  EXPECT_EQ(rebound->status, 421);
  EXPECT_EQ(ErrorOf(rebound), "Host 'evil.example:" + port +
                                  "' is not this server; open "
                                  "http://127.0.0.1:" +
                                  port + "/");

  auto same =
      client_->Post("/api/maps", {{"Origin", "http://localhost:" + port}},
                    "root\n  child\n", "text/plain");
  ASSERT_TRUE(same);
  EXPECT_EQ(same->status, 201) << same->body;
}

TEST_F(ServerTest, LimitsBodySize) {
  Start({"--max-body", "1"});
  std::string big(size_t{1} << 20 | 1, 'a');
  auto r = client_->Post("/api/maps", big, "text/plain");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(ErrorOf(r), "request body too large");
  auto small = client_->Post("/api/maps", "root\n  child\n", "text/plain");
  ASSERT_TRUE(small);
  EXPECT_EQ(small->status, 201);
}

TEST_F(ServerTest, WarnsWhenBindingBeyondLoopback) {
  auto r = RunCli({"serve", "--host", "0.0.0.0", "--port", "-5", "--db",
                   dir_ + "/db.sqlite"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("warning: binding 0.0.0.0 exposes your maps"),
            std::string::npos)
      << r.err;
}

// Hostile node texts come back as the same text in the map JSON and in every
// export, and as escaped text (never markup) in the SVG.
TEST_F(ServerTest, HostileTextStaysText) {
  Start();
  const std::vector<std::string> hostile = {
      "<img src=x onerror=alert(1)>",
      "<script>alert('x')</script>",
      "\"><svg onload=alert(1)>",
      "]]><script>alert(1)</script>",
      "&lt;b&gt; already escaped &amp;",
      "javascript:alert(1)",
      "{{c1::cloze}} <b>bold</b> ' \" `",
      "<!-- comment --> <![CDATA[x]]>",
      "<style>body{display:none}</style>",
      "\u202Eevil right-to-left \u200B zero width",
  };
  std::string outline = "Hostile map\n";
  for (const std::string& h : hostile) outline += "  " + h + "\n";
  int64_t id = Import(outline, "outline");
  std::string base = "/api/maps/" + std::to_string(id);
  json map = json::parse(client_->Get(base)->body);
  ASSERT_EQ(map["nodes"].size(), hostile.size() + 1);
  for (size_t i = 0; i < hostile.size(); ++i) {
    EXPECT_EQ(map["nodes"][i + 1]["text"], hostile[i]);
  }
  auto svg = client_->Get(base + "/render.svg");
  ASSERT_TRUE(svg);
  ASSERT_EQ(svg->status, 200) << svg->body;
  for (const char* raw : {"<img", "<script", "<svg onload", "<style>body",
                          "<b>", "<!-- comment", "<![CDATA[x"}) {
    EXPECT_EQ(svg->body.find(raw), std::string::npos) << raw;
  }
  EXPECT_NE(svg->body.find("&lt;img src=x onerror=alert(1)&gt;"),
            std::string::npos);
  // Every export that can be read back holds the same texts.
  for (const FormatSpec* spec : AllFormats()) {
    if (spec->write == nullptr || spec->read == nullptr ||
        spec->name == std::string_view("sizes")) {
      continue;  // "sizes" carries box sizes for layout tests, not text
    }
    auto r = client_->Get(base + "/export?format=" + spec->name);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << spec->name;
    auto back = ReadMap(r->body, ReadOptions{spec->name, "", {}});
    ASSERT_TRUE(back) << spec->name << ": " << back.error().ToString();
    std::vector<std::string> texts;
    for (NodeId n : back->PreOrder()) texts.push_back(back->node(n).text);
    texts.erase(texts.begin());
    EXPECT_EQ(texts, hostile) << spec->name;
  }
  // The page itself never parses strings as HTML.
  for (const std::string& file : ListFiles(SourceDir() + "/web", {".js"})) {
    std::string js = ReadFileOrDie(file);
    for (const char* sink : {"innerHTML", "outerHTML", "insertAdjacentHTML",
                             "document.write", "eval(", "new Function"}) {
      EXPECT_EQ(js.find(sink), std::string::npos) << file << " uses " << sink;
    }
  }
}

// Streams reviews from two clients, SIGKILLs the server mid-stream, restarts
// it on the same database and finds every acknowledged review.
TEST_F(ServerTest, AcknowledgedReviewsSurviveSigkill) {
  Start();
  int64_t id =
      Import(ReadFileOrDie(SourceDir() + "/examples/peaceful-coexistence.txt"),
             "auto");
  json due = json::parse(client_
                             ->Get("/api/study/due?map=" + std::to_string(id) +
                                   "&limit=1000&new=100000")
                             ->body);
  std::vector<std::string> cards;
  for (const json& c : due["cards"]) cards.push_back(c["id"]);
  ASSERT_GE(cards.size(), 10u);

  std::mutex mu;
  std::map<int64_t, std::pair<std::string, int>> acknowledged;
  std::atomic<int> count{0};
  auto stream = [&](int lane) {
    auto client = server_->Client();
    client->set_read_timeout(5, 0);
    for (int i = 0;; ++i) {
      const std::string& card = cards[(i * 2 + lane) % cards.size()];
      int rating = 1 + (i + lane) % 4;
      json body = {{"map", id}, {"card_id", card}, {"rating", rating}};
      auto r = client->Post("/api/reviews", body.dump(), "application/json");
      if (!r) return;  // the server is gone
      if (r->status != 201) continue;
      json out = json::parse(r->body, nullptr, false);
      std::lock_guard<std::mutex> lock(mu);
      acknowledged[out["review_id"].get<int64_t>()] = {card, rating};
      ++count;
    }
  };
  std::thread a(stream, 0), b(stream, 1);
  while (count < 200) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server_->Kill();
  a.join();
  b.join();
  ASSERT_GE(acknowledged.size(), 200u);

  Start();
  json log =
      json::parse(client_->Get("/api/reviews?map=" + std::to_string(id))->body);
  std::map<int64_t, std::pair<std::string, int>> stored;
  for (const json& r : log["reviews"]) {
    stored[r["id"].get<int64_t>()] = {r["card_id"], r["rating"]};
  }
  size_t missing = 0;
  for (const auto& [review, what] : acknowledged) {
    auto it = stored.find(review);
    if (it == stored.end() || it->second != what) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged";
  // At most the one in flight when the server died was stored unacknowledged.
  EXPECT_LE(stored.size(), acknowledged.size() + 2);
}

}  // namespace
}  // namespace mindcards::testing
