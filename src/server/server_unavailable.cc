// The server when this build lacks a component it stands on (store, study,
// layout or render): `mindcards serve` says so instead of failing to link.
#include "mindcards/server.h"

#ifdef MINDCARDS_SERVER_UNAVAILABLE

namespace mindcards {

class Server::Impl {};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

Result<std::unique_ptr<Server>> Server::Create(const ServerOptions&) {
  return Fail(ErrorCode::kInternal,
              "this build has no web server: the store, study, layout or "
              "render component was missing when it was built");
}
Result<void> Server::Bind() { return {}; }
int Server::port() const { return 0; }
void Server::Run() {}
void Server::Stop() {}
std::string DefaultDatabasePath() { return {}; }

}  // namespace mindcards

#endif  // MINDCARDS_SERVER_UNAVAILABLE
