// Scheduler parameters kept in the store; see mindcards/fsrs_settings.h.
#include "mindcards/fsrs_settings.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

namespace mindcards {
namespace {

using nlohmann::json;

// Days since the epoch -> "YYYY-MM-DD" (proleptic Gregorian, UTC).
std::string IsoDate(int64_t time_ms) {
  int64_t z = (time_ms >= 0 ? time_ms : time_ms - 86399999) / 86400000;
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

// 5231 -> "5,231".
std::string Thousands(size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double Finite(double x) { return std::isfinite(x) ? x : 0.0; }

}  // namespace

std::string FsrsFitSummaryToJson(const FsrsFitSummary& fit) {
  json j{{"log_loss", Finite(fit.log_loss)},
         {"rmse_bins", Finite(fit.rmse_bins)},
         {"default_log_loss", Finite(fit.default_log_loss)},
         {"default_rmse_bins", Finite(fit.default_rmse_bins)},
         {"reviews", fit.reviews},
         {"cards", fit.cards},
         {"time_ms", fit.time_ms},
         {"date", IsoDate(fit.time_ms)},
         {"trained", fit.trained},
         {"note", fit.note}};
  return j.dump();
}

Result<FsrsFitSummary> FsrsFitSummaryFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Fail(ErrorCode::kBadInput, "fsrs.fit: not a JSON object");
  }
  FsrsFitSummary fit;
  auto number = [&](const char* key, double* out) -> bool {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_number()) return false;
    *out = it->get<double>();
    return std::isfinite(*out);
  };
  double reviews = 0, cards = 0, time_ms = 0;
  for (auto [key, out] : {std::pair{"log_loss", &fit.log_loss},
                          {"rmse_bins", &fit.rmse_bins},
                          {"default_log_loss", &fit.default_log_loss},
                          {"default_rmse_bins", &fit.default_rmse_bins},
                          {"reviews", &reviews},
                          {"cards", &cards},
                          {"time_ms", &time_ms}}) {
    if (!number(key, out) || *out < 0 || *out > 9e15) {
      return Fail(ErrorCode::kBadInput,
                  fmt::format("fsrs.fit: \"{}\" is not a number >= 0", key));
    }
  }
  fit.reviews = static_cast<size_t>(reviews);
  fit.cards = static_cast<size_t>(cards);
  fit.time_ms = static_cast<int64_t>(time_ms);
  if (auto it = j.find("trained"); it != j.end() && it->is_boolean()) {
    fit.trained = it->get<bool>();
  }
  if (auto it = j.find("note"); it != j.end() && it->is_string()) {
    fit.note = it->get<std::string>();
  }
  return fit;
}

StoredFsrsParameters LoadFsrsParameters(Store& store) {
  StoredFsrsParameters out;
  auto text = store.GetSetting(kFsrsParametersSetting);
  if (!text) {
    out.warning = fmt::format("cannot read setting {}: {}; using the defaults",
                              kFsrsParametersSetting, text.error().message);
    return out;
  }
  if (!*text || (*text)->empty()) return out;
  auto params = fsrs::ParametersFromJson(**text);
  if (params) {
    // The scheduler clips weights; refuse what it would refuse.
    if (auto s = fsrs::Scheduler::Create(*params); !s) {
      params = tl::unexpected(s.error());
    }
  }
  if (!params) {
    out.warning = fmt::format("setting {} is not valid: {}; using the defaults",
                              kFsrsParametersSetting, params.error().message);
    return out;
  }
  out.parameters = std::move(*params);
  out.personal = true;
  if (auto fit = store.GetSetting(kFsrsFitSetting);
      fit && *fit && !(*fit)->empty()) {
    if (auto summary = FsrsFitSummaryFromJson(**fit)) out.fit = *summary;
  }
  return out;
}

std::string DescribeFsrsParameters(const StoredFsrsParameters& stored) {
  if (!stored.personal) return "default parameters";
  if (!stored.fit) return "personal parameters";
  return fmt::format("personal parameters (fitted {} on {} reviews)",
                     IsoDate(stored.fit->time_ms),
                     Thousands(stored.fit->reviews));
}

Result<std::vector<fsrs::ReviewRecord>> FsrsReviewsFromStore(Store& store) {
  auto rows = store.ListReviews(0, "");
  if (!rows) return tl::unexpected(rows.error());
  // Cards are keyed by (map, card id) in the store.
  std::map<std::pair<int64_t, std::string>, int64_t> ids;
  std::vector<fsrs::ReviewRecord> reviews;
  reviews.reserve(rows->size());
  for (const ReviewRecord& row : *rows) {
    auto [it, added] =
        ids.try_emplace({static_cast<int64_t>(row.map_id), row.card_id},
                        static_cast<int64_t>(ids.size()));
    reviews.push_back({it->second, row.time_ms, row.rating});
  }
  return reviews;
}

FsrsFitSummary SummarizeFit(std::span<const fsrs::ReviewRecord> reviews,
                            const fsrs::FitResult& fit,
                            const fsrs::OptimizerOptions& options,
                            int64_t now_ms) {
  FsrsFitSummary s;
  s.reviews = fit.reviews;
  s.cards = fit.cards;
  s.time_ms = now_ms;
  s.trained = fit.trained;
  s.note = fit.note;
  if (auto m = fsrs::Evaluate(reviews, fit.w, options)) {
    s.log_loss = m->log_loss;
    s.rmse_bins = m->rmse_bins;
  }
  if (auto m = fsrs::Evaluate(reviews, fsrs::kDefaultWeights, options)) {
    s.default_log_loss = m->log_loss;
    s.default_rmse_bins = m->rmse_bins;
  }
  return s;
}

Result<void> SaveFsrsParameters(Store& store, const fsrs::Parameters& params,
                                const FsrsFitSummary& fit) {
  if (auto ok = store.PutSetting(kFsrsParametersSetting,
                                 fsrs::ParametersToJson(params));
      !ok) {
    return ok;
  }
  return store.PutSetting(kFsrsFitSetting, FsrsFitSummaryToJson(fit));
}

Result<void> ClearFsrsParameters(Store& store) {
  if (auto ok = store.PutSetting(kFsrsParametersSetting, ""); !ok) return ok;
  return store.PutSetting(kFsrsFitSetting, "");
}

}  // namespace mindcards
