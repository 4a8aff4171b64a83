#include "formats/pos_tracker.h"

#include <algorithm>
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

void PosTracker::SetLineStarts(LineStarts starts) {
  line_starts_ = std::move(starts);
  offset_ = 0;
  pos_ = {1, 1};
  line_ = 0;
}

SourcePos PosTracker::AtIndexed(size_t offset) {
  size_t line = line_;
  if (offset < offset_) {
    line = static_cast<size_t>(std::upper_bound(line_starts_.begin(),
                                                line_starts_.end(), offset) -
                               line_starts_.begin()) -
           1;
  } else {
    while (line + 1 < line_starts_.size() && line_starts_[line + 1] <= offset)
      ++line;
  }
  if (line != line_ || offset < offset_) {
    line_ = line;
    offset_ = line_starts_[line];
    pos_ = {static_cast<uint32_t>(line + 1), 1};
  }
  const char* from = text_.data() + offset_;
  const size_t length = offset - offset_;
  size_t code_points;
  if (std::endian::native == std::endian::little && length <= 16 &&
      text_.size() - offset_ >= 16) {
    // The usual query, an item's text a few bytes into its line: sixteen
    // bytes read at once (all within the text), those past `length` masked.
    uint64_t low;
    uint64_t high;
    std::memcpy(&low, from, 8);
    std::memcpy(&high, from + 8, 8);
    if (length < 8) {
      low &= (uint64_t{1} << (8 * length)) - 1;
      high = 0;
    } else if (length < 16) {
      high &= (uint64_t{1} << (8 * (length - 8))) - 1;
    }
    code_points = length - CountHighBits(low & ~(low << 1) & kHigh) -
                  CountHighBits(high & ~(high << 1) & kHigh);
  } else {
    code_points = CountCodePoints(from, text_.data() + offset);
  }
  pos_.column += static_cast<uint32_t>(code_points);
  offset_ = offset;
  return pos_;
}

SourcePos PosTracker::At(size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (!line_starts_.empty()) return AtIndexed(offset);
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
