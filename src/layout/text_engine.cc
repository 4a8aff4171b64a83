// Measuring every label by shaping it whole costs 4-6 us; shaping each
// distinct break segment once and summing cached widths costs ~0.25 us per
// label (../shared/layout/NOTES.md section 5), so segments are the unit of
// both measuring and drawing.
#include "layout/text_engine.h"

#include <fmt/format.h>
#include <hb-ot.h>
#include <hb.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

#include <cstdlib>
#include <filesystem>

#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

struct FontCandidate {
  const char* path;
  unsigned index;
  const char* family;
};

// Primary fonts first (the first one found is used), then fallbacks (all
// found are used, in order).
constexpr FontCandidate kPrimary[] = {
    {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0, "DejaVu Sans"},
    {"/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", 0, "Noto Sans"},
};
constexpr FontCandidate kFallback[] = {
    {"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2,
     "Noto Sans CJK SC"},
    {"/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc", 2,
     "Noto Sans CJK SC"},
};

bool AsciiAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9');
}

bool LoadFont(const char* path, unsigned index, FontFile* out) {
  if (!std::filesystem::exists(path)) return false;
  hb_blob_t* blob = hb_blob_create_from_file_or_fail(path);
  if (blob == nullptr) return false;
  hb_face_t* face = hb_face_create(blob, index);
  hb_blob_destroy(blob);
  if (hb_face_get_glyph_count(face) == 0) {
    hb_face_destroy(face);
    return false;
  }
  out->path = path;
  out->index = index;
  out->upem = hb_face_get_upem(face);
  out->font = hb_font_create(face);
  hb_face_destroy(face);
  hb_font_set_scale(out->font, static_cast<int>(out->upem),
                    static_cast<int>(out->upem));
  hb_font_make_immutable(out->font);
  return true;
}

}  // namespace

Result<TextEngine*> TextEngine::Get() {
  static TextEngine* engine = nullptr;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    auto* e = new TextEngine();
    std::string families;
    if (const char* env = std::getenv("MINDCARDS_FONT"); env && *env) {
      FontFile f;
      if (LoadFont(env, 0, &f)) {
        e->fonts_.push_back(f);
        families = "'mindcards-font'";
      }
    }
    if (e->fonts_.empty()) {
      for (const FontCandidate& c : kPrimary) {
        FontFile f;
        if (LoadFont(c.path, c.index, &f)) {
          e->fonts_.push_back(f);
          families = fmt::format("'{}'", c.family);
          break;
        }
      }
    }
    if (e->fonts_.empty()) {
      failure =
          "no font found: install fonts-dejavu-core (or set MINDCARDS_FONT "
          "to a .ttf file)";
      delete e;
      return;
    }
    for (const FontCandidate& c : kFallback) {
      FontFile f;
      if (LoadFont(c.path, c.index, &f)) {
        e->fonts_.push_back(f);
        families += fmt::format(", '{}'", c.family);
        break;
      }
    }
    e->css_family_ = families + ", sans-serif";
    e->buffer_ = hb_buffer_create();
    UErrorCode status = U_ZERO_ERROR;
    e->breaker_ = ubrk_open(UBRK_LINE, "", nullptr, 0, &status);
    if (U_FAILURE(status)) e->breaker_ = nullptr;
    engine = e;
  });
  if (engine == nullptr) return Fail(ErrorCode::kIo, failure);
  return engine;
}

TextEngine::~TextEngine() {
  for (FontFile& f : fonts_) hb_font_destroy(f.font);
  if (buffer_ != nullptr) hb_buffer_destroy(buffer_);
  if (breaker_ != nullptr) ubrk_close(breaker_);
}

uint32_t TextEngine::FontFor(char32_t cp) {
  if (cp < 0x80) return 0;
  auto it = font_for_.find(cp);
  if (it != font_for_.end()) return it->second;
  uint32_t chosen = 0;
  for (uint32_t i = 0; i < fonts_.size(); ++i) {
    hb_codepoint_t glyph;
    if (hb_font_get_nominal_glyph(fonts_[i].font, cp, &glyph)) {
      chosen = i;
      break;
    }
  }
  if (font_for_.size() < 100000) font_for_.emplace(cp, chosen);
  return chosen;
}

