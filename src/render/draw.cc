// The scene: background, links under boxes, boxes, text, fold markers.
#include <fmt/format.h>

#include <cmath>

#include "render/canvas.h"

namespace mindcards {
namespace detail {
namespace {

struct Palette {
  Rgb background;
  Rgb text;
  Rgb root_fill;
  Rgb root_text;
  Rgb node_fill;
  bool colour_branches;
  Rgb plain;  // links and borders when branches are not coloured
};

// Branch colours: Tableau 10, readable on white and on dark grey.
constexpr Rgb kBranch[] = {{0x4e, 0x79, 0xa7}, {0xf2, 0x8e, 0x2b},
                           {0xe1, 0x57, 0x59}, {0x76, 0xb7, 0xb2},
                           {0x59, 0xa1, 0x4f}, {0xed, 0xc9, 0x48},
                           {0xb0, 0x7a, 0xa1}, {0xff, 0x9d, 0xa7},
                           {0x9c, 0x75, 0x5f}, {0xba, 0xb0, 0xac}};

Palette PaletteFor(Theme theme) {
  switch (theme) {
    case Theme::kDark:
      return {{0x1e, 0x1f, 0x24}, {0xe8, 0xe8, 0xea}, {0xe8, 0xe8, 0xea},
              {0x1e, 0x1f, 0x24}, {0x2b, 0x2d, 0x34}, true,
              {0x88, 0x88, 0x88}};
    case Theme::kPrint:
      return {{0xff, 0xff, 0xff}, {0x00, 0x00, 0x00}, {0xff, 0xff, 0xff},
              {0x00, 0x00, 0x00}, {0xff, 0xff, 0xff}, false,
              {0x44, 0x44, 0x44}};
    case Theme::kLight:
    default:
      return {{0xff, 0xff, 0xff}, {0x22, 0x22, 0x22}, {0x2f, 0x3e, 0x4e},
              {0xff, 0xff, 0xff}, {0xfb, 0xfb, 0xfc}, true,
              {0x66, 0x66, 0x66}};
  }
}

Rgb Mix(Rgb a, Rgb b, double t) {
  auto m = [t](uint8_t x, uint8_t y) {
    return static_cast<uint8_t>(std::lround(x + (y - x) * t));
  };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

}  // namespace

void DrawMap(const Map& map, const MapLayout& l, const RenderOptions& o,
             bool need_glyphs, Canvas* canvas) {
  Palette pal = PaletteFor(o.theme);
  canvas->Background(pal.background);
  if (map.empty() || l.visible_count == 0) return;
  const double dx = o.margin - l.min_x;
  const double dy = o.margin - l.min_y;
  auto colour = [&](const NodeBox& b) {
    if (!pal.colour_branches || b.branch == 0) return pal.plain;
    return kBranch[(b.branch - 1) % std::size(kBranch)];
  };
  // Links first, so boxes cover their ends.
  for (NodeId id : map.PreOrder()) {
    const NodeBox& c = l.boxes[id];
    NodeId pid = map.node(id).parent;
    if (!c.visible || pid == kNoNode) continue;
    const NodeBox& p = l.boxes[pid];
    double w = std::max(1.0, 3.0 - 0.5 * c.depth);
    Rgb col = colour(c);
    if (l.kind == LayoutKind::kDown) {
      double x0 = p.x + p.width / 2 + dx, y0 = p.y + p.height + dy;
      double x3 = c.x + c.width / 2 + dx, y3 = c.y + dy;
      double my = (y0 + y3) / 2;
      canvas->Link(x0, y0, x0, my, x3, my, x3, y3, col, w);
    } else if (l.kind == LayoutKind::kRadial) {
      double x0 = p.x + p.width / 2 + dx, y0 = p.y + p.height / 2 + dy;
      double x3 = c.x + c.width / 2 + dx, y3 = c.y + c.height / 2 + dy;
      canvas->Link(x0, y0, (2 * x0 + x3) / 3, (2 * y0 + y3) / 3,
                   (x0 + 2 * x3) / 3, (y0 + 2 * y3) / 3, x3, y3, col, w);
    } else {
      bool left = c.side < 0;
      double x0 = (left ? p.x : p.x + p.width) + dx;
      double y0 = p.y + p.height / 2 + dy;
      double x3 = (left ? c.x + c.width : c.x) + dx;
      double y3 = c.y + c.height / 2 + dy;
      double mx = (x0 + x3) / 2;
      canvas->Link(x0, y0, mx, y0, mx, y3, x3, y3, col, w);
    }
  }
  detail::TextEngine* engine = nullptr;
  if (need_glyphs) {
    auto e = TextEngine::Get();
    if (e) engine = *e;
  }
  std::vector<PlacedGlyph> glyphs;
  for (NodeId id : map.PreOrder()) {
    const NodeBox& b = l.boxes[id];
    if (!b.visible) continue;
    bool root = id == map.root();
    Rgb col = colour(b);
    Rgb fill = root ? pal.root_fill
                    : (pal.colour_branches ? Mix(pal.node_fill, col, 0.12)
                                           : pal.node_fill);
    Rgb text = root ? pal.root_text : pal.text;
    double x = b.x + dx, y = b.y + dy;
    canvas->Box(x, y, b.width, b.height, std::min(6.0, b.height / 2), fill,
                root ? pal.root_fill : col, root ? 0 : 1.5);
    double text_h = b.line_count * l.line_height;
    double top = y + (b.height - text_h) / 2;
    for (uint32_t i = 0; i < b.line_count; ++i) {
      const LineSpan& line = l.lines[b.first_line + i];
      std::string_view s = LineText(map, l, id, i);
      glyphs.clear();
      if (engine != nullptr) engine->ShapeLine(s, l.font_size, &glyphs);
      double lx = x + (b.width - line.width) / 2;
      double baseline =
          top + i * l.line_height + l.line_height / 2 + l.font_size * 0.35;
      canvas->Text(s, glyphs, lx, baseline, line.width, l.font_size, text);
    }
    if (b.folded_children) {
      // A fold marker where the hidden children would hang.
      double mx, my;
      if (l.kind == LayoutKind::kDown) {
        mx = x + b.width / 2;
        my = y + b.height + 5;
      } else if (b.side < 0) {
        mx = x - 5;
        my = y + b.height / 2;
      } else {
        mx = x + b.width + 5;
        my = y + b.height / 2;
      }
      canvas->Circle(mx, my, 4, pal.background, col, 1.5);
    }
  }
}

}  // namespace detail

std::string_view ThemeName(Theme theme) {
  switch (theme) {
    case Theme::kDark:
      return "dark";
    case Theme::kPrint:
      return "print";
    case Theme::kLight:
    default:
      return "light";
  }
}

Result<Theme> ParseTheme(std::string_view name) {
  for (Theme t : {Theme::kLight, Theme::kDark, Theme::kPrint}) {
    if (name == ThemeName(t)) return t;
  }
  return Fail(
      ErrorCode::kUsage,
      fmt::format("unknown theme '{}' (use light, dark or print)", name));
}

}  // namespace mindcards
