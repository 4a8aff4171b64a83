#include "formats/xml_util.h"

#include <fmt/format.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool IsNameChar(char c) {
  auto b = static_cast<unsigned char>(c);
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == ':' || c == '-' ||
         c == '.' || b >= 0x80;
}

// What precedes the root element.
struct Prolog {
  std::string_view root;  // empty when no element start was found
  size_t root_offset = 0;
  bool doctype = false;
  size_t doctype_offset = 0;
  bool entity_declarations = false;  // the DOCTYPE declares entities
};

Prolog ScanProlog(std::string_view s) {
  Prolog p;
  size_t i = s.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  const size_t n = s.size();
  while (i < n) {
    while (i < n && IsSpace(s[i])) ++i;
    if (i >= n || s[i] != '<') return p;
    std::string_view rest = s.substr(i);
    if (rest.starts_with("<?")) {
      size_t end = s.find("?>", i + 2);
      if (end == std::string_view::npos) return p;
      i = end + 2;
    } else if (rest.starts_with("<!--")) {
      size_t end = s.find("-->", i + 4);
      if (end == std::string_view::npos) return p;
      i = end + 3;
    } else if (rest.starts_with("<!")) {
      // <!DOCTYPE name [ internal subset ]>: the subset may hold '>' inside
      // declarations, so track the brackets and quotes.
      p.doctype = true;
      p.doctype_offset = i;
      size_t j = i + 2;
      int bracket = 0;
      char quote = 0;
      for (; j < n; ++j) {
        char c = s[j];
        if (quote != 0) {
          if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '[') {
          ++bracket;
        } else if (c == ']') {
          --bracket;
        } else if (c == '>' && bracket <= 0) {
          break;
        } else if (c == '<' && s.substr(j).starts_with("<!ENTITY")) {
          p.entity_declarations = true;
        }
      }
      if (j >= n) return p;
      i = j + 1;
    } else {
      size_t j = i + 1;
      while (j < n && IsNameChar(s[j])) ++j;
      if (j == i + 1) return p;
      p.root = s.substr(i + 1, j - i - 1);
      p.root_offset = i;
      return p;
    }
  }
  return p;
}

// The value of encoding="..." in an XML declaration at the start, or "".
std::string DeclaredEncoding(std::string_view s) {
  if (!s.starts_with("<?xml")) return {};
  size_t end = s.find("?>");
  if (end == std::string_view::npos) return {};
  std::string_view decl = s.substr(0, end);
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  size_t q = decl.find_first_of("\"'", at);
  if (q == std::string_view::npos) return {};
  size_t q2 = decl.find(decl[q], q + 1);
  if (q2 == std::string_view::npos) return {};
  return AsciiLower(decl.substr(q + 1, q2 - q - 1));
}

// Encodings whose bytes are read as UTF-8 (empty: none declared).
bool IsUtf8Encoding(std::string_view encoding) {
  return encoding.empty() || encoding == "utf-8" || encoding == "utf8" ||
         encoding == "us-ascii" || encoding == "ascii";
}

std::string ParseErrorMessage(pugi::xml_parse_status status) {
  switch (status) {
    case pugi::status_unrecognized_tag:
      return "malformed markup: expected an element, comment or declaration "
             "after '<'";
    case pugi::status_bad_pi:
      return "malformed processing instruction or XML declaration";
    case pugi::status_bad_comment:
      return "malformed comment";
    case pugi::status_bad_cdata:
      return "malformed CDATA section";
    case pugi::status_bad_doctype:
      return "malformed DOCTYPE";
    case pugi::status_bad_pcdata:
      return "malformed text";
    case pugi::status_bad_start_element:
      return "malformed start tag";
    case pugi::status_bad_attribute:
      return "malformed attribute (expected name=\"value\")";
    case pugi::status_bad_end_element:
      return "malformed end tag";
    case pugi::status_end_element_mismatch:
      return "end tag does not match the open element";
    case pugi::status_no_document_element:
      return "no root element";
    case pugi::status_out_of_memory:
      return "out of memory while parsing XML";
    default:
      return "malformed XML";
  }
}

