// Fuzzes the markdown reader and writer: whatever reads must write and read
// back to the same tree (notes and links included), and reading on two
// threads (ReadLimits::threads) must give what one gives, errors included.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "mindcards/formats.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mindcards::ReadOptions options;
  options.format = "markdown";
  options.limits.max_depth = 10000;
  options.limits.threads = 1;
  auto map = mindcards::ReadMap(input, options);
  mindcards::ReadOptions two = options;
  two.limits.threads = 2;
  auto map2 = mindcards::ReadMap(input, two);
  if (map.has_value() != map2.has_value()) std::abort();
  if (!map && map.error().ToString() != map2.error().ToString()) std::abort();
  if (map && (!mindcards::SameTree(*map, *map2, true, nullptr) ||
              map->id_count() != map2->id_count()))
    std::abort();
  for (mindcards::NodeId id = 0; map && id < map->id_count(); ++id) {
    if (!(map->node(id).pos == map2->node(id).pos)) std::abort();
  }
  if (map) {
    auto text = mindcards::WriteMap(*map, "markdown");
    if (!text) std::abort();
    auto again = mindcards::ReadMap(*text, options);
    if (!again || !mindcards::SameTree(*map, *again, true, nullptr))
      std::abort();
  }
  return 0;
}
