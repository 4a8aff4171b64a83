#include <gtest/gtest.h>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

Result<Map> ReadOutline(std::string_view text, Diagnostics* d = nullptr) {
  ReadOptions options;
  options.format = "outline";
  return ReadMap(text, options, d);
}

TEST(OutlineTest, ReadsIndentedTree) {
  auto map = ReadOutline("root\n  a\n    a1\n  b\n");
  ASSERT_TRUE(map) << map.error().ToString();
  auto out = WriteMap(*map, "outline");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "root\n  a\n    a1\n  b\n");
}

TEST(OutlineTest, EscapesRoundTrip) {
  Map map;
  NodeId root = map.AddRoot("two\nlines");
  map.AddChild(root, "back\\slash");
  map.AddChild(root, "");
  auto out = WriteMap(map, "outline");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "two\\nlines\n  back\\\\slash\n  \\_\n");
  auto back = ReadOutline(*out);
  ASSERT_TRUE(back);
  std::string why;
  EXPECT_TRUE(SameTree(map, *back, true, &why)) << why;
}

TEST(OutlineTest, ErrorsHavePositions) {
  struct Case {
    const char* input;
    const char* error;
  } cases[] = {
      {"root\nsecond root\n", "<input>:2:1: a second unindented line; an outline "
                              "has one root (indent the other nodes under it)"},
      {"root\n\tchild\n", "<input>:2:1: tab in indentation; outline indents "
                          "with two spaces"},
      {"a\n  b\xFF\n", "<input>:2:4: invalid UTF-8 (byte 0xFF)"},
      {"\n  \n", "<input>:1:1: no nodes: the input is empty"},
  };
  for (const Case& c : cases) {
    auto map = ReadOutline(c.input);
    ASSERT_FALSE(map) << c.input;
    EXPECT_EQ(map.error().ToString(), c.error);
  }
}

TEST(OutlineTest, DeepIndentIsClampedWithWarning) {
  Diagnostics d;
  auto map = ReadOutline("r\n      deep\n", &d);
  ASSERT_TRUE(map);
  EXPECT_EQ(map->MaxDepth(), 1u);
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].pos, (SourcePos{2, 7}));
}

TEST(OutlineTest, NodeLimitIsAnError) {
  ReadOptions options;
  options.format = "outline";
  options.limits.max_nodes = 2;
  auto map = ReadMap("r\n  a\n  b\n", options);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(), "<input>:3:3: too many nodes (limit 2)");
}

}  // namespace
}  // namespace mindcards
