// XMind, read only: a .xmind zip archive (content.json of XMind Zen and
// later, else content.xml of XMind 8), or a bare content.json or
// content.xml.
//
// One sheet is read: the first whose root topic has a title or children
// (XMind 8 files often start with an empty placeholder sheet); the others
// are reported as a warning. Topic title, notes (plain), href, markers
// (icons) and labels (attributes named "label") are kept. Attached
// children come first; topics of the other groups (detached/floating,
// summary, callout) are kept as children too, after them (content.json) or
// in file order (content.xml), with an attribute "xmind:type" naming the
// group.
#include <fmt/format.h>
#include <zip.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "formats/reader_util.h"
#include "formats/xml_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

constexpr size_t kMaxZipEntries = 65536;
// Deflate cannot exceed about 1032:1; anything near it is a bomb, not a map.
constexpr uint64_t kMaxCompressionRatio = 1000;
constexpr uint64_t kRatioCheckMinimum = uint64_t{1} << 20;
constexpr std::string_view kTypeAttribute = "xmind:type";

bool StartsLikeJson(std::string_view bytes) {
  std::string_view t = Trim(StripBom(bytes.substr(0, 4096)));
  return !t.empty() && (t.front() == '[' || t.front() == '{');
}

int Sniff(std::string_view bytes) {
  if (bytes.starts_with("PK\x03\x04")) {
    for (std::string_view name : {"content.json", "content.xml"}) {
      if (bytes.find(name) != std::string_view::npos) return 90;
    }
    return 10;
  }
  if (StartsLikeJson(bytes)) {
    return bytes.substr(0, 1 << 16).find("\"rootTopic\"") !=
                   std::string_view::npos
               ? 90
               : 1;
  }
  if (SniffXmlRoot(bytes, "xmap-content") == 90) return 90;
  // Anything else is surely not XMind, but with the extension's weight a
  // file named .xmind still comes here for a clear error instead of being
  // read as some text format.
  return Trim(bytes.substr(0, 4096)).empty() ? 0 : 1;
}

// Where a topic goes in the map being built.
struct Pending {
  NodeId parent;
  size_t depth;
  std::string_view type;  // "attached", "detached", ...
};

void SetType(std::string_view type, Node* node) {
  if (!type.empty() && type != "attached") {
    node->mutable_extras().attributes.push_back(
        {std::string(kTypeAttribute), std::string(type)});
  }
}

std::string SkippedSheets(const std::vector<std::string>& titles) {
  std::string list;
  for (const std::string& t : titles) {
    if (!list.empty()) list += ", ";
    list += fmt::format("\"{}\"", t);
  }
  return fmt::format("only the first sheet is read; {} more not read: {}",
                     titles.size(), list);
}

// --- content.json -------------------------------------------------------

