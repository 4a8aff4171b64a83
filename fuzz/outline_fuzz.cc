// Fuzzes the outline reader and writer: whatever reads must write and read
// back to the same tree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mindcards::ReadOptions options;
  options.format = "outline";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(
      std::string_view(reinterpret_cast<const char*>(data), size), options);
  if (!map) return 0;
  auto text = mindcards::WriteMap(*map, "outline");
  if (!text) std::abort();
  auto again = mindcards::ReadMap(*text, options);
  if (!again || !mindcards::SameTree(*map, *again, false, nullptr))
    std::abort();
  return 0;
}
