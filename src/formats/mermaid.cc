// `mermaid`: Mermaid mindmap diagrams. Follows mermaid's parser
// (packages/mermaid/src/diagrams/mindmap/parser/mindmap.jison and
// mindmapDb.ts): a node's parent is the nearest earlier node indented less;
// `id(shape)` delimiters give the node its shape; `::icon(..)` and `:::class`
// lines decorate the node before them. Where mermaid would misread ordinary
// text ("pH = -log[H+]" becomes a square node "H+"), this reader keeps the
// whole line as text and warns; docs/formats.md lists the differences.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

constexpr std::string_view kShapeAttribute = "mermaid.shape";
constexpr std::string_view kClassAttribute = "mermaid.class";

bool IsBlank(std::string_view s) { return Trim(s).empty(); }

// `prefix` is lower case.
bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

// Length of "#name;" or "#123;" at s[i] (s[i] == '#'), or 0.
size_t EntityLength(std::string_view s, size_t i) {
  size_t j = i + 1;
  while (j < s.size() && IsWordChar(s[j])) ++j;
  if (j == i + 1 || j >= s.size() || s[j] != ';') return 0;
  return j + 1 - i;
}

bool IsBracket(char c) {
  return c == '(' || c == '[' || c == '{' || c == ')' || c == '}';
}

// Mermaid's entity codes (#quot;, #35;) and <br/> line breaks.
std::string DecodeText(std::string_view s) {
  bool plain = true;
  for (char c : s) plain = plain && c != '<' && c != '#';
  if (plain) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<' && StartsWithNoCase(s.substr(i), "<br")) {
      size_t j = i + 3;
      while (j < s.size() && s[j] == ' ') ++j;
      if (j < s.size() && s[j] == '/') ++j;
      if (j < s.size() && s[j] == '>') {
        out.push_back('\n');
        i = j;
        continue;
      }
    }
    if (c == '#') {
      if (size_t len = EntityLength(s, i); len > 0) {
        std::string_view name = s.substr(i + 1, len - 2);
        char32_t cp = 0;
        if (name[0] >= '0' && name[0] <= '9') {
          for (char d : name) {
            if (d < '0' || d > '9' || cp > 0x10FFFF) {
              cp = 0;
              break;
            }
            cp = cp * 10 + static_cast<char32_t>(d - '0');
          }
        } else if (name == "quot") {
          cp = '"';
        } else if (name == "amp") {
          cp = '&';
        } else if (name == "lt") {
          cp = '<';
        } else if (name == "gt") {
          cp = '>';
        } else if (name == "apos") {
          cp = '\'';
        } else if (name == "nbsp") {
          cp = 0xA0;
        }
        if (cp != 0 && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF)) {
          AppendUtf8(cp, &out);
          i += len - 1;
          continue;
        }
      }
    }
    out.push_back(c);
  }
  return out;
}

// Trims every line of a description that spans lines and drops blank ones.
std::string JoinLines(std::string_view s) {
  std::string out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = Trim(s.substr(start, end - start));
    if (!line.empty()) {
      if (!out.empty()) out.push_back('\n');
      out.append(line);
    }
    start = end + 1;
  }
  return out;
}