const nlohmann::json* Member(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

std::string StringMember(const nlohmann::json& j, const char* key) {
  const nlohmann::json* m = Member(j, key);
  return m != nullptr && m->is_string() ? m->get<std::string>() : std::string();
}

bool NonEmptyTopic(const nlohmann::json* topic) {
  if (topic == nullptr || !topic->is_object()) return false;
  const nlohmann::json* children = Member(*topic, "children");
  return !StringMember(*topic, "title").empty() ||
         (children != nullptr && children->is_object() && !children->empty());
}

void ReadJsonTopic(const nlohmann::json& t, Node* node) {
  node->text = StringMember(t, "title");
  node->set_link(CleanLink(StringMember(t, "href")));
  if (const nlohmann::json* notes = Member(t, "notes")) {
    if (const nlohmann::json* plain = Member(*notes, "plain")) {
      node->set_note(StringMember(*plain, "content"));
    }
  }
  if (const nlohmann::json* labels = Member(t, "labels");
      labels != nullptr && labels->is_array()) {
    for (const auto& l : *labels) {
      if (l.is_string())
        node->mutable_extras().attributes.push_back(
            {"label", l.get<std::string>()});
    }
  }
  if (const nlohmann::json* markers = Member(t, "markers");
      markers != nullptr && markers->is_array()) {
    for (const auto& m : *markers) {
      std::string id = StringMember(m, "markerId");
      if (!id.empty()) node->mutable_extras().icons.push_back(std::move(id));
    }
  }
}

// nlohmann-json's what() is "[json.exception.parse_error.101] parse error
// at line 1, column 2: syntax error while parsing value - ..."; keep what
// follows the last "]" and position prefix.
std::string JsonErrorText(const nlohmann::json::exception& e) {
  std::string what = e.what();
  size_t bracket = what.find("] ");
  if (bracket != std::string::npos) what.erase(0, bracket + 2);
  if (what.starts_with("parse error")) {
    size_t colon = what.find(": ");
    if (colon != std::string::npos) what.erase(0, colon + 2);
  }
  return what;
}

Result<Map> ReadJson(std::string_view text, const ReadLimits& limits,
                     Diagnostics* diagnostics) {
  text = StripBom(text);
  if (auto ok = ValidateUtf8(text); !ok) return tl::unexpected(ok.error());
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    return BadInput(fmt::format("content.json: {}", JsonErrorText(e)),
                    PosOfOffset(text, offset));
  } catch (const nlohmann::json::exception& e) {
    // Such as a number too large for a double.
    return BadInput(fmt::format("content.json: {}", JsonErrorText(e)), {1, 1});
  }
  std::vector<const nlohmann::json*> sheets;
  if (doc.is_array()) {
    for (const auto& s : doc) sheets.push_back(&s);
  } else {
    sheets.push_back(&doc);
  }
  const nlohmann::json* sheet = nullptr;
  std::vector<std::string> skipped;
  for (const nlohmann::json* s : sheets) {
    const nlohmann::json* root = Member(*s, "rootTopic");
    if (sheet == nullptr && NonEmptyTopic(root)) {
      sheet = s;
    } else if (root != nullptr && NonEmptyTopic(root)) {
      skipped.push_back(StringMember(*s, "title"));
    }
  }
  if (sheet == nullptr) {
    return BadInput("content.json has no sheet with a root topic", {1, 1});
  }
  if (!skipped.empty()) {
    diagnostics->Warn({}, SkippedSheets(skipped));
  }
  Map map;
  map.meta().title = StringMember(*sheet, "title");
  TreeBuilder builder(&map, limits);
  struct Item {
    const nlohmann::json* topic;
    Pending where;
  };
  std::vector<Item> stack;
  stack.push_back({Member(*sheet, "rootTopic"), {kNoNode, 0, {}}});
  std::vector<Item> children;
  while (!stack.empty()) {
    Item item = stack.back();
    stack.pop_back();
    if (!item.topic->is_object()) continue;
    auto id = builder.Add(item.where.parent, item.where.depth, {}, {});
    if (!id) return tl::unexpected(id.error());
    Node& node = map.node(*id);
    ReadJsonTopic(*item.topic, &node);
    SetType(item.where.type, &node);
    const nlohmann::json* groups = Member(*item.topic, "children");
    if (groups == nullptr || !groups->is_object()) continue;
    children.clear();
    for (auto it = groups->begin(); it != groups->end(); ++it) {
      if (!it.value().is_array()) continue;
      for (const auto& c : it.value()) {
        children.push_back({&c, {*id, item.where.depth + 1, it.key()}});
      }
    }
    // Keys of a JSON object come back sorted; put "attached" first.
    std::stable_partition(children.begin(), children.end(), [](const Item& c) {
      return c.where.type == "attached";
    });
    stack.insert(stack.end(), children.rbegin(), children.rend());
  }
  return map;
}

// --- content.xml (XMind 8) ---------------------------------------------

bool IsElement(pugi::xml_node n, const char* name) {
  return n.type() == pugi::node_element && std::strcmp(n.name(), name) == 0;
}

bool NonEmptyTopic(pugi::xml_node topic) {
  return topic && (*ChildText(topic, "title").data() != '\0' ||
                   topic.child("children").child("topics"));
}