// Shapes `run` (one line's piece, no line breaks) at `size` px, splitting it
// where the font changes. Appends glyphs placed from x0 when `glyphs` is not
// null. Returns the advance in px.
double TextEngine::ShapeRun(std::string_view run, double size, float x0,
                            std::vector<PlacedGlyph>* glyphs) {
  double x = 0;
  size_t i = 0;
  while (i < run.size()) {
    size_t start = i;
    size_t probe = i;
    uint32_t font = FontFor(DecodeUtf8(run, &probe));
    size_t end = probe;
    while (end < run.size()) {
      size_t next = end;
      char32_t cp = DecodeUtf8(run, &next);
      if (FontFor(cp) != font) break;
      end = next;
    }
    i = end;
    hb_buffer_clear_contents(buffer_);
    hb_buffer_set_content_type(buffer_, HB_BUFFER_CONTENT_TYPE_UNICODE);
    for (size_t j = start; j < end;) {
      size_t at = j;
      char32_t cp = DecodeUtf8(run, &j);
      // Control characters draw as spaces (renderers drop them from text).
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) cp = ' ';
      hb_buffer_add(buffer_, cp, static_cast<unsigned>(at - start));
    }
    hb_buffer_guess_segment_properties(buffer_);
    const FontFile& f = fonts_[font];
    hb_shape(f.font, buffer_, nullptr, 0);
    unsigned count = 0;
    hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buffer_, &count);
    hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buffer_, &count);
    double k = size / f.upem;
    for (unsigned g = 0; g < count; ++g) {
      if (glyphs != nullptr) {
        glyphs->push_back({font, info[g].codepoint,
                           static_cast<float>(x0 + x + pos[g].x_offset * k),
                           static_cast<float>(-pos[g].y_offset * k)});
      }
      x += pos[g].x_advance * k;
    }
  }
  return x;
}

TextEngine::CachedWidth TextEngine::SegmentWidth(std::string_view seg,
                                                 size_t ink_len) {
  auto it = cache_.find(std::string(seg));
  if (it != cache_.end()) return it->second;
  double ink = ShapeRun(seg.substr(0, ink_len), kRefSize, 0, nullptr);
  double full = ink;
  if (ink_len < seg.size()) {
    full += ShapeRun(seg.substr(ink_len), kRefSize, 0, nullptr);
  }
  CachedWidth w{static_cast<float>(full), static_cast<float>(ink)};
  if (cache_.size() < 2'000'000) cache_.emplace(std::string(seg), w);
  return w;
}

void TextEngine::Segments(std::string_view text, std::vector<Segment>* out) {
  out->clear();
  auto push = [&](size_t begin, size_t end, bool hard) {
    size_t ink = end;
    while (ink > begin) {
      // Trailing ASCII white space, U+00A0 (C2 A0) and U+3000 (E3 80 80).
      char c = text[ink - 1];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        --ink;
      } else if (ink - begin >= 2 && text.substr(ink - 2, 2) == "\xC2\xA0") {
        ink -= 2;
      } else if (ink - begin >= 3 &&
                 text.substr(ink - 3, 3) == "\xE3\x80\x80") {
        ink -= 3;
      } else {
        break;
      }
    }
    out->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end),
                    static_cast<uint32_t>(ink), hard});
  };
  if (IsAscii(text) || breaker_ == nullptr) {
    // UAX #14 for ASCII reduces to: break after spaces, after a newline
    // (mandatory), and after a hyphen between alphanumerics.
    size_t begin = 0;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '\n') {
        push(begin, i + 1, true);
        begin = i + 1;
      } else if ((c == ' ' || c == '\t') && i + 1 < text.size() &&
                 text[i + 1] != ' ' && text[i + 1] != '\t' &&
                 text[i + 1] != '\n') {
        push(begin, i + 1, false);
        begin = i + 1;
      } else if (c == '-' && i > begin && AsciiAlnum(text[i - 1]) &&
                 i + 1 < text.size() && AsciiAlnum(text[i + 1])) {
        push(begin, i + 1, false);
        begin = i + 1;
      }
    }
    if (begin < text.size()) push(begin, text.size(), false);
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  UText* ut = utext_openUTF8(nullptr, text.data(),
                             static_cast<int64_t>(text.size()), &status);
  if (U_FAILURE(status)) {
    push(0, text.size(), false);
    return;
  }
  ubrk_setUText(breaker_, ut, &status);
  if (U_FAILURE(status)) {
    utext_close(ut);
    push(0, text.size(), false);
    return;
  }
  int32_t begin = ubrk_first(breaker_);
  for (int32_t b = ubrk_next(breaker_); b != UBRK_DONE;
       b = ubrk_next(breaker_)) {
    bool hard = ubrk_getRuleStatus(breaker_) >= UBRK_LINE_HARD && b > begin &&
                (text[b - 1] == '\n' || text[b - 1] == '\r');
    push(static_cast<size_t>(begin), static_cast<size_t>(b), hard);
    begin = b;
  }
  utext_close(ut);
}

