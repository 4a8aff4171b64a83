// Card generation on large synthetic history maps: the issue asks for the
// cards of a 100,000-node map in under a second.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <string>

#include "mindcards/cards.h"
#include "mindcards/facts.h"

namespace {

// A map shaped like a student's: 10 topics, 10 subtopics each, 10 sections
// each, and leaves under the sections until `nodes` is reached. Leaf texts
// mix the facts a history map holds: dates of several forms, quantities,
// names, quotes and questions.
mindcards::Map HistoryMap(int nodes) {
  static constexpr const char* kNames[] = {
      "Khrushchev", "Malenkov", "Eisenhower", "Austria",     "Finland",
      "Geneva",     "Porkkala", "Yugoslavia", "Red Army",    "NATO",
      "Tito",       "Beria",    "Kennedy",    "Berlin",      "Korea",
      "Hungary",    "Nagy",     "Dulles",     "Warsaw Pact", "Molotov"};
  static constexpr const char* kMonths[] = {"January", "March",   "June",
                                            "July",    "October", "December"};
  uint64_t state = 0x1234567;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  auto name = [&] { return kNames[next(20)]; };
  auto year = [&] { return 1900 + static_cast<int>(next(100)); };
  mindcards::Map map;
  map.Reserve(nodes);
  mindcards::NodeId root = map.AddRoot("Twentieth-century history revision");
  std::vector<mindcards::NodeId> sections;
  int count = 1;
  for (int t = 0; t < 10 && count < nodes; ++t) {
    auto topic = map.AddChild(
        root, fmt::format("{} and {}: topic {}", name(), name(), t));
    ++count;
    for (int s = 0; s < 10 && count < nodes; ++s) {
      auto sub = map.AddChild(
          topic, fmt::format("Why did {} act in {}?", name(), year()));
      ++count;
      for (int k = 0; k < 10 && count < nodes; ++k) {
        sections.push_back(
            map.AddChild(sub, fmt::format("{} treaty {}", name(), year())));
        ++count;
      }
    }
  }
  size_t i = 0;
  while (count < nodes) {
    auto parent = sections[i++ % sections.size()];
    std::string text;
    switch (next(8)) {
      case 0:
        text = fmt::format("In {} {} signed a treaty with {} at {}", year(),
                           name(), name(), name());
        break;
      case 1:
        text =
            fmt::format("{} cut the army from {}.{}mil to {}.{}mil men", name(),
                        next(9) + 1, next(10), next(9) + 1, next(10));
        break;
      case 2:
        text = fmt::format("Production rose by {}.{}% between {} and {}",
                           next(9) + 1, next(100), year(), year());
        break;
      case 3:
        text = fmt::format(
            "As {} said 'there is no dispute that cannot be "
            "settled' in {} {}",
            name(), kMonths[next(6)], next(100));
        break;
      case 4:
        text = fmt::format("{} paid ${}million in reparations to {} in {}",
                           name(), next(900) + 100, name(), next(100));
        break;
      case 5:
        text = fmt::format("Further cuts of {}% were announced in early {}0s",
                           next(90) + 10, next(10));
        break;
      case 6:
        text = fmt::format("{} was given a {} year lease of {} from {}-{}",
                           name(), next(90) + 10, name(), year(), next(100));
        break;
      default:
        text = fmt::format("{} met {} on {}/{}/{} to end the war", name(),
                           name(), next(28) + 1, next(12) + 1, year());
    }
    map.AddChild(parent, text);
    ++count;
  }
  return map;
}

// Arguments: nodes, threads (CardOptions::threads). CPU time is the whole
// process's (all threads), so the two-thread runs show their total work;
// their wall time is what a user waits.
void BM_GenerateCards(benchmark::State& state) {
  mindcards::Map map = HistoryMap(static_cast<int>(state.range(0)));
  mindcards::CardOptions options;
  options.threads = static_cast<int>(state.range(1));
  size_t cards = 0;
  for (auto _ : state) {
    std::vector<mindcards::Card> out = mindcards::GenerateCards(map, options);
    cards = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["cards"] = static_cast<double>(cards);
  state.counters["nodes"] = static_cast<double>(map.size());
}
BENCHMARK(BM_GenerateCards)
    ->Args({1000, 1})
    ->Args({20000, 1})  // the size measured under callgrind (benchmarks.md)
    ->Args({100000, 1})
    ->Args({100000, 2})
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_ExtractFacts(benchmark::State& state) {
  mindcards::Map map = HistoryMap(static_cast<int>(state.range(0)));
  size_t facts = 0;
  for (auto _ : state) {
    std::vector<mindcards::Fact> out = mindcards::ExtractFacts(map);
    facts = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["facts"] = static_cast<double>(facts);
}
BENCHMARK(BM_ExtractFacts)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_CardsToJson(benchmark::State& state) {
  mindcards::Map map = HistoryMap(static_cast<int>(state.range(0)));
  std::vector<mindcards::Card> cards = mindcards::GenerateCards(map, {});
  for (auto _ : state) {
    std::string json = mindcards::CardsToJson(cards);
    benchmark::DoNotOptimize(json.data());
  }
}
BENCHMARK(BM_CardsToJson)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
