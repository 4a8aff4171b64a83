// `mindcards study` tried as a new user would: through a pseudo-terminal,
// answering three cards, quitting and coming back.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "test_util.h"

namespace mindcards {
namespace {

// The study command on a pseudo-terminal: Expect() waits for text, Send()
// types a line.
class Terminal {
 public:
  Terminal(const std::vector<std::string>& args,
           const std::vector<std::string>& env) {
    pid_ = forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      for (const std::string& e : env) putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv;
      std::string bin = testing::BinaryPath();
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (std::string& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
  }
  ~Terminal() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) close(master_);
  }

  bool started() const { return pid_ > 0; }

  // Reads until `text` has appeared after the last match (10 s at most).
  bool Expect(const std::string& text) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (true) {
      size_t at = output_.find(text, consumed_);
      if (at != std::string::npos) {
        consumed_ = at + text.size();
        return true;
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now())
                      .count();
      if (left <= 0) return false;
      pollfd p{master_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
      char buf[4096];
      ssize_t n = read(master_, buf, sizeof buf);
      if (n <= 0) return output_.find(text, consumed_) != std::string::npos;
      output_.append(buf, static_cast<size_t>(n));
    }
  }

  void Send(const std::string& line) {
    std::string data = line + "\r";
    ASSERT_EQ(write(master_, data.data(), data.size()),
              static_cast<ssize_t>(data.size()));
  }

