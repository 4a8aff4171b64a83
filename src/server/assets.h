// The page's files (web/), embedded into the binary at build time by
// embed_assets.cmake. Only these names are served: nothing on disk is read.
#ifndef MINDCARDS_SERVER_ASSETS_H_
#define MINDCARDS_SERVER_ASSETS_H_

#include <span>
#include <string_view>

namespace mindcards::detail {

struct WebAsset {
  std::string_view path;          // "/app.js"
  std::string_view content_type;  // "text/javascript; charset=utf-8"
  std::string_view body;
};

std::span<const WebAsset> WebAssets();

}  // namespace mindcards::detail

#endif  // MINDCARDS_SERVER_ASSETS_H_