// Markdown strings ("`**bold** text`"): bold markers are dropped.
std::string StripBold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if ((s[i] == '*' || s[i] == '_') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

struct Opener {
  std::string_view token;
  const char* shape;
};

// In mermaid's lexer order.
constexpr Opener kOpeners[] = {
    {"(-", "cloud"},  {"-)", "cloud"},   {"))", "bang"},   {")", "cloud"},
    {"((", "circle"}, {"{{", "hexagon"}, {"(", "rounded"}, {"[", "rect"},
};
constexpr std::string_view kClosers[] = {"))", ")",  "]",  "}}",
                                         "(-", "-)", "((", "("};

class Parser {
 public:
  Parser(std::string_view text, const ReadLimits& limits, Diagnostics* diag)
      : text_(text),
        builder_(&map_, limits),
        builder_limits_(limits),
        diag_(diag) {}

  Result<Map> Parse() {
    // About one node a line: size the map once (capped, since blank and
    // comment lines make no nodes and reserving costs address space).
    size_t lines = 1;
    for (const char* p = text_.data();
         (p = static_cast<const char*>(std::memchr(
              p, '\n', text_.data() + text_.size() - p))) != nullptr;
         ++p) {
      ++lines;
    }
    map_.Reserve(std::min({lines, builder_limits_.max_nodes, size_t{4} << 20}));
    if (auto ok = Header(); !ok) return tl::unexpected(ok.error());
    while (pos_ < text_.size()) {
      if (auto ok = Statement(); !ok) return tl::unexpected(ok.error());
    }
    if (map_.empty()) {
      return BadInput("no nodes: the mindmap is empty", {line_, 1});
    }
    return std::move(map_);
  }

 private:
  // The current line, without its terminator.
  std::string_view CurrentLine() const {
    return text_.substr(pos_, LineEnd(pos_) - pos_);
  }
  // The offset of the first line break at or after `from`, or the size.
  size_t LineEnd(size_t from) const {
    size_t end = from;
    while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r')
      ++end;
    return end;
  }
  // Moves past the current line and its terminator.
  void NextLine() {
    pos_ = LineEnd(pos_);
    SkipNewline();
  }
  void SkipNewline() {
    if (pos_ < text_.size() && text_[pos_] == '\r') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
    ++line_;
  }
  // Moves `n` bytes forward, counting the line breaks passed.
  void Advance(size_t n) {
    for (size_t i = 0; i < n; ++i) {
      char c = text_[pos_ + i];
      if (c == '\n' || (c == '\r' && (pos_ + i + 1 >= text_.size() ||
                                      text_[pos_ + i + 1] != '\n'))) {
        ++line_;
      }
    }
    pos_ += n;
  }

  Result<void> Header() {
    // Optional front matter (---\n...\n---), then blank and %% lines, then
    // the keyword.
    bool first = true;
    while (pos_ < text_.size()) {
      std::string_view line = CurrentLine();
      std::string_view t = Trim(line);
      if (first && t == "---") {
        uint32_t start = line_;
        NextLine();
        for (;;) {
          if (pos_ >= text_.size()) {
            return BadInput("front matter opened with '---' is never closed",
                            {start, 1});
          }
          std::string_view l = Trim(CurrentLine());
          NextLine();
          if (l == "---") break;
          if (l.starts_with("title:")) {
            std::string_view v = Trim(l.substr(6));
            if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') &&
                v.back() == v.front()) {
              v = v.substr(1, v.size() - 2);
            }
            map_.meta().title = std::string(v);
          }
        }
        first = false;
        continue;
      }
      first = false;
      if (t.empty() || t.starts_with("%%")) {
        NextLine();
        continue;
      }
      if (AsciiLower(t) == "mindmap") {
        NextLine();
        return {};
      }
      return BadInput(
          fmt::format("expected 'mindmap', got '{}'", t.substr(0, 40)),
          {line_, static_cast<uint32_t>(line.find(t[0]) + 1)});
    }
    return BadInput("expected 'mindmap', got end of input", {line_, 1});
  }

  Result<void> Statement() {
    std::string_view line = CurrentLine();
    size_t indent = 0;
    while (indent < line.size() &&
           (line[indent] == ' ' || line[indent] == '\t')) {
      ++indent;
    }
    std::string_view body = line.substr(indent);
    SourcePos pos{line_, static_cast<uint32_t>(indent + 1)};
    if (IsBlank(body) || body.starts_with("%%")) {
      NextLine();
      return {};
    }
    if (body.starts_with(":::")) {
      if (last_ == kNoNode) return BadInput("':::class' before any node", pos);
      map_.node(last_).mutable_extras().attributes.push_back(
          {std::string(kClassAttribute), std::string(Trim(body.substr(3)))});
      NextLine();
      return {};
    }
    if (StartsWithNoCase(body, "::icon(")) {
      if (last_ == kNoNode)
        return BadInput("'::icon(..)' before any node", pos);
      size_t close = body.find(')');
      if (close == std::string_view::npos) {
        return BadInput("'::icon(' without its ')'", pos);
      }
      map_.node(last_).mutable_extras().icons.emplace_back(
          Trim(body.substr(7, close - 7)));
      NextLine();
      return {};
    }
    Advance(indent);
    std::string text;
    std::string_view shape;
    if (auto ok = NodeBody(pos, &text, &shape); !ok) return ok;
    return AddNode(indent, pos, std::move(text), shape);
  }

  // Parses the node starting at pos_ and moves past its last line.
  Result<void> NodeBody(SourcePos pos, std::string* text,
                        std::string_view* shape) {
    std::string_view line = CurrentLine();
    size_t id_end = 0;
    while (id_end < line.size() && !IsBracket(line[id_end])) ++id_end;
    if (id_end == line.size()) id_end = std::string_view::npos;
    if (id_end == std::string_view::npos) {
      *text = DecodeText(Trim(line));
      NextLine();
      return {};
    }
    std::string_view id = Trim(line.substr(0, id_end));
    const Opener* opener = nullptr;
    for (const Opener& o : kOpeners) {
      if (line.substr(id_end).starts_with(o.token)) {
        opener = &o;
        break;
      }
    }
    auto literal = [&](const char* why) -> Result<void> {
      *text = DecodeText(Trim(line));
      diag_->Warn(pos, fmt::format("{}; kept the whole line as text", why));
      NextLine();
      return {};
    };
    if (opener == nullptr) return literal("a lone bracket");
    if (id.find_first_of(" \t") != std::string_view::npos) {
      return literal("brackets after text with spaces (not a node id)");
    }
    // The description: a quoted string, a markdown string, or raw text up
    // to a closing delimiter. Each may span lines.
    size_t p = pos_ + id_end + opener->token.size();
    std::string raw;
    bool quoted = false;
    bool markdown = false;
    if (p < text_.size() && text_[p] == '"') {
      quoted = true;
      markdown = p + 1 < text_.size() && text_[p + 1] == '`';
      std::string_view end_mark = markdown ? "`\"" : "\"";
      size_t start = p + (markdown ? 2 : 1);
      size_t end = text_.find(end_mark, start);
      if (end == std::string_view::npos) {
        return BadInput(
            markdown ? "unterminated markdown string (\"`...`\")"
                     : "unterminated quoted string",
            {line_, pos.column + static_cast<uint32_t>(CodePointCount(
                                     text_.substr(pos_, p - pos_)))});
      }
      raw.assign(text_.substr(start, end - start));
      p = end + end_mark.size();
      while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t')) ++p;
    } else {
      size_t end = text_.find_first_of(")]}(", p);
      if (end == std::string_view::npos) return literal("unclosed bracket");
      raw.assign(text_.substr(p, end - p));
      p = end;
    }
    std::string_view closer;
    for (std::string_view c : kClosers) {
      if (text_.substr(p).starts_with(c)) {
        closer = c;
        break;
      }
    }
    bool multiline = raw.find('\n') != std::string::npos ||
                     raw.find('\r') != std::string::npos;
    if (closer.empty()) {
      if (quoted || multiline) {
        return BadInput(
            fmt::format("expected a closing bracket for '{}'", opener->token),
            pos);
      }
      return literal("unclosed bracket");
    }
    size_t after = p + closer.size();
    size_t eol = LineEnd(after);
    if (!IsBlank(text_.substr(after, eol - after))) {
      if (!quoted && !multiline) return literal("text after a closing bracket");
      return BadInput("unexpected text after the node's closing bracket", pos);
    }
    std::string_view s = opener->shape;
    if (opener->token == "(" && closer != ")") s = "cloud";
    *shape = s;
    if (markdown) raw = StripBold(raw);
    for (char& c : raw) {
      if (c == '\r') c = '\n';
    }
    *text = DecodeText(raw.find('\n') != std::string::npos
                           ? JoinLines(raw)
                           : std::string(Trim(raw)));
    Advance(eol - pos_);
    SkipNewline();
    return {};
  }

  Result<void> AddNode(size_t level, SourcePos pos, std::string text,
                       std::string_view shape) {
    while (!stack_.empty() && stack_.back().level >= level) stack_.pop_back();
    NodeId parent = kNoNode;
    if (stack_.empty()) {
      if (!map_.empty()) {
        return BadInput(
            "a second root: no earlier node is indented less than this one "
            "(a mindmap has one root)",
            pos);
      }
    } else {
      parent = stack_.back().id;
    }
    auto id = builder_.Add(parent, stack_.size(), std::move(text), pos);
    if (!id) return tl::unexpected(id.error());
    if (!shape.empty()) {
      map_.node(*id).mutable_extras().attributes.push_back(
          {std::string(kShapeAttribute), std::string(shape)});
    }
    stack_.push_back({level, *id});
    last_ = *id;
    return {};
  }

  struct Open {
    size_t level;
    NodeId id;
  };

  std::string_view text_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  Map map_;
  TreeBuilder builder_;
  const ReadLimits& builder_limits_;
  Diagnostics* diag_;
  std::vector<Open> stack_;
  NodeId last_ = kNoNode;
};

