// OPML 2.0: <opml><head>…</head><body><outline text="…">…</outline></body>.
//
// `text` is the node text, `_note` the note, `url` the link; every other
// attribute is kept as a node attribute. head/title, ownerName and
// dateCreated fill MapMeta. A body with several top-level outlines (or none)
// gets a root made from the head title (or "untitled"), marked with the
// attribute kSyntheticRoot so that the writer writes its children back as
// top-level outlines instead of adding a level.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

#include "formats/reader_util.h"
#include "formats/xml_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

constexpr std::string_view kSyntheticRoot = "mindcards:synthetic-root";
constexpr std::array<std::string_view, 12> kMonths = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kWeekdays = {
    "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
// Nesting deeper than this is written without further indentation, so that
// the output stays linear in the number of nodes.
constexpr size_t kMaxIndent = 32;

// RFC 822 ("Tue, 15 Mar 2005 16:35:45 GMT", as OPML 2.0 asks) or ISO 8601
// to "YYYY-MM-DD"; "" when neither.
std::string IsoDate(std::string_view s) {
  s = Trim(s);
  auto digits = [](std::string_view d) {
    return !d.empty() && std::all_of(d.begin(), d.end(), [](char c) {
      return c >= '0' && c <= '9';
    });
  };
  if (s.size() >= 10 && s[4] == '-' && s[7] == '-' && digits(s.substr(0, 4)) &&
      digits(s.substr(5, 2)) && digits(s.substr(8, 2))) {
    return std::string(s.substr(0, 10));
  }
  if (size_t comma = s.find(','); comma != std::string_view::npos) {
    s = Trim(s.substr(comma + 1));
  }
  size_t a = s.find(' ');
  if (a == std::string_view::npos) return {};
  size_t b = s.find(' ', a + 1);
  std::string_view day = s.substr(0, a);
  std::string_view month =
      s.substr(a + 1, b == std::string_view::npos ? b : b - a - 1);
  std::string_view year =
      b == std::string_view::npos ? std::string_view() : s.substr(b + 1, 4);
  if (!digits(day) || day.size() > 2 || year.size() != 4 || !digits(year) ||
      std::stoi(std::string(day)) < 1 || std::stoi(std::string(day)) > 31) {
    return {};
  }
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (AsciiLower(month).starts_with(AsciiLower(kMonths[m]))) {
      return fmt::format("{}-{:02}-{:0>2}", year, m + 1, day);
    }
  }
  return {};
}

