#include "mindcards/fsrs_optimizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>

#include "study/fsrs_optimizer_internal.h"
#include "test_util.h"

namespace mindcards::fsrs {
namespace {

using ::mindcards::testing::RunCli;

// The ground truth of ../shared/fsrs/simulate.mjs, and two more learners:
// one who forgets fast (low initial stabilities, strong decay), one with a
// flat forgetting curve and big same-day gains.
constexpr Weights kTruthA = {0.35, 1.1,  3.0,  12.0, 6.0,  0.7,  2.2,
                             0.01, 1.6,  0.12, 0.9,  1.6,  0.08, 0.35,
                             1.8,  0.45, 2.3,  0.5,  0.15, 0.1,  0.25};
constexpr Weights kTruthB = {0.15, 0.6,  1.5, 5.0, 7.2, 0.5,  1.5,
                             0.05, 1.3,  0.2, 1.1, 2.0, 0.1,  0.3,
                             1.5,  0.35, 2.0, 0.7, 0.2, 0.15, 0.45};

bool AllFinite(const Weights& w) {
  return std::all_of(w.begin(), w.end(),
                     [](double x) { return std::isfinite(x); });
}

// --- Gradients ---------------------------------------------------------------

// The forward-mode derivatives of the loss must agree with central finite
// differences for every weight, in both the short-term and the long-term
// parts of the recurrence.
TEST(FsrsOptimizerTest, GradientMatchesFiniteDifferences) {
  std::vector<ReviewRecord> log =
      SimulateRevlog(kTruthA, {.cards = 40, .seed = 11});
  detail::TrainingData data = detail::BuildTrainingData(log, 0);
  for (auto& rv : data.reviews) rv.trainable = rv.target;
  std::vector<uint32_t> cards(data.cards.size());
  std::iota(cards.begin(), cards.end(), 0);
  // A point away from the defaults and from every clamp bound.
  Weights w = {0.4, 1.3,  2.8,  10.0, 6.2, 0.6, 2.0,  0.05, 1.7,  0.15, 0.85,
               1.5, 0.09, 0.32, 1.7,  0.5, 2.1, 0.45, 0.2,  0.12, 0.3};
  detail::LossAndGradient lg = detail::CardsLossAndGradient(w, data, cards);
  ASSERT_GT(lg.items, 100u);
  EXPECT_NEAR(lg.loss, detail::CardsLoss(w, data, cards), 1e-9 * lg.loss);
  for (int i = 0; i < kNumWeights; ++i) {
    double h = 1e-6 * std::max(1.0, std::fabs(w[i]));
    Weights up = w, down = w;
    up[i] += h;
    down[i] -= h;
    double fd = (detail::CardsLoss(up, data, cards) -
                 detail::CardsLoss(down, data, cards)) /
                (2 * h);
    EXPECT_NEAR(lg.gradient[i], fd, 1e-5 * std::max(1.0, std::fabs(fd)))
        << "w[" << i << "]";
  }
  // Every weight moves the loss on this data.
  for (int i = 0; i < kNumWeights; ++i) {
    EXPECT_NE(lg.gradient[i], 0) << "w[" << i << "]";
  }
}

// --- Parameter recovery ------------------------------------------------------

// On a log simulated from known weights, the fitted curve must predict what
// the true one predicts. Individual weights are not all identifiable (see
// docs/fsrs.md), so the test compares predictions, item by item:
//  - mean |R_fit - R_true| over all items <= 0.02 and the 95th percentile
//    <= 0.06 (sampling noise of ~40k Bernoulli outcomes; the defaults are
//    off by more than this, which the test also checks);
//  - the fitted log loss is within 0.5% of the true weights' (in-sample, the
//    fit may even be lower) and clearly better than the defaults'.
class FsrsRecoveryTest : public ::testing::TestWithParam<int> {};

TEST_P(FsrsRecoveryTest, FittedCurvePredictsLikeTheTruth) {
  const Weights& truth = GetParam() == 0 ? kTruthA : kTruthB;
  std::vector<ReviewRecord> log = SimulateRevlog(
      truth,
      {.cards = 1500, .seed = 1234u + static_cast<uint64_t>(GetParam())});
  ASSERT_GT(log.size(), 30000u);
  OptimizerOptions options;
  auto fit = Optimize(log, options);
  ASSERT_TRUE(fit) << fit.error().message;
  ASSERT_TRUE(fit->trained) << fit->note;
  ASSERT_TRUE(AllFinite(fit->w));

  detail::TrainingData data = detail::BuildTrainingData(log, 0);
  auto fitted = detail::PredictTargets(fit->w, data);
  auto actual = detail::PredictTargets(truth, data);
  auto defaults = detail::PredictTargets(kDefaultWeights, data);
  std::vector<double> diff, diff_defaults;
  for (size_t i = 0; i < fitted.size(); ++i) {
    if (std::isnan(fitted[i])) continue;
    diff.push_back(std::fabs(fitted[i] - actual[i]));
    diff_defaults.push_back(std::fabs(defaults[i] - actual[i]));
  }
  ASSERT_EQ(diff.size(), data.items);
  auto mean = [](const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) /
           static_cast<double>(v.size());
  };
  std::sort(diff.begin(), diff.end());
  double p95 = diff[diff.size() * 95 / 100];
  EXPECT_LE(mean(diff), 0.02);
  EXPECT_LE(p95, 0.06);
  EXPECT_GT(mean(diff_defaults), mean(diff));

