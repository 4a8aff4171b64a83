#include "mindcards/cards.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "mindcards/formats.h"
#include "mindcards/text.h"
#include "study/facts_internal.h"
#include "test_util.h"

namespace mindcards {
namespace {

using study::ContainsWord;
using study::Fold;

// The first string field of `c` that is not valid UTF-8, as
// "field: error", or "".
std::string InvalidUtf8Field(const Card& c) {
  std::vector<std::pair<std::string, const std::string*>> fields = {
      {"id", &c.id},
      {"front", &c.front},
      {"back", &c.back},
      {"cloze", &c.cloze},
      {"hint", &c.hint}};
  for (size_t i = 0; i < c.context.size(); ++i)
    fields.emplace_back(fmt::format("context[{}]", i), &c.context[i]);
  for (size_t i = 0; i < c.choices.size(); ++i)
    fields.emplace_back(fmt::format("choices[{}]", i), &c.choices[i]);
  for (size_t i = 0; i < c.answers.size(); ++i)
    fields.emplace_back(fmt::format("answers[{}]", i), &c.answers[i]);
  for (const auto& [name, value] : fields) {
    auto valid = ValidateUtf8(*value);
    if (!valid) return name + ": " + valid.error().message;
  }
  return "";
}

// Checks the rules every card of every map must keep; returns the first
// broken one, or "".
std::string BrokenRule(const Map& map, const std::vector<Card>& cards) {
  std::set<std::string> fronts, ids;
  for (const Card& c : cards) {
    // First, so the messages below never print broken UTF-8.
    if (std::string bad = InvalidUtf8Field(c); !bad.empty()) {
      return fmt::format("invalid UTF-8 in {} card {}: {}",
                         CardKindName(c.kind), c.id, bad);
    }
    std::string where = fmt::format("{} card {:?} -> {:?}",
                                    CardKindName(c.kind), c.front, c.back);
    if (!fronts.insert(c.front).second) return "duplicate front: " + where;
    if (!ids.insert(c.id).second) return "duplicate id: " + where;
    if (c.id.size() != 16 ||
        c.id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return "bad id: " + where;
    }
    if (!map.valid(c.node)) return "no such node: " + where;
    if (c.node != map.root() && c.context.empty()) {
      return "no context: " + where;
    }
    if (c.back.empty() || c.answers.empty()) return "no answer: " + where;
    for (const std::string& a : c.answers) {
      if (study::AllStopWords(a)) return "stop-word answer: " + where;
    }
    if (c.kind == CardKind::kCloze) {
      if (c.front.find("[...]") == std::string::npos) {
        return "cloze without a gap: " + where;
      }
      if (c.cloze.find("{{c1::" + c.back + "}}") == std::string::npos) {
        return "cloze text does not mark the answer: " + where;
      }
    }
    if (c.kind == CardKind::kChoice &&
        std::find(c.choices.begin(), c.choices.end(), c.back) ==
            c.choices.end()) {
      return "choice without its answer: " + where;
    }
    if (c.kind != CardKind::kChronology) {
      std::string prompt = Fold(c.front);
      for (const std::string& h : c.context) prompt += " \n " + Fold(h);
      for (const std::string& a : c.answers) {
        if (ContainsWord(prompt, Fold(a))) {
          return fmt::format("answer {:?} visible in prompt: {}", a, where);
        }
      }
    }
  }
  return "";
}

// Reads a map; the seed falls back to one node per line (the root first)
// while no reader rebuilds its structure, so its test holds either way.
Map ReadSeed() {
  std::string path =
      testing::SourceDir() + "/examples/peaceful-coexistence.txt";
  std::string bytes = testing::ReadFileOrDie(path);
  ReadOptions options;
  options.filename = path;
  auto map = ReadMap(bytes, options);
  if (map) return std::move(*map);
  Map lines;
  std::istringstream in(bytes);
  std::string line;
  while (std::getline(in, line)) {
    if (Trim(line).empty()) continue;
    if (lines.empty()) {
      lines.AddRoot(line);
    } else {
      lines.AddChild(lines.root(), line);
    }
  }
  return lines;
}

struct SeedFact {
  std::string kind, answer, phrase;
};

std::vector<SeedFact> ReadSeedFacts() {
  std::string text = testing::ReadFileOrDie(testing::SourceDir() +
                                            "/tests/data/seed_facts.tsv");
  std::vector<SeedFact> facts;
  std::istringstream in(text);
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    size_t a = line.find('\t');
    size_t b = line.find('\t', a + 1);
    EXPECT_NE(b, std::string::npos) << line;
    if (b == std::string::npos) continue;
    facts.push_back(
        {line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1)});
  }
  return facts;
}

