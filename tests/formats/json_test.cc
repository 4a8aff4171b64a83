#include <gtest/gtest.h>

#include "mindcards/formats.h"

namespace mindcards {
namespace {

Result<Map> ReadJson(std::string_view text, Diagnostics* d = nullptr) {
  ReadOptions options;
  options.format = "json";
  return ReadMap(text, options, d);
}

Map FullMap() {
  Map map;
  map.meta().title = "T";
  map.meta().tags = {"a", "b"};
  map.meta().author = "Ann";
  map.meta().created = "2024-01-02";
  map.meta().language = "en";
  NodeId root = map.AddRoot("root \"q\"");
  NodeId a = map.AddChild(root, "a\nline\ttab \\ slash");
  map.node(a).set_note("note");
  map.node(a).set_link("https://x.org/?a=1&b=2");
  map.node(a).mutable_extras().icons = {"star", "flag"};
  map.node(a).mutable_extras().attributes = {{"k", "v"}, {"k", "w"}};
  map.node(a).folded = true;
  map.node(a).side = Side::kLeft;
  map.AddChild(a, "a1 \xC3\xA9 \xF0\x9F\x98\x80");
  NodeId b = map.AddChild(root, "b");
  map.node(b).side = Side::kRight;
  return map;
}

constexpr const char* kFullJson =
    "{\"format\":\"mindcards\",\"version\":1,\n"
    "\"meta\":{\"title\":\"T\",\"tags\":[\"a\",\"b\"],\"author\":\"Ann\","
    "\"created\":\"2024-01-02\",\"language\":\"en\"},\n"
    "\"root\":{\"text\":\"root \\\"q\\\"\",\"children\":[\n"
    "{\"text\":\"a\\nline\\ttab \\\\ slash\",\"note\":\"note\","
    "\"link\":\"https://x.org/?a=1&b=2\",\"icons\":[\"star\",\"flag\"],"
    "\"attributes\":[{\"name\":\"k\",\"value\":\"v\"},{\"name\":\"k\","
    "\"value\":\"w\"}],\"folded\":true,\"side\":\"left\",\"children\":[\n"
    "{\"text\":\"a1 \xC3\xA9 \xF0\x9F\x98\x80\"}]},\n"
    "{\"text\":\"b\",\"side\":\"right\"}]}\n"
    "}\n";

TEST(JsonTest, WritesEveryField) {
  auto out = WriteMap(FullMap(), "json");
  ASSERT_TRUE(out) << out.error().ToString();
  EXPECT_EQ(*out, kFullJson);
}

TEST(JsonTest, ReadsBackEveryField) {
  Map map = FullMap();
  auto back = ReadJson(kFullJson);
  ASSERT_TRUE(back) << back.error().ToString();
  std::string why;
  EXPECT_TRUE(SameTree(map, *back, true, &why)) << why;
  MapMeta meta = map.meta();
  meta.source_format = "json";
  EXPECT_EQ(back->meta(), meta);
  const Node& a = back->node(back->node(back->root()).first_child);
  EXPECT_EQ(a.icons(), (std::vector<std::string>{"star", "flag"}));
  EXPECT_EQ(a.attributes(), (std::vector<Attribute>{{"k", "v"}, {"k", "w"}}));
  EXPECT_TRUE(a.folded);
  EXPECT_EQ(a.side, Side::kLeft);
  EXPECT_EQ(a.pos, (SourcePos{4, 1}));
  // Writing what was read gives the same bytes, but for the format name.
  auto again = WriteMap(*back, "json");
  ASSERT_TRUE(again);
  std::string expected = kFullJson;
  expected.replace(expected.find("\"language\":\"en\"}"), 16,
                   "\"language\":\"en\",\"source_format\":\"json\"}");
  EXPECT_EQ(*again, expected);
}

TEST(JsonTest, DecodesEscapesAndIgnoresUnknownKeys) {
  Diagnostics d;
  auto map = ReadJson(
      "{\"root\": {\"text\": \"\\u00e9\\ud83d\\ude00\\/\", \"colour\": [1, "
      "{\"x\": "
      "null}], \"children\": []}}",
      &d);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->node(map->root()).text, "\xC3\xA9\xF0\x9F\x98\x80/");
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].message, "unknown key \"colour\" in a node; ignored");
  EXPECT_EQ(d.items()[0].pos, (SourcePos{1, 43}));
}

TEST(JsonTest, ConfidencesRoundTrip) {
  Map map;
  NodeId root = map.AddRoot("r");
  NodeId guessed = map.AddChild(root, "guessed");
  map.node(guessed).join_confidence = 0.5f;
  map.node(guessed).parent_confidence = 0.25f;
  auto text = WriteMap(map, "json");
  ASSERT_TRUE(text);
  EXPECT_NE(text->find("\"join_confidence\":0.5,\"parent_confidence\":0.25"),
            std::string::npos)
      << *text;
  auto back = ReadJson(*text);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->node(1).join_confidence, 0.5f);
  EXPECT_EQ(back->node(1).parent_confidence, 0.25f);
  EXPECT_EQ(back->node(0).join_confidence, 1.0f);
}

