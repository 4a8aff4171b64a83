// FSRS-6 as ts-fsrs 5.4.2 computes it. Every formula keeps the JavaScript
// operation order and rounding (../shared/fsrs/SPEC.md); the comments name
// the ts-fsrs function each piece mirrors. Values that ts-fsrs recomputes on
// every call but that depend only on the parameters (e^w8, D0(Easy), FACTOR)
// are computed once: the same expression on the same inputs gives the same
// bits.
#include "mindcards/fsrs.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "study/fsrs_internal.h"

namespace mindcards::fsrs {
namespace detail {

double ToFixed8(double x) {
  if (!std::isfinite(x) || std::fabs(x) >= 1e21) return x;
  // An exact tie at the 8th decimal needs x = m / 512 with m odd; printf
  // breaks it to even, JS away from zero.
  double m = x * 512;
  if (m == std::floor(m) && std::fmod(std::fabs(m), 2) == 1 &&
      std::fabs(m) < 9007199254740992.0) {
    double n = std::floor(std::fabs(x) * 1e8) + 1;
    return std::copysign(n / 1e8, x);
  }
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.8f", x);
  return std::strtod(buf, nullptr);
}

std::string JsNumberToString(double x) {
  if (std::isnan(x)) return "NaN";
  if (x == 0) return "0";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  std::string sign = x < 0 ? "-" : "";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(x),
                           std::chars_format::scientific);
  std::string_view sci(buf, res.ptr - buf);
  size_t e_pos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e_pos)) {
    if (c != '.') digits += c;
  }
  int exp10 = std::atoi(std::string(sci.substr(e_pos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;  // value = 0.digits * 10^n
  if (k <= n && n <= 21) {
    return sign + digits + std::string(n - k, '0');
  }
  if (0 < n && n <= 21) {
    return sign + digits.substr(0, n) + "." + digits.substr(n);
  }
  if (-6 < n && n <= 0) {
    return sign + "0." + std::string(-n, '0') + digits;
  }
  std::string mantissa = digits.substr(0, 1);
  if (k > 1) {  // appended in two steps: "." + substr trips g++ 12's -Wrestrict
    mantissa += '.';
    mantissa.append(digits, 1);
  }
  int e = n - 1;
  return sign + mantissa + "e" + (e < 0 ? "-" : "+") +
         std::to_string(std::abs(e));
}

namespace {

constexpr double kTwoPow32 = 4294967296.0;
constexpr double kTwoPowMinus32 = 2.3283064365386963e-10;

// JS ToUint32 for the non-negative values Mash produces.
double ToUint32(double x) {
  double r = std::fmod(std::trunc(x), kTwoPow32);
  if (r < 0) r += kTwoPow32;
  return r;
}

class Mash {
 public:
  double operator()(std::string_view data) {
    for (unsigned char ch : data) {
      n_ += ch;
      double h = 0.02519603282416938 * n_;
      n_ = ToUint32(h);
      h -= n_;
      h *= n_;
      n_ = ToUint32(h);
      h -= n_;
      n_ += h * kTwoPow32;
    }
    return ToUint32(n_) * kTwoPowMinus32;
  }

 private:
  double n_ = 4022871197.0;
};

}  // namespace

Alea::Alea(std::string_view seed) {
  Mash mash;
  c_ = 1;
  s0_ = mash(" ");
  s1_ = mash(" ");
  s2_ = mash(" ");
  s0_ -= mash(seed);
  if (s0_ < 0) s0_ += 1;
  s1_ -= mash(seed);
  if (s1_ < 0) s1_ += 1;
  s2_ -= mash(seed);
  if (s2_ < 0) s2_ += 1;
}

double Alea::Next() {
  double t = 2091639 * s0_ + c_ * kTwoPowMinus32;
  s0_ = s1_;
  s1_ = s2_;
  c_ = std::trunc(t);  // t | 0, with 0 <= t < 2^31
  s2_ = t - c_;
  return s2_;
}

FuzzRange GetFuzzRange(double interval, double elapsed_days,
                       double maximum_interval) {
  double delta = 1;
  delta += 0.15 * std::max(std::min(interval, 7.0) - 2.5, 0.0);
  delta += 0.1 * std::max(std::min(interval, 20.0) - 7, 0.0);
  delta += 0.05 * std::max(interval - 20, 0.0);
  interval = std::min(interval, maximum_interval);
  double min_ivl = std::max(2.0, JsRound(interval - delta));
  double max_ivl = std::min(JsRound(interval + delta), maximum_interval);
  if (interval > elapsed_days) min_ivl = std::max(min_ivl, elapsed_days + 1);
  min_ivl = std::min(min_ivl, max_ivl);
  return {min_ivl, max_ivl};
}

double DecayFactor(double w20) {
  double decay = -w20;
  return Round8(std::exp((1 / decay) * std::log(0.9)) - 1);
}

std::string FuzzSeed(int64_t now_ms, int32_t reps, double product) {
  return fmt::format("{}_{}_{}", now_ms, reps, JsNumberToString(product));
}

}  // namespace detail

using detail::Clamp;
using detail::JsRound;
using detail::Round8;

namespace {

constexpr int64_t kMsPerDay = 86400000;
constexpr int64_t kMsPerMinute = 60000;

// The rows of ts-fsrs CLAMP_PARAMETERS.
constexpr std::array<std::array<double, 2>, kNumWeights> kClampRanges = {{
    {0.001, 100}, {0.001, 100}, {0.001, 100},  {0.001, 100}, {1, 10},
    {0.001, 4},   {0.001, 4},   {0.001, 0.75}, {0, 4.5},     {0, 0.8},
    {0.001, 3.5}, {0.001, 5},   {0.001, 0.25}, {0.001, 0.9}, {0, 4},
    {0, 1},       {1, 6},       {0, 2},        {0, 2},       {0.01, 0.8},
    {0.1, 0.8},
}};

// x || 0 (NaN and -0 are falsy).
double OrZero(double x) { return std::isnan(x) || x == 0 ? 0.0 : x; }

// ts-fsrs clipParameters over the first `size` weights.
void ClipInPlace(double* w, size_t size, size_t num_relearning_steps,
                 bool enable_short_term) {
  auto ranges = kClampRanges;
  if (!enable_short_term) ranges[19][0] = 0;
  if (num_relearning_steps > 1) {
    double w11 = Clamp(OrZero(w[11]), ranges[11][0], ranges[11][1]);
    double w13 = Clamp(OrZero(w[13]), ranges[13][0], ranges[13][1]);
    double w14 = Clamp(OrZero(w[14]), ranges[14][0], ranges[14][1]);
    double value =
        -(std::log(w11) + std::log(std::pow(2, w13) - 1) + w14 * 0.3) /
        static_cast<double>(num_relearning_steps);
    double ceiling = Clamp(Round8(std::sqrt(std::max(value, 0.0))), 0.01, 2);
    ranges[17][1] = ceiling;
    ranges[18][1] = ceiling;
  }
  for (size_t i = 0; i < size; ++i) {
    w[i] = Clamp(OrZero(w[i]), ranges[i][0], ranges[i][1]);
  }
}

}  // namespace

std::string_view RatingName(Rating rating) {
  switch (rating) {
    case Rating::kAgain:
      return "Again";
    case Rating::kHard:
      return "Hard";
    case Rating::kGood:
      return "Good";
    case Rating::kEasy:
      return "Easy";
  }
  return "?";
}

std::string_view StateName(State state) {
  switch (state) {
    case State::kNew:
      return "New";
    case State::kLearning:
      return "Learning";
    case State::kReview:
      return "Review";
    case State::kRelearning:
      return "Relearning";
  }
  return "?";
}

Result<Rating> RatingFromInt(int value) {
  if (value < 1 || value > 4) {
    return BadInput(fmt::format(
        "rating {} is out of range: expected 1 (Again), 2 (Hard), 3 (Good) "
        "or 4 (Easy)",
        value));
  }
  return static_cast<Rating>(value);
}

Weights ClipWeights(const Weights& w, size_t num_relearning_steps,
                    bool enable_short_term) {
  Weights out = w;
  ClipInPlace(out.data(), out.size(), num_relearning_steps, enable_short_term);
  return out;
}

Result<Weights> MigrateWeights(std::span<const double> w,
                               size_t num_relearning_steps,
                               bool enable_short_term) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (!std::isfinite(w[i])) {
      return BadInput(
          fmt::format("FSRS weight w[{}] is not a finite number", i));
    }
  }
  Weights out{};
  std::copy(w.begin(), w.begin() + std::min<size_t>(w.size(), kNumWeights),
            out.begin());
  switch (w.size()) {
    case 21:
      ClipInPlace(out.data(), 21, num_relearning_steps, enable_short_term);
      break;
    case 19:
      ClipInPlace(out.data(), 19, num_relearning_steps, enable_short_term);
      out[19] = 0;
      out[20] = 0.5;
      break;
    case 17:
      ClipInPlace(out.data(), 17, num_relearning_steps, enable_short_term);
      out[4] = detail::ToFixed8(out[5] * 2 + out[4]);
      out[5] = detail::ToFixed8(std::log(out[5] * 3 + 1) / 3);
      out[6] = detail::ToFixed8(out[6] + 0.5);
      out[17] = 0;
      out[18] = 0;
      out[19] = 0;
      out[20] = 0.5;
      break;
    default:
      return BadInput(fmt::format(
          "FSRS weights: expected 17, 19 or 21 numbers, got {}", w.size()));
  }
  // FSRSAlgorithm.prepare_parameters clips a second time.
  ClipInPlace(out.data(), 21, num_relearning_steps, enable_short_term);
  return out;
}

