#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/both_threads.h"

namespace mindcards::detail {
namespace {

TEST(ThreadsTest, RunOnThreadsRunsEveryIndexOnce) {
  for (size_t count : {0u, 1u, 2u, 5u}) {
    std::vector<std::atomic<int>> runs(count);
    RunOnThreads(count, [&](size_t k) { runs[k].fetch_add(1); });
    for (size_t k = 0; k < count; ++k) EXPECT_EQ(runs[k].load(), 1) << k;
  }
}

TEST(ThreadsTest, RunOnThreadsRunsIndexZeroOnTheCaller) {
  std::thread::id caller = std::this_thread::get_id(), zero;
  RunOnThreads(3, [&](size_t k) {
    if (k == 0) zero = std::this_thread::get_id();
  });
  EXPECT_EQ(zero, caller);
}

TEST(ThreadsTest, AWorkersExceptionReachesTheCallerAfterAllWork) {
  std::atomic<int> done{0};
  try {
    RunOnThreads(4, [&](size_t k) {
      if (k == 2) throw std::runtime_error("worker 2");
      done.fetch_add(1);
    });
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "worker 2");
  }
  EXPECT_EQ(done.load(), 3);  // the others ran to the end
}

TEST(ThreadsTest, FinishRethrowsTheFirstFailureInStartOrder) {
  ThreadGroup group;
  std::atomic<bool> first_may_throw{false};
  group.Start([&] {
    while (!first_may_throw.load()) std::this_thread::yield();
    throw std::runtime_error("first");
  });
  group.Start([&] {
    // Thrown before the first one is.
    struct Release {
      std::atomic<bool>& flag;
      ~Release() { flag.store(true); }
    } release{first_may_throw};
    throw std::runtime_error("second");
  });
  try {
    group.Finish();
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "first");
  }
}

TEST(ThreadsTest, BothThreadsRunsBothOrOnlyMine) {
  int work = 0, mine = 0;
  EXPECT_TRUE(BothThreads(
      true, [&] { ++work; }, [&] { ++mine; }));
  EXPECT_EQ(work, 1);
  EXPECT_EQ(mine, 1);
  EXPECT_FALSE(BothThreads(
      false, [&] { ++work; }, [&] { ++mine; }));
  EXPECT_EQ(work, 1);
  EXPECT_EQ(mine, 2);
  EXPECT_THROW(BothThreads(
                   true, [] { throw std::logic_error("work"); }, [] {}),
               std::logic_error);
}

TEST(ThreadsTest, WaitJoinsOneAndLeavesFinishToRethrow) {
  ThreadGroup group;
  std::atomic<int> value{0};
  group.Start([&] { value.store(7); });
  group.Start([] { throw std::runtime_error("late"); });
  group.Wait(0);
  EXPECT_EQ(value.load(), 7);
  EXPECT_THROW(group.Finish(), std::runtime_error);
}

}  // namespace
}  // namespace mindcards::detail