void ReadXmlTopic(pugi::xml_node t, Node* node) {
  node->text = ChildText(t, "title");
  node->set_link(CleanLink(t.attribute("xlink:href").value()));
  node->set_note(std::string(ChildText(t.child("notes"), "plain")));
  for (pugi::xml_node m : t.child("marker-refs").children("marker-ref")) {
    if (const char* id = m.attribute("marker-id").value(); *id != '\0') {
      node->mutable_extras().icons.push_back(ValidUtf8(id));
    }
  }
  for (pugi::xml_node l : t.child("labels").children("label")) {
    node->mutable_extras().attributes.push_back(
        {"label", ValidUtf8(l.child_value())});
  }
}

Result<Map> ReadXml(std::string_view text, const ReadLimits& limits,
                    Diagnostics* diagnostics) {
  XmlDocument doc;
  if (auto ok = doc.Parse(text, "xmap-content", "an XMind content.xml"); !ok) {
    return tl::unexpected(ok.error());
  }
  pugi::xml_node sheet;
  std::vector<std::string> skipped;
  for (pugi::xml_node s : doc.root().children("sheet")) {
    if (!sheet && NonEmptyTopic(s.child("topic"))) {
      sheet = s;
    } else if (NonEmptyTopic(s.child("topic"))) {
      skipped.emplace_back(ChildText(s, "title"));
    }
  }
  if (!sheet) {
    return BadInput("content.xml has no sheet with a root topic",
                    doc.PosOf(doc.root()));
  }
  if (!skipped.empty()) {
    diagnostics->Warn(doc.PosOf(sheet), SkippedSheets(skipped));
  }
  Map map;
  map.meta().title = ChildText(sheet, "title");
  map.Reserve(CountOccurrences(doc.text(), "<topic "));
  TreeBuilder builder(&map, limits);
  // Pre-order in document order (so positions are found in one pass):
  // frames hold the next <topic> of the current <topics> group, and the
  // next group.
  struct Frame {
    pugi::xml_node topic;   // next topic in the current group
    pugi::xml_node groups;  // next <topics> group after the current one
    Pending where;
  };
  auto next_topic = [](pugi::xml_node n) {
    while (n && !IsElement(n, "topic")) n = n.next_sibling();
    return n;
  };
  auto next_group = [](pugi::xml_node n) {
    while (n && !IsElement(n, "topics")) n = n.next_sibling();
    return n;
  };
  pugi::xml_node root_topic = sheet.child("topic");
  auto root = builder.Add(kNoNode, 0, {}, doc.PosOf(root_topic));
  if (!root) return tl::unexpected(root.error());
  ReadXmlTopic(root_topic, &map.node(*root));
  std::vector<Frame> stack;
  auto open = [&](pugi::xml_node topic, NodeId id, size_t depth) {
    pugi::xml_node group = next_group(topic.child("children").first_child());
    if (group) {
      stack.push_back({next_topic(group.first_child()),
                       next_group(group.next_sibling()),
                       {id, depth + 1, group.attribute("type").value()}});
    }
  };
  open(root_topic, *root, 0);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (!f.topic) {
      if (!f.groups) {
        stack.pop_back();
        continue;
      }
      f.topic = next_topic(f.groups.first_child());
      f.where.type = f.groups.attribute("type").value();
      f.groups = next_group(f.groups.next_sibling());
      continue;
    }
    pugi::xml_node t = f.topic;
    f.topic = next_topic(t.next_sibling());
    Pending where = f.where;
    auto id = builder.Add(where.parent, where.depth, {}, doc.PosOf(t));
    if (!id) return tl::unexpected(id.error());
    Node& node = map.node(*id);
    ReadXmlTopic(t, &node);
    SetType(where.type, &node);
    open(t, *id, where.depth);
  }
  return map;
}

// --- the .xmind archive ---------------------------------------------------

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

