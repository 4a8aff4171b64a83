// The mm, opml and xmind maps of ../shared/corpus: each reads without
// error into the node count established independently (by
// tests/data/corpus_counts/count_xml_corpus.py), and survives a round trip
// through every writer the registry knows.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "mindcards/formats.h"
#include "test_util.h"

namespace mindcards {
namespace {

using testing::ListFiles;
using testing::ReadFileOrDie;
using testing::SharedDir;
using testing::SourceDir;

// file (relative to the corpus) -> node count, from a counts TSV.
std::map<std::string, size_t> ExpectedCounts(const std::string& kind) {
  std::map<std::string, size_t> counts;
  std::istringstream in(ReadFileOrDie(
      SourceDir() + "/tests/data/corpus_counts/" + kind + ".tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    counts[line.substr(0, tab)] = std::stoul(line.substr(tab + 1));
  }
  return counts;
}

Result<Map> ReadCorpusFile(const std::string& path, Diagnostics* d) {
  ReadOptions options;
  options.filename = path;
  return ReadMap(ReadFileOrDie(path), options, d);
}

class XmlCorpusTest : public ::testing::TestWithParam<const char*> {};

TEST_P(XmlCorpusTest, EveryMapReadsWithItsNodeCount) {
  MINDCARDS_REQUIRE_SHARED();
  const std::string kind = GetParam();
  const std::string corpus = SharedDir() + "/corpus/";
  std::map<std::string, size_t> expected = ExpectedCounts(kind);
  std::vector<std::string> files = ListFiles(corpus + kind, {""});
  ASSERT_FALSE(files.empty());
  // Every file has a count, and every count a file.
  EXPECT_EQ(files.size(), expected.size());
  for (const std::string& path : files) {
    std::string rel = path.substr(corpus.size());
    Diagnostics d;
    auto map = ReadCorpusFile(path, &d);
    ASSERT_TRUE(map) << rel << ": " << map.error().ToString();
    EXPECT_EQ(map->meta().source_format, kind) << rel;
    ASSERT_TRUE(expected.count(rel)) << rel << " has no expected count";
    EXPECT_EQ(map->size(), expected[rel]) << rel;
  }
}

// Whether `spec`'s writer carries node text at all (a layout harness
// format may carry only the shape).
bool CarriesText(const FormatSpec& spec) {
  Map probe;
  probe.AddChild(probe.AddRoot("root"), "child");
  auto text = spec.write(probe);
  if (!text) return false;
  ReadOptions options;
  options.format = spec.name;
  auto back = ReadMap(*text, options);
  return back && SameTree(probe, *back, false, nullptr);
}

// Same shape: the same depth at each step of a pre-order walk.
bool SameShape(const Map& a, const Map& b) {
  auto ia = a.PreOrder().begin();
  auto ib = b.PreOrder().begin();
  for (; ia != a.PreOrder().end() && ib != b.PreOrder().end(); ++ia, ++ib) {
    if (ia.depth() != ib.depth()) return false;
  }
  return ia == a.PreOrder().end() && ib == b.PreOrder().end();
}

// Whether `format`'s writer carries notes and links: probed with a tiny map
// rather than listed, so that formats added later are judged by what they
// do.
bool CarriesNotesAndLinks(const FormatSpec& spec) {
  Map probe;
  NodeId root = probe.AddRoot("root");
  NodeId child = probe.AddChild(root, "child");
  probe.node(child).set_note("a note");
  probe.node(child).set_link("https://example.org/");
  auto text = spec.write(probe);
  if (!text) return false;
  ReadOptions options;
  options.format = spec.name;
  auto back = ReadMap(*text, options);
  return back && SameTree(probe, *back, true, nullptr);
}

TEST_P(XmlCorpusTest, EveryMapRoundTripsThroughEveryWriter) {
  MINDCARDS_REQUIRE_SHARED();
  const std::string kind = GetParam();
  const std::string corpus = SharedDir() + "/corpus/";
  std::vector<std::string> files = ListFiles(corpus + kind, {""});
  for (const FormatSpec* spec : AllFormats()) {
    if (spec->write == nullptr || spec->read == nullptr) continue;
    const bool with_text = CarriesText(*spec);
    const bool with_notes = with_text && CarriesNotesAndLinks(*spec);
    if (std::string_view(spec->name) == "opml" ||
        std::string_view(spec->name) == "mm") {
      EXPECT_TRUE(with_notes) << spec->name << " must carry notes and links";
    }
    for (const std::string& path : files) {
      std::string rel = path.substr(corpus.size());
      auto map = ReadCorpusFile(path, nullptr);
      ASSERT_TRUE(map) << rel << ": " << map.error().ToString();
      auto text = WriteMap(*map, spec->name);
      ASSERT_TRUE(text) << rel << " -> " << spec->name << ": "
                        << text.error().ToString();
      ReadOptions options;
      options.format = spec->name;
      auto back = ReadMap(*text, options);
      ASSERT_TRUE(back) << rel << " -> " << spec->name << ": "
                        << back.error().ToString();
      if (!with_text) {
        EXPECT_TRUE(SameShape(*map, *back)) << rel << " -> " << spec->name;
        continue;
      }
      std::string why;
      EXPECT_TRUE(SameTree(*map, *back, with_notes, &why))
          << rel << " -> " << spec->name << ": " << why;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Kinds, XmlCorpusTest,
                         ::testing::Values("mm", "opml", "xmind"));

}  // namespace
}  // namespace mindcards
