// Pieces of the ts-fsrs port that tests and the conformance replay check one
// by one: JavaScript number semantics, the Alea PRNG, the fuzz range.
#ifndef MINDCARDS_STUDY_FSRS_INTERNAL_H_
#define MINDCARDS_STUDY_FSRS_INTERNAL_H_

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace mindcards::fsrs::detail {

// JS Math.round: nearest, ties toward +infinity.
inline double JsRound(double x) {
  // |x| < 2^51 (all FSRS values): adding and taking away 1.5 * 2^52 rounds
  // to the nearest integer, ties to even, without a floor() emulation on
  // baseline x86-64; x - r is then exact, and a tie that went down moves
  // up. A zero keeps its sign, as in JS (the sum would make it +0).
  if (std::fabs(x) < 0x1p51 && x != 0) {
    constexpr double kMagic = 0x1.8p52;
    double r = (x + kMagic) - kMagic;  // IEEE: never folded to x
    if (x - r == 0.5) r += 1;
    return r;
  }
  double r = std::floor(x);
  if (x - r >= 0.5) r += 1;
  return r;
}

// ts-fsrs roundTo(x, 8): a true division by 1e8, never a multiplication.
inline double Round8(double x) { return JsRound(x * 1e8) / 1e8; }

// Math.min(Math.max(v, lo), hi) for bounds that are not zero (so signed
// zeros cannot differ); NaN stays NaN, and lo > hi gives hi, as in JS.
inline double Clamp(double v, double lo, double hi) {
  double m = v < lo ? lo : v;
  return m > hi ? hi : m;
}

// +x.toFixed(8) in JS: exact decimal rounding, ties away from zero.
double ToFixed8(double x);

// String(x) in JS (ECMAScript Number::toString).
std::string JsNumberToString(double x);

// Alea by Johannes Baagøe, as seedrandom and ts-fsrs port it.
class Alea {
 public:
  explicit Alea(std::string_view seed);
  double Next();

  double c() const { return c_; }
  double s0() const { return s0_; }
  double s1() const { return s1_; }
  double s2() const { return s2_; }

 private:
  double c_, s0_, s1_, s2_;
};

// ts-fsrs get_fuzz_range.
struct FuzzRange {
  double min_ivl;
  double max_ivl;
};
FuzzRange GetFuzzRange(double interval, double elapsed_days,
                       double maximum_interval);

// computeDecayFactor: FACTOR = round8(0.9^(1/-decay) - 1) for decay = w20.
double DecayFactor(double w20);

// ts-fsrs's fuzz seed: `${now_ms}_${reps}_${difficulty * stability}`.
std::string FuzzSeed(int64_t now_ms, int32_t reps, double product);

}  // namespace mindcards::fsrs::detail

#endif  // MINDCARDS_STUDY_FSRS_INTERNAL_H_
