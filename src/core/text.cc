#include "mindcards/text.h"

#include <fmt/format.h>
#include <utf8proc.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace mindcards {
namespace {

// Length of the UTF-8 sequence at text[i], or 0 when it is malformed.
size_t SequenceLength(std::string_view text, size_t i) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  unsigned char c = s[i];
  if (c < 0x80) return 1;
  auto cont = [&](size_t k) { return i + k < n && (s[i + k] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    unsigned char c1 = s[i + 1];
    if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
    if (c == 0xED && c1 > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    unsigned char c1 = s[i + 1];
    if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
    if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

Result<void> ValidateUtf8(std::string_view text) {
  size_t i = 0;
  const size_t n = text.size();
  while (i < n) {
    // Fast path over ASCII, sixteen or eight bytes at a time; a block with
    // a non-ASCII byte skips straight to it.
#ifdef __SSE2__
    while (i + 16 <= n) {
      int mask = _mm_movemask_epi8(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i)));
      if (mask != 0) {
        i += static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
        break;
      }
      i += 16;
    }
#endif
    while (i + 8 <= n) {
      uint64_t chunk;
      __builtin_memcpy(&chunk, text.data() + i, 8);
      if ((chunk & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i >= n) break;
    size_t len = SequenceLength(text, i);
    if (len == 0) {
      return BadInput(fmt::format("invalid UTF-8 (byte 0x{:02X})",
                                  static_cast<unsigned char>(text[i])),
                      PosOfOffset(text, i));
    }
    i += len;
  }
  return {};
}

namespace {

// True for code points that are NFC-stable in any context: no canonical
// decomposition, combining class 0, and never the second half of a
// canonical composition. A text made only of these is already in NFC, so
// the common cases (Latin, Cyrillic, CJK, kana, Hangul syllables, common
// punctuation) skip utf8proc's decompose-and-recompose entirely. The ranges
// are deliberately conservative; anything else takes the slow path.
bool IsNfcStable(char32_t cp) {
  if (cp < 0x300) return true;
  if (cp >= 0x400 && cp <= 0x482) return true;  // Cyrillic letters
  if (cp >= 0x48A && cp <= 0x4FF) return true;
  if (cp >= 0x2010 && cp <= 0x2027) return true;  // dashes, quotes, bullets
  if (cp >= 0x2030 && cp <= 0x205E) return true;
  if (cp >= 0x3000 && cp <= 0x3029) return true;  // CJK punctuation
  if (cp >= 0x3030 && cp <= 0x3098) return true;  // hiragana (no voicing marks)
  if (cp >= 0x309B && cp <= 0x30FF) return true;  // katakana
  if (cp >= 0x3400 && cp <= 0x4DBF) return true;  // CJK extension A
  if (cp >= 0x4E00 && cp <= 0x9FFF) return true;  // CJK unified ideographs
  if (cp >= 0xAC00 && cp <= 0xD7A3) return true;  // Hangul syllables
  if (cp >= 0xFF01 && cp <= 0xFFEF) return true;  // full-width forms
  return false;
}

}  // namespace

namespace {

// Scans `text` eight bytes at a time while they are all printable ASCII
// (0x20-0x7F), byte by byte otherwise. Bytes below 0x20 go to `control`
// (true: acceptable); other bytes start a code point that must be
// NFC-stable. Inlined into both callers so the check folds away. With
// `kTabNewlineOk` (`control` accepts both), the sixteen-byte test passes
// them too, so a text of many lines is not scanned a line at a time.
template <bool kTabNewlineOk = false, typename ControlOk>
inline bool ScanNfc(std::string_view text, ControlOk control) {
  const char* p = text.data();
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
#ifdef __SSE2__
    // Sixteen at a time: as signed bytes, 0x80-0xFF are negative, so one
    // "less than 0x20" finds both controls and non-ASCII. The last block
    // overlaps the one before (its first bytes are shifted out of the
    // mask), and a text shorter than a block is tested padded, so that no
    // text ends in a byte-by-byte loop: most are a few dozen bytes.
    size_t block = i;
    __m128i v;
    if (n >= 16) {
      block = std::min(i, n - 16);
      v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + block));
    } else {
      char padded[16];
      std::memset(padded, 'a', sizeof padded);
      std::memcpy(padded, p, n);
      block = 0;
      v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(padded));
    }
    __m128i flagged = _mm_cmplt_epi8(v, _mm_set1_epi8(0x20));
    if constexpr (kTabNewlineOk) {
      flagged =
          _mm_andnot_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
                                        _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
                           flagged);
    }
    auto mask = static_cast<unsigned>(_mm_movemask_epi8(flagged));
    mask >>= i - block;
    if (mask == 0) {
      i = std::min(block + 16, n);
      continue;
    }
    // Straight to the first byte that needs a look.
    i += static_cast<size_t>(__builtin_ctz(mask));
#endif
    if (i + 8 <= n) {
      uint64_t chunk;
      __builtin_memcpy(&chunk, p + i, 8);
      // A byte b sets its top bit here when b >= 0x80 or b < 0x20 (the
      // subtraction borrows); borrows only travel upwards from a byte that
      // already failed, so a zero result means all eight are 0x20-0x7F.
      if ((((chunk - 0x2020202020202020ull) | chunk) & 0x8080808080808080ull) ==
          0) {
        i += 8;
        continue;
      }
    }
    auto b = static_cast<unsigned char>(p[i]);
    if (b < 0x80) {
      if (b < 0x20 && !control(b)) return false;
      ++i;
      continue;
    }
    auto cont = [&](size_t k) {
      return i + k < n && (static_cast<unsigned char>(p[i + k]) & 0xC0) == 0x80;
    };
    // The two commonest cases without decoding: C2-CB lead U+0080-U+02FF
    // (Latin accents), E5-E9 lead U+5000-U+9FFF (CJK ideographs).
    if (b >= 0xC2 && b <= 0xCB && cont(1)) {
      i += 2;
      continue;
    }
    if (b >= 0xE5 && b <= 0xE9 && cont(1) && cont(2)) {
      i += 3;
      continue;
    }
    if (!IsNfcStable(DecodeUtf8(text, &i))) return false;
  }
  return true;
}

}  // namespace

