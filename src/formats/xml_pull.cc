#include "formats/xml_pull.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// pugixml's character classes (ct_space, ct_start_symbol, ct_symbol): the
// walk must split names and attributes exactly where it does.
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsStartSymbol(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

bool IsSymbol(char c) {
  return IsStartSymbol(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the reference at the start of `s` ('&' first) onto `out`;
// returns its length, or 0 when it is not one that pugixml surely reads the
// same way.
size_t DecodeReference(std::string_view s, std::string* out) {
  static constexpr struct {
    std::string_view name;
    char c;
  } kNamed[] = {{"&amp;", '&'},
                {"&lt;", '<'},
                {"&gt;", '>'},
                {"&quot;", '"'},
                {"&apos;", '\''}};
  for (const auto& e : kNamed) {
    if (s.starts_with(e.name)) {
      out->push_back(e.c);
      return e.name.size();
    }
  }
  if (!s.starts_with("&#")) return 0;
  const bool hex = s.size() > 2 && s[2] == 'x';
  size_t i = hex ? 3 : 2;
  const size_t first = i;
  uint32_t cp = 0;
  // At most eight digits: no overflow, and longer ones are not worth it.
  for (; i < s.size() && i - first < 8; ++i) {
    int d =
        hex ? HexValue(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
    if (d < 0) break;
    cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
  }
  if (i == first || i >= s.size() || s[i] != ';') return 0;
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  AppendUtf8(cp, out);
  return i + 1;
}

// Offset of the first byte from `i` on that ends or complicates an
// attribute value: `quote`, '<', '&', tab, newline or carriage return; `n`
// when there is none. Sixteen bytes at a time where SSE2 is there.
size_t FindValueStop(const char* s, size_t i, size_t n, char quote) {
  auto stops = [quote](char c) {
    return c == quote || c == '<' || c == '&' || c == '\t' || c == '\n' ||
           c == '\r';
  };
#ifdef __SSE2__
  const __m128i q = _mm_set1_epi8(quote);
  const __m128i lt = _mm_set1_epi8('<');
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i tab = _mm_set1_epi8('\t');
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i cr = _mm_set1_epi8('\r');
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, q), _mm_cmpeq_epi8(v, lt)),
        _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, amp), _mm_cmpeq_epi8(v, tab)),
            _mm_or_si128(_mm_cmpeq_epi8(v, nl), _mm_cmpeq_epi8(v, cr))));
    int mask = _mm_movemask_epi8(hit);
    if (mask != 0) {
      return i +
             static_cast<size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
    }
  }
#endif
  while (i < n && !stops(s[i])) ++i;
  return i;
}

}  // namespace

bool DecodeXmlAttribute(const XmlRawAttribute& attribute, std::string* scratch,
                        std::string_view* value) {
  const std::string_view raw = attribute.raw_value;
  if (attribute.plain) {
    *value = raw;
    return true;
  }
  scratch->clear();
  size_t k = 0;
  while (k < raw.size()) {
    char c = raw[k];
    if (c == '&') {
      size_t used = DecodeReference(raw.substr(k), scratch);
      if (used == 0) return false;
      k += used;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      scratch->push_back(' ');
      if (c == '\r' && k + 1 < raw.size() && raw[k + 1] == '\n') ++k;
    } else {
      scratch->push_back(c);
    }
    ++k;
  }
  *value = *scratch;
  return true;
}

XmlPull::Event XmlPull::Next() {
  if (state_ == Event::kDone || state_ == Event::kGiveUp) return state_;
  if (pending_end_) {
    pending_end_ = false;
    name_ = open_.back();
    open_.pop_back();
    offset_ = pos_;
    return Event::kEnd;
  }
  const char* s = text_.data();
  const size_t n = text_.size();
  for (;;) {
    // Between tags there is mostly a line break or nothing: look at a few
    // bytes before calling memchr.
    size_t lt = pos_;
    const size_t near = std::min(n, pos_ + 8);
    while (lt < near && s[lt] != '<') ++lt;
    if (lt == near && lt < n) {
      const void* found = std::memchr(s + lt, '<', n - lt);
      lt = found == nullptr
               ? n
               : static_cast<size_t>(static_cast<const char*>(found) - s);
    }
    // Outside the root only white space may stand between markup.
    if (open_.empty()) {
      for (size_t i = pos_; i < lt; ++i) {
        if (!IsSpace(s[i])) return GiveUp();
      }
    }
    if (lt + 1 >= n) {
      if (lt == n && open_.empty() && root_seen_) return state_ = Event::kDone;
      return GiveUp();
    }
    char c = s[lt + 1];
    if (c == '/') return EndTag(lt);
    if (c == '!' || c == '?') {
      if (!SkipMarkup(lt)) return GiveUp();
      continue;
    }
    if (IsStartSymbol(c) && !(open_.empty() && root_seen_)) return StartTag(lt);
    return GiveUp();
  }
}

