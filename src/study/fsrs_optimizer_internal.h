// The optimizer's data set and differentiable model, exposed for tests (the
// gradient check against finite differences) and the benchmark.
#ifndef MINDCARDS_STUDY_FSRS_OPTIMIZER_INTERNAL_H_
#define MINDCARDS_STUDY_FSRS_OPTIMIZER_INTERNAL_H_

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "mindcards/fsrs.h"
#include "mindcards/fsrs_optimizer.h"

namespace mindcards::fsrs::detail {

// One review of a card, in the card's time order.
struct TrainingReview {
  uint32_t delta_t = 0;  // days since the card's previous review (0: same day)
  uint8_t rating = 0;    // 1..4
  bool target = false;   // a prediction target (a later day, not the first)
  bool trainable = false;  // a target the current fit trains on
  float weight = 0;        // recency weight of the target
  uint32_t rank = 0;       // the target's position in time order
};

struct TrainingCard {
  uint32_t begin = 0;  // into TrainingData::reviews
  uint32_t end = 0;
  uint32_t first_target = UINT32_MAX;  // index of the first long-term review
  bool kept = true;                    // not removed as an outlier
};

// Every card's reviews, flattened, plus the items (targets) in time order.
struct TrainingData {
  std::vector<TrainingReview> reviews;
  std::vector<TrainingCard> cards;
  size_t items = 0;    // targets
  size_t skipped = 0;  // records with a rating outside 1..4
  size_t used_reviews = 0;
};

// Groups, sorts and converts a review log (see fsrs_optimizer.h).
TrainingData BuildTrainingData(std::span<const ReviewRecord> records,
                               int next_day_starts_at_hour);

// Forward-mode dual number: a value and its partial derivatives with respect
// to the 21 weights.
struct Dual {
  Dual() = default;
  // A constant: zero derivatives. (A constructor rather than aggregate
  // initialisation from parentheses, which clang 14 lacks.)
  explicit Dual(double value) : v(value) {}

  double v = 0;
  std::array<double, kNumWeights> d{};
};

// Weighted log loss summed over the trainable targets of `cards`, and its
// gradient with respect to w (no L2 term).
struct LossAndGradient {
  double loss = 0;
  std::array<double, kNumWeights> gradient{};
  size_t items = 0;
};
LossAndGradient CardsLossAndGradient(const Weights& w, const TrainingData& data,
                                     std::span<const uint32_t> cards);
// The same loss without derivatives.
double CardsLoss(const Weights& w, const TrainingData& data,
                 std::span<const uint32_t> cards);

// R predicted for every target of `data` with `w`, indexed like
// data.reviews (NaN for reviews that are not targets).
std::vector<double> PredictTargets(const Weights& w, const TrainingData& data);

// fsrs-rs pre-training: S0 per first rating from the items with one
// long-term review (ternary search on the smoothed, count-weighted log loss
// with an L1 pull to the default), then smooth_and_fill. `rating_count`
// receives the items per first rating. Returns false when there is no
// pre-training data.
bool PretrainInitialStability(const TrainingData& data, double average_recall,
                              std::array<double, 4>* s0,
                              std::array<uint32_t, 4>* rating_count);

// fsrs-rs smooth_and_fill: makes S0 non-decreasing in the rating and fills
// missing ratings. `have[i]` says whether s0[i] was fitted.
bool SmoothAndFill(std::array<double, 4>* s0, std::array<bool, 4> have,
                   const std::array<uint32_t, 4>& rating_count);

}  // namespace mindcards::fsrs::detail

#endif  // MINDCARDS_STUDY_FSRS_OPTIMIZER_INTERNAL_H_