  auto m_fit = Evaluate(log, fit->w, options);
  auto m_true = Evaluate(log, truth, options);
  auto m_default = Evaluate(log, kDefaultWeights, options);
  ASSERT_TRUE(m_fit && m_true && m_default);
  EXPECT_LE(m_fit->log_loss, m_true->log_loss * 1.005);
  EXPECT_LT(m_fit->log_loss, m_default->log_loss);
  // The forgetting-curve decay moves from the default toward the truth (the
  // L2 pull toward the defaults keeps it from getting all the way).
  EXPECT_LT(std::fabs(fit->w[20] - truth[20]),
            std::fabs(kDefaultWeights[20] - truth[20]));
}

INSTANTIATE_TEST_SUITE_P(TwoLearners, FsrsRecoveryTest,
                         ::testing::Values(0, 1));

// --- Degenerate input
// ----------------------------------------------------------

TEST(FsrsOptimizerTest, NoReviewsGivesTheDefaults) {
  auto fit = Optimize({}, {});
  ASSERT_TRUE(fit);
  EXPECT_FALSE(fit->trained);
  EXPECT_EQ(fit->w, kDefaultWeights);
  EXPECT_EQ(fit->note,
            "no reviews to learn from (a card needs reviews on two different "
            "days); using the default parameters");
}

TEST(FsrsOptimizerTest, OneCardGivesTheDefaults) {
  std::vector<ReviewRecord> log;
  for (int i = 0; i < 5; ++i) {
    log.push_back({7, 1700000000000 + i * 3 * 86400000LL, 3});
  }
  auto fit = Optimize(log, {});
  ASSERT_TRUE(fit);
  EXPECT_FALSE(fit->trained);
  EXPECT_EQ(fit->w, kDefaultWeights);
  EXPECT_EQ(fit->note,
            "only 4 review(s) to learn from (at least 8 needed); using the "
            "default parameters");
  // Enough reviews, but all of one card: the outlier filter drops it.
  for (int i = 5; i < 20; ++i) {
    log.push_back({7, 1700000000000 + i * 3 * 86400000LL, 3});
  }
  auto alone = Optimize(log, {});
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->w, kDefaultWeights);
  EXPECT_EQ(alone->note,
            "only 0 of 19 review(s) left after removing outliers (at least 8 "
            "needed); using the default parameters");
}