Result<int32_t> ParseStep(std::string_view step) {
  auto invalid = [&](std::string_view why) {
    return BadInput(fmt::format("invalid learning step \"{}\": {}", step, why));
  };
  if (step.size() < 2) return invalid("expected a number and a unit m, h or d");
  char unit = step.back();
  std::string_view number = step.substr(0, step.size() - 1);
  // parseInt: optional leading spaces and sign, then digits; the rest is
  // ignored ("1.5" reads as 1).
  size_t i = 0;
  while (i < number.size() && (number[i] == ' ' || number[i] == '\t')) ++i;
  bool negative = false;
  if (i < number.size() && (number[i] == '+' || number[i] == '-')) {
    negative = number[i] == '-';
    ++i;
  }
  int64_t value = 0;
  size_t digits = 0;
  while (i < number.size() && number[i] >= '0' && number[i] <= '9') {
    value = value * 10 + (number[i] - '0');
    if (value > 1000000000) return invalid("too large");
    ++i;
    ++digits;
  }
  if (digits == 0) return invalid("expected a number before the unit");
  if (negative && value != 0) return invalid("steps cannot be negative");
  int64_t minutes = 0;
  switch (unit) {
    case 'm':
      minutes = value;
      break;
    case 'h':
      minutes = value * 60;
      break;
    case 'd':
      minutes = value * 1440;
      break;
    default:
      return invalid("expected the unit m, h or d");
  }
  if (minutes > 1000000000) return invalid("too large");
  return static_cast<int32_t>(minutes);
}

