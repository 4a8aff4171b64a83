#include "mindcards/facts.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>

#include "study/facts_internal.h"

namespace mindcards {
namespace {

// Every fact of `text` as "kind:text=value" lines; dates show their
// resolved form, quantities their value and unit, quotes their speaker.
std::string Describe(std::string_view text, int era = 1900) {
  std::string out;
  for (const Fact& f : ExtractFactsFromText(text, 0, era)) {
    out += fmt::format("{}:{}", FactKindName(f.kind), f.text);
    // Appended piece by piece: "=" + FormatDate(f) trips GCC 12's
    // -Wrestrict false positive.
    if (f.kind == FactKind::kDate) out += fmt::format("={}", FormatDate(f));
    if (f.kind == FactKind::kQuantity) {
      out += fmt::format("={}", f.value);
      if (!f.unit.empty()) out += fmt::format(" {}", f.unit);
    }
    if (!f.speaker.empty()) out += fmt::format(" by {}", f.speaker);
    out += "\n";
  }
  return out;
}

struct Case {
  const char* text;
  const char* expected;
};

TEST(FactsTest, FindsDatesOfEveryCommonForm) {
  const Case cases[] = {
      {"signed on 15/04/2014 in Rome",
       "date:15/04/2014=2014-04-15\nname:Rome\n"},
      {"signed 2014-04-15", "date:2014-04-15=2014-04-15\n"},
      {"End of the war July 1953", "date:July 1953=1953-07\n"},
      {"ruined in June 53 by riots", "date:June 53=1953-06\n"},
      {"the treaty of 1955 was signed", "date:1955=1955\n"},
      {"losing the premiership in 55 and more", "date:55=1955\n"},
      {"from 1953-54 he tried", "date:1953-54=1953-1954\n"},
      {"lived 1902-1988", "date:1902-1988=1902-1988\n"},
      {"the arms race gathered pace in 40s", "date:40s=1940s\n"},
      {"cuts from mid 1950s onwards", "date:mid 1950s=1954-1956 (mid 1950s)\n"},
      {"in the 2nd half of 50s the army shrank",
       "date:2nd half of 50s=1955-1959 (2nd half of 50s)\n"},
      {"announced in early 60s", "date:early 60s=1960-1963 (early 60s)\n"},
      {"by the end of the 40s both sides",
       "date:end of the 40s=1947-1949 (end of the 40s)\n"},
      {"born 4 July 1776 here", "date:4 July 1776=1776-07-04\n"},
      {"met on April 15, 2014 again", "date:April 15, 2014=2014-04-15\n"},
      {"a hit of '69 today", "date:'69=1969\n"},
      {"during the 1960s and after", "date:1960s=1960s\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Describe(c.text), c.expected) << c.text;
  }
}

TEST(FactsTest, TwoDigitYearsFollowTheEra) {
  EXPECT_EQ(Describe("elected in 05 and again", 2000), "date:05=2005\n");
  EXPECT_EQ(Describe("June 53 riots", 1800), "date:June 53=1853-06\n");
  // With no era a bare two-digit number after "in" is not a year.
  EXPECT_EQ(Describe("losing in 55 and more", 0), "quantity:55=55\n");
}

TEST(FactsTest, DoesNotTakeCountsForYears) {
  const Case cases[] = {
      {"a force of 2000 men", "quantity:2000=2000 men\n"},
      {"given 50 year lease", "quantity:50=50 year\n"},
      {"cuts of 33% announced", "quantity:33%=33 %\n"},
      {"spent 1,955 dollars", "quantity:1,955=1955 dollars\n"},
      {"fought in WW2 until", ""},
      {"at 19.55 sharp", "quantity:19.55=19.55 sharp\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Describe(c.text), c.expected) << c.text;
  }
}

TEST(FactsTest, FindsQuantitiesWithUnits) {
  const Case cases[] = {
      {"fell from 5.8mil to 3.7mil men",
       "quantity:5.8mil=5800000\nquantity:3.7mil=3700000 men\n"},
      {"risen by 1.95% since", "quantity:1.95%=1.95 %\n"},
      {"paid $300million in reparations", "quantity:$300million=300000000 $\n"},
      {"along the 38th parallel in", "quantity:38th parallel=38 th parallel\n"},
      {"cost 3 billion to build", "quantity:3 billion=3000000000\n"},
      {"grew 12 per cent", "quantity:12 per cent=12 %\n"},
      {"some 1,200,000 people", "quantity:1,200,000=1200000 people\n"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Describe(c.text), c.expected) << c.text;
  }
}

TEST(FactsTest, NamesAreCapitalisedSpansNotSentenceStarts) {
  EXPECT_EQ(Describe("Shortly after Stalin died, Beria tried to forge ties"),
            "name:Stalin\nname:Beria\n");
  EXPECT_EQ(Describe("the troops of the Red Army left East Germany"),
            "name:Red Army\nname:East Germany\n");
  EXPECT_EQ(Describe("The USSR and NATO talked"), "name:USSR\nname:NATO\n");
  // A sentence start followed by a capitalised word opens a longer name,
  // unless it is a common word.
  EXPECT_EQ(Describe("Berlin Wall built in 1961"),
            "name:Berlin Wall\ndate:1961=1961\n");
  EXPECT_EQ(Describe("Like Germany, Austria was occupied"),
            "name:Germany\nname:Austria\n");
  EXPECT_EQ(Describe("relations with Tito's Yugoslavia"),
            "name:Tito\nname:Yugoslavia\n");
  EXPECT_EQ(Describe("the Treaty of Versailles was signed"),
            "name:Treaty of Versailles\n");
}

// A root and its children.
Map FlatMap(const char* root, std::initializer_list<const char*> children) {
  Map map;
  NodeId id = map.AddRoot(root);
  for (const char* child : children) map.AddChild(id, child);
  return map;
}

TEST(FactsTest, NamesRepeatedAcrossTheMapCountAtSentenceStarts) {
  Map map = FlatMap("Cold war notes",
                    {"Malenkov called for a new course", "a plan by Malenkov",
                     "Consequently nothing changed"});
  std::string names;
  for (const Fact& f : ExtractFacts(map)) {
    if (f.kind == FactKind::kName)
      names += fmt::format("{}@{};", f.text, f.node);
  }
  EXPECT_EQ(names, "Malenkov@1;Malenkov@2;");
}

// Every fact of `map` found on `threads` threads, one line each.
std::string DescribeMap(const Map& map, size_t threads) {
  std::string out;
  for (const Fact& f : study::ExtractFactsWithEra(map, MapEra(map), threads)) {
    out += fmt::format("{}@{}[{},{}):{}={}-{}/{}/{} {} {} by {}\n",
                       FactKindName(f.kind), f.node, f.begin, f.end, f.text,
                       f.year_from, f.year_to, f.month, f.day, f.value, f.unit,
                       f.speaker);
  }
  return out;
}

TEST(FactsTest, PartsOnThreadsFindTheSameFacts) {
  // "Malenkov" at the sentence start of node 1 is a name only through the
  // mid-sentence use in node 2, which a second thread counts.
  Map map = FlatMap("Cold war notes 1953",
                    {"Malenkov called for a new course in July 53",
                     "a plan by Malenkov: 'peaceful coexistence' in 1955",
                     "Consequently troops were cut by 1.2mil men"});
  std::string one = DescribeMap(map, 1);
  EXPECT_NE(one.find("name@1[0,8):Malenkov"), std::string::npos) << one;
  for (size_t threads : {2, 3, 4, 9}) {
    EXPECT_EQ(DescribeMap(map, threads), one) << threads << " threads";
  }
}

TEST(FactsTest, FindsQuotesAndTheirSpeakers) {
  EXPECT_EQ(Describe("As Khrushchev said 'There is no third way' then"),
            "name:Khrushchev\nquote:There is no third way by Khrushchev\n");
  EXPECT_EQ(
      Describe(
          "As Malenkov put it: \xE2\x80\x9Cthere is no dispute\xE2\x80\x9D"),
      "name:Malenkov\nquote:there is no dispute by Malenkov\n");
  // A pronoun points back to the subject, not to the nearest name.
  EXPECT_EQ(Describe("So Khrushchev favoured Europe due to what he called 'the "
                     "imperialist system'"),
            "name:Khrushchev\nname:Europe\nquote:the imperialist system by "
            "Khrushchev\n");
  // Apostrophes inside words do not open quotes.
  EXPECT_EQ(Describe("the others' zone and Stalin's death"), "name:Stalin\n");
}

TEST(FactsTest, FindsQuestionNodes) {
  EXPECT_EQ(Describe("Why did the USSR pursue peace?"),
            "question:Why did the USSR pursue peace?\nname:USSR\n");
  EXPECT_EQ(Describe("How far did relations improve"),
            "question:How far did relations improve\n");
  EXPECT_EQ(Describe("Relations improved."), "");
}

TEST(FactsTest, MapEraIsTheCommonestCentury) {
  Map map;
  NodeId root = map.AddRoot("In 1953 and 1955");
  map.AddChild(root, "by 2014 and in 1960s");
  EXPECT_EQ(MapEra(map), 1900);
  Map empty;
  empty.AddRoot("no years at all, only 55");
  EXPECT_EQ(MapEra(empty), 0);
}

TEST(FactsTest, HostileTextIsLinearAndSafe) {
  std::string big;
  for (int i = 0; i < 20000; ++i) big += "'\"1953-5 $ 9th '' “ Ab C. 55s ";
  std::vector<Fact> facts = ExtractFactsFromText(big, 0, 1900);
  EXPECT_FALSE(facts.empty());
  for (const Fact& f : facts) {
    ASSERT_LE(f.begin, f.end);
    ASSERT_LE(f.end, big.size());
  }
  std::string bad = "\xFF\xFE June \xC3 1953 \xE2\x80";
  EXPECT_EQ(ExtractFactsFromText(bad, 0, 1900).size(), 1u);
}

}  // namespace
}  // namespace mindcards
