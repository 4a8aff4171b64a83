// The Cairo back end (PNG and PDF). Glyphs come from the layout's own
// HarfBuzz shaping and are drawn with cairo_show_glyphs from the same font
// files through FreeType, so the pixels match the measured boxes.
#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <mutex>

#include "render/canvas.h"

namespace mindcards {
namespace {

using detail::PlacedGlyph;
using detail::Rgb;

constexpr double kMaxSide = 32767;       // Cairo's image surface limit
constexpr double kMaxPixels = 256e6;     // ~1 GB of ARGB32
constexpr double kMaxPdfPoints = 14400;  // PDF viewers' page size limit

// FreeType faces for the TextEngine's fonts, loaded once for the process.
struct CairoFonts {
  std::vector<cairo_font_face_t*> faces;
};

Result<const CairoFonts*> Fonts() {
  static CairoFonts* fonts = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    auto engine = detail::TextEngine::Get();
    if (!engine) {
      failure = engine.error().message;
      return;
    }
    FT_Library lib;
    if (FT_Init_FreeType(&lib) != 0) {
      failure = "cannot initialise FreeType";
      return;
    }
    auto* f = new CairoFonts();
    for (const detail::FontFile& file : (*engine)->fonts()) {
      FT_Face face;
      if (FT_New_Face(lib, file.path.c_str(), file.index, &face) != 0) {
        failure = fmt::format("cannot load font {}", file.path);
        delete f;
        return;
      }
      f->faces.push_back(cairo_ft_font_face_create_for_ft_face(face, 0));
    }
    fonts = f;  // FreeType objects live as long as the process
  });
  if (fonts == nullptr) return Fail(ErrorCode::kIo, failure);
  return fonts;
}

class CairoCanvas : public detail::Canvas {
 public:
  CairoCanvas(cairo_t* cr, const CairoFonts* fonts) : cr_(cr), fonts_(fonts) {
    cairo_font_options_t* fo = cairo_font_options_create();
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_set_font_options(cr_, fo);
    cairo_font_options_destroy(fo);
  }

  void Background(Rgb c) override {
    Set(c);
    cairo_paint(cr_);
  }
  void Box(double x, double y, double w, double h, double r, Rgb fill,
           Rgb stroke, double sw) override {
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, x + w - r, y + r, r, -M_PI / 2, 0);
    cairo_arc(cr_, x + w - r, y + h - r, r, 0, M_PI / 2);
    cairo_arc(cr_, x + r, y + h - r, r, M_PI / 2, M_PI);
    cairo_arc(cr_, x + r, y + r, r, M_PI, 3 * M_PI / 2);
    cairo_close_path(cr_);
    Set(fill);
    if (sw > 0) {
      cairo_fill_preserve(cr_);
      Set(stroke);
      cairo_set_line_width(cr_, sw);
      cairo_stroke(cr_);
    } else {
      cairo_fill(cr_);
    }
  }
  void Link(double x0, double y0, double x1, double y1, double x2, double y2,
            double x3, double y3, Rgb color, double width) override {
    cairo_move_to(cr_, x0, y0);
    cairo_curve_to(cr_, x1, y1, x2, y2, x3, y3);
    Set(color);
    cairo_set_line_width(cr_, width);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_ROUND);
    cairo_stroke(cr_);
  }
  void Circle(double cx, double cy, double r, Rgb fill, Rgb stroke,
              double sw) override {
    cairo_new_sub_path(cr_);
    cairo_arc(cr_, cx, cy, r, 0, 2 * M_PI);
    Set(fill);
    cairo_fill_preserve(cr_);
    Set(stroke);
    cairo_set_line_width(cr_, sw);
    cairo_stroke(cr_);
  }
  void Text(std::string_view, const std::vector<PlacedGlyph>& glyphs, double x,
            double baseline, double, double font_size, Rgb color) override {
    Set(color);
    cairo_set_font_size(cr_, font_size);
    // One cairo_show_glyphs call per run of glyphs from the same font.
    size_t i = 0;
    while (i < glyphs.size()) {
      uint32_t font = glyphs[i].font;
      buf_.clear();
      for (; i < glyphs.size() && glyphs[i].font == font; ++i) {
        buf_.push_back(
            {glyphs[i].glyph, x + glyphs[i].x, baseline + glyphs[i].y});
      }
      if (font < fonts_->faces.size()) {
        cairo_set_font_face(cr_, fonts_->faces[font]);
        cairo_set_font_size(cr_, font_size);
        cairo_show_glyphs(cr_, buf_.data(), static_cast<int>(buf_.size()));
      }
    }
  }

 private:
  void Set(Rgb c) {
    cairo_set_source_rgb(cr_, c.r / 255.0, c.g / 255.0, c.b / 255.0);
  }
  cairo_t* cr_;
  const CairoFonts* fonts_;
  std::vector<cairo_glyph_t> buf_;
};

