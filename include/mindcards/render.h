// Drawing a laid-out map: SVG (text), PNG and PDF (Cairo).
//
// All three back ends draw the same geometry from one MapLayout: rounded
// boxes coloured by branch, curved links, wrapped text, and a fold marker
// on folded nodes. Text is drawn with the glyphs the layout measured, so it
// never overflows its box.
#ifndef MINDCARDS_RENDER_H_
#define MINDCARDS_RENDER_H_

#include <string>
#include <string_view>

#include "mindcards/error.h"
#include "mindcards/layout.h"
#include "mindcards/map.h"

namespace mindcards {

enum class Theme : uint8_t { kLight, kDark, kPrint };

// "light", "dark", "print".
std::string_view ThemeName(Theme theme);
[[nodiscard]] Result<Theme> ParseTheme(std::string_view name);

struct RenderOptions {
  Theme theme = Theme::kLight;
  double margin = 24;  // px around the drawing
  // PNG only: device pixels per layout px (1 = 96 dpi, 2 = 192 dpi).
  double scale = 1;
};

// What a renderer did beyond the options, for the caller to report.
struct RenderInfo {
  double scale = 1;          // the scale actually used
  bool scaled_down = false;  // PNG/PDF: the drawing exceeded Cairo's 32767 px
                             // surface limit and was scaled down to fit
  int pixel_width = 0;       // PNG: image size
  int pixel_height = 0;
};

// A self-contained SVG document (no external fonts, styles or scripts).
// Every text is XML-escaped with control characters removed.
[[nodiscard]] Result<std::string> RenderSvg(const Map& map,
                                            const MapLayout& layout,
                                            const RenderOptions& options,
                                            RenderInfo* info = nullptr);
// PNG bytes. Drawings larger than 32767 px on a side are scaled down to fit
// (info->scaled_down says so).
[[nodiscard]] Result<std::string> RenderPng(const Map& map,
                                            const MapLayout& layout,
                                            const RenderOptions& options,
                                            RenderInfo* info = nullptr);
// PDF bytes, one page, vector text (fonts embedded by Cairo).
[[nodiscard]] Result<std::string> RenderPdf(const Map& map,
                                            const MapLayout& layout,
                                            const RenderOptions& options,
                                            RenderInfo* info = nullptr);

}  // namespace mindcards

#endif  // MINDCARDS_RENDER_H_
