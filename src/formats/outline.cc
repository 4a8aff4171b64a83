// `outline`: one node per line, two spaces of indentation per level, the
// root on the first line. Inside a node's text, "\n" stands for a line
// break, "\\" for a backslash, and a line holding only "\_" is a node with
// empty text.
#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

std::string Unescape(std::string_view s) {
  if (s == "\\_") return {};
  if (s.find('\\') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() &&
        (s[i + 1] == 'n' || s[i + 1] == '\\')) {
      out.push_back(s[i + 1] == 'n' ? '\n' : '\\');
      ++i;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

void AppendEscaped(std::string_view s, std::string* out) {
  if (s.empty()) {
    out->append("\\_");
    return;
  }
  for (char c : s) {
    if (c == '\n') {
      out->append("\\n");
    } else if (c == '\\') {
      out->append("\\\\");
    } else {
      out->push_back(c);
    }
  }
}

int Sniff(std::string_view bytes) {
  // Plain text with no markup at all: the weakest claim, so that every
  // other text format wins when it recognises its syntax.
  bytes = StripBom(bytes);
  std::string_view head = bytes.substr(0, 4096);
  if (head.find('\0') != std::string_view::npos) return 0;
  std::string_view t = Trim(head);
  if (t.empty() || t.front() == '<' || t.front() == '{') return 0;
  return 5;
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  bytes = StripBom(bytes);
  if (auto ok = ValidateUtf8(bytes); !ok) return tl::unexpected(ok.error());
  Map map;
  // One node a line at most: sizing the vector once saves the copies and
  // page faults of growing it (capped so a hostile count cannot reserve
  // more than the node limit).
  size_t line_count =
      static_cast<size_t>(std::count(bytes.begin(), bytes.end(), '\n') + 1);
  map.Reserve(std::min({line_count, limits.max_nodes, size_t{4} << 20}));
  TreeBuilder builder(&map, limits);
  std::vector<NodeId> stack;  // stack[d] = last node at depth d
  LineReader lines(bytes);
  std::string_view line;
  while (lines.Next(&line)) {
    size_t spaces = 0;
    while (spaces < line.size() &&
           (line[spaces] == ' ' || line[spaces] == '\t')) {
      if (line[spaces] == '\t') {
        return BadInput(
            "tab in indentation; outline indents with two spaces",
            {lines.line_number(), static_cast<uint32_t>(spaces + 1)});
      }
      ++spaces;
    }
    std::string_view text = Trim(line.substr(spaces));
    if (text.empty()) continue;
    SourcePos pos{lines.line_number(), static_cast<uint32_t>(spaces + 1)};
    size_t depth = spaces / 2;
    if (spaces % 2 != 0) {
      diagnostics->Warn(pos, "odd indentation; rounded down to a whole level");
    }
    if (stack.empty()) {
      if (depth != 0) {
        diagnostics->Warn(pos, "first line is indented; taken as the root");
      }
      auto id = builder.Add(kNoNode, 0, Unescape(text), pos);
      if (!id) return tl::unexpected(id.error());
      stack.push_back(*id);
      continue;
    }
    if (depth == 0) {
      return BadInput(
          "a second unindented line; an outline has one root (indent the "
          "other nodes under it)",
          pos);
    }
    if (depth > stack.size()) {
      diagnostics->Warn(pos, fmt::format("indented {} levels below its parent; "
                                         "taken as a child",
                                         depth - stack.size() + 1));
      depth = stack.size();
    }
    stack.resize(depth);
    auto id = builder.Add(stack.back(), depth, Unescape(text), pos);
    if (!id) return tl::unexpected(id.error());
    stack.push_back(*id);
  }
  if (map.empty()) return BadInput("no nodes: the input is empty", {1, 1});
  return map;
}

Result<std::string> Write(const Map& map) {
  std::string out;
  if (map.empty()) return out;
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    out.append(it.depth() * 2, ' ');
    AppendEscaped(map.node(*it).text, &out);
    out.push_back('\n');
  }
  return out;
}

}  // namespace

const FormatSpec& OutlineFormat() {
  static const FormatSpec spec{"outline",
                               "indented outline (two spaces per level)",
                               {".txt", ".outline"},
                               &Sniff,
                               &Read,
                               &Write};
  return spec;
}

}  // namespace mindcards::detail
