#include <gtest/gtest.h>
#include <zip.h>

#include <string>
#include <utility>
#include <vector>

#include "formats/map_dump.h"
#include "mindcards/formats.h"

namespace mindcards {
namespace {

// Builds a zip archive in memory with libzip.
std::string MakeZip(
    const std::vector<std::pair<std::string, std::string>>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);
  zip_t* zip = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  EXPECT_NE(zip, nullptr);
  for (const auto& [name, data] : entries) {
    zip_source_t* s = zip_source_buffer(zip, data.data(), data.size(), 0);
    EXPECT_GE(zip_file_add(zip, name.c_str(), s, ZIP_FL_ENC_UTF_8), 0);
  }
  EXPECT_EQ(zip_close(zip), 0);
  std::string out;
  zip_stat_t st;
  if (zip_source_open(buffer) == 0 && zip_source_stat(buffer, &st) == 0) {
    out.resize(st.size);
    zip_source_read(buffer, out.data(), st.size);
    zip_source_close(buffer);
  }
  zip_source_free(buffer);
  zip_error_fini(&error);
  return out;
}

Result<Map> Read(std::string_view bytes, std::string filename,
                 Diagnostics* d = nullptr, size_t max_bytes = 0) {
  ReadOptions options;
  options.filename = std::move(filename);
  if (max_bytes != 0) options.limits.max_bytes = max_bytes;
  return ReadMap(bytes, options, d);
}

using testing::DumpMap;

const char kContentJson[] = R"([
 {"title": "Empty", "rootTopic": {"id": "0"}},
 {"title": "Sheet A", "rootTopic": {"title": "Central",
   "children": {
     "detached": [{"title": "Floating"}],
     "attached": [
       {"title": "One", "href": "https://a.example/", "labels": ["l1", "l2"],
        "markers": [{"markerId": "priority-1"}],
        "notes": {"plain": {"content": "a note\n"}},
        "children": {"attached": [{"title": "One.1"}],
                     "summary": [{"title": "Sum"}]}},
       {"title": "Two"}]}}},
 {"title": "Sheet B", "rootTopic": {"title": "Other"}}
])";

const char kContentXml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>"
    "<xmap-content xmlns=\"urn:xmind:xmap:xmlns:content:2.0\" "
    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"2.0\">\n"
    "<sheet id=\"s0\"><topic id=\"t0\"/></sheet>\n"
    "<sheet id=\"s1\"><topic id=\"t1\"><title>Central</title>\n"
    "<children><topics type=\"attached\">\n"
    "<topic id=\"t2\" xlink:href=\"https://a.example/\"><title>One</title>"
    "<marker-refs><marker-ref marker-id=\"flag-red\"/></marker-refs>"
    "<labels><label>l1</label></labels>"
    "<notes><plain>line1&#13;\nline2</plain><html><xhtml:p>x</xhtml:p>"
    "</html></notes>\n"
    "<children><topics type=\"attached\"><topic id=\"t3\"><title>One.1"
    "</title></topic></topics></children></topic>\n"
    "<topic id=\"t4\"><title>Two</title></topic>\n"
    "</topics><topics type=\"detached\"><topic id=\"t5\"><title>Floating"
    "</title></topic></topics></children></topic>"
    "<title>Sheet 1</title></sheet>\n"
    "<sheet id=\"s2\"><topic id=\"t6\"><title>Other</title></topic>"
    "<title>Sheet 2</title></sheet>\n"
    "</xmap-content>\n";

TEST(XmindTest, ReadsContentJsonFirstFromArchive) {
  std::string zip = MakeZip({{"content.xml", kContentXml},
                             {"content.json", kContentJson},
                             {"metadata.json", "{}"}});
  Diagnostics d;
  auto map = Read(zip, "map.xmind", &d);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->meta().source_format, "xmind");
  EXPECT_EQ(map->meta().title, "Sheet A");
  EXPECT_EQ(DumpMap(*map),
            "Central\n"
            "  One [note: a note] [link: https://a.example/] "
            "[icon: priority-1] [label=l1] [label=l2]\n"
            "    One.1\n"
            "    Sum [xmind:type=summary]\n"
            "  Two\n"
            "  Floating [xmind:type=detached]\n");
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].message,
            "only the first sheet is read; 1 more not read: \"Sheet B\"");
}

