// Bodies with explicit structure: dotted numbers (1.2.3), GoConqr's
// restarting "1." per level with drifting indentation, bullets, and plain
// indentation.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "core/both_threads.h"
#include "formats/pagetext.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

constexpr std::array<std::string_view, 11> kBullets = {
    "\xE2\x80\xA2",  // • U+2022
    "\xE2\x97\xA6",  // ◦ U+25E6
    "\xE2\x96\xAA",  // ▪ U+25AA
    "\xE2\x80\xA3",  // ‣ U+2023
    "\xC2\xB7",      // · U+00B7
    "\xE2\x97\x8B",  // ○ U+25CB
    "\xE2\x96\xA0",  // ■ U+25A0
    "\xE2\x97\x8F",  // ● U+25CF
    "-",
    "*",
    "+",
};

// How many open items, innermost first, a restarting "k." looks through
// for its "k-1": deeper pages are not drawn by any site, and the bound keeps
// a hostile page of thousands of nested "1." lines linear.
constexpr size_t kMaxRestartScan = 64;

void AppendContinuation(std::string_view text, std::string* node) {
  if (node->empty()) {
    *node = std::string(text);
    return;
  }
  bool glue =
      node->size() >= 2 && node->back() == '-' &&
      std::isalnum(static_cast<unsigned char>((*node)[node->size() - 2]));
  if (!glue) node->push_back(' ');
  node->append(text);
}

}  // namespace

namespace {

// The lines of `bytes`, numbered from 1. A line ends at "\n", "\r\n" or
// "\r" (as LineReader has it); the ends are found with memchr.
std::vector<PageLine> SplitLines(std::string_view bytes,
                                 std::vector<PageLine> lines = {}) {
  size_t pos = 0;
  uint32_t number = 0;
  // The next "\n" and "\r" at or after `pos`, kept between lines: each is
  // searched afresh only once passed, so the text is searched once for
  // each (most text has no "\r" at all).
  size_t newline = std::min(bytes.find('\n'), bytes.size());
  size_t cr = std::min(bytes.find('\r'), bytes.size());
  while (pos < bytes.size()) {
    if (newline < pos) newline = std::min(bytes.find('\n', pos), bytes.size());
    if (cr < pos) cr = std::min(bytes.find('\r', pos), bytes.size());
    size_t end = std::min(newline, cr);
    std::string_view line = bytes.substr(pos, end - pos);
    if (end < bytes.size() && bytes[end] == '\r') ++end;
    if (end < bytes.size() && bytes[end] == '\n') ++end;
    pos = end;
    PageLine out;
    out.number = ++number;
    size_t i = 0;
    uint32_t indent = 0;
    for (; i < line.size(); ++i) {
      if (line[i] == ' ') {
        ++indent;
      } else if (line[i] == '\t') {
        indent += 4;
      } else if (line.substr(i).starts_with("\xC2\xA0")) {  // no-break space
        ++indent;
        ++i;
      } else {
        break;
      }
    }
    out.indent = indent;
    std::string_view text = line.substr(i);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
      text.remove_suffix(1);
    }
    out.text = text;
    lines.push_back(out);
  }
  return lines;
}

}  // namespace

std::vector<PageLine> SplitPageLines(std::string_view bytes, unsigned threads) {
  // Two threads split the two halves, cut after a "\n" (which ends a line
  // whatever came before it); the second half's numbers are then shifted.
  size_t cut = threads >= 2 && bytes.size() >= kParallelBytes
                   ? bytes.find('\n', bytes.size() / 2)
                   : std::string_view::npos;
  if (cut == std::string_view::npos) return SplitLines(bytes);
  ++cut;
  // Room for all the lines, estimated from the first 64 KB (with a tenth
  // more, and at most a line per 16 bytes), so that the second half is
  // appended without moving the first; the second thread, done with its
  // half, faults that room in while this one still splits. A hint: a
  // short estimate only costs the move, as before.
  std::string_view sample = bytes.substr(0, 65536);
  auto sample_lines =
      static_cast<size_t>(std::count(sample.begin(), sample.end(), '\n'));
  size_t estimate =
      std::min(bytes.size() / sample.size() * (sample_lines + 1) / 10 * 11,
               bytes.size() / 16);
  std::vector<PageLine> first, second;
  first.reserve(estimate);
  second.reserve(estimate / 2 + estimate / 16);
  const void* room = first.data();
  size_t room_bytes = first.capacity() * sizeof(PageLine);
  detail::BothThreads(
      true,
      [&] {
        second = SplitLines(bytes.substr(cut), std::move(second));
        Prefault(room, room_bytes);
      },
      [&] { first = SplitLines(bytes.substr(0, cut), std::move(first)); });
  auto offset = static_cast<uint32_t>(first.size());
  first.reserve(first.size() + second.size());
  for (PageLine& line : second) {
    line.number += offset;
    first.push_back(line);
  }
  return first;
}

