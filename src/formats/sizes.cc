// `sizes`: the layout harness's tree format (../shared/layout, "mmtree v1"):
// one node a line, `id parent_id width height`, parent -1 for the root,
// parents before children, sibling order = line order, '#' comments. Boxes
// carry no text; each node's text is its id and its size goes in the
// attribute "mindcards:size" ("WIDTH HEIGHT", mindcards::kSizeAttribute),
// which the layouts use instead of measuring. Never sniffed: use -f sizes.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <unordered_map>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/formats.h"

namespace mindcards::detail {
namespace {

// Splits `line` at spaces and tabs into at most 5 fields; returns the count
// and each field's 1-based column.
size_t Fields(std::string_view line, std::string_view* f, uint32_t* col) {
  size_t n = 0;
  size_t i = 0;
  while (i < line.size() && n < 5) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size()) break;
    size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    col[n] = static_cast<uint32_t>(start + 1);
    f[n++] = line.substr(start, i - start);
  }
  return n;
}

bool ParseInt(std::string_view s, int64_t* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size();
}

bool ParseSize(std::string_view s, double* v) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() &&
         std::isfinite(*v) && *v >= 0 && *v <= 1e6;
}

int Sniff(std::string_view) { return 0; }

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics*) {
  Map map;
  TreeBuilder builder(&map, limits);
  std::unordered_map<int64_t, NodeId> by_id;
  std::vector<uint32_t> depth;
  LineReader lines(StripBom(bytes));
  std::string_view line;
  while (lines.Next(&line)) {
    std::string_view f[5];
    uint32_t col[5];
    size_t n = Fields(line, f, col);
    uint32_t ln = lines.line_number();
    if (n == 0 || f[0][0] == '#') continue;
    if (n != 4) {
      return BadInput(
          fmt::format("expected 'id parent width height', found {} field{}", n,
                      n == 1 ? "" : "s"),
          {ln, col[0]});
    }
    int64_t id, parent;
    double w, h;
    if (!ParseInt(f[0], &id) || id < 0) {
      return BadInput(fmt::format("bad node id '{}'", f[0]), {ln, col[0]});
    }
    if (!ParseInt(f[1], &parent) || parent < -1) {
      return BadInput(fmt::format("bad parent id '{}'", f[1]), {ln, col[1]});
    }
    if (!ParseSize(f[2], &w)) {
      return BadInput(fmt::format("bad width '{}' (0..1000000)", f[2]),
                      {ln, col[2]});
    }
    if (!ParseSize(f[3], &h)) {
      return BadInput(fmt::format("bad height '{}' (0..1000000)", f[3]),
                      {ln, col[3]});
    }
    if (by_id.count(id) != 0) {
      return BadInput(fmt::format("node id {} appears twice", id),
                      {ln, col[0]});
    }
    NodeId parent_node = kNoNode;
    size_t d = 0;
    if (parent == -1) {
      if (!map.empty()) {
        return BadInput("a second root (parent -1)", {ln, col[1]});
      }
    } else {
      auto it = by_id.find(parent);
      if (it == by_id.end()) {
        return BadInput(
            fmt::format("parent {} is not defined on an earlier line", parent),
            {ln, col[1]});
      }
      parent_node = it->second;
      d = depth[parent_node] + 1;
    }
    auto node = builder.Add(parent_node, d, std::string(f[0]), {ln, col[0]});
    if (!node) return tl::unexpected(node.error());
    by_id.emplace(id, *node);
    if (depth.size() <= *node) depth.resize(*node + 1);
    depth[*node] = static_cast<uint32_t>(d);
    map.node(*node).attributes.push_back(
        {"mindcards:size", fmt::format("{} {}", f[2], f[3])});
  }
  if (map.empty())
    return BadInput("no nodes (expected 'id parent width height')");
  return map;
}

Result<std::string> Write(const Map& map) {
  std::string out = "# mmtree v1 (mindcards)\n# id parent_id width height\n";
  std::vector<int64_t> number(map.id_count(), -1);
  int64_t next = 0;
  for (NodeId id : map.PreOrder()) {
    const Node& n = map.node(id);
    number[id] = next++;
    std::string_view size = "0 0";
    for (const Attribute& a : n.attributes) {
      if (a.name == "mindcards:size") size = a.value;
    }
    fmt::format_to(std::back_inserter(out), "{} {} {}\n", number[id],
                   n.parent == kNoNode ? -1 : number[n.parent], size);
  }
  return out;
}

}  // namespace

const FormatSpec& SizesFormat() {
  static const FormatSpec spec{
      "sizes",    "layout harness tree: id parent width height (no text)",
      {".sizes"}, &Sniff,
      &Read,      &Write};
  return spec;
}

}  // namespace mindcards::detail
