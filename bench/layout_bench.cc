// Layout and rendering speed. Trees come from the same generator as
// ../shared/layout/treegen.mjs (mulberry32, seed 42, bushy and deep), so
// the numbers line up with bench/layout_side_by_side.sh.
//
//   build/layout_bench --benchmark_filter=Tidy
//
// Counters: bytes_per_node is the peak heap the call allocated (counted by
// the operator new below) divided by the node count.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <malloc.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "layout/tidy.h"
#include "mindcards/layout.h"
#include "mindcards/render.h"

// ---- peak heap accounting ----
extern "C" void* __libc_memalign(size_t alignment, size_t n);
extern "C" void __libc_free(void* p);
namespace {
std::atomic<int64_t> g_current{0};
std::atomic<int64_t> g_peak{0};
void Grow(int64_t bytes) {
  int64_t now = g_current += bytes;
  int64_t peak = g_peak.load();
  while (now > peak && !g_peak.compare_exchange_weak(peak, now)) {
  }
}
void Count(void* p) {
  if (p != nullptr) Grow(static_cast<int64_t>(malloc_usable_size(p)));
}
}  // namespace

void* operator new(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  Count(p);
  return p;
}
// malloc/free pair with the operator new above.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  if (p != nullptr) g_current -= static_cast<int64_t>(malloc_usable_size(p));
  __libc_free(p);
}
void operator delete(void* p, size_t) noexcept { operator delete(p); }
#pragma GCC diagnostic pop

// detail::AllocateLarge takes arrays of 4 MB and more from aligned_alloc
// and gives them back with free: count those blocks too (a handful live at
// a time; every other free goes straight to glibc).
namespace {
constexpr int kSlots = 64;
std::atomic<void*> g_large[kSlots];
std::atomic<int64_t> g_large_size[kSlots];
}  // namespace
extern "C" void* aligned_alloc(size_t alignment, size_t n) noexcept {
  void* p = __libc_memalign(alignment, n);
  if (p == nullptr) return p;
  for (int i = 0; i < kSlots; ++i) {
    void* empty = nullptr;
    if (g_large[i].compare_exchange_strong(empty, p)) {
      g_large_size[i] = static_cast<int64_t>(n);
      Grow(static_cast<int64_t>(n));
      break;
    }
  }
  return p;
}
extern "C" void free(void* p) noexcept {
  if (p == nullptr) return;
  for (int i = 0; i < kSlots; ++i) {
    if (g_large[i].load() == p) {
      g_current -= g_large_size[i].load();
      g_large[i] = nullptr;
      break;
    }
  }
  __libc_free(p);
}

namespace mindcards {
namespace {

// ---- the harness generator (treegen.mjs) ----
struct GenTree {
  std::vector<int32_t> parent, w, h;
};

class Mulberry32 {
 public:
  explicit Mulberry32(uint32_t seed) : a_(seed) {}
  double Next() {
    a_ += 0x6D2B79F5u;
    uint32_t t = (a_ ^ (a_ >> 15)) * (1u | a_);
    t = (t + ((t ^ (t >> 7)) * (61u | t))) ^ t;
    return (t ^ (t >> 14)) / 4294967296.0;
  }
  int Int(int lo, int hi) {
    return lo + static_cast<int>(std::floor(Next() * (hi - lo + 1)));
  }

