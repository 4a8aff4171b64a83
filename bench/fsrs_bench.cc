// FSRS scheduler throughput on a review stream: one review = a card before
// the review, the review time and the rating.
//
// With FSRS_STREAM=FILE the stream is read from FILE (the CSV that
// bench/fsrs_side_by_side.mjs writes, so ts-fsrs and mindcards time the same
// reviews); otherwise a stream of the same shape is simulated here.
// BM_FsrsNext reports a checksum of the outcomes, equal to the one the .mjs
// prints when both run the same stream.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "mindcards/fsrs.h"

namespace {

using mindcards::fsrs::Card;
using mindcards::fsrs::Rating;
using mindcards::fsrs::Scheduler;
using mindcards::fsrs::State;

struct Review {
  Card card;
  int64_t now_ms;
  Rating rating;
};

std::vector<Review> ReadStream(const char* path) {
  std::vector<Review> out;
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (f.size() == 11) f.emplace_back();
    if (f.size() < 12) continue;
    Review r;
    r.card.due_ms = std::stoll(f[0]);
    r.card.stability = std::stod(f[1]);
    r.card.difficulty = std::stod(f[2]);
    r.card.elapsed_days = std::stoi(f[3]);
    r.card.scheduled_days = std::stoi(f[4]);
    r.card.learning_steps = std::stoi(f[5]);
    r.card.reps = std::stoi(f[6]);
    r.card.lapses = std::stoi(f[7]);
    r.card.state = static_cast<State>(std::stoi(f[8]));
    if (!f[9].empty()) r.card.last_review_ms = std::stoll(f[9]);
    r.now_ms = std::stoll(f[10]);
    r.rating = static_cast<Rating>(std::stoi(f[11]));
    out.push_back(r);
  }
  return out;
}

// mulberry32, as the .mjs uses.
struct Mulberry32 {
  uint32_t a;
  double operator()() {
    a += 0x6d2b79f5u;
    uint32_t t = (a ^ (a >> 15)) * (1u | a);
    t = (t + ((t ^ (t >> 7)) * (61u | t))) ^ t;
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
  }
};

std::vector<Review> SimulateStream() {
  std::vector<Review> out;
  Scheduler s;
  Mulberry32 rnd{20261126};
  const int64_t t0 = 1735689600000;  // 2025-01-01
  for (int c = 0; c < 4000; ++c) {
    Card card = mindcards::fsrs::NewCard(
        t0 + static_cast<int64_t>(rnd() * 86400000.0 * 30));
    int64_t now = card.due_ms;
    for (int k = 0; k < 20; ++k) {
      double u = rnd();
      Rating g = u < 0.1    ? Rating::kAgain
                 : u < 0.25 ? Rating::kHard
                 : u < 0.85 ? Rating::kGood
                            : Rating::kEasy;
      out.push_back({card, now, g});
      card = *s.Next(card, now, g);
      int64_t ivl = card.due_ms - now;
      now += std::max<int64_t>(
          0, static_cast<int64_t>(std::floor(ivl * (0.7 + rnd() * 1.3))));
    }
  }
  return out;
}

const std::vector<Review>& Stream() {
  static const std::vector<Review> stream = [] {
    const char* path = std::getenv("FSRS_STREAM");
    return path != nullptr ? ReadStream(path) : SimulateStream();
  }();
  return stream;
}

void BM_FsrsNext(benchmark::State& state) {
  const auto& stream = Stream();
  Scheduler s;
  int64_t checksum = 0;
  for (const Review& r : stream) {
    Card c = *s.Next(r.card, r.now_ms, r.rating);
    checksum = (checksum + c.due_ms % 1000003 +
                static_cast<int64_t>(std::round(c.stability * 1e8)) % 1000003) %
               1000000007;
  }
  for (auto _ : state) {
    for (const Review& r : stream) {
      auto c = s.Next(r.card, r.now_ms, r.rating);
      benchmark::DoNotOptimize(c);
    }
  }
  state.SetItemsProcessed(state.iterations() * stream.size());
  state.counters["reviews"] = static_cast<double>(stream.size());
  state.counters["checksum"] = static_cast<double>(checksum);
}
BENCHMARK(BM_FsrsNext)->Unit(benchmark::kMillisecond);

void BM_FsrsPreview(benchmark::State& state) {
  const auto& stream = Stream();
  Scheduler s;
  for (auto _ : state) {
    for (const Review& r : stream) {
      auto c = s.Preview(r.card, r.now_ms);
      benchmark::DoNotOptimize(c);
    }
  }
  state.SetItemsProcessed(state.iterations() * stream.size());
}
BENCHMARK(BM_FsrsPreview)->Unit(benchmark::kMillisecond);

// The memory-state transition alone (ts-fsrs next_state): (D, S, elapsed
// days, rating) -> (D', S'), the computation the scheduler, the optimizer and
// simulators repeat. Inputs are taken from the stream beforehand.
void BM_FsrsNextState(benchmark::State& state) {
  struct Input {
    mindcards::fsrs::MemoryState m;
    double t;
    Rating g;
  };
  std::vector<Input> inputs;
  for (const Review& r : Stream()) {
    Input in{{r.card.stability, r.card.difficulty}, 0, r.rating};
    if (r.card.state != State::kNew && r.card.last_review_ms) {
      in.t = static_cast<double>(
          mindcards::fsrs::DaysBetween(*r.card.last_review_ms, r.now_ms));
    } else {
      in.m = {};
    }
    inputs.push_back(in);
  }
  Scheduler s;
  for (auto _ : state) {
    for (const Input& in : inputs) {
      auto next = s.NextState(in.m, in.t, in.g);
      benchmark::DoNotOptimize(next);
    }
  }
  state.SetItemsProcessed(state.iterations() * inputs.size());
}
BENCHMARK(BM_FsrsNextState)->Unit(benchmark::kMillisecond);

}  // namespace