TEST(CardsTest, SeedFactsEachHaveAFocusedCard) {
  Map map = ReadSeed();
  std::vector<Card> cards = GenerateCards(map, {});
  std::vector<SeedFact> facts = ReadSeedFacts();
  ASSERT_GE(facts.size(), 20u);
  for (const SeedFact& fact : facts) {
    // The nodes that state the fact (whatever the reader made of the lines).
    std::set<NodeId> nodes;
    std::string phrase = FoldWhitespace(fact.phrase);
    for (NodeId id : map.PreOrder()) {
      if (FoldWhitespace(map.node(id).text).find(phrase) != std::string::npos) {
        nodes.insert(id);
      }
    }
    ASSERT_FALSE(nodes.empty()) << "no node says: " << fact.phrase;
    const Card* focused = nullptr;
    for (const Card& c : cards) {
      if (nodes.count(c.node) && Fold(c.back) == Fold(fact.answer) &&
          c.back.size() <= 40 && !c.context.empty()) {
        focused = &c;
        break;
      }
    }
    EXPECT_NE(focused, nullptr) << "no focused card for " << fact.kind << " "
                                << fact.answer << " in: " << fact.phrase;
  }
  EXPECT_EQ(BrokenRule(map, cards), "");
}

TEST(CardsTest, SeedMakesEveryKindOfCard) {
  Map map = ReadSeed();
  std::vector<Card> cards = GenerateCards(map, {});
  std::set<std::string> kinds;
  for (const Card& c : cards) kinds.insert(std::string(CardKindName(c.kind)));
  // Question and list cards need the map's structure: with one node per
  // line the seed has no heading with a few children.
  for (const char* k : {"cloze", "when", "chronology", "choice"}) {
    EXPECT_TRUE(kinds.count(k)) << k;
  }
}

TEST(CardsTest, CorpusMapsKeepTheRules) {
  MINDCARDS_REQUIRE_SHARED();
  std::vector<std::string> files = testing::ListFiles(
      testing::SharedDir() + "/corpus", {".mm", ".opml", ".xml", ".txt", ".md",
                                         ".mmd", ".json", ".xmind", ".html"});
  size_t read = 0, total_cards = 0;
  for (const std::string& path : files) {
    std::string bytes = testing::ReadFileOrDie(path);
    ReadOptions options;
    options.filename = path;
    auto map = ReadMap(bytes, options);
    if (!map) continue;  // a format no reader handles yet
    ++read;
    std::vector<Card> cards = GenerateCards(*map, {});
    total_cards += cards.size();
    EXPECT_EQ(BrokenRule(*map, cards), "") << path;
    // Same map, same cards.
    std::vector<Card> again = GenerateCards(*map, {});
    ASSERT_EQ(again.size(), cards.size()) << path;
    for (size_t i = 0; i < cards.size(); ++i) {
      EXPECT_EQ(again[i].id, cards[i].id) << path;
    }
    // The same cards on one thread and on two.
    CardOptions one, two;
    one.threads = 1;
    two.threads = 2;
    EXPECT_EQ(CardsToJson(GenerateCards(*map, two)),
              CardsToJson(GenerateCards(*map, one)))
        << path;
  }
  std::printf("corpus: %zu of %zu maps read, %zu cards\n", read, files.size(),
              total_cards);
  EXPECT_GT(read, 0u);
}

