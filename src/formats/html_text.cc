#include "formats/html_text.h"

#include "mindcards/text.h"

namespace mindcards::detail {

void AppendHtmlEntity(std::string_view e, std::string* out) {
  if (e.size() >= 4 && e[1] == '#') {
    bool hex = e[2] == 'x' || e[2] == 'X';
    char32_t cp = 0;
    for (size_t i = hex ? 3 : 2; i + 1 < e.size(); ++i) {
      char c = e[i];
      int d = c >= '0' && c <= '9'          ? c - '0'
              : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
              : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : -1;
      if (d < 0 || cp > 0x10FFFF) {
        cp = 0xFFFD;
        break;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<char32_t>(d);
    }
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    AppendUtf8(cp, out);
    return;
  }
  static constexpr struct {
    std::string_view name;
    char32_t cp;
  } kNamed[] = {{"&amp;", '&'},      {"&lt;", '<'},        {"&gt;", '>'},
                {"&quot;", '"'},     {"&apos;", '\''},     {"&nbsp;", 0xA0},
                {"&copy;", 0xA9},    {"&reg;", 0xAE},      {"&mdash;", 0x2014},
                {"&ndash;", 0x2013}, {"&hellip;", 0x2026}, {"&rarr;", 0x2192},
                {"&larr;", 0x2190},  {"&times;", 0xD7},    {"&deg;", 0xB0}};
  for (const auto& n : kNamed) {
    if (e == n.name) {
      AppendUtf8(n.cp, out);
      return;
    }
  }
  out->append(e);
}

namespace {

// The value of attribute `name` in a start tag, or "".
std::string_view AttributeValue(std::string_view tag, std::string_view name) {
  size_t at = 0;
  while ((at = tag.find(name, at)) != std::string_view::npos) {
    size_t p = at + name.size();
    bool boundary = at > 0 && (tag[at - 1] == ' ' || tag[at - 1] == '\t' ||
                               tag[at - 1] == '\n');
    if (boundary && p < tag.size() && tag[p] == '=' && p + 1 < tag.size()) {
      char q = tag[p + 1];
      if (q == '"' || q == '\'') {
        size_t end = tag.find(q, p + 2);
        if (end != std::string_view::npos)
          return tag.substr(p + 2, end - p - 2);
      }
    }
    at = p;
  }
  return {};
}

std::string DecodeEntities(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '&') {
      size_t semi = s.find(';', i);
      if (semi != std::string_view::npos && semi - i <= 32) {
        AppendHtmlEntity(s.substr(i, semi - i + 1), &out);
        i = semi;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

std::string HtmlToText(std::string_view html, std::string* link) {
  std::string out;
  out.reserve(html.size());
  size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      size_t end = html.find('>', i);
      if (end == std::string_view::npos) {
        out.append(DecodeEntities(html.substr(i)));
        break;
      }
      std::string_view tag = html.substr(i + 1, end - i - 1);
      std::string name =
          AsciiLower(tag.substr(0, tag.find_first_of(" \t\n/>")));
      if (tag.starts_with("/")) {
        std::string closing = AsciiLower(tag.substr(1));
        if (closing == "p" || closing == "li" || closing == "tr" ||
            closing == "pre" || closing == "div") {
          out.push_back('\n');
        }
      } else if (name == "br") {
        out.push_back('\n');
      } else if (link != nullptr && link->empty() &&
                 (name == "a" || name == "img")) {
        *link =
            DecodeEntities(AttributeValue(tag, name == "a" ? "href" : "src"));
        if (name == "img")
          out.append(DecodeEntities(AttributeValue(tag, "alt")));
      }
      i = end + 1;
      continue;
    }
    size_t next = html.find('<', i);
    if (next == std::string_view::npos) next = html.size();
    out.append(DecodeEntities(html.substr(i, next - i)));
    i = next;
  }
  return out;
}

}  // namespace mindcards::detail