Result<std::string> ReadEntry(zip_t* zip, zip_uint64_t index,
                              const zip_stat_t& st, const ReadLimits& limits) {
  std::unique_ptr<zip_file_t, ZipFileCloser> file(
      zip_fopen_index(zip, index, 0));
  if (!file) {
    return BadInput(fmt::format("cannot open {} in the archive: {}", st.name,
                                zip_strerror(zip)));
  }
  std::string data;
  data.reserve(st.size);
  char buf[1 << 16];
  for (;;) {
    zip_int64_t n = zip_fread(file.get(), buf, sizeof buf);
    if (n < 0) {
      return BadInput(fmt::format("damaged zip archive: cannot unpack {}: {}",
                                  st.name, zip_file_strerror(file.get())));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    // The sizes in the headers can lie; stop at the real limit.
    if (data.size() > st.size || data.size() > limits.max_bytes) {
      return Fail(ErrorCode::kLimitExceeded,
                  fmt::format("{} unpacks to more than its declared {} bytes "
                              "(limit {}); not reading a zip bomb",
                              st.name, st.size, limits.max_bytes));
    }
  }
  return data;
}

Result<Map> ReadZip(std::string_view bytes, const ReadLimits& limits,
                    Diagnostics* diagnostics) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source == nullptr) {
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return BadInput(fmt::format("cannot read the zip archive: {}", why));
  }
  std::unique_ptr<zip_t, ZipCloser> zip(
      zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!zip) {
    int code = zip_error_code_zip(&error);
    zip_source_free(source);
    zip_error_fini(&error);
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS || code == ZIP_ER_EOF) {
      return BadInput(
          "damaged or truncated zip archive: an XMind file is a zip whose "
          "directory at the end is missing or inconsistent here",
          {1, 1});
    }
    return BadInput("cannot read the zip archive", {1, 1});
  }
  zip_error_fini(&error);
  zip_int64_t entries = zip_get_num_entries(zip.get(), 0);
  if (entries < 0 || static_cast<uint64_t>(entries) > kMaxZipEntries) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("zip archive has {} entries (limit {})", entries,
                            kMaxZipEntries));
  }
  uint64_t total = 0, total_compressed = 0;
  zip_stat_t json_st, xml_st;
  zip_int64_t json_index = -1, xml_index = -1;
  for (zip_int64_t i = 0; i < entries; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip.get(), static_cast<zip_uint64_t>(i), 0, &st) != 0) {
      return BadInput("damaged zip archive: unreadable directory entry");
    }
    total += st.size;
    total_compressed += st.comp_size;
    std::string_view name = st.name != nullptr ? st.name : "";
    if (name == "content.json") {
      json_index = i;
      json_st = st;
    } else if (name == "content.xml") {
      xml_index = i;
      xml_st = st;
    }
  }
  if (total > limits.max_bytes) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("zip archive unpacks to {} bytes, over the limit "
                            "of {} (zip bomb?)",
                            total, limits.max_bytes));
  }
  if (total > kRatioCheckMinimum &&
      total / std::max<uint64_t>(total_compressed, 1) > kMaxCompressionRatio) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("zip archive unpacks to {} bytes at a compression "
                            "ratio over {}:1; refusing a likely zip bomb",
                            total, kMaxCompressionRatio));
  }
  if (json_index >= 0) {
    auto text = ReadEntry(zip.get(), json_index, json_st, limits);
    if (!text) return tl::unexpected(text.error());
    return ReadJson(*text, limits, diagnostics);
  }
  if (xml_index >= 0) {
    auto text = ReadEntry(zip.get(), xml_index, xml_st, limits);
    if (!text) return tl::unexpected(text.error());
    auto map = ReadXml(*text, limits, diagnostics);
    if (!map) map.error().message = "content.xml: " + map.error().message;
    return map;
  }
  return BadInput(
      "zip archive has neither content.json nor content.xml: not an XMind "
      "file");
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  if (bytes.starts_with("PK")) return ReadZip(bytes, limits, diagnostics);
  if (StartsLikeJson(bytes)) return ReadJson(bytes, limits, diagnostics);
  if (!FirstElementName(bytes).empty()) {
    return ReadXml(bytes, limits, diagnostics);
  }
  return BadInput(
      "not an XMind file: expected a zip archive, a content.json or a "
      "content.xml",
      {1, 1});
}

}  // namespace

const FormatSpec& XmindFormat() {
  static const FormatSpec spec{
      "xmind",
      "XMind (.xmind, content.json, content.xml), read only",
      {".xmind", "content.json", "content.xml"},
      &Sniff,
      &Read,
      nullptr};
  return spec;
}

}  // namespace mindcards::detail
