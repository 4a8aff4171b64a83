#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "mindcards/facts.h"
#include "test_util.h"

namespace mindcards {
namespace {

std::string Describe(const std::vector<TimelineEvent>& events) {
  std::string out;
  for (const TimelineEvent& e : events) {
    out += fmt::format("{} [{}] {}\n", FormatDate(e.date), e.date.text,
                       fmt::join(e.path, " > "));
  }
  return out;
}

TEST(TimelineTest, ListsDatesInOrderWithTheirPaths) {
  Map map;
  NodeId root = map.AddRoot("Cold War");
  NodeId measures = map.AddChild(root, "Key measures");
  map.AddChild(measures, "Austrian State Treaty 1955");
  map.AddChild(measures, "End of Korean War July 1953");
  NodeId army = map.AddChild(root, "Army cuts from mid 1950s");
  map.AddChild(army, "announced in early 60s");
  map.AddChild(army, "lost the premiership in 55 and his seat in 1957");
  map.AddChild(root, "no date here");
  EXPECT_EQ(Describe(BuildTimeline(map)),
            "1953-07 [July 1953] Cold War > Key measures > End of Korean War "
            "July 1953\n"
            "1954-1956 (mid 1950s) [mid 1950s] Cold War > Army cuts from mid "
            "1950s\n"
            "1955 [1955] Cold War > Key measures > Austrian State Treaty "
            "1955\n"
            "1955 [55] Cold War > Army cuts from mid 1950s > lost the "
            "premiership in 55 and his seat in 1957\n"
            "1957 [1957] Cold War > Army cuts from mid 1950s > lost the "
            "premiership in 55 and his seat in 1957\n"
            "1960-1963 (early 60s) [early 60s] Cold War > Army cuts from mid "
            "1950s > announced in early 60s\n");
}

TEST(TimelineTest, EmptyAndUndatedMapsHaveNoEvents) {
  EXPECT_TRUE(BuildTimeline(Map()).empty());
  Map map;
  map.AddChild(map.AddRoot("Notes"), "nothing dated");
  EXPECT_TRUE(BuildTimeline(map).empty());
}

TEST(TimelineTest, DeepMapsKeepShortPaths) {
  Map map;
  NodeId id = map.AddRoot("Root");
  for (int i = 0; i < 50000; ++i) id = map.AddChild(id, fmt::format("n{}", i));
  map.AddChild(id, "Signed in 1955");
  std::vector<TimelineEvent> events = BuildTimeline(map);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].path.size(), 13u);  // 12 headings and the node
  EXPECT_EQ(events[0].path[0], "Root");
  EXPECT_EQ(events[0].path[1], "…");
  EXPECT_EQ(events[0].path.back(), "Signed in 1955");
}

TEST(TimelineCliTest, PrintsEventsAndTsv) {
  std::string outline =
      "Cold War\n  Austrian State Treaty 1955\n  End of Korean War July "
      "1953\n";
  auto text = testing::RunCli({"timeline", "-", "-f", "outline"}, outline);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_EQ(text.out,
            "1953-07      End of Korean War July 1953\n"
            "               in: Cold War\n"
            "1955         Austrian State Treaty 1955\n"
            "               in: Cold War\n");
  auto tsv =
      testing::RunCli({"timeline", "-", "-f", "outline", "--tsv"}, outline);
  EXPECT_EQ(tsv.exit_code, 0);
  EXPECT_EQ(tsv.out,
            "1953-07\tJuly 1953\tEnd of Korean War July 1953\tCold War\n"
            "1955\t1955\tAustrian State Treaty 1955\tCold War\n");
  auto missing = testing::RunCli({"timeline"});
  EXPECT_EQ(missing.exit_code, 2);
  auto bad = testing::RunCli({"timeline", "/nonexistent.opml"});
  EXPECT_EQ(bad.exit_code, 1);
}

}  // namespace
}  // namespace mindcards
