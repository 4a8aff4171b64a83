// Helpers for the tests: paths to the corpus and the binary, running the CLI.
#ifndef MINDCARDS_TESTS_TEST_UTIL_H_
#define MINDCARDS_TESTS_TEST_UTIL_H_

#include <string>
#include <vector>

namespace mindcards::testing {

// ../shared (the corpus), or "" when it is absent.
std::string SharedDir();
// The project's source directory.
std::string SourceDir();
// Path of the built mindcards binary.
std::string BinaryPath();

// Reads a whole file; fails the test (and returns "") when it cannot.
std::string ReadFileOrDie(const std::string& path);
// Lists regular files under `dir` (recursively) whose names end in one of
// `suffixes`, sorted.
std::vector<std::string> ListFiles(const std::string& dir,
                                   const std::vector<std::string>& suffixes);

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the mindcards binary with `args` (no shell), feeding `stdin_data`.
RunResult RunCli(const std::vector<std::string>& args,
                 const std::string& stdin_data = "");

}  // namespace mindcards::testing

// Skips the current test when the corpus in ../shared is absent.
#define MINDCARDS_REQUIRE_SHARED()                                         \
  do {                                                                     \
    if (::mindcards::testing::SharedDir().empty()) {                       \
      GTEST_SKIP() << "../shared (the corpus) is absent; skipping";        \
    }                                                                      \
  } while (0)

#endif  // MINDCARDS_TESTS_TEST_UTIL_H_
