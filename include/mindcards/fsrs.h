// FSRS-6 spaced-repetition scheduling, a bit-exact port of ts-fsrs 5.4.2.
//
// A card carries its memory state (stability S in days, difficulty D in
// [1, 10]) and its schedule. `Scheduler::Next` applies one review and returns
// the card after it; `Scheduler::Preview` returns all four outcomes (to show
// the next interval on each answer button). Every result equals what
// ts-fsrs 5.4.2 computes for the same card, time and rating, double for
// double (learning steps, short-term on/off, desired retention, maximum
// interval, fuzz with the same Alea seed rule). docs/fsrs.md explains the
// model; ../shared/fsrs/SPEC.md is the reference the port follows.
//
// Times are integer milliseconds since the Unix epoch (UTC). Days are UTC
// calendar days, as in ts-fsrs: there is no time zone and no day-start hour.
#ifndef MINDCARDS_FSRS_H_
#define MINDCARDS_FSRS_H_

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/error.h"

namespace mindcards::fsrs {

enum class Rating : uint8_t { kAgain = 1, kHard = 2, kGood = 3, kEasy = 4 };
enum class State : uint8_t {
  kNew = 0,
  kLearning = 1,
  kReview = 2,
  kRelearning = 3,
};

// "Again", "Hard", "Good", "Easy"; "New", "Learning", "Review", "Relearning".
std::string_view RatingName(Rating rating);
std::string_view StateName(State state);
// 1..4 -> Rating; anything else is an error naming the value.
[[nodiscard]] Result<Rating> RatingFromInt(int value);

inline constexpr int kNumWeights = 21;
using Weights = std::array<double, kNumWeights>;

// The FSRS-6 defaults (fsrs-rs 6.x, ts-fsrs 5.x).
inline constexpr Weights kDefaultWeights = {
    0.212,  1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194,
    0.001,  1.8722, 0.1666, 0.796,  1.4835, 0.0614, 0.2629,
    1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542};

inline constexpr double kMinStability = 0.001;
inline constexpr double kMaxStability = 36500;

// Scheduler settings. The defaults are ts-fsrs's.
struct Parameters {
  // 21 FSRS-6 weights. Out-of-range values are clipped (as ts-fsrs does)
  // when a Scheduler is made; use MigrateWeights for 17- or 19-weight
  // vectors of older FSRS versions.
  Weights w = kDefaultWeights;
  // Probability of recall the intervals aim for, in (0, 1].
  double request_retention = 0.9;
  // Longest interval in days (>= 1). The Hard < Good < Easy ordering rule
  // can exceed it by up to 3 days, as in ts-fsrs.
  int32_t maximum_interval = 36500;
  // Randomise intervals of 3 days or more by a few percent, seeded from the
  // review time and card state (the same seed and PRNG as ts-fsrs).
  bool enable_fuzz = false;
  // Use learning/relearning steps and the same-day stability formula. When
  // off, every review is scheduled in whole days.
  bool enable_short_term = true;
  // Steps in whole minutes (ts-fsrs's "1m", "10m", "1h", "1d"). Steps of a
  // day or more graduate the card to Review.
  std::vector<int32_t> learning_steps = {1, 10};
  std::vector<int32_t> relearning_steps = {10};

  friend bool operator==(const Parameters&, const Parameters&) = default;
};

// Converts a weight vector of length 17 (FSRS-4.5), 19 (FSRS-5) or 21
// (FSRS-6) to 21 clipped FSRS-6 weights exactly as ts-fsrs's
// migrateParameters does; `num_relearning_steps` and `enable_short_term`
// select clamp ranges. Other lengths or non-finite values are an error.
[[nodiscard]] Result<Weights> MigrateWeights(std::span<const double> w,
                                             size_t num_relearning_steps,
                                             bool enable_short_term);
// Clamps each weight to its allowed range (ts-fsrs clipParameters; NaN
// becomes the range's lower end).
Weights ClipWeights(const Weights& w, size_t num_relearning_steps,
                    bool enable_short_term);

// "1m" / "10m" / "2h" / "1d" -> minutes (parseInt semantics, as ts-fsrs).
[[nodiscard]] Result<int32_t> ParseStep(std::string_view step);
// Minutes -> "1m", "2h", "1d" (the largest unit that divides it).
std::string StepToString(int32_t minutes);

// Parameters as JSON, in the form of the "effective" configs of
// ../shared/fsrs/vectors.json and of `mindcards fsrs optimize -o`:
// {"w": [21 numbers], "request_retention": 0.9, "maximum_interval": 36500,
//  "enable_fuzz": false, "enable_short_term": true,
//  "learning_steps": ["1m", "10m"], "relearning_steps": ["10m"]}.
// Every key is optional (missing keys keep the defaults); "w" may have 17,
// 19 or 21 entries. Other keys are ignored. Errors name the key.
[[nodiscard]] Result<Parameters> ParametersFromJson(std::string_view json);
std::string ParametersToJson(const Parameters& parameters);

// A card's scheduling state (ts-fsrs's Card).
struct Card {
  int64_t due_ms = 0;          // when the card is next due
  double stability = 0;        // S, days; 0 for a new card
  double difficulty = 0;       // D in [1, 10]; 0 for a new card
  int32_t elapsed_days = 0;    // days since the previous review (at review)
  int32_t scheduled_days = 0;  // interval chosen at the last review, days
  int32_t learning_steps = 0;  // index into the (re)learning steps
  int32_t reps = 0;            // reviews so far
  int32_t lapses = 0;          // times forgotten after graduating
  State state = State::kNew;
  std::optional<int64_t> last_review_ms;  // none for a new card