std::string StepToString(int32_t minutes) {
  if (minutes != 0 && minutes % 1440 == 0)
    return fmt::format("{}d", minutes / 1440);
  if (minutes != 0 && minutes % 60 == 0)
    return fmt::format("{}h", minutes / 60);
  return fmt::format("{}m", minutes);
}

Card NewCard(int64_t created_ms) {
  Card card;
  card.due_ms = created_ms;
  return card;
}

int64_t DaysBetween(int64_t from_ms, int64_t to_ms) {
  auto day = [](int64_t ms) {
    int64_t d = ms / kMsPerDay;
    if (ms % kMsPerDay < 0) --d;
    return d;
  };
  return day(to_ms) - day(from_ms);
}

Scheduler::Scheduler() : Scheduler(Parameters{}, true) {}

Scheduler::Scheduler(const Parameters& parameters, bool)
    : parameters_(parameters) {
  parameters_.w = ClipWeights(parameters.w, parameters.relearning_steps.size(),
                              parameters.enable_short_term);
  const Weights& w = parameters_.w;
  decay_ = -w[20];
  factor_ = detail::DecayFactor(w[20]);
  interval_modifier_ = Round8(
      (std::pow(parameters_.request_retention, 1 / decay_) - 1) / factor_);
  exp_w8_ = std::exp(w[8]);
  for (int g = 1; g <= 4; ++g) {
    init_d_[g - 1] = Round8(w[4] - std::exp((g - 1) * w[5]) + 1);
    init_s_[g - 1] = std::max(w[g - 1], 0.1);
    short_term_exp_[g - 1] = std::exp(w[17] * (g - 3 + w[18]));
    delta_d_[g - 1] = -w[6] * (g - 3);
  }
  mean_reversion_ = w[7] * init_d_[3];
  one_minus_w7_ = 1 - w[7];
  // S / e^(w17 w18) after a lapse with short-term on; S / e^0 = S when off.
  lapse_divisor_ = parameters_.enable_short_term ? std::exp(w[17] * w[18])
                                                 : std::exp(0 * 0.0);
}

