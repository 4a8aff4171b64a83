#include "server/http_guard.h"

#include <charconv>

#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// Splits "host:port" / "[v6]:port" into host and port text.
bool SplitHostPort(std::string_view in, std::string_view* host,
                   std::string_view* port) {
  if (in.empty()) return false;
  if (in.front() == '[') {
    size_t close = in.find(']');
    if (close == std::string_view::npos) return false;
    *host = in.substr(0, close + 1);
    std::string_view rest = in.substr(close + 1);
    if (rest.empty()) {
      *port = {};
      return true;
    }
    if (rest.front() != ':') return false;
    *port = rest.substr(1);
    return true;
  }
  size_t colon = in.rfind(':');
  if (colon == std::string_view::npos) {
    *host = in;
    *port = {};
    return true;
  }
  if (in.find(':') != colon) return false;  // bare IPv6 without brackets
  *host = in.substr(0, colon);
  *port = in.substr(colon + 1);
  return true;
}

}  // namespace

bool HostAllowed(std::string_view host_header, std::string_view bound_host,
                 int port) {
  std::string_view host, port_text;
  if (!SplitHostPort(host_header, &host, &port_text)) return false;
  if (!port_text.empty()) {
    int value = -1;
    auto [end, ec] = std::from_chars(
        port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() ||
        value != port) {
      return false;
    }
  }
  std::string lower = AsciiLower(host);
  if (lower == "localhost" || lower == "127.0.0.1" || lower == "[::1]") {
    return true;
  }
  // The address the server was told to bind, when it is not a wildcard.
  if (bound_host.empty() || bound_host == "0.0.0.0" || bound_host == "::") {
    return false;
  }
  std::string bound = AsciiLower(bound_host);
  if (bound.find(':') != std::string::npos && bound.front() != '[') {
    bound = "[" + bound + "]";
  }
  return lower == bound;
}

bool OriginAllowed(std::string_view origin, std::string_view bound_host,
                   int port) {
  if (origin.empty()) return true;
  constexpr std::string_view kScheme = "http://";
  if (!origin.starts_with(kScheme)) return false;
  origin.remove_prefix(kScheme.size());
  if (origin.find('/') != std::string_view::npos) return false;
  // An origin always names its port unless it is the scheme's default.
  return HostAllowed(origin, bound_host, port) &&
         (origin.find("]:") != std::string_view::npos ||
          (origin.front() != '[' &&
           origin.find(':') != std::string_view::npos) ||
          port == 80);
}

bool IsWriteMethod(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace mindcards::detail
