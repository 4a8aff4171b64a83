// Fuzzes the page-text reader: any bytes must give a map or an error, and
// a map must write as an outline that reads back to the same tree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mindcards::ReadOptions options;
  options.format = "pagetext";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(
      std::string_view(reinterpret_cast<const char*>(data), size), options);
  if (!map) return 0;
  if (map->empty()) std::abort();
  auto text = mindcards::WriteMap(*map, "outline");
  if (!text) std::abort();
  mindcards::ReadOptions outline;
  outline.format = "outline";
  outline.limits.max_depth = 10000;
  auto again = mindcards::ReadMap(*text, outline);
  if (!again || !mindcards::SameTree(*map, *again, false, nullptr))
    std::abort();
  return 0;
}
