#include "formats/xml_util.h"

#include <fmt/format.h>

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

}  // namespace

SourcePos PosTracker::At(size_t offset) {
  if (offset > text_.size()) offset = text_.size();
  if (offset < offset_) {
    // Rare (errors, out-of-order queries): back up to the start of the line.
    size_t line_start = offset;
    while (line_start > 0 && text_[line_start - 1] != '\n') --line_start;
    uint32_t line = 1;
    const char* p = text_.data();
    const char* end = p + line_start;
    while ((p = static_cast<const char*>(std::memchr(p, '\n', end - p)))) {
      ++line;
      ++p;
    }
    offset_ = line_start;
    pos_ = {line, 1};
  }
  const char* s = text_.data();
  for (size_t i = offset_; i < offset; ++i) {
    char c = s[i];
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++pos_.column;
    }
  }
  offset_ = offset;
  return pos_;
}

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

Result<void> XmlDocument::Parse(std::string_view bytes, std::string_view root,
                                std::string_view what) {
  if (bytes.starts_with("\xFE\xFF") || bytes.starts_with("\xFF\xFE") ||
      (bytes.size() >= 2 && (bytes[0] == '\0' || bytes[1] == '\0'))) {
    return BadInput(
        "UTF-16 and UTF-32 are not supported; save the file as UTF-8", {1, 1});
  }
  bytes = StripBom(bytes);
  std::string encoding = DeclaredEncoding(bytes);
  if (encoding.empty() || encoding == "utf-8" || encoding == "utf8" ||
      encoding == "us-ascii" || encoding == "ascii") {
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
  constexpr unsigned kOptions = pugi::parse_cdata | pugi::parse_escapes |
                                pugi::parse_wconv_attribute | pugi::parse_eol;
  pugi::xml_parse_result result = doc_.load_buffer(
      text_.data(), text_.size(), kOptions, pugi::encoding_utf8);
  if (!result) {
    auto offset = static_cast<size_t>(std::max<ptrdiff_t>(result.offset, 0));
    std::string_view trimmed = Trim(text_);
    size_t content_end =
        static_cast<size_t>(trimmed.data() + trimmed.size() - text_.data());
    if (offset >= content_end && result.status != pugi::status_out_of_memory) {
      // Truncated input: name the innermost element still open.
      pugi::xml_node open;
      for (pugi::xml_node n = doc_.last_child(); n; n = n.last_child()) {
        if (n.type() == pugi::node_element) open = n;
      }
      if (open) {
        SourcePos opened = PosOf(open);
        return BadInput(fmt::format("unexpected end of input: <{}> opened at "
                                    "{}:{} is not closed",
                                    open.name(), opened.line, opened.column),
                        tracker_.At(text_.size()));
      }
      return BadInput("unexpected end of input", tracker_.At(text_.size()));
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

std::string_view ChildText(pugi::xml_node parent, const char* name) {
  return parent.child(name).child_value();
}

void AppendXmlAttr(std::string_view s, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    const char* rep = nullptr;
    switch (c) {
      case '&':
        rep = "&amp;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      case '"':
        rep = "&quot;";
        break;
      case '\n':
        rep = "&#10;";
        break;
      case '\t':
        rep = "&#9;";
        break;
      case '\r':
        rep = "&#13;";
        break;
      default:
        if (c >= 0x20) continue;
        rep = "";  // not representable in XML 1.0
    }
    out->append(s.data() + start, i - start);
    out->append(rep);
    start = i + 1;
  }
  out->append(s.data() + start, s.size() - start);
}

void AppendXmlText(std::string_view s, std::string* out) {
  size_t start = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    const char* rep = nullptr;
    switch (c) {
      case '&':
        rep = "&amp;";
        break;
      case '<':
        rep = "&lt;";
        break;
      case '>':
        rep = "&gt;";
        break;
      case '\n':
      case '\t':
      case '\r':
        continue;
      default:
        if (c >= 0x20) continue;
        rep = "";
    }
    out->append(s.data() + start, i - start);
    out->append(rep);
    start = i + 1;
  }
  out->append(s.data() + start, s.size() - start);
}

bool IsXmlName(std::string_view name) {
  if (name.empty()) return false;
  char c = name.front();
  if ((c >= '0' && c <= '9') || c == '-' || c == '.') return false;
  return std::all_of(name.begin(), name.end(), IsNameChar);
}

}  // namespace mindcards::detail
