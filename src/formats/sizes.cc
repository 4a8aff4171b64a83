// `sizes`: the layout harness's tree format (../shared/layout, "mmtree v1"):
// one node a line, `id parent_id width height`, parent -1 for the root,
// parents before children, sibling order = line order, '#' comments. Boxes
// carry no text; each node's text is its id and its size goes in the
// attribute "mindcards:size" ("WIDTH HEIGHT", mindcards::kSizeAttribute),
// which the layouts use instead of measuring. Never sniffed: use -f sizes.
#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "mindcards/layout.h"

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

// One node line, checked: fields as written, numbers parsed, columns.
struct Row {
  std::string_view f[5];
  uint32_t col[5];
  int64_t id, parent;
  double w, h;
};

// Parses `line` (line number `ln`) into `row`; false for a blank or comment
// line. The error is the one both readers give.
Result<bool> ParseRow(std::string_view line, uint32_t ln, Row* row) {
  std::string_view* f = row->f;
  uint32_t* col = row->col;
  size_t n = Fields(line, f, col);
  if (n == 0 || f[0][0] == '#') return false;
  if (n != 4) {
    return BadInput(
        fmt::format("expected 'id parent width height', found {} field{}", n,
                    n == 1 ? "" : "s"),
        {ln, col[0]});
  }
  if (!ParseInt(f[0], &row->id) || row->id < 0) {
    return BadInput(fmt::format("bad node id '{}'", f[0]), {ln, col[0]});
  }
  if (!ParseInt(f[1], &row->parent) || row->parent < -1) {
    return BadInput(fmt::format("bad parent id '{}'", f[1]), {ln, col[1]});
  }
  if (!ParseSize(f[2], &row->w)) {
    return BadInput(fmt::format("bad width '{}' (0..1000000)", f[2]),
                    {ln, col[2]});
  }
  if (!ParseSize(f[3], &row->h)) {
    return BadInput(fmt::format("bad height '{}' (0..1000000)", f[3]),
                    {ln, col[3]});
  }
  return true;
}

// Resolves the row's parent through `by_id` (file id -> node); kNoNode for
// the root. `count`: nodes so far.
template <typename Index>
Result<Index> ResolveParent(const Row& row, uint32_t ln, size_t count,
                            const std::unordered_map<int64_t, Index>& by_id,
                            Index none) {
  if (by_id.count(row.id) != 0) {
    return BadInput(fmt::format("node id {} appears twice", row.id),
                    {ln, row.col[0]});
  }
  if (row.parent == -1) {
    if (count != 0)
      return BadInput("a second root (parent -1)", {ln, row.col[1]});
    return none;
  }
  auto it = by_id.find(row.parent);
  if (it == by_id.end()) {
    return BadInput(
        fmt::format("parent {} is not defined on an earlier line", row.parent),
        {ln, row.col[1]});
  }
  return it->second;
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics*) {
  Map map;
  TreeBuilder builder(&map, limits);
  std::unordered_map<int64_t, NodeId> by_id;
  std::vector<uint32_t> depth;
  LineReader lines(StripBom(bytes));
  std::string_view line;
  while (lines.Next(&line)) {
    uint32_t ln = lines.line_number();
    Row row;
    auto got = ParseRow(line, ln, &row);
    if (!got) return tl::unexpected(got.error());
    if (!*got) continue;
    auto parent = ResolveParent<NodeId>(row, ln, map.size(), by_id, kNoNode);
    if (!parent) return tl::unexpected(parent.error());
    size_t d = *parent == kNoNode ? 0 : depth[*parent] + 1;
    auto node =
        builder.Add(*parent, d, std::string(row.f[0]), {ln, row.col[0]});
    if (!node) return tl::unexpected(node.error());
    by_id.emplace(row.id, *node);
    if (depth.size() <= *node) depth.resize(*node + 1);
    depth[*node] = static_cast<uint32_t>(d);
    map.node(*node).mutable_extras().attributes.push_back(
        {"mindcards:size", fmt::format("{} {}", row.f[2], row.f[3])});
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
    for (const Attribute& a : n.attributes()) {
      if (a.name == "mindcards:size") size = a.value;
    }
    fmt::format_to(std::back_inserter(out), "{} {} {}\n", number[id],
                   n.parent == kNoNode ? -1 : number[n.parent], size);
  }
  return out;
}

}  // namespace

Result<TreeSizes> ReadTreeSizesImpl(std::string_view bytes,
                                    std::vector<std::string_view>* ids) {
  TreeSizes tree;
  ids->clear();
  ReadLimits limits;
  std::unordered_map<int64_t, uint32_t> by_id;
  by_id.reserve(bytes.size() / 16);
  LineReader lines(StripBom(bytes));
  std::string_view line;
  constexpr uint32_t kRoot = std::numeric_limits<uint32_t>::max();
  while (lines.Next(&line)) {
    uint32_t ln = lines.line_number();
    Row row;
    auto got = ParseRow(line, ln, &row);
    if (!got) return tl::unexpected(got.error());
    if (!*got) continue;
    auto parent = ResolveParent<uint32_t>(row, ln, tree.size(), by_id, kRoot);
    if (!parent) return tl::unexpected(parent.error());
    if (tree.size() >= limits.max_nodes) {
      return BadInput(
          fmt::format("too many nodes (limit {})", limits.max_nodes),
          {ln, row.col[0]});
    }
    by_id.emplace(row.id, static_cast<uint32_t>(tree.size()));
    tree.parent.push_back(*parent == kRoot ? 0 : *parent);
    tree.width.push_back(row.w);
    tree.height.push_back(row.h);
    ids->push_back(row.f[0]);
  }
  if (tree.size() == 0)
    return BadInput("no nodes (expected 'id parent width height')");
  return tree;
}

const FormatSpec& SizesFormat() {
  static const FormatSpec spec{
      "sizes",    "layout harness tree: id parent width height (no text)",
      {".sizes"}, &Sniff,
      &Read,      &Write};
  return spec;
}

}  // namespace mindcards::detail

namespace mindcards {
Result<TreeSizes> ReadTreeSizes(std::string_view bytes,
                                std::vector<std::string_view>* ids) {
  return detail::ReadTreeSizesImpl(bytes, ids);
}
}  // namespace mindcards
