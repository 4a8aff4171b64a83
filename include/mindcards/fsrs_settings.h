// The scheduler parameters kept in the store: the fitted FSRS weights
// (setting "fsrs.parameters", JSON as fsrs::ParametersToJson) and a summary
// of the fit that made them (setting "fsrs.fit"). Shared by `mindcards
// study`, `mindcards fsrs optimize --save` and the web server.
#ifndef MINDCARDS_FSRS_SETTINGS_H_
#define MINDCARDS_FSRS_SETTINGS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/fsrs.h"
#include "mindcards/fsrs_optimizer.h"
#include "mindcards/store.h"

namespace mindcards {

inline constexpr std::string_view kFsrsParametersSetting = "fsrs.parameters";
inline constexpr std::string_view kFsrsFitSetting = "fsrs.fit";

// How well fitted weights predict the review log they were fitted on.
struct FsrsFitSummary {
  double log_loss = 0;
  double rmse_bins = 0;
  double default_log_loss = 0;  // the default weights on the same log
  double default_rmse_bins = 0;
  size_t reviews = 0;
  size_t cards = 0;
  int64_t time_ms = 0;  // when the fit ran
  bool trained = false;
  std::string note;
};

std::string FsrsFitSummaryToJson(const FsrsFitSummary& fit);
[[nodiscard]] Result<FsrsFitSummary> FsrsFitSummaryFromJson(
    std::string_view json);

// The parameters a scheduler should use. A missing or empty setting gives
// the defaults; a bad one gives the defaults and a `warning` saying why.
struct StoredFsrsParameters {
  fsrs::Parameters parameters;
  bool personal = false;
  std::optional<FsrsFitSummary> fit;
  std::string warning;
};
StoredFsrsParameters LoadFsrsParameters(Store& store);

// "personal parameters (fitted 2026-11-26 on 5,231 reviews)" or
// "default parameters".
std::string DescribeFsrsParameters(const StoredFsrsParameters& stored);

// The store's review log as optimizer input (cards keyed by map and id).
[[nodiscard]] Result<std::vector<fsrs::ReviewRecord>> FsrsReviewsFromStore(
    Store& store);

// Evaluates `fit` (and the defaults) on `reviews` into a summary.
FsrsFitSummary SummarizeFit(std::span<const fsrs::ReviewRecord> reviews,
                            const fsrs::FitResult& fit,
                            const fsrs::OptimizerOptions& options,
                            int64_t now_ms);

// Stores parameters and their fit summary.
[[nodiscard]] Result<void> SaveFsrsParameters(Store& store,
                                              const fsrs::Parameters& params,
                                              const FsrsFitSummary& fit);
// Back to the defaults (both settings emptied).
[[nodiscard]] Result<void> ClearFsrsParameters(Store& store);

}  // namespace mindcards

#endif  // MINDCARDS_FSRS_SETTINGS_H_