TEST(FsrsOptimizerTest, OnlyAgainNeverGivesNaN) {
  std::vector<ReviewRecord> log;
  for (int c = 0; c < 300; ++c) {
    for (int i = 0; i < 6; ++i) {
      log.push_back(
          {c, 1700000000000 + (c % 7 + i * (1 + c % 3)) * 86400000LL, 1});
    }
  }
  auto fit = Optimize(log, {});
  ASSERT_TRUE(fit);
  EXPECT_TRUE(AllFinite(fit->w));
  auto m = Evaluate(log, fit->w, {});
  ASSERT_TRUE(m);
  EXPECT_TRUE(std::isfinite(m->log_loss));
  EXPECT_TRUE(std::isfinite(m->rmse_bins));
}

TEST(FsrsOptimizerTest, TimestampsOutOfOrderAreSortedPerCard) {
  std::vector<ReviewRecord> log =
      SimulateRevlog(kTruthA, {.cards = 150, .seed = 5});
  std::vector<ReviewRecord> shuffled = log;
  std::mt19937 rng(99);
  std::shuffle(shuffled.begin(), shuffled.end(), rng);
  auto a = Optimize(log, {});
  auto b = Optimize(shuffled, {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->w, b->w);
  EXPECT_EQ(a->items, b->items);
}

TEST(FsrsOptimizerTest, RatingsOutOfRangeAreSkipped) {
  std::vector<ReviewRecord> log =
      SimulateRevlog(kTruthA, {.cards = 150, .seed = 5});
  std::vector<ReviewRecord> noisy = log;
  noisy.push_back({1600000000000, 1700000000000, 0});
  noisy.push_back({1600000000001, 1700000000000, 5});
  noisy.push_back({1600000000002, 1700000000000, -3});
  auto a = Optimize(log, {});
  auto b = Optimize(noisy, {});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->w, b->w);
  EXPECT_EQ(a->reviews, b->reviews);

  Diagnostics warnings;
  auto read = ReadRevlogCsv(
      "card_id,review_time,review_rating,review_state,review_duration\n"
      "1,1700000000000,3,0,0\n1,1700086400000,9,2,0\n",
      &warnings);
  ASSERT_TRUE(read);
  EXPECT_EQ(read->size(), 1u);
  ASSERT_EQ(warnings.items().size(), 1u);
  EXPECT_EQ(warnings.items()[0].pos.line, 3u);
  EXPECT_EQ(warnings.items()[0].message,
            "rating 9 is not 1..4 (Again..Easy); review skipped");
}

TEST(FsrsOptimizerTest, CsvErrorsSayWhereAndWhy) {
  auto bad_time =
      ReadRevlogCsv("card_id,review_time,review_rating\n1,abc,3\n", nullptr);
  ASSERT_FALSE(bad_time);
  EXPECT_EQ(bad_time.error().ToString(),
            "<input>:2:3: review_time: expected an integer, got \"abc\"");
  auto short_row =
      ReadRevlogCsv("card_id,review_time,review_rating\n1,2\n", nullptr);
  ASSERT_FALSE(short_row);
  EXPECT_EQ(short_row.error().ToString(),
            "<input>:2:4: expected at least 3 comma-separated fields "
            "(card_id,review_time,review_rating)");
  auto bad_header = ReadRevlogCsv("id;time;rating\n", nullptr);
  ASSERT_FALSE(bad_header);
  EXPECT_EQ(
      bad_header.error().ToString(),
      "<input>:1:1: expected the header card_id,review_time,review_rating,...");
}

TEST(FsrsOptimizerTest, CsvRoundTrips) {
  std::vector<ReviewRecord> log =
      SimulateRevlog(kTruthA, {.cards = 20, .seed = 3});
  auto back = ReadRevlogCsv(RevlogToCsv(log), nullptr);
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), log.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ((*back)[i].card_id, log[i].card_id);
    EXPECT_EQ((*back)[i].time_ms, log[i].time_ms);
    EXPECT_EQ((*back)[i].rating, log[i].rating);
  }
}

