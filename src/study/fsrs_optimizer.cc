// The FSRS optimizer. It follows fsrs-rs (training.rs, pre_training.rs,
// dataset.rs, optimizer.rs) step for step with one change of shape: fsrs-rs
// treats every prefix of a card's history as a separate item and replays it
// from the first review, which costs O(n^2) per card; here each card is
// replayed once and every target on the way adds its term, which gives the
// same loss and gradient in O(n). Batches are therefore sets of whole cards
// (about `batch_size` items each) rather than sets of items.
#include "mindcards/fsrs_optimizer.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <numbers>
#include <numeric>
#include <random>

#include "study/fsrs_internal.h"
#include "study/fsrs_optimizer_internal.h"

namespace mindcards::fsrs {
namespace detail {
namespace {

constexpr double kSMin = 0.001;
constexpr double kSMax = 36500;
constexpr double kDefaultDecay = 0.1542;
constexpr double kInitSMax = 100;
constexpr int64_t kMsPerDay = 86400000;

// fsrs-rs PARAMS_STDDEV: the spread of each weight across users, scaling the
// L2 pull.
constexpr std::array<double, kNumWeights> kParamsStddev = {
    6.43, 9.66, 17.58, 27.85, 0.57, 0.28, 0.6,  0.12, 0.39, 0.18, 0.33,
    0.3,  0.09, 0.16,  0.57,  0.25, 1.03, 0.31, 0.32, 0.14, 0.27};

// --- Dual-number arithmetic ---------------------------------------------

double Val(double x) { return x; }
double Val(const Dual& x) { return x.v; }

Dual operator+(const Dual& a, const Dual& b) {
  Dual r;
  r.v = a.v + b.v;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = a.d[i] + b.d[i];
  return r;
}
Dual operator-(const Dual& a, const Dual& b) {
  Dual r;
  r.v = a.v - b.v;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = a.d[i] - b.d[i];
  return r;
}
Dual operator*(const Dual& a, const Dual& b) {
  Dual r;
  r.v = a.v * b.v;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = a.d[i] * b.v + b.d[i] * a.v;
  return r;
}
Dual operator/(const Dual& a, const Dual& b) {
  Dual r;
  r.v = a.v / b.v;
  double inv = 1 / b.v;
  for (int i = 0; i < kNumWeights; ++i) {
    r.d[i] = (a.d[i] - r.v * b.d[i]) * inv;
  }
  return r;
}
Dual operator+(const Dual& a, double b) {
  Dual r = a;
  r.v += b;
  return r;
}
Dual operator+(double a, const Dual& b) { return b + a; }
Dual operator-(const Dual& a, double b) { return a + (-b); }
Dual operator-(double a, const Dual& b) {
  Dual r;
  r.v = a - b.v;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = -b.d[i];
  return r;
}
Dual operator-(const Dual& a) { return 0.0 - a; }
Dual operator*(const Dual& a, double b) {
  Dual r;
  r.v = a.v * b;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = a.d[i] * b;
  return r;
}
Dual operator*(double a, const Dual& b) { return b * a; }
Dual operator/(const Dual& a, double b) { return a * (1 / b); }
Dual operator/(double a, const Dual& b) {
  Dual r;
  r.v = a / b.v;
  double k = -r.v / b.v;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = b.d[i] * k;
  return r;
}
// Scales the derivatives by f'(x): the chain rule for unary functions.
Dual Chain(const Dual& x, double value, double derivative) {
  Dual r;
  r.v = value;
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = x.d[i] * derivative;
  return r;
}

double Exp(double x) { return std::exp(x); }
Dual Exp(const Dual& x) {
  double e = std::exp(x.v);
  return Chain(x, e, e);
}
double Log(double x) { return std::log(x); }
Dual Log(const Dual& x) { return Chain(x, std::log(x.v), 1 / x.v); }
double Pow(double x, double y) { return std::pow(x, y); }
// x^y for x > 0: d = x^y (y/x dx + ln x dy).
Dual Pow(const Dual& x, const Dual& y) {
  Dual r;
  r.v = std::pow(x.v, y.v);
  double a = r.v * y.v / x.v;
  double b = r.v * std::log(x.v);
  for (int i = 0; i < kNumWeights; ++i) r.d[i] = a * x.d[i] + b * y.d[i];
  return r;
}

// Clamps keep the value's derivatives inside the range and have none at a
// bound, as tensor clamps do.
template <class T>
T ClampT(const T& x, double lo, double hi) {
  if (Val(x) < lo) return T(lo);
  if (Val(x) > hi) return T(hi);
  return x;
}
Dual ToDual(double x) {
  Dual r;
  r.v = x;
  return r;
}

// --- The FSRS-6 model (fsrs-rs model.rs), generic in the number type ------

template <class T>
struct Terms {
  std::array<T, kNumWeights> w;
  T decay, factor, init_d_easy, exp_w8, lapse_divisor;
  std::array<T, 4> init_s, init_d, short_term_exp;
};

template <class T>
Terms<T> MakeTerms(const std::array<T, kNumWeights>& w) {
  Terms<T> m;
  m.w = w;
  m.decay = -w[20];
  m.factor = Exp(std::log(0.9) / m.decay) - 1.0;
  m.init_d_easy = w[4] - Exp(3.0 * w[5]) + 1.0;
  m.exp_w8 = Exp(w[8]);
  m.lapse_divisor = Exp(w[17] * w[18]);
  for (int g = 1; g <= 4; ++g) {
    m.init_s[g - 1] = w[g - 1];
    m.init_d[g - 1] = w[4] - Exp(static_cast<double>(g - 1) * w[5]) + 1.0;
    m.short_term_exp[g - 1] = Exp(w[17] * (static_cast<double>(g - 3) + w[18]));
  }
  return m;
}

template <class T>
struct Memory {
  T s, d;
};

template <class T>
T Recall(const Terms<T>& m, double t, const T& s) {
  return Pow(1.0 + m.factor * t / s, m.decay);
}

template <class T>
Memory<T> Initial(const Terms<T>& m, int g) {
  return {ClampT(m.init_s[g - 1], kSMin, kSMax),
          ClampT(m.init_d[g - 1], 1, 10)};
}

// One review with rating g after `t` days; `r` is R(t, S) when t > 0.
template <class T>
Memory<T> Step(const Terms<T>& m, const Memory<T>& st, double t, int g,
               const T& r) {
  const auto& w = m.w;
  T s;
  if (t == 0) {
    T sinc = m.short_term_exp[g - 1] * Pow(st.s, -w[19]);
    if (g >= 2 && Val(sinc) < 1) sinc = T(1.0);
    s = st.s * sinc;
  } else if (g == 1) {
    T forget = w[11] * Pow(st.d, -w[12]) * (Pow(st.s + 1.0, w[13]) - 1.0) *
               Exp((1.0 - r) * w[14]);
    T cap = st.s / m.lapse_divisor;
    s = Val(cap) < Val(forget) ? cap : forget;
  } else {
    T inc = m.exp_w8 * (11.0 - st.d) * Pow(st.s, -w[9]) *
            (Exp((1.0 - r) * w[10]) - 1.0);
    if (g == 2) inc = inc * w[15];
    if (g == 4) inc = inc * w[16];
    s = st.s * (1.0 + inc);
  }
  T delta = -w[6] * static_cast<double>(g - 3);
  T next_d = st.d + delta * (10.0 - st.d) / 9.0;
  T d = w[7] * m.init_d_easy + (1.0 - w[7]) * next_d;
  return {ClampT(s, kSMin, kSMax), ClampT(d, 1, 10)};
}

// Replays one card and calls on_target(review, R) for each target up to the
// card's last trainable (or, with all_targets, last) target.
template <class T, class F>
void ReplayCard(const Terms<T>& m, const TrainingData& data,
                const TrainingCard& card, bool all_targets, F&& on_target) {
  uint32_t last = card.begin;
  for (uint32_t i = card.begin; i < card.end; ++i) {
    const TrainingReview& rv = data.reviews[i];
    if (rv.target && (all_targets || rv.trainable)) last = i;
  }
  if (last == card.begin) return;
  Memory<T> st = Initial(m, data.reviews[card.begin].rating);
  for (uint32_t i = card.begin + 1; i <= last; ++i) {
    const TrainingReview& rv = data.reviews[i];
    double t = rv.delta_t;
    if (t == 0) {
      st = Step(m, st, 0, rv.rating, st.s);
      continue;
    }
    T r = Recall(m, t, st.s);
    if (rv.target) on_target(i, r);
    if (i < last) st = Step(m, st, t, rv.rating, r);
  }
}

// Binary cross-entropy, guarded against log(0).
template <class T>
T Bce(const T& r, bool recalled) {
  constexpr double kEps = 1e-12;
  if (recalled) return -Log(Val(r) < kEps ? T(kEps) : r);
  T miss = 1.0 - r;
  return -Log(Val(miss) < kEps ? T(kEps) : miss);
}

std::array<Dual, kNumWeights> SeedDuals(const Weights& w) {
  std::array<Dual, kNumWeights> out;
  for (int i = 0; i < kNumWeights; ++i) {
    out[i] = ToDual(w[i]);
    out[i].d[i] = 1;
  }
  return out;
}

// --- Metrics ---------------------------------------------------------------

uint32_t Bin(double x, double base, double scale) {
  return static_cast<uint32_t>(std::round(
      scale * std::pow(base, std::floor(std::log(x) / std::log(base)))));
}

struct MetricsAccumulator {
  double loss_sum = 0, weight_sum = 0;
  size_t items = 0;
  struct Cell {
    double pred = 0, real = 0, weight = 0;
  };
  std::map<std::array<uint32_t, 3>, Cell> bins;

