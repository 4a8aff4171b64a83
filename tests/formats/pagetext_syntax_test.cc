// Segmentation of flattened page text at breaks where code, markup,
// operators, a change of script or the page's own case habits decide
// (pagetext_infer.cc, SyntaxEvidence and CalibrateLowerCase; names, menus,
// asides, links, long tokens and sentences further below). Most pages
// here were segmented wrongly before that evidence existed; the others
// check that it stays quiet where it does not apply.
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

// Names, menu paths, asides, links, TeX groups, long unbreakable tokens
// and the page's own sentences (NameLinkTexEvidence, BoxBound,
// CalibrateSentenceEnds). The pages are greedy wraps of the nodes at one box
// width (given with each test), as the harness's flattener makes them.

TEST(PageTextSyntaxTest, NameRunningOnToACommaIsOneNode) {
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

TEST(PageTextSyntaxTest, CapitalisedMenuPathContinuesTheSentence) {
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

TEST(PageTextSyntaxTest, AsideOpeningALineBelongsToTheLineBefore) {
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

TEST(PageTextSyntaxTest, WebAddressOpensANode) {
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

TEST(PageTextSyntaxTest, MailAddressOpensANode) {
  // An address's lower case continues nothing: it is a node of its own.
  EXPECT_EQ(Segments("Авторы\n"
                     "Joerg Mueller\n"
                     "ponders@t-online.de\n"
                     "Университет Фрейбурга\n"
                     "Разработчик интерфейса\n"
                     "anna.berg@example.org\n"),
            "Авторы|Joerg Mueller|ponders@t-online.de|Университет "
            "Фрейбурга|Разработчик интерфейса|anna.berg@example.org|");
}

TEST(PageTextSyntaxTest, CapitalisedRunChangingScriptIsTwoLabels) {
  // A Latin name, then what the person did in Cyrillic: no title runs on
  // from one script into the other.
  EXPECT_EQ(Segments("Помощь оказали\n"
                     "Andrew Iggleden\n"
                     "Установщик для Windows\n"
                     "Bob Alexander\n"
                     "Руководство по Eclipse\n"
                     "David Low\n"),
            "Помощь оказали|Andrew Iggleden|Установщик для Windows|Bob "
            "Alexander|Руководство по Eclipse|David Low|");
}

TEST(PageTextSyntaxTest, OpenTexGroupContinues) {
  // Box 230 px: "\textsf{" is closed on the next line.
  EXPECT_EQ(Segments("Formulas\n"
                     "% a comment line \\textsf{the area:\n"
                     "$A=\\pi r^2$}\n"
                     "The comment is not drawn.\n"),
            "Formulas|% a comment line \\textsf{the area: $A=\\pi r^2$}|The "
            "comment is not drawn.|");
}

TEST(PageTextSyntaxTest, OverflowingTokenDoesNotWidenTheBox) {
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

// Nodes of `truth` rebuilt whole from its flattened page at the harness's
// box widths, summed over seeds 1 to 8 (0 when a read fails).
size_t MatchedOverEightSeeds(const Map& truth) {
  size_t matched = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    FlattenOptions options;
    options.seed = seed;
    auto map = ReadPageText(FlattenMap(truth, options), PageTextOptions{});
    EXPECT_TRUE(map.has_value()) << map.error().ToString();
    if (map) matched += ScoreRebuild(truth, *map).matched_segments;
  }
  return matched;
}

TEST(PageTextSyntaxTest, PageWritingSeveralSentencesPerNodeJoinsAtStops) {
  // The harness's flattener at eight seeds (boxes of 150-450 px): the
  // page's own sentence ends inside lines say that a ". A" break is often
  // inside a node here, and more nodes come back whole.
  Map truth = NotesOfSeveralSentences(120);
  size_t matched = MatchedOverEightSeeds(truth);
  // 832 of the 8 x 121 nodes without CalibrateSentenceEnds, 838 with it.
  EXPECT_GE(matched, 836u);
}

// The same notes among many short labels of several words each (no
// sentence end in them): counted over every line, the labels' word gaps
// would dilute the page's rate of sentence ends; counted over the lines
// that continue (their break leans to a join), they do not.
TEST(PageTextSyntaxTest, LabelsDoNotDiluteThePageSentenceRate) {
  static constexpr const char* kLabels[] = {
      "Open the map",     "Save a copy",    "Print the page", "Find a node",
      "Undo the change",  "Close the file", "Fold a branch",  "Add a link",
      "Move the node up", "Copy the style", "Paste a node",   "Set the colour"};
  Map notes = NotesOfSeveralSentences(120);
  Map truth;
  NodeId root = truth.AddRoot("Notes");
  size_t label = 0;
  for (NodeId part : notes.Children(notes.root())) {
    NodeId copy = truth.AddChild(root, notes.node(part).text);
    for (NodeId note : notes.Children(part)) {
      truth.AddChild(copy, notes.node(note).text);
      for (size_t k = 0; k < 3; ++k, ++label) {
        truth.AddChild(copy, std::string(kLabels[label % 12]) + " " +
                                 std::to_string(label));
      }
    }
  }
  size_t matched = MatchedOverEightSeeds(truth);
  // 3214 of the 8 x 421 nodes with the rate over every line, 3234 now.
  EXPECT_GE(matched, 3228u);
}

TEST(PageTextSyntaxTest, CodeKeepsOneStatementPerNode) {
  // Lines ending with ";", "{" or "}" (or opening with "}") end a
  // statement, however lower-case the next line begins or however many
  // brackets are still open.
  EXPECT_EQ(Segments("function convert (sourcestruct, deststruct) {\n"
                     "var atts = sourcestruct [\"$\"];\n"
                     "if (atts !== undefined) {\n"
                     "for (var x in atts) {\n"
                     "deststruct [x] = atts [x];\n"
                     "}\n"
                     "}\n"),
            "function convert (sourcestruct, deststruct) {|"
            "var atts = sourcestruct [\"$\"];|if (atts !== undefined) {|"
            "for (var x in atts) {|deststruct [x] = atts [x];|}|}|");
}

TEST(PageTextSyntaxTest, CodeWrappedInsideAStatementIsJoined) {
  // The wrapper broke inside the call: no ";" at the first line's end, an
  // open quote and bracket; the closing brace after it is a node.
  EXPECT_EQ(Segments("if (err) {\n"
                     "console.log (\"There was an error writing\n"
                     "states.md: \" + err.message);\n"
                     "}\n"),
            "if (err) {|console.log (\"There was an error writing "
            "states.md: \" + err.message);|}|");
}

TEST(PageTextSyntaxTest, TexBracesAndEscapedCharactersEndNoStatement) {
  // "}" closing a TeX argument and ";" closing an entity are no code
  // statement's end: the lines stay one node.
  EXPECT_EQ(Segments("Formulas\n"
                     "The fraction is written \\frac{1}{2} and \\sqrt{2}\n"
                     "in the formula editor of the node.\n"),
            "Formulas|The fraction is written \\frac{1}{2} and \\sqrt{2} in "
            "the formula editor of the node.|");
  EXPECT_EQ(Segments("Escaped\n"
                     "The text &quot;Hello&quot; is shown as &quot;\n"
                     "quoted words in the exported page.\n"),
            "Escaped|The text &quot;Hello&quot; is shown as &quot; quoted "
            "words in the exported page.|");
}

TEST(PageTextSyntaxTest, ObjectMembersAreNodes) {
  EXPECT_EQ(Segments("\"author\": \"Dave Winer <dave@scripting.com>\",\n"
                     "\"version\": \"0.5.6\",\n"
                     "\"license\": \"MIT\",\n"
                     "\"main\": \"opmlpackage.js\",\n"),
            "\"author\": \"Dave Winer <dave@scripting.com>\",|"
            "\"version\": \"0.5.6\",|\"license\": \"MIT\",|"
            "\"main\": \"opmlpackage.js\",|");
}

TEST(PageTextSyntaxTest, LoneOperatorAtTheEndContinues) {
  // A menu path or an expression does not end with ">", "=", "+"...
  EXPECT_EQ(Segments("Menus\nClick View > Node attributes >\n"
                     "Show all attributes\n"),
            "Menus|Click View > Node attributes > Show all attributes|");
}

TEST(PageTextSyntaxTest, MarkupKeepsOneElementPerNode) {
  // A line holding one element is a node when the next opens a tag; an
  // element left open continues on the line that closes it.
  EXPECT_EQ(Segments("head\n<title>test/encoding.opml</title>\n"
                     "<windowTop>300</windowTop>\n"
                     "<windowLeft>700</windowLeft>\n"
                     "<dateModified>Sat, 01 Oct 2016 22:26:24\n"
                     "GMT</dateModified>\n"),
            "head|<title>test/encoding.opml</title>|"
            "<windowTop>300</windowTop>|<windowLeft>700</windowLeft>|"
            "<dateModified>Sat, 01 Oct 2016 22:26:24 GMT</dateModified>|");
}

TEST(PageTextSyntaxTest, LatinCapitalInCyrillicTextIsAName) {
  // "Control" and "Freeplane" are names, not the start of a node.
  EXPECT_EQ(Segments("Редактор\n"
                     "Для восстановления (отмена отмены), нажмите\n"
                     "Control + Y, или в выпадающем меню Правка.\n"),
            "Редактор|Для восстановления (отмена отмены), нажмите "
            "Control + Y, или в выпадающем меню Правка.|");
  EXPECT_EQ(Segments("Установка\n"
                     "Если у вас уже установлена Java, затем распакуйте\n"
                     "Freeplane в папку программ.\n"),
            "Установка|Если у вас уже установлена Java, затем распакуйте "
            "Freeplane в папку программ.|");
}

TEST(PageTextSyntaxTest, GermanCapitalsMakeNoTitleRun) {
  // German capitalises every noun: two capitalised labels are no title
  // wrapped over two lines.
  EXPECT_EQ(Segments("Die Version f\u00fcr alle Systeme\n"
                     "Das Programm ist nicht mit dem Editor und der Datei "
                     "zu verwechseln, es ist eine Anwendung.\n"
                     "Microsoft Windows\nMac OS X\nLinux / BSD / Solaris\n"),
            "Die Version f\u00fcr alle Systeme|Das Programm ist nicht mit "
            "dem Editor und der Datei zu verwechseln, es ist eine "
            "Anwendung.|Microsoft Windows|Mac OS X|Linux / BSD / Solaris|");
}

TEST(PageTextSyntaxTest, LowerCaseSaysLessOnPagesOfLowerCaseLabels) {
  // The short labels are certain node starts (each fits the narrowest box
  // with the next word) and all begin lower-case: on this page a
  // lower-case line is no sign of a wrap.
  EXPECT_EQ(Segments("Features\nbold\nitalic\ncode\nlinks\nlists\ntables\n"
                     "math\nattachment topic\ntest.txt\n"),
            "Features|bold|italic|code|links|lists|tables|math|"
            "attachment topic|test.txt|");
  // In prose the same two lines are one node wrapped.
  EXPECT_EQ(Segments("Features\nThe page shows an attachment topic\n"
                     "test.txt in the middle of the map.\n"),
            "Features|The page shows an attachment topic test.txt in the "
            "middle of the map.|");
}

TEST(PageTextSyntaxTest, PrepositionOrConjunctionAtTheEndContinues) {
  // "since" ends no node, even before a line opening with a number.
  EXPECT_EQ(Segments("Economy\n1956 - claimed that, since\n"
                     "1929, Soviet industrial\nproduction had risen by\n"
                     "1.95%.\n"),
            "Economy|1956 - claimed that, since 1929, Soviet industrial "
            "production had risen by 1.95%.|");
}

TEST(PageTextSyntaxTest, LinesOfOneWordEachAreListItems) {
  // Two one-word lines: a box that held one word only is less likely than
  // a list of names.
  EXPECT_EQ(Segments("Related\nvim\nemacs\ncoc-markmap\n"
                     "gatsby-remark-markmap\nvscode\n"),
            "Related|vim|emacs|coc-markmap|gatsby-remark-markmap|vscode|");
  // A long word wrapped after a sentence's words is still joined.
  EXPECT_EQ(Segments("Install\nThe installer needs the runtime environment\n"
                     "(J2RE1.5) first.\n"),
            "Install|The installer needs the runtime environment (J2RE1.5) "
            "first.|");
}

TEST(PageTextSyntaxTest, StatementAfterTextIsCodeOfItsOwn) {
  EXPECT_EQ(Segments("Features\nlinks\nstrong del italic\n==highlight==\n"
                     "multiline text\ninline code\n"
                     "console.log('code block');\nKaTeX\n"),
            "Features|links|strong del italic|==highlight==|multiline text|"
            "inline code|console.log('code block');|KaTeX|");
  // A variable with its sigil opens a line of Perl (or shell, PHP).
  EXPECT_EQ(Segments("Storable\nstore and retrieve data\n"
                     "$hashref = retrieve('file');\nfreeze\n"),
            "Storable|store and retrieve data|$hashref = retrieve('file');|"
            "freeze|");
}

TEST(PageTextSyntaxTest, GermanVerbAtTheEndClosesTheClause) {
  // "werden" closes the clause; the capital after it starts a node even
  // though German capitalises nouns.
  EXPECT_EQ(Segments("Die Version f\u00fcr alle Systeme\n"
                     "Das Programm ist nicht mit dem Editor und der Datei "
                     "zu verwechseln.\n"
                     "Knoten k\u00f6nnen mit Konnektoren verbunden werden\n"
                     "Quellknoten\nZielknoten\n"),
            "Die Version f\u00fcr alle Systeme|Das Programm ist nicht mit "
            "dem Editor und der Datei zu verwechseln.|Knoten k\u00f6nnen mit "
            "Konnektoren verbunden werden|Quellknoten|Zielknoten|");
}

TEST(PageTextSyntaxTest, LineClosingItsAsideEndsTheLabel) {
  EXPECT_EQ(Segments("Workspace\nmenus\ntoolbar\nright side\nsearch\n"
                     "Scroll bar (vertical)\ndockable\nNote panel\n"),
            "Workspace|menus|toolbar|right side|search|Scroll bar (vertical)|"
            "dockable|Note panel|");
  // An aside opened on the line before and closed here says nothing.
  EXPECT_EQ(Segments("Settings\nOpen the preferences dialog (Tools >\n"
                     "Preferences) and choose the tab you need.\n"),
            "Settings|Open the preferences dialog (Tools > Preferences) and "
            "choose the tab you need.|");
}

TEST(PageTextSyntaxTest, RepeatedLineIsASecondItem) {
  EXPECT_EQ(Segments("Examples\nthe old formula syntax\n"
                     "the old formula syntax\n"),
            "Examples|the old formula syntax|the old formula syntax|");
}

TEST(PageTextSyntaxTest, TexEnvironmentOpensANode) {
  // Lines of a wrapped TeX alignment; "\\begin{" after a label starts the
  // formula's node, rows opening with "&&" continue it.
  std::string text = R"(&\backslash upsilon \quad \upsilon)"
                     "\n"
                     R"(&&\backslash phi \quad \phi)"
                     "\n"
                     R"(&&\backslash chi \quad \chi \\)"
                     "\n"
                     R"(&\backslash psi \quad \psi &&\backslash)"
                     "\n"
                     R"(omega \quad \omega && \\)"
                     "\n"
                     R"(&\text{Variations: } &&\backslash)"
                     "\n"
                     R"(vartheta \quad \vartheta &&\backslash)"
                     "\n"
                     R"(varphi \quad \varphi \end{align})"
                     "\n"
                     R"(Big greek characters)"
                     "\n"
                     R"(\begin{align} &\backslash Alpha)"
                     "\n"
                     R"(\quad \Alpha &&\backslash Beta)"
                     "\n"
                     R"(\quad \Beta &&\backslash)"
                     "\n"
                     R"(Gamma \quad \Gamma \\)"
                     "\n"
                     R"(&\backslash Delta \quad \Delta)"
                     "\n"
                     R"(&&\backslash Epsilon \quad)"
                     "\n"
                     R"(\Epsilon & &\backslash Zeta)"
                     "\n"
                     R"(\quad \Zeta \\ &\backslash Eta)"
                     "\n"
                     R"(\quad \Eta &&\backslash Theta)"
                     "\n"
                     R"(\quad \Theta &&\backslash Iota)"
                     "\n"
                     R"(\quad \Iota \\ &\backslash Kappa)"
                     "\n"
                     R"(\quad \Kappa &&\backslash)"
                     "\n"
                     R"(Lambda \quad \Lambda)"
                     "\n"
                     R"(&&\backslash Mu \quad \Mu \\)"
                     "\n";
  std::string segments = Segments(text);
  EXPECT_NE(segments.find("|Big greek characters|"), std::string::npos)
      << segments;
  EXPECT_NE(segments.find("|\\begin{align} &\\backslash Alpha \\quad"),
            std::string::npos)
      << segments;
}

}  // namespace
}  // namespace mindcards