// The innermost element still open at `end` in `text`, found by a light
// scan of the tags (only used to explain a parse error): its name and the
// offset of its '<'. Empty name when none is open.
struct OpenElement {
  std::string_view name;
  size_t offset = 0;
};

OpenElement InnermostOpenElement(std::string_view text, size_t end) {
  std::vector<OpenElement> open;
  text = text.substr(0, std::min(end, text.size()));
  const size_t n = text.size();
  auto skip_past = [&](size_t from, std::string_view close) {
    size_t at = text.find(close, from);
    return at == std::string_view::npos ? n : at + close.size();
  };
  size_t i = 0;
  while (i < n) {
    size_t lt = text.find('<', i);
    if (lt == std::string_view::npos) break;
    std::string_view rest = text.substr(lt);
    if (rest.starts_with("<!--")) {
      i = skip_past(lt + 4, "-->");
    } else if (rest.starts_with("<![CDATA[")) {
      i = skip_past(lt + 9, "]]>");
    } else if (rest.starts_with("<?")) {
      i = skip_past(lt + 2, "?>");
    } else if (rest.starts_with("<!")) {
      i = skip_past(lt + 2, ">");
    } else if (rest.starts_with("</")) {
      if (!open.empty()) open.pop_back();
      i = skip_past(lt + 2, ">");
    } else {
      size_t j = lt + 1;
      while (j < n && IsNameChar(text[j])) ++j;
      OpenElement e{text.substr(lt + 1, j - lt - 1), lt};
      char quote = 0;
      for (; j < n; ++j) {
        if (quote != 0) {
          if (text[j] == quote) quote = 0;
        } else if (text[j] == '"' || text[j] == '\'') {
          quote = text[j];
        } else if (text[j] == '>') {
          break;
        }
      }
      bool self_closing = j < n && text[j - 1] == '/';
      if (!self_closing && !e.name.empty()) open.push_back(e);
      i = j + 1;
    }
  }
  return open.empty() ? OpenElement{} : open.back();
}

}  // namespace

std::string_view FirstElementName(std::string_view bytes, size_t* offset) {
  Prolog p = ScanProlog(bytes);
  if (offset != nullptr) *offset = p.root_offset;
  return p.root;
}

int SniffXmlRoot(std::string_view bytes, std::string_view root) {
  std::string_view name = FirstElementName(bytes);
  if (name == root) return 90;
  std::string_view t = Trim(StripBom(bytes.substr(0, 64)));
  return !t.empty() && t.front() == '<' ? 1 : 0;
}

bool IsPlainUtf8Xml(std::string_view bytes) {
  if (bytes.empty() || bytes.starts_with("\xEF\xBB\xBF") ||
      bytes.starts_with("\xFE\xFF") || bytes.starts_with("\xFF\xFE") ||
      std::memchr(bytes.data(), '\0', bytes.size()) != nullptr) {
    return false;
  }
  return IsUtf8Encoding(DeclaredEncoding(bytes)) && ValidateUtf8(bytes);
}

