// Text measurement and shaping for layout and rendering: HarfBuzz on font
// files installed from Debian packages (DejaVu Sans, Noto Sans CJK as a
// fallback), ICU line breaking (UAX #14), and a per-segment width cache.
//
// Text is cut into break segments (a word with its trailing spaces, one CJK
// character, ...). Each distinct segment is shaped once; a line's width is
// the sum of its segments' widths, and ShapeLine places glyphs the same way,
// so a drawn line is exactly as wide as the layout measured it.
#ifndef MINDCARDS_LAYOUT_TEXT_ENGINE_H_
#define MINDCARDS_LAYOUT_TEXT_ENGINE_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/layout.h"

struct hb_font_t;
struct hb_buffer_t;
struct UBreakIterator;

namespace mindcards::detail {

struct FontFile {
  std::string path;
  unsigned index = 0;  // face index in a collection (.ttc)
  unsigned upem = 1000;
  hb_font_t* font = nullptr;
};

// A positioned glyph of a shaped line, in px from the line's start (x) and
// baseline (y).
struct PlacedGlyph {
  uint32_t font;  // index into TextEngine::fonts()
  uint32_t glyph;
  float x;
  float y;
};

class TextEngine {
 public:
  // The process-wide engine, loaded on first use. Fails (kIo) when no font
  // file can be found.
  static Result<TextEngine*> Get();

  ~TextEngine();
  TextEngine(const TextEngine&) = delete;
  TextEngine& operator=(const TextEngine&) = delete;

  // Wraps `text` at `max_width` px (0: only at '\n') and appends its lines to
  // `lines` (offsets relative to `text`). Returns the widest line's width.
  // Thread-safe.
  double Wrap(std::string_view text, double font_size, double max_width,
              std::vector<LineSpan>* lines);

  // Width of `text` on one line, px. Thread-safe.
  double Measure(std::string_view text, double font_size);

  // Shapes one line (a LineSpan's text) into glyphs. Thread-safe.
  void ShapeLine(std::string_view line, double font_size,
                 std::vector<PlacedGlyph>* glyphs);

  const std::vector<FontFile>& fonts() const { return fonts_; }
  // The CSS font-family list matching fonts().
  std::string_view css_family() const { return css_family_; }
  // Distinct segments measured so far.
  size_t cache_size() const { return cache_.size(); }

 private:
  TextEngine() = default;

  struct Segment {
    uint32_t begin;
    uint32_t end;      // end of the segment, trailing spaces included
    uint32_t ink_end;  // end without trailing white space
    bool hard_break;   // a '\n' ends it
  };
  struct CachedWidth {
    float full;  // in px at kRefSize
    float ink;
  };
  static constexpr double kRefSize = 16;

  void Segments(std::string_view text, std::vector<Segment>* out);
  CachedWidth SegmentWidth(std::string_view seg, size_t ink_len);
  double ShapeRun(std::string_view run, double size, float x0,
                  std::vector<PlacedGlyph>* glyphs);
  uint32_t FontFor(char32_t cp);
  void BreakLongSegment(std::string_view text, const Segment& seg, double scale,
                        double max_width, std::vector<Segment>* out);

  std::mutex mu_;
  std::vector<FontFile> fonts_;
  std::string css_family_;
  hb_buffer_t* buffer_ = nullptr;
  UBreakIterator* breaker_ = nullptr;
  std::unordered_map<std::string, CachedWidth> cache_;
  std::unordered_map<char32_t, uint32_t> font_for_;
  std::vector<Segment> segments_;
  std::vector<Segment> pieces_;
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_LAYOUT_TEXT_ENGINE_H_
