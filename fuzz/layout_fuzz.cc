// Fuzzes layout and SVG rendering: the input describes a tree (shape, fold
// flags, layout kind, wrap width) and its node texts (raw bytes, so hostile
// text, control characters and broken UTF-8 all occur). Aborts when boxes
// overlap, text overflows its box, or the SVG does not parse as XML.
#include <cstdint>
#include <cstdlib>
#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "mindcards/layout.h"
#include "mindcards/render.h"

namespace {

class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // Up to `max` bytes, ending early at a 0xff separator.
  std::string Text(size_t max) {
    std::string s;
    while (pos_ < size_ && s.size() < max) {
      uint8_t b = data_[pos_++];
      if (b == 0xff) break;
      s.push_back(static_cast<char>(b));
    }
    return s;
  }
  bool done() const { return pos_ >= size_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mindcards;  // NOLINT: a fuzz entry point, not a header
  Input in(data, size);
  LayoutOptions o;
  o.kind = static_cast<LayoutKind>(in.Byte() % 5);
  o.max_width = in.Byte() % 4 == 0 ? 0 : 20 + in.Byte() * 2;
  Map map;
  map.AddRoot(in.Text(64));
  while (!in.done() && map.id_count() < 64) {
    uint8_t control = in.Byte();
    NodeId parent = static_cast<NodeId>(control % map.id_count());
    NodeId id = map.AddChild(parent, in.Text(48));
    if (control & 0x80) map.node(parent).folded = true;
    if ((control & 0x60) == 0x60) {
      // A given size instead of text.
      map.node(id).mutable_extras().attributes.push_back(
          {std::string(kSizeAttribute),
           std::to_string(in.Byte()) + " " + std::to_string(in.Byte())});
    }
  }
  auto layout = LayoutMap(map, o);
  if (!layout) std::abort();  // options are valid, so this must succeed
  // No overlap, and every line fits its box.
  for (NodeId a = 0; a < map.id_count(); ++a) {
    const NodeBox& p = layout->boxes[a];
    if (!p.visible) continue;
    for (uint32_t i = 0; i < p.line_count; ++i) {
      if (layout->lines[p.first_line + i].width + 2 * o.padding_x >
          p.width + 1e-6) {
        std::abort();
      }
    }
    for (NodeId b = a + 1; b < map.id_count(); ++b) {
      const NodeBox& q = layout->boxes[b];
      if (!q.visible) continue;
      bool apart = p.x + p.width <= q.x + 1e-6 || q.x + q.width <= p.x + 1e-6 ||
                   p.y + p.height <= q.y + 1e-6 || q.y + q.height <= p.y + 1e-6;
      if (!apart) std::abort();
    }
  }
  auto svg = RenderSvg(map, *layout, RenderOptions{});
  if (!svg) std::abort();
  pugi::xml_document doc;
  if (!doc.load_buffer(svg->data(), svg->size())) std::abort();
  if (svg->find("<script") != std::string::npos) std::abort();
  return 0;
}
