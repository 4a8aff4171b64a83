#include "mindcards/map.h"

#include <gtest/gtest.h>

namespace mindcards {
namespace {

Map Sample() {
  Map map;
  NodeId root = map.AddRoot("root");
  NodeId a = map.AddChild(root, "a");
  map.AddChild(a, "a1");
  map.AddChild(a, "a2");
  map.AddChild(root, "b");
  return map;
}

std::string Walk(const Map& map) {
  std::string out;
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    out += std::to_string(it.depth()) + map.node(*it).text + " ";
  }
  return out;
}

TEST(MapTest, PreOrderVisitsEveryNodeWithDepth) {
  EXPECT_EQ(Walk(Sample()), "0root 1a 2a1 2a2 1b ");
}

TEST(MapTest, MoveKeepsOrderAndRefusesCycles) {
  Map map = Sample();
  ASSERT_TRUE(map.Move(4, 1, 2));  // b before a1
  EXPECT_EQ(Walk(map), "0root 1a 2b 2a1 2a2 ");
  EXPECT_FALSE(map.Move(1, 2));  // a under its own child
  EXPECT_FALSE(map.Move(0, 1));  // the root
}

TEST(MapTest, RemoveDetachesSubtree) {
  Map map = Sample();
  map.Remove(1);
  EXPECT_EQ(Walk(map), "0root 1b ");
  EXPECT_EQ(map.size(), 2u);
  EXPECT_FALSE(map.valid(2));
}

TEST(MapTest, DeepChainWalksAndDestroysWithoutRecursion) {
  Map map;
  NodeId id = map.AddRoot("r");
  for (int i = 0; i < 1'000'000; ++i) id = map.AddChild(id, "x");
  EXPECT_EQ(map.MaxDepth(), 1'000'000u);
  Map copy = map;
  std::string why;
  EXPECT_TRUE(SameTree(map, copy, true, &why)) << why;
}

TEST(MapTest, SameTreeReportsFirstDifference) {
  Map a = Sample();
  Map b = Sample();
  b.node(3).text = "changed";
  std::string why;
  EXPECT_FALSE(SameTree(a, b, false, &why));
  EXPECT_EQ(why, "node #3: text \"a2\" vs \"changed\"");
}

TEST(MapTest, ExtrasAreMadeOnWriteAndCopiedDeeply) {
  Map map;
  NodeId root = map.AddRoot("root");
  NodeId a = map.AddChild(root, "a");
  map.node(a).set_note("");  // nothing to store: no extras made
  EXPECT_EQ(map.node(a).note(), "");
  map.node(a).set_note("note");
  map.node(a).mutable_extras().icons.push_back("star");
  Map copy = map;
  copy.node(a).set_note("changed");
  copy.node(a).mutable_extras().icons.clear();
  EXPECT_EQ(map.node(a).note(), "note");
  EXPECT_EQ(map.node(a).icons(), std::vector<std::string>{"star"});
  EXPECT_EQ(copy.node(a).note(), "changed");
  EXPECT_TRUE(copy.node(a).icons().empty());
  EXPECT_TRUE(map.node(root).attributes().empty());
  map = copy;  // assignment copies too
  EXPECT_EQ(map.node(a).note(), "changed");
}

}  // namespace
}  // namespace mindcards
