// The .mm reader's streaming path against its DOM path: whenever the
// streaming path returns a map, the DOM path must return the same map
// (every node field, every id, the same warnings); inputs it must handle
// itself, and inputs it must leave to the DOM path.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/freemind.h"
#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "test_util.h"

namespace mindcards {
namespace {

// Every field of every node (dead ones too) and every warning, as text.
std::string Describe(const Map& map, const Diagnostics& diagnostics) {
  std::string out;
  for (NodeId id = 0; id < map.id_count(); ++id) {
    const Node& n = map.node(id);
    out += std::to_string(id) + " '" + n.text + "' @" +
           std::to_string(n.pos.line) + ":" + std::to_string(n.pos.column) +
           " p" + std::to_string(n.parent) + " f" +
           std::to_string(n.first_child) + " l" + std::to_string(n.last_child) +
           " n" + std::to_string(n.next_sibling) + " v" +
           std::to_string(n.prev_sibling) + (n.alive ? "" : " dead") +
           (n.folded ? " folded" : "") + " side" +
           std::to_string(static_cast<int>(n.side)) + " note '" + n.note() +
           "' link '" + n.link() + "'";
    for (const std::string& icon : n.icons()) out += " icon " + icon;
    for (const Attribute& a : n.attributes()) {
      out += " attr " + a.name + "=" + a.value;
    }
    out += "\n";
  }
  for (const Diagnostic& d : diagnostics.items()) {
    out += "warning " + std::to_string(d.pos.line) + ":" +
           std::to_string(d.pos.column) + " " + d.message + "\n";
  }
  return out;
}

enum class Path { kStreamed, kLeftToDom };

// Checks that the two paths agree on `xml` and says which one read it.
Path CheckAgree(const std::string& xml, const ReadLimits& limits = {}) {
  Diagnostics stream_diag;
  bool canonical = false;
  std::optional<Map> streamed =
      detail::ReadFreemindStreaming(xml, limits, &stream_diag, &canonical);
  if (!streamed) return Path::kLeftToDom;
  if (canonical) {
    // Then canonicalising changes nothing.
    Map copy = *streamed;
    EXPECT_TRUE(detail::CanonicalizeMapText(&copy, true).has_value()) << xml;
    EXPECT_EQ(Describe(copy, stream_diag), Describe(*streamed, stream_diag))
        << xml;
  }
  Diagnostics dom_diag;
  Result<Map> dom = detail::ReadFreemindWithDom(xml, limits, &dom_diag);
  EXPECT_TRUE(dom.has_value())
      << "the streaming path read what the DOM path rejects ("
      << dom.error().ToString() << "):\n"
      << xml;
  if (dom) {
    EXPECT_EQ(Describe(*streamed, stream_diag), Describe(*dom, dom_diag))
        << xml;
  }
  return Path::kStreamed;
}

constexpr const char* kRich =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!-- saved by Freeplane -->\n"
    "<map version=\"freeplane 1.9.13\">\r\n"
    "<attribute_registry SHOW_ATTRIBUTES=\"all\"/>\n"
    "<node TEXT=\"&#x5b59;&#23376; &amp; &lt;b&gt; &quot;q&quot; &apos;\" "
    "FOLDED='false' ID=\"ID_1\">\n"
    "<hook NAME=\"MapStyle\"><map_styles><stylenode TEXT=\"style\"/>"
    "</map_styles></hook>\n"
    "<font SIZE=\"12\"/><edge COLOR=\"#808080\"/>\n"
    "<node TEXT=\"Left\tand\r\nright\" POSITION=\"left\" FOLDED=\"true\" "
    "LINK=\" https://a.example/?a=1&amp;b=2 \">\n"
    "<icon BUILTIN=\"yes\"/><icon BUILTIN=\"idea\"/>\n"
    "<attribute NAME=\"anki:deck\" VALUE=\"Bio &amp; Chem\"/>\n"
    "<richcontent TYPE=\"NOTE\"><html><head><title>x</title></head><body>"
    "<p>first   paragraph</p>\n<p>second<br/>line &amp; more</p>"
    "</body></html></richcontent>\n"
    "<richcontent TYPE=\"DETAILS\"><html><body><p>details</p></body></html>"
    "</richcontent>\n"
    "<node LOCALIZED_TEXT=\"new_node\"/>\n"
    "<node><richcontent TYPE=\"NODE\"><html><body><p>rich <b>node</b></p>"
    "</body></html></richcontent></node>\n"
    "<!-- a comment <node TEXT=\"not a node\"/> -->\n"
    "<?freeplane instruction?>\n"
    "<node TEXT=\"cdata around\"><![CDATA[ <node TEXT=\"no\"/> ]]></node>\n"
    "</node>\n"
    "<node TEXT=\"Right\" POSITION=\"bottom_or_right\">"
    "<hook NAME=\"accessories/plugins/NodeNote.properties\">"
    "<text>old note</text></hook>\n"
    "<cloud><node TEXT=\"inside a cloud: ignored\"/></cloud>\n"
    "</node>\n"
    "</node>\n"
    "<node TEXT=\"second root\"/>\n"
    "</map>\n"
    "<!-- trailing comment -->\n";

TEST(FreemindStreamTest, ReadsEverythingTheDomPathReads) {
  EXPECT_EQ(CheckAgree(kRich), Path::kStreamed);
  EXPECT_EQ(CheckAgree("<map><node TEXT=\"a\"/></map>"), Path::kStreamed);
  EXPECT_EQ(CheckAgree("<map >\n<node\nTEXT = 'a' ></node ></map >"),
            Path::kStreamed);
}

TEST(FreemindStreamTest, LeavesWhatItDoesNotMirrorToTheDomPath) {
  const char* const kCases[] = {
      // malformed
      "<map><node TEXT=\"a\"></map>",
      "<map><node TEXT=\"a\"/>",
      "<map><node TEXT=\"a\"/></map",
      "<map><node TEXT=\"a\" TEXT/></map>",
      "<map><node TEXT=\"a\"FOLDED=\"true\"/></map>",
      "<map><node TEXT=\"a</map>",
      "<map><node TEXT=\"a<b\"/></map>",
      "<map><node TEXT=\"a\"/ ></map>",
      "<map><node TEXT=\"a\"/></map><map/>",
      "<map><node TEXT=\"a\"/></map>text",
      "text<map><node TEXT=\"a\"/></map>",
      "<map><node TEXT=\"a\"/><!-- open </map>",
      "<map><node TEXT=\"a\"/><! bad></map>",
      "<map><node TEXT=\"a\"/><?\?></map>",
      "<map><node TEXT=\"a\"/>< node/></map>",
      // what only the DOM path words or handles
      "",
      "<opml><body/></opml>",
      "<map/>",
      "<map><hook/></map>",
      "<!DOCTYPE map><map><node TEXT=\"a\"/></map>",
      "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
      "<map><node TEXT=\"\xE9\"/></map>",
      "<map><node TEXT=\"a&nbsp;b\"/></map>",
      "<map><node TEXT=\"a&#0;b\"/></map>",
      "<map><node TEXT=\"a&#xD800;b\"/></map>",
      "<map><node TEXT=\"a&#x110000;b\"/></map>",
      "<map><node TEXT=\"a&#X41;b\"/></map>",
      "<map><node TEXT=\"a&#65b\"/></map>",
      "<map><node TEXT=\"a\"><node TEXT=\"\"><hook NAME=\"SummaryNode\"/>"
      "<node TEXT=\"b\"/></node></node></map>",
  };
  for (const char* xml : kCases) {
    EXPECT_EQ(CheckAgree(xml), Path::kLeftToDom) << xml;
  }
  // A UTF-8 byte-order mark is stripped first, as the DOM path does.
  EXPECT_EQ(CheckAgree("\xEF\xBB\xBF<map><node TEXT=\"a\"/></map>"),
            Path::kStreamed);
  // A passed limit is left to the DOM path, which words it.
  ReadLimits limits;
  limits.max_depth = 1;
  EXPECT_EQ(CheckAgree("<map><node><node><node/></node></node></map>", limits),
            Path::kLeftToDom);
}

// Every cut and many one-byte changes of a map that uses most of the
// syntax: whatever the streaming path reads, the DOM path reads the same.
TEST(FreemindStreamTest, AgreesOnEveryTruncationAndManyMutations) {
  const std::string base = kRich;
  for (size_t n = 0; n <= base.size(); ++n) CheckAgree(base.substr(0, n));
  const char kBytes[] = "<>/&;\"'=!?-[] \t\r\nx#0";
  uint64_t state = 42;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  size_t streamed = 0;
  for (int i = 0; i < 4000; ++i) {
    std::string xml = base;
    for (int k = 0, edits = 1 + static_cast<int>(next(3)); k < edits; ++k) {
      size_t at = next(xml.size());
      char c = kBytes[next(sizeof kBytes - 1)];
      switch (next(3)) {
        case 0:
          xml[at] = c;
          break;
        case 1:
          xml.insert(at, 1, c);
          break;
        default:
          xml.erase(at, 1);
      }
    }
    streamed += CheckAgree(xml) == Path::kStreamed;
  }
  // Most one-byte changes land in text and still stream.
  EXPECT_GT(streamed, 1000u);
}

TEST(FreemindStreamTest, AgreesOnTheCorpus) {
  MINDCARDS_REQUIRE_SHARED();
  size_t streamed = 0;
  std::vector<std::string> files =
      testing::ListFiles(testing::SharedDir() + "/corpus", {".mm"});
  ASSERT_FALSE(files.empty());
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    streamed += CheckAgree(testing::ReadFileOrDie(path)) == Path::kStreamed;
  }
  EXPECT_GT(streamed, 0u);
}

}  // namespace
}  // namespace mindcards