bool IsSurelyNfc(std::string_view text) {
  return ScanNfc(text, [](unsigned char) { return true; });
}

bool HasTrimmedEnds(std::string_view text) {
  if (text.empty()) return true;
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
  };
  return !space(text.front()) && !space(text.back());
}

bool IsSurelyPlainNfcInside(std::string_view text) {
  // U+FEFF (a byte-order mark) lies outside IsNfcStable's ranges, so it
  // fails the scan and takes the slow path that removes it.
  return ScanNfc<true>(text,
                       [](unsigned char b) { return b == '\t' || b == '\n'; });
}

bool IsSurelyPlainNfc(std::string_view text) {
  return HasTrimmedEnds(text) && IsSurelyPlainNfcInside(text);
}

std::string ToNfc(std::string_view text) {
  if (IsSurelyNfc(text)) return std::string(text);
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
      static_cast<utf8proc_ssize_t>(text.size()), &out,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (len < 0) return std::string(text);
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(out,
                                                                &std::free);
  return std::string(reinterpret_cast<const char*>(out),
                     static_cast<size_t>(len));
}

std::string_view Trim(std::string_view text) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
  };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

std::string FoldWhitespace(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
                 c == '\v';
    // U+00A0 NO-BREAK SPACE counts as space too.
    if (!space && static_cast<unsigned char>(c) == 0xC2 &&
        i + 1 < text.size() &&
        static_cast<unsigned char>(text[i + 1]) == 0xA0) {
      space = true;
      ++i;
    }
    if (space) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

char32_t DecodeUtf8(std::string_view text, size_t* i) {
  size_t len = SequenceLength(text, *i);
  const auto* s = reinterpret_cast<const unsigned char*>(text.data()) + *i;
  char32_t cp;
  switch (len) {
    case 1:
      cp = s[0];
      break;
    case 2:
      cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
      break;
    case 3:
      cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
      break;
    case 4:
      cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) |
           ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
      break;
    default:
      *i += 1;
      return 0xFFFD;
  }
  *i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t CodePointCount(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

std::string Latin1ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) AppendUtf8(static_cast<unsigned char>(c), &out);
  return out;
}

std::string Cp1252ToUtf8(std::string_view bytes) {
  // 0x80..0x9F in Windows-1252; 0 marks the five undefined bytes, which
  // map to the C1 controls as Latin-1 does.
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size());
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    char32_t cp = b;
    if (b >= 0x80 && b <= 0x9F && kHigh[b - 0x80] != 0) cp = kHigh[b - 0x80];
    AppendUtf8(cp, &out);
  }
  return out;
}

SourcePos PosOfOffset(std::string_view text, size_t offset) {
  SourcePos pos{1, 1};
  if (offset > text.size()) offset = text.size();
  for (size_t i = 0; i < offset; ++i) {
    char c = text[i];
    if (c == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++pos.column;
    }
  }
  return pos;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace mindcards
