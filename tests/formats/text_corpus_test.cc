// The corpus against the text formats: every markmap and Mermaid map reads
// with the node count established independently (tests/data/corpus_counts),
// and every corpus map, whatever its format, survives a round trip through
// the Markdown, Mermaid and JSON writers.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>
#include <string>

#include "mindcards/formats.h"
#include "test_util.h"

namespace mindcards {
namespace {

using ::mindcards::testing::ListFiles;
using ::mindcards::testing::ReadFileOrDie;
using ::mindcards::testing::SharedDir;
using ::mindcards::testing::SourceDir;

std::string BaseName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

// file name -> expected node count, from a corpus_counts TSV.
std::map<std::string, size_t> LoadCounts(const std::string& name) {
  std::map<std::string, size_t> counts;
  std::istringstream in(
      ReadFileOrDie(SourceDir() + "/tests/data/corpus_counts/" + name));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t tab = line.find('\t');
    size_t tab2 = line.find('\t', tab + 1);
    counts[line.substr(0, tab)] =
        std::stoul(line.substr(tab + 1, tab2 - tab - 1));
  }
  return counts;
}

void CheckCounts(const std::string& dir, const std::string& tsv,
                 const std::vector<std::string>& suffixes) {
  auto counts = LoadCounts(tsv);
  auto files = ListFiles(SharedDir() + "/corpus/" + dir, suffixes);
  ASSERT_FALSE(files.empty());
  EXPECT_EQ(files.size(), counts.size()) << "files without a count in " << tsv;
  for (const std::string& path : files) {
    SCOPED_TRACE(path);
    auto it = counts.find(BaseName(path));
    ASSERT_NE(it, counts.end()) << "no expected count in " << tsv;
    ReadOptions options;
    options.filename = path;
    Diagnostics diagnostics;
    auto map = ReadMap(ReadFileOrDie(path), options, &diagnostics);
    ASSERT_TRUE(map) << map.error().ToString();
    EXPECT_EQ(map->size(), it->second);
  }
}

TEST(TextCorpusTest, MarkmapFilesHaveTheirCounts) {
  MINDCARDS_REQUIRE_SHARED();
  CheckCounts("markmap", "markmap.tsv", {".md", ".html"});
}

TEST(TextCorpusTest, MermaidFilesHaveTheirCounts) {
  MINDCARDS_REQUIRE_SHARED();
  CheckCounts("mermaid", "mermaid.tsv", {".mmd"});
}

TEST(TextCorpusTest, FormatsAreDetectedByContent) {
  MINDCARDS_REQUIRE_SHARED();
  struct Case {
    const char* dir;
    const char* suffix;
    const char* format;
  } cases[] = {{"markmap", ".md", "markdown"},
               {"markmap", ".html", "markmap-html"},
               {"mermaid", ".mmd", "mermaid"}};
  for (const Case& c : cases) {
    for (const std::string& path :
         ListFiles(SharedDir() + "/corpus/" + c.dir, {c.suffix})) {
      // No file name: content alone decides.
      auto format = DetectFormat(ReadFileOrDie(path), "");
      ASSERT_TRUE(format) << path << ": " << format.error().ToString();
      EXPECT_EQ(*format, c.format) << path;
    }
  }
}

// Every node field the model has, compared in pre-order.
bool SameEverything(const Map& a, const Map& b, std::string* why) {
  if (!SameTree(a, b, true, why)) return false;
  if (!(a.meta() == b.meta())) {
    *why = "meta differs";
    return false;
  }
  auto ia = a.PreOrder().begin();
  auto ib = b.PreOrder().begin();
  for (size_t i = 0; ia != a.PreOrder().end(); ++ia, ++ib, ++i) {
    const Node& x = a.node(*ia);
    const Node& y = b.node(*ib);
    if (x.icons() != y.icons() || x.attributes() != y.attributes() ||
        x.folded != y.folded || x.side != y.side) {
      *why = "node #" + std::to_string(i) + " (" + x.text +
             "): icons/attributes/folded/side differ";
      return false;
    }
  }
  return true;
}

class CorpusRoundTripTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CorpusRoundTripTest, ReadsBackTheSameTree) {
  MINDCARDS_REQUIRE_SHARED();
  const std::string format = GetParam();
  const bool with_notes = format != "mermaid";  // mermaid has no notes
  size_t checked = 0;
  std::vector<std::string> unread;
  for (const char* dir :
       {"mm", "opml", "xmind", "markmap", "mermaid", "flattext"}) {
    for (const std::string& path :
         ListFiles(SharedDir() + "/corpus/" + dir, {""})) {
      SCOPED_TRACE(path);
      ReadOptions options;
      options.filename = path;
      auto map = ReadMap(ReadFileOrDie(path), options);
      if (!map) {
        // Formats whose reader has not landed yet.
        unread.push_back(BaseName(path) + ": " + map.error().ToString());
        continue;
      }
      auto text = WriteMap(*map, format);
      ASSERT_TRUE(text) << text.error().ToString();
      ReadOptions back_options;
      back_options.format = format;
      auto back = ReadMap(*text, back_options);
      ASSERT_TRUE(back) << back.error().ToString();
      std::string why;
      if (format == "json") {
        EXPECT_TRUE(SameEverything(*map, *back, &why)) << why;
      } else {
        EXPECT_TRUE(SameTree(*map, *back, with_notes, &why)) << why;
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 10u);
  for (const std::string& u : unread) std::cout << "  not read: " << u << "\n";
}

INSTANTIATE_TEST_SUITE_P(TextWriters, CorpusRoundTripTest,
                         ::testing::Values("markdown", "mermaid", "json"));

}  // namespace
}  // namespace mindcards
