// Pathological shapes for every format that both reads and writes: a
// 100,000-deep chain, a million siblings and a megabyte-long text must
// write and read back without overflowing the stack.
//
// Indentation formats (outline, Markdown lists, Mermaid) spend at least two
// bytes of indentation per level on every line, so a chain of depth d costs
// about d^2 bytes: 100,000 levels would be ~10 GB, far past the 256 MiB
// input limit. For them the chain is 5,000 deep (~25 MB), the deepest that
// stays fast; the reason is repeated in docs/formats.md.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <string>
#include <vector>

#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards {
namespace {

const std::set<std::string>& IndentationFormats() {
  static const std::set<std::string> names = {"outline", "markdown", "mermaid"};
  return names;
}

// The layout harness's `sizes` format has no text (a node's text is its
// id), so only the shape of the tree can survive it.
bool CarriesText(const std::string& format) { return format != "sizes"; }

bool SameShape(const Map& a, const Map& b, std::string* why) {
  auto ia = a.PreOrder().begin();
  auto ib = b.PreOrder().begin();
  for (size_t i = 0; ia != a.PreOrder().end() && ib != b.PreOrder().end();
       ++ia, ++ib, ++i) {
    if (ia.depth() != ib.depth()) {
      *why = "node #" + std::to_string(i) + " at another depth";
      return false;
    }
  }
  if (a.size() != b.size()) *why = "node counts differ";
  return a.size() == b.size();
}

// Built once: a million siblings take a while to make.
const Map& MillionSiblings() {
  static const Map map = [] {
    Map m;
    m.Reserve(1'000'001);
    NodeId root = m.AddRoot("root");
    for (size_t i = 0; i < 1'000'000; ++i)
      m.AddChild(root, fmt::format("s{}", i));
    return m;
  }();
  return map;
}

std::vector<std::string> ReadWriteFormats() {
  std::vector<std::string> names;
  for (const FormatSpec* spec : AllFormats()) {
    if (spec->read != nullptr && spec->write != nullptr)
      names.push_back(spec->name);
  }
  return names;
}

class PathologicalTest : public ::testing::TestWithParam<std::string> {
 protected:
  void RoundTrip(const Map& map) {
    auto text = WriteMap(map, GetParam());
    ASSERT_TRUE(text) << text.error().ToString();
    ReadOptions options;
    options.format = GetParam();
    auto back = ReadMap(*text, options);
    ASSERT_TRUE(back) << back.error().ToString();
    std::string why;
    if (CarriesText(GetParam())) {
      EXPECT_TRUE(SameTree(map, *back, false, &why)) << why;
    } else {
      EXPECT_TRUE(SameShape(map, *back, &why)) << why;
    }
  }
};

TEST_P(PathologicalTest, DeepChain) {
  const size_t depth = IndentationFormats().count(GetParam()) ? 5'000 : 100'000;
  Map map;
  NodeId id = map.AddRoot("n0");
  for (size_t i = 1; i <= depth; ++i)
    id = map.AddChild(id, fmt::format("n{}", i));
  ASSERT_EQ(map.MaxDepth(), depth);
  RoundTrip(map);
}

TEST_P(PathologicalTest, MillionSiblings) { RoundTrip(MillionSiblings()); }

TEST_P(PathologicalTest, MegabyteText) {
  std::string text;
  while (text.size() < (1u << 20))
    text += "word, (x) [y] <z> & \"q\" #35; * _ - ";
  text = std::string(Trim(text));
  Map map;
  NodeId root = map.AddRoot("root");
  map.AddChild(root, text);
  map.AddChild(root, "after");
  RoundTrip(map);
}

INSTANTIATE_TEST_SUITE_P(AllFormats, PathologicalTest,
                         ::testing::ValuesIn(ReadWriteFormats()),
                         [](const auto& info) {
                           std::string name = info.param;
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c)))
                               c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace mindcards
