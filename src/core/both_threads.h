// Running work on more threads than the caller's: the one place that starts
// threads for a library call, forwards their exceptions and falls back to
// the calling thread when no thread can be started.
#ifndef MINDCARDS_CORE_BOTH_THREADS_H_
#define MINDCARDS_CORE_BOTH_THREADS_H_

#include <cstddef>
#include <deque>
#include <exception>
#include <system_error>
#include <thread>
#include <utility>

namespace mindcards::detail {

// Threads started one by one beside the caller's work. Each piece of work
// runs on a thread of its own, or on the caller's thread (at once, inside
// Start) when no thread can be started. An exception thrown by a piece of
// work is kept; Finish joins every thread and rethrows the first kept one
// (in start order). The destructor joins too, dropping kept exceptions, so
// an exception from the caller's own work leaves nothing running.
class ThreadGroup {
 public:
  ThreadGroup() = default;
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;
  ~ThreadGroup() = default;  // the jthreads join

  // Runs `work` on a new thread; returns whether one started.
  template <typename Work>
  bool Start(Work&& work) {
    std::exception_ptr* failure = &failures_.emplace_back();
    auto guarded = [failure, work = std::forward<Work>(work)]() mutable {
      try {
        work();
      } catch (...) {
        *failure = std::current_exception();
      }
    };
    try {
      threads_.emplace_back(guarded);
      return true;
    } catch (const std::system_error&) {
      threads_.emplace_back();  // keeps Wait's indices in start order
      guarded();
      return false;
    }
  }

  // Waits for the work started `index`-th (from 0).
  void Wait(size_t index) {
    if (threads_[index].joinable()) threads_[index].join();
  }

  // Waits for all the work; rethrows the first exception it threw.
  void Finish() {
    for (std::jthread& t : threads_) {
      if (t.joinable()) t.join();
    }
    for (const std::exception_ptr& failure : failures_) {
      if (failure) std::rethrow_exception(failure);
    }
  }

 private:
  // A deque: the threads hold pointers to their slots while more are added.
  std::deque<std::exception_ptr> failures_;
  std::deque<std::jthread> threads_;
};

// Runs `work` on a second thread while the caller runs `mine`; only `mine`
// when `two` is false; both on the caller's thread (`work` first) when no
// thread can be started. An exception thrown by `work` is rethrown here
// once both are done. Returns whether a second thread ran.
template <typename Work, typename Mine>
bool BothThreads(bool two, Work&& work, Mine&& mine) {
  ThreadGroup group;
  bool ran = two && group.Start(std::forward<Work>(work));
  mine();
  group.Finish();
  return ran;
}

// Runs work(k) for every k in [0, count): k = 0 on the calling thread, the
// others on threads of their own (see ThreadGroup for failures).
template <typename Work>
void RunOnThreads(size_t count, Work&& work) {
  ThreadGroup group;
  for (size_t k = 1; k < count; ++k) group.Start([&work, k] { work(k); });
  if (count > 0) work(0);
  group.Finish();
}

}  // namespace mindcards::detail

#endif  // MINDCARDS_CORE_BOTH_THREADS_H_