Result<Scheduler> Scheduler::Create(const Parameters& parameters) {
  if (!(parameters.request_retention > 0 &&
        parameters.request_retention <= 1)) {
    return BadInput(fmt::format(
        "desired retention {} is out of range: expected a number in (0, 1]",
        parameters.request_retention));
  }
  if (parameters.maximum_interval < 1) {
    return BadInput(fmt::format(
        "maximum interval {} is out of range: expected at least 1 day",
        parameters.maximum_interval));
  }
  for (size_t i = 0; i < parameters.w.size(); ++i) {
    if (!std::isfinite(parameters.w[i])) {
      return BadInput(
          fmt::format("FSRS weight w[{}] is not a finite number", i));
    }
  }
  for (const auto* steps :
       {&parameters.learning_steps, &parameters.relearning_steps}) {
    for (int32_t m : *steps) {
      if (m < 0) {
        return BadInput(fmt::format(
            "learning step of {} minutes: steps cannot be negative", m));
      }
    }
  }
  return Scheduler(parameters, true);
}

double Scheduler::ForgettingCurve(double elapsed_days, double stability) const {
  return Round8(std::pow(1 + factor_ * elapsed_days / stability, decay_));
}

int32_t Scheduler::Interval(double stability) const {
  double ivl = std::min(std::max(1.0, JsRound(stability * interval_modifier_)),
                        static_cast<double>(parameters_.maximum_interval));
  return static_cast<int32_t>(ivl);
}

namespace detail {

// The FSRSAlgorithm formulas, and one review in progress (ts-fsrs's
// AbstractScheduler after init()).
class Review {
 public:
  // --- FSRSAlgorithm: pure memory-state formulas -------------------------

  // Constant terms come precomputed (the same products, so the same bits).
  // For Good the change is -w6 * 0 = ±0, and d ± 0 is d: that round8 and
  // division are skipped.
  static double NextDifficulty(const Scheduler& s, double d, int g) {
    double next_d = d;
    if (g != 3) next_d = d + Round8(s.delta_d_[g - 1] * (10 - d) / 9);
    return Clamp(Round8(s.mean_reversion_ + s.one_minus_w7_ * next_d), 1, 10);
  }

  // exp(w8)*(11-D)*S^-w9*(exp((1-R)*w10)-1): the factor the three recall
  // grades share, evaluated left to right as ts-fsrs does.
  static double RecallBase(const Scheduler& s, double d, double st, double r) {
    const Weights& w = s.parameters_.w;
    return s.exp_w8_ * (11 - d) * std::pow(st, -w[9]) *
           (std::exp((1 - r) * w[10]) - 1);
  }
  static double RecallStability(const Scheduler& s, double st, double base,
                                int g) {
    const Weights& w = s.parameters_.w;
    double hard_penalty = g == 2 ? w[15] : 1;
    double easy_bonus = g == 4 ? w[16] : 1;
    return Round8(Clamp(st * (1 + base * hard_penalty * easy_bonus),
                        kMinStability, kMaxStability));
  }
  static double LapseStability(const Scheduler& s, double d, double st,
                               double r) {
    const Weights& w = s.parameters_.w;
    double s_after_fail = Round8(
        Clamp(w[11] * std::pow(d, -w[12]) * (std::pow(st + 1, w[13]) - 1) *
                  std::exp((1 - r) * w[14]),
              kMinStability, kMaxStability));
    double next_s_min = st / s.lapse_divisor_;
    return Clamp(Round8(next_s_min), kMinStability, s_after_fail);
  }
  static double ShortTermStability(const Scheduler& s, double st, int g) {
    double sinc = std::pow(st, -s.parameters_.w[19]) * s.short_term_exp_[g - 1];
    if (g >= 2) sinc = std::max(sinc, 1.0);
    return Round8(Clamp(st * sinc, kMinStability, kMaxStability));
  }

  static bool ValidMemory(double d, double st) {
    return d >= 1 && st >= kMinStability && std::isfinite(d) &&
           std::isfinite(st);
  }
  static tl::unexpected<Error> InvalidMemory(double d, double st) {
    return BadInput(fmt::format(
        "invalid memory state (difficulty {}, stability {}): expected "
        "difficulty in [1, 10] and stability >= 0.001",
        d, st));
  }