bool ParseListMarker(std::string_view text, ListMarker* marker) {
  marker->numbers.clear();
  marker->bullet = false;
  for (std::string_view b : kBullets) {
    if (!text.starts_with(b)) continue;
    if (text.size() == b.size()) {  // a bullet alone: a node with no text
      marker->bullet = true;
      marker->text_offset = text.size();
      return true;
    }
    if (text[b.size()] == ' ') {
      // "-5 degrees" is text, "- item" is a bullet; "**bold**" is not one.
      marker->bullet = true;
      size_t at = b.size();
      while (at < text.size() && text[at] == ' ') ++at;
      if (at == text.size()) return false;
      marker->text_offset = at;
      return true;
    }
  }
  size_t i = 0;
  while (true) {
    size_t start = i;
    uint32_t value = 0;
    while (i < text.size() && i - start < 9 &&
           std::isdigit(static_cast<unsigned char>(text[i]))) {
      value = value * 10 + static_cast<uint32_t>(text[i] - '0');
      ++i;
    }
    if (i == start) return false;
    if (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      return false;  // ten digits or more: a number, not a marker
    }
    marker->numbers.push_back(value);
    if (i < text.size() && (text[i] == '.' || text[i] == ')')) {
      char c = text[i++];
      if (c == ')' || i >= text.size() ||
          !std::isdigit(static_cast<unsigned char>(text[i]))) {
        break;  // "1." / "1.2." / "1)"
      }
      continue;  // "1.2" goes on
    }
    // "1.2 text": dotted without a final dot needs two components.
    if (marker->numbers.size() >= 2) break;
    return false;
  }
  if (i == text.size() && (text.back() == '.' || text.back() == ')')) {
    marker->text_offset = i;  // "1.2." alone: a node with empty text
    return true;
  }
  if (i >= text.size() || text[i] != ' ') return false;
  while (i < text.size() && text[i] == ' ') ++i;
  if (i == text.size()) return false;
  marker->text_offset = i;
  return true;
}

namespace {

// What ClassifyBody counts, over some of the lines.
struct BodyCounts {
  size_t nonblank = 0, numbered = 0, dotted = 0, bullets = 0, indented = 0;
  uint32_t min_indent = UINT32_MAX, max_indent = 0;

  void Count(const std::vector<PageLine>& lines, size_t begin, size_t end) {
    ListMarker marker;
    for (size_t i = begin; i < end; ++i) {
      const PageLine& l = lines[i];
      if (l.blank()) continue;
      ++nonblank;
      min_indent = std::min(min_indent, l.indent);
      max_indent = std::max(max_indent, l.indent);
      if (l.indent > 0) ++indented;
      if (!ParseListMarker(l.text, &marker)) continue;
      if (marker.bullet) {
        ++bullets;
      } else {
        ++numbered;
        if (marker.numbers.size() >= 2) ++dotted;
      }
    }
  }
  void Add(const BodyCounts& o) {
    nonblank += o.nonblank;
    numbered += o.numbered;
    dotted += o.dotted;
    bullets += o.bullets;
    indented += o.indented;
    min_indent = std::min(min_indent, o.min_indent);
    max_indent = std::max(max_indent, o.max_indent);
  }
};

}  // namespace

BodyStyle ClassifyBody(const std::vector<PageLine>& lines, size_t begin,
                       size_t end, unsigned threads) {
  BodyCounts counts, second;
  size_t mid = begin + (end - begin) / 2;
  if (threads >= 2 && end - begin >= kParallelMin) {
    detail::BothThreads(
        true, [&] { second.Count(lines, mid, end); },
        [&] { counts.Count(lines, begin, mid); });
    counts.Add(second);
  } else {
    counts.Count(lines, begin, end);
  }
  const auto& [nonblank, numbered, dotted, bullets, indented, min_indent,
               max_indent] = counts;
  if (nonblank == 0) return BodyStyle::kFlat;
  size_t marked = numbered + bullets;
  if (marked >= 2 && marked * 2 >= nonblank) {
    if (numbered >= bullets) {
      return dotted > 0 ? BodyStyle::kDotted : BodyStyle::kRestarting;
    }
    return BodyStyle::kBulleted;
  }
  if (indented * 10 >= nonblank * 3 && max_indent > min_indent) {
    return BodyStyle::kIndented;
  }
  return BodyStyle::kFlat;
}