Result<void> XmlDocument::Parse(std::string_view bytes, std::string_view root,
                                std::string_view what) {
  if (bytes.starts_with("\xFE\xFF") || bytes.starts_with("\xFF\xFE") ||
      (bytes.size() >= 2 && (bytes[0] == '\0' || bytes[1] == '\0'))) {
    return BadInput(
        "UTF-16 and UTF-32 are not supported; save the file as UTF-8", {1, 1});
  }
  bytes = StripBom(bytes);
  std::string encoding = DeclaredEncoding(bytes);
  if (IsUtf8Encoding(encoding)) {
    if (auto ok = ValidateUtf8(bytes); !ok) return ok;
    text_ = bytes;
  } else if (encoding == "iso-8859-1" || encoding == "latin1" ||
             encoding == "latin-1" || encoding == "iso8859-1" ||
             encoding == "iso_8859-1" || encoding == "l1" ||
             encoding == "windows-1252" || encoding == "cp1252") {
    // Offsets keep their line:column meaning: each byte becomes one code
    // point and line breaks stay where they were.
    converted_ = Cp1252ToUtf8(bytes);
    text_ = converted_;
  } else {
    return BadInput(fmt::format("unsupported encoding '{}' (mindcards reads "
                                "UTF-8, ISO-8859-1 and windows-1252)",
                                encoding),
                    {1, 1});
  }
  tracker_ = PosTracker(text_);

  Prolog prolog = ScanProlog(text_);
  if (prolog.entity_declarations) {
    return BadInput("DTD entity declarations are not supported",
                    tracker_.At(prolog.doctype_offset));
  }
  if (prolog.root.empty()) {
    std::string_view t = Trim(text_);
    if (t.empty())
      return BadInput(fmt::format("empty input: expected {}", what), {1, 1});
    if (t.front() != '<') {
      return BadInput(
          fmt::format("not {}: expected XML with a <{}> root element", what,
                      root),
          tracker_.At(static_cast<size_t>(t.data() - text_.data())));
    }
  } else if (prolog.root != root) {
    std::string lower = AsciiLower(prolog.root);
    const char* kind = lower == "html" ? "an HTML page" : "an XML document";
    return BadInput(fmt::format("not {}: this is {} (root element <{}>, "
                                "expected <{}>)",
                                what, kind, prolog.root, root),
                    tracker_.At(prolog.root_offset));
  }

  // No parse_doctype (a DOCTYPE without entities is skipped), no comments,
  // processing instructions or declaration nodes: only what readers use.
  buffer_.assign(text_.begin(), text_.end());
  pugi::xml_parse_result result = doc_.load_buffer_inplace(
      buffer_.data(), buffer_.size(), kXmlParseOptions, pugi::encoding_utf8);
  if (!result) {
    auto offset = static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0));
    std::string_view trimmed = Trim(text_);
    size_t content_end =
        static_cast<size_t>(trimmed.data() + trimmed.size() - text_.data());
    if (result.status == pugi::status_out_of_memory) {
      return Fail(ErrorCode::kLimitExceeded, "out of memory while parsing XML");
    }
    // At the end, or in a tag that never closes: the input was cut short.
    if (offset + 1 >= content_end ||
        text_.find('>', offset) == std::string_view::npos) {
      // Truncated input: name the innermost element still open.
      OpenElement e = InnermostOpenElement(text_, text_.size());
      if (e.name.empty()) {
        return BadInput("unexpected end of input", tracker_.At(text_.size()));
      }
      SourcePos opened = tracker_.At(e.offset);
      return BadInput(fmt::format("unexpected end of input: <{}> opened at "
                                  "{}:{} is not closed",
                                  e.name, opened.line, opened.column),
                      tracker_.At(text_.size()));
    }
    if (result.status == pugi::status_end_element_mismatch) {
      size_t tag = text_.rfind("</", offset);
      OpenElement e = tag == std::string_view::npos
                          ? OpenElement{}
                          : InnermostOpenElement(text_, tag);
      if (!e.name.empty()) {
        size_t j = tag + 2;
        while (j < text_.size() && IsNameChar(text_[j])) ++j;
        std::string_view closing = text_.substr(tag + 2, j - tag - 2);
        SourcePos opened = tracker_.At(e.offset);
        return BadInput(
            fmt::format("</{}> does not close <{}> (opened at "
                        "{}:{})",
                        closing, e.name, opened.line, opened.column),
            tracker_.At(tag));
      }
    }
    return BadInput(ParseErrorMessage(result.status), tracker_.At(offset));
  }
  root_ = doc_.document_element();
  if (!root_ || std::strcmp(root_.name(), std::string(root).c_str()) != 0) {
    return BadInput(fmt::format("expected a <{}> root element", root), {1, 1});
  }
  return {};
}

SourcePos XmlDocument::PosOf(pugi::xml_node node) {
  ptrdiff_t offset = node.offset_debug();
  // offset_debug points at the element's name, just after '<'.
  if (offset <= 0) return {};
  return tracker_.At(static_cast<size_t>(offset - 1));
}

