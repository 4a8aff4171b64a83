// Reading and writing a generated 1,000,000-node map in every format that
// has both a reader and a writer: BM_Read/FORMAT and BM_Write/FORMAT, with
// bytes/s (from CPU time, which a shared machine disturbs less than wall
// time) and the peak resident memory of each run (counter peak_MB; the
// generated map and its bytes are resident before the run starts, see
// base_MB). BM_Read times ReadMap alone: freeing the map it made happens
// with the clock stopped, as it is no part of reading. Formats register
// themselves, so new ones are measured without editing this file.
// A reader may use a second thread (ReadLimits::threads; Markdown does from
// 4 MB): BM_Read's CPU time is the whole process's, so bytes_per_second is
// the CPU cost, and wall_bytes_per_second (from the Time column) the speed
// a user waits for. MINDCARDS_BENCH_READ_THREADS=N sets ReadLimits::threads.
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>
#include <string>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

constexpr size_t kNodes = 1'000'000;

// A deterministic bushy map: breadth-first, 2 to 12 children a node (about
// 7 levels), texts of 2 to 9 words (~40 bytes), every 20th node with a
// note. Words include some non-ASCII to exercise UTF-8 paths.
const Map& BushyMap() {
  static const Map map = [] {
    static const char* const kWords[] = {
        "cold",     "war",         "treaty",  "economy",   "policy",
        "soviet",   "union",       "détente", "missile",   "crisis",
        "berlin",   "wall",        "nato",    "warsaw",    "pact",
        "1945",     "1962",        "arms",    "race",      "proxy",
        "conflict", "ideology",    "market",  "reform",    "Ostpolitik",
        "glasnost", "perestroika", "Kraków",  "São Paulo", "東京"};
    uint64_t state = 0x9E3779B97F4A7C15ull;
    auto next = [&state](uint32_t n) {
      state = state * 6364136223846793005ull + 1442695040888963407ull;
      return static_cast<uint32_t>((state >> 33) % n);
    };
    auto sentence = [&](uint32_t min, uint32_t span) {
      std::string s;
      uint32_t words = min + next(span);
      for (uint32_t w = 0; w < words; ++w) {
        if (w > 0) s.push_back(' ');
        s += kWords[next(std::size(kWords))];
      }
      s[0] = static_cast<char>(s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0]);
      return s;
    };
    Map m;
    m.Reserve(kNodes);
    m.meta().title = "Generated bushy map";
    std::deque<NodeId> queue = {m.AddRoot("Generated bushy map")};
    while (m.size() < kNodes) {
      NodeId parent = queue.front();
      queue.pop_front();
      uint32_t children = 2 + next(11);
      for (uint32_t c = 0; c < children && m.size() < kNodes; ++c) {
        NodeId id = m.AddChild(parent, sentence(2, 8));
        if (m.size() % 20 == 0) m.node(id).set_note(sentence(8, 12));
        queue.push_back(id);
      }
    }
    return m;
  }();
  return map;
}

// The generated map written as `format`. With MINDCARDS_BENCH_DUMP=DIR in
// the environment, also saved as DIR/bushy.FORMAT, so that the CLI can be
// timed on the same bytes (docs/benchmarks.md).
const std::string& Written(const std::string& format) {
  static std::map<std::string, std::string> cache;
  auto it = cache.find(format);
  if (it == cache.end()) {
    auto text = WriteMap(BushyMap(), format);
    it = cache.emplace(format, text ? *text : std::string()).first;
    if (const char* dir = std::getenv("MINDCARDS_BENCH_DUMP")) {
      std::ofstream(std::string(dir) + "/bushy." + format, std::ios::binary)
          << it->second;
    }
  }
  return it->second;
}

// Resident memory from /proc/self/status ("VmHWM", "VmRSS"), in MB.
double StatusMb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) {
      return std::stod(line.substr(line.find(':') + 1)) / 1024.0;
    }
  }
  return 0;
}

// Resets the peak (VmHWM) to the current resident size (Linux >= 4.0).
void ResetPeak() {
  if (FILE* f = std::fopen("/proc/self/clear_refs", "w")) {
    std::fputs("5", f);
    std::fclose(f);
  }
}

void ReportMemory(benchmark::State& state, double base) {
  state.counters["base_MB"] = base;
  state.counters["peak_MB"] = StatusMb("VmHWM:");
}

void BM_Read(benchmark::State& state, std::string format) {
  const std::string& bytes = Written(format);
  ReadOptions options;
  options.format = format;
  if (const char* threads = std::getenv("MINDCARDS_BENCH_READ_THREADS")) {
    options.limits.threads = static_cast<unsigned>(std::atoi(threads));
  }
  ResetPeak();
  double base = StatusMb("VmRSS:");
  size_t nodes = 0;
  double wall_seconds = 0;
  for (auto _ : state) {
    auto start = std::chrono::steady_clock::now();
    auto map = ReadMap(bytes, options);
    wall_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    if (!map) {
      state.SkipWithError(map.error().ToString().c_str());
      return;
    }
    nodes = map->size();
    benchmark::DoNotOptimize(map);
    // The CLI reads a map once into a fresh heap. Freeing this map (a
    // million small strings) and glibc's consolidation of those chunks,
    // which it would otherwise do inside the next read's first large
    // allocation, are not reading: both happen with the clock stopped.
    state.PauseTiming();
    map = Map();
    malloc_trim(0);
    state.ResumeTiming();
  }
  state.SetBytesProcessed(
      static_cast<int64_t>(state.iterations() * bytes.size()));
  state.counters["wall_bytes_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations() * bytes.size()) / wall_seconds,
      benchmark::Counter::kDefaults, benchmark::Counter::OneK::kIs1024);
  state.counters["nodes"] = static_cast<double>(nodes);
  state.counters["MB"] = static_cast<double>(bytes.size()) / 1e6;
  ReportMemory(state, base);
}

void BM_Write(benchmark::State& state, std::string format) {
  const Map& map = BushyMap();
  size_t size = Written(format).size();
  ResetPeak();
  double base = StatusMb("VmRSS:");
  for (auto _ : state) {
    auto text = WriteMap(map, format);
    if (!text) {
      state.SkipWithError(text.error().ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(text);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
  state.counters["MB"] = static_cast<double>(size) / 1e6;
  ReportMemory(state, base);
}

const bool kRegistered = [] {
  for (const FormatSpec* spec : AllFormats()) {
    if (spec->read == nullptr || spec->write == nullptr) continue;
    std::string name = spec->name;
    benchmark::RegisterBenchmark(("BM_Read/" + name).c_str(), BM_Read, name)
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime();
    benchmark::RegisterBenchmark(("BM_Write/" + name).c_str(), BM_Write, name)
        ->Unit(benchmark::kMillisecond);
  }
  return true;
}();

}  // namespace
}  // namespace mindcards