std::string_view XmlPull::NameAt(size_t from, size_t* end) const {
  size_t i = from;
  while (i < text_.size() && IsSymbol(text_[i])) ++i;
  *end = i;
  return text_.substr(from, i - from);
}

size_t XmlPull::SkipSpace(size_t i) const {
  while (i < text_.size() && IsSpace(text_[i])) ++i;
  return i;
}

XmlPull::Event XmlPull::StartTag(size_t lt) {
  const char* s = text_.data();
  const size_t n = text_.size();
  size_t i = 0;
  std::string_view name = NameAt(lt + 1, &i);
  attrs_.clear();
  for (;;) {
    const size_t space_start = i;
    i = SkipSpace(i);
    if (i >= n) return GiveUp();
    if (s[i] == '>') {
      pos_ = i + 1;
      break;
    }
    if (s[i] == '/') {
      if (i + 1 >= n || s[i + 1] != '>') return GiveUp();
      pos_ = i + 2;
      pending_end_ = true;
      break;
    }
    // An attribute, which must follow white space.
    if (i == space_start || !IsStartSymbol(s[i])) return GiveUp();
    std::string_view attr_name = NameAt(i, &i);
    i = SkipSpace(i);
    if (i >= n || s[i] != '=') return GiveUp();
    i = SkipSpace(i + 1);
    if (i >= n || (s[i] != '"' && s[i] != '\'')) return GiveUp();
    const char quote = s[i++];
    size_t end = FindValueStop(s, i, n, quote);
    bool plain = true;
    if (end < n && s[end] != quote && s[end] != '<') {
      plain = false;
      const void* close = std::memchr(s + end, quote, n - end);
      end = close == nullptr
                ? n
                : static_cast<size_t>(static_cast<const char*>(close) - s);
      // '<' is legal in neither XML attribute values nor this walk.
      if (std::memchr(s + i, '<', end - i) != nullptr) return GiveUp();
    }
    if (end >= n || s[end] != quote) return GiveUp();
    attrs_.push_back({attr_name, text_.substr(i, end - i), plain});
    i = end + 1;
  }
  name_ = name;
  offset_ = lt;
  open_.push_back(name);
  root_seen_ = true;
  return Event::kStart;
}

XmlPull::Event XmlPull::EndTag(size_t lt) {
  size_t i = 0;
  std::string_view name = NameAt(lt + 2, &i);
  if (open_.empty() || open_.back() != name) return GiveUp();
  i = SkipSpace(i);
  if (i >= text_.size() || text_[i] != '>') return GiveUp();
  pos_ = i + 1;
  offset_ = pos_;
  name_ = name;
  open_.pop_back();
  return Event::kEnd;
}

bool XmlPull::SkipMarkup(size_t lt) {
  std::string_view rest = text_.substr(lt);
  auto skip_past = [&](size_t from, std::string_view close) {
    size_t at = text_.find(close, lt + from);
    if (at == std::string_view::npos) return false;
    pos_ = at + close.size();
    return true;
  };
  if (rest.starts_with("<!--")) return skip_past(4, "-->");
  if (rest.starts_with("<![CDATA[") && !open_.empty()) {
    return skip_past(9, "]]>");
  }
  // A processing instruction (an XML declaration included) needs a target
  // name; its content is skipped as pugixml skips it.
  if (rest.size() > 2 && rest[1] == '?' && IsStartSymbol(rest[2])) {
    return skip_past(2, "?>");
  }
  return false;
}

}  // namespace mindcards::detail
