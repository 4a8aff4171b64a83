// `pagetext`: a mind map rebuilt from the text of a mind-map web page
// (GoConqr, MindMeister, Coggle, GetRevising and the like). The header gives
// the metadata (pagetext_header.cc); the body is either explicitly
// structured (numbers, bullets, indentation: pagetext_structure.cc) or
// flattened, wrapped text whose nodes and tree are inferred
// (pagetext_infer.cc). Read-only: the outline writer prints the result.
#include "formats/pagetext.h"

#include <fmt/format.h>

#include <algorithm>
#include <span>
#include <string>
#include <vector>

#include "core/both_threads.h"
#include "mindcards/pagetext.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

bool SameText(std::string_view a, std::string_view b) {
  return AsciiLower(FoldWhitespace(a)) == AsciiLower(FoldWhitespace(b));
}

// Skips the lines at `*begin` that spell `title` (the first map node repeats
// the title, wrapped like any node).
void SkipTitleLines(const std::vector<PageLine>& lines, std::string_view title,
                    size_t end, size_t* begin) {
  std::string want = AsciiLower(FoldWhitespace(title));
  if (want.empty()) return;
  std::string got;
  size_t i = *begin;
  while (i < end && !lines[i].blank() && got.size() < want.size()) {
    if (!got.empty()) got.push_back(' ');
    got += AsciiLower(FoldWhitespace(lines[i].text));
    ++i;
    if (!want.starts_with(got)) return;
  }
  if (got == want) *begin = i;
}

int Sniff(std::string_view bytes) {
  bytes = StripBom(bytes.substr(0, 65536));
  if (bytes.find('\0') != std::string_view::npos) return 0;
  std::string_view t = Trim(bytes);
  if (t.empty() || t.front() == '<' || t.front() == '{') return 0;
  // Cut at a line end so the last line is whole.
  size_t cut = bytes.rfind('\n');
  if (bytes.size() == 65536 && cut != std::string_view::npos) {
    bytes = bytes.substr(0, cut);
  }
  std::vector<PageLine> lines = SplitPageLines(bytes);
  if (lines.size() > 400) lines.resize(400);
  PageHeader header = ParsePageHeader(lines);
  if (header.confidence >= 85) return 90;
  size_t nonblank = 0, unindented = 0, markup = 0;
  for (const PageLine& l : lines) {
    if (l.blank()) continue;
    ++nonblank;
    if (l.indent == 0) ++unindented;
    if (l.text.starts_with("#") || l.text.starts_with("```") ||
        l.text.starts_with("---") || l.text == "mindmap") {
      ++markup;
    }
  }
  if (markup > 0) return 0;  // Markdown or Mermaid
  switch (ClassifyBody(lines, 0, lines.size())) {
    case BodyStyle::kDotted:
      return 60;
    case BodyStyle::kRestarting:
      return 40;
    case BodyStyle::kBulleted: {
      // "•" bullets are page text; "-" and "*" lists are Markdown's.
      ListMarker marker;
      for (const PageLine& l : lines) {
        if (ParseListMarker(l.text, &marker) && marker.bullet) {
          return static_cast<unsigned char>(l.text[0]) >= 0x80 ? 40 : 3;
        }
      }
      return 3;
    }
    case BodyStyle::kIndented:
    case BodyStyle::kFlat:
      break;
  }
  // Plain lines: an indented outline (one unindented root line) stays an
  // outline; several unindented lines are page text.
  if (nonblank >= 2 && unindented >= 2 && unindented * 10 >= nonblank * 7) {
    return 20;
  }
  return 0;
}

// True when `bytes` is UTF-8 without a NUL byte; on two threads for large
// input (its halves cut at a "\n", which no UTF-8 sequence holds).
bool IsCleanText(std::string_view bytes, unsigned threads) {
  auto clean = [](std::string_view b) {
    return ValidateUtf8(b).has_value() &&
           b.find('\0') == std::string_view::npos;
  };
  size_t cut = threads >= 2 && bytes.size() >= kParallelBytes
                   ? bytes.find('\n', bytes.size() / 2)
                   : std::string_view::npos;
  if (cut == std::string_view::npos) return clean(bytes);
  bool first = false, second = false;
  BothThreads(
      true, [&] { second = clean(bytes.substr(cut)); },
      [&] { first = clean(bytes.substr(0, cut)); });
  return first && second;
}