  // next_state(D, S, t, g, r) for a valid non-new state; `r` < 0 means
  // R(t, S).
  static MemoryState NextMemory(const Scheduler& s, double d, double st,
                                double t, int g, double r) {
    // Difficulty first: its divisions overlap the pow() calls below.
    double new_d = NextDifficulty(s, d, g);
    double new_s;
    if (t == 0 && s.parameters_.enable_short_term) {
      new_s = ShortTermStability(s, st, g);  // R is not needed
    } else {
      if (r < 0) r = s.ForgettingCurve(t, st);
      new_s = g == 1 ? LapseStability(s, d, st, r)
                     : RecallStability(s, st, RecallBase(s, d, st, r), g);
    }
    return MemoryState{new_s, new_d};
  }

  // --- One review ----------------------------------------------------------

  Review(const Scheduler& scheduler, const Card& card, int64_t now_ms,
         int64_t elapsed)
      : s_(scheduler),
        p_(scheduler.parameters_),
        last_state_(card.state),
        seed_product_(card.difficulty * card.stability),
        now_(now_ms),
        elapsed_(elapsed) {
    current_ = card;
    current_.last_review_ms = now_ms;
    current_.elapsed_days = static_cast<int32_t>(elapsed);
    current_.reps = card.reps + 1;
  }

  // Fills out->cards[g-1] for each rating whose bit (1 << g) is in `wanted`.
  Result<void> Run(unsigned wanted, Outcomes* out) {
    const double d = current_.difficulty;
    const double st = current_.stability;
    const bool is_new = d == 0 && st == 0;
    if (!is_new && !ValidMemory(d, st)) return InvalidMemory(d, st);
    const double t = static_cast<double>(elapsed_);
    if (p_.enable_short_term && last_state_ != State::kReview) {
      // BasicScheduler.newState / learningState.
      State to_state =
          last_state_ == State::kNew ? State::kLearning : last_state_;
      for (int g = 1; g <= 4; ++g) {
        if (!(wanted & (1u << g))) continue;
        Card& next = out->cards[g - 1];
        next = WithState(is_new ? MemoryState{s_.init_s_[g - 1],
                                              Clamp(s_.init_d_[g - 1], 1, 10)}
                                : NextMemory(s_, d, st, t, g, -1));
        ApplyLearningSteps(&next, g, to_state);
      }
      return {};
    }
    if (!p_.enable_short_term) {
      if (last_state_ == State::kNew) {
        current_.scheduled_days = 0;
        current_.elapsed_days = 0;
      }
      LongTerm(is_new, last_state_ == State::kNew ? 0 : t, out);
      return {};
    }
    // BasicScheduler.reviewState: only the outcomes `wanted` needs.
    double r = s_.ForgettingCurve(t, st);
    Card* c = out->cards.data();
    if (wanted & 2u) {
      c[0] = WithState(is_new ? Initial(1) : NextMemory(s_, d, st, t, 1, r));
      ApplyLearningSteps(&c[0], 1, State::kRelearning);
      c[0].lapses += 1;
    }
    if (!(wanted & 0x1cu)) return {};
    int top = (wanted & 16u) ? 4 : 3;  // Hard and Good need each other
    double base = 0;
    bool have_base = false;
    for (int g = 2; g <= top; ++g) {
      if (is_new) {
        c[g - 1] = WithState(Initial(g));
      } else if (t == 0) {
        c[g - 1] = WithState(NextMemory(s_, d, st, t, g, r));
      } else {
        if (!have_base) base = RecallBase(s_, d, st, r);
        have_base = true;
        c[g - 1] = WithState(MemoryState{RecallStability(s_, st, base, g),
                                         NextDifficulty(s_, d, g)});
      }
    }
    int64_t hard = NextInterval(c[1].stability);
    int64_t good = NextInterval(c[2].stability);
    hard = std::min(hard, good);
    good = std::max(good, hard + 1);
    ScheduleReview(&c[1], hard);
    ScheduleReview(&c[2], good);
    if (top == 4) {
      ScheduleReview(&c[3], std::max(NextInterval(c[3].stability), good + 1));
    }
    return {};
  }

 private:
  MemoryState Initial(int g) const {
    return MemoryState{s_.init_s_[g - 1], Clamp(s_.init_d_[g - 1], 1, 10)};
  }

