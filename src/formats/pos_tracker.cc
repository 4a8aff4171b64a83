#include "formats/pos_tracker.h"

#include <bit>
#include <cstring>

namespace mindcards::detail {
namespace {

constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;
constexpr uint64_t kHigh = 0x8080808080808080ull;

// Number of bytes of `v` whose top bit is set, when no other bit is: the
// top bits shifted down to one per byte, summed by one multiplication (no
// popcount instruction in Debian's x86-64 baseline).
inline size_t CountHighBits(uint64_t v) {
  return static_cast<size_t>(((v >> 7) * 0x0101010101010101ull) >> 56);
}

size_t CountNewlines(const char* p, const char* end) {
  size_t n = 0;
  for (; end - p >= 8; p += 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    v ^= 0x0A0A0A0A0A0A0A0Aull;  // '\n' bytes become zero
    n += CountHighBits(~(((v & kLow7) + kLow7) | v | kLow7));
  }
  for (; p < end; ++p) n += *p == '\n';
  return n;
}

// Bytes that start a UTF-8 sequence: all but 10xxxxxx continuations.
size_t CountCodePoints(const char* p, const char* end) {
  size_t n = static_cast<size_t>(end - p);
  for (; end - p >= 8; p += 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    n -= CountHighBits(v & ~(v << 1) & kHigh);
  }
  for (; p < end; ++p) n -= (static_cast<unsigned char>(*p) & 0xC0) == 0x80;
  return n;
}

}  // namespace

size_t CountNewlines(std::string_view text) {
  return CountNewlines(text.data(), text.data() + text.size());
}

SourcePos PosTracker::At(size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < offset_) {
    offset_ = 0;
    pos_ = {1, 1};
  }
  const char* s = text_.data();
  // One pass counts the line breaks and finds the last one, which decides
  // the column; queries are mostly a line or less apart.
  size_t line_start = offset_;
  size_t lines = 0;
  size_t i = offset_;
  if constexpr (std::endian::native == std::endian::little) {
    for (; offset - i >= 8; i += 8) {
      uint64_t v;
      std::memcpy(&v, s + i, 8);
      v ^= 0x0A0A0A0A0A0A0A0Aull;  // '\n' bytes become zero
      uint64_t breaks = ~(((v & kLow7) + kLow7) | v | kLow7);
      if (breaks != 0) {
        lines += CountHighBits(breaks);
        // The highest flagged byte is the last break of the eight.
        line_start =
            i + static_cast<size_t>(63 - __builtin_clzll(breaks)) / 8 + 1;
      }
    }
  }
  for (; i < offset; ++i) {
    if (s[i] == '\n') {
      ++lines;
      line_start = i + 1;
    }
  }
  if (lines > 0) {
    pos_.line += static_cast<uint32_t>(lines);
    pos_.column = 1;
  }
  pos_.column +=
      static_cast<uint32_t>(CountCodePoints(s + line_start, s + offset));
  offset_ = offset;
  return pos_;
}

}  // namespace mindcards::detail
