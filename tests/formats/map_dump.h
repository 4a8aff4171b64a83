// A map as text for tests of the XML readers: one line per node with its
// depth, text and every other field that is set, so that one comparison
// checks all a reader produced.
#ifndef MINDCARDS_TESTS_FORMATS_MAP_DUMP_H_
#define MINDCARDS_TESTS_FORMATS_MAP_DUMP_H_

#include <string>

#include "mindcards/map.h"

namespace mindcards::testing {

inline std::string DumpMap(const Map& map) {
  std::string out;
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    const Node& n = map.node(*it);
    out += std::string(it.depth() * 2, ' ') + n.text;
    if (!n.note().empty()) out += " [note: " + n.note() + "]";
    if (!n.link().empty()) out += " [link: " + n.link() + "]";
    for (const std::string& icon : n.icons()) out += " [icon: " + icon + "]";
    for (const Attribute& a : n.attributes()) {
      out += " [" + a.name + "=" + a.value + "]";
    }
    if (n.folded) out += " [folded]";
    if (n.side == Side::kLeft) out += " [left]";
    if (n.side == Side::kRight) out += " [right]";
    out += "\n";
  }
  return out;
}

}  // namespace mindcards::testing

#endif  // MINDCARDS_TESTS_FORMATS_MAP_DUMP_H_