  friend bool operator==(const Card&, const Card&) = default;
};

// A new card, due at `created_ms`.
Card NewCard(int64_t created_ms);

// The memory part of a card.
struct MemoryState {
  double stability = 0;
  double difficulty = 0;
  friend bool operator==(const MemoryState&, const MemoryState&) = default;
};

// The four possible results of reviewing a card now, indexed by rating.
struct Outcomes {
  std::array<Card, 4> cards;
  const Card& operator[](Rating r) const {
    return cards[static_cast<int>(r) - 1];
  }
};

// UTC calendar-day difference: floor(to/86400000) - floor(from/86400000).
int64_t DaysBetween(int64_t from_ms, int64_t to_ms);

namespace detail {
class Review;
}  // namespace detail

// Schedules reviews with fixed parameters. Cheap to copy; thread-compatible
// (const methods may run concurrently).
class Scheduler {
 public:
  // A scheduler with the default parameters.
  Scheduler();
  // Validates `parameters` (retention in (0, 1], maximum interval >= 1,
  // steps >= 0 minutes, finite weights) and clips the weights.
  [[nodiscard]] static Result<Scheduler> Create(const Parameters& parameters);

  // The card after reviewing it at `now_ms` with `rating`. Fails (and leaves
  // nothing changed) when `now_ms` is on an earlier UTC day than the card's
  // last review, or when a reviewed card's state is invalid (D < 1,
  // S < 0.001, non-finite).
  [[nodiscard]] Result<Card> Next(const Card& card, int64_t now_ms,
                                  Rating rating) const;
  // All four outcomes of reviewing `card` at `now_ms` (ts-fsrs's repeat()).
  [[nodiscard]] Result<Outcomes> Preview(const Card& card,
                                         int64_t now_ms) const;

  // Probability of recall at `now_ms` (ts-fsrs's get_retrievability: whole
  // 24-hour periods since the last review; 0 for a new card).
  double Retrievability(const Card& card, int64_t now_ms) const;

  // The memory-state transition alone (ts-fsrs FSRSAlgorithm.next_state):
  // `state` is nullopt (or S = D = 0) for a first review; `elapsed_days` >= 0;
  // `retrievability` overrides R(elapsed_days, S) when given.
  [[nodiscard]] Result<MemoryState> NextState(
      std::optional<MemoryState> state, double elapsed_days, Rating rating,
      std::optional<double> retrievability = std::nullopt) const;
  // R(t, S) = round8((1 + FACTOR * t / S) ^ -w20).
  double ForgettingCurve(double elapsed_days, double stability) const;
  // The interval (days, no fuzz) for stability S at the desired retention.
  int32_t Interval(double stability) const;

  const Parameters& parameters() const { return parameters_; }
  // The effective (clipped) weights.
  const Weights& weights() const { return parameters_.w; }
  double decay() const { return decay_; }
  double factor() const { return factor_; }
  double interval_modifier() const { return interval_modifier_; }

 private:
  friend class detail::Review;
  explicit Scheduler(const Parameters& parameters, bool);

  Parameters parameters_;
  double decay_ = 0;
  double factor_ = 0;
  double interval_modifier_ = 0;
  // Terms that depend only on the weights, indexed by rating - 1.
  double exp_w8_ = 0;
  double lapse_divisor_ = 1;
  std::array<double, 4> init_d_{};
  std::array<double, 4> init_s_{};
  std::array<double, 4> short_term_exp_{};
  // Next difficulty: -w6 * (g - 3) by rating - 1, w7 * D0(4) and 1 - w7.
  std::array<double, 4> delta_d_{};
  double mean_reversion_ = 0;
  double one_minus_w7_ = 0;
};

// Replays conformance vectors in the format of ../shared/fsrs/vectors.json
// (and vectors_fuzz.json): every sequence, review by review, comparing each
// recorded value bit for bit (states, S, D, intervals, due times, steps,
// counters, R, previews of all four ratings, fuzz seeds and factors), plus
// the unit sections. Calls `on_mismatch` with one line per difference.
// Fails only when `json` is not a vectors file.
struct ConformanceReport {
  size_t sequences = 0;
  size_t reviews = 0;
  size_t checks = 0;
  size_t mismatches = 0;
};
[[nodiscard]] Result<ConformanceReport> ReplayConformanceVectors(
    std::string_view json,
    const std::function<void(const std::string&)>& on_mismatch);

// A short human form of the wait from `from_ms` to `to_ms` for answer
// buttons: "<1m", "10m", "3h", "2d", "3.5mo", "1.2y".
std::string FormatInterval(int64_t from_ms, int64_t to_ms);

}  // namespace mindcards::fsrs

#endif  // MINDCARDS_FSRS_H_
