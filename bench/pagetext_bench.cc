// Reading page text: flattened (wrapped, inferred), numbered and bulleted
// bodies of about `state.range(0)` MB, generated from a synthetic map.
// BM_ReadPageText reads through ReadMap (threads chosen by the reader: two
// on a two-core machine; its CPU time is the benchmark thread's only);
// BM_ReadWrappedThreads fixes the thread count and reports process CPU.
#include <benchmark/benchmark.h>

#include <optional>
#include <string>

#include "mindcards/formats.h"
#include "mindcards/pagetext.h"

namespace {

// A map of headings and statements, three levels deep, about `bytes` of
// text once flattened.
mindcards::Map SyntheticMap(size_t bytes) {
  mindcards::Map map;
  mindcards::NodeId root = map.AddRoot("Causes and consequences of the war");
  const char* statements[] = {
      "After the treaty was signed the government reduced the army and "
      "moved resources to consumer industries",
      "Consequently, relations with the neighbours improved and trade grew "
      "steadily over the next decade",
      "however, the opposition argued that the cuts left the country exposed",
      "Talks between the four powers failed to settle the future of the "
      "region until 1955",
  };
  size_t size = 0, i = 0;
  while (size < bytes) {
    std::string heading = "Key events of " + std::to_string(1900 + i % 100);
    mindcards::NodeId h = map.AddChild(root, heading);
    size += heading.size() + 1;
    for (int s = 0; s < 4; ++s) {
      mindcards::NodeId n = map.AddChild(h, statements[s]);
      size += std::string_view(statements[s]).size() + 1;
      if (s == 1) {
        map.AddChild(n, statements[(s + 1) % 4]);
        size += 60;
      }
    }
    ++i;
  }
  return map;
}

// Flattens the synthetic map of `state.range(0)` MB in `style` and reads
// it with `read` once per iteration. Only the read is timed: the map read
// before is freed with the timer paused (freeing 2.5 million node texts
// takes about 0.1 s, which is no part of reading), and the last one after
// the loop.
template <typename Read>
void ReadEachIteration(benchmark::State& state, mindcards::FlattenStyle style,
                       const Read& read) {
  mindcards::FlattenOptions flatten;
  flatten.style = style;
  std::string text = mindcards::FlattenMap(
      SyntheticMap(static_cast<size_t>(state.range(0)) << 20), flatten);
  std::optional<decltype(read(text))> map;
  for (auto _ : state) {
    if (map) {
      state.PauseTiming();
      map.reset();
      state.ResumeTiming();
    }
    map.emplace(read(text));
    if (!*map) state.SkipWithError((*map).error().ToString().c_str());
    benchmark::DoNotOptimize(*map);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}

void BM_ReadPageText(benchmark::State& state, mindcards::FlattenStyle style) {
  mindcards::ReadOptions options;
  options.format = "pagetext";
  ReadEachIteration(state, style, [&](const std::string& text) {
    return mindcards::ReadMap(text, options);
  });
}

// Flattened text read with `state.range(1)` threads
// (PageTextOptions::threads); wall time, and the CPU time of the whole
// process (both threads).
void BM_ReadWrappedThreads(benchmark::State& state) {
  mindcards::PageTextOptions options;
  options.threads = static_cast<unsigned>(state.range(1));
  ReadEachIteration(state, mindcards::FlattenStyle::kWrapped,
                    [&](const std::string& text) {
                      return mindcards::ReadPageText(text, options);
                    });
}

BENCHMARK(BM_ReadWrappedThreads)
    ->ArgNames({"MB", "threads"})
    ->Args({100, 1})
    ->Args({100, 2})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

BENCHMARK_CAPTURE(BM_ReadPageText, wrapped, mindcards::FlattenStyle::kWrapped)
    ->Arg(1)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_ReadPageText, numbered, mindcards::FlattenStyle::kNumbered)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);
BENCHMARK_CAPTURE(BM_ReadPageText, bulleted, mindcards::FlattenStyle::kBulleted)
    ->Arg(100)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