 private:
  uint32_t a_;
};

GenTree Generate(bool bushy, int n) {
  Mulberry32 rng(42);
  GenTree t;
  std::vector<int32_t> depth;
  auto add = [&](int p) {
    t.parent.push_back(p);
    t.w.push_back(rng.Int(40, 300));
    t.h.push_back(rng.Int(20, 80));
    depth.push_back(p < 0 ? 0 : depth[p] + 1);
    return static_cast<int>(t.parent.size()) - 1;
  };
  add(-1);
  if (bushy) {
    int d = std::min(10, std::max(6, static_cast<int>(std::floor(
                                         std::log(n) / std::log(3.5) + 0.5))));
    std::vector<int> frontier = {0};
    while (static_cast<int>(t.parent.size()) < n && !frontier.empty()) {
      int i = rng.Int(0, static_cast<int>(frontier.size()) - 1);
      int v = frontier[i];
      frontier[i] = frontier.back();
      frontier.pop_back();
      int k = std::min(rng.Int(2, 8), n - static_cast<int>(t.parent.size()));
      for (int j = 0; j < k; ++j) {
        int c = add(v);
        if (depth[c] < d) frontier.push_back(c);
      }
    }
  } else {
    int last_tail = -1;
    while (static_cast<int>(t.parent.size()) < n) {
      double r = rng.Next();
      int size = static_cast<int>(t.parent.size());
      int attach =
          (r < 0.6 && last_tail >= 0) ? last_tail : rng.Int(0, size - 1);
      int len = std::min(rng.Int(20, 200), n - size);
      int p = attach;
      for (int j = 0; j < len; ++j) p = add(p);
      last_tail = p;
    }
  }
  return t;
}

// The generated tree as a Map with given box sizes. `preorder`: nodes are
// added in preorder, as readers of real files add them; otherwise in the
// generator's order (ids = generator ids, as `-f sizes` reads the harness
// files: for bushy trees a scattered order).
Map ToMap(const GenTree& g, bool preorder) {
  size_t n = g.parent.size();
  std::vector<int> order;
  if (preorder) {
    std::vector<std::vector<int>> kids(n);
    for (size_t i = 1; i < n; ++i)
      kids[g.parent[i]].push_back(static_cast<int>(i));
    std::vector<int> stack = {0};
    while (!stack.empty()) {
      int v = stack.back();
      stack.pop_back();
      order.push_back(v);
      for (size_t j = kids[v].size(); j-- > 0;) stack.push_back(kids[v][j]);
    }
  } else {
    for (size_t i = 0; i < n; ++i) order.push_back(static_cast<int>(i));
  }
  Map map;
  map.Reserve(n);
  std::vector<NodeId> made(n);
  for (int i : order) {
    NodeId id = g.parent[i] < 0
                    ? map.AddRoot(std::to_string(i))
                    : map.AddChild(made[g.parent[i]], std::to_string(i));
    made[i] = id;
    map.node(id).mutable_extras().attributes.push_back(
        {std::string(kSizeAttribute), fmt::format("{} {}", g.w[i], g.h[i])});
  }
  return map;
}

// The tree in preorder, as markmap configures d3-flextree (breadth = box
// height, depth = box width + 80).
struct PreorderTree {
  std::vector<uint32_t> parent;
  std::vector<double> x_size, y_size;
};
PreorderTree ToPreorder(const GenTree& g) {
  size_t n = g.parent.size();
  std::vector<std::vector<int>> kids(n);
  for (size_t i = 1; i < n; ++i)
    kids[g.parent[i]].push_back(static_cast<int>(i));
  PreorderTree out;
  std::vector<std::pair<int, uint32_t>> stack = {{0, detail::kNone}};
  while (!stack.empty()) {
    auto [v, p] = stack.back();
    stack.pop_back();
    uint32_t index = static_cast<uint32_t>(out.parent.size());
    out.parent.push_back(p);
    out.x_size.push_back(g.h[v]);
    out.y_size.push_back(g.w[v] + 80);
    for (size_t j = kids[v].size(); j-- > 0;)
      stack.push_back({kids[v][j], index});
  }
  return out;
}

// Runs `body` once per iteration; reports the heap it used at its peak per
// node and the nodes per second.
template <typename Body>
void RunMeasuringPeak(benchmark::State& state, size_t nodes, Body body) {
  int64_t peak = 0;
  for (auto _ : state) {
    int64_t base = g_current.load();
    g_peak = base;
    body();
    peak = g_peak.load() - base;
  }
  state.counters["bytes_per_node"] =
      static_cast<double>(peak) / static_cast<double>(nodes);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * nodes));
}