Result<Map> ReadWithBoxes(std::string_view bytes, const BoxModel& box,
                          unsigned threads, const ReadLimits& limits,
                          Diagnostics* diagnostics) {
  bytes = StripBom(bytes);
  if (!IsCleanText(bytes, threads)) {  // say where, from the start
    if (auto ok = ValidateUtf8(bytes); !ok) return tl::unexpected(ok.error());
    size_t nul = bytes.find('\0');
    return BadInput("NUL byte: this is binary data, not page text",
                    PosOfOffset(bytes, nul));
  }
  std::vector<PageLine> lines = SplitPageLines(bytes, threads);
  PageHeader header = ParsePageHeader(lines);
  size_t begin = header.body_begin, end = header.body_end;
  BodyStyle style = ClassifyBody(lines, begin, end, threads);
  std::string root_text =
      !header.root_text.empty() ? header.root_text : header.meta.title;

  std::vector<PageNode> nodes;
  bool first_is_root = false;
  size_t skip = 0;  // leading nodes that are not the root's descendants
  Map map;
  TreeBuilder builder(&map, limits);
  // The map and its root, once the nodes are known (for flattened text
  // before their tree is, so that the tree search's second thread can
  // fault in the node array meanwhile).
  auto start_map = [&]() -> Result<NodeId> {
    if (root_text.empty() && nodes.empty()) {
      return BadInput("no nodes: the input has no text", {1, 1});
    }
    map.Reserve(nodes.size() + 1);
    map.meta() = header.meta;
    SourcePos root_pos = first_is_root ? nodes.front().pos
                         : begin < lines.size()
                             ? SourcePos{lines[begin].number, 1}
                             : SourcePos{1, 1};
    return builder.Add(kNoNode, 0, root_text, root_pos);
  };
  Result<NodeId> root;
  if (style == BodyStyle::kFlat) {
    if (!root_text.empty()) SkipTitleLines(lines, root_text, end, &begin);
    std::string_view language =
        BodyLanguage(lines, begin, end, header.meta.language);
    // While the programme runs, the second thread faults in the map's
    // room for about as many nodes as the lines make; while the tree is
    // searched, the room again if it has moved since (a short estimate, or
    // no large block).
    const void* faulted = nullptr;
    auto fault_in_room = [&] {
      auto [room, bytes] = map.ReservedBytes();
      if (room == faulted) return;
      Prefault(room, bytes);
      faulted = room;
    };
    nodes = SegmentFlatLines(lines, begin, end, language, box, threads,
                             [&](size_t estimate) {
                               map.Reserve(estimate + 1);
                               fault_in_room();
                             });
    if (root_text.empty() && !nodes.empty()) {
      // No header: the first node is the central topic. It stays in the
      // array, skipped below (moving a million nodes down one place would
      // cost more).
      root_text = std::move(nodes.front().text);
      skip = 1;
    }
    root = start_map();
    if (!root) return tl::unexpected(root.error());
    std::span<PageNode> body = std::span(nodes).subspan(skip);
    InferHierarchy(root_text, language, body, threads, fault_in_room);
    if (skip > 0) {  // the tree's indices are into `body`
      for (PageNode& node : body) {
        if (node.parent >= 0) node.parent += static_cast<int32_t>(skip);
      }
    }
  } else {
    nodes = ParseStructuredBody(lines, begin, end, style);
    // A site numbers the root's children, never the root; a bullet may
    // mark the root when everything else hangs under it.
    bool single_top =
        std::count_if(nodes.begin(), nodes.end(),
                      [](const PageNode& n) { return n.parent == -1; }) == 1;
    first_is_root =
        !nodes.empty() && nodes.front().parent == -1 &&
        (root_text.empty() || SameText(nodes.front().text, root_text)) &&
        (!nodes.front().marked ||
         (style != BodyStyle::kDotted && style != BodyStyle::kRestarting &&
          single_top));
    if (first_is_root && !root_text.empty() && header.root_text.empty()) {
      root_text = nodes.front().text;
    }
    if (first_is_root) root_text = nodes.front().text;
    skip = first_is_root ? 1 : 0;
    root = start_map();
    if (!root) return tl::unexpected(root.error());
  }
  std::vector<NodeId> ids(nodes.size(), kNoNode);
  std::vector<uint32_t> depth(nodes.size(), 1);
  for (size_t i = skip; i < nodes.size(); ++i) {
    PageNode& node = nodes[i];
    NodeId parent = *root;
    if (node.parent >= 0 && !(first_is_root && node.parent == 0) &&
        ids[node.parent] != kNoNode) {
      parent = ids[node.parent];
      depth[i] = depth[node.parent] + 1;
    }
    auto id = builder.Add(parent, depth[i], std::move(node.text), node.pos);
    if (!id) return tl::unexpected(id.error());
    ids[i] = *id;
    Node& out = map.node(*id);
    out.join_confidence = node.join_confidence;
    out.parent_confidence = node.parent_confidence;
  }
  if (map.size() == 1 && style == BodyStyle::kFlat && header.confidence == 0 &&
      diagnostics != nullptr) {
    diagnostics->Warn({1, 1}, "page text with a single node");
  }
  return map;
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  return ReadWithBoxes(bytes, BoxModel{}, PageTextThreads(0), limits,
                       diagnostics);
}

}  // namespace

const FormatSpec& PageTextFormat() {
  static const FormatSpec spec{
      "pagetext",
      "text copied from a mind-map web page (GoConqr, MindMeister, Coggle, "
      "GetRevising)",
      {".txt"},
      &Sniff,
      &Read,
      nullptr};
  return spec;
}

}  // namespace mindcards::detail

namespace mindcards {

Result<Map> ReadPageText(std::string_view bytes, const PageTextOptions& options,
                         const ReadLimits& limits, Diagnostics* diagnostics) {
  double font = options.font_px > 0 ? options.font_px : 14;
  detail::BoxModel box;
  box.min_box = std::max(0.0, options.min_box_px) / font * 1000;
  box.max_box = std::max(box.min_box, options.max_box_px / font * 1000);
  return detail::ReadWithBoxes(bytes, box,
                               detail::PageTextThreads(options.threads), limits,
                               diagnostics);
}

}  // namespace mindcards