// A small map built in code, with one of each structure.
Map HistoryMap() {
  Map map;
  NodeId root = map.AddRoot("The Cold War");
  NodeId why = map.AddChild(root, "Why did the thaw begin?");
  map.AddChild(why, "Death of the old leader");
  map.AddChild(why, "Fear of nuclear war");
  NodeId events = map.AddChild(root, "Key events");
  map.AddChild(events, "Korean armistice July 1953");
  map.AddChild(events, "Austrian State Treaty 1955");
  map.AddChild(events, "Hungarian uprising 1956");
  map.AddChild(events, "Berlin Wall built 1961");
  NodeId people = map.AddChild(root, "Leaders");
  map.AddChild(people,
               "As Khrushchev said 'we will bury you' at an embassy reception");
  map.AddChild(people, "Eisenhower met Khrushchev at Geneva");
  map.AddChild(people, "Nixon argued with Khrushchev in Moscow");
  map.AddChild(people, "Kennedy faced Khrushchev over Cuba in Vienna");
  return map;
}

std::string Summary(const std::vector<Card>& cards) {
  std::string out;
  for (const Card& c : cards) {
    out += fmt::format("{} | {} | {}", CardKindName(c.kind), c.front, c.back);
    if (!c.choices.empty())
      out += fmt::format(" | {}", fmt::join(c.choices, "/"));
    out += "\n";
  }
  return out;
}

// Long nodes of multi-byte text, so every cut (sentence windows around a
// cloze, shortened labels, list items and headings) lands among multi-byte
// characters: Cyrillic, CJK, emoji with modifiers and joiners, combining
// accents and no-break spaces.
TEST(CardsTest, CutsNeverSplitACharacter) {
  const std::vector<std::string> fillers = {
      "\u00a0\u00a0\u042d\u043a\u0441\u043f\u043e\u0440\u0442 ",
      "\u6570\u636e\u5e93\u4e0e\u5730\u56fe ",
      "\U0001F44D\U0001F3FD\U0001F468\u200d\U0001F469\u200d\U0001F467 ",
      "e\u0301te\u0301\u00a0\u00a0\u043c\u0438\u0440 ",
      "\u00a0\u2014\u00a0\u00ab\u0421\u043b\u043e\u0432\u043e\u00bb ",
  };
  Map map;
  NodeId root = map.AddRoot(
      "\u0418\u0441\u0442\u043e\u0440\u0438\u044f "
      "\u5386\u53f2 \U0001F30D");
  NodeId events =
      map.AddChild(root, "\u0421\u043e\u0431\u044b\u0442\u0438\u044f");
  const std::vector<std::string> facts = {
      "Moscow in July 1953",
      "Khrushchev said \u201cwe will bury you\u201d",
      "Vienna Summit 1961",
      "5.8mil people",
      "Austrian State Treaty 1955",
      "Berlin Wall 1961"};
  for (size_t shift = 0; shift < 24; ++shift) {
    for (size_t f = 0; f < facts.size(); ++f) {
      // Fillers on both sides, long enough to pass every cap, shifted by
      // one byte-ish step per node so the caps fall at every offset.
      std::string text(shift % 3, ' ');
      for (size_t k = 0; k < 40; ++k) text += fillers[(k + shift + f) % 5];
      text += " Eisenhower met Nixon: " + facts[f] + " in Geneva ";
      for (size_t k = 0; k < 40 + shift; ++k) text += fillers[(k + f) % 5];
      NodeId heading = map.AddChild(events, text);
      // Children: list items and chronology labels, multi-byte.
      for (size_t c = 0; c < 3; ++c) {
        std::string child = fillers[(c + shift) % 5];
        for (size_t k = 0; k < shift % 3; ++k) child += fillers[(k + c) % 5];
        map.AddChild(heading, child + " " + facts[(f + c) % facts.size()]);
      }
    }
  }
  std::vector<Card> cards = GenerateCards(map, {});
  EXPECT_EQ(BrokenRule(map, cards), "");
  std::set<CardKind> kinds;
  for (const Card& c : cards) kinds.insert(c.kind);
  // The map exercises the windows of cloze and choice cards and lists.
  EXPECT_TRUE(kinds.count(CardKind::kCloze)) << Summary(cards);
  EXPECT_TRUE(kinds.count(CardKind::kChoice)) << Summary(cards);
  EXPECT_TRUE(kinds.count(CardKind::kList)) << Summary(cards);
  EXPECT_TRUE(ValidateUtf8(CardsToJson(cards)).has_value());
  EXPECT_TRUE(ValidateUtf8(CardsToCsv(cards)).has_value());
  EXPECT_TRUE(ValidateUtf8(CardsToAnkiText(cards)).has_value());
}

