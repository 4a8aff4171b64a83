// POST /api/settings/fsrs/optimize does not hold the server's lock while it
// fits: the server runs in this process with ServerOptions::optimize_hook
// holding the fit, and other requests must be served meanwhile. No timing:
// the hook waits for the test's go.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "mindcards/fsrs.h"
#include "mindcards/server.h"
#include "mindcards/store.h"
#include "server/server_process.h"
#include "test_util.h"

namespace mindcards::testing {
namespace {

using nlohmann::json;

TEST(OptimizeTest, OtherRequestsAreServedWhileItFits) {
  std::string dir = TempDir("optimize-unlocked");
  std::string db = dir + "/db.sqlite";
  int64_t map = 0;
  {
    // The seed with a simulated review log, stored before the server opens.
    ServerOptions setup;
    setup.db_path = db;
    setup.import_files = {SourceDir() + "/examples/peaceful-coexistence.txt"};
    auto server = Server::Create(setup);
    ASSERT_TRUE(server) << server.error().ToString();
    auto store = OpenSqliteStore(db);
    ASSERT_TRUE(store);
    auto maps = (*store)->ListMaps();
    ASSERT_TRUE(maps && maps->size() == 1u);
    map = (*maps)[0].id;
  }
  fsrs::Weights truth = fsrs::kDefaultWeights;
  truth[3] = 40.0;
  size_t recorded = RecordSimulatedReviews(db, map, truth);
  ASSERT_GT(recorded, 100u);

  std::promise<void> entered, release;
  std::shared_future<void> go = release.get_future().share();
  ServerOptions options;
  options.db_path = db;
  options.port = 0;
  std::atomic<int> calls{0};
  // The first optimize is held; later ones run through.
  options.optimize_hook = [&entered, &calls, go] {
    if (calls++ != 0) return;
    entered.set_value();
    go.wait();
  };
  auto created = Server::Create(options);
  ASSERT_TRUE(created) << created.error().ToString();
  std::unique_ptr<Server> server = std::move(*created);
  ASSERT_TRUE(server->Bind());
  std::thread serving([&] { server->Run(); });
  // Whatever happens below, the fit is let go and the server stopped.
  struct Cleanup {
    std::promise<void>* release;
    Server* server;
    std::thread* serving;
    bool released = false;
    ~Cleanup() {
      if (!released) release->set_value();
      server->Stop();
      serving->join();
    }
  } cleanup{&release, server.get(), &serving};

  auto client = [&] {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server->port());
    // A request stuck behind a held lock fails instead of hanging.
    c->set_read_timeout(20, 0);
    return c;
  };
  auto c = client();
  json before = Json(c->Get("/api/settings/fsrs"));
  ASSERT_EQ(before["personal"], false);

  std::optional<httplib::Result> fit;
  std::thread optimizing([&] {
    fit.emplace(
        client()->Post("/api/settings/fsrs/optimize", "", "application/json"));
  });
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(60)),
            std::future_status::ready)
      << "the optimize request never reached its fit";

  // The fit is held. Reads, a review and an edit go through, on the
  // parameters in use before.
  std::string m = std::to_string(map);
  auto maps = c->Get("/api/maps");
  ASSERT_TRUE(maps) << "GET /api/maps was not served during the fit";
  EXPECT_EQ(maps->status, 200);
  json due = Json(c->Get("/api/study/due?map=" + m));
  ASSERT_FALSE(due["cards"].empty()) << due.dump();
  auto review = c->Post(
      "/api/reviews",
      json{{"map", map}, {"card_id", due["cards"][0]["id"]}, {"rating", 3}}
          .dump(),
      "application/json");
  ASSERT_TRUE(review);
  EXPECT_EQ(review->status, 201) << review->body;
  json root = Json(c->Get("/api/maps/" + m))["root"];
  auto added =
      c->Post("/api/maps/" + m + "/nodes",
              json{{"parent", root}, {"text", "During the fit"}}.dump(),
              "application/json");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, 201) << added->body;
  EXPECT_EQ(Json(c->Get("/api/settings/fsrs")), before);
  // A second optimize is refused while the first runs.
  auto second = c->Post("/api/settings/fsrs/optimize", "", "application/json");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  EXPECT_EQ(Json(second)["error"],
            "the scheduler's parameters are being optimized already; try "
            "again when that has finished");

  release.set_value();
  cleanup.released = true;
  optimizing.join();
  ASSERT_TRUE(fit && *fit);
  ASSERT_EQ((*fit)->status, 200) << (*fit)->body;
  json fitted = Json(*fit);
  EXPECT_EQ(fitted["personal"], true);
  // Fitted on the snapshot: the review made during the fit is not in it.
  EXPECT_EQ(fitted["fit"]["reviews"], recorded);
  EXPECT_EQ(Json(c->Get("/api/settings/fsrs")), fitted);
  // Finished, so optimizing again is allowed; now with that review.
  auto again = c->Post("/api/settings/fsrs/optimize", "", "application/json");
  ASSERT_TRUE(again);
  ASSERT_EQ(again->status, 200) << again->body;
  EXPECT_EQ(Json(again)["fit"]["reviews"], recorded + 1);
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace mindcards::testing