  // The card after the memory update, before scheduling (next_ds).
  Card WithState(const MemoryState& m) const {
    Card card = current_;
    card.difficulty = m.difficulty;
    card.stability = m.stability;
    return card;
  }

  double FuzzFactor() {
    if (!have_u_) {
      detail::Alea alea(detail::FuzzSeed(now_, current_.reps, seed_product_));
      u_ = alea.Next();
      have_u_ = true;
    }
    return u_;
  }

  // FSRSAlgorithm.next_interval, with fuzz.
  int64_t NextInterval(double st) {
    double max_ivl = static_cast<double>(p_.maximum_interval);
    double ivl =
        std::min(std::max(1.0, JsRound(st * s_.interval_modifier_)), max_ivl);
    if (!p_.enable_fuzz || ivl < 2.5) return static_cast<int64_t>(ivl);
    double u = FuzzFactor();
    detail::FuzzRange range =
        detail::GetFuzzRange(ivl, static_cast<double>(elapsed_), max_ivl);
    return static_cast<int64_t>(
        std::floor(u * (range.max_ivl - range.min_ivl + 1) + range.min_ivl));
  }

  void ScheduleDays(Card* card, int64_t days) const {
    card->scheduled_days = static_cast<int32_t>(days);
    card->due_ms = now_ + days * kMsPerDay;
  }
  void ScheduleReview(Card* card, int64_t days) const {
    ScheduleDays(card, days);
    card->state = State::kReview;
    card->learning_steps = 0;
  }

  // BasicLearningStepsStrategy + BasicScheduler.applyLearningSteps.
  void ApplyLearningSteps(Card* next, int g, State to_state) {
    const std::vector<int32_t>& steps = (current_.state == State::kRelearning ||
                                         current_.state == State::kReview)
                                            ? p_.relearning_steps
                                            : p_.learning_steps;
    int64_t n = static_cast<int64_t>(steps.size());
    int64_t cur = current_.learning_steps;
    int64_t minutes = 0, next_step = 0;
    if (n != 0 && cur < n) {
      if (current_.state == State::kReview) {
        if (g == 1) minutes = steps[std::max<int64_t>(0, cur)];
      } else if (g == 1) {
        minutes = steps[0];
      } else if (g == 2) {
        minutes = n == 1 ? static_cast<int64_t>(JsRound(steps[0] * 1.5))
                         : static_cast<int64_t>(JsRound(
                               static_cast<double>(steps[0] + steps[1]) / 2));
        next_step = cur;
      } else if (g == 3) {
        if (cur + 1 >= 0 && cur + 1 < n && steps[cur + 1] != 0) {
          minutes = steps[cur + 1];
          next_step = cur + 1;
        }
      }
    }
    minutes = std::max<int64_t>(0, minutes);
    next_step = std::max<int64_t>(0, next_step);
    if (minutes > 0 && minutes < 1440) {
      next->learning_steps = static_cast<int32_t>(next_step);
      next->scheduled_days = 0;
      next->state = to_state;
      next->due_ms = now_ + minutes * kMsPerMinute;
    } else if (minutes >= 1440) {
      next->state = State::kReview;
      next->learning_steps = static_cast<int32_t>(next_step);
      next->due_ms = now_ + minutes * kMsPerMinute;
      next->scheduled_days = static_cast<int32_t>(minutes / 1440);
    } else {
      next->state = State::kReview;
      next->learning_steps = 0;
      ScheduleDays(next, NextInterval(next->stability));
    }
  }

  // LongTermScheduler.newState / reviewState: all four outcomes.
  void LongTerm(bool is_new, double t, Outcomes* out) {
    const double d = current_.difficulty;
    const double st = current_.stability;
    Card* c = out->cards.data();
    if (is_new) {
      for (int g = 1; g <= 4; ++g) c[g - 1] = WithState(Initial(g));
    } else {
      double r = s_.ForgettingCurve(t, st);
      c[0] = WithState(NextMemory(s_, d, st, t, 1, r));
      double base = RecallBase(s_, d, st, r);
      for (int g = 2; g <= 4; ++g) {
        c[g - 1] = WithState(MemoryState{RecallStability(s_, st, base, g),
                                         NextDifficulty(s_, d, g)});
      }
    }
    int64_t again = NextInterval(c[0].stability);
    int64_t hard = NextInterval(c[1].stability);
    int64_t good = NextInterval(c[2].stability);
    int64_t easy = NextInterval(c[3].stability);
    again = std::min(again, hard);
    hard = std::max(hard, again + 1);
    good = std::max(good, hard + 1);
    easy = std::max(easy, good + 1);
    const int64_t days[4] = {again, hard, good, easy};
    for (int g = 1; g <= 4; ++g) ScheduleReview(&c[g - 1], days[g - 1]);
    if (last_state_ != State::kNew) c[0].lapses += 1;
  }

