#include "formats/pagetext.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mindcards/formats.h"
#include "mindcards/pagetext.h"
#include "mindcards/text.h"
#include "test_util.h"

namespace mindcards {
namespace {

using testing::ReadFileOrDie;
using testing::SharedDir;
using testing::SourceDir;

Result<Map> ReadPage(const std::string& text) {
  ReadOptions options;
  options.format = "pagetext";
  return ReadMap(text, options);
}

std::string Outline(const Map& map) {
  auto text = WriteMap(map, "outline");
  return text ? *text : text.error().ToString();
}

Map ReadOutline(const std::string& text) {
  ReadOptions options;
  options.format = "outline";
  auto map = ReadMap(text, options);
  EXPECT_TRUE(map.has_value()) << map.error().ToString();
  return map ? std::move(*map) : Map();
}

// The node texts of a flattened page read with the default options, in
// pre-order, each followed by "|" (segmentation only).
std::string NodeTexts(const std::string& page) {
  auto map = ReadPageText(page, PageTextOptions{});
  EXPECT_TRUE(map.has_value()) << map.error().ToString();
  std::string out;
  if (map) {
    for (NodeId id : map->PreOrder()) out += map->node(id).text + "|";
  }
  return out;
}

TEST(PageTextTest, ParsesDates) {
  EXPECT_EQ(detail::ParseDate("15/04/2014", false), "2014-04-15");
  EXPECT_EQ(detail::ParseDate("06/30/2015", true), "2015-06-30");
  EXPECT_EQ(detail::ParseDate("28/04/2013", true), "2013-04-28");
  EXPECT_EQ(detail::ParseDate("03/02/2016", false), "2016-02-03");
  EXPECT_EQ(detail::ParseDate("03/02/2016", true), "2016-03-02");
  EXPECT_EQ(detail::ParseDate("07.11.2017", false), "2017-11-07");
  EXPECT_EQ(detail::ParseDate("2014-04-15", false), "2014-04-15");
  EXPECT_EQ(detail::ParseDate("13/13/2014", false), "");
  EXPECT_EQ(detail::ParseDate("yesterday", false), "");
}

struct HeaderCase {
  const char* line;
  const char* title;
  const char* author;
  const char* date;
  const char* language;
  const char* tags;  // joined with '|'
};

TEST(PageTextTest, ReadsTemplateHeadersInSixLanguages) {
  const HeaderCase cases[] = {
      {"A-Levels (Post-Stalin Thaw) Cold War Mapa Mental sobre Soviet motives "
       "for, and moves towards, Peaceful Coexistence, creado por jacksearle el "
       "15/04/2014.",
       "Soviet motives for, and moves towards, Peaceful Coexistence",
       "jacksearle", "2014-04-15", "es", "A-Levels|Post-Stalin Thaw|Cold War"},
      {"A level History Mind Map on The Cold War, created by amybjorck on "
       "06/30/2015.",
       "The Cold War", "amybjorck", "2015-06-30", "en", "A level History"},
      {"Histoire Lycée Carte mentale sur La Révolution, créé par marie.d le "
       "03/02/2016.",
       "La Révolution", "marie.d", "2016-02-03", "fr", "Histoire Lycée"},
      {"Geschichte - Abitur Mindmap zu Die Weimarer Republik, erstellt von "
       "lena_k am 07.11.2017.",
       "Die Weimarer Republik", "lena_k", "2017-11-07", "de",
       "Geschichte|Abitur"},
      {"Biologia Mapa Mental sobre A Célula, criado por joao em 05/06/2019.",
       "A Célula", "joao", "2019-06-05", "pt", "Biologia"},
      {"Storia Mappa Mentale su Il Risorgimento, creato da giulia il "
       "21/03/2018.",
       "Il Risorgimento", "giulia", "2018-03-21", "it", "Storia"},
  };
  for (const HeaderCase& c : cases) {
    std::string page = std::string(c.title) + "\nDescription\n" + c.line +
                       "\n" + c.title + "\nFirst idea\nSecond idea\n";
    auto map = ReadPage(page);
    ASSERT_TRUE(map.has_value()) << map.error().ToString();
    const MapMeta& m = map->meta();
    EXPECT_EQ(m.title, c.title);
    EXPECT_EQ(m.author, c.author);
    EXPECT_EQ(m.created, c.date);
    EXPECT_EQ(m.language, c.language);
    EXPECT_EQ(m.site, "goconqr");
    std::string tags;
    for (const std::string& t : m.tags) tags += (tags.empty() ? "" : "|") + t;
    EXPECT_EQ(tags, c.tags);
    EXPECT_EQ(Outline(*map),
              std::string(c.title) + "\n  First idea\n  Second idea\n");
  }
}

TEST(PageTextTest, DropsChromeAndKeepsNumberedTree) {
  auto map = ReadPage(
      "Topic\n\nMind Map by sam, updated 2 days ago\nCreated by sam about 1 "
      "year ago\n\nBio Mind Map on Topic, created by sam on 02/03/2020.\nsam\n"
      "310\n2\n\nResource summary\n\nTopic\n  1. A\n    1. A1\n      2. A2\n"
      "    2. B\n");
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  EXPECT_EQ(Outline(*map), "Topic\n  A\n    A1\n    A2\n  B\n");
  EXPECT_EQ(map->meta().author, "sam");
}

TEST(PageTextTest, ReadsDottedNumbersAndBullets) {
  auto dotted = ReadPage(
      "Map by Mind Map: Root\n\n1. A\n\n1.1. A1\n\n1.1.1. deep\n\n1.2. A2\n\n"
      "2. B\n");
  ASSERT_TRUE(dotted.has_value()) << dotted.error().ToString();
  EXPECT_EQ(Outline(*dotted), "Root\n  A\n    A1\n      deep\n    A2\n  B\n");
  EXPECT_EQ(dotted->meta().site, "mindmeister");
  auto bullets = ReadPage(
      "Root\n\nView mindmap\n  \xE2\x80\xA2 Root\n    \xE2\x80\xA2 A\n"
      "      \xE2\x80\xA2 A1\n    \xE2\x80\xA2 B\n\nComments\n\nNo comments "
      "have yet been made\n");
  ASSERT_TRUE(bullets.has_value()) << bullets.error().ToString();
  EXPECT_EQ(Outline(*bullets), "Root\n  A\n    A1\n  B\n");
  EXPECT_EQ(bullets->meta().site, "getrevising");
}

TEST(PageTextTest, MarkerAloneIsAnEmptyNode) {
  // A site prints the number or bullet of a node with no text.
  auto dotted = ReadPage("Root\n1. A\n1.1.\n1.1.1. deep\n1.2. A2\n2.\n");
  ASSERT_TRUE(dotted.has_value()) << dotted.error().ToString();
  EXPECT_EQ(Outline(*dotted),
            "Root\n  A\n    \\_\n      deep\n    A2\n  \\_\n");
  auto bullets = ReadPage(
      "Root\n  \xE2\x80\xA2 A\n    \xE2\x80\xA2\n      \xE2\x80\xA2 deep\n"
      "  \xE2\x80\xA2 B\n");
  ASSERT_TRUE(bullets.has_value()) << bullets.error().ToString();
  EXPECT_EQ(Outline(*bullets), "Root\n  A\n    \\_\n      deep\n  B\n");
  // Out of sequence, "1955." alone is the end of a wrapped line.
  for (const char* page :
       {"Root\n1. A treaty signed in\n1955.\n2. B\n",
        "Root\n1. A\n1.1. A treaty signed in\n1955.\n2. B\n"}) {
    auto text = ReadPage(page);
    ASSERT_TRUE(text.has_value()) << text.error().ToString();
    std::string outline = Outline(*text);
    EXPECT_NE(outline.find("A treaty signed in 1955.\n"), std::string::npos)
        << outline;
  }
}

TEST(PageTextTest, DeepRestartingNumbersAreReadWithoutBlowingUp) {
  // 100,000 nested "1." items, then "2." and a "7." alone (no "6." is
  // open: text). The search for a "k-1" looks at the innermost open items
  // only, so this stays linear (it was quadratic: 13 s for 200,000 lines).
  std::string page = "Root\n";
  for (int i = 0; i < 100000; ++i) page += "1. x\n";
  page += "2. y\n7.\n";
  auto map = ReadPage(page);
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  EXPECT_EQ(map->size(), 100002u);
  size_t deepest = 0;
  std::string last;
  for (auto it = map->PreOrder().begin(); it != map->PreOrder().end(); ++it) {
    deepest = std::max(deepest, it.depth());
    last = map->node(*it).text;
  }
  EXPECT_EQ(deepest, 100000u);
  EXPECT_EQ(last, "y 7.");
}

// Reads `page` on one thread and on two: the maps must be the same, with
// the same confidences.
void ExpectSameOnOneAndTwoThreads(const std::string& page) {
  PageTextOptions one, two;
  one.threads = 1;
  two.threads = 2;
  auto a = ReadPageText(page, one);
  auto b = ReadPageText(page, two);
  ASSERT_TRUE(a.has_value() && b.has_value());
  ASSERT_GT(a->size(), 65536u);
  EXPECT_EQ(Outline(*a), Outline(*b));
  ASSERT_EQ(a->size(), b->size());
  size_t differing = 0;
  for (NodeId id : a->PreOrder()) {
    differing += a->node(id).join_confidence != b->node(id).join_confidence ||
                 a->node(id).parent_confidence != b->node(id).parent_confidence;
  }
  EXPECT_EQ(differing, 0u);
}

TEST(PageTextTest, TwoThreadsReadTheSameMapAsOne) {
  // Large enough (over 64k lines and nodes) for the reader to split work.
  Map truth;
  NodeId root = truth.AddRoot("Causes and consequences");
  const char* texts[] = {
      "Key events of the decade",
      "After the treaty was signed the government reduced the army and "
      "moved resources to consumer industries",
      "however, the opposition argued that the cuts left the country exposed",
      "\u7a0b\u5e8f\u8ba1\u6570\u5668\u7684\u503c\u8bbe\u5b9a\u4e3a"
      "\u4efb\u610f\u5730\u5740",
      "Talks: failed",
  };
  NodeId parent = root;
  for (int i = 0; i < 90000; ++i) {
    NodeId id = truth.AddChild(i % 7 == 0 ? root : parent, texts[i % 5]);
    if (i % 3 == 0) parent = id;
  }
  std::string page = FlattenMap(truth, FlattenOptions{});
  ExpectSameOnOneAndTwoThreads(page);
  // The same lines with a blank line after every fifth: many small blocks,
  // which the threads share out whole.
  std::string blocks;
  size_t line = 0;
  for (char c : page) {
    blocks.push_back(c);
    if (c == '\n' && ++line % 5 == 0) blocks.push_back('\n');
  }
  ExpectSameOnOneAndTwoThreads(blocks);
  // Numbered and bulleted (the body's style is counted on two threads).
  for (FlattenStyle style :
       {FlattenStyle::kNumbered, FlattenStyle::kBulleted}) {
    FlattenOptions options;
    options.style = style;
    ExpectSameOnOneAndTwoThreads(FlattenMap(truth, options));
  }
}

// Lines that differ between two splits of one page: other bytes, indent
// or line number.
size_t DifferingLines(const std::vector<detail::PageLine>& one,
                      const std::vector<detail::PageLine>& two) {
  size_t differing = 0;
  for (size_t i = 0; i < one.size() && i < two.size(); ++i) {
    differing += one[i].text.data() != two[i].text.data() ||
                 one[i].text.size() != two[i].text.size() ||
                 one[i].indent != two[i].indent ||
                 one[i].number != two[i].number;
  }
  return differing;
}

TEST(PageTextTest, TwoThreadsSplitTheSameLinesAsOne) {
  // Over 4 MB (the size from which lines are split on two threads), with
  // every line ending the reader knows and indented lines.
  std::string page;
  const char* endings[] = {"\n", "\r\n", "\r", "\n\n"};
  for (int i = 0; page.size() < (size_t{5} << 20); ++i) {
    page += std::string(static_cast<size_t>(i % 3), ' ');
    page += "line " + std::to_string(i) + (i % 4 == 1 ? " \t" : "");
    page += endings[i % 4];
  }
  std::vector<detail::PageLine> one = detail::SplitPageLines(page, 1);
  std::vector<detail::PageLine> two = detail::SplitPageLines(page, 2);
  ASSERT_EQ(one.size(), two.size());
  EXPECT_EQ(one.back().number, one.size());
  EXPECT_EQ(DifferingLines(one, two), 0u);
  EXPECT_EQ(one[1].text, "line 1");
  EXPECT_EQ(one[1].indent, 1u);
}

TEST(PageTextTest, TwoThreadsSplitLinesUnlikeTheFirstOnesAsOne) {
  // The room for the lines is estimated from the first 64 KB: long lines
  // there and short ones after (an estimate far too short), and the
  // reverse (one far too long), must split as on one thread.
  for (bool long_first : {true, false}) {
    std::string page;
    for (int i = 0; page.size() < (size_t{65} << 10); ++i) {
      page += long_first ? std::string(2000, 'a' + i % 26) + "\n" : "\n";
    }
    for (int i = 0; page.size() < (size_t{5} << 20); ++i) {
      page += long_first ? "x\n" : std::string(500, 'a' + i % 26) + "\r\n";
    }
    std::vector<detail::PageLine> one = detail::SplitPageLines(page, 1);
    std::vector<detail::PageLine> two = detail::SplitPageLines(page, 2);
    ASSERT_EQ(one.size(), two.size());
    EXPECT_EQ(one.back().number, one.size());
    EXPECT_EQ(DifferingLines(one, two), 0u);
  }
}

TEST(PageTextTest, NumberedListWithoutTitleHasAnEmptyRoot) {
  // Sites number the root's children, never the root.
  auto map = ReadPage("1. Links\n1.1. Home\n2. Tools\n");
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  EXPECT_EQ(Outline(*map), "\\_\n  Links\n    Home\n  Tools\n");
}

TEST(PageTextTest, FlattenerPrintsMarkersOfEmptyNodes) {
  Map truth = ReadOutline("Root\n  A\n    \\_\n      deep\n  B\n");
  FlattenOptions numbered;
  numbered.style = FlattenStyle::kNumbered;
  EXPECT_EQ(FlattenMap(truth, numbered),
            "Root\n1. A\n1.1.\n1.1.1. deep\n2. B\n");
  FlattenOptions bulleted;
  bulleted.style = FlattenStyle::kBulleted;
  EXPECT_EQ(FlattenMap(truth, bulleted),
            "\xE2\x80\xA2 Root\n  \xE2\x80\xA2 A\n    \xE2\x80\xA2\n"
            "      \xE2\x80\xA2 deep\n  \xE2\x80\xA2 B\n");
  // A wrapped page shows nothing for an empty box.
  EXPECT_EQ(FlattenMap(truth, FlattenOptions{}), "Root\nA\ndeep\nB\n");
}

TEST(PageTextTest, SniffsPageTextButLeavesOutlinesAlone) {
  EXPECT_EQ(*DetectFormat("root\n  child\n    grandchild\n", ""), "outline");
  EXPECT_EQ(*DetectFormat("Title\nfirst line of a node\nsecond node\n", ""),
            "pagetext");
  std::string seed =
      ReadFileOrDie(SourceDir() + "/examples/peaceful-coexistence.txt");
  EXPECT_EQ(*DetectFormat(seed, "peaceful-coexistence.txt"), "pagetext");
  EXPECT_EQ(detail::PageTextFormat().sniff("<html><body>x</body></html>"), 0);
}

TEST(PageTextTest, RejectsBadInputWithPosition) {
  auto bad = ReadPage("Title\nok line\nbad \xFF byte\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().pos.line, 3u);
  EXPECT_EQ(bad.error().pos.column, 5u);
  auto nul = ReadPage(std::string("Title\nab\0cd\n", 12));
  ASSERT_FALSE(nul.has_value());
  EXPECT_EQ(nul.error().ToString(),
            "<input>:2:3: NUL byte: this is binary data, not page text");
  auto empty = ReadPage("\n\n  \n");
  ASSERT_FALSE(empty.has_value());
  EXPECT_EQ(empty.error().message, "no nodes: the input has no text");
}

TEST(PageTextTest, RejectsBadBytesInEitherHalfOfALargePage) {
  // Over 4 MB, where the bytes are checked on two threads: a bad byte in
  // the first or the second half is reported where it is, on both counts.
  std::string page;
  size_t lines = 0;
  while (page.size() < (size_t{6} << 20)) {
    page += "a line of page text\n";
    ++lines;
  }
  for (size_t line : {lines / 4, lines * 3 / 4}) {
    for (char bad : {'\xFF', '\0'}) {
      std::string text = page;
      text[(line - 1) * 20 + 2] = bad;
      PageTextOptions one, two;
      one.threads = 1;
      two.threads = 2;
      auto a = ReadPageText(text, one);
      auto b = ReadPageText(text, two);
      ASSERT_FALSE(a.has_value() || b.has_value());
      EXPECT_EQ(b.error().pos.line, line);
      EXPECT_EQ(b.error().pos.column, 3u);
      EXPECT_EQ(a.error().ToString(), b.error().ToString());
    }
  }
}

TEST(PageTextTest, SurvivesHugeLinesAndJunk) {
  // A line of four million letters (a width past INT_MAX, capped): read,
  // with none of its letters lost.
  std::string huge(4 << 20, 'a');
  auto one = ReadPage("Title\n" + huge + "\n");
  ASSERT_TRUE(one.has_value());
  size_t letters = 0;
  for (NodeId id : one->PreOrder()) {
    const std::string& text = one->node(id).text;
    letters += static_cast<size_t>(std::count(text.begin(), text.end(), 'a'));
  }
  EXPECT_EQ(letters, huge.size());
  std::string junk;
  uint32_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 1103515245 + 12345;
    char c = static_cast<char>(0x20 + (x >> 16) % 95);
    junk.push_back((x >> 8) % 13 == 0 ? '\n' : c);
  }
  auto sane = ReadPage(junk);
  ASSERT_TRUE(sane.has_value()) << sane.error().ToString();
  EXPECT_GE(sane->size(), 1u);
}

TEST(PageTextTest, WidthsOfHugeLinesAreCapped) {
  // Four million letters are wider than an int holds in thousandths of an
  // em: the width stops at kMaxTextWidth (wider than any box) instead.
  std::string huge(4 << 20, 'W');
  EXPECT_EQ(detail::TextWidth(huge), detail::kMaxTextWidth);
  EXPECT_EQ(detail::FirstWordWidth(huge), detail::kMaxTextWidth);
  std::string some(1000, 'W');
  EXPECT_EQ(detail::TextWidth(some), 1000 * detail::TextWidth("W"));
  EXPECT_EQ(detail::FirstWordWidth(some + " x"), detail::TextWidth(some));
}

TEST(PageTextTest, PageNamesAreWordsCapitalisedInsideSentences) {
  std::string page =
      "After the death of Stalin, the new leaders\n"
      "The treaty was signed by Molotov in Vienna.\n"
      "Consequently relations improved\n"
      "\xd0\xbf\xd0\xbe\xd1\x81\xd0\xbb\xd0\xb5 "  // после
      "\xd0\xa1\xd1\x82\xd0\xb0\xd0\xbb\xd0\xb8\xd0\xbd\xd0\xb0\n";  // Сталина
  std::vector<detail::PageLine> lines = detail::SplitPageLines(page);
  detail::PageNames names(lines, 0, lines.size());
  // Written after a lower-case letter inside a line: names.
  EXPECT_TRUE(names.OpensWithName("Stalin tried to"));
  EXPECT_TRUE(names.OpensWithName("Molotov, who"));
  EXPECT_TRUE(names.OpensWithName("Vienna"));
  EXPECT_TRUE(names.OpensWithName(
      "\xd0\xa1\xd1\x82\xd0\xb0\xd0\xbb\xd0\xb8\xd0\xbd\xd0\xb0 "
      "x"));
  // Capitals that only open a line, or another word: not names.
  EXPECT_FALSE(names.OpensWithName("The treaty"));
  EXPECT_FALSE(names.OpensWithName("Consequently, it"));
  EXPECT_FALSE(names.OpensWithName("After"));
  EXPECT_FALSE(names.OpensWithName("Stalinist policy"));
  detail::PageNames none(lines, 0, 0);
  EXPECT_FALSE(none.OpensWithName("Stalin tried to"));
  // Only the first 4 MB are read for names (a page of huge lines costs no
  // more): a name first written after them is not one.
  std::string huge =
      "words of Vienna " + std::string(5 << 20, 'x') + " after Molotov\n";
  std::vector<detail::PageLine> huge_lines = detail::SplitPageLines(huge);
  detail::PageNames early(huge_lines, 0, huge_lines.size());
  EXPECT_TRUE(early.OpensWithName("Vienna"));
  EXPECT_FALSE(early.OpensWithName("Molotov"));
}

// Acceptance 2: the seed against the tree read by a history student.
TEST(PageTextTest, RebuildsTheSeed) {
  auto map = ReadPage(
      ReadFileOrDie(SourceDir() + "/examples/peaceful-coexistence.txt"));
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  Map truth = ReadOutline(ReadFileOrDie(
      SourceDir() + "/tests/data/peaceful-coexistence.expected.outline"));
  RebuildScore score = ScoreRebuild(truth, *map);
  EXPECT_GE(score.f1, 0.97);
  EXPECT_GE(score.parent_accuracy, 0.85);
  EXPECT_EQ(map->node(map->root()).text,
            "Soviet motives for, and moves towards, Peaceful Coexistence");
}

TEST(PageTextTest, ScoresRebuilds) {
  Map truth = ReadOutline("r\n  a\n    b\n  c\n");
  Map same = ReadOutline("r\n  a\n    b\n  c\n");
  Map flat = ReadOutline("r\n  a\n  b\n  c\n");
  Map split = ReadOutline("r\n  a\n    b\n  c\n  d\n");
  EXPECT_EQ(ScoreRebuild(truth, same).f1, 1.0);
  EXPECT_EQ(ScoreRebuild(truth, same).parent_accuracy, 1.0);
  EXPECT_DOUBLE_EQ(ScoreRebuild(truth, flat).parent_accuracy, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(ScoreRebuild(truth, split).f1, 8.0 / 9.0);
}

// An empty node is on no page: segmentation counts the nodes with text,
// parent accuracy and f1_all_nodes count every node.
TEST(PageTextTest, ScoresEmptyNodesApart) {
  Map truth = ReadOutline("r\n  a\n  \\_\n    b\n");
  ASSERT_EQ(truth.size(), 4u);
  Map rebuilt = ReadOutline("r\n  a\n  b\n");
  RebuildScore score = ScoreRebuild(truth, rebuilt);
  EXPECT_EQ(score.true_segments, 3u);
  EXPECT_DOUBLE_EQ(score.f1, 1.0);
  EXPECT_DOUBLE_EQ(score.f1_all_nodes, 6.0 / 7.0);
  EXPECT_DOUBLE_EQ(score.parent_accuracy, 1.0 / 3.0);
  // Empty nodes on both sides match like any other text.
  EXPECT_DOUBLE_EQ(ScoreRebuild(truth, truth).f1_all_nodes, 1.0);
  EXPECT_DOUBLE_EQ(ScoreRebuild(truth, truth).f1, 1.0);
  // A rebuilt empty node the truth lacks counts against neither.
  Map extra = ReadOutline("r\n  a\n  \\_\n  b\n");
  EXPECT_DOUBLE_EQ(ScoreRebuild(rebuilt, extra).f1, 1.0);
  EXPECT_DOUBLE_EQ(ScoreRebuild(rebuilt, extra).f1_all_nodes, 6.0 / 7.0);
}

TEST(PageTextTest, OwnPagesInOtherLanguages) {
  std::string dir = SourceDir() + "/tests/data/pagetext/";
  auto fr = ReadPage(ReadFileOrDie(dir + "goconqr-fr-revolution.txt"));
  ASSERT_TRUE(fr.has_value()) << fr.error().ToString();
  EXPECT_EQ(Outline(*fr),
            ReadFileOrDie(dir + "goconqr-fr-revolution.expected.outline"));
  EXPECT_EQ(fr->meta().language, "fr");
  auto de = ReadPage(ReadFileOrDie(dir + "goconqr-de-weimar.txt"));
  ASSERT_TRUE(de.has_value()) << de.error().ToString();
  EXPECT_EQ(de->meta().language, "de");
  EXPECT_EQ(de->meta().created, "2017-11-07");
  EXPECT_EQ(de->node(de->root()).text, "Die Weimarer Republik");
}

// Acceptance 3: numbered and bulleted pages of the corpus give their trees.
TEST(PageTextTest, CorpusStructuredPagesGiveTheirTrees) {
  MINDCARDS_REQUIRE_SHARED();
  for (const char* name :
       {"getrevising-soviet-attitudes-1945", "goconqr-3012725-the-cold-war",
        "goconqr-59963-ussr-defeat-germany",
        "mindmeister-1310834547-the-cold-war"}) {
    auto map = ReadPage(
        ReadFileOrDie(SharedDir() + "/corpus/flattext/" + name + ".txt"));
    ASSERT_TRUE(map.has_value()) << name << ": " << map.error().ToString();
    EXPECT_EQ(Outline(*map),
              ReadFileOrDie(SourceDir() + "/tests/data/pagetext/" + name +
                            ".expected.outline"))
        << name;
  }
}

// The harness logic over the corpus (bench/pagetext_eval.cc prints it).
TEST(PageTextTest, HarnessOverCorpus) {
  MINDCARDS_REQUIRE_SHARED();
  std::vector<std::string> files;
  for (const char* dir : {"mm", "opml", "xmind", "mermaid"}) {
    for (const std::string& f :
         testing::ListFiles(SharedDir() + "/corpus/" + dir, {""})) {
      files.push_back(f);
    }
  }
  double f1[3] = {}, parent[3] = {};
  size_t maps = 0;
  for (size_t i = 0; i < files.size(); ++i) {
    ReadOptions options;
    options.filename = files[i];
    auto truth = ReadMap(ReadFileOrDie(files[i]), options);
    if (!truth || truth->size() < 2) continue;
    ++maps;
    for (int s = 0; s < 3; ++s) {
      FlattenOptions flatten;
      flatten.style = static_cast<FlattenStyle>(s);
      flatten.seed = 1000 + i;
      auto rebuilt = ReadPage(FlattenMap(*truth, flatten));
      ASSERT_TRUE(rebuilt.has_value()) << files[i];
      RebuildScore score = ScoreRebuild(*truth, *rebuilt);
      f1[s] += score.f1;
      parent[s] += score.parent_accuracy;
    }
  }
  ASSERT_GT(maps, 0u);
  // Explicit structure: exact (empty nodes keep their marker). The wrapped
  // variant is inferred; these bounds guard what holds today (see
  // docs/benchmarks.md for the full harness, which reads more maps).
  EXPECT_EQ(f1[1] / maps, 1.0);
  EXPECT_EQ(parent[1] / maps, 1.0);
  EXPECT_EQ(f1[2] / maps, 1.0);
  EXPECT_EQ(parent[2] / maps, 1.0);
  EXPECT_GE(f1[0] / maps, 0.8);
  EXPECT_GE(parent[0] / maps, 0.28);
}

TEST(PageTextTest, ShortLabelsThatFitTheNarrowestBoxAreNeverJoined) {
  // Each line plus a space plus the next word fits in a 150 px box at
  // 14 px, so no greedy wrapper broke there: one node per line, whatever
  // case and function words suggest.
  std::string text =
      "Fruit\napple of\nthe\nbanana and\ncherry\n\u6c34\n\u706b\n";
  auto map = ReadPageText(text, PageTextOptions{});
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  // Segmentation only: the node texts in pre-order.
  std::string texts;
  for (NodeId id : map->PreOrder()) texts += map->node(id).text + "|";
  EXPECT_EQ(texts, "Fruit|apple of|the|banana and|cherry|\u6c34|\u706b|");
  // With boxes allowed down to 20 px the same breaks may be wraps.
  PageTextOptions narrow;
  narrow.min_box_px = 20;
  auto joined = ReadPageText(text, narrow);
  ASSERT_TRUE(joined.has_value());
  EXPECT_LT(joined->size(), map->size());
}

TEST(PageTextTest, JoinsCjkLinesAtParticlesAndFullWidthCommas) {
  // Twelve ideographs fill a box of 12-13 em; the next line continues the
  // node when the line ends with a particle (的) or the next one opens
  // with a full-width comma, which no node begins with.
  std::string text =
      "\u6838\u5fc3\n"
      "\u7a0b\u5e8f\u8ba1\u6570\u5668\u7684\u503c\u8bbe\u5b9a\u4e3a"
      "\u4efb\u610f\u7684\n\u5730\u5740\n"
      "\u5bc4\u5b58\u5668\u4e0e\u5185\u5b58\u4e4b\u95f4\u6570\u636e"
      "\u4f20\u9001\u548c\u8bfb\n\uff0c\u5199\u64cd\u4f5c\n";
  auto map = ReadPageText(text, PageTextOptions{});
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  std::string texts;
  for (NodeId id : map->PreOrder()) texts += map->node(id).text + "|";
  EXPECT_EQ(texts,
            "\u6838\u5fc3|"
            "\u7a0b\u5e8f\u8ba1\u6570\u5668\u7684\u503c\u8bbe\u5b9a\u4e3a"
            "\u4efb\u610f\u7684\u5730\u5740|"
            "\u5bc4\u5b58\u5668\u4e0e\u5185\u5b58\u4e4b\u95f4\u6570\u636e"
            "\u4f20\u9001\u548c\u8bfb\uff0c\u5199\u64cd\u4f5c|");
}

TEST(PageTextTest, CountsCjkLetterPairsAtBreaksInsideLines) {
  // Breaks: 等价|物 (the page writes 价物 twice inside lines), 式|负 (never),
  // 物|a (not two wide letters), 债|。 (punctuation is no letter).
  std::string page =
      "\u73b0\u91d1\u7b49\u4ef7\u7269\n"
      "\u8d44\u4ea7\u7b49\u4ef7\n"
      "\u7269\u7684\u5f62\u5f0f\n"
      "\u8d1f\u503a\u4ef7\u7269\n"
      "abc\n";
  std::vector<detail::PageLine> lines = detail::SplitPageLines(page);
  ASSERT_EQ(lines.size(), 5u);
  detail::CjkBreakPairs pairs(lines, 0, lines.size());
  EXPECT_TRUE(pairs.Active());
  EXPECT_EQ(pairs.Count(lines[1].text, lines[2].text), 2);
  EXPECT_EQ(pairs.Count(lines[2].text, lines[3].text), 0);
  EXPECT_EQ(pairs.Count(lines[3].text, lines[4].text), -1);
  EXPECT_EQ(pairs.Count("\u8d1f\u503a", "\u3002"), -1);
  EXPECT_EQ(pairs.JoinEvidence(lines[2].text, lines[3].text), 0.0);
  EXPECT_GT(pairs.JoinEvidence(lines[1].text, lines[2].text), 0.0);
  // A body of spaced text has no pair to count.
  std::vector<detail::PageLine> latin = detail::SplitPageLines("a b\nc d\n");
  detail::CjkBreakPairs none(latin, 0, 2);
  EXPECT_EQ(none.Count("a b", "c d"), -1);
  EXPECT_FALSE(none.Active());
  EXPECT_EQ(none.JoinEvidence("a b", "c d"), 0.0);
}

TEST(PageTextTest, CountsCjkLetterPairsTheSameOnTwoThreads) {
  // Over 64k lines, so that the lines are counted in two halves.
  std::string page;
  const char* texts[] = {"\u6536\u96c6\u5668", "\u5783\u573e\u6536", "\u96c6",
                         "\u5806\u5185\u5b58", "Heap"};
  for (int i = 0; i < 70000; ++i) page += std::string(texts[i % 5]) + "\n";
  std::vector<detail::PageLine> lines = detail::SplitPageLines(page);
  detail::CjkBreakPairs one(lines, 0, lines.size(), 1);
  detail::CjkBreakPairs two(lines, 0, lines.size(), 2);
  // 收|集: 收集 is written inside every fifth line.
  EXPECT_EQ(one.Count(lines[1].text, lines[2].text), 14000);
  size_t differing = 0;
  for (size_t k = 0; k + 1 < lines.size(); ++k) {
    differing += one.Count(lines[k].text, lines[k + 1].text) !=
                 two.Count(lines[k].text, lines[k + 1].text);
  }
  EXPECT_EQ(differing, 0u);
}

TEST(PageTextTest, JoinsCjkLinesWhoseBreakCutsAWordOfThePage) {
  // "可以转为或现金或者现金等价" (13 em) / "物的形式": the first line is full
  // for a box of 13-14 em, but a node may as well end there; geometry and
  // punctuation cannot tell. The page writes 价物 inside a line ("现金等价物",
  // a label of its own), so the break cuts a word: one node.
  std::string wrap =
      "\u53ef\u4ee5\u8f6c\u4e3a\u6216\u73b0\u91d1\u6216\u8005\u73b0"
      "\u91d1\u7b49\u4ef7\n\u7269\u7684\u5f62\u5f0f\n";
  EXPECT_EQ(
      NodeTexts("\u8d44\u4ea7\n" + wrap + "\u73b0\u91d1\u7b49\u4ef7\u7269\n"),
      "\u8d44\u4ea7|"
      "\u53ef\u4ee5\u8f6c\u4e3a\u6216\u73b0\u91d1\u6216\u8005\u73b0"
      "\u91d1\u7b49\u4ef7\u7269\u7684\u5f62\u5f0f|"
      "\u73b0\u91d1\u7b49\u4ef7\u7269|");
  // Without the word elsewhere on the page the break stays a node end.
  EXPECT_EQ(NodeTexts("\u8d44\u4ea7\n" + wrap + "\u73b0\u91d1\n"),
            "\u8d44\u4ea7|"
            "\u53ef\u4ee5\u8f6c\u4e3a\u6216\u73b0\u91d1\u6216\u8005\u73b0"
            "\u91d1\u7b49\u4ef7|\u7269\u7684\u5f62\u5f0f|\u73b0\u91d1|");
}

TEST(PageTextTest, FullWidthAndAsciiParenthesesCloseEachOther) {
  // "（Application Class Loader)": opened full-width, closed in ASCII, as
  // Chinese input methods mix them. The line has no open bracket left, so
  // nothing holds the short label "要求" to it.
  std::string page =
      "\u7c7b\u52a0\u8f7d\u5668\n"
      "\u5e94\u7528\u7a0b\u5e8f\u7c7b\u52a0\u8f7d\u5668"
      "\uff08Application Class Loader)\n"
      "\u8981\u6c42\n";
  EXPECT_EQ(NodeTexts(page),
            "\u7c7b\u52a0\u8f7d\u5668|"
            "\u5e94\u7528\u7a0b\u5e8f\u7c7b\u52a0\u8f7d\u5668"
            "\uff08Application Class Loader)|\u8981\u6c42|");
  // Still open: the next line continues the node.
  auto open = ReadPageText(
      "\u7c7b\u52a0\u8f7d\u5668\n"
      "\u5e94\u7528\u7a0b\u5e8f\u7c7b\u52a0\u8f7d\u5668"
      "\uff08Application Class Loader\n\u8981\u6c42)\n",
      PageTextOptions{});
  ASSERT_TRUE(open.has_value());
  EXPECT_EQ(open->size(), 2u);
}

TEST(PageTextTest, CjkLinesOpeningAlikeAreItemsOfOneList) {
  // A full line (15 em) ending with the particle 的 would take the next
  // line in, but the next line opens with the same two letters: a sibling
  // item ("更新节点的..." / "更新节点的..."), not the rest of the node.
  EXPECT_EQ(NodeTexts("\u8282\u70b9\n\u66f4\u65b0\u8282\u70b9\u7684\u80cc\u666f"
                      "\u989c\u8272\u8bbe\u5b9a\u4e3a\u9ed8\u8ba4\u7684\n\u66f4"
                      "\u65b0\u8282\u70b9\u7684\u6807\u51c6\u989c\u8272\n"),
            "\u8282\u70b9|"
            "\u66f4\u65b0\u8282\u70b9\u7684\u80cc\u666f\u989c\u8272\u8bbe\u5b9a"
            "\u4e3a\u9ed8\u8ba4\u7684|"
            "\u66f4\u65b0\u8282\u70b9\u7684\u6807\u51c6\u989c\u8272|");
  // Opened otherwise, the same line continues the node.
  EXPECT_EQ(NodeTexts("\u8282\u70b9\n\u66f4\u65b0\u8282\u70b9\u7684\u80cc\u666f"
                      "\u989c\u8272\u8bbe\u5b9a\u4e3a\u9ed8\u8ba4\u7684\n\u6807"
                      "\u51c6\u989c\u8272\u7684\u66f4\u65b0\u8282\u70b9\n"),
            "\u8282\u70b9|"
            "\u66f4\u65b0\u8282\u70b9\u7684\u80cc\u666f\u989c\u8272\u8bbe\u5b9a"
            "\u4e3a\u9ed8\u8ba4\u7684\u6807\u51c6\u989c\u8272\u7684\u66f4\u65b0"
            "\u8282\u70b9|");
}

TEST(PageTextTest, CjkLineEndingWithAFunctionWordContinues) {
  // "检查变量与赋值之间的数据类型是否" (16 em) / "能够匹配": a node may end
  // after a full line, and the page writes the pair 否能 nowhere else; but no
  // phrase ends with 是否 (whether): the line was wrapped.
  const std::string head =
      "\u7ebf\u7a0b\n\u68c0\u67e5\u53d8\u91cf\u4e0e\u8d4b\u503c\u4e4b\u95f4"
      "\u7684\u6570\u636e\u7c7b\u578b";
  EXPECT_EQ(NodeTexts(head + "\u662f\u5426\n\u80fd\u591f\u5339\u914d\n"),
            "\u7ebf\u7a0b|\u68c0\u67e5\u53d8\u91cf\u4e0e\u8d4b\u503c\u4e4b"
            "\u95f4\u7684\u6570\u636e\u7c7b\u578b\u662f\u5426\u80fd\u591f"
            "\u5339\u914d|");
  // So with an adverb (立即, at once) after a clause.
  EXPECT_EQ(
      NodeTexts("\u5185\u5b58\n\u65b0\u503c\u80fd\u7acb\u5373\u540c\u6b65"
                "\u5230\u4e3b\u5185\u5b58\uff0c\u4ee5\u53ca\u6bcf\u6b21\u4f7f"
                "\u7528\u524d\u7acb\u5373\n\u4ece\u4e3b\u5185\u5b58\u5237"
                "\u65b0\n"),
      "\u5185\u5b58|\u65b0\u503c\u80fd\u7acb\u5373\u540c\u6b65"
      "\u5230\u4e3b\u5185\u5b58\uff0c\u4ee5\u53ca\u6bcf\u6b21\u4f7f"
      "\u7528\u524d\u7acb\u5373\u4ece\u4e3b\u5185\u5b58\u5237\u65b0"
      "|");
  // Ending with a word that closes a phrase (正确, correct), it stays a node.
  EXPECT_EQ(NodeTexts(head + "\u6b63\u786e\n\u80fd\u591f\u5339\u914d\n"),
            "\u7ebf\u7a0b|\u68c0\u67e5\u53d8\u91cf\u4e0e\u8d4b\u503c\u4e4b"
            "\u95f4\u7684\u6570\u636e\u7c7b\u578b\u6b63\u786e|"
            "\u80fd\u591f\u5339\u914d|");
}

TEST(PageTextTest, CommonChineseWordsAreSortedPairsOfIdeographs) {
  // The binary search needs six-byte words, each two ideographs, sorted.
  std::string_view words = detail::kCommonChineseWords;
  ASSERT_EQ(words.size() % 6, 0u);
  ASSERT_GE(words.size() / 6, 1000u);
  for (size_t at = 0; at < words.size(); at += 6) {
    size_t i = at;
    for (int c = 0; c < 2; ++c) {
      char32_t cp = DecodeUtf8(words, &i);
      EXPECT_TRUE(cp >= 0x4E00 && cp <= 0x9FFF) << at;
    }
    EXPECT_EQ(i, at + 6);
    if (at > 0) {
      EXPECT_LT(words.substr(at - 6, 6), words.substr(at, 6)) << at;
    }
  }
}

TEST(PageTextTest, CjkBreakCuttingACommonWordIsAWrap) {
  // "程序计数器的值设定为任" (11 em) / "意地址": the page is too small to have
  // written 任意 (any) anywhere else, but it is a common Chinese word: the
  // break cut it, one node.
  const std::string head =
      "\u673a\u5668\u8bed\u8a00\n\u7a0b\u5e8f\u8ba1\u6570\u5668\u7684\u503c"
      "\u8bbe\u5b9a\u4e3a\u4efb\n";
  // Next line, and the nodes: 任地 is no word, the break stays a node end.
  const std::pair<const char*, const char*> cases[] = {
      {"\u610f\u5730\u5740\n",
       "\u673a\u5668\u8bed\u8a00|\u7a0b\u5e8f\u8ba1\u6570\u5668\u7684"
       "\u503c\u8bbe\u5b9a\u4e3a\u4efb\u610f\u5730\u5740|"},
      {"\u5730\u5740\n",
       "\u673a\u5668\u8bed\u8a00|\u7a0b\u5e8f\u8ba1\u6570\u5668\u7684"
       "\u503c\u8bbe\u5b9a\u4e3a\u4efb|\u5730\u5740|"},
  };
  for (const auto& [next, nodes] : cases) {
    EXPECT_EQ(NodeTexts(head + next), nodes);
  }
  // The same in traditional writing: "...修正內" / "容與方向" cuts 內容.
  EXPECT_EQ(NodeTexts("\u4fee\u6b63\n\u63d2\u5165\u518d\u6aa2\u67e5\u7d66"
                      "\u6a21\u578b\u6a5f\u6703\u63a5\u51fa\u4fee\u6b63\u5167"
                      "\n\u5bb9\u8207\u65b9\u5411\n"),
            "\u4fee\u6b63|\u63d2\u5165\u518d\u6aa2\u67e5\u7d66\u6a21\u578b"
            "\u6a5f\u6703\u63a5\u51fa\u4fee\u6b63\u5167\u5bb9\u8207\u65b9"
            "\u5411|");
}

TEST(PageTextTest, CjkBreakLeavingAOneLetterClauseIsAWrap) {
  // "...数量，按" / "区域的总数计算": a clause of one letter after a full-width
  // comma ends no node; the wrap cut the clause ("按区域的总数计算").
  EXPECT_EQ(NodeTexts("\u533a\u57df\n\u8bbe\u7f6e\u6bcf\u4e2a\u533a\u57df\u7684"
                      "\u5927\u5c0f\u548c\u6570\u91cf\uff0c\u6309\n\u533a\u57df"
                      "\u7684\u603b\u6570\u8ba1\u7b97\n"),
            "\u533a\u57df|\u8bbe\u7f6e\u6bcf\u4e2a\u533a\u57df\u7684"
            "\u5927\u5c0f\u548c\u6570\u91cf\uff0c\u6309\u533a\u57df\u7684"
            "\u603b\u6570\u8ba1\u7b97|");
  // A clause of two letters may end one.
  EXPECT_EQ(NodeTexts("\u533a\u57df\n\u8bbe\u7f6e\u6bcf\u4e2a\u533a\u57df\u7684"
                      "\u5927\u5c0f\u548c\u6570\u91cf\uff0c\u6309\u91cf\n\u533a"
                      "\u57df\u7684\u603b\u6570\u8ba1\u7b97\n"),
            "\u533a\u57df|\u8bbe\u7f6e\u6bcf\u4e2a\u533a\u57df\u7684"
            "\u5927\u5c0f\u548c\u6570\u91cf\uff0c\u6309\u91cf|\u533a"
            "\u57df\u7684\u603b\u6570\u8ba1\u7b97|");
  // The same at the next line's start: "...启动类加载器" / "外，其余...".
  EXPECT_EQ(NodeTexts("\u52a0\u8f7d\u5668\n\u9664\u4e86\u9876\u5c42\u7684\u542f"
                      "\u52a8\u7c7b\u52a0\u8f7d\u5668\n\u5916\uff0c\u5176\u4f59"
                      "\u7684\u7c7b\u52a0\u8f7d\u5668\u90fd\u5e94\n\u6709\u7236"
                      "\u52a0\u8f7d\u5668\n"),
            "\u52a0\u8f7d\u5668|\u9664\u4e86\u9876\u5c42\u7684\u542f"
            "\u52a8\u7c7b\u52a0\u8f7d\u5668\u5916\uff0c\u5176\u4f59\u7684"
            "\u7c7b\u52a0\u8f7d\u5668\u90fd\u5e94\u6709\u7236\u52a0\u8f7d"
            "\u5668|");
  EXPECT_EQ(NodeTexts("\u52a0\u8f7d\u5668\n\u9664\u4e86\u9876\u5c42\u7684\u542f"
                      "\u52a8\u7c7b\u52a0\u8f7d\u5668\n\u6b64\u5916\uff0c\u5176"
                      "\u4f59\u7c7b\u52a0\u8f7d\u5668\u90fd\u5e94\n\u6709\u7236"
                      "\u52a0\u8f7d\u5668\n"),
            "\u52a0\u8f7d\u5668|\u9664\u4e86\u9876\u5c42\u7684\u542f"
            "\u52a8\u7c7b\u52a0\u8f7d\u5668|\u6b64\u5916\uff0c\u5176"
            "\u4f59\u7c7b\u52a0\u8f7d\u5668\u90fd\u5e94\u6709\u7236\u52a0"
            "\u8f7d\u5668|");
}

TEST(PageTextTest, CjkLineClosingABracketItDidNotOpenContinues) {
  // The bracket opened two lines up ("（使用"); the line between has none,
  // so only the closing "）" tells that the third line is still inside.
  EXPECT_EQ(
      NodeTexts("\u6536\u96c6\u5668\n\u9ed8\u8ba4\u7684\u65b0\u751f\u4ee3"
                "\u6536\u96c6\u5668\uff08\u4f7f\u7528\n\u5e76\u53d1\u6807"
                "\u8bb0\u6e05\u9664\u6536\u96c6\u5668\u7684\u53c2\u6570\n"
                "\u5f00\u5173\uff09\u65f6\u7684\u9ed8\u8ba4\u6536\u96c6\u5668"
                "\n"),
      "\u6536\u96c6\u5668|\u9ed8\u8ba4\u7684\u65b0\u751f\u4ee3"
      "\u6536\u96c6\u5668\uff08\u4f7f\u7528\u5e76\u53d1\u6807\u8bb0"
      "\u6e05\u9664\u6536\u96c6\u5668\u7684\u53c2\u6570\u5f00\u5173"
      "\uff09\u65f6\u7684\u9ed8\u8ba4\u6536\u96c6\u5668|");
  // Without the bracket the third line is a node of its own.
  EXPECT_EQ(
      NodeTexts("\u6536\u96c6\u5668\n\u9ed8\u8ba4\u7684\u65b0\u751f\u4ee3"
                "\u6536\u96c6\u5668\uff08\u4f7f\u7528\n\u5e76\u53d1\u6807"
                "\u8bb0\u6e05\u9664\u6536\u96c6\u5668\u7684\u53c2\u6570\n"
                "\u5f00\u5173\u65f6\u7684\u9ed8\u8ba4\u6536\u96c6\u5668\n"),
      "\u6536\u96c6\u5668|\u9ed8\u8ba4\u7684\u65b0\u751f\u4ee3"
      "\u6536\u96c6\u5668\uff08\u4f7f\u7528\u5e76\u53d1\u6807\u8bb0"
      "\u6e05\u9664\u6536\u96c6\u5668\u7684\u53c2\u6570|\u5f00"
      "\u5173\u65f6\u7684\u9ed8\u8ba4\u6536\u96c6\u5668|");
}

// Lines of a page that writes Latin terms into CJK text without spaces
// (eight places where the scripts meet, none with a space), and the nodes
// they give.
constexpr char kInlineTerms[] =
    "Java\u8bed\u8a00\nC\u8bed\u8a00\u7684API\nmov\u6307\u4ee4\n"
    "add\u548csub\u6307\u4ee4\nCPU\u5bc4\u5b58\u5668\n";
constexpr char kInlineTermNodes[] =
    "Java\u8bed\u8a00|C\u8bed\u8a00\u7684API|mov\u6307\u4ee4|"
    "add\u548csub\u6307\u4ee4|CPU\u5bc4\u5b58\u5668|";

TEST(PageTextTest,
     LowerCaseTermAfterCjkLineStartsANodeOnPagesWritingTermsInline) {
  // This page writes Latin terms into CJK text without spaces ("mov指令",
  // "C语言的API"): a line opening with "call/return" after a CJK line is a
  // term, not the lower-case continuation of a sentence.
  std::string lines =
      "\u6307\u4ee4\n\u6761\u4ef6\u5206\u652f\uff0c\u5faa\u73af\uff0c\u5f3a"
      "\u5236\u8df3\u8f6c\ncall/return\u6307\u4ee4\n";
  EXPECT_EQ(NodeTexts(lines + kInlineTerms),
            std::string("\u6307\u4ee4|"
                        "\u6761\u4ef6\u5206\u652f\uff0c\u5faa\u73af\uff0c"
                        "\u5f3a\u5236\u8df3\u8f6c|call/return\u6307\u4ee4|") +
                kInlineTermNodes);
  // Without the page's evidence the lower-case start joins as before.
  EXPECT_EQ(NodeTexts(lines),
            "\u6307\u4ee4|"
            "\u6761\u4ef6\u5206\u652f\uff0c\u5faa\u73af\uff0c\u5f3a\u5236\u8df3"
            "\u8f6ccall/return\u6307\u4ee4|");
}

TEST(PageTextTest, FourPlacesWithoutSpacesShowAPageWritingTermsInline) {
  // A small page: five places where the scripts meet ("return指令",
  // "mov指令", "add和sub指令"), none with a space, are enough to say so.
  std::string lines =
      "\u6307\u4ee4\n\u6761\u4ef6\u5206\u652f\uff0c\u5faa\u73af\uff0c\u5f3a"
      "\u5236\u8df3\u8f6c\ncall/return\u6307\u4ee4\n";
  EXPECT_EQ(NodeTexts(lines + "mov\u6307\u4ee4\nadd\u548csub\u6307\u4ee4\n"),
            "\u6307\u4ee4|\u6761\u4ef6\u5206\u652f\uff0c\u5faa\u73af\uff0c"
            "\u5f3a\u5236\u8df3\u8f6c|call/return\u6307\u4ee4|mov\u6307\u4ee4|"
            "add\u548csub\u6307\u4ee4|");
  // Two places say nothing yet: the lower-case start joins.
  EXPECT_EQ(NodeTexts(lines + "mov\u6307\u4ee4\n"),
            "\u6307\u4ee4|\u6761\u4ef6\u5206\u652f\uff0c\u5faa\u73af\uff0c"
            "\u5f3a\u5236\u8df3\u8f6ccall/return\u6307\u4ee4|mov\u6307\u4ee4|");
}

TEST(PageTextTest, LatinTermsOnThatPageAreNoTitleRunAfterAnyLine) {
  // On the same kind of page a capitalised term ("Less") after a CJK line
  // that opens with one ("CSS...") is no run of title-case words either
  // (with the upper-case penalty gone, that bonus alone would join them),
  // and the case says nothing after a line ending in digits.
  struct Case {
    const char* lines;
    const char* nodes;
  };
  const Case cases[] = {
      {"\u6837\u5f0f\nCSS\u903b\u8f91\u529f\u80fd\u8fc7\u5f31\u7684\u95ee"
       "\u9898\nLess\n",
       "\u6837\u5f0f|CSS\u903b\u8f91\u529f\u80fd\u8fc7\u5f31\u7684\u95ee\u9898|"
       "Less|"},
      {"\u524d\u7aef\n\u540ejQuery\u65f6\u671f 2012~2016\njQuery\u5bfc\u81f4"
       "\u7684\u95ee\u9898\n",
       "\u524d\u7aef|\u540ejQuery\u65f6\u671f "
       "2012~2016|jQuery\u5bfc\u81f4\u7684"
       "\u95ee\u9898|"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NodeTexts(std::string(c.lines) + kInlineTerms),
              std::string(c.nodes) + kInlineTermNodes);
  }
}

TEST(PageTextTest, LabelSiblingsShareTheirForm) {
  // No cues in the text: short labels after a label are its children,
  // and a label shaped like an earlier one is that one's sibling.
  auto map = ReadPage(
      "Computer parts\nProcessor\nALU: fast\nBus: slow\nClock: 3 GHz\n"
      "Memory\nCache: small\nRAM: large\n");
  ASSERT_TRUE(map.has_value()) << map.error().ToString();
  EXPECT_EQ(Outline(*map),
            "Computer parts\n  Processor\n    ALU: fast\n    Bus: slow\n"
            "    Clock: 3 GHz\n  Memory\n    Cache: small\n    RAM: large\n");
}

TEST(PageTextTest, CliConvertAndInfoOnTheSeed) {
  std::string seed = SourceDir() + "/examples/peaceful-coexistence.txt";
  auto convert = testing::RunCli({"convert", seed, "-t", "outline"});
  EXPECT_EQ(convert.exit_code, 0) << convert.err;
  EXPECT_EQ(convert.out.substr(0, convert.out.find('\n')),
            "Soviet motives for, and moves towards, Peaceful Coexistence");
  auto info = testing::RunCli({"info", seed});
  EXPECT_EQ(info.exit_code, 0) << info.err;
  for (const char* row :
       {"title:      Soviet motives for, and moves towards, Peaceful "
        "Coexistence\n",
        "author:     jacksearle\n", "date:       2014-04-15\n",
        "tags:       A-Levels, Post-Stalin Thaw, Cold War\n",
        "language:   es\n", "format:     pagetext\n",
        "site:       goconqr\n"}) {
    EXPECT_NE(info.out.find(row), std::string::npos) << row << info.out;
  }
}

// The tree search keeps its best options with HeapSelect: the same items,
// in the same order among equal scores, as std::partial_sort. The orders
// of ties are libstdc++'s (HeapSelect does as it does), compared here
// where the library is libstdc++; elsewhere only the kept scores.
TEST(HeapSelectTest, KeepsWhatPartialSortKeepsWithTies) {
  struct Item {
    int score;
    int id;
  };
  struct Higher {
    bool operator()(const Item& a, const Item& b) const {
      return a.score > b.score;
    }
  };
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1103515245 + 12345;
    return static_cast<int>((state >> 16) % 5);  // few values: many ties
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<Item> items(static_cast<size_t>(round % 23));
    for (size_t i = 0; i < items.size(); ++i) {
      items[i] = {next(), static_cast<int>(i)};
    }
    detail::HeapSelect<Item, 4, Higher> kept;
    for (const Item& item : items) kept.Offer(item);
    kept.Sort();
    std::vector<Item> sorted = items;
    size_t keep = std::min<size_t>(4, sorted.size());
    std::partial_sort(sorted.begin(), sorted.begin() + keep, sorted.end(),
                      Higher{});
    ASSERT_EQ(kept.size(), keep) << "round " << round;
    for (size_t i = 0; i < keep; ++i) {
      EXPECT_EQ(kept[i].score, sorted[i].score) << "round " << round;
#ifdef __GLIBCXX__
      EXPECT_EQ(kept[i].id, sorted[i].id) << "round " << round << " at " << i;
#endif
    }
  }
}

}  // namespace
}  // namespace mindcards
