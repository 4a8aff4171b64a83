// SVG, PNG and PDF output: well-formed, escaped, same geometry as the
// layout, size limits handled.
#include "mindcards/render.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <pugixml.hpp>

#include "mindcards/layout.h"
#include "test_util.h"

namespace mindcards {
namespace {

Map SmallMap() {
  Map map;
  NodeId root = map.AddRoot("Photosynthesis");
  NodeId a =
      map.AddChild(root, "Light reactions happen in the thylakoid membranes");
  map.AddChild(a, "ATP");
  map.AddChild(a, "NADPH");
  NodeId b = map.AddChild(root, "Calvin cycle");
  map.AddChild(b, "hidden child");
  map.node(b).folded = true;
  map.AddChild(root, "光合作用の暗反応");
  return map;
}

MapLayout Lay(const Map& map, LayoutKind kind = LayoutKind::kMap,
              double max_width = 200) {
  LayoutOptions o;
  o.kind = kind;
  o.max_width = max_width;
  auto l = LayoutMap(map, o);
  EXPECT_TRUE(l.has_value());
  return l ? *l : MapLayout{};
}

TEST(Svg, ParsesAndDrawsEveryVisibleNodeWhereTheLayoutPutsIt) {
  Map map = SmallMap();
  for (LayoutKind kind :
       {LayoutKind::kMap, LayoutKind::kTidy, LayoutKind::kRight,
        LayoutKind::kDown, LayoutKind::kRadial}) {
    MapLayout l = Lay(map, kind);
    RenderOptions ro;
    auto svg = RenderSvg(map, l, ro);
    ASSERT_TRUE(svg.has_value());
    pugi::xml_document doc;
    auto parsed = doc.load_string(svg->c_str());
    ASSERT_TRUE(parsed) << parsed.description();
    pugi::xml_node root = doc.child("svg");
    EXPECT_EQ(std::string(root.attribute("viewBox").value()),
              fmt::format("0 0 {:.2f} {:.2f}", l.width() + 2 * ro.margin,
                          l.height() + 2 * ro.margin));
    // One background rect, then one rect per visible node in preorder.
    std::vector<pugi::xml_node> rects;
    for (auto r : root.children("rect")) rects.push_back(r);
    ASSERT_EQ(rects.size(), l.visible_count + 1);
    size_t i = 1;
    for (NodeId id : map.PreOrder()) {
      const NodeBox& b = l.boxes[id];
      if (!b.visible) continue;
      EXPECT_EQ(std::string(rects[i].attribute("x").value()),
                fmt::format("{:.2f}", b.x - l.min_x + ro.margin));
      EXPECT_EQ(std::string(rects[i].attribute("y").value()),
                fmt::format("{:.2f}", b.y - l.min_y + ro.margin));
      EXPECT_EQ(std::string(rects[i].attribute("width").value()),
                fmt::format("{:.2f}", b.width));
      ++i;
    }
    size_t paths = 0;
    for (auto p : root.children("path")) {
      EXPECT_EQ(
          std::string(p.attribute("d").value()).find('C') != std::string::npos,
          true);
      ++paths;
    }
    EXPECT_EQ(paths, l.visible_count - 1);  // one curved link per child
    size_t folds = 0;
    for (auto c : root.children("circle"))
      folds += std::string(c.attribute("class").value()) == "fold";
    EXPECT_EQ(folds, 1u);
    // Wrapped lines, in order, with their measured lengths.
    std::string all;
    for (auto t : root.children("text")) {
      all += t.child_value();
      all += '|';
      EXPECT_GT(std::atof(t.attribute("textLength").value()), 0);
    }
    EXPECT_EQ(all.find("hidden child"), std::string::npos);
    EXPECT_NE(all.find("Photosynthesis|"), std::string::npos);
    EXPECT_NE(all.find("光合作用の暗反応|"), std::string::npos);
  }
}

TEST(Svg, HostileTextComesOutEscaped) {
  Map map;
  NodeId root = map.AddRoot("<script>alert('x')</script>");
  map.AddChild(root, "\"]]> & <![CDATA[ a");
  map.AddChild(root,
               std::string("bell\x07 and \x1b[31m esc \x7f del \xC2\x85 nel"));
  map.AddChild(root, std::string("bad utf8 \xff\xfe end"));
  map.meta().title = "</title><script>";
  MapLayout l = Lay(map, LayoutKind::kTidy, 0);
  auto svg = RenderSvg(map, l, RenderOptions{});
  ASSERT_TRUE(svg.has_value());
  EXPECT_EQ(svg->find("<script"), std::string::npos);
  EXPECT_EQ(svg->find("]]>"), std::string::npos);
  EXPECT_EQ(svg->find('\x07'), std::string::npos);
  EXPECT_EQ(svg->find('\x1b'), std::string::npos);
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_string(svg->c_str()));
  std::vector<std::string> texts;
  for (auto t : doc.child("svg").children("text"))
    texts.push_back(t.child_value());
  std::string all;
  for (auto& t : texts) all += t + "|";
  EXPECT_NE(all.find("<script>alert('x')</script>"), std::string::npos) << all;
  EXPECT_NE(all.find("\"]]> & <![CDATA[ a"), std::string::npos) << all;
  EXPECT_NE(all.find("bell and [31m esc  del  nel"), std::string::npos) << all;
  EXPECT_NE(all.find("bad utf8 \xEF\xBF\xBD\xEF\xBF\xBD end"),
            std::string::npos)
      << all;
  EXPECT_EQ(std::string(doc.child("svg").child("title").child_value()),
            "</title><script>");
}

// Width and height from a PNG's IHDR chunk.
std::pair<int, int> PngSize(const std::string& png) {
  EXPECT_EQ(png.substr(0, 8), "\x89PNG\r\n\x1a\n");
  auto be = [&](size_t at) {
    return (static_cast<unsigned char>(png[at]) << 24) |
           (static_cast<unsigned char>(png[at + 1]) << 16) |
           (static_cast<unsigned char>(png[at + 2]) << 8) |
           static_cast<unsigned char>(png[at + 3]);
  };
  return {be(16), be(20)};
}

TEST(Png, SizeFollowsTheScale) {
  Map map = SmallMap();
  MapLayout l = Lay(map);
  RenderOptions ro;
  RenderInfo info;
  auto png = RenderPng(map, l, ro, &info);
  ASSERT_TRUE(png.has_value());
  auto [w, h] = PngSize(*png);
  EXPECT_EQ(w, static_cast<int>(std::floor(l.width() + 2 * ro.margin)));
  EXPECT_EQ(h, static_cast<int>(std::floor(l.height() + 2 * ro.margin)));
  EXPECT_FALSE(info.scaled_down);
  ro.scale = 2;
  png = RenderPng(map, l, ro, &info);
  ASSERT_TRUE(png.has_value());
  auto [w2, h2] = PngSize(*png);
  EXPECT_NEAR(w2, 2 * w, 2);
  EXPECT_NEAR(h2, 2 * h, 2);
  ro.scale = 0;
  auto bad = RenderPng(map, l, ro);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message, "scale must be above 0 and at most 16");
}