  void Add(double r, bool recalled, double weight, uint32_t delta_t,
           uint32_t long_term_count, uint32_t lapses) {
    double p = std::clamp(r, 1e-12, 1 - 1e-12);
    loss_sum += weight * -(recalled ? std::log(p) : std::log(1 - p));
    weight_sum += weight;
    ++items;
    std::array<uint32_t, 3> key = {
        static_cast<uint32_t>(std::round(
            2.48 *
            std::pow(3.62, std::floor(std::log(static_cast<double>(delta_t)) /
                                      std::log(3.62))) *
            100)),
        Bin(long_term_count + 1.0, 1.89, 1.99),
        lapses == 0 ? 0 : Bin(lapses, 1.73, 1.65)};
    Cell& c = bins[key];
    c.pred += weight * r;
    c.real += weight * (recalled ? 1 : 0);
    c.weight += weight;
  }
  Metrics Result() const {
    Metrics m;
    m.items = items;
    if (weight_sum <= 0) return m;
    m.log_loss = loss_sum / weight_sum;
    double se = 0, total = 0;
    for (const auto& [key, c] : bins) {
      if (c.weight <= 0) continue;
      double diff = c.pred / c.weight - c.real / c.weight;
      se += diff * diff * c.weight;
      total += c.weight;
    }
    m.rmse_bins = total > 0 ? std::sqrt(se / total) : 0;
    return m;
  }
};

// Predicts every target of `data` with `w` and accumulates the metrics of
// the targets `select` accepts.
template <class Select>
Metrics MetricsOf(const Weights& w, const TrainingData& data, Select&& select) {
  Terms<double> m = MakeTerms<double>(w);
  MetricsAccumulator acc;
  for (const TrainingCard& card : data.cards) {
    uint32_t long_term = 0, lapses = 0;
    uint32_t prev = card.begin;
    ReplayCard(m, data, card, /*all_targets=*/true, [&](uint32_t i, double r) {
      // Count long-term reviews and lapses in the history before i.
      for (uint32_t k = prev; k < i; ++k) {
        const TrainingReview& h = data.reviews[k];
        if (h.delta_t > 0) {
          ++long_term;
          if (h.rating == 1) ++lapses;
        }
      }
      prev = i;
      const TrainingReview& rv = data.reviews[i];
      if (!select(rv)) return;
      acc.Add(r, rv.rating > 1, rv.weight, rv.delta_t, long_term + 1, lapses);
    });
  }
  return acc.Result();
}

// --- Data ------------------------------------------------------------------

int64_t DayIndex(int64_t ms, int hour) {
  int64_t shifted = ms - static_cast<int64_t>(hour) * 3600000;
  int64_t d = shifted / kMsPerDay;
  if (shifted % kMsPerDay < 0) --d;
  return d;
}

// --- Outliers and pre-training
// ------------------------------------------------

// fsrs-rs filter_outlier over the cards' first long-term reviews.
void FilterOutliers(TrainingData* data) {
  // (first rating, first long-term delta_t) -> cards
  std::map<uint32_t, std::map<uint32_t, std::vector<uint32_t>>> groups;
  for (uint32_t c = 0; c < data->cards.size(); ++c) {
    const TrainingCard& card = data->cards[c];
    if (!card.kept || card.first_target == UINT32_MAX) continue;
    const TrainingReview& first = data->reviews[card.first_target];
    if (!first.trainable) continue;
    groups[data->reviews[card.begin].rating][first.delta_t].push_back(c);
  }
  std::map<uint32_t, std::vector<uint32_t>> removed;  // rating -> delta_ts
  for (auto& [rating, by_delta] : groups) {
    std::vector<std::pair<uint32_t, size_t>> sub;  // (delta_t, size)
    size_t total = 0;
    for (auto& [dt, cards] : by_delta) {
      sub.emplace_back(dt, cards.size());
      total += cards.size();
    }
    // Largest first, then larger delta_t first; walked from the back.
    std::sort(sub.begin(), sub.end(), [](const auto& a, const auto& b) {
      if (a.second != b.second) return a.second > b.second;
      return a.first > b.first;
    });
    size_t removed_count = 0;
    const size_t threshold = std::max<size_t>(20, total / 20);
    for (auto it = sub.rbegin(); it != sub.rend(); ++it) {
      auto [dt, size] = *it;
      if (removed_count + size >= threshold) {
        uint32_t limit = rating != 4 ? 100 : 365;
        if (!(size >= 6 && dt <= limit)) removed[rating].push_back(dt);
      } else {
        removed_count += size;
        removed[rating].push_back(dt);
      }
    }
  }
  for (auto& [rating, dts] : removed) {
    for (uint32_t dt : dts) {
      for (uint32_t c : groups[rating][dt]) {
        TrainingCard& card = data->cards[c];
        card.kept = false;
        for (uint32_t i = card.begin; i < card.end; ++i) {
          data->reviews[i].trainable = false;
        }
      }
    }
  }
}

double ForgettingCurveDefault(double t, double s) {
  double decay = -kDefaultDecay;
  double factor = std::pow(0.9, 1 / decay) - 1;
  return std::pow(t / s * factor + 1, decay);
}

}  // namespace

TrainingData BuildTrainingData(std::span<const ReviewRecord> records,
                               int next_day_starts_at_hour) {
  TrainingData data;
  std::vector<uint32_t> order;
  order.reserve(records.size());
  for (uint32_t i = 0; i < records.size(); ++i) {
    if (records[i].rating < 1 || records[i].rating > 4) {
      ++data.skipped;
      continue;
    }
    order.push_back(i);
  }
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    if (records[a].card_id != records[b].card_id) {
      return records[a].card_id < records[b].card_id;
    }
    return records[a].time_ms < records[b].time_ms;
  });
  data.used_reviews = order.size();
  data.reviews.resize(order.size());
  std::vector<int64_t> target_time;
  std::vector<uint32_t> target_index;
  for (size_t k = 0; k < order.size();) {
    size_t end = k;
    while (end < order.size() &&
           records[order[end]].card_id == records[order[k]].card_id) {
      ++end;
    }
    TrainingCard card;
    card.begin = static_cast<uint32_t>(k);
    card.end = static_cast<uint32_t>(end);
    int64_t prev_day = 0;
    for (size_t i = k; i < end; ++i) {
      const ReviewRecord& rec = records[order[i]];
      int64_t day = DayIndex(rec.time_ms, next_day_starts_at_hour);
      TrainingReview& rv = data.reviews[i];
      rv.rating = static_cast<uint8_t>(rec.rating);
      int64_t dt = i == k ? 0 : day - prev_day;
      rv.delta_t = static_cast<uint32_t>(std::min<int64_t>(dt, 1 << 30));
      rv.target = i > k && dt > 0;
      if (rv.target) {
        if (card.first_target == UINT32_MAX) {
          card.first_target = static_cast<uint32_t>(i);
        }
        target_time.push_back(rec.time_ms);
        target_index.push_back(static_cast<uint32_t>(i));
      }
      prev_day = day;
    }
    data.cards.push_back(card);
    k = end;
  }
  // Items in time order get the recency weights of fsrs-rs.
  std::vector<uint32_t> by_time(target_index.size());
  std::iota(by_time.begin(), by_time.end(), 0);
  std::stable_sort(by_time.begin(), by_time.end(), [&](uint32_t a, uint32_t b) {
    return target_time[a] < target_time[b];
  });
  const size_t n = by_time.size();
  for (size_t rank = 0; rank < n; ++rank) {
    TrainingReview& rv = data.reviews[target_index[by_time[rank]]];
    double x =
        n > 1 ? static_cast<double>(rank) / static_cast<double>(n - 1) : 1.0;
    rv.weight = static_cast<float>(0.25 + 0.75 * x * x * x);
    rv.rank = static_cast<uint32_t>(rank);
  }
  data.items = n;
  return data;
}

