// Fuzzes the XMind reader (zip archives, content.json, content.xml): any
// input must give a map or an error, under small limits so that zip bombs
// are refused quickly.
#include <cstdint>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mindcards::ReadOptions options;
  options.format = "xmind";
  options.limits.max_depth = 10000;
  options.limits.max_bytes = 16 << 20;
  auto map = mindcards::ReadMap(
      std::string_view(reinterpret_cast<const char*>(data), size), options);
  (void)map;
  return 0;
}