TEST(JsonTest, ErrorsHavePositions) {
  struct Case {
    const char* input;
    const char* error;
  } cases[] = {
      {"",
       "<input>:1:1: expected '{' (a mindcards JSON document), got end of "
       "input"},
      {"[]", "<input>:1:1: expected '{' (a mindcards JSON document), got '['"},
      {"{}", "<input>:1:1: no \"root\": the document holds no map"},
      {"{\"root\": {\"text\": 3}}",
       "<input>:1:19: \"text\" must be a string, got a number"},
      {"{\"root\": {\"text\": \"a\"",
       "<input>:1:22: expected ',' or '}', got end of input"},
      {"{\"root\": {\"children\": [{},]}}",
       "<input>:1:27: \"children\" must hold node objects, got ']'"},
      {"{\"root\": {\"text\": \"a\nb\"}}",
       "<input>:1:21: control character in string (escape it as \\u00XX)"},
      {"{\"root\": {\"text\": \"\\ud800\"}}",
       "<input>:1:20: unpaired surrogate in \\u escape"},
      {"{\"root\": {\"text\": \"\\q\"}}", "<input>:1:20: unknown escape '\\q'"},
      {"{\"root\": {\"folded\": 1}}",
       "<input>:1:21: \"folded\" must be true or false, got a number"},
      {"{\"root\": {\"side\": \"up\"}}",
       "<input>:1:19: \"side\" must be \"left\", \"right\" or \"auto\", got "
       "\"up\""},
      {"{\"format\": \"other\", \"root\": {}}",
       "<input>:1:12: \"format\" is \"other\"; this reader knows "
       "\"mindcards\""},
      {"{\"root\": {}} x", "<input>:1:14: unexpected character 'x'"},
      {"{\"root\": {}}\n{", "<input>:2:1: expected end of input, got '{'"},
      {"{\"root\": {\"text\": \"\xFF\"}}",
       "<input>:1:20: invalid UTF-8 (byte 0xFF)"},
      {"{\"root\": {\"children\": [{}], \"children\": []}}",
       "<input>:1:29: a second \"children\" in one node"},
      {"{\"root\": -}", "<input>:1:11: expected a digit"},
      {"{\"root\": {\"join_confidence\": 2}}",
       "<input>:1:30: \"join_confidence\" must be a number from 0 to 1"},
  };
  for (const Case& c : cases) {
    auto map = ReadJson(c.input);
    ASSERT_FALSE(map) << c.input;
    EXPECT_EQ(map.error().ToString(), c.error) << c.input;
  }
}

TEST(JsonTest, EveryTruncationIsAnErrorWithAPosition) {
  std::string full = kFullJson;
  for (size_t n = 0; n + 2 < full.size(); ++n) {
    auto map = ReadJson(full.substr(0, n));
    ASSERT_FALSE(map) << n;
    EXPECT_TRUE(map.error().pos.known()) << n << ": " << map.error().ToString();
  }
}

TEST(JsonTest, LimitsAreErrors) {
  ReadOptions options;
  options.format = "json";
  options.limits.max_depth = 2;
  auto map = ReadMap(
      "{\"root\": {\"children\": [{\"children\": [{\"children\": [{}]}]}]}}",
      options);
  ASSERT_FALSE(map);
  EXPECT_EQ(map.error().ToString(), "<input>:1:52: nesting too deep (limit 2)");
}

TEST(JsonTest, SniffsItsOwnDocuments) {
  EXPECT_EQ(*DetectFormat(kFullJson, ""), "json");
  EXPECT_EQ(*DetectFormat("{\"root\": {\"text\": \"x\"}}", ""), "json");
}

TEST(MarkmapHtmlTest, ReadsTheEmbeddedTree) {
  const char* page =
      "<!DOCTYPE html><html><script src=\"markmap-view\"></script><script>"
      "((f,d,h,u)=>{})(()=>window.markmap,null,{\"content\":\"<strong>Root</"
      "strong>"
      " &amp; co\",\"children\":[{\"content\":\"<a "
      "href=\\\"https://x.org\\\">X</a>"
      "\",\"children\":[],\"payload\":{\"lines\":\"1,2\",\"fold\":1}},"
      "{\"content\":\"a<br>b\",\"children\":[]}],\"payload\":{\"lines\":\"0,"
      "1\"}},"
      "null)</script></html>";
  auto format = DetectFormat(page, "");
  ASSERT_TRUE(format);
  EXPECT_EQ(*format, "markmap-html");
  auto map = ReadMap(page, ReadOptions{});
  ASSERT_TRUE(map) << map.error().ToString();
  auto out = WriteMap(*map, "outline");
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, "Root & co\n  X\n  a\\nb\n");
  const Node& x = map->node(map->node(map->root()).first_child);
  EXPECT_EQ(x.link(), "https://x.org");
  EXPECT_TRUE(x.folded);
}

TEST(MarkmapHtmlTest, PageWithoutTreeIsAnError) {
  ReadOptions options;
  options.format = "markmap-html";
  auto map = ReadMap("<html>markmap</html>", options);
  ASSERT_FALSE(map);
  EXPECT_EQ(
      map.error().ToString(),
      "<input>:1:1: no markmap tree ({\"content\": ...}) in this HTML page; "
      "was it exported by markmap?");
}

}  // namespace
}  // namespace mindcards
