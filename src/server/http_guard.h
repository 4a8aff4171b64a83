// Request checks that keep other web sites out of the local server: the
// Host header against DNS rebinding, and the Origin of writes.
#ifndef MINDCARDS_SERVER_HTTP_GUARD_H_
#define MINDCARDS_SERVER_HTTP_GUARD_H_

#include <string>
#include <string_view>

namespace mindcards::detail {

// True when `host_header` ("localhost:8080", "[::1]:8080", "127.0.0.1")
// names this machine's loopback or `bound_host`, with no port or `port`.
bool HostAllowed(std::string_view host_header, std::string_view bound_host,
                 int port);

// True when `origin` (the Origin header of a request) is this server:
// "http://" + an allowed host (see HostAllowed). "null" and every other
// origin are refused. An empty origin (scripts, the CLI) is allowed.
bool OriginAllowed(std::string_view origin, std::string_view bound_host,
                   int port);

// True for methods that change state.
bool IsWriteMethod(std::string_view method);

}  // namespace mindcards::detail

#endif  // MINDCARDS_SERVER_HTTP_GUARD_H_
