// Fuzzes the FreeMind/Freeplane reader and writer: whatever reads must
// write and read back to the same tree. Notes are not compared: they pass
// through HTML, which cannot keep a tab. Also checks the reader's two
// paths against each other: a map the streaming path reads, the DOM path
// must read the same.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "formats/freemind.h"
#include "formats/reader_util.h"
#include "mindcards/formats.h"

namespace {

bool SameNodes(const mindcards::Map& a, const mindcards::Map& b) {
  if (a.id_count() != b.id_count() || a.root() != b.root()) return false;
  for (mindcards::NodeId id = 0; id < a.id_count(); ++id) {
    const mindcards::Node& x = a.node(id);
    const mindcards::Node& y = b.node(id);
    if (x.text != y.text || !(x.pos == y.pos) || x.folded != y.folded ||
        x.side != y.side || x.parent != y.parent ||
        x.next_sibling != y.next_sibling || !(x.extras() == y.extras())) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mindcards::ReadOptions options;
  options.format = "mm";
  options.limits.max_depth = 10000;
  mindcards::Diagnostics d1;
  mindcards::Diagnostics d2;
  bool canonical = false;
  if (auto streamed = mindcards::detail::ReadFreemindStreaming(
          bytes, options.limits, &d1, &canonical)) {
    auto dom =
        mindcards::detail::ReadFreemindWithDom(bytes, options.limits, &d2);
    if (!dom || !SameNodes(*streamed, *dom) ||
        d1.items().size() != d2.items().size()) {
      std::abort();
    }
    mindcards::Map copy = *streamed;
    if (canonical && (!mindcards::detail::CanonicalizeMapText(&copy, true) ||
                      !SameNodes(copy, *streamed))) {
      std::abort();
    }
  }
  auto map = mindcards::ReadMap(bytes, options);
  if (!map) return 0;
  auto text = mindcards::WriteMap(*map, "mm");
  if (!text) std::abort();
  auto again = mindcards::ReadMap(*text, options);
  if (!again || !mindcards::SameTree(*map, *again, false, nullptr))
    std::abort();
  return 0;
}
