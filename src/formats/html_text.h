// Small helpers for the HTML fragments some formats embed (markmap's
// exported node content, entity references in Markdown).
#ifndef MINDCARDS_FORMATS_HTML_TEXT_H_
#define MINDCARDS_FORMATS_HTML_TEXT_H_

#include <string>
#include <string_view>

namespace mindcards::detail {

// Appends the character an entity reference ("&amp;", "&#35;", "&#x2212;")
// stands for. Numeric references and the common named ones are decoded;
// other names are appended as written; invalid code points become U+FFFD.
void AppendHtmlEntity(std::string_view entity, std::string* out);

// Plain text of an HTML fragment: tags dropped, <br> and block ends
// (</p>, </li>, </tr>, </pre>) as line breaks, entities decoded, the href
// of the first <a> (or the src of the first <img>) stored in `*link` when
// `link` is not null and still empty.
std::string HtmlToText(std::string_view html, std::string* link);

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_HTML_TEXT_H_