void TextEngine::BreakLongSegment(std::string_view text, const Segment& seg,
                                  double scale, double max_width,
                                  std::vector<Segment>* out) {
  // A word wider than the box: cut it between code points.
  size_t begin = seg.begin;
  size_t i = seg.begin;
  while (i < seg.ink_end) {
    size_t next = i;
    DecodeUtf8(text, &next);
    if (next > seg.ink_end) next = seg.ink_end;
    if (i > begin) {
      std::string_view piece = text.substr(begin, next - begin);
      if (SegmentWidth(piece, piece.size()).ink * scale > max_width) {
        out->push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(i),
                        static_cast<uint32_t>(i), false});
        begin = i;
      }
    }
    i = next;
  }
  out->push_back(
      {static_cast<uint32_t>(begin), seg.end, seg.ink_end, seg.hard_break});
}

double TextEngine::Wrap(std::string_view text, double font_size,
                        double max_width, std::vector<LineSpan>* lines) {
  std::lock_guard<std::mutex> lock(mu_);
  double scale = font_size / kRefSize;
  Segments(text, &segments_);
  if (max_width > 0) {
    pieces_.clear();
    for (const Segment& s : segments_) {
      std::string_view seg = text.substr(s.begin, s.end - s.begin);
      CachedWidth w = SegmentWidth(seg, s.ink_end - s.begin);
      if (w.ink * scale > max_width && s.ink_end - s.begin > 1) {
        BreakLongSegment(text, s, scale, max_width, &pieces_);
      } else {
        pieces_.push_back(s);
      }
    }
    segments_.swap(pieces_);
  }
  double widest = 0;
  bool open = false;
  uint32_t start = 0, ink_end = 0;
  double full = 0, ink = 0;
  auto emit = [&] {
    // The box is sized from the stored (float) width so a line never
    // exceeds it by a rounding.
    float width = static_cast<float>(ink);
    lines->push_back({start, ink_end - start, width});
    if (width > widest) widest = width;
    open = false;
  };
  for (const Segment& s : segments_) {
    std::string_view seg = text.substr(s.begin, s.end - s.begin);
    CachedWidth w = SegmentWidth(seg, s.ink_end - s.begin);
    double seg_ink = w.ink * scale;
    double seg_full = w.full * scale;
    if (open && max_width > 0 && s.ink_end > s.begin &&
        full + seg_ink > max_width) {
      emit();
    }
    if (!open) {
      open = true;
      start = s.begin;
      ink_end = s.ink_end;
      ink = seg_ink;
      full = seg_full;
    } else {
      if (s.ink_end > s.begin) {
        ink = full + seg_ink;
        ink_end = s.ink_end;
      }
      full += seg_full;
    }
    if (s.hard_break) emit();
  }
  if (open) emit();
  return widest;
}

double TextEngine::Measure(std::string_view text, double font_size) {
  std::vector<LineSpan> lines;
  Wrap(text, font_size, 0, &lines);
  double widest = 0;
  for (const LineSpan& l : lines) widest = std::max<double>(widest, l.width);
  return widest;
}

void TextEngine::ShapeLine(std::string_view line, double font_size,
                           std::vector<PlacedGlyph>* glyphs) {
  std::lock_guard<std::mutex> lock(mu_);
  double scale = font_size / kRefSize;
  Segments(line, &segments_);
  double x = 0;
  for (const Segment& s : segments_) {
    std::string_view seg = line.substr(s.begin, s.end - s.begin);
    CachedWidth w = SegmentWidth(seg, s.ink_end - s.begin);
    ShapeRun(seg.substr(0, s.ink_end - s.begin), font_size,
             static_cast<float>(x), glyphs);
    x += w.full * scale;
  }
}

}  // namespace mindcards::detail
