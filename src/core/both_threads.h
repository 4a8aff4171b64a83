// Running two pieces of work side by side: the one place that starts a
// second thread for a library call, forwards its exception and falls back
// to the calling thread when no thread can be started.
#ifndef MINDCARDS_CORE_BOTH_THREADS_H_
#define MINDCARDS_CORE_BOTH_THREADS_H_

#include <exception>
#include <system_error>
#include <thread>

namespace mindcards::detail {

// Runs `work` on a second thread while the caller runs `mine`; only `mine`
// when `two` is false; both on the caller's thread (`work` first) when no
// thread can be started. An exception thrown by `work` is rethrown here
// once both are done. Returns whether a second thread ran.
template <typename Work, typename Mine>
bool BothThreads(bool two, Work&& work, Mine&& mine) {
  if (!two) {
    mine();
    return false;
  }
  std::exception_ptr failure;
  auto guarded = [&] {
    try {
      work();
    } catch (...) {
      failure = std::current_exception();
    }
  };
  std::jthread helper;
  try {
    helper = std::jthread(guarded);
  } catch (const std::system_error&) {
    guarded();
  }
  mine();
  bool ran = helper.joinable();
  if (ran) helper.join();
  if (failure) std::rethrow_exception(failure);
  return ran;
}

}  // namespace mindcards::detail

#endif  // MINDCARDS_CORE_BOTH_THREADS_H_