std::string CleanLink(std::string_view link) {
  std::string valid = ValidUtf8(link);
  std::string out;
  out.reserve(valid.size());
  for (char c : valid) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x20 && b != 0x7F) out.push_back(c);
  }
  // Trimmed last: removing a control character can bare a space that a
  // second read would trim, and the link must survive a round trip.
  return std::string(Trim(out));
}

std::string ValidUtf8(std::string_view s) {
  if (IsAscii(s) || ValidateUtf8(s)) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) AppendUtf8(DecodeUtf8(s, &i), &out);
  return out;
}

std::string_view ChildText(pugi::xml_node parent, const char* name) {
  return parent.child(name).child_value();
}

namespace {

// Replacement text for each byte when escaping, or null to copy it.
struct EscapeTable {
  const char* rep[256] = {};
  constexpr explicit EscapeTable(bool attribute) {
    for (int c = 0; c < 0x20; ++c) rep[c] = "";  // not representable in XML
    rep[static_cast<int>('&')] = "&amp;";
    rep[static_cast<int>('<')] = "&lt;";
    rep[static_cast<int>('>')] = "&gt;";
    if (attribute) {
      rep[static_cast<int>('"')] = "&quot;";
      rep[static_cast<int>('\n')] = "&#10;";
      rep[static_cast<int>('\t')] = "&#9;";
      rep[static_cast<int>('\r')] = "&#13;";
    } else {
      rep[static_cast<int>('\n')] = nullptr;
      rep[static_cast<int>('\t')] = nullptr;
      rep[static_cast<int>('\r')] = nullptr;
    }
  }
};

constexpr EscapeTable kAttrEscapes(true);
constexpr EscapeTable kTextEscapes(false);

void AppendEscaped(std::string_view s, const EscapeTable& table,
                   std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char* rep = table.rep[static_cast<unsigned char>(s[i])];
    if (rep == nullptr) continue;
    out->append(s.data() + start, i - start);
    out->append(rep);
    start = i + 1;
  }
  out->append(s.data() + start, s.size() - start);
}

}  // namespace

void AppendXmlAttr(std::string_view s, std::string* out) {
  AppendEscaped(s, kAttrEscapes, out);
}

void AppendXmlText(std::string_view s, std::string* out) {
  AppendEscaped(s, kTextEscapes, out);
}

size_t CountOccurrences(std::string_view text, std::string_view needle) {
  size_t n = 0;
  size_t from = 0;  // where the next occurrence may start (no overlaps)
#ifdef __SSE2__
  // Candidates where the first two bytes match, sixteen places at a time:
  // in markup, '<' alone would stop every few bytes.
  if (needle.size() >= 2) {
    const __m128i first = _mm_set1_epi8(needle[0]);
    const __m128i second = _mm_set1_epi8(needle[1]);
    const char* s = text.data();
    size_t i = 0;
    for (; i + 17 <= text.size(); i += 16) {
      __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
      __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + 1));
      auto mask = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_and_si128(_mm_cmpeq_epi8(a, first), _mm_cmpeq_epi8(b, second))));
      for (; mask != 0; mask &= mask - 1) {
        size_t at = i + static_cast<size_t>(__builtin_ctz(mask));
        if (at >= from && text.substr(at, needle.size()) == needle) {
          ++n;
          from = at + needle.size();
        }
      }
    }
    from = std::max(from, i);
  }
#endif
  for (size_t at = text.find(needle, from); at != std::string_view::npos;
       at = text.find(needle, at + needle.size())) {
    ++n;
  }
  return n;
}

size_t EstimateXmlSize(const Map& map, size_t per_node) {
  size_t total = 256;
  for (NodeId id = 0; id < map.id_count(); ++id) {
    const Node& n = map.node(id);
    if (!n.alive) continue;
    total += per_node + n.text.size() + n.note().size() + n.link().size();
    for (const Attribute& a : n.attributes()) {
      total += a.name.size() + a.value.size() + 24;
    }
    for (const std::string& icon : n.icons()) total += icon.size() + 24;
  }
  return total + total / 8;  // room for escapes
}

bool IsXmlName(std::string_view name) {
  if (name.empty()) return false;
  char c = name.front();
  if ((c >= '0' && c <= '9') || c == '-' || c == '.') return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

}  // namespace mindcards::detail