// The tidy core alone on a tree already in preorder: fill, both walks,
// read the positions back.
void BM_TidyCore(benchmark::State& state) {
  bool bushy = state.range(0) == 0;
  PreorderTree t =
      ToPreorder(Generate(bushy, static_cast<int>(state.range(1))));
  size_t n = t.parent.size();
  double sum = 0;
  RunMeasuringPeak(state, n, [&] {
    detail::TidyTree tidy(n);
    tidy.SetRoot(t.x_size[0], t.y_size[0]);
    for (size_t k = 1; k < n; ++k) {
      tidy.Add(static_cast<uint32_t>(k), t.parent[k], t.x_size[k], t.y_size[k]);
    }
    tidy.Layout(5, 10);
    sum += tidy.ResolveRoot().x;
    for (size_t k = 1; k < n; ++k) {
      auto [x, y, half] = tidy.Resolve(k);
      sum += x + y;
    }
  });
  benchmark::DoNotOptimize(sum);
  state.SetLabel(bushy ? "bushy" : "deep");
}
BENCHMARK(BM_TidyCore)
    ->ArgsProduct({{0, 1}, {1000, 10000, 100000, 1000000}})
    ->Unit(benchmark::kMillisecond);

// The whole LayoutMap call on a Map whose nodes carry their sizes.
void BM_LayoutMapGivenSizes(benchmark::State& state) {
  bool bushy = state.range(0) == 0;
  bool preorder = state.range(2) == 1;
  Map map = ToMap(Generate(bushy, static_cast<int>(state.range(1))), preorder);
  LayoutOptions o;
  o.kind = LayoutKind::kTidy;
  RunMeasuringPeak(state, map.size(), [&] {
    auto l = LayoutMap(map, o);
    benchmark::DoNotOptimize(l);
  });
  state.SetLabel(fmt::format("{} {}", bushy ? "bushy" : "deep",
                             preorder ? "ids in preorder" : "generator ids"));
}
BENCHMARK(BM_LayoutMapGivenSizes)
    ->ArgsProduct({{0, 1}, {100000, 1000000}, {0, 1}})
    ->Unit(benchmark::kMillisecond);

// The generated tree as LayoutTree's arrays: ids as the generator numbers
// them (as `-f sizes` reads the harness files: for bushy trees a scattered
// order), or renumbered in preorder (as a harness file written in preorder
// reads; the same tree).
TreeSizes ToTreeSizes(const GenTree& g, bool preorder) {
  size_t n = g.parent.size();
  std::vector<int> order(n);
  std::vector<uint32_t> renumber(n);
  if (preorder) {
    std::vector<std::vector<int>> kids(n);
    for (size_t i = 1; i < n; ++i)
      kids[g.parent[i]].push_back(static_cast<int>(i));
    std::vector<int> stack = {0};
    order.clear();
    while (!stack.empty()) {
      int v = stack.back();
      stack.pop_back();
      renumber[v] = static_cast<uint32_t>(order.size());
      order.push_back(v);
      for (size_t j = kids[v].size(); j-- > 0;) stack.push_back(kids[v][j]);
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      order[i] = static_cast<int>(i);
      renumber[i] = static_cast<uint32_t>(i);
    }
  }
  TreeSizes tree;
  for (int v : order) {
    tree.parent.push_back(g.parent[v] < 0 ? 0 : renumber[g.parent[v]]);
    tree.width.push_back(g.w[v]);
    tree.height.push_back(g.h[v]);
  }
  return tree;
}

// LayoutTree on `threads` threads.
void RunLayoutTree(benchmark::State& state, bool preorder, unsigned threads) {
  bool bushy = state.range(0) == 0;
  TreeSizes tree =
      ToTreeSizes(Generate(bushy, static_cast<int>(state.range(1))), preorder);
  LayoutOptions o;
  o.kind = LayoutKind::kTidy;
  o.threads = threads;
  unsigned ran = 0;
  RunMeasuringPeak(state, tree.size(), [&] {
    auto l = LayoutTree(tree, o);
    ran = l->threads;
    benchmark::DoNotOptimize(l);
  });
  state.SetLabel(fmt::format("{}{}, {} thread{}", bushy ? "bushy" : "deep",
                             preorder ? ", ids in preorder" : "", ran,
                             ran == 1 ? "" : "s"));
}

// The same trees through LayoutTree (what `mindcards layout -f sizes` does):
// compact arrays in the generator's order, no Map, one thread.
void BM_LayoutTreeGivenSizes(benchmark::State& state) {
  RunLayoutTree(state, false, 1);
}
BENCHMARK(BM_LayoutTreeGivenSizes)
    ->ArgsProduct({{0, 1}, {100000, 1000000}})
    ->Unit(benchmark::kMillisecond);

