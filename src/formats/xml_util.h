// Helpers shared by the XML-based formats (OPML, FreeMind .mm, XMind 8
// content.xml): decoding the declared encoding to UTF-8, parsing with
// pugixml under the import limits, turning byte offsets into line:column,
// and writing escaped XML.
#ifndef MINDCARDS_FORMATS_XML_UTIL_H_
#define MINDCARDS_FORMATS_XML_UTIL_H_

#include <cstddef>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "formats/pos_tracker.h"
#include "mindcards/error.h"
#include "mindcards/formats.h"
#include "mindcards/map.h"

namespace mindcards::detail {

// The name of the first element of an XML document, skipping a BOM, the
// XML declaration, comments, processing instructions and a DOCTYPE. Empty
// when `bytes` do not start like XML. `offset` (may be null) receives the
// offset of the '<' that opens the element.
std::string_view FirstElementName(std::string_view bytes,
                                  size_t* offset = nullptr);

// Sniff score for XML formats recognised by their root element: 90 when
// the first element is `root`, 1 when the input is other markup (so that a
// matching file extension still routes it to the reader, which then says
// clearly what is wrong), 0 otherwise.
int SniffXmlRoot(std::string_view bytes, std::string_view root);

// True when XmlDocument::Parse would take `bytes` as they are: declared
// UTF-8 or US-ASCII (or not declared), valid UTF-8, no byte-order mark, no
// UTF-16 signature and no NUL byte (which pugixml takes for the end of its
// buffer).
bool IsPlainUtf8Xml(std::string_view bytes);

// The options XmlDocument parses with.
inline constexpr unsigned kXmlParseOptions =
    pugi::parse_cdata | pugi::parse_escapes | pugi::parse_wconv_attribute |
    pugi::parse_eol;

// A parsed XML document whose text is UTF-8.
class XmlDocument {
 public:
  // Parses `bytes` as XML with root element `root` (`what` names the
  // expected kind of file in messages, e.g. "an OPML file"). Handles a UTF-8
  // BOM and the declared encoding (UTF-8, US-ASCII, ISO-8859-1 and
  // windows-1252, the latter two decoded as windows-1252 the way browsers do);
  // checks UTF-8; rejects DTD entity declarations, HTML pages and other root
  // elements; reports syntax errors with their line and column.
  [[nodiscard]] Result<void> Parse(std::string_view bytes,
                                   std::string_view root,
                                   std::string_view what);

  pugi::xml_node root() const { return root_; }
  // The UTF-8 text that was parsed (offsets refer to it).
  std::string_view text() const { return text_; }
  // Position of an element's '<' (unknown when pugixml has none).
  SourcePos PosOf(pugi::xml_node node);

 private:
  // pugixml parses in place, in this copy of text_ (in huge pages where
  // the kernel allows: a 60 MB file then faults 30 pages, not 15,000).
  std::vector<char, detail::LargeArrayAllocator<char>> buffer_;
  std::string converted_;  // the input re-encoded, when it was not UTF-8
  std::string_view text_;
  pugi::xml_document doc_;
  pugi::xml_node root_;
  PosTracker tracker_{{}};
};

// A link as found in a file, without the control characters (C0, DEL) that
// no URL contains and XML could not write back, and without surrounding
// white space.
std::string CleanLink(std::string_view link);
// `s` with each byte of a malformed UTF-8 sequence replaced by U+FFFD.
// Character references can smuggle such bytes (&#xD800;, &#x110000;) past the
// check of the input, into attribute values the text normaliser does not see.
std::string ValidUtf8(std::string_view s);

// Text of the first child element called `name` of `parent`, or "".
std::string_view ChildText(pugi::xml_node parent, const char* name);

// Appends `s` escaped for an XML attribute value in double quotes:
// & < > " and tab, newline and carriage return as character references.
// Characters XML 1.0 cannot carry (other C0 controls) are dropped.
void AppendXmlAttr(std::string_view s, std::string* out);
// Appends `s` escaped for XML character data (& < >).
void AppendXmlText(std::string_view s, std::string* out);
// Number of non-overlapping occurrences of `needle` in `text` (to reserve
// room for nodes before building a map).
size_t CountOccurrences(std::string_view text, std::string_view needle);
// A generous guess at the size of a map written as XML with
// `per_node` bytes of markup around each node, for std::string::reserve.
size_t EstimateXmlSize(const Map& map, size_t per_node);
// True when `name` can be written as an XML attribute name.
bool IsXmlName(std::string_view name);

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_XML_UTIL_H_