  const Scheduler& s_;
  const Parameters& p_;
  State last_state_;
  double seed_product_;
  Card current_;
  int64_t now_;
  int64_t elapsed_;
  double u_ = 0;
  bool have_u_ = false;
};

}  // namespace detail

namespace {

Result<int64_t> ElapsedDays(const Card& card, int64_t now_ms) {
  if (card.state == State::kNew || !card.last_review_ms) return 0;
  int64_t elapsed = DaysBetween(*card.last_review_ms, now_ms);
  if (elapsed < 0) {
    return BadInput(fmt::format(
        "review at {} ms is on an earlier day than the card's last review at "
        "{} ms",
        now_ms, *card.last_review_ms));
  }
  return elapsed;
}

}  // namespace

Result<Card> Scheduler::Next(const Card& card, int64_t now_ms,
                             Rating rating) const {
  int g = static_cast<int>(rating);
  if (g < 1 || g > 4) return tl::unexpected(RatingFromInt(g).error());
  auto elapsed = ElapsedDays(card, now_ms);
  if (!elapsed) return tl::unexpected(elapsed.error());
  detail::Review review(*this, card, now_ms, *elapsed);
  Outcomes out;
  auto ok = review.Run(1u << g, &out);
  if (!ok) return tl::unexpected(ok.error());
  return out.cards[g - 1];
}

Result<Outcomes> Scheduler::Preview(const Card& card, int64_t now_ms) const {
  auto elapsed = ElapsedDays(card, now_ms);
  if (!elapsed) return tl::unexpected(elapsed.error());
  detail::Review review(*this, card, now_ms, *elapsed);
  Outcomes out;
  auto ok = review.Run(0x1eu, &out);
  if (!ok) return tl::unexpected(ok.error());
  return out;
}

double Scheduler::Retrievability(const Card& card, int64_t now_ms) const {
  if (card.state == State::kNew || !card.last_review_ms) return 0;
  int64_t diff = now_ms - *card.last_review_ms;
  int64_t t = diff / kMsPerDay;
  if (diff % kMsPerDay < 0) --t;
  t = std::max<int64_t>(t, 0);
  return ForgettingCurve(static_cast<double>(t),
                         detail::ToFixed8(card.stability));
}

Result<MemoryState> Scheduler::NextState(
    std::optional<MemoryState> state, double elapsed_days, Rating rating,
    std::optional<double> retrievability) const {
  int g = static_cast<int>(rating);
  if (g < 1 || g > 4) return tl::unexpected(RatingFromInt(g).error());
  if (!(elapsed_days >= 0)) {
    return BadInput(
        fmt::format("invalid elapsed time of {} days", elapsed_days));
  }
  MemoryState m = state.value_or(MemoryState{});
  if (m.difficulty == 0 && m.stability == 0) {
    return MemoryState{init_s_[g - 1], detail::Clamp(init_d_[g - 1], 1, 10)};
  }
  if (!detail::Review::ValidMemory(m.difficulty, m.stability)) {
    return detail::Review::InvalidMemory(m.difficulty, m.stability);
  }
  return detail::Review::NextMemory(*this, m.difficulty, m.stability,
                                    elapsed_days, g,
                                    retrievability ? *retrievability : -1);
}

std::string FormatInterval(int64_t from_ms, int64_t to_ms) {
  int64_t ms = to_ms - from_ms;
  if (ms < kMsPerMinute) return "<1m";
  double minutes = static_cast<double>(ms) / kMsPerMinute;
  if (minutes < 60) return fmt::format("{}m", static_cast<int64_t>(minutes));
  double hours = minutes / 60;
  if (hours < 24) return fmt::format("{}h", static_cast<int64_t>(hours));
  double days = hours / 24;
  if (days < 31) return fmt::format("{}d", static_cast<int64_t>(days));
  double months = days / 30.4375;
  if (months < 12) return fmt::format("{:.1f}mo", months);
  return fmt::format("{:.1f}y", days / 365.25);
}

}  // namespace mindcards::fsrs
