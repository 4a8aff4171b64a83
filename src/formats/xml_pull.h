// A streaming (pull) walk over the elements of an XML document in memory,
// for readers that need only a few elements and attributes of a large file
// and would otherwise pay for a whole DOM.
//
// It is a fast path, not a second XML parser of record: it accepts only
// input on which it agrees with XmlDocument (pugixml with the same options)
// and gives up on everything else: malformed markup, a DOCTYPE, entities
// other than the five predefined ones and plain character references, text
// outside the root element. A reader that sees kGiveUp reads the input
// again with XmlDocument, which then decides, and words any error.
#ifndef MINDCARDS_FORMATS_XML_PULL_H_
#define MINDCARDS_FORMATS_XML_PULL_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mindcards::detail {

// An attribute as written, before its value is decoded.
struct XmlRawAttribute {
  std::string_view name;
  std::string_view raw_value;  // between the quotes, escapes not decoded
  bool plain = true;  // no '&', tab, newline or carriage return: as written
};

// Decodes an attribute value the way pugixml does with parse_escapes,
// parse_eol and parse_wconv_attribute: the five predefined entities and
// character references (1 to U+10FFFF, no surrogates), tab, newline,
// carriage return and CR LF each as one space. `*value` is a view of the
// raw value itself when it is plain, else of `*scratch`. False (and
// `*value` untouched) for any other use of '&', where the two would not
// surely agree.
bool DecodeXmlAttribute(const XmlRawAttribute& attribute, std::string* scratch,
                        std::string_view* value);

class XmlPull {
 public:
  enum class Event {
    kStart,   // a start tag (or an empty-element tag, followed by kEnd)
    kEnd,     // the end of the element last started and not yet ended
    kDone,    // the root element closed and only comments, processing
              // instructions and white space followed
    kGiveUp,  // input this walk does not handle; see the file comment
  };

  // `text` must satisfy IsPlainUtf8Xml (xml_util.h) and outlive the walk.
  explicit XmlPull(std::string_view text) : text_(text) {}

  // Skips text, comments, CDATA sections and processing instructions up to
  // the next tag. After kGiveUp or kDone it keeps returning that.
  Event Next();

  // For kStart and kEnd: the element's name.
  std::string_view name() const { return name_; }
  // For kStart: its attributes in document order.
  const std::vector<XmlRawAttribute>& attributes() const { return attrs_; }
  // For kStart: offset of the tag's '<'. For kEnd: offset just past the
  // element's end ('>' of its end tag, or of an empty-element tag).
  size_t offset() const { return offset_; }
  // Number of elements open after the last event (the root is depth 1
  // while it is open).
  size_t depth() const { return open_.size(); }

 private:
  Event GiveUp() { return state_ = Event::kGiveUp; }
  Event StartTag(size_t lt);
  Event EndTag(size_t lt);
  // The name (pugixml's symbol characters) from `from` on; `*end` gets
  // the offset just past it.
  std::string_view NameAt(size_t from, size_t* end) const;
  // The first offset from `i` on that is not white space.
  size_t SkipSpace(size_t i) const;
  // Skips a comment, CDATA section or processing instruction at `lt`;
  // false when it is none of those or never ends.
  bool SkipMarkup(size_t lt);

  std::string_view text_;
  size_t pos_ = 0;
  Event state_ = Event::kStart;  // kDone or kGiveUp once finished
  bool root_seen_ = false;
  bool pending_end_ = false;  // an empty-element tag owes its kEnd
  std::string_view name_;
  size_t offset_ = 0;
  std::vector<XmlRawAttribute> attrs_;
  std::vector<std::string_view> open_;
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_XML_PULL_H_