LossAndGradient CardsLossAndGradient(const Weights& w, const TrainingData& data,
                                     std::span<const uint32_t> cards) {
  Terms<Dual> m = MakeTerms<Dual>(SeedDuals(w));
  Dual total = ToDual(0);
  LossAndGradient out;
  for (uint32_t c : cards) {
    ReplayCard(m, data, data.cards[c], false, [&](uint32_t i, const Dual& r) {
      const TrainingReview& rv = data.reviews[i];
      if (!rv.trainable) return;
      total = total + Bce(r, rv.rating > 1) * static_cast<double>(rv.weight);
      ++out.items;
    });
  }
  out.loss = total.v;
  out.gradient = total.d;
  return out;
}

double CardsLoss(const Weights& w, const TrainingData& data,
                 std::span<const uint32_t> cards) {
  Terms<double> m = MakeTerms<double>(w);
  double total = 0;
  for (uint32_t c : cards) {
    ReplayCard(m, data, data.cards[c], false, [&](uint32_t i, double r) {
      const TrainingReview& rv = data.reviews[i];
      if (rv.trainable) total += Bce(r, rv.rating > 1) * rv.weight;
    });
  }
  return total;
}

std::vector<double> PredictTargets(const Weights& w, const TrainingData& data) {
  std::vector<double> out(data.reviews.size(), NAN);
  Terms<double> m = MakeTerms<double>(w);
  for (const TrainingCard& card : data.cards) {
    ReplayCard(m, data, card, true, [&](uint32_t i, double r) { out[i] = r; });
  }
  return out;
}