// The same on two threads: Time is wall time, CPU the whole process's.
void BM_LayoutTreeGivenSizesTwoThreads(benchmark::State& state) {
  RunLayoutTree(state, false, 2);
}
BENCHMARK(BM_LayoutTreeGivenSizesTwoThreads)
    ->ArgsProduct({{0, 1}, {100000, 1000000}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// The same trees with ids in preorder, on range(2) threads (wall time,
// process CPU).
void BM_LayoutTreeGivenSizesPreorderIds(benchmark::State& state) {
  RunLayoutTree(state, true, static_cast<unsigned>(state.range(2)));
}
BENCHMARK(BM_LayoutTreeGivenSizesPreorderIds)
    ->ArgsProduct({{0, 1}, {100000, 1000000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// A map with text labels: 1-6 words from a vocabulary, some wrapping.
Map TextMap(int n) {
  GenTree g = Generate(true, n);
  Mulberry32 rng(7);
  std::vector<std::string> vocab;
  const char* syll[] = {"ka", "lo", "mi", "ne",  "ru",  "sa",
                        "te", "vo", "zi", "pha", "str", "ion"};
  for (int i = 0; i < 5000; ++i) {
    std::string w;
    int s = rng.Int(1, 4);
    for (int j = 0; j < s; ++j) w += syll[rng.Int(0, 11)];
    vocab.push_back(w);
  }
  Map map;
  map.Reserve(g.parent.size());
  for (size_t i = 0; i < g.parent.size(); ++i) {
    std::string text;
    int words = rng.Int(1, 6);
    for (int j = 0; j < words; ++j) {
      // Zipf-like: favour the first words of the vocabulary.
      double u = rng.Next();
      text +=
          (j ? " " : "") + vocab[static_cast<size_t>(u * u * u * vocab.size())];
    }
    if (g.parent[i] < 0) {
      map.AddRoot(text);
    } else {
      map.AddChild(g.parent[i], text);
    }
  }
  return map;
}

void BM_LayoutMapMeasuringText(benchmark::State& state) {
  Map map = TextMap(static_cast<int>(state.range(0)));
  LayoutOptions o;
  o.kind = LayoutKind::kMap;
  o.max_width = 150;
  for (auto _ : state) {
    auto l = LayoutMap(map, o);
    benchmark::DoNotOptimize(l);
  }
  state.SetItemsProcessed(state.iterations() * map.size());
}
BENCHMARK(BM_LayoutMapMeasuringText)
    ->Arg(100000)
    ->Arg(1000000)
    ->Unit(benchmark::kMillisecond);

void BM_LayoutAndSvg(benchmark::State& state) {
  Map map = TextMap(static_cast<int>(state.range(0)));
  LayoutOptions o;
  size_t bytes = 0;
  for (auto _ : state) {
    auto l = LayoutMap(map, o);
    auto svg = RenderSvg(map, *l, RenderOptions{});
    bytes = svg->size();
    benchmark::DoNotOptimize(svg);
  }
  state.counters["svg_MB"] = bytes / 1e6;
  state.SetItemsProcessed(state.iterations() * map.size());
}
BENCHMARK(BM_LayoutAndSvg)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_LayoutAndCairo(benchmark::State& state) {
  Map map = TextMap(10000);
  LayoutOptions o;
  bool png = state.range(0) == 0;
  RenderInfo info;
  size_t bytes = 0;
  for (auto _ : state) {
    auto l = LayoutMap(map, o);
    auto out = png ? RenderPng(map, *l, RenderOptions{}, &info)
                   : RenderPdf(map, *l, RenderOptions{}, &info);
    bytes = out->size();
    benchmark::DoNotOptimize(out);
  }
  state.SetLabel(fmt::format("{} 10k nodes {}x{}{}", png ? "png" : "pdf",
                             info.pixel_width, info.pixel_height,
                             info.scaled_down ? " (scaled down)" : ""));
  state.counters["MB"] = bytes / 1e6;
}
BENCHMARK(BM_LayoutAndCairo)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

}  // namespace
}  // namespace mindcards
