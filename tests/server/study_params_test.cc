// `mindcards study` with personal FSRS parameters stored in the database
// (settings fsrs.parameters / fsrs.fit). Here rather than in tests/cli
// because it writes the settings through the store library, which the
// server tests link.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "mindcards/fsrs.h"
#include "mindcards/fsrs_settings.h"
#include "mindcards/store.h"
#include "test_util.h"

namespace mindcards {
namespace {

class StudyParamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string base = ::testing::TempDir() + "mindcards-params-XXXXXX";
    ASSERT_NE(mkdtemp(base.data()), nullptr);
    dir_ = base;
    map_ = dir_ + "/m.txt";
    std::ofstream(map_) << "Cold War\n"
                           "  Stalin died in March 1953\n"
                           "  Sputnik launched in October 1957\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Studies one card (reveal, Easy) in a fresh database; returns stdout.
  std::string StudyOnce(const std::string& db, std::string* err = nullptr) {
    auto run = testing::RunCli({"study", map_, "--db", db}, "\n4\nq\n");
    EXPECT_EQ(run.exit_code, 0) << run.err;
    if (err) *err = run.err;
    return run.out;
  }

  void PutSetting(const std::string& db, std::string_view key,
                  std::string_view value) {
    auto store = OpenSqliteStore(db);
    ASSERT_TRUE(store) << store.error().message;
    ASSERT_TRUE((*store)->PutSetting(key, value));
  }

  std::string dir_;
  std::string map_;
};

TEST_F(StudyParamsTest, UsesStoredParametersAndSaysSo) {
  std::string err;
  std::string plain = StudyOnce(dir_ + "/a.db", &err);
  EXPECT_NE(plain.find("Scheduler: default parameters.\n"), std::string::npos)
      << plain;
  EXPECT_EQ(err, "");
  EXPECT_NE(plain.find("4 Easy (8d)"), std::string::npos) << plain;

  // Very different weights: Easy on a new card starts at 25 days.
  fsrs::Parameters custom;
  custom.w[0] = 0.5;
  custom.w[1] = 1.0;
  custom.w[2] = 2.0;
  custom.w[3] = 25.0;
  FsrsFitSummary fit;
  fit.reviews = 5231;
  fit.cards = 400;
  fit.time_ms = 1795651200000;  // 2026-11-26
  fit.trained = true;
  std::string db = dir_ + "/b.db";
  StudyOnce(db);  // creates the database
  {
    auto store = OpenSqliteStore(db);
    ASSERT_TRUE(store);
    ASSERT_TRUE(SaveFsrsParameters(**store, custom, fit));
  }
  std::string tuned =
      testing::RunCli({"study", map_, "--db", db}, "\n4\nq\n").out;
  EXPECT_NE(tuned.find("Scheduler: personal parameters (fitted 2026-11-26 on "
                       "5,231 reviews).\n"),
            std::string::npos)
      << tuned;
  EXPECT_NE(tuned.find("4 Easy (25d)"), std::string::npos) << tuned;
  EXPECT_NE(tuned.find("Saved: Easy, next in 25d."), std::string::npos)
      << tuned;
  // The recorded review carries the stability of the stored weights.
  auto store = OpenSqliteStore(db);
  ASSERT_TRUE(store);
  auto reviews = (*store)->ListReviews(0, "");
  ASSERT_TRUE(reviews);
  ASSERT_EQ(reviews->size(), 2u);
  EXPECT_NEAR(reviews->front().after.stability, 8.2956, 1e-3);
  EXPECT_NEAR(reviews->back().after.stability, 25.0, 1e-9);
}

TEST_F(StudyParamsTest, BadStoredParametersWarnAndUseDefaults) {
  std::string db = dir_ + "/c.db";
  StudyOnce(db);
  PutSetting(db, kFsrsParametersSetting, R"({"w": [1, 2, "x"]})");
  std::string err;
  std::string out = StudyOnce(db, &err);
  EXPECT_NE(out.find("Scheduler: default parameters.\n"), std::string::npos)
      << out;
  EXPECT_NE(err.find(db + ": warning: setting fsrs.parameters is not valid: "),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("; using the defaults\n"), std::string::npos) << err;
  // Emptied (as DELETE /api/settings/fsrs does): defaults, no warning.
  PutSetting(db, kFsrsParametersSetting, "");
  out = StudyOnce(db, &err);
  EXPECT_NE(out.find("Scheduler: default parameters.\n"), std::string::npos);
  EXPECT_EQ(err, "");
}

}  // namespace
}  // namespace mindcards
