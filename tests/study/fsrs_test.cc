#include "mindcards/fsrs.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "study/fsrs_internal.h"
#include "test_util.h"

namespace mindcards::fsrs {
namespace {

using ::mindcards::testing::ReadFileOrDie;
using ::mindcards::testing::RunCli;
using ::mindcards::testing::SharedDir;

std::string VectorsPath(const char* name) {
  return SharedDir() + "/fsrs/" + name;
}

// --- Conformance with ts-fsrs 5.4.2 -----------------------------------------

class FsrsConformanceTest : public ::testing::TestWithParam<const char*> {};

TEST_P(FsrsConformanceTest, ReplaysEveryVectorBitForBit) {
  MINDCARDS_REQUIRE_SHARED();
  std::string text = ReadFileOrDie(VectorsPath(GetParam()));
  std::vector<std::string> mismatches;
  auto report = ReplayConformanceVectors(
      text, [&](const std::string& line) { mismatches.push_back(line); });
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_GE(report->sequences, 200u);
  EXPECT_GE(report->reviews, 2000u);
  EXPECT_EQ(report->mismatches, 0u);
  for (size_t i = 0; i < mismatches.size() && i < 20; ++i) {
    ADD_FAILURE() << mismatches[i];
  }
}

INSTANTIATE_TEST_SUITE_P(Files, FsrsConformanceTest,
                         ::testing::Values("vectors.json",
                                           "vectors_fuzz.json"));

TEST(FsrsReplayCliTest, PassesBothVectorFiles) {
  MINDCARDS_REQUIRE_SHARED();
  for (const char* name : {"vectors.json", "vectors_fuzz.json"}) {
    std::string path = VectorsPath(name);
    auto r = RunCli({"fsrs", "replay", path});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find(path + ": "), std::string::npos);
    EXPECT_NE(r.out.find(" reviews, "), std::string::npos) << r.out;
    EXPECT_TRUE(r.out.ends_with(" checks, 0 mismatches\n")) << r.out;
  }
}

// A vectors file with one recorded value changed must fail, naming it.
TEST(FsrsReplayCliTest, ReportsAMismatchAndExitsOne) {
  MINDCARDS_REQUIRE_SHARED();
  auto doc = nlohmann::json::parse(ReadFileOrDie(VectorsPath("vectors.json")));
  nlohmann::json small = doc;
  small["sequences"] = nlohmann::json::array({doc["sequences"][0]});
  small.erase("unit");
  nlohmann::json& out = small["sequences"][0]["steps"][2]["out"];
  double stability = out[1].get<double>();
  out[1] = stability + 1e-8;
  std::string path = ::testing::TempDir() + "/fsrs_mutated_vectors.json";
  {
    std::ofstream f(path);
    f << small.dump();
  }
  auto r = RunCli({"fsrs", "replay", path});
  EXPECT_EQ(r.exit_code, 1);
  std::string cfg = small["sequences"][0]["cfg"].get<std::string>();
  std::string profile = small["sequences"][0]["profile"].get<std::string>();
  std::string expected_line = path + ": mismatch: sequence 0 (" + cfg + ", " +
                              profile + ") review 3 out.stability: expected " +
                              detail::JsNumberToString(stability + 1e-8) +
                              ", got " + detail::JsNumberToString(stability) +
                              "\n";
  EXPECT_TRUE(r.out.starts_with(expected_line)) << r.out;
  EXPECT_NE(r.out.find(" 1 mismatches\n"), std::string::npos) << r.out;
  std::filesystem::remove(path);
}

TEST(FsrsReplayCliTest, RejectsANonVectorsFile) {
  std::string path = ::testing::TempDir() + "/fsrs_not_vectors.json";
  {
    std::ofstream f(path);
    f << "{\"cards\": []}";
  }
  auto r = RunCli({"fsrs", "replay", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, path +
                       ": not an FSRS vectors file: expected an object with "
                       "\"configs\" and \"sequences\"\n");
  std::filesystem::remove(path);
}

TEST(FsrsCliTest, UsageErrorsExitTwo) {
  auto none = RunCli({"fsrs"});
  EXPECT_EQ(none.exit_code, 2);
  auto bad = RunCli({"fsrs", "frobnicate"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "mindcards fsrs: unknown subcommand 'frobnicate'; run 'mindcards "
            "fsrs --help'\n");
  auto help = RunCli({"fsrs", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("replay"), std::string::npos);
}

// --- The worked example of SPEC.md §11 (defaults, fuzz off) -----------------

TEST(FsrsSchedulerTest, WorkedExampleFromTheSpec) {
  Scheduler s;
  Card card = NewCard(1677312250086);
  auto c1 = s.Next(card, 1678176250086, Rating::kGood);
  ASSERT_TRUE(c1);
  EXPECT_EQ(c1->state, State::kLearning);
  EXPECT_EQ(c1->learning_steps, 1);
  EXPECT_EQ(c1->stability, 2.3065);
  EXPECT_EQ(c1->difficulty, 2.11810397);
  EXPECT_EQ(c1->due_ms, 1678176250086 + 10 * 60000);
  auto c2 = s.Next(*c1, 1678176850086, Rating::kGood);
  ASSERT_TRUE(c2);
  EXPECT_EQ(c2->state, State::kReview);
  EXPECT_EQ(c2->stability, 2.3065);
  EXPECT_EQ(c2->difficulty, 2.11121424);
  EXPECT_EQ(c2->scheduled_days, 2);
  auto c3 = s.Next(*c2, 1679008457607, Rating::kHard);
  ASSERT_TRUE(c3);
  EXPECT_EQ(c3->elapsed_days, 9);
  EXPECT_EQ(c3->stability, 15.35890345);
  EXPECT_EQ(c3->difficulty, 4.74828477);
  EXPECT_EQ(c3->scheduled_days, 15);
  EXPECT_EQ(c3->due_ms, 1679008457607 + 15 * 86400000LL);
  EXPECT_EQ(c3->reps, 3);
  EXPECT_EQ(c3->lapses, 0);
}

TEST(FsrsSchedulerTest, PreviewAgreesWithNextForEveryRating) {
  Parameters p;
  p.enable_fuzz = true;
  Scheduler s = *Scheduler::Create(p);
  Card card = NewCard(1700000000000);
  int64_t now = 1700000000000;
  const Rating ratings[] = {Rating::kGood, Rating::kGood, Rating::kAgain,
                            Rating::kGood, Rating::kEasy, Rating::kHard};
  for (Rating next_rating : ratings) {
    auto preview = s.Preview(card, now);
    ASSERT_TRUE(preview);
    for (int g = 1; g <= 4; ++g) {
      auto next = s.Next(card, now, static_cast<Rating>(g));
      ASSERT_TRUE(next);
      EXPECT_EQ(*next, preview->cards[g - 1]) << "rating " << g;
    }
    card = (*preview)[next_rating];
    now = card.due_ms + 3600000;
  }
}

TEST(FsrsSchedulerTest, RejectsAReviewOnAnEarlierDay) {
  Scheduler s;
  auto c1 = s.Next(NewCard(0), 2 * 86400000LL + 3600000, Rating::kGood);
  ASSERT_TRUE(c1);
  auto c2 = s.Next(*c1, 86400000LL + 5, Rating::kGood);
  ASSERT_FALSE(c2);
  EXPECT_EQ(c2.error().message,
            "review at 86400005 ms is on an earlier day than the card's last "
            "review at 176400000 ms");
  // Earlier on the same UTC day is allowed (elapsed 0), as in ts-fsrs.
  EXPECT_TRUE(s.Next(*c1, 2 * 86400000LL + 1000, Rating::kGood));
}

TEST(FsrsSchedulerTest, RejectsAnInvalidMemoryState) {
  Scheduler s;
  Card card = NewCard(0);
  card.state = State::kReview;
  card.last_review_ms = 0;
  card.stability = 5;
  card.difficulty = 0.5;
  auto r = s.Next(card, 86400000LL, Rating::kGood);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "invalid memory state (difficulty 0.5, stability 5): expected "
            "difficulty in [1, 10] and stability >= 0.001");
}

TEST(FsrsSchedulerTest, RatingsOutsideOneToFourAreErrors) {
  EXPECT_EQ(RatingFromInt(0).error().message,
            "rating 0 is out of range: expected 1 (Again), 2 (Hard), 3 (Good) "
            "or 4 (Easy)");
  EXPECT_FALSE(RatingFromInt(5));
  EXPECT_EQ(*RatingFromInt(3), Rating::kGood);
  Scheduler s;
  EXPECT_FALSE(s.Next(NewCard(0), 0, static_cast<Rating>(7)));
}

TEST(FsrsSchedulerTest, RetrievabilityOfNewAndReviewedCards) {
  Scheduler s;
  EXPECT_EQ(s.Retrievability(NewCard(0), 1000), 0);
  Card card = *s.Next(NewCard(0), 0, Rating::kEasy);
  // R(S, S) = 0.9 by construction of FACTOR, up to round8.
  int64_t at_s = static_cast<int64_t>(card.stability) * 86400000LL;
  double r = s.Retrievability(card, at_s);
  EXPECT_GT(r, 0.9);  // floor(S) days < S
  EXPECT_LT(r, 0.91);
  EXPECT_EQ(s.Retrievability(card, 0), 1);
}

TEST(FsrsSchedulerTest, CreateValidatesParameters) {
  Parameters p;
  p.request_retention = 1.5;
  EXPECT_EQ(Scheduler::Create(p).error().message,
            "desired retention 1.5 is out of range: expected a number in (0, "
            "1]");
  p = Parameters{};
  p.maximum_interval = 0;
  EXPECT_EQ(Scheduler::Create(p).error().message,
            "maximum interval 0 is out of range: expected at least 1 day");
  p = Parameters{};
  p.w[3] = NAN;
  EXPECT_EQ(Scheduler::Create(p).error().message,
            "FSRS weight w[3] is not a finite number");
  p = Parameters{};
  p.w[4] = 50;  // clipped to 10
  EXPECT_EQ(Scheduler::Create(p)->weights()[4], 10);
}

TEST(FsrsSchedulerTest, FormatsIntervalsForButtons) {
  EXPECT_EQ(FormatInterval(0, 30000), "<1m");
  EXPECT_EQ(FormatInterval(0, 10 * 60000), "10m");
  EXPECT_EQ(FormatInterval(0, 3 * 3600000), "3h");
  EXPECT_EQ(FormatInterval(0, 2 * 86400000LL), "2d");
  EXPECT_EQ(FormatInterval(0, 92 * 86400000LL), "3.0mo");
  EXPECT_EQ(FormatInterval(0, 548 * 86400000LL), "1.5y");
}

// --- JS number semantics and Alea -------------------------------------------

TEST(FsrsJsTest, RoundsLikeMathRound) {
  EXPECT_EQ(detail::JsRound(-2.5), -2);
  EXPECT_EQ(detail::JsRound(2.5), 3);
  EXPECT_EQ(detail::JsRound(0.49999999999999994), 0);
  EXPECT_EQ(detail::Round8(0.1234567891), 0.12345679);
}

// JsRound's fast path (adding 1.5 * 2^52) against the floor() definition,
// bit for bit (signed zeros too): ties, values near every half, random
// magnitudes up to and past 2^51, non-finite values.
TEST(FsrsJsTest, FastRoundMatchesFloorDefinition) {
  auto reference = [](double x) {
    double r = std::floor(x);
    if (x - r >= 0.5) r += 1;
    return r;
  };
  auto bits = [](double x) {
    uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
  };
  std::vector<double> xs = {0.0,
                            -0.0,
                            0.5,
                            -0.5,
                            1.5,
                            -1.5,
                            0.49999999999999994,
                            -0.49999999999999994,
                            0x1p51 - 0.5,
                            -(0x1p51 - 0.5),
                            0x1p51,
                            0x1p52 + 1,
                            1e300,
                            std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(),
                            std::numeric_limits<double>::denorm_min(),
                            -std::numeric_limits<double>::denorm_min()};
  uint64_t state = 42;
  auto next = [&state] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 11;
  };
  for (int i = 0; i < 200000; ++i) {
    double unit = static_cast<double>(next()) / 0x1p53;  // [0, 1)
    double scale = std::ldexp(1.0, static_cast<int>(next() % 60) - 8);
    double x = (unit - 0.5) * scale;
    double half = std::floor(x) + 0.5;
    xs.push_back(x);
    xs.push_back(half);
    xs.push_back(std::nextafter(half, 0.0));
    xs.push_back(std::nextafter(half, 1e308));
    xs.push_back(x * 1e8);  // as Round8 scales
  }
  for (double x : xs) {
    ASSERT_EQ(bits(detail::JsRound(x)), bits(reference(x))) << x;
  }
  EXPECT_TRUE(std::isnan(detail::JsRound(std::nan(""))));
}

TEST(FsrsJsTest, ToFixed8BreaksExactTiesAwayFromZero) {
  // 1/512 = 0.001953125 exactly: a tie at the 8th decimal.
  EXPECT_EQ(detail::ToFixed8(1.0 / 512), 0.00195313);
  EXPECT_EQ(detail::ToFixed8(-1.0 / 512), -0.00195313);
  EXPECT_EQ(detail::ToFixed8(2.123456781), 2.12345678);
}

TEST(FsrsJsTest, NumberToStringMatchesEcmaScript) {
  EXPECT_EQ(detail::JsNumberToString(4.885406806805), "4.885406806805");
  EXPECT_EQ(detail::JsNumberToString(1e-7), "1e-7");
  EXPECT_EQ(detail::JsNumberToString(1.2e-6), "0.0000012");
  EXPECT_EQ(detail::JsNumberToString(1e21), "1e+21");
  EXPECT_EQ(detail::JsNumberToString(1e20), "100000000000000000000");
  EXPECT_EQ(detail::JsNumberToString(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(detail::JsNumberToString(-1.5), "-1.5");
}

TEST(FsrsJsTest, FuzzSeedUsesTheStateBeforeTheReview) {
  EXPECT_EQ(detail::FuzzSeed(1752894652880, 2, 2.11810397 * 2.3065),
            "1752894652880_2_4.885406806805");
  EXPECT_EQ(detail::FuzzSeed(1752894052880, 1, 0), "1752894052880_1_0");
}

// --- Parameters --------------------------------------------------------------

TEST(FsrsParametersTest, ParsesSteps) {
  EXPECT_EQ(*ParseStep("1m"), 1);
  EXPECT_EQ(*ParseStep("2h"), 120);
  EXPECT_EQ(*ParseStep("1d"), 1440);
  EXPECT_EQ(*ParseStep("1.5m"), 1);  // parseInt
  EXPECT_EQ(ParseStep("10s").error().message,
            "invalid learning step \"10s\": expected the unit m, h or d");
  EXPECT_EQ(ParseStep("-3m").error().message,
            "invalid learning step \"-3m\": steps cannot be negative");
  EXPECT_EQ(ParseStep("m").error().message,
            "invalid learning step \"m\": expected a number and a unit m, h "
            "or d");
  EXPECT_EQ(StepToString(10), "10m");
  EXPECT_EQ(StepToString(120), "2h");
  EXPECT_EQ(StepToString(2880), "2d");
}

TEST(FsrsParametersTest, JsonRoundTrips) {
  Parameters p;
  p.w[0] = 0.5;
  p.request_retention = 0.85;
  p.maximum_interval = 365;
  p.enable_fuzz = true;
  p.enable_short_term = false;
  p.learning_steps = {1, 60, 1440};
  p.relearning_steps = {};
  auto back = ParametersFromJson(ParametersToJson(p));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(*back, p);
}

TEST(FsrsParametersTest, JsonErrorsNameTheKey) {
  EXPECT_EQ(ParametersFromJson("[1]").error().message,
            "FSRS parameters: expected a JSON object");
  EXPECT_EQ(ParametersFromJson("{").error().message,
            "FSRS parameters: not valid JSON");
  EXPECT_EQ(ParametersFromJson("{\"w\": [1, 2]}").error().message,
            "\"w\": FSRS weights: expected 17, 19 or 21 numbers, got 2");
  EXPECT_EQ(
      ParametersFromJson("{\"learning_steps\": [\"5x\"]}").error().message,
      "\"learning_steps\": invalid learning step \"5x\": expected the "
      "unit m, h or d");
  EXPECT_EQ(ParametersFromJson("{\"request_retention\": 0}").error().message,
            "desired retention 0 is out of range: expected a number in (0, 1]");
  EXPECT_EQ(ParametersFromJson("{\"enable_fuzz\": 1}").error().message,
            "\"enable_fuzz\": expected true or false");
}

TEST(FsrsParametersTest, MigratesFsrs5Weights) {
  std::vector<double> w19(kDefaultWeights.begin(),
                          kDefaultWeights.begin() + 19);
  auto w = MigrateWeights(w19, 1, true);
  ASSERT_TRUE(w);
  EXPECT_EQ((*w)[19], 0.01);  // raised from 0 by the second clip
  EXPECT_EQ((*w)[20], 0.5);
  auto off = MigrateWeights(w19, 1, false);
  EXPECT_EQ((*off)[19], 0);
}

}  // namespace
}  // namespace mindcards::fsrs
