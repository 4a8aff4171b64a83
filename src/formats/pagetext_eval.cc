// The evaluation side of `pagetext`: a flattener that prints a map the way
// the sites do, and the scores that compare a rebuilt map with the truth.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "formats/pagetext.h"
#include "mindcards/pagetext.h"
#include "mindcards/text.h"

namespace mindcards {
namespace {

// splitmix64: a fixed, portable generator (std distributions differ across
// standard libraries, and results must not).
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(Next() >> 11) * 0x1.0p-53;
  }

 private:
  uint64_t state_;
};

// Greedy wrapping at `box` (thousandths of an em): a line breaks only when
// the next word does not fit. Words end at spaces; a wide (CJK) character
// is a word of its own that joins its neighbours without a space, as
// browsers break such text.
void Wrap(std::string_view text, double box, std::string* out) {
  std::string line;
  double line_width = 0;
  size_t i = 0;
  bool space_before = false;
  while (i < text.size()) {
    size_t start = i;
    size_t end = i;
    char32_t cp = DecodeUtf8(text, &end);
    if (cp == ' ') {
      space_before = true;
      i = end;
      continue;
    }
    if (!detail::IsWide(cp)) {
      while (end < text.size()) {
        size_t next = end;
        char32_t c = DecodeUtf8(text, &next);
        if (c == ' ' || detail::IsWide(c)) break;
        end = next;
      }
    }
    std::string_view word = text.substr(start, end - start);
    i = end;
    double w = detail::TextWidth(word);
    double gap = space_before ? detail::kSpaceWidth : 0;
    space_before = false;
    if (line.empty()) {
      line = word;
      line_width = w;
    } else if (line_width + gap + w <= box) {
      if (gap > 0) line.push_back(' ');
      line += word;
      line_width += gap + w;
    } else {
      *out += line;
      out->push_back('\n');
      line = word;
      line_width = w;
    }
  }
  *out += line;
  out->push_back('\n');
}

}  // namespace

double PageTextWidth(std::string_view text, double font_px) {
  return detail::TextWidth(text) * font_px / 1000.0;
}

std::string FlattenMap(const Map& map, const FlattenOptions& options) {
  std::string out;
  if (map.empty()) return out;
  Rng rng(options.seed);
  std::vector<uint32_t> counters;  // numbering per depth
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    std::string text = FoldWhitespace(map.node(*it).text);
    size_t depth = it.depth();
    // Sites print the number or bullet of an empty node; a wrapped page
    // shows nothing for it, and an empty root prints no title line.
    if (text.empty() && (depth == 0 || options.style == FlattenStyle::kWrapped))
      continue;
    switch (options.style) {
      case FlattenStyle::kWrapped: {
        double box = rng.Uniform(options.min_box_px, options.max_box_px) /
                     options.font_px * 1000.0;
        Wrap(text, box, &out);
        break;
      }
      case FlattenStyle::kNumbered: {
        if (depth == 0) {
          out += text;
          out.push_back('\n');
          break;
        }
        counters.resize(depth);
        ++counters[depth - 1];
        std::string number;
        for (uint32_t c : counters) {
          number += std::to_string(c);
          number.push_back('.');
        }
        out += number;
        if (!text.empty()) {
          out.push_back(' ');
          out += text;
        }
        out.push_back('\n');
        break;
      }
      case FlattenStyle::kBulleted:
        out.append(depth * 2, ' ');
        out += "\xE2\x80\xA2";
        if (!text.empty()) {
          out.push_back(' ');
          out += text;
        }
        out.push_back('\n');
        break;
    }
  }
  return out;
}

RebuildScore ScoreRebuild(const Map& truth, const Map& rebuilt) {
  RebuildScore s;
  // Per node: its folded text, its parent's, and its ancestor path.
  auto collect = [](const Map& m, std::map<std::string, long>* texts,
                    std::map<std::string, long>* pairs,
                    std::map<std::string, long>* paths) {
    size_t count = 0;
    if (m.empty()) return count;
    std::vector<std::string> path;  // folded texts from the root
    for (auto it = m.PreOrder().begin(); it != m.PreOrder().end(); ++it) {
      std::string text = FoldWhitespace(m.node(*it).text);
      path.resize(it.depth());
      ++count;
      ++(*texts)[text];
      if (it.depth() > 0) {
        ++(*pairs)[path.back() + '\x1F' + text];
        std::string p;
        for (const std::string& a : path) p += a + '\x1F';
        ++(*paths)[p + text];
      }
      path.push_back(text);
    }
    return count;
  };
  std::map<std::string, long> tt, tp, tq, rt, rp, rq;
  s.true_nodes = collect(truth, &tt, &tp, &tq);
  s.rebuilt_nodes = collect(rebuilt, &rt, &rp, &rq);
  auto overlap = [](const std::map<std::string, long>& a,
                    const std::map<std::string, long>& b) {
    size_t n = 0;
    for (const auto& [k, v] : a) {
      auto it = b.find(k);
      if (it != b.end()) n += static_cast<size_t>(std::min(v, it->second));
    }
    return n;
  };
  s.matched_nodes = overlap(tt, rt);
  s.matched_parents = overlap(tp, rp);
  s.matched_paths = overlap(tq, rq);
  auto empties = [](const std::map<std::string, long>& texts) {
    auto it = texts.find("");
    return it == texts.end() ? size_t{0} : static_cast<size_t>(it->second);
  };
  size_t true_empty = empties(tt), rebuilt_empty = empties(rt);
  s.true_segments = s.true_nodes - true_empty;
  s.rebuilt_segments = s.rebuilt_nodes - rebuilt_empty;
  s.matched_segments = s.matched_nodes - std::min(true_empty, rebuilt_empty);
  auto f1 = [](size_t matched, size_t a, size_t b) {
    return a + b > 0
               ? 2.0 * static_cast<double>(matched) / static_cast<double>(a + b)
               : 1.0;
  };
  s.f1 = f1(s.matched_segments, s.true_segments, s.rebuilt_segments);
  s.f1_all_nodes = f1(s.matched_nodes, s.true_nodes, s.rebuilt_nodes);
  if (s.true_nodes > 1) {
    double denom = static_cast<double>(s.true_nodes - 1);
    s.parent_accuracy = static_cast<double>(s.matched_parents) / denom;
    s.path_accuracy = static_cast<double>(s.matched_paths) / denom;
  } else {
    s.parent_accuracy = s.path_accuracy = 1.0;
  }
  return s;
}

}  // namespace mindcards
