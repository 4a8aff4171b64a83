// The one drawing interface both back ends implement, and the code that
// draws a map on it. Keeping the scene walk here makes SVG, PNG and PDF
// draw the same geometry.
#ifndef MINDCARDS_RENDER_CANVAS_H_
#define MINDCARDS_RENDER_CANVAS_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "layout/text_engine.h"
#include "mindcards/layout.h"
#include "mindcards/map.h"
#include "mindcards/render.h"

namespace mindcards::detail {

struct Rgb {
  uint8_t r, g, b;
};

class Canvas {
 public:
  virtual ~Canvas() = default;
  virtual void Background(Rgb color) = 0;
  virtual void Box(double x, double y, double w, double h, double radius,
                   Rgb fill, Rgb stroke, double stroke_width) = 0;
  // A cubic Bezier from (x0,y0) to (x3,y3).
  virtual void Link(double x0, double y0, double x1, double y1, double x2,
                    double y2, double x3, double y3, Rgb color,
                    double width) = 0;
  virtual void Circle(double cx, double cy, double r, Rgb fill, Rgb stroke,
                      double stroke_width) = 0;
  // One line of text: `text` for text-based back ends, `glyphs` (shaped by
  // the TextEngine, x relative to `x`) for glyph-based ones; `width` is the
  // measured advance.
  virtual void Text(std::string_view text,
                    const std::vector<PlacedGlyph>& glyphs, double x,
                    double baseline, double width, double font_size,
                    Rgb color) = 0;
};

// Draws `map` on `canvas` with the drawing's top-left at (0, 0): layout
// coordinates are shifted by (margin - min_x, margin - min_y).
// `need_glyphs` says whether the back end uses PlacedGlyphs.
void DrawMap(const Map& map, const MapLayout& layout, const RenderOptions& o,
             bool need_glyphs, Canvas* canvas);

// The drawing's size in layout px, margins included.
inline double DrawingWidth(const MapLayout& l, const RenderOptions& o) {
  return l.width() + 2 * o.margin;
}
inline double DrawingHeight(const MapLayout& l, const RenderOptions& o) {
  return l.height() + 2 * o.margin;
}

}  // namespace mindcards::detail

#endif  // MINDCARDS_RENDER_CANVAS_H_
