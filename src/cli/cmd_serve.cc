#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <thread>

#include "cli/cli.h"
#include "mindcards/server.h"

namespace mindcards::cli {

int RunServe(int argc, char** argv) {
  CLI::App app{
      "Serve the web app: see, edit and study maps in the browser.\n"
      "Imports FILES (any format) into the database, then prints the URL.",
      argv[0]};
  ServerOptions options;
  app.add_option("FILES", options.import_files, "map files to import first");
  app.add_option("--db", options.db_path,
                 "database file (default: " + DefaultDatabasePath() + ")");
  app.add_option("--host", options.host,
                 "address to bind (default: 127.0.0.1, this machine only)");
  app.add_option("--port", options.port,
                 "port to listen on; 0 picks a free one (default: 8080)");
  size_t max_body_mb = options.max_body_bytes >> 20;
  app.add_option("--max-body", max_body_mb,
                 "largest request body accepted, in MiB (default: 64)")
      ->check(CLI::Range(size_t{1}, size_t{1024}));
  app.footer("API: docs/api.md. Stop with Ctrl+C.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  options.max_body_bytes = max_body_mb << 20;
  if (options.host != "127.0.0.1" && options.host != "localhost" &&
      options.host != "::1") {
    fmt::print(stderr,
               "mindcards serve: warning: binding {} exposes your maps and "
               "reviews to other machines; there is no login\n",
               options.host);
  }

  // Signals go to a waiting thread that stops the server cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto server = Server::Create(options);
  if (!server) return Report(server.error(), "mindcards serve");
  if (auto ok = (*server)->Bind(); !ok) {
    return Report(ok.error(), "mindcards serve");
  }
  std::string shown = options.host.find(':') != std::string::npos
                          ? "[" + options.host + "]"
                          : options.host;
  fmt::print("mindcards: serving at http://{}:{}/\n", shown, (*server)->port());
  std::fflush(stdout);

  Server* s = server->get();
  std::thread waiter([s, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    s->Stop();
  });
  s->Run();
  // Run returned (signal or error): release the waiter if it still waits.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return 0;
}

}  // namespace mindcards::cli
