// Fuzzes the OPML reader and writer: whatever reads must write and read
// back to the same tree, notes and links included.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mindcards::ReadOptions options;
  options.format = "opml";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(
      std::string_view(reinterpret_cast<const char*>(data), size), options);
  if (!map) return 0;
  auto text = mindcards::WriteMap(*map, "opml");
  if (!text) std::abort();
  auto again = mindcards::ReadMap(*text, options);
  if (!again || !mindcards::SameTree(*map, *again, true, nullptr)) std::abort();
  return 0;
}
