// Fuzzes the page-text reader: any bytes must give a map or an error, and
// a map must write as an outline that reads back to the same tree. Reading
// on two threads (PageTextOptions::threads) must give what one gives,
// errors, positions and confidences included; as the reader splits work
// only from 64k lines, one input in 256 is also read repeated to that size.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "mindcards/formats.h"
#include "mindcards/pagetext.h"

namespace {

void CompareThreads(std::string_view input) {
  mindcards::ReadLimits limits;
  limits.max_depth = 10000;
  mindcards::PageTextOptions one, two;
  one.threads = 1;
  two.threads = 2;
  auto a = mindcards::ReadPageText(input, one, limits);
  auto b = mindcards::ReadPageText(input, two, limits);
  if (a.has_value() != b.has_value()) std::abort();
  if (!a) {
    if (a.error().ToString() != b.error().ToString()) std::abort();
    return;
  }
  if (!mindcards::SameTree(*a, *b, true, nullptr) ||
      a->id_count() != b->id_count())
    std::abort();
  for (mindcards::NodeId id = 0; id < a->id_count(); ++id) {
    const mindcards::Node& x = a->node(id);
    const mindcards::Node& y = b->node(id);
    if (!(x.pos == y.pos) || x.join_confidence != y.join_confidence ||
        x.parent_confidence != y.parent_confidence)
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  mindcards::ReadOptions options;
  options.format = "pagetext";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(input, options);
  CompareThreads(input);
  if (size > 0 && size % 256 == 0) {
    // About 150k lines (at most 4 MB), each copy ending with a line end.
    std::string copy(input);
    if (copy.back() != '\n') copy.push_back('\n');
    size_t lines = std::count(copy.begin(), copy.end(), '\n');
    std::string big;
    for (size_t n = 0; n < 150000 && big.size() + copy.size() <= (4u << 20);
         n += lines) {
      big += copy;
    }
    CompareThreads(big);
  }
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