TEST(XmindTest, ReadsXMind8ContentXmlFromArchive) {
  std::string zip = MakeZip({{"content.xml", kContentXml}});
  Diagnostics d;
  auto map = Read(zip, "map.xmind", &d);
  ASSERT_TRUE(map) << map.error().ToString();
  EXPECT_EQ(map->meta().title, "Sheet 1");
  EXPECT_EQ(DumpMap(*map),
            "Central\n"
            "  One [note: line1\nline2] [link: https://a.example/] "
            "[icon: flag-red] [label=l1]\n"
            "    One.1\n"
            "  Two\n"
            "  Floating [xmind:type=detached]\n");
  EXPECT_EQ(map->node(map->root()).pos, (SourcePos{3, 16}));
  ASSERT_EQ(d.items().size(), 1u);
  EXPECT_EQ(d.items()[0].pos, (SourcePos{3, 1}));
  EXPECT_EQ(d.items()[0].message,
            "only the first sheet is read; 1 more not read: \"Sheet 2\"");
}

TEST(XmindTest, ReadsBareContentFiles) {
  auto json = Read(kContentJson, "content.json");
  ASSERT_TRUE(json) << json.error().ToString();
  EXPECT_EQ(json->meta().source_format, "xmind");
  EXPECT_EQ(json->size(), 6u);
  auto xml = Read(kContentXml, "");
  ASSERT_TRUE(xml) << xml.error().ToString();
  EXPECT_EQ(xml->meta().source_format, "xmind");
  EXPECT_EQ(xml->size(), 5u);
}

TEST(XmindTest, ArchiveErrors) {
  std::string good = MakeZip({{"content.json", kContentJson}});
  std::string zeros(10 << 20, '\0');
  std::string padded = kContentJson + std::string(5000, ' ');
  struct Case {
    std::string name;
    std::string bytes;
    size_t max_bytes;
    std::string error;
  } cases[] = {
      {"truncated", good.substr(0, good.size() / 2), 0,
       "<input>:1:1: damaged or truncated zip archive: an XMind file is a zip "
       "whose directory at the end is missing or inconsistent here"},
      {"not a zip", std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), 0,
       "<input>:1:1: not an XMind file: expected a zip archive, a "
       "content.json or a content.xml"},
      {"no content", MakeZip({{"readme.txt", "hello"}}), 0,
       "zip archive has neither content.json nor content.xml: not an XMind "
       "file"},
      {"bomb by ratio", MakeZip({{"content.json", zeros}}), 0,
       "zip archive unpacks to 10485760 bytes at a compression ratio over "
       "1000:1; refusing a likely zip bomb"},
      {"over the size limit", MakeZip({{"content.json", padded}}), 2000,
       "zip archive unpacks to 5557 bytes, over the limit of 2000 (zip "
       "bomb?)"},
      {"bad json", MakeZip({{"content.json", "[{\"rootTopic\": }]"}}), 0,
       "<input>:1:16: content.json: syntax error while parsing value - "
       "unexpected '}'; expected '[', '{', or a literal"},
      {"bad xml", MakeZip({{"content.xml", "<xmap-content>\n<sheet>"}}), 0,
       "<input>:2:8: content.xml: unexpected end of input: <sheet> opened at "
       "2:1 is not closed"},
      {"number overflow", "[{\"rootTopic\": {\"title\": 1e999999}}]", 0,
       "<input>:1:1: content.json: number overflow parsing '1e999999'"},
      {"no sheet", MakeZip({{"content.json", "[{\"rootTopic\": {}}]"}}), 0,
       "<input>:1:1: content.json has no sheet with a root topic"},
  };
  for (const Case& c : cases) {
    auto map = Read(c.bytes, "map.xmind", nullptr, c.max_bytes);
    ASSERT_FALSE(map) << c.name;
    EXPECT_EQ(map.error().ToString(), c.error) << c.name;
  }
}

}  // namespace
}  // namespace mindcards
