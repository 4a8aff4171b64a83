// `mindcards serve`: the local web app. An HTTP server (cpp-httplib) with a
// JSON API under /api/ (docs/api.md) and the page from web/, embedded in the
// binary.
#ifndef MINDCARDS_SERVER_H_
#define MINDCARDS_SERVER_H_

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mindcards/error.h"

namespace mindcards {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: pick a free port
  // The database file; empty: the default under ~/.local/share/mindcards/.
  std::string db_path;
  // Requests with a larger body get 413.
  size_t max_body_bytes = size_t{64} << 20;
  // Files imported at start (as `POST /api/maps` would).
  std::vector<std::string> import_files;
  // For tests: called by POST /api/settings/fsrs/optimize once it holds its
  // snapshot of the reviews and has released the server's lock, before it
  // fits, so that a test can hold the fit there and see other requests
  // served meanwhile.
  std::function<void()> optimize_hook;
};

class Server {
 public:
  // Opens the database and imports `options.import_files`. Fails with a
  // clear message when the database cannot be opened or a file cannot be
  // read or parsed.
  [[nodiscard]] static Result<std::unique_ptr<Server>> Create(
      const ServerOptions& options);
  ~Server();

  // Binds the socket; after this, port() is the port bound (useful with
  // port 0). Fails when the address is taken or invalid.
  [[nodiscard]] Result<void> Bind();
  int port() const;
  // Serves until Stop() is called (from another thread or a signal handler
  // via a flag). Bind() must have succeeded.
  void Run();
  void Stop();

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The default database path: $XDG_DATA_HOME/mindcards/mindcards.db or
// ~/.local/share/mindcards/mindcards.db.
std::string DefaultDatabasePath();

}  // namespace mindcards

#endif  // MINDCARDS_SERVER_H_