// "YYYY-MM-DD" to RFC 822 at midnight GMT; "" when malformed.
std::string Rfc822Date(std::string_view iso) {
  int y = 0, m = 0, d = 0;
  if (iso.size() < 10 ||
      std::sscanf(std::string(iso.substr(0, 10)).c_str(), "%4d-%2d-%2d", &y, &m,
                  &d) != 3 ||
      m < 1 || m > 12 || d < 1 || d > 31) {
    return {};
  }
  // Sakamoto's day-of-week algorithm.
  static constexpr int kOffsets[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
  int yy = m < 3 ? y - 1 : y;
  int wd = (yy + yy / 4 - yy / 100 + yy / 400 + kOffsets[m - 1] + d) % 7;
  return fmt::format("{}, {:02} {} {:04} 00:00:00 GMT", kWeekdays[wd], d,
                     kMonths[m - 1], y);
}

int Sniff(std::string_view bytes) { return SniffXmlRoot(bytes, "opml"); }

bool IsOutline(pugi::xml_node n) {
  return n.type() == pugi::node_element &&
         std::strcmp(n.name(), "outline") == 0;
}

pugi::xml_node NextOutline(pugi::xml_node n) {
  while (n && !IsOutline(n)) n = n.next_sibling();
  return n;
}

// Fills `node` from the attributes of an <outline>.
void ReadOutlineAttributes(pugi::xml_node outline, Node* node) {
  for (pugi::xml_attribute a = outline.first_attribute(); a;
       a = a.next_attribute()) {
    const char* name = a.name();
    if (std::strcmp(name, "text") == 0) {
      node->text = a.value();
    } else if (std::strcmp(name, "_note") == 0) {
      node->set_note(a.value());
    } else if (std::strcmp(name, "url") == 0) {
      node->set_link(CleanLink(a.value()));
    } else {
      node->mutable_extras().attributes.push_back({name, ValidUtf8(a.value())});
    }
  }
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  XmlDocument doc;
  if (auto ok = doc.Parse(bytes, "opml", "an OPML file"); !ok) {
    return tl::unexpected(ok.error());
  }
  pugi::xml_node opml = doc.root();
  Map map;
  MapMeta& meta = map.meta();
  pugi::xml_node head = opml.child("head");
  meta.title = ChildText(head, "title");
  meta.author = ChildText(head, "ownerName");
  meta.created = IsoDate(ChildText(head, "dateCreated"));

  pugi::xml_node body = opml.child("body");
  if (!body) return BadInput("OPML file has no <body>", doc.PosOf(opml));

  map.Reserve(CountOccurrences(doc.text(), "<outline") + 1);
  TreeBuilder builder(&map, limits);
  pugi::xml_node first = NextOutline(body.first_child());
  size_t base_depth = 0;  // depth of the top-level outlines
  if (!first || NextOutline(first.next_sibling())) {
    // Zero or several top-level outlines: one root above them.
    std::string title = meta.title;
    if (Trim(title).empty()) title = body.attribute("text").value();
    if (Trim(title).empty()) title = "untitled";
    auto root = builder.Add(kNoNode, 0, std::move(title), doc.PosOf(body));
    if (!root) return tl::unexpected(root.error());
    map.node(*root).mutable_extras().attributes.push_back(
        {std::string(kSyntheticRoot), "opml"});
    base_depth = 1;
  }

  // Pre-order walk over the <outline> elements with an explicit stack of
  // the map ids of the open ancestors.
  const NodeId top_parent = map.empty() ? kNoNode : map.root();
  std::vector<NodeId> parents;
  pugi::xml_node x = first;
  while (x) {
    NodeId parent = parents.empty() ? top_parent : parents.back();
    auto id =
        builder.Add(parent, base_depth + parents.size(), {}, doc.PosOf(x));
    if (!id) return tl::unexpected(id.error());
    Node& node = map.node(*id);
    ReadOutlineAttributes(x, &node);
    if (!x.attribute("text")) {
      diagnostics->Warn(node.pos, "<outline> without a text attribute");
    }
    if (pugi::xml_node child = NextOutline(x.first_child())) {
      parents.push_back(*id);
      x = child;
      continue;
    }
    // The next sibling, or that of the nearest ancestor that has one.
    for (;;) {
      if (pugi::xml_node next = NextOutline(x.next_sibling())) {
        x = next;
        break;
      }
      if (parents.empty()) {
        x = pugi::xml_node();
        break;
      }
      parents.pop_back();
      x = x.parent();
    }
  }
  return map;
}

void AppendIndent(size_t depth, std::string* out) {
  out->append(std::min(depth, kMaxIndent) * 2 + 4, ' ');
}

// Writes one node's <outline attributes; the caller closes the tag.
void AppendOutlineOpen(const Node& n, std::string* out) {
  out->append("<outline text=\"");
  AppendXmlAttr(n.text, out);
  out->push_back('"');
  if (!n.note().empty()) {
    out->append(" _note=\"");
    AppendXmlAttr(n.note(), out);
    out->push_back('"');
  }
  bool has_type = false;
  for (const Attribute& a : n.attributes()) {
    if (a.name == "type") has_type = true;
  }
  if (!n.link().empty()) {
    if (!has_type) out->append(" type=\"link\"");
    out->append(" url=\"");
    AppendXmlAttr(n.link(), out);
    out->push_back('"');
  }
  // Attribute names must be XML names and unique in an element.
  for (size_t i = 0; i < n.attributes().size(); ++i) {
    const Attribute& a = n.attributes()[i];
    if (!IsXmlName(a.name) || a.name == "text" || a.name == "_note" ||
        a.name == "url" || a.name == kSyntheticRoot) {
      continue;
    }
    bool repeated = false;
    for (size_t j = 0; j < i && !repeated; ++j) {
      repeated = n.attributes()[j].name == a.name;
    }
    if (repeated) continue;
    out->push_back(' ');
    out->append(a.name);
    out->append("=\"");
    AppendXmlAttr(a.value, out);
    out->push_back('"');
  }
}

bool IsSyntheticRoot(const Map& map) {
  const Node& root = map.node(map.root());
  if (Trim(root.text).empty() || !root.note().empty() || !root.link().empty() ||
      !root.icons().empty() || map.ChildCount(map.root()) == 1) {
    return false;
  }
  for (const Attribute& a : root.attributes()) {
    if (a.name == kSyntheticRoot) return true;
  }
  return false;
}

Result<std::string> Write(const Map& map) {
  std::string out;
  out.reserve(EstimateXmlSize(map, 40 + 2 * kMaxIndent));
  out.append(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  "
      "<head>\n");
  const MapMeta& meta = map.meta();
  bool synthetic = !map.empty() && IsSyntheticRoot(map);
  std::string_view title = meta.title;
  if (synthetic) title = map.node(map.root()).text;
  if (!title.empty()) {
    out.append("    <title>");
    AppendXmlText(title, &out);
    out.append("</title>\n");
  }
  if (std::string date = Rfc822Date(meta.created); !date.empty()) {
    out.append("    <dateCreated>" + date + "</dateCreated>\n");
  }
  if (!meta.author.empty()) {
    out.append("    <ownerName>");
    AppendXmlText(meta.author, &out);
    out.append("</ownerName>\n");
  }
  out.append("  </head>\n  <body>\n");
  if (!map.empty()) {
    // Pre-order walk; the depths of the elements still open give the end
    // tags without recursion.
    auto it = map.PreOrder().begin();
    auto end = map.PreOrder().end();
    if (synthetic) ++it;  // the root is the head title
    size_t shift = synthetic ? 1 : 0;
    std::vector<size_t> open_depths;  // depths of elements left open
    for (; it != end; ++it) {
      size_t depth = it.depth() - shift;
      while (!open_depths.empty() && open_depths.back() >= depth) {
        AppendIndent(open_depths.back(), &out);
        out.append("</outline>\n");
        open_depths.pop_back();
      }
      const Node& n = map.node(*it);
      AppendIndent(depth, &out);
      AppendOutlineOpen(n, &out);
      if (n.first_child == kNoNode) {
        out.append("/>\n");
      } else {
        out.append(">\n");
        open_depths.push_back(depth);
      }
    }
    while (!open_depths.empty()) {
      AppendIndent(open_depths.back(), &out);
      out.append("</outline>\n");
      open_depths.pop_back();
    }
  }
  out.append("  </body>\n</opml>\n");
  return out;
}

}  // namespace

const FormatSpec& OpmlFormat() {
  static const FormatSpec spec{
      "opml", "OPML 2.0 outline", {".opml"}, &Sniff, &Read, &Write};
  return spec;
}

}  // namespace mindcards::detail