TEST(CardsTest, MakesEachKindFromItsStructure) {
  Map map = HistoryMap();
  std::vector<Card> cards = GenerateCards(map, {});
  EXPECT_EQ(BrokenRule(map, cards), "");
  std::string s = Summary(cards);
  EXPECT_NE(s.find("question | Why did the thaw begin? | Death of the old "
                   "leader; Fear of nuclear war\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("list | List the 4 points under “Key events” | Korean "
                   "armistice July 1953; Austrian State Treaty 1955; "
                   "Hungarian uprising 1956; Berlin Wall built 1961\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("when | When: Austrian State Treaty? | 1955\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("quote | Who said “we will bury you”? | Khrushchev\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("chronology | Put in order, earliest first: "),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("| Korean armistice; Austrian State Treaty; Hungarian "
                   "uprising; Berlin Wall built |"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("choice | Which name fills the gap? "), std::string::npos)
      << s;
  // The question's answers are a list with partial credit.
  for (const Card& c : cards) {
    if (c.kind == CardKind::kQuestion) {
      EXPECT_TRUE(c.is_list);
      EXPECT_EQ(c.answers.size(), 2u);
      EXPECT_EQ(c.context, std::vector<std::string>{"The Cold War"});
    }
    if (c.kind == CardKind::kChronology) {
      EXPECT_TRUE(c.ordered);
      EXPECT_EQ(c.choices.size(), 4u);
      EXPECT_NE(c.choices, c.answers);  // shown shuffled
    }
    if (c.kind == CardKind::kWhen) {
      EXPECT_EQ(c.fact_type, FactType::kDate);
    }
    if (c.kind == CardKind::kChoice) {
      EXPECT_EQ(c.choices.size(), 4u);
    }
    EXPECT_EQ(c.era, 1900);
  }
}

TEST(CardsTest, ClozeHidesTheFactInItsSentence) {
  Map map;
  NodeId root = map.AddRoot("Soviet army");
  NodeId cuts = map.AddChild(root, "Cuts in the army");
  map.AddChild(cuts,
               "Between 1955 and 1958 the army fell from 5.8mil to 3.7mil");
  std::vector<Card> cards = GenerateCards(map, {});
  EXPECT_EQ(Summary(cards),
            "cloze | Between [...] and 1958 the army fell from 5.8mil to "
            "3.7mil | 1955\n"
            "cloze | Between 1955 and 1958 the army fell from [...] to 3.7mil "
            "| 5.8mil\n"
            "cloze | Between 1955 and [...] the army fell from 5.8mil to "
            "3.7mil | 1958\n");
  // (A date, then a quantity, then the next date: a mix of fact types.)
  EXPECT_EQ(cards[0].context,
            (std::vector<std::string>{"Soviet army", "Cuts in the army"}));
  EXPECT_EQ(
      cards[0].cloze,
      "Between {{c1::1955}} and 1958 the army fell from 5.8mil to 3.7mil");
  EXPECT_EQ(cards[0].hint, "year");
  EXPECT_EQ(cards[1].fact_type, FactType::kNumber);
}

TEST(CardsTest, AnswerShownInContextMakesNoCard) {
  Map map;
  NodeId root = map.AddRoot("Treaty of 1955");
  map.AddChild(root, "Signed in 1955 by the four powers");
  std::vector<Card> cards = GenerateCards(map, {});
  for (const Card& c : cards) EXPECT_NE(c.back, "1955") << c.front;
}

TEST(CardsTest, NeverAsksForAStopWord) {
  Map map;
  NodeId root = map.AddRoot("Notes");
  map.AddChild(root, "The The and The of the 'the' in 'it is' The");
  map.AddChild(root, "'and' and 'or' are the words");
  EXPECT_EQ(BrokenRule(map, GenerateCards(map, {})), "");
  for (const Card& c : GenerateCards(map, {})) {
    EXPECT_FALSE(study::AllStopWords(c.back)) << c.back;
  }
}

TEST(CardsTest, DuplicateNodesDoNotShareAFront) {
  Map map;
  NodeId root = map.AddRoot("History");
  NodeId a = map.AddChild(root, "France");
  NodeId b = map.AddChild(root, "Spain");
  map.AddChild(a, "A treaty was signed in 1955 in the capital");
  map.AddChild(b, "A treaty was signed in 1955 in the capital");
  map.AddChild(b, "A treaty was signed in 1955 in the capital");
  std::vector<Card> cards = GenerateCards(map, {});
  EXPECT_EQ(BrokenRule(map, cards), "");
  // The list under "Spain" repeats an item: no list card for it.
  EXPECT_EQ(Summary(cards),
            "list | List the 2 points under “History” | France; Spain\n"
            "cloze | A treaty was signed in [...] in the capital | 1955\n"
            "cloze | A treaty was signed in [...] in the capital (under "
            "“Spain”) | 1955\n");
}

// A map whose texts repeat across it, so that fronts collide between the
// parts the threads work on: a repeat names its heading or is dropped, and
// a node can lose one card (its "when" card) but keep another (its
// chronology, whose events differ), exactly as on one thread.
Map RepetitiveMap(int blocks) {
  Map map;
  NodeId root = map.AddRoot("The Cold War 1945-1991");
  for (int b = 0; b < blocks; ++b) {
    NodeId country = map.AddChild(root, b % 2 ? "France" : "Spain");
    NodeId talks = map.AddChild(country, "Treaty talks 1955");
    map.AddChild(talks,
                 fmt::format("Meeting {} in Vienna {}", b, 1950 + b % 7));
    map.AddChild(talks,
                 fmt::format("Signing {} in Moscow {}", b, 1960 + b % 5));
    map.AddChild(talks,
                 fmt::format("Vote {} in parliament {}", b, 1970 + b % 3));
    if (b % 3 == 0) map.AddChild(talks, fmt::format("Treaty {} in force", b));
    map.AddChild(country, "Khrushchev met Eisenhower at Geneva in July 1955");
    map.AddChild(country, b % 3 ? "Troops were cut by 1.2mil men in 1956"
                                : "Why did the thaw begin?");
  }
  return map;
}

TEST(CardsTest, ThreadsMakeTheSameCards) {
  std::vector<std::pair<std::string, Map>> maps;
  maps.emplace_back("history", HistoryMap());
  maps.emplace_back("repetitive", RepetitiveMap(500));
  maps.emplace_back("seed", ReadSeed());
  for (const auto& [name, map] : maps) {
    CardOptions one;
    one.threads = 1;
    std::vector<Card> expected = GenerateCards(map, one);
    ASSERT_FALSE(expected.empty()) << name;
    for (int threads : {0, 2, 3, 7}) {
      CardOptions options;
      options.threads = threads;
      EXPECT_EQ(CardsToJson(GenerateCards(map, options)), CardsToJson(expected))
          << name << ", " << threads << " threads";
    }
  }
}

TEST(CardsTest, IdsSurviveEditsElsewhere) {
  Map map = HistoryMap();
  std::vector<Card> before = GenerateCards(map, {});
  // Edit one leaf: only its own cards (and those listing it) may change.
  NodeId leaf = kNoNode;
  for (NodeId id : map.PreOrder()) {
    if (map.node(id).text == "Hungarian uprising 1956") leaf = id;
  }
  ASSERT_NE(leaf, kNoNode);
  map.node(leaf).text = "Hungarian revolution 1956";
  std::vector<Card> after = GenerateCards(map, {});
  std::set<std::string> after_ids;
  for (const Card& c : after) after_ids.insert(c.id);
  size_t kept = 0;
  for (const Card& c : before) {
    bool touches =
        c.node == leaf || c.back.find("Hungarian") != std::string::npos;
    if (touches) continue;
    EXPECT_TRUE(after_ids.count(c.id)) << c.front;
    ++kept;
  }
  EXPECT_GT(kept, 5u);
  // The id depends on the node's text path, the kind and the answer only.
  EXPECT_EQ(CardId("path", CardKind::kCloze, "1955"),
            CardId("path", CardKind::kCloze, "1955"));
  EXPECT_NE(CardId("path", CardKind::kCloze, "1955"),
            CardId("path", CardKind::kWhen, "1955"));
  EXPECT_NE(CardId("path", CardKind::kCloze, "1955"),
            CardId("path2", CardKind::kCloze, "1955"));
}

TEST(CardsTest, KindsCanBeChosen) {
  Map map = HistoryMap();
  CardOptions options;
  for (bool& k : options.kinds) k = false;
  options.kinds[static_cast<int>(CardKind::kWhen)] = true;
  std::vector<Card> cards = GenerateCards(map, options);
  ASSERT_FALSE(cards.empty());
  for (const Card& c : cards) EXPECT_EQ(c.kind, CardKind::kWhen);
  EXPECT_EQ(ParseCardKind("chronology"), CardKind::kChronology);
  EXPECT_EQ(ParseCardKind("bogus"), std::nullopt);
}

TEST(CardsTest, JsonHasTheDocumentedFields) {
  Map map = HistoryMap();
  std::vector<Card> cards = GenerateCards(map, {});
  auto json = nlohmann::json::parse(CardsToJson(cards));
  ASSERT_TRUE(json.contains("cards"));
  ASSERT_EQ(json["cards"].size(), cards.size());
  for (size_t i = 0; i < cards.size(); ++i) {
    const auto& j = json["cards"][i];
    EXPECT_EQ(j["id"], cards[i].id);
    EXPECT_EQ(j["kind"], std::string(CardKindName(cards[i].kind)));
    EXPECT_EQ(j["front"], cards[i].front);
    EXPECT_EQ(j["back"], cards[i].back);
    EXPECT_EQ(j["context"], cards[i].context.headings());
    EXPECT_EQ(j["node"], cards[i].node);
    EXPECT_EQ(j["choices"], cards[i].choices);
    EXPECT_EQ(j["answers"], cards[i].answers);
    EXPECT_EQ(j["list"], cards[i].is_list);
    EXPECT_EQ(j["ordered"], cards[i].ordered);
    EXPECT_EQ(j["era"], cards[i].era);
  }
  EXPECT_EQ(CardsToJson({}), "{\"cards\": []}\n");
}

TEST(CardsTest, CsvAndAnkiTextQuoteTheirFields) {
  Card c;
  c.id = "00000000000000ab";
  c.kind = CardKind::kCloze;
  c.front = "Said \"no\", then [...]\tleft";
  c.back = "1955";
  c.context = {"Root", "A <b> & c"};
  EXPECT_EQ(CardsToCsv({c}),
            "id,kind,context,front,back\r\n"
            "00000000000000ab,cloze,Root › A <b> & c,\"Said \"\"no\"\", then "
            "[...]\tleft\",1955\r\n");
  EXPECT_EQ(CardsToAnkiText({c}),
            "#separator:tab\n#html:true\n#guid column:1\n#tags column:4\n"
            "#columns:guid\tFront\tBack\ttags\n"
            "mindcards-00000000000000ab\t<div class=\"context\"><small>Root › "
            "A &lt;b&gt; &amp; c</small></div>Said &quot;no&quot;, then [...] "
            "left\t1955\tmindcards::cloze\n");
}

TEST(CardsTest, PathologicalMapsFinish) {
  // 100,000 levels deep, a date every 100 levels: contexts are capped and
  // nothing recurses.
  Map deep;
  NodeId id = deep.AddRoot("Deep 1900");
  for (int i = 0; i < 100000; ++i) {
    id = deep.AddChild(
        id, i % 100 == 0 ? fmt::format("Treaty signed in {}", 1900 + i / 1000)
                         : fmt::format("level {}", i));
  }
  std::vector<Card> cards = GenerateCards(deep, {});
  EXPECT_FALSE(cards.empty());
  for (const Card& c : cards) ASSERT_LE(c.context.size(), 12u);
  // 100,000 levels of one sentence: on two threads nearly every node of the
  // second part has its cards made again, each in constant time.
  Map same;
  id = same.AddRoot("Same 1955");
  for (int i = 0; i < 100000; ++i) {
    id = same.AddChild(id, "Austria signed the treaty with Molotov in 1955");
  }
  CardOptions one, two;
  one.threads = 1;
  two.threads = 2;
  EXPECT_EQ(CardsToJson(GenerateCards(same, two)),
            CardsToJson(GenerateCards(same, one)));
  // A megabyte of text in one node.
  Map big;
  std::string text;
  while (text.size() < 1000000) text += "In 1955 Austria signed. ";
  big.AddChild(big.AddRoot("Big"), text);
  std::vector<Card> big_cards = GenerateCards(big, {});
  for (const Card& c : big_cards) ASSERT_LT(c.front.size(), 2000u);
  // 100,000 siblings.
  Map wide;
  NodeId root = wide.AddRoot("Wide");
  for (int i = 0; i < 100000; ++i) {
    wide.AddChild(root, i % 100 == 0
                            ? fmt::format("Event {} in {}", i, 1000 + i / 100)
                            : fmt::format("item {}", i));
  }
  EXPECT_EQ(BrokenRule(wide, GenerateCards(wide, {})), "");
  EXPECT_TRUE(GenerateCards(Map(), {}).empty());
}

TEST(CardsCliTest, WritesEachFormatAndRejectsBadUsage) {
  std::string seed =
      testing::SourceDir() + "/examples/peaceful-coexistence.txt";
  std::string outline =
      "Cold War\n  Austrian State Treaty 1955\n    neutral Austria\n";
  auto json = testing::RunCli({"cards", "-", "-f", "outline"}, outline);
  EXPECT_EQ(json.exit_code, 0) << json.err;
  auto parsed = nlohmann::json::parse(json.out);
  ASSERT_EQ(parsed["cards"].size(), 1u);
  EXPECT_EQ(parsed["cards"][0]["kind"], "when");
  EXPECT_EQ(parsed["cards"][0]["back"], "1955");
  EXPECT_EQ(parsed["cards"][0]["context"], nlohmann::json({"Cold War"}));
  auto csv = testing::RunCli({"cards", "-", "-f", "outline", "--format", "csv"},
                             outline);
  EXPECT_EQ(csv.exit_code, 0);
  EXPECT_TRUE(csv.out.starts_with("id,kind,context,front,back\r\n")) << csv.out;
  auto anki = testing::RunCli(
      {"cards", "-", "-f", "outline", "--format", "anki-txt"}, outline);
  EXPECT_EQ(anki.exit_code, 0);
  EXPECT_TRUE(anki.out.starts_with("#separator:tab\n")) << anki.out;
  std::string apkg_path = ::testing::TempDir() + "/cards_cli_test.apkg";
  auto apkg =
      testing::RunCli({"cards", seed, "--format", "apkg", "-o", apkg_path});
  EXPECT_EQ(apkg.exit_code, 0) << apkg.err;
  EXPECT_TRUE(testing::ReadFileOrDie(apkg_path).starts_with("PK\x03\x04"));
  auto apkg_stdout = testing::RunCli({"cards", seed, "--format", "apkg"});
  EXPECT_EQ(apkg_stdout.exit_code, 2);
  EXPECT_EQ(apkg_stdout.err,
            "mindcards cards: --format apkg writes a zip file; give it a "
            "name with -o FILE.apkg\n");
  auto bad = testing::RunCli({"cards", seed, "--format", "pdf"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err,
            "mindcards cards: unknown --format 'pdf' (use json, csv, anki-txt "
            "or apkg)\n");
  auto one = testing::RunCli({"cards", seed, "--threads", "1"});
  auto two = testing::RunCli({"cards", seed, "--threads", "2"});
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_NE(one.out.find("\"kind\": \"cloze\""), std::string::npos);
  EXPECT_EQ(two.out, one.out);
  EXPECT_EQ(testing::RunCli({"cards", seed, "--threads", "17"}).exit_code, 2);
  auto kind = testing::RunCli({"cards", seed, "--kinds", "cloze,bogus"});
  EXPECT_EQ(kind.exit_code, 2);
  EXPECT_EQ(kind.err, "mindcards cards: unknown card kind 'bogus'\n");
  auto missing = testing::RunCli({"cards", "/nonexistent/map.opml"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("/nonexistent/map.opml"), std::string::npos);
  auto help = testing::RunCli({"cards", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--format"), std::string::npos);
}

}  // namespace
}  // namespace mindcards
