// Segmentation of flattened page text at breaks where names, menu paths,
// asides, links, TeX groups, long unbreakable tokens and the page's own
// sentences decide (pagetext_infer.cc, NameLinkTexEvidence, BoxBound,
// CalibrateSentenceEnds). Each page was segmented wrongly before that
// evidence existed. The pages are greedy wraps of the nodes at one box
// width (given with each test), as the harness's flattener makes them.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "mindcards/map.h"
#include "mindcards/pagetext.h"

namespace mindcards {
namespace {

// The node texts in pre-order, each followed by "|".
std::string Segments(const std::string& text) {
  auto map = ReadPageText(text, PageTextOptions{});
  if (!map) return map.error().ToString();
  std::string texts;
  for (NodeId id : map->PreOrder()) texts += map->node(id).text + "|";
  return texts;
}

TEST(PageTextBreaksTest, NameRunningOnToACommaIsOneNode) {
  // Box 150 px: "Olof" / "Palme," is a name cut by the wrap, not a node
  // opening with a capitalised word and a comma.
  EXPECT_EQ(Segments("Palme prize\n"
                     "Called after Swedish\n"
                     "Prime Minister Olof\n"
                     "Palme, the prize is\n"
                     "given each year for\n"
                     "outstanding work on\n"
                     "peace and common\n"
                     "security.\n"
                     "Winners\n"),
            "Palme prize|Called after Swedish Prime Minister Olof Palme, the "
            "prize is given each year for outstanding work on peace and "
            "common security.|Winners|");
}

TEST(PageTextBreaksTest, CapitalisedMenuPathContinuesTheSentence) {
  // Box 210 px: the menu's items are capitalised; "Формат" opens no node.
  EXPECT_EQ(Segments("Шрифты\n"
                     "Чтобы сменить шрифт узла,\n"
                     "откройте контекстное меню\n"
                     "Формат > Шрифт узла.\n"
                     "Размер шрифта задаётся там\n"
                     "же.\n"),
            "Шрифты|Чтобы сменить шрифт узла, откройте контекстное меню "
            "Формат > Шрифт узла.|Размер шрифта задаётся там же.|");
}

TEST(PageTextBreaksTest, AsideOpeningALineBelongsToTheLineBefore) {
  // Box 190 px: "(pixels)" and "(points)" are not list items of their own.
  EXPECT_EQ(Segments("Layout\n"
                     "Width of the border of a node\n"
                     "(pixels)\n"
                     "Spacing between two siblings\n"
                     "(points)\n"
                     "Font of new nodes\n"),
            "Layout|Width of the border of a node (pixels)|Spacing between "
            "two siblings (points)|Font of new nodes|");
  // Code in brackets is no aside: a statement stays a node of its own.
  EXPECT_EQ(Segments("Swap\n"
                     "list assignment\n"
                     "($a, $b) = ($b, $a);\n"),
            "Swap|list assignment|($a, $b) = ($b, $a);|");
}

TEST(PageTextBreaksTest, WebAddressOpensANode) {
  // Box 200 px: a URL's lower case continues nothing.
  EXPECT_EQ(Segments("Links\n"
                     "More about the reader is written\n"
                     "in the handbook\n"
                     "http://example.org/handbook/reader.html\n"
                     "Ask questions in the forum\n"
                     "https://example.org/forum/\n"),
            "Links|More about the reader is written in the handbook|"
            "http://example.org/handbook/reader.html|Ask questions in the "
            "forum|https://example.org/forum/|");
}

TEST(PageTextBreaksTest, OpenTexGroupContinues) {
  // Box 230 px: "\textsf{" is closed on the next line.
  EXPECT_EQ(Segments("Formulas\n"
                     "% a comment line \\textsf{the area:\n"
                     "$A=\\pi r^2$}\n"
                     "The comment is not drawn.\n"),
            "Formulas|% a comment line \\textsf{the area: $A=\\pi r^2$}|The "
            "comment is not drawn.|");
}

TEST(PageTextBreaksTest, OverflowingTokenDoesNotWidenTheBox) {
  // Box 160 px: the \text{...} token is wider than the box and overflowed
  // on a line of its own; the lines after it are narrower than it and
  // still wrapped.
  EXPECT_EQ(Segments("Limits\n"
                     "\\begin{align}\n"
                     "&\\text{\\backslash\\,lim\\{x\\,\\backslash\\,to\\,0\\}"
                     "\\backslash\\,frac\\{\\backslash\\,sin\\,x\\}\\{x\\}}\n"
                     "&&\\lim_{x \\to 0} \\frac{\\sin\n"
                     "x}{x} = 1 \\end{align}\n"
                     "Sums\n"),
            "Limits|\\begin{align} &\\text{\\backslash\\,lim\\{x\\,\\backslash"
            "\\,to\\,0\\}\\backslash\\,frac\\{\\backslash\\,sin\\,x\\}\\{x\\}} "
            "&&\\lim_{x \\to 0} \\frac{\\sin x}{x} = 1 \\end{align}|Sums|");
  // A list of long identifiers, one per line, keeps one node per line.
  EXPECT_EQ(Segments("Constants\n"
                     "CONSTANT_InterfaceMethodref_info\n"
                     "CONSTANT_MethodHandle_info_kind\n"
                     "CONSTANT_InvokeDynamic_info_index\n"),
            "Constants|CONSTANT_InterfaceMethodref_info|"
            "CONSTANT_MethodHandle_info_kind|"
            "CONSTANT_InvokeDynamic_info_index|");
}

// Notes of several sentences each, made from a few sentence parts; the
// page's lines write many sentence ends inside them.
Map NotesOfSeveralSentences(size_t count) {
  static constexpr const char* kSubjects[] = {
      "The editor", "This command", "The filter", "The toolbar", "A node",
      "The map",    "Each link",    "The panel",  "Every icon",  "The search"};
  static constexpr const char* kVerbs[] = {
      "opens a dialog",      "keeps the last setting",  "hides the other nodes",
      "shows the branch",    "moves with its children", "starts from the root",
      "points to a file",    "lists the styles",        "marks the node",
      "finds the next match"};
  static constexpr const char* kTails[] = {
      "for the selected node",    "of the current map",   "in the status line",
      "at the top of the window", "when you press Enter", "until you close it"};
  Map map;
  NodeId root = map.AddRoot("Notes");
  NodeId part = root;
  size_t n = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i % 6 == 0) {
      part = map.AddChild(root, "Part " + std::to_string(i / 6 + 1));
      continue;
    }
    std::string text;
    for (size_t s = 0; s < 2 + i % 2; ++s, ++n) {
      if (!text.empty()) text += ' ';
      text += std::string(kSubjects[(n * 7) % 10]) + ' ' +
              kVerbs[(n * 3) % 10] + ' ' + kTails[n % 6] + '.';
    }
    map.AddChild(part, text);
  }
  return map;
}

TEST(PageTextBreaksTest, PageWritingSeveralSentencesPerNodeJoinsAtStops) {
  // The harness's flattener at eight seeds (boxes of 150-450 px): the
  // page's own sentence ends inside lines say that a ". A" break is often
  // inside a node here, and more nodes come back whole.
  Map truth = NotesOfSeveralSentences(120);
  size_t matched = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    FlattenOptions options;
    options.seed = seed;
    auto map = ReadPageText(FlattenMap(truth, options), PageTextOptions{});
    ASSERT_TRUE(map.has_value()) << map.error().ToString();
    matched += ScoreRebuild(truth, *map).matched_segments;
  }
  // 832 of the 8 x 121 nodes without CalibrateSentenceEnds, 838 with it.
  EXPECT_GE(matched, 836u);
}

}  // namespace
}  // namespace mindcards