bool SmoothAndFill(std::array<double, 4>* s0, std::array<bool, 4> have,
                   const std::array<uint32_t, 4>& rating_count) {
  auto& s = *s0;
  for (int i = 0; i < 4; ++i) have[i] = have[i] && rating_count[i] > 0;
  const std::pair<int, int> pairs[] = {{0, 1}, {1, 2}, {2, 3},
                                       {0, 2}, {1, 3}, {0, 3}};
  for (auto [small, big] : pairs) {
    if (have[small] && have[big] && s[small] > s[big]) {
      if (rating_count[small] > rating_count[big]) {
        s[big] = s[small];
      } else {
        s[small] = s[big];
      }
    }
  }
  const double w1 = 3.0 / 5.0, w2 = 3.0 / 5.0;
  int count = static_cast<int>(std::count(have.begin(), have.end(), true));
  auto p = [](double x, double y) { return std::pow(x, y); };
  double &r1 = s[0], &r2 = s[1], &r3 = s[2], &r4 = s[3];
  const bool h1 = have[0], h2 = have[1], h3 = have[2], h4 = have[3];
  if (count == 0) return false;
  if (count == 1) {
    int k = static_cast<int>(std::find(have.begin(), have.end(), true) -
                             have.begin());
    double factor = s[k] / kDefaultWeights[k];
    std::array<double, 4> scaled;
    for (int i = 0; i < 4; ++i) scaled[i] = kDefaultWeights[i] * factor;
    std::sort(scaled.begin(), scaled.end());
    s = scaled;
  } else if (count == 2) {
    if (!h1 && !h2 && h3 && h4) {
      r2 = p(r3, 1 / (1 - w2)) * p(r4, 1 - 1 / (1 - w2));
      r1 = p(r2, 1 / w1) * p(r3, 1 - 1 / w1);
    } else if (!h1 && h2 && !h3 && h4) {
      r3 = p(r2, 1 - w2) * p(r4, w2);
      r1 = p(r2, 1 / w1) * p(r3, 1 - 1 / w1);
    } else if (!h1 && h2 && h3 && !h4) {
      r4 = p(r2, 1 - 1 / w2) * p(r3, 1 / w2);
      r1 = p(r2, 1 / w1) * p(r3, 1 - 1 / w1);
    } else if (h1 && !h2 && !h3 && h4) {
      double k = w1 / (w1 + w2 - w1 * w2);
      double k2 = w2 / (w1 + w2 - w1 * w2);
      r2 = p(r1, k) * p(r4, 1 - k);
      r3 = p(r1, 1 - k2) * p(r4, k2);
    } else if (h1 && !h2 && h3 && !h4) {
      r2 = p(r1, w1) * p(r3, 1 - w1);
      r4 = p(r2, 1 - 1 / w2) * p(r3, 1 / w2);
    } else if (h1 && h2 && !h3 && !h4) {
      r3 = p(r1, 1 - 1 / (1 - w1)) * p(r2, 1 / (1 - w1));
      r4 = p(r2, 1 - 1 / w2) * p(r3, 1 / w2);
    }
  } else if (count == 3) {
    if (!h1) {
      r1 = p(r2, 1 / w1) * p(r3, 1 - 1 / w1);
    } else if (!h2) {
      r2 = p(r1, w1) * p(r3, 1 - w1);
    } else if (!h3) {
      r3 = p(r2, 1 - w2) * p(r4, w2);
    } else {
      r4 = p(r2, 1 - 1 / w2) * p(r3, 1 / w2);
    }
  }
  for (double& v : s) v = std::clamp(v, kSMin, kInitSMax);
  return true;
}

