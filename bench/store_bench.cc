// Store and grading throughput: what `POST /api/reviews` and
// `GET /api/study/due` cost below HTTP, and grading one typed answer.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "mindcards/apkg.h"
#include "mindcards/grade.h"
#include "mindcards/store.h"

namespace mindcards {
namespace {

constexpr int64_t kT0 = 1'780'000'000'000;

std::string BenchDb() {
  std::string dir = std::filesystem::temp_directory_path().string() +
                    "/mindcards-bench-" + std::to_string(getpid());
  std::filesystem::remove_all(dir);
  return dir + "/bench.db";
}

// A store with one map of `n` cards, on disk (WAL, synchronous=NORMAL).
std::unique_ptr<Store> MakeStore(const std::string& path, size_t n,
                                 MapKey* map) {
  auto s = OpenSqliteStore(path);
  if (!s) return nullptr;
  MapRecord m;
  m.name = "bench";
  *map = *(*s)->PutMap(m, nullptr);
  std::vector<StoredCard> cards(n);
  for (size_t i = 0; i < n; ++i) {
    cards[i].id = "card" + std::to_string(i);
    cards[i].kind = "cloze";
    cards[i].front = "Front of card " + std::to_string(i);
    cards[i].back = "1955";
  }
  (void)(*s)->SyncCards(*map, cards);
  return std::move(*s);
}

void BM_RecordReview(benchmark::State& state) {
  std::string path = BenchDb();
  MapKey map = 0;
  auto store = MakeStore(path, 1000, &map);
  int64_t i = 0;
  for (auto _ : state) {
    ReviewRecord r;
    r.map_id = map;
    r.card_id = "card" + std::to_string(i % 1000);
    r.time_ms = kT0 + i;
    r.rating = 3;
    r.after.state = CardState::kReview;
    r.after.due_ms = kT0 + i + 86'400'000;
    auto id = store->RecordReview(r);
    benchmark::DoNotOptimize(id);
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
  store.reset();
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}
BENCHMARK(BM_RecordReview);

void BM_Queue(benchmark::State& state) {
  std::string path = BenchDb();
  MapKey map = 0;
  auto store = MakeStore(path, static_cast<size_t>(state.range(0)), &map);
  QueueOptions q;
  q.map_id = map;
  q.now_ms = kT0;
  q.limit = 20;
  for (auto _ : state) {
    auto cards = store->Queue(q);
    benchmark::DoNotOptimize(cards);
  }
  state.SetItemsProcessed(state.iterations());
  store.reset();
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}
BENCHMARK(BM_Queue)->Arg(1000)->Arg(100000);

void BM_GradeAnswer(benchmark::State& state) {
  const std::pair<const char*, const char*> kPairs[] = {
      {"Kruschev", "Nikita Khrushchev"},
      {"5,800,000", "5.8 million"},
      {"in 55", "1955"},
      {"ussr usa uk", "USA, USSR, UK, France"},
      {"15th of April 2014", "15/04/2014"},
      {"the Warsaw Pact", "Warsaw Pact"},
  };
  GradeOptions options;
  options.era_century = 1900;
  size_t i = 0;
  for (auto _ : state) {
    const auto& [answer, expected] = kPairs[i++ % std::size(kPairs)];
    benchmark::DoNotOptimize(GradeAnswer(answer, expected, options));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GradeAnswer);

void BM_WriteApkg(benchmark::State& state) {
  std::vector<Card> cards(static_cast<size_t>(state.range(0)));
  for (size_t i = 0; i < cards.size(); ++i) {
    cards[i].id = std::to_string(1'000'000 + i);
    cards[i].kind = i % 2 == 0 ? CardKind::kCloze : CardKind::kWhen;
    cards[i].front = "Stalin died in [...] " + std::to_string(i);
    cards[i].back = "1953";
    cards[i].cloze = "Stalin died in {{c1::1953}} " + std::to_string(i);
    cards[i].context = {"Cold War", "Peaceful Coexistence"};
  }
  ApkgOptions options;
  options.now_ms = kT0;
  for (auto _ : state) {
    auto bytes = WriteApkg(cards, "Bench", options);
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_WriteApkg)->Arg(125)->Arg(10000);

}  // namespace
}  // namespace mindcards