cairo_status_t Append(void* closure, const unsigned char* data,
                      unsigned int length) {
  static_cast<std::string*>(closure)->append(
      reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

Result<void> Check(cairo_status_t status, const char* what) {
  if (status == CAIRO_STATUS_SUCCESS) return {};
  return Fail(ErrorCode::kInternal,
              fmt::format("{}: {}", what, cairo_status_to_string(status)));
}

// Draws the map on `surface` at `scale` and returns the drawing's status.
cairo_status_t DrawOn(cairo_surface_t* surface, double scale, const Map& map,
                      const MapLayout& layout, const RenderOptions& o,
                      const CairoFonts* fonts) {
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, scale, scale);
  {
    CairoCanvas canvas(cr, fonts);
    detail::DrawMap(map, layout, o, true, &canvas);
  }
  cairo_status_t status = cairo_status(cr);
  cairo_destroy(cr);
  return status;
}

}  // namespace

Result<std::string> RenderPng(const Map& map, const MapLayout& layout,
                              const RenderOptions& o, RenderInfo* info) {
  if (!(o.scale > 0 && o.scale <= 16)) {
    return Fail(ErrorCode::kUsage, "scale must be above 0 and at most 16");
  }
  if (!(o.margin >= 0 && o.margin <= 10000)) {
    return Fail(ErrorCode::kUsage, "margin must be 0..10000");
  }
  auto fonts = Fonts();
  if (!fonts) return tl::unexpected(fonts.error());
  double w = detail::DrawingWidth(layout, o);
  double h = detail::DrawingHeight(layout, o);
  double scale = o.scale;
  bool scaled_down = false;
  double fit = std::min({kMaxSide / (w * scale), kMaxSide / (h * scale),
                         std::sqrt(kMaxPixels / (w * h * scale * scale))});
  if (fit < 1) {
    scale *= fit;
    scaled_down = true;
  }
  int pw = std::max(1, static_cast<int>(std::floor(w * scale)));
  int ph = std::max(1, static_cast<int>(std::floor(h * scale)));
  cairo_surface_t* surface =
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
  if (auto ok = Check(cairo_surface_status(surface), "cannot create image");
      !ok) {
    cairo_surface_destroy(surface);
    return tl::unexpected(ok.error());
  }
  cairo_status_t status = DrawOn(surface, scale, map, layout, o, *fonts);
  std::string png;
  if (status == CAIRO_STATUS_SUCCESS) {
    status = cairo_surface_write_to_png_stream(surface, &Append, &png);
  }
  cairo_surface_destroy(surface);
  if (auto ok = Check(status, "cannot draw PNG"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (info != nullptr) {
    *info = RenderInfo{scale, scaled_down, pw, ph};
  }
  return png;
}

Result<std::string> RenderPdf(const Map& map, const MapLayout& layout,
                              const RenderOptions& o, RenderInfo* info) {
  if (!(o.margin >= 0 && o.margin <= 10000)) {
    return Fail(ErrorCode::kUsage, "margin must be 0..10000");
  }
  auto fonts = Fonts();
  if (!fonts) return tl::unexpected(fonts.error());
  // 1 px = 0.75 pt (96 dpi).
  double w = detail::DrawingWidth(layout, o);
  double h = detail::DrawingHeight(layout, o);
  double scale = 0.75;
  bool scaled_down = false;
  double fit =
      std::min(kMaxPdfPoints / (w * scale), kMaxPdfPoints / (h * scale)) *
      0.9999;  // stay under the limit after rounding
  if (fit < 1) {
    scale *= fit;
    scaled_down = true;
  }
  std::string pdf;
  cairo_surface_t* surface =
      cairo_pdf_surface_create_for_stream(&Append, &pdf, w * scale, h * scale);
  cairo_status_t status = DrawOn(surface, scale, map, layout, o, *fonts);
  cairo_surface_finish(surface);
  if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (auto ok = Check(status, "cannot draw PDF"); !ok) {
    return tl::unexpected(ok.error());
  }
  if (info != nullptr) {
    *info = RenderInfo{scale / 0.75, scaled_down,
                       static_cast<int>(std::ceil(w * scale)),
                       static_cast<int>(std::ceil(h * scale))};
  }
  return pdf;
}

}  // namespace mindcards
