// Fitting the 21 FSRS-6 weights to a learner's own review history, as the
// FSRS optimizer (fsrs-rs, the engine behind Anki's "Optimize") does:
// pre-training of the initial stabilities per first rating, outlier
// filtering, then Adam with a cosine learning-rate schedule on the
// recency-weighted log loss plus an L2 pull toward the pre-trained start,
// clipping the weights after every step and keeping the best epoch.
// Gradients come from forward-mode automatic differentiation of the FSRS
// recurrence (dual numbers with one lane per weight). docs/fsrs.md explains
// the method and its differences from fsrs-rs.
//
// Input is a review log: one record per review (card, time, rating), in any
// order. Each card's reviews are sorted by time; the day of a review is its
// UTC calendar day shifted by `next_day_starts_at_hour`. A training item is
// a review on a later day than the card's previous review (its outcome is
// the label: recalled unless rated Again), predicted from the card's history
// before it, exactly as fsrs-rs builds its items.
#ifndef MINDCARDS_FSRS_OPTIMIZER_H_
#define MINDCARDS_FSRS_OPTIMIZER_H_

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/fsrs.h"

namespace mindcards::fsrs {

// One review in a log.
struct ReviewRecord {
  int64_t card_id = 0;
  int64_t time_ms = 0;  // ms since the Unix epoch, UTC
  int32_t rating = 0;   // 1 Again .. 4 Easy; other values are skipped
};

// Reads a review log CSV in the fsrs-rs / Anki export form of
// ../shared/fsrs/synth_revlog.csv:
//   card_id,review_time,review_rating,review_state,review_duration
// (a header line; review_time in ms; further columns ignored). Rows with a
// rating outside 1..4 are skipped with a warning; malformed rows are errors
// with their line and column.
[[nodiscard]] Result<std::vector<ReviewRecord>> ReadRevlogCsv(
    std::string_view text, Diagnostics* warnings);

struct OptimizerOptions {
  bool enable_short_term = true;    // as the scheduler that will use it
  size_t num_relearning_steps = 1;  // selects the w17/w18 clamp ceiling
  int next_day_starts_at_hour = 0;  // 0..23, UTC
  int epochs = 5;
  size_t batch_size = 512;  // training items per Adam step
  double learning_rate = 0.04;
  double gamma = 1.0;  // weight of the L2 pull toward the starting weights
  uint64_t seed = 2023;
  size_t max_seq_len = 64;  // items with a longer history are not trained on
  bool filter_outliers = true;
  // Full-batch passes after the epochs (see docs/fsrs.md); -1: automatic
  // (many on small logs, few on large ones), 0: none, as fsrs-rs.
  int refine_passes = -1;
  // Called after each step with (done, total) steps; return false to stop
  // (Optimize then fails with "interrupted").
  std::function<bool(size_t done, size_t total)> progress;
};

// Log loss and RMSE(bins) as fsrs-rs and the srs-benchmark define them, both
// weighted by recency (items in time order; the oldest counts 0.25, the
// newest 1). RMSE(bins) groups items by elapsed days, review count and lapse
// count and averages predicted against actual recall per group.
struct Metrics {
  double log_loss = 0;
  double rmse_bins = 0;
  size_t items = 0;
};

struct FitResult {
  Weights w = kDefaultWeights;
  // False when there was too little data to train and `w` holds the defaults
  // (or the defaults with pre-trained initial stabilities); `note` says why.
  bool trained = false;
  std::string note;
  size_t reviews = 0;  // reviews used (ratings 1..4)
  size_t cards = 0;
  size_t items = 0;       // training items before outlier filtering
  size_t items_used = 0;  // after filtering and the history-length cap
  int best_epoch = 0;     // 1-based; 0 when not trained
  std::vector<double> epoch_losses;  // weighted log loss after each epoch
};

// Fits the weights. Never returns non-finite weights: degenerate input (no
// reviews, one card, only Again, ...) gives the defaults and a note.
[[nodiscard]] Result<FitResult> Optimize(std::span<const ReviewRecord> reviews,
                                         const OptimizerOptions& options);

// In-sample metrics of `w` on the log's items.
[[nodiscard]] Result<Metrics> Evaluate(std::span<const ReviewRecord> reviews,
                                       const Weights& w,
                                       const OptimizerOptions& options);

// Out-of-sample metrics: items in time order are cut into 6 equal parts; for
// k = 1..5 the weights are fitted on parts before k and predict part k
// (scikit-learn's TimeSeriesSplit with 5 splits, as fsrs-rs and the
// srs-benchmark use).
[[nodiscard]] Result<Metrics> EvaluateTimeSeriesSplit(
    std::span<const ReviewRecord> reviews, const OptimizerOptions& options);

// A synthetic review log from known weights: the generator of
// ../shared/fsrs/simulate.mjs (cards introduced over the first year,
// simulated for six years, each at its own desired retention in
// [0.70, 0.95], noisy and sometimes overdue intervals capped at 100 days,
// Bernoulli recall, same-day learning and relearning steps), driven by this
// port of the scheduler and a fixed seed. For tests and benchmarks.
struct SimulationOptions {
  size_t cards = 2000;
  uint64_t seed = 42;
};
std::vector<ReviewRecord> SimulateRevlog(const Weights& w,
                                         const SimulationOptions& options);

// Writes reviews as a revlog CSV that ReadRevlogCsv reads.
std::string RevlogToCsv(std::span<const ReviewRecord> reviews);

}  // namespace mindcards::fsrs

#endif  // MINDCARDS_FSRS_OPTIMIZER_H_