TEST(Png, HugeDrawingsAreScaledDownToCairosLimit) {
  Map map;
  NodeId root = map.AddRoot("root");
  // Given box sizes (no text to shape) keep the test quick.
  for (int i = 0; i < 200; ++i) {
    NodeId leaf = map.AddChild(root, fmt::format("leaf {}", i));
    map.node(leaf).mutable_extras().attributes.push_back(
        {std::string(kSizeAttribute), "100 200"});
  }
  MapLayout l = Lay(map, LayoutKind::kTidy);
  ASSERT_GT(l.height(), 32767);
  RenderInfo info;
  auto png = RenderPng(map, l, RenderOptions{}, &info);
  ASSERT_TRUE(png.has_value());
  EXPECT_TRUE(info.scaled_down);
  auto [w, h] = PngSize(*png);
  EXPECT_LE(h, 32767);
  EXPECT_EQ(h, info.pixel_height);
  EXPECT_EQ(w, info.pixel_width);
}

TEST(Pdf, OnePageWithEmbeddedFonts) {
  Map map = SmallMap();
  MapLayout l = Lay(map);
  auto pdf = RenderPdf(map, l, RenderOptions{});
  ASSERT_TRUE(pdf.has_value());
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  EXPECT_NE(pdf->find("/FontFile"), std::string::npos);  // vector text
  EXPECT_NE(pdf->find("/Count 1"), std::string::npos);
}

TEST(Theme, NamesRoundTrip) {
  for (Theme t : {Theme::kLight, Theme::kDark, Theme::kPrint}) {
    EXPECT_EQ(*ParseTheme(ThemeName(t)), t);
  }
  auto bad = ParseTheme("neon");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message,
            "unknown theme 'neon' (use light, dark or print)");
}

TEST(Cli, RenderWritesEachFormat) {
  std::string dir = ::testing::TempDir();
  std::string outline = "Root\n  Child one\n  Child two\n    Grandchild\n";
  for (const char* ext : {"svg", "png", "pdf"}) {
    std::string out = dir + "/mindcards_render_test." + ext;
    auto r = testing::RunCli({"render", "-", "-f", "outline", "-o", out,
                              "--layout", "down", "--theme", "dark"},
                             outline);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::string bytes = testing::ReadFileOrDie(out);
    EXPECT_GT(bytes.size(), 100u) << ext;
    std::remove(out.c_str());
  }
  auto r = testing::RunCli({"render", "-", "-o", dir + "/x.gif"}, outline);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "mindcards render: cannot tell the output format of '" +
                       dir +
                       "/x.gif'; name it .svg, .png or .pdf, or use --to\n");
  r = testing::RunCli({"render", "-", "-o", dir + "/x.svg", "--theme", "neon"},
                      outline);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "mindcards render: unknown theme 'neon' (use light, dark or "
            "print)\n");
}

}  // namespace
}  // namespace mindcards
