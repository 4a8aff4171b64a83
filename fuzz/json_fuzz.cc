// Fuzzes the json reader and writer: whatever reads must write and read
// back to the same tree (notes and links included).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mindcards::ReadOptions options;
  options.format = "json";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(input, options);
  if (map) {
    auto text = mindcards::WriteMap(*map, "json");
    if (!text) std::abort();
    auto again = mindcards::ReadMap(*text, options);
    if (!again || !mindcards::SameTree(*map, *again, true, nullptr))
      std::abort();
  }
  // The same bytes through the markmap HTML reader, which shares the lexer.
  options.format = "markmap-html";
  (void)mindcards::ReadMap(input, options);
  return 0;
}
