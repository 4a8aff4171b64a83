// The SVG back end. Text is emitted as <text> with textLength set to the
// measured width, so a viewer whose fonts differ still fits each line in
// its box.
#include <fmt/format.h>

#include "mindcards/text.h"
#include "render/canvas.h"

namespace mindcards {
namespace {

using detail::PlacedGlyph;
using detail::Rgb;

// Escapes text for XML character data and attribute values. Drops control
// characters XML 1.0 cannot carry (and C1 controls), turns malformed UTF-8
// into U+FFFD; '>' is always escaped, so "]]>" cannot appear.
void AppendEscaped(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '&':
          out->append("&amp;");
          break;
        case '<':
          out->append("&lt;");
          break;
        case '>':
          out->append("&gt;");
          break;
        case '"':
          out->append("&quot;");
          break;
        case '\'':
          out->append("&apos;");
          break;
        case '\t':
          out->push_back(' ');
          break;
        default:
          if (c >= 0x20 && c != 0x7f) out->push_back(static_cast<char>(c));
      }
      continue;
    }
    size_t start = i;
    char32_t cp = DecodeUtf8(s, &i);
    if ((cp >= 0x80 && cp < 0xa0) || cp == 0xfffe || cp == 0xffff ||
        (cp >= 0xd800 && cp < 0xe000)) {
      continue;
    }
    if (cp == 0xfffd &&
        !(i - start == 3 && s.substr(start, 3) == "\xEF\xBF\xBD")) {
      out->append("\xEF\xBF\xBD");
      continue;
    }
    out->append(s.substr(start, i - start));
  }
}

std::string Hex(Rgb c) {
  return fmt::format("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
}

class SvgCanvas : public detail::Canvas {
 public:
  explicit SvgCanvas(std::string* out) : out_(*out) {}

  void Background(Rgb color) override {
    fmt::format_to(std::back_inserter(out_),
                   "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>\n",
                   Hex(color));
  }
  void Box(double x, double y, double w, double h, double r, Rgb fill,
           Rgb stroke, double sw) override {
    fmt::format_to(std::back_inserter(out_),
                   "<rect x=\"{:.2f}\" y=\"{:.2f}\" width=\"{:.2f}\" "
                   "height=\"{:.2f}\" rx=\"{:.1f}\" fill=\"{}\"",
                   x, y, w, h, r, Hex(fill));
    if (sw > 0) {
      fmt::format_to(std::back_inserter(out_),
                     " stroke=\"{}\" stroke-width=\"{}\"", Hex(stroke), sw);
    }
    out_.append("/>\n");
  }
  void Link(double x0, double y0, double x1, double y1, double x2, double y2,
            double x3, double y3, Rgb color, double width) override {
    fmt::format_to(std::back_inserter(out_),
                   "<path d=\"M{:.2f} {:.2f}C{:.2f} {:.2f} {:.2f} {:.2f} "
                   "{:.2f} {:.2f}\" stroke=\"{}\" stroke-width=\"{}\"/>\n",
                   x0, y0, x1, y1, x2, y2, x3, y3, Hex(color), width);
  }
  void Circle(double cx, double cy, double r, Rgb fill, Rgb stroke,
              double sw) override {
    fmt::format_to(std::back_inserter(out_),
                   "<circle class=\"fold\" cx=\"{:.2f}\" cy=\"{:.2f}\" "
                   "r=\"{}\" fill=\"{}\" stroke=\"{}\" stroke-width=\"{}\"/>\n",
                   cx, cy, r, Hex(fill), Hex(stroke), sw);
  }
  void Text(std::string_view text, const std::vector<PlacedGlyph>&, double x,
            double baseline, double width, double, Rgb color) override {
    fmt::format_to(std::back_inserter(out_),
                   "<text x=\"{:.2f}\" y=\"{:.2f}\" fill=\"{}\"", x, baseline,
                   Hex(color));
    if (width > 0) {
      fmt::format_to(std::back_inserter(out_),
                     " textLength=\"{:.2f}\" lengthAdjust=\"spacingAndGlyphs\"",
                     width);
    }
    out_.push_back('>');
    AppendEscaped(text, &out_);
    out_.append("</text>\n");
  }

 private:
  std::string& out_;
};

}  // namespace

Result<std::string> RenderSvg(const Map& map, const MapLayout& layout,
                              const RenderOptions& o, RenderInfo* info) {
  if (!(o.margin >= 0 && o.margin <= 10000)) {
    return Fail(ErrorCode::kUsage, "margin must be 0..10000");
  }
  auto engine = detail::TextEngine::Get();
  std::string family =
      engine ? std::string((*engine)->css_family()) : std::string("sans-serif");
  double w = detail::DrawingWidth(layout, o);
  double h = detail::DrawingHeight(layout, o);
  std::string out;
  out.reserve(256 + layout.visible_count * 400);
  fmt::format_to(std::back_inserter(out),
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{:.0f}\" "
                 "height=\"{:.0f}\" viewBox=\"0 0 {:.2f} {:.2f}\">\n",
                 std::ceil(w), std::ceil(h), w, h);
  out.append("<title>");
  AppendEscaped(
      map.meta().title.empty() || map.empty()
          ? (map.empty() ? std::string_view("mind map")
                         : std::string_view(map.node(map.root()).text))
          : std::string_view(map.meta().title),
      &out);
  out.append("</title>\n<style>text{font-family:");
  AppendEscaped(family, &out);
  fmt::format_to(std::back_inserter(out),
                 ";font-size:{}px;white-space:"
                 "pre}}path{{fill:none;stroke-linecap:round}}</style>\n",
                 layout.font_size);
  SvgCanvas canvas(&out);
  detail::DrawMap(map, layout, o, false, &canvas);
  out.append("</svg>\n");
  if (info != nullptr) {
    *info = RenderInfo{};
    info->pixel_width = static_cast<int>(std::ceil(w));
    info->pixel_height = static_cast<int>(std::ceil(h));
  }
  return out;
}

}  // namespace mindcards