bool PretrainInitialStability(const TrainingData& data, double average_recall,
                              std::array<double, 4>* s0,
                              std::array<uint32_t, 4>* rating_count) {
  // first rating -> delta_t -> (recalled, count)
  std::array<std::map<uint32_t, std::pair<double, double>>, 4> groups;
  for (const TrainingCard& card : data.cards) {
    if (!card.kept || card.first_target == UINT32_MAX) continue;
    const TrainingReview& first = data.reviews[card.first_target];
    if (!first.trainable) continue;
    auto& cell = groups[data.reviews[card.begin].rating - 1][first.delta_t];
    cell.first += first.rating > 1 ? 1 : 0;
    cell.second += 1;
  }
  std::array<bool, 4> have{};
  for (int g = 0; g < 4; ++g) {
    (*rating_count)[g] = 0;
    if (groups[g].empty()) continue;
    std::vector<double> t, recall, count;
    for (const auto& [dt, cell] : groups[g]) {
      double n = cell.second;
      double real = cell.first / n;
      t.push_back(dt);
      recall.push_back((real * n + average_recall) / (n + 1));
      count.push_back(n);
      (*rating_count)[g] += static_cast<uint32_t>(n);
    }
    const double default_s0 = kDefaultWeights[g];
    auto loss = [&](double s) {
      double total = 0;
      for (size_t i = 0; i < t.size(); ++i) {
        double y = ForgettingCurveDefault(t[i], s);
        total +=
            -(recall[i] * std::log(y) + (1 - recall[i]) * std::log(1 - y)) *
            count[i];
      }
      return total + std::fabs(s - default_s0) / 16;
    };
    double low = kSMin, high = kInitSMax, best = default_s0;
    for (int iter = 0; high - low > 2.220446049250313e-16 && iter < 1000;
         ++iter) {
      double mid1 = low + (high - low) / 3;
      double mid2 = high - (high - low) / 3;
      if (loss(mid1) < loss(mid2)) {
        high = mid2;
      } else {
        low = mid1;
      }
      best = (high + low) / 2;
    }
    (*s0)[g] = best;
    have[g] = true;
  }
  return SmoothAndFill(s0, have, *rating_count);
}

