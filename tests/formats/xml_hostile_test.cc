// Hostile and malformed input for the XML-based formats (OPML, .mm, XMind
// content.xml): each case gives a clear error with its position, never a
// crash or a hang. Detection runs as for a file of the given name.
#include <gtest/gtest.h>

#include <string>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

struct HostileCase {
  const char* name;
  const char* filename;
  const char* format;  // "auto" to detect
  std::string input;
  const char* error;
};

const char kBillionLaughs[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE lolz [\n"
    " <!ENTITY lol \"lol\">\n"
    " <!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
    "]>\n";

TEST(XmlHostileTest, ErrorsSayWhereAndWhy) {
  const HostileCase cases[] = {
      {"truncated opml", "t.opml", "auto",
       "<opml version=\"2.0\"><body>\n  <outline text=\"a\">\n"
       "    <outline text=\"b\"/>\n",
       "<input>:4:1: unexpected end of input: <outline> opened at 2:3 is not "
       "closed"},
      {"truncated inside a tag", "t.mm", "auto",
       "<map>\n<node TEXT=\"a\">\n<node TEXT=\"unfini",
       "<input>:3:19: unexpected end of input: <node> opened at 3:1 is not "
       "closed"},
      {"mismatched end tag", "m.mm", "auto",
       "<map>\n<node TEXT=\"a\">\n</nod>\n</map>\n",
       "<input>:3:1: </nod> does not close <node> (opened at 2:1)"},
      {"malformed attribute", "a.opml", "auto",
       "<opml><body>\n<outline text=a/></body></opml>",
       "<input>:2:15: malformed attribute (expected name=\"value\")"},
      {"invalid UTF-8", "u.opml", "auto",
       "<opml><body>\n<outline text=\"caf\xE9\"/></body></opml>",
       "<input>:2:19: invalid UTF-8 (byte 0xE9)"},
      {"billion laughs in opml", "b.opml", "auto",
       std::string(kBillionLaughs) +
           "<opml><body><outline text=\"&lol3;\"/></body></opml>\n",
       "<input>:2:1: DTD entity declarations are not supported"},
      {"billion laughs in mm", "b.mm", "mm",
       std::string(kBillionLaughs) + "<map><node TEXT=\"&lol3;\"/></map>\n",
       "<input>:2:1: DTD entity declarations are not supported"},
      {"html page named .opml", "page.opml", "auto",
       "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">"
       "<title>Notes</title></head>\n<body><p>hi</body></html>\n",
       "<input>:2:1: not an OPML file: this is an HTML page (root element "
       "<html>, expected <opml>)"},
      {"opml read as mm", "x", "mm",
       "<?xml version=\"1.0\"?>\n<opml><body/></opml>",
       "<input>:2:1: not a FreeMind/Freeplane map: this is an XML document "
       "(root element <opml>, expected <map>)"},
      {"mm read as xmind", "x", "xmind", "<map><node TEXT=\"a\"/></map>",
       "<input>:1:1: not an XMind content.xml: this is an XML document (root "
       "element <map>, expected <xmap-content>)"},
      {"text named .xmind", "notes.xmind", "auto", "just some text\n",
       "<input>:1:1: not an XMind file: expected a zip archive, a "
       "content.json or a content.xml"},
      {"text read as opml", "x", "opml", "just some text\n",
       "<input>:1:1: not an OPML file: expected XML with a <opml> root "
       "element"},
      {"empty input", "x", "opml", " \n",
       "<input>:1:1: empty input: expected an OPML file"},
      {"unknown encoding", "e.opml", "auto",
       "<?xml version=\"1.0\" encoding=\"EBCDIC-US\"?><opml/>",
       "<input>:1:1: unsupported encoding 'ebcdic-us' (mindcards reads "
       "UTF-8, ISO-8859-1 and windows-1252)"},
      {"utf-16", "w.opml", "opml", std::string("\xFF\xFE<\0o\0", 6),
       "<input>:1:1: UTF-16 and UTF-32 are not supported; save the file as "
       "UTF-8"},
      {"opml without body", "n.opml", "auto",
       "<opml version=\"2.0\">\n  <head/>\n</opml>",
       "<input>:1:1: OPML file has no <body>"},
  };
  for (const HostileCase& c : cases) {
    ReadOptions options;
    options.filename = c.filename;
    options.format = c.format;
    auto map = ReadMap(c.input, options);
    ASSERT_FALSE(map) << c.name;
    EXPECT_EQ(map.error().ToString(), c.error) << c.name;
  }
}

// Entities that pugixml leaves unexpanded without a DTD stay literal text:
// no expansion, no error.
TEST(XmlHostileTest, UndeclaredEntitiesStayLiteral) {
  ReadOptions options;
  options.format = "opml";
  auto map = ReadMap(
      "<opml><body><outline text=\"&lol; &amp;\"/></body></opml>", options);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->node(map->root()).text, "&lol; &");
}

// Character references can encode what UTF-8 cannot (surrogates, code
// points past U+10FFFF); they become U+FFFD where the text normaliser does
// not look (links, attribute values), and the control characters XML cannot
// write back are dropped from links.
TEST(XmlHostileTest, BadCharacterReferencesBecomeReplacementCharacters) {
  ReadOptions options;
  options.format = "opml";
  auto map = ReadMap(
      "<opml><body><outline text=\"t\" url=\"a&#1;&#xD800;b\" "
      "x=\"&#x110000;\"/></body></opml>",
      options);
  ASSERT_TRUE(map) << map.error().ToString();
  const Node& n = map->node(map->root());
  // pugixml encodes U+D800 in three bytes and U+110000 in four; each
  // malformed byte becomes one U+FFFD.
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(n.link(), "a" + r + r + r + "b");
  ASSERT_EQ(n.attributes().size(), 1u);
  EXPECT_EQ(n.attributes()[0].value, r + r + r + r);
}

// A megabyte-long text and a long single line of many elements: positions
// stay exact and reading stays linear.
TEST(XmlHostileTest, LongLinesKeepExactPositions) {
  std::string text(1 << 20, 'x');
  std::string input = "<map><node TEXT=\"" + text + "\">";
  for (int i = 0; i < 100'000; ++i) input += "<node TEXT=\"\xC3\xA9\"/>";
  input += "</node></map>";
  ReadOptions options;
  options.format = "mm";
  auto map = ReadMap(input, options);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->node(map->root()).text, text);
  NodeId last = map->node(map->root()).last_child;
  // The first child starts after "<map>" (5), "<node TEXT=\"" (12), the
  // text and "\">" (2); each child is 16 code points (é counts once).
  EXPECT_EQ(map->node(last).pos,
            (SourcePos{1, 1 + 5 + 12 + (1u << 20) + 2 + 99'999 * 16}));
}

}  // namespace
}  // namespace mindcards
