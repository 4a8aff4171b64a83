#include "server/server_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "mindcards/fsrs_optimizer.h"
#include "mindcards/store.h"
#include "test_util.h"

namespace mindcards::testing {

ServerProcess::ServerProcess(const std::string& db,
                             const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0) {
    error_ = "pipe failed";
    return;
  }
  std::vector<std::string> argv = {BinaryPath(), "serve", "--port",
                                   "0",          "--db",  db};
  argv.insert(argv.end(), args.begin(), args.end());
  pid_ = fork();
  if (pid_ == 0) {
    dup2(out[1], 1);
    close(out[0]);
    close(out[1]);
    std::vector<char*> cargs;
    for (std::string& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  close(out[1]);
  // The first line is "mindcards: serving at http://127.0.0.1:PORT/".
  std::string line;
  char c;
  while (read(out[0], &c, 1) == 1 && c != '\n') line.push_back(c);
  close(out[0]);
  size_t colon = line.rfind(':');
  if (line.find("serving at") == std::string::npos ||
      colon == std::string::npos) {
    error_ = "server did not start; it printed: '" + line + "'";
    Kill();
    return;
  }
  port_ = std::atoi(line.c_str() + colon + 1);
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Stop();
}

std::unique_ptr<httplib::Client> ServerProcess::Client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_read_timeout(30, 0);
  return client;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
  pid_ = -1;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string TempDir(const std::string& name) {
  const char* base = std::getenv("TMPDIR");
  std::filesystem::path dir =
      std::filesystem::path(base ? base : "/tmp") /
      ("mindcards-server-test-" + std::to_string(getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

nlohmann::json Json(const httplib::Result& r) {
  if (!r) return nlohmann::json();
  return nlohmann::json::parse(r->body, nullptr, false);
}

size_t RecordSimulatedReviews(const std::string& db, int64_t map,
                              const fsrs::Weights& truth) {
  auto store = OpenSqliteStore(db);
  EXPECT_TRUE(store) << store.error().message;
  if (!store) return 0;
  auto cards = (*store)->ListCards(map, false);
  EXPECT_TRUE(cards && cards->size() > 10);
  if (!cards || cards->size() <= 10) return 0;
  fsrs::SimulationOptions sim;
  sim.cards = cards->size();
  // The simulator's card ids are arbitrary: number them as they come.
  std::map<int64_t, size_t> index;
  size_t recorded = 0;
  for (const fsrs::ReviewRecord& r : fsrs::SimulateRevlog(truth, sim)) {
    size_t card = index.try_emplace(r.card_id, index.size()).first->second;
    EXPECT_LT(card, cards->size());
    if (card >= cards->size()) return 0;
    ReviewRecord row;
    row.map_id = map;
    row.card_id = (*cards)[card].id;
    row.time_ms = r.time_ms;
    row.rating = r.rating;
    auto ok = (*store)->RecordReview(row);
    EXPECT_TRUE(ok);
    if (!ok) return 0;
    ++recorded;
  }
  return recorded;
}

}  // namespace mindcards::testing