int Sniff(std::string_view bytes) {
  bytes = StripBom(bytes);
  LineReader lines(bytes.substr(0, 8192));
  std::string_view line;
  bool in_front_matter = false;
  bool first = true;
  while (lines.Next(&line)) {
    std::string_view t = Trim(line);
    if (first && t == "---") {
      in_front_matter = true;
      first = false;
      continue;
    }
    first = false;
    if (in_front_matter) {
      if (t == "---") in_front_matter = false;
      continue;
    }
    if (t.empty() || t.starts_with("%%")) continue;
    return AsciiLower(t) == "mindmap" ? 95 : 0;
  }
  return 0;
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  bytes = StripBom(bytes);
  if (auto ok = ValidateUtf8(bytes); !ok) return tl::unexpected(ok.error());
  Parser parser(bytes, limits, diagnostics);
  return parser.Parse();
}

// Text that can stand bare, without delimiters or quotes.
bool IsBare(std::string_view s) {
  if (s.empty() || s.starts_with(":") || s.starts_with("%%") ||
      StartsWithNoCase(s, "mindmap")) {
    return false;
  }
  return s.find_first_of("()[]{}\"#<-\n\r\t`") == std::string_view::npos;
}

// Escapes text for a quoted string: mermaid's entity codes for the quote
// and for '#' that would start an entity, <br/> for line breaks.
void AppendQuoted(std::string_view s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      out->append("#quot;");
    } else if (c == '#' && EntityLength(s, i) > 0) {
      out->append("#35;");
    } else if (c == '\n') {
      out->append("<br/>");
    } else if (c == '<' && StartsWithNoCase(s.substr(i), "<br")) {
      out->append("#lt;");
    } else if (c == '`' && i == 0) {
      out->append("#96;");
    } else {
      out->push_back(c);
    }
  }
}