  // Waits for the process to end; returns its exit code.
  int Wait() {
    Expect("\x01never\x01");  // drain until EOF or timeout
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  const std::string& output() const { return output_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool exited_ = false;
  std::string output_;
  size_t consumed_ = 0;
};

struct Counts {
  int cards = -1, fresh = -1, learning = -1, review = -1;
};

Counts HeaderCounts(const std::string& out) {
  std::smatch m;
  Counts c;
  static const std::regex re(
      R"((\d+) cards \((\d+) new, (\d+) learning, (\d+) review\))");
  if (std::regex_search(out, m, re)) {
    c.cards = std::stoi(m[1]);
    c.fresh = std::stoi(m[2]);
    c.learning = std::stoi(m[3]);
    c.review = std::stoi(m[4]);
  }
  return c;
}

class StudyCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string base = ::testing::TempDir() + "mindcards-study-XXXXXX";
    std::vector<char> buf(base.begin(), base.end());
    buf.push_back('\0');
    ASSERT_NE(mkdtemp(buf.data()), nullptr);
    dir_ = buf.data();
    map_ = dir_ + "/cold-war.txt";
    std::ofstream(map_) << "Cold War\n"
                           "  Stalin died in March 1953\n"
                           "  Geneva Summit in July 1955\n"
                           "  Khrushchev's Secret Speech in February 1956\n"
                           "  Hungarian Uprising in October 1956\n"
                           "  Sputnik launched in October 1957\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
  std::string map_;
};

constexpr const char* kAnswerPrompt = "answer (Enter shows it, q quits)> ";

TEST_F(StudyCliTest, ThreeCardsThroughATerminalSurviveARestart) {
  // No --db: the default file under XDG_DATA_HOME, as a new user gets.
  std::vector<std::string> env = {"XDG_DATA_HOME=" + dir_ + "/data",
                                  "HOME=" + dir_};
  Counts before;
  {
    Terminal t({"study", map_}, env);
    ASSERT_TRUE(t.started());
    ASSERT_TRUE(t.Expect(kAnswerPrompt)) << t.output();
    before = HeaderCounts(t.output());
    ASSERT_GE(before.cards, 3) << t.output();
    EXPECT_EQ(before.fresh, before.cards);
    // 1: reveal, then rate Good.
    t.Send("");
    ASSERT_TRUE(t.Expect("rate 1-4 (q quits)> ")) << t.output();
    t.Send("3");
    ASSERT_TRUE(t.Expect("Saved: Good")) << t.output();
    // 2: a wrong answer; Enter accepts the suggested Again.
    ASSERT_TRUE(t.Expect(kAnswerPrompt)) << t.output();
    t.Send("zzzz");
    ASSERT_TRUE(t.Expect("Not quite: the answer is")) << t.output();
    ASSERT_TRUE(t.Expect("(Enter = 1 Again, q quits)> ")) << t.output();
    t.Send("");
    ASSERT_TRUE(t.Expect("Saved: Again")) << t.output();
    // 3: reveal, an invalid rating, then Easy by name.
    ASSERT_TRUE(t.Expect(kAnswerPrompt)) << t.output();
    t.Send("");
    ASSERT_TRUE(t.Expect("rate 1-4 (q quits)> ")) << t.output();
    t.Send("7");
    ASSERT_TRUE(t.Expect("Type 1, 2, 3 or 4.")) << t.output();
    t.Send("easy");
    ASSERT_TRUE(t.Expect("Saved: Easy")) << t.output();
    ASSERT_TRUE(t.Expect(kAnswerPrompt)) << t.output();
    t.Send("q");
    ASSERT_TRUE(t.Expect("Reviewed 3 cards this session (2 not Again)."))
        << t.output();
    EXPECT_EQ(t.Wait(), 0);
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/data/mindcards/mindcards.db"));
  {
    Terminal t({"study", map_}, env);
    ASSERT_TRUE(t.Expect(kAnswerPrompt)) << t.output();
    Counts after = HeaderCounts(t.output());
    EXPECT_EQ(after.cards, before.cards);
    EXPECT_EQ(after.fresh, before.fresh - 3) << t.output();
    // Good and Again stay in learning; Easy graduates to review.
    EXPECT_EQ(after.learning, 2) << t.output();
    EXPECT_EQ(after.review, 1) << t.output();
    t.Send("q");
    EXPECT_EQ(t.Wait(), 0);
  }
}

TEST_F(StudyCliTest, WorksWithAnswersFromAPipeAndKeepsReviewsAcrossEdits) {
  std::string db = dir_ + "/study.db";
  std::ofstream(map_) << "Cold War\n"
                         "  Early years\n"
                         "    Stalin died in March 1953\n"
                         "    Geneva Summit in July 1955\n"
                         "  Later years\n"
                         "    Sputnik launched in October 1957\n";
  auto first = testing::RunCli({"study", map_, "--db", db}, "\n3\n\n4\n");
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("Reviewed 2 cards this session"), std::string::npos)
      << first.out;
  Counts c1 = HeaderCounts(first.out);
  // Add a node under the last heading, away from the first cards (which
  // come from the first headings), and study again.
  std::ofstream(map_, std::ios::app)
      << "    Berlin Wall built in August 1961\n";
  auto second = testing::RunCli({"study", map_, "--db", db}, "q\n");
  EXPECT_EQ(second.exit_code, 0) << second.err;
  Counts c2 = HeaderCounts(second.out);
  EXPECT_GT(c2.cards, c1.cards) << second.out;
  EXPECT_EQ(c2.learning + c2.review, 2) << second.out;
  EXPECT_NE(second.out.find("map changed:"), std::string::npos) << second.out;
}

TEST_F(StudyCliTest, ReportsBadInputAndUsage) {
  auto missing =
      testing::RunCli({"study", dir_ + "/nope.txt", "--db", dir_ + "/x.db"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            dir_ + "/nope.txt: cannot open: No such file or directory\n");
  std::string not_db = dir_ + "/not.db";
  std::ofstream(not_db) << std::string(4096, 'x');
  auto bad_db = testing::RunCli({"study", map_, "--db", not_db});
  EXPECT_EQ(bad_db.exit_code, 1);
  EXPECT_NE(bad_db.err.find(not_db + ": not a mindcards database"),
            std::string::npos)
      << bad_db.err;
  auto usage = testing::RunCli({"study"});
  EXPECT_EQ(usage.exit_code, 2);
  auto piped_map = testing::RunCli({"study", "-", "--db", dir_ + "/y.db"},
                                   "Cold War\n  Stalin died in 1953\n");
  EXPECT_EQ(piped_map.exit_code, 2);
  EXPECT_EQ(piped_map.err,
            "mindcards study: the map cannot come from stdin, which carries "
            "the answers; give a file\n");
  auto help = testing::RunCli({"study", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--db"), std::string::npos);
  EXPECT_NE(help.out.find("--new"), std::string::npos);
}

}  // namespace
}  // namespace mindcards
