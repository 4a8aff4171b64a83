// Fuzzes the mermaid reader and writer: whatever reads must write and read
// back to the same tree.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mindcards::ReadOptions options;
  options.format = "mermaid";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(input, options);
  if (map) {
    auto text = mindcards::WriteMap(*map, "mermaid");
    if (!text) std::abort();
    auto again = mindcards::ReadMap(*text, options);
    if (!again || !mindcards::SameTree(*map, *again, false, nullptr))
      std::abort();
  }
  return 0;
}