std::vector<PageNode> ParseStructuredBody(const std::vector<PageLine>& lines,
                                          size_t begin, size_t end,
                                          BodyStyle style) {
  std::vector<PageNode> nodes;
  // Open nodes, innermost last: {level, node index, number, indent}.
  struct Open {
    int64_t level;
    int32_t index;
    uint32_t number;
    uint32_t indent;
  };
  std::vector<Open> stack;
  ListMarker marker;
  bool last_was_blank = false;
  // Dotted numbers seen so far, per level: "1.2." alone is an empty node
  // only when it is the next number; otherwise ("1955." after a wrapped
  // line) it is text.
  std::vector<uint32_t> counters;
  auto next_in_sequence = [&counters](const std::vector<uint32_t>& numbers) {
    size_t level = numbers.size();
    if (level == 0 || level > counters.size() + 1) return false;
    for (size_t k = 0; k + 1 < level; ++k) {
      if (numbers[k] != counters[k]) return false;
    }
    uint32_t want = level <= counters.size() ? counters[level - 1] + 1 : 1;
    return numbers.back() == want;
  };
  for (size_t i = begin; i < end; ++i) {
    const PageLine& l = lines[i];
    if (l.blank()) {
      last_was_blank = true;
      continue;
    }
    bool marked = ParseListMarker(l.text, &marker) &&
                  (style != BodyStyle::kBulleted || marker.bullet) &&
                  (style == BodyStyle::kBulleted || !marker.bullet);
    if (marked && marker.text_offset == l.text.size() && !nodes.empty() &&
        !marker.bullet) {
      // A number alone must continue the numbering to be a node.
      uint32_t n = marker.numbers.back();
      auto from = stack.end() - static_cast<ptrdiff_t>(
                                    std::min(stack.size(), kMaxRestartScan));
      bool continues =
          style == BodyStyle::kDotted
              ? next_in_sequence(marker.numbers)
              : n == 1 || std::any_of(from, stack.end(), [n](const Open& o) {
                  return o.number == n - 1;
                });
      if (!continues) marked = false;
    }
    if (marked && style == BodyStyle::kDotted) {
      counters.resize(marker.numbers.size());
      counters.back() = marker.numbers.back();
    }
    SourcePos pos{l.number, l.indent + 1};
    if (!marked && style != BodyStyle::kIndented && !nodes.empty() &&
        !(style == BodyStyle::kRestarting && l.indent == 0 && last_was_blank)) {
      // An unmarked line continues the node above (a wrapped line or a
      // note the page printed under it).
      AppendContinuation(l.text, &nodes.back().text);
      last_was_blank = false;
      continue;
    }
    last_was_blank = false;
    PageNode node;
    node.pos = pos;
    node.marked = marked;
    node.text =
        std::string(marked ? l.text.substr(marker.text_offset) : l.text);
    if (marked) node.pos.column += static_cast<uint32_t>(marker.text_offset);
    int32_t index = static_cast<int32_t>(nodes.size());
    uint32_t number =
        marked && !marker.numbers.empty() ? marker.numbers.back() : 0;

    if (style == BodyStyle::kRestarting && marked) {
      // "1." opens a level under the line before; "k." continues the open
      // list whose last item is k-1. Indentation drifts (a later sibling
      // sits two columns deeper than the one before), so among the open
      // items numbered k-1 the one whose indentation plus the drift is
      // closest to this line's wins.
      size_t keep = stack.size();
      float confidence = 1.0f;
      if (number > 1) {
        int64_t best_cost = INT64_MAX, second = INT64_MAX;
        size_t best = stack.size();
        size_t lowest = stack.size() - std::min(stack.size(), kMaxRestartScan);
        for (size_t s = stack.size(); s-- > lowest;) {
          if (stack[s].number != number - 1) continue;
          int64_t cost = std::llabs(static_cast<int64_t>(stack[s].indent) + 2 -
                                    static_cast<int64_t>(l.indent));
          if (cost < best_cost) {
            second = best_cost;
            best_cost = cost;
            best = s;
          } else if (cost < second) {
            second = cost;
          }
        }
        if (best < stack.size()) {
          keep = best;
          if (second != INT64_MAX && second - best_cost <= 1) confidence = 0.6f;
        } else {
          confidence = 0.5f;
        }
      }
      stack.resize(keep);
      node.parent = stack.empty() ? -1 : stack.back().index;
      node.parent_confidence = confidence;
      stack.push_back({0, index, number, l.indent});
      nodes.push_back(std::move(node));
      continue;
    }

    int64_t level;
    if (style == BodyStyle::kDotted) {
      level = marked ? static_cast<int64_t>(marker.numbers.size()) : 0;
    } else if (style == BodyStyle::kIndented) {
      level = l.indent;
    } else {
      // Bullets: deeper indentation is a deeper level; an unmarked line
      // (a title above the list) is above them all.
      level = marked ? static_cast<int64_t>(l.indent) + 1 : 0;
    }
    while (!stack.empty() && stack.back().level >= level) stack.pop_back();
    node.parent = stack.empty() ? -1 : stack.back().index;
    stack.push_back({level, index, number, l.indent});
    nodes.push_back(std::move(node));
  }
  return nodes;
}

}  // namespace mindcards::detail