namespace {

size_t CountTrainable(const TrainingData& data) {
  size_t n = 0;
  for (const TrainingReview& rv : data.reviews) n += rv.trainable ? 1 : 0;
  return n;
}

struct Adam {
  std::array<double, kNumWeights> m{}, v{};
  int t = 0;
  void Step(double lr, Weights* w, const std::array<double, kNumWeights>& g) {
    constexpr double kBeta1 = 0.9, kBeta2 = 0.999, kEps = 1e-8;
    ++t;
    double c1 = 1 - std::pow(kBeta1, t);
    double c2 = 1 - std::pow(kBeta2, t);
    for (int i = 0; i < kNumWeights; ++i) {
      m[i] = m[i] * kBeta1 + g[i] * (1 - kBeta1);
      v[i] = v[i] * kBeta2 + g[i] * g[i] * (1 - kBeta2);
      (*w)[i] -= lr * (m[i] / c1) / (std::sqrt(v[i] / c2) + kEps);
    }
  }
};

// The objective of an epoch: summed weighted log loss plus the L2 pull,
// gamma * sum(((w - init) / sigma)^2) (the per-batch terms of fsrs-rs add up
// to this over an epoch).
double Penalty(const Weights& w, const Weights& init, double gamma) {
  double total = 0;
  for (int i = 0; i < kNumWeights; ++i) {
    double z = (w[i] - init[i]) / kParamsStddev[i];
    total += z * z;
  }
  return gamma * total;
}

// After the mini-batch epochs, full-batch Adam steps on the epoch objective
// from the best epoch, keeping the best point seen. On small logs the 5
// epochs of fsrs-rs are few, noisy steps; this removes most of that noise.
// The passes are limited: 40 on logs of up to ~12k reviews, about twice the
// cost of the epochs at 50k reviews, 2 passes from 250k reviews on.
void Refine(const TrainingData& data, std::span<const uint32_t> cards,
            const Weights& init, const std::array<bool, kNumWeights>& frozen,
            const OptimizerOptions& options, Weights* best) {
  size_t steps = 0;
  for (uint32_t c : cards) steps += data.cards[c].end - data.cards[c].begin;
  int passes = options.refine_passes;
  if (passes < 0) {
    passes = static_cast<int>(
        std::clamp<size_t>(500000 / std::max<size_t>(steps, 1), 2, 40));
  }
  Weights w = *best;
  double best_j = INFINITY;
  Adam adam;
  for (int p = 0; p <= passes; ++p) {
    LossAndGradient lg = CardsLossAndGradient(w, data, cards);
    double j = lg.loss + Penalty(w, init, options.gamma);
    if (!std::isfinite(j)) break;
    if (j < best_j) {
      best_j = j;
      *best = w;
    }
    if (p == passes) break;
    std::array<double, kNumWeights> g = lg.gradient;
    for (int i = 0; i < kNumWeights; ++i) {
      g[i] += 2 * options.gamma * (w[i] - init[i]) /
              (kParamsStddev[i] * kParamsStddev[i]);
      if (frozen[i]) g[i] = 0;
    }
    double lr =
        0.01 * 0.5 * (1 + std::cos(std::numbers::pi * (p + 1) / (passes + 1)));
    Weights before = w;
    adam.Step(lr, &w, g);
    w = ClipWeights(w, options.num_relearning_steps, options.enable_short_term);
    for (int i = 0; i < kNumWeights; ++i) {
      if (frozen[i]) w[i] = before[i];
    }
  }
}

// The whole fit on the targets marked trainable in `data`.
Result<FitResult> Fit(TrainingData& data, const OptimizerOptions& options) {
  FitResult result;
  result.reviews = data.used_reviews;
  result.cards = data.cards.size();
  result.items = CountTrainable(data);
  if (result.items == 0) {
    result.note =
        "no reviews to learn from (a card needs reviews on two different "
        "days); using the default parameters";
    return result;
  }
  double recalled = 0;
  for (const TrainingReview& rv : data.reviews) {
    if (rv.trainable) recalled += rv.rating > 1 ? 1 : 0;
  }
  const double average_recall = recalled / static_cast<double>(result.items);
  if (options.filter_outliers) FilterOutliers(&data);
  size_t items = CountTrainable(data);
  if (items < 8) {
    result.note =
        result.items < 8
            ? fmt::format(
                  "only {} review(s) to learn from (at least 8 needed); "
                  "using the default parameters",
                  result.items)
            : fmt::format(
                  "only {} of {} review(s) left after removing outliers (at "
                  "least 8 needed); using the default parameters",
                  items, result.items);
    return result;
  }
  std::array<double, 4> s0{};
  std::array<uint32_t, 4> rating_count{};
  if (!PretrainInitialStability(data, average_recall, &s0, &rating_count)) {
    result.note =
        "no card has a first review followed by a later one; using the "
        "default parameters";
    return result;
  }
  Weights init = kDefaultWeights;
  for (int i = 0; i < 4; ++i) init[i] = s0[i];
  if (!options.enable_short_term) init[17] = init[18] = init[19] = 0;
  init = ClipWeights(init, options.num_relearning_steps,
                     options.enable_short_term);
  size_t pretrain_items = 0;
  for (const TrainingCard& card : data.cards) {
    if (card.kept && card.first_target != UINT32_MAX &&
        data.reviews[card.first_target].trainable) {
      ++pretrain_items;
    }
  }
  result.w = init;
  if (items == pretrain_items || items < 64) {
    result.note = fmt::format(
        "only {} review(s) to learn from; fitted the initial stabilities and "
        "kept the other default parameters",
        items);
    result.items_used = items;
    return result;
  }
  // Items whose history is longer than max_seq_len are not trained on.
  for (const TrainingCard& card : data.cards) {
    for (uint32_t i = card.begin; i < card.end; ++i) {
      if (i - card.begin + 1 > options.max_seq_len) {
        data.reviews[i].trainable = false;
      }
    }
  }
  items = CountTrainable(data);
  result.items_used = items;
  std::vector<uint32_t> cards;
  std::vector<uint32_t> card_items(data.cards.size(), 0);
  for (uint32_t c = 0; c < data.cards.size(); ++c) {
    const TrainingCard& card = data.cards[c];
    for (uint32_t i = card.begin; i < card.end; ++i) {
      card_items[c] += data.reviews[i].trainable ? 1 : 0;
    }
    if (card_items[c] > 0) cards.push_back(c);
  }

  std::array<bool, kNumWeights> frozen{};
  if (!options.enable_short_term) {
    for (int i : {0, 1, 2, 3, 17, 18, 19}) frozen[i] = true;
  }
  const size_t batch = std::max<size_t>(1, options.batch_size);
  const int epochs = std::max(1, options.epochs);
  const size_t total_steps = (items / batch + 1) * static_cast<size_t>(epochs);
  Weights w = init;
  Weights best_w = init;
  double best_loss = INFINITY;
  Adam adam;
  std::mt19937_64 rng(options.seed);
  size_t step = 0;
  for (int epoch = 1; epoch <= epochs; ++epoch) {
    std::shuffle(cards.begin(), cards.end(), rng);
    size_t pos = 0;
    while (pos < cards.size()) {
      size_t begin = pos, batch_items = 0;
      while (pos < cards.size() && batch_items < batch) {
        batch_items += card_items[cards[pos]];
        ++pos;
      }
      std::span<const uint32_t> batch_cards(cards.data() + begin, pos - begin);
      LossAndGradient lg = CardsLossAndGradient(w, data, batch_cards);
      std::array<double, kNumWeights> g = lg.gradient;
      const double factor = options.gamma * static_cast<double>(batch_items) /
                            static_cast<double>(items);
      bool finite = std::isfinite(lg.loss);
      for (int i = 0; i < kNumWeights; ++i) {
        g[i] += 2 * factor * (w[i] - init[i]) /
                (kParamsStddev[i] * kParamsStddev[i]);
        if (frozen[i]) g[i] = 0;
        finite = finite && std::isfinite(g[i]);
      }
      ++step;
      if (finite) {
        double lr = options.learning_rate * 0.5 *
                    (1 + std::cos(std::numbers::pi * static_cast<double>(step) /
                                  static_cast<double>(total_steps)));
        Weights before = w;
        adam.Step(lr, &w, g);
        w = ClipWeights(w, options.num_relearning_steps,
                        options.enable_short_term);
        for (int i = 0; i < kNumWeights; ++i) {
          if (frozen[i]) w[i] = before[i];
        }
      }
      if (options.progress &&
          !options.progress(std::min(step, total_steps), total_steps)) {
        return BadInput("interrupted");
      }
    }
    double loss = CardsLoss(w, data, cards) / static_cast<double>(items);
    result.epoch_losses.push_back(loss);
    if (std::isfinite(loss) && loss < best_loss) {
      best_loss = loss;
      best_w = w;
      result.best_epoch = epoch;
    }
  }
  if (result.best_epoch != 0) {
    Refine(data, cards, init, frozen, options, &best_w);
  }
  if (options.progress) options.progress(total_steps, total_steps);
  if (result.best_epoch == 0) {
    result.w = init;
    result.note =
        "training diverged; kept the pre-trained initial stabilities and the "
        "default parameters";
    return result;
  }
  std::array<double, 4> trained_s0 = {best_w[0], best_w[1], best_w[2],
                                      best_w[3]};
  SmoothAndFill(&trained_s0, {true, true, true, true}, rating_count);
  for (int i = 0; i < 4; ++i) best_w[i] = trained_s0[i];
  result.w = ClipWeights(best_w, options.num_relearning_steps,
                         options.enable_short_term);
  result.trained = true;
  return result;
}

}  // namespace
}  // namespace detail

