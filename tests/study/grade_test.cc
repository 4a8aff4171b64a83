#include "mindcards/grade.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mindcards {
namespace {

struct Case {
  const char* answer;
  const char* expected;
  int era;          // GradeOptions::era_century
  const char* how;  // MatchKindName of the result
  double score;
  int rating;  // suggested rating (no response time given)
};

// Each row: what the student typed, the card's answer, the era, and the
// whole verdict.
const Case kCases[] = {
    // Normalisation: case, accents, punctuation, spacing, articles.
    {"Khrushchev", "Khrushchev", 0, "exact", 1, 3},
    {"khrushchev", "Khrushchev", 0, "exact", 1, 3},
    {"  KHRUSHCHEV  ", "Khrushchev", 0, "exact", 1, 3},
    {"Malenkov.", "Malenkov", 0, "exact", 1, 3},
    {"Peron", "Perón", 0, "exact", 1, 3},
    {"sao paulo", "São Paulo", 0, "exact", 1, 3},
    {"the Warsaw Pact", "Warsaw Pact", 0, "exact", 1, 3},
    {"Warsaw Pact", "The Warsaw Pact", 0, "exact", 1, 3},
    {"sino soviet split", "Sino-Soviet split", 0, "exact", 1, 3},
    {"Sino\u2013Soviet split", "Sino-Soviet split", 0, "exact", 1, 3},
    {"sinosoviet split", "Sino-Soviet split", 0, "exact", 1, 3},
    {"peaceful   coexistence", "Peaceful Coexistence", 0, "exact", 1, 3},
    {"\u201cSecret Speech\u201d", "\"Secret Speech\"", 0, "exact", 1, 3},
    {"Austrian State Treaty", "Austrian State Treaty (1955)", 0, "exact", 1, 3},
    {"Austrian State Treaty 1955", "Austrian State Treaty (1955)", 0, "exact",
     1, 3},
    {"Geneva 1955", "Geneva, 1955", 0, "exact", 1, 3},
    // Numbers with units at the precision the answer states.
    {"5.8mil", "5.8 million", 0, "exact", 1, 3},
    {"5,800,000", "5.8 million", 0, "number", 1, 3},
    {"5.8 million", "5,800,000", 0, "number", 1, 3},
    {"5800k", "5.8mil", 0, "number", 1, 3},
    {"5.83 million", "5.8 million", 0, "number", 1, 3},
    {"5,8 millones", "5.8 million", 0, "exact", 1, 3},
    {"5.9 million", "5.8 million", 0, "wrong", 0, 1},
    {"6 million", "5.8 million", 0, "wrong", 0, 1},
    {"58 million", "5.8 million", 0, "wrong", 0, 1},
    {"1955", "1955", 0, "exact", 1, 3},
    {"1956", "1955", 0, "wrong", 0, 1},
    {"1956", "1955", 1900, "wrong", 0, 1},
    {"1.95%", "1.95%", 0, "exact", 1, 3},
    {"1.95 per cent", "1.95%", 0, "exact", 1, 3},
    {"1.9%", "1.95%", 0, "wrong", 0, 1},
    {"50%", "0.5", 0, "wrong", 0, 1},
    {"0.5", "50%", 0, "wrong", 0, 1},
    {"33 percent", "33%", 0, "exact", 1, 3},
    {"$300 million", "$300million", 0, "exact", 1, 3},
    {"300 million dollars", "$300million", 0, "exact", 1, 3},
    {"300m", "$300million", 0, "exact", 1, 3},
    {"$3 million", "$300million", 0, "wrong", 0, 1},
    {"38th parallel", "38th parallel", 0, "exact", 1, 3},
    {"38 parallel", "38th parallel", 0, "exact", 1, 3},
    {"39th parallel", "38th parallel", 0, "wrong", 0, 1},
    {"XX Party Congress", "20th Party Congress", 0, "number", 1, 3},
    {"20th Party Congress", "XX Party Congress", 0, "number", 1, 3},
    {"XXI Party Congress", "20th Party Congress", 0, "wrong", 0, 1},
    {"fifty year", "50 year", 0, "number", 1, 3},
    {"50 years", "50 year", 0, "typo", 1, 3},
    // Years and dates.
    {"55", "1955", 1900, "year", 1, 3},
    {"55", "1955", 0, "wrong", 0, 1},
    {"55", "1955", 1800, "wrong", 0, 1},
    {"'55", "1955", 0, "year", 1, 3},
    {"in 55", "1955", 1900, "year", 1, 3},
    {"1955", "in 55", 1900, "year", 1, 3},
    {"56", "1955", 1900, "wrong", 0, 1},
    {"June 1953", "June 53", 1900, "year", 1, 3},
    {"July 53", "July 1953", 1900, "year", 1, 3},
    {"August 1953", "July 1953", 1900, "wrong", 0, 1},
    {"1953-1954", "1953-54", 0, "exact", 1, 3},
    {"1953-55", "1953-54", 0, "wrong", 0, 1},
    {"15/04/2014", "15 April 2014", 0, "exact", 1, 3},
    {"2014-04-15", "15/04/2014", 0, "exact", 1, 3},
    {"15th of April 2014", "15/04/2014", 0, "exact", 1, 3},
    {"16/04/2014", "15/04/2014", 0, "wrong", 0, 1},
    {"14 May 1955", "May 1955", 0, "number", 1, 3},
    {"May 1955", "14 May 1955", 0, "wrong", 0, 1},
    {"May 1955", "1955", 0, "number", 1, 3},
    {"1950s", "1950s", 0, "exact", 1, 3},
    {"50s", "1950s", 1900, "year", 1, 3},
    {"50s", "1950s", 0, "wrong", 0, 1},
    {"1950", "1950s", 0, "wrong", 0, 1},
    // Typos in words, scaled by length; never in numbers or short words.
    {"Kruschev", "Khrushchev", 0, "typo", 1, 3},
    {"Krushchev", "Khrushchev", 0, "typo", 1, 3},
    {"Khrushchov", "Khrushchev", 0, "typo", 1, 3},
    {"Eisenhover", "Eisenhower", 0, "typo", 1, 3},
    {"Austrain State Treaty", "Austrian State Treaty", 0, "typo", 1, 3},
    {"Stalim", "Stalin", 0, "typo", 1, 3},
    {"Kruhcshve", "Khrushchev", 0, "wrong", 0, 1},
    {"USA", "USSR", 0, "wrong", 0, 1},
    {"USSR", "USA", 0, "wrong", 0, 1},
    {"UK", "US", 0, "wrong", 0, 1},
    {"Molotov", "Malenkov", 0, "wrong", 0, 1},
    {"Berlin Airlift", "Berlin Wall", 0, "wrong", 0, 1},
    {"Khrushchev", "Nikita Khrushchev", 0, "typo", 1, 3},
    {"Georgy Malenkov", "Malenkov", 0, "typo", 1, 3},
    {"Korea", "North Korea", 0, "wrong", 0, 1},
    {"Khrushchev", "K", 0, "typo", 1, 3},
    {"Malenkov", "K", 0, "wrong", 0, 1},
    {"k", "K", 0, "exact", 1, 3},
    {"2nd half of the 50s", "2nd half of 50s", 1900, "exact", 1, 3},
    {"early 1960s", "early 60s", 1900, "year", 1, 3},
    {"1902-88", "1902-1988", 0, "exact", 1, 3},
    {"not neutral", "neutral", 0, "wrong", 0, 1},
    {"neutral", "not neutral", 0, "wrong", 0, 1},
    // Alternatives.
    {"Soviet Union", "USSR / Soviet Union", 0, "exact", 1, 3},
    {"USSR", "USSR or Soviet Union", 0, "exact", 1, 3},
    // Lists, any order, partial credit.
    {"Hungary; Poland", "Poland; Hungary", 0, "list", 1, 3},
    {"Poland", "Poland; Hungary", 0, "list", 0.5, 2},
    {"USA, USSR, UK and France", "USSR, USA, France, UK", 0, "list", 1, 3},
    {"ussr usa uk", "USA, USSR, UK, France", 0, "list", 0.75, 2},
    {"Kruschev and Eisenhower", "Eisenhower; Khrushchev", 0, "list", 1, 3},
    {"Cuba", "Poland; Hungary; East Germany", 0, "wrong", 0, 1},
    {"Poland\nCuba", "Poland; Hungary; East Germany", 0, "list", 1.0 / 3, 1},
    // Numbers too large to be years never go through the year rules (a
    // fuzzer found the int conversion overflowing).
    {"May 1955", "91555555555555555554", 0, "wrong", 0, 1},
    {"'55", "91555555555555555554", 0, "wrong", 0, 1},
    // Nothing typed: the student revealed the answer.
    {"", "1955", 0, "empty", 0, 0},
    {"   ", "Khrushchev", 0, "empty", 0, 0},
    {"?!", "Khrushchev", 0, "empty", 0, 0},
};

TEST(GradeTest, Table) {
  static_assert(sizeof(kCases) / sizeof(kCases[0]) >= 60);
  for (const Case& c : kCases) {
    GradeOptions options;
    options.era_century = c.era;
    Grade g = GradeAnswer(c.answer, c.expected, options);
    std::string got = std::string(MatchKindName(g.how)) + " " +
                      std::to_string(g.score) + " " +
                      std::to_string(g.suggested_rating) + " " +
                      (g.correct ? "correct" : "not");
    std::string want = std::string(c.how) + " " + std::to_string(c.score) +
                       " " + std::to_string(c.rating) + " " +
                       (c.score == 1 ? "correct" : "not");
    EXPECT_EQ(got, want) << "answer \"" << c.answer << "\" for \"" << c.expected
                         << "\" (era " << c.era << "): " << g.feedback;
  }
}

TEST(GradeTest, FeedbackNamesTheAnswerAndMissingItems) {
  Grade g = GradeAnswer("Kruschev", "Khrushchev");
  EXPECT_EQ(g.feedback, "Correct (check the spelling: Khrushchev).");
  g = GradeAnswer("Poland", "Poland; Hungary; East Germany");
  EXPECT_EQ(g.feedback, "1 of 3: missing Hungary; East Germany.");
  EXPECT_EQ(g.missed, (std::vector<std::string>{"Hungary", "East Germany"}));
  g = GradeAnswer("Poland, Cuba", "Poland; Hungary");
  EXPECT_EQ(g.extra, (std::vector<std::string>{"Cuba"}));
  g = GradeAnswer("1956", "1955");
  EXPECT_EQ(g.feedback, "Not quite: the answer is 1955.");
  g = GradeAnswer("", "1955");
  EXPECT_EQ(g.feedback, "The answer is 1955.");
}

TEST(GradeTest, FastCorrectAnswerSuggestsEasy) {
  GradeOptions options;
  options.response_ms = 2000;
  EXPECT_EQ(GradeAnswer("1955", "1955", options).suggested_rating, 4);
  EXPECT_EQ(GradeAnswer("Kruschev", "Khrushchev", options).suggested_rating, 3);
  options.response_ms = 20000;
  EXPECT_EQ(GradeAnswer("1955", "1955", options).suggested_rating, 3);
}

TEST(GradeTest, OrderedListsCreditTheLongestRunInOrder) {
  std::vector<std::string> items = {"Stalin dies 1953", "Geneva Summit 1955",
                                    "Secret Speech 1956"};
  Grade g = GradeList(
      "Stalin dies 1953; Geneva Summit 1955; Secret Speech 1956", items, true);
  EXPECT_TRUE(g.correct);
  EXPECT_EQ(g.score, 1);
  g = GradeList("Geneva Summit 1955; Stalin dies 1953; Secret Speech 1956",
                items, true);
  EXPECT_FALSE(g.correct);
  EXPECT_DOUBLE_EQ(g.score, 2.0 / 3);
  EXPECT_EQ(g.suggested_rating, 2);
  EXPECT_EQ(g.feedback,
            "2 of 3 in the right order; the order is Stalin dies 1953; "
            "Geneva Summit 1955; Secret Speech 1956.");
  // Unordered, the same answer is fully right.
  g = GradeList("Geneva Summit 1955; Stalin dies 1953; Secret Speech 1956",
                items, false);
  EXPECT_TRUE(g.correct);
}

TEST(GradeTest, CardsUseTheirAnswersEraAndChoices) {
  Card card;
  card.kind = CardKind::kChoice;
  card.back = "Malenkov";
  card.answers = {"Malenkov"};
  card.choices = {"Molotov", "Malenkov", "Beria", "Bulganin"};
  EXPECT_TRUE(GradeCard("2", card).correct);
  EXPECT_FALSE(GradeCard("1", card).correct);
  EXPECT_TRUE(GradeCard("malenkov", card).correct);
  Card when;
  when.kind = CardKind::kWhen;
  when.back = "1955";
  when.answers = {"1955"};
  when.era = 1900;
  Grade g = GradeCard("55", when);
  EXPECT_TRUE(g.correct);
  EXPECT_EQ(g.how, MatchKind::kYear);
  Card list;
  list.kind = CardKind::kList;
  list.back = "Poland; Hungary";
  list.answers = {"Poland", "Hungary"};
  list.is_list = true;
  g = GradeCard("hungary", list);
  EXPECT_DOUBLE_EQ(g.score, 0.5);
  EXPECT_EQ(g.missed, (std::vector<std::string>{"Poland"}));
}

TEST(GradeTest, OsaDistanceCountsTranspositionsOnce) {
  using detail::OsaDistance;
  EXPECT_EQ(OsaDistance(U"austrian", U"austrain", 5), 1u);
  EXPECT_EQ(OsaDistance(U"khrushchev", U"kruschev", 5), 2u);
  EXPECT_EQ(OsaDistance(U"ca", U"abc", 5), 3u);  // OSA, not full Damerau
  EXPECT_EQ(OsaDistance(U"", U"abc", 5), 3u);
  EXPECT_EQ(OsaDistance(U"abcdef", U"uvwxyz", 2), 3u);  // gave up past 2
}

TEST(GradeTest, NormalizeFoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(detail::NormalizeForGrading("  Perón's  “Third   Way”! "),
            "perons third way");
  EXPECT_EQ(detail::NormalizeForGrading("Ｆｕｌｌ-width"), "full width");
  EXPECT_EQ(detail::NormalizeForGrading("\xFF\xFEok"), "ok");
}

TEST(GradeTest, HostileInputNeverCrashes) {
  std::string deep(100000, '(');
  EXPECT_FALSE(GradeAnswer(deep, "x").correct);
  std::string digits(5000, '9');
  EXPECT_FALSE(GradeAnswer(digits, "1955").correct);
  EXPECT_FALSE(GradeAnswer("1955", digits).correct);
  std::string commas;
  for (int i = 0; i < 2000; ++i) commas += "a, ";
  Grade g = GradeAnswer(commas, commas);
  EXPECT_TRUE(g.correct);
  // A megabyte of list items against a long list finishes (only the first
  // 16 KiB are read).
  std::string items;
  for (int i = 0; i < 100000; ++i) items += "item" + std::to_string(i) + "; ";
  g = GradeAnswer(items, items.substr(0, 30000));
  EXPECT_TRUE(g.correct);
  std::vector<std::string> many(5000, "Khrushchev");
  g = GradeList(items, many, true);
  EXPECT_FALSE(g.correct);
}

}  // namespace
}  // namespace mindcards