TEST(FsrsOptimizerTest, EvaluateNeedsItems) {
  auto m = Evaluate({}, kDefaultWeights, {});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error().message,
            "no reviews to evaluate: a card needs reviews on two different "
            "days");
  Weights nan_w = kDefaultWeights;
  nan_w[5] = NAN;
  std::vector<ReviewRecord> log =
      SimulateRevlog(kTruthA, {.cards = 20, .seed = 3});
  EXPECT_EQ(Evaluate(log, nan_w, {}).error().message,
            "FSRS weight w[5] is not a finite number");
}

TEST(FsrsOptimizerTest, TimeSeriesSplitPredictsLaterReviews) {
  std::vector<ReviewRecord> log =
      SimulateRevlog(kTruthA, {.cards = 400, .seed = 8});
  auto split = EvaluateTimeSeriesSplit(log, {});
  ASSERT_TRUE(split) << split.error().message;
  detail::TrainingData data = detail::BuildTrainingData(log, 0);
  EXPECT_EQ(split->items, (data.items / 6) * 5);
  EXPECT_TRUE(std::isfinite(split->log_loss));
  EXPECT_GT(split->log_loss, 0);
  EXPECT_LT(split->log_loss, 0.5);
}

// --- CLI
// ----------------------------------------------------------------------

class FsrsOptimizeCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: ctest runs the tests of this fixture as
    // parallel processes, and one's TearDown must not delete the other's.
    dir_ = ::testing::TempDir() + "/fsrs_optimize_cli_" +
           ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::filesystem::create_directories(dir_);
    log_path_ = dir_ + "/revlog.csv";
    std::ofstream(log_path_)
        << RevlogToCsv(SimulateRevlog(kTruthA, {.cards = 300, .seed = 21}));
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, log_path_;
};

TEST_F(FsrsOptimizeCliTest, WritesParametersTheSchedulerReads) {
  std::string out = dir_ + "/params.json";
  auto r = RunCli({"fsrs", "optimize", log_path_, "-o", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(log_path_ + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" reviews, 300 cards, "), std::string::npos) << r.err;
  std::ifstream in(out);
  std::string json((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  auto params = ParametersFromJson(json);
  ASSERT_TRUE(params) << params.error().message;
  EXPECT_TRUE(AllFinite(params->w));
  EXPECT_NE(params->w, kDefaultWeights);

  auto e = RunCli({"fsrs", "evaluate", log_path_, "--params", out});
  ASSERT_EQ(e.exit_code, 0) << e.err;
  EXPECT_TRUE(e.out.starts_with("parameters: " + out + "\nin-sample:  "))
      << e.out;
  EXPECT_NE(e.out.find("\ntime-series split: log loss 0."), std::string::npos)
      << e.out;
}

TEST_F(FsrsOptimizeCliTest, UsageAndInputErrors) {
  auto both = RunCli({"fsrs", "optimize", log_path_, "--db", "x.db"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.err,
            "mindcards fsrs optimize: give either a review log CSV or --db "
            "FILE (one of them)\n");
  auto missing_db = RunCli({"fsrs", "optimize", "--db", dir_ + "/none.db"});
  EXPECT_EQ(missing_db.exit_code, 1);
  EXPECT_EQ(missing_db.err, dir_ + "/none.db: no such database file\n");
  std::string bad = dir_ + "/bad.csv";
  std::ofstream(bad) << "card_id,review_time,review_rating\n1,2,x\n";
  auto r = RunCli({"fsrs", "optimize", bad});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            bad + ":2:5: review_rating: expected an integer, got \"x\"\n");
}

}  // namespace
}  // namespace mindcards::fsrs