namespace {

Result<void> CheckOptions(const OptimizerOptions& o) {
  if (o.next_day_starts_at_hour < 0 || o.next_day_starts_at_hour > 23) {
    return BadInput(fmt::format("next day start hour {} is not in 0..23",
                                o.next_day_starts_at_hour));
  }
  if (o.epochs < 1 || o.epochs > 1000) {
    return BadInput(fmt::format("epochs {} is not in 1..1000", o.epochs));
  }
  if (o.batch_size < 1) return BadInput("batch size must be at least 1");
  if (!(o.learning_rate > 0) || !std::isfinite(o.learning_rate)) {
    return BadInput("learning rate must be a positive number");
  }
  if (!(o.gamma >= 0) || !std::isfinite(o.gamma)) {
    return BadInput("L2 weight (gamma) must be a number >= 0");
  }
  return {};
}

void MarkAllTargetsTrainable(detail::TrainingData* data) {
  for (detail::TrainingReview& rv : data->reviews) rv.trainable = rv.target;
}

}  // namespace

Result<FitResult> Optimize(std::span<const ReviewRecord> reviews,
                           const OptimizerOptions& options) {
  if (auto ok = CheckOptions(options); !ok) return tl::unexpected(ok.error());
  detail::TrainingData data =
      detail::BuildTrainingData(reviews, options.next_day_starts_at_hour);
  MarkAllTargetsTrainable(&data);
  return detail::Fit(data, options);
}

Result<Metrics> Evaluate(std::span<const ReviewRecord> reviews,
                         const Weights& w, const OptimizerOptions& options) {
  if (auto ok = CheckOptions(options); !ok) return tl::unexpected(ok.error());
  for (int i = 0; i < kNumWeights; ++i) {
    if (!std::isfinite(w[i])) {
      return BadInput(
          fmt::format("FSRS weight w[{}] is not a finite number", i));
    }
  }
  detail::TrainingData data =
      detail::BuildTrainingData(reviews, options.next_day_starts_at_hour);
  if (data.items == 0) {
    return BadInput(
        "no reviews to evaluate: a card needs reviews on two different days");
  }
  Weights clipped =
      ClipWeights(w, options.num_relearning_steps, options.enable_short_term);
  return detail::MetricsOf(clipped, data,
                           [](const detail::TrainingReview&) { return true; });
}

Result<Metrics> EvaluateTimeSeriesSplit(std::span<const ReviewRecord> reviews,
                                        const OptimizerOptions& options) {
  if (auto ok = CheckOptions(options); !ok) return tl::unexpected(ok.error());
  detail::TrainingData data =
      detail::BuildTrainingData(reviews, options.next_day_starts_at_hour);
  const size_t n = data.items;
  const size_t part = n / 6;
  if (part == 0) {
    return BadInput(fmt::format(
        "{} review(s) to evaluate: a time-series split needs at least 6", n));
  }
  detail::MetricsAccumulator acc;
  OptimizerOptions fit_options = options;
  for (size_t k = 1; k <= 5; ++k) {
    const size_t cut = n - (6 - k) * part;  // sklearn: test parts at the end
    for (detail::TrainingReview& rv : data.reviews) {
      rv.trainable = rv.target && rv.rank < cut;
    }
    for (detail::TrainingCard& card : data.cards) card.kept = true;
    if (options.progress) {
      fit_options.progress = [&, k](size_t done, size_t total) {
        return options.progress((k - 1) * total + done, 5 * total);
      };
    }
    auto fit = detail::Fit(data, fit_options);
    if (!fit) return tl::unexpected(fit.error());
    Weights w = fit->w;
    const size_t test_end = cut + part;
    detail::Terms<double> m = detail::MakeTerms<double>(w);
    for (const detail::TrainingCard& card : data.cards) {
      uint32_t long_term = 0, lapses = 0, prev = card.begin;
      detail::ReplayCard(m, data, card, true, [&](uint32_t i, double r) {
        for (uint32_t q = prev; q < i; ++q) {
          const detail::TrainingReview& h = data.reviews[q];
          if (h.delta_t > 0) {
            ++long_term;
            if (h.rating == 1) ++lapses;
          }
        }
        prev = i;
        const detail::TrainingReview& rv = data.reviews[i];
        if (rv.rank < cut || rv.rank >= test_end) return;
        acc.Add(r, rv.rating > 1, rv.weight, rv.delta_t, long_term + 1, lapses);
      });
    }
  }
  return acc.Result();
}