Result<std::string> Write(const Map& map) {
  std::string out = "mindmap\n";
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    const Node& n = map.node(*it);
    size_t indent = 2 * (it.depth() + 1);
    out.append(indent, ' ');
    std::string_view shape;
    for (const Attribute& a : n.attributes()) {
      if (a.name == kShapeAttribute) shape = a.value;
    }
    const char* open = "[";
    const char* close = "]";
    if (shape == "rounded") {
      open = "(", close = ")";
    } else if (shape == "circle") {
      open = "((", close = "))";
    } else if (shape == "cloud") {
      open = ")", close = "(";
    } else if (shape == "bang") {
      open = "))", close = "((";
    } else if (shape == "hexagon") {
      open = "{{", close = "}}";
    }
    if ((shape.empty() || shape == "default") && IsBare(n.text)) {
      out.append(n.text);
    } else {
      out.append(open);
      out.push_back('"');
      if (n.text.empty()) {
        out.push_back(' ');  // mermaid needs at least one character
      } else {
        AppendQuoted(n.text, &out);
      }
      out.push_back('"');
      out.append(close);
    }
    out.push_back('\n');
    for (const std::string& icon : n.icons()) {
      if (icon.find_first_of(")\n") != std::string::npos) continue;
      out.append(indent + 2, ' ');
      fmt::format_to(std::back_inserter(out), "::icon({})\n", icon);
    }
    for (const Attribute& a : n.attributes()) {
      if (a.name != kClassAttribute ||
          a.value.find('\n') != std::string::npos) {
        continue;
      }
      out.append(indent + 2, ' ');
      fmt::format_to(std::back_inserter(out), ":::{}\n", a.value);
    }
  }
  return out;
}

}  // namespace

const FormatSpec& MermaidFormat() {
  static const FormatSpec spec{
      "mermaid", "Mermaid mindmap diagram", {".mmd", ".mermaid"}, &Sniff, &Read,
      &Write};
  return spec;
}

}  // namespace mindcards::detail
