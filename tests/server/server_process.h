// A `mindcards serve` child process on a free loopback port, for tests.
#ifndef MINDCARDS_TESTS_SERVER_SERVER_PROCESS_H_
#define MINDCARDS_TESTS_SERVER_SERVER_PROCESS_H_

#include <httplib.h>
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mindcards/fsrs.h"

namespace mindcards::testing {

class ServerProcess {
 public:
  // Starts `mindcards serve --port 0 --db DB ARGS...` and waits for the URL
  // line. ok() is false (and error() says why) when it did not start.
  ServerProcess(const std::string& db,
                const std::vector<std::string>& args = {});
  ~ServerProcess();

  bool ok() const { return port_ > 0; }
  const std::string& error() const { return error_; }
  int port() const { return port_; }
  // A client with the server's Host header, no Origin.
  std::unique_ptr<httplib::Client> Client() const;
  // SIGKILL, then reap.
  void Kill();
  // SIGTERM, then reap; returns the exit status.
  int Stop();

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string error_;
};

// The response body as JSON; null when there was no response, discarded
// when the body is not JSON.
nlohmann::json Json(const httplib::Result& r);

// A fresh empty directory under the test's temporary folder.
std::string TempDir(const std::string& name);

// Writes to the database at `db` the review log fsrs::SimulateRevlog makes
// for a learner with weights `truth`, spread over the cards of map `map`
// (which must have enough of them). Returns the number of reviews written,
// 0 after a failed gtest assertion.
size_t RecordSimulatedReviews(const std::string& db, int64_t map,
                              const fsrs::Weights& truth);

}  // namespace mindcards::testing

#endif  // MINDCARDS_TESTS_SERVER_SERVER_PROCESS_H_