Result<std::vector<ReviewRecord>> ReadRevlogCsv(std::string_view text,
                                                Diagnostics* warnings) {
  std::vector<ReviewRecord> out;
  uint32_t line_no = 0;
  size_t skipped = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line_no == 1 && !(line[0] >= '0' && line[0] <= '9') && line[0] != '-') {
      if (line.substr(0, 7) != "card_id") {
        return BadInput(
            "expected the header card_id,review_time,review_rating,...",
            SourcePos{1, 1});
      }
      continue;  // header
    }
    int64_t fields[3] = {0, 0, 0};
    size_t start = 0;
    for (int f = 0; f < 3; ++f) {
      size_t comma = line.find(',', start);
      if (comma == std::string_view::npos) {
        if (f < 2) {
          return BadInput(
              fmt::format("expected at least 3 comma-separated fields "
                          "(card_id,review_time,review_rating)"),
              SourcePos{line_no, static_cast<uint32_t>(line.size() + 1)});
        }
        comma = line.size();
      }
      std::string_view cell = line.substr(start, comma - start);
      while (!cell.empty() && cell.front() == ' ') cell.remove_prefix(1);
      while (!cell.empty() && cell.back() == ' ') cell.remove_suffix(1);
      auto [ptr, ec] =
          std::from_chars(cell.data(), cell.data() + cell.size(), fields[f]);
      if (ec != std::errc() || ptr != cell.data() + cell.size()) {
        static const char* const kNames[] = {"card_id", "review_time",
                                             "review_rating"};
        return BadInput(
            fmt::format("{}: expected an integer, got \"{}\"", kNames[f], cell),
            SourcePos{line_no, static_cast<uint32_t>(start + 1)});
      }
      start = comma + 1;
    }
    if (fields[2] < 1 || fields[2] > 4) {
      ++skipped;
      if (warnings != nullptr) {
        warnings->Warn(SourcePos{line_no, 1},
                       fmt::format("rating {} is not 1..4 (Again..Easy); "
                                   "review skipped",
                                   fields[2]));
      }
      continue;
    }
    out.push_back({fields[0], fields[1], static_cast<int32_t>(fields[2])});
  }
  return out;
}

std::string RevlogToCsv(std::span<const ReviewRecord> reviews) {
  std::string out =
      "card_id,review_time,review_rating,review_state,review_duration\n";
  int64_t prev_card = INT64_MIN;
  for (const ReviewRecord& r : reviews) {
    out += fmt::format("{},{},{},{},0\n", r.card_id, r.time_ms, r.rating,
                       r.card_id == prev_card ? 2 : 0);
    prev_card = r.card_id;
  }
  return out;
}

namespace {

// mulberry32, as simulate.mjs.
class Mulberry32 {
 public:
  explicit Mulberry32(uint32_t seed) : a_(seed) {}
  double operator()() {
    a_ += 0x6d2b79f5u;
    uint32_t t = (a_ ^ (a_ >> 15)) * (1u | a_);
    t = (t + ((t ^ (t >> 7)) * (61u | t))) ^ t;
    return static_cast<double>(t ^ (t >> 14)) / 4294967296.0;
  }

 private:
  uint32_t a_;
};

}  // namespace

std::vector<ReviewRecord> SimulateRevlog(const Weights& w,
                                         const SimulationOptions& options) {
  constexpr int64_t kNewDays = 365, kHorizon = 2190, kMaxIvl = 100;
  constexpr int64_t kEpoch = 1640995200000;  // 2022-01-01 UTC
  Mulberry32 rnd(static_cast<uint32_t>(options.seed));
  auto pick = [&](std::initializer_list<std::pair<int, double>> choices) {
    double total = 0;
    for (auto& c : choices) total += c.second;
    double u = rnd() * total;
    for (auto& c : choices) {
      if ((u -= c.second) < 0) return c.first;
    }
    return (choices.end() - 1)->first;
  };
  auto gauss = [&] {
    double a = rnd();
    double b = rnd();
    return std::sqrt(-2 * std::log(1 - a)) * std::cos(2 * std::numbers::pi * b);
  };
  Parameters base;
  base.w = w;
  const Scheduler alg = *Scheduler::Create(base);
  std::vector<ReviewRecord> out;
  const size_t n = options.cards;
  for (size_t c = 0; c < n; ++c) {
    const int64_t card_id = 1600000000000 + static_cast<int64_t>(c);
    Parameters p = base;
    p.request_retention = 0.70 + 0.25 * rnd();
    const double im = Scheduler::Create(p)->interval_modifier();
    int64_t day = static_cast<int64_t>(c) * kNewDays / static_cast<int64_t>(n);
    int64_t ms = kEpoch + day * detail::kMsPerDay +
                 static_cast<int64_t>(std::floor((8 + 14 * rnd()) * 3600000));
    std::optional<MemoryState> state;
    int64_t last_day = day;
    auto log = [&](int g) {
      out.push_back({card_id, ms, g});
      rnd();  // the review duration simulate.mjs draws
    };
    auto same_day = [&](int g) {
      ms += (5 + static_cast<int64_t>(std::floor(20 * rnd()))) * 60000;
      int64_t d = (ms - kEpoch) / detail::kMsPerDay;
      if (d != day) return;
      state = *alg.NextState(state, 0, static_cast<Rating>(g));
      log(g);
    };
    const int g0 = pick({{1, 25}, {2, 10}, {3, 50}, {4, 15}});
    state = *alg.NextState(std::nullopt, 0, static_cast<Rating>(g0));
    log(g0);
    if (g0 <= 2) {
      if (rnd() < 0.2) same_day(1);
      same_day(3);
    }
    for (;;) {
      double ivl = std::max(1.0, detail::JsRound(state->stability * im));
      ivl = detail::JsRound(ivl * std::exp(0.25 * gauss()));
      if (rnd() < 0.1) ivl = detail::JsRound(ivl * (1.5 + 2.5 * rnd()));
      ivl = std::min(std::max(ivl, 1.0), static_cast<double>(kMaxIvl));
      day = last_day + static_cast<int64_t>(ivl);
      if (day > kHorizon) break;
      ms = kEpoch + day * detail::kMsPerDay +
           static_cast<int64_t>(std::floor((8 + 14 * rnd()) * 3600000));
      const double dt = static_cast<double>(day - last_day);
      const double r = alg.ForgettingCurve(dt, state->stability);
      const bool recalled = rnd() < r;
      const int g = recalled ? pick({{2, 12}, {3, 78}, {4, 10}}) : 1;
      state = *alg.NextState(state, dt, static_cast<Rating>(g), r);
      log(g);
      if (g == 1 && rnd() < 0.9) same_day(3);
      last_day = day;
    }
  }
  return out;
}

}  // namespace mindcards::fsrs
