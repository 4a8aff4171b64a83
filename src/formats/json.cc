// `json`: mindcards JSON, the one format that carries everything in the
// model (schema in docs/formats.md). The reader is a small hand-written pull
// parser rather than nlohmann-json so that every error and every node gets a
// line and column, and so that nesting lives on an explicit stack: a
// 100,000-deep document costs memory, not stack.
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "formats/html_text.h"
#include "formats/pos_tracker.h"
#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

enum class Tok : uint8_t {
  kBeginObject,
  kEndObject,
  kBeginArray,
  kEndArray,
  kColon,
  kComma,
  kString,
  kNumber,
  kTrue,
  kFalse,
  kNull,
  kEnd,
};

const char* TokName(Tok t) {
  switch (t) {
    case Tok::kBeginObject:
      return "'{'";
    case Tok::kEndObject:
      return "'}'";
    case Tok::kBeginArray:
      return "'['";
    case Tok::kEndArray:
      return "']'";
    case Tok::kColon:
      return "':'";
    case Tok::kComma:
      return "','";
    case Tok::kString:
      return "a string";
    case Tok::kNumber:
      return "a number";
    case Tok::kTrue:
      return "true";
    case Tok::kFalse:
      return "false";
    case Tok::kNull:
      return "null";
    case Tok::kEnd:
      return "end of input";
  }
  return "?";
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text), tracker_(text) {}

  // Reads the next token; its start is token_offset(), a string's decoded
  // value is string_value(). Returns false after setting error().
  bool Next(Tok* tok) {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
    start_ = pos_;
    if (pos_ >= text_.size()) {
      *tok = Tok::kEnd;
      return true;
    }
    char c = text_[pos_];
    switch (c) {
      case '{':
        ++pos_;
        *tok = Tok::kBeginObject;
        return true;
      case '}':
        ++pos_;
        *tok = Tok::kEndObject;
        return true;
      case '[':
        ++pos_;
        *tok = Tok::kBeginArray;
        return true;
      case ']':
        ++pos_;
        *tok = Tok::kEndArray;
        return true;
      case ':':
        ++pos_;
        *tok = Tok::kColon;
        return true;
      case ',':
        ++pos_;
        *tok = Tok::kComma;
        return true;
      case '"':
        *tok = Tok::kString;
        return LexString();
      case 't':
        *tok = Tok::kTrue;
        return LexWord("true");
      case 'f':
        *tok = Tok::kFalse;
        return LexWord("false");
      case 'n':
        *tok = Tok::kNull;
        return LexWord("null");
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          *tok = Tok::kNumber;
          return LexNumber();
        }
        if (static_cast<unsigned char>(c) < 0x20 ||
            static_cast<unsigned char>(c) >= 0x80) {
          return Fail(pos_, fmt::format("unexpected byte 0x{:02X}",
                                        static_cast<unsigned char>(c)));
        }
        return Fail(pos_, fmt::format("unexpected character '{}'", c));
    }
  }

  // Continues lexing at byte `offset`.
  void Seek(size_t offset) { pos_ = offset; }
  const std::string& string_value() const { return value_; }
  std::string_view text() const { return text_; }
  size_t token_offset() const { return start_; }
  SourcePos PosAt(size_t offset) { return tracker_.At(offset); }
  const Error& error() const { return error_; }

  bool Fail(size_t offset, std::string message) {
    error_ = Error{ErrorCode::kBadInput,
                   std::move(message),
                   PosOfOffset(text_, offset),
                   {}};
    return false;
  }
  // Fails at the start of the current token.
  bool FailHere(std::string message) {
    return Fail(start_, std::move(message));
  }
  void SetError(Error e) { error_ = std::move(e); }

 private:
  bool LexWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) {
      return Fail(pos_, fmt::format("expected '{}'", word));
    }
    pos_ += word.size();
    return true;
  }

  bool LexNumber() {
    size_t p = pos_;
    auto digit = [&](size_t i) {
      return i < text_.size() && text_[i] >= '0' && text_[i] <= '9';
    };
    if (text_[p] == '-') ++p;
    if (!digit(p)) return Fail(p, "expected a digit");
    if (text_[p] == '0') {
      ++p;
    } else {
      while (digit(p)) ++p;
    }
    if (p < text_.size() && text_[p] == '.') {
      ++p;
      if (!digit(p)) return Fail(p, "expected a digit after '.'");
      while (digit(p)) ++p;
    }
    if (p < text_.size() && (text_[p] == 'e' || text_[p] == 'E')) {
      ++p;
      if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) ++p;
      if (!digit(p)) return Fail(p, "expected a digit in the exponent");
      while (digit(p)) ++p;
    }
    value_.assign(text_.substr(pos_, p - pos_));
    pos_ = p;
    return true;
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  bool ReadHex4(size_t p, uint32_t* out) {
    if (p + 4 > text_.size()) return Fail(p, "truncated \\u escape");
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) {
      int h = Hex(text_[p + i]);
      if (h < 0) return Fail(p + i, "expected a hex digit in \\u escape");
      v = v * 16 + static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  }

  bool LexString() {
    value_.clear();
    size_t p = pos_ + 1;
    for (;;) {
      size_t run = p;
      while (p < text_.size()) {
        auto b = static_cast<unsigned char>(text_[p]);
        if (b == '"' || b == '\\' || b < 0x20) break;
        ++p;
      }
      value_.append(text_.data() + run, p - run);
      if (p >= text_.size()) return Fail(pos_, "unterminated string");
      char c = text_[p];
      if (c == '"') {
        pos_ = p + 1;
        return true;
      }
      if (c != '\\') {
        return Fail(p, "control character in string (escape it as \\u00XX)");
      }
      if (p + 1 >= text_.size()) return Fail(pos_, "unterminated string");
      char e = text_[p + 1];
      p += 2;
      switch (e) {
        case '"':
          value_.push_back('"');
          break;
        case '\\':
          value_.push_back('\\');
          break;
        case '/':
          value_.push_back('/');
          break;
        case 'b':
          value_.push_back('\b');
          break;
        case 'f':
          value_.push_back('\f');
          break;
        case 'n':
          value_.push_back('\n');
          break;
        case 'r':
          value_.push_back('\r');
          break;
        case 't':
          value_.push_back('\t');
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!ReadHex4(p, &cp)) return false;
          p += 4;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            if (p + 1 < text_.size() && text_[p] == '\\' &&
                text_[p + 1] == 'u' && ReadHex4(p + 2, &low) && low >= 0xDC00 &&
                low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
              p += 6;
            } else {
              return Fail(p - 6, "unpaired surrogate in \\u escape");
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Fail(p - 6, "unpaired surrogate in \\u escape");
          }
          AppendUtf8(static_cast<char32_t>(cp), &value_);
          break;
        }
        default:
          return Fail(p - 2, fmt::format("unknown escape '\\{}'", e));
      }
    }
  }

  std::string_view text_;
  PosTracker tracker_;
  size_t pos_ = 0;
  size_t start_ = 0;
  std::string value_;
  Error error_;
};

class Parser {
 public:
  Parser(std::string_view text, const ReadLimits& limits, Diagnostics* diag)
      : lex_(text), builder_(&map_, limits), limits_(limits), diag_(diag) {}

  Result<Map> Parse() {
    if (!ParseDocument()) return tl::unexpected(lex_.error());
    return std::move(map_);
  }

  // Parses markmap's exported tree ({content, children, payload}) that
  // starts at byte `offset`; what follows it is ignored.
  Result<Map> ParseMarkmapTree(size_t offset) {
    markmap_ = true;
    lex_.Seek(offset);
    if (!ParseTree()) return tl::unexpected(lex_.error());
    return std::move(map_);
  }

 private:
  bool Expect(Tok want, const char* what) {
    Tok t;
    if (!lex_.Next(&t)) return false;
    if (t != want) {
      return lex_.FailHere(
          fmt::format("expected {}, got {}", what, TokName(t)));
    }
    return true;
  }

  bool ExpectString(std::string* out, const char* field) {
    Tok t;
    if (!lex_.Next(&t)) return false;
    if (t != Tok::kString) {
      return lex_.FailHere(
          fmt::format("\"{}\" must be a string, got {}", field, TokName(t)));
    }
    *out = lex_.string_value();
    return true;
  }

  // Iterates over the members of an object whose '{' was just read: calls
  // `member(key)` positioned before each value. Handles commas and the end.
  template <typename F>
  bool Members(F&& member) {
    Tok t;
    bool first = true;
    for (;;) {
      if (!lex_.Next(&t)) return false;
      if (t == Tok::kEndObject && first) return true;
      if (!first) {
        if (t == Tok::kEndObject) return true;
        if (t != Tok::kComma) {
          return lex_.FailHere(
              fmt::format("expected ',' or '}}', got {}", TokName(t)));
        }
        if (!lex_.Next(&t)) return false;
      }
      if (t != Tok::kString) {
        return lex_.FailHere(fmt::format("expected a key, got {}", TokName(t)));
      }
      std::string key = lex_.string_value();
      key_offset_ = lex_.token_offset();
      if (!Expect(Tok::kColon, "':'")) return false;
      if (!member(key)) return false;
      first = false;
    }
  }

  // Same for arrays: `element(tok)` gets the first token of each element.
  template <typename F>
  bool Elements(F&& element) {
    Tok t;
    bool first = true;
    for (;;) {
      if (!lex_.Next(&t)) return false;
      if (t == Tok::kEndArray && first) return true;
      if (!first) {
        if (t == Tok::kEndArray) return true;
        if (t != Tok::kComma) {
          return lex_.FailHere(
              fmt::format("expected ',' or ']', got {}", TokName(t)));
        }
        if (!lex_.Next(&t)) return false;
      }
      if (!element(t)) return false;
      first = false;
    }
  }

  // Skips a value whose first token is `t`, without recursion.
  bool SkipValue(Tok t) {
    size_t depth = 0;
    for (;;) {
      if (t == Tok::kBeginObject || t == Tok::kBeginArray) {
        ++depth;
      } else if (t == Tok::kEndObject || t == Tok::kEndArray) {
        if (depth == 0)
          return lex_.FailHere(fmt::format("unexpected {}", TokName(t)));
        --depth;
      } else if (t == Tok::kEnd) {
        return lex_.FailHere("unexpected end of input");
      }
      if (depth == 0) return true;
      if (!lex_.Next(&t)) return false;
    }
  }

  bool SkipUnknown(const std::string& key, const char* where) {
    diag_->Warn(lex_.PosAt(key_offset_),
                fmt::format("unknown key \"{}\" in {}; ignored", key, where));
    Tok t;
    if (!lex_.Next(&t)) return false;
    return SkipValue(t);
  }

  bool StringArray(std::vector<std::string>* out, const char* field) {
    if (!Expect(Tok::kBeginArray, "'['")) return false;
    return Elements([&](Tok t) {
      if (t != Tok::kString) {
        return lex_.FailHere(
            fmt::format("\"{}\" must hold strings, got {}", field, TokName(t)));
      }
      out->push_back(lex_.string_value());
      return true;
    });
  }

  bool ParseDocument() {
    if (!Expect(Tok::kBeginObject, "'{' (a mindcards JSON document)"))
      return false;
    bool have_root = false;
    bool ok = Members([&](const std::string& key) {
      if (key == "format") {
        std::string v;
        if (!ExpectString(&v, "format")) return false;
        if (v != "mindcards") {
          return lex_.FailHere(fmt::format(
              "\"format\" is \"{}\"; this reader knows \"mindcards\"", v));
        }
        return true;
      }
      if (key == "version") {
        Tok t;
        if (!lex_.Next(&t)) return false;
        if (t != Tok::kNumber || lex_.string_value() != "1") {
          return lex_.FailHere("unsupported \"version\" (this reader knows 1)");
        }
        return true;
      }
      if (key == "meta") return ParseMeta();
      if (key == "root") {
        if (have_root) return lex_.FailHere("a second \"root\"");
        have_root = true;
        return ParseTree();
      }
      return SkipUnknown(key, "the document");
    });
    if (!ok) return false;
    Tok t;
    if (!lex_.Next(&t)) return false;
    if (t != Tok::kEnd) {
      return lex_.FailHere(
          fmt::format("expected end of input, got {}", TokName(t)));
    }
    if (!have_root)
      return lex_.Fail(0, "no \"root\": the document holds no map");
    return true;
  }

  bool ParseMeta() {
    if (!Expect(Tok::kBeginObject, "'{'")) return false;
    MapMeta& m = map_.meta();
    return Members([&](const std::string& key) {
      if (key == "title") return ExpectString(&m.title, "title");
      if (key == "description")
        return ExpectString(&m.description, "description");
      if (key == "author") return ExpectString(&m.author, "author");
      if (key == "created") return ExpectString(&m.created, "created");
      if (key == "language") return ExpectString(&m.language, "language");
      if (key == "source_format")
        return ExpectString(&m.source_format, "source_format");
      if (key == "site") return ExpectString(&m.site, "site");
      if (key == "tags") return StringArray(&m.tags, "tags");
      return SkipUnknown(key, "\"meta\"");
    });
  }

  bool ParseAttributes(Node* node) {
    if (!Expect(Tok::kBeginArray, "'['")) return false;
    return Elements([&](Tok t) {
      if (t != Tok::kBeginObject) {
        return lex_.FailHere(fmt::format(
            "\"attributes\" must hold {{\"name\", \"value\"}} objects, got {}",
            TokName(t)));
      }
      Attribute a;
      bool ok = Members([&](const std::string& key) {
        if (key == "name") return ExpectString(&a.name, "name");
        if (key == "value") return ExpectString(&a.value, "value");
        return SkipUnknown(key, "an attribute");
      });
      if (ok) node->mutable_extras().attributes.push_back(std::move(a));
      return ok;
    });
  }

  // A node member other than "children". `node_id` is the node being filled.
  bool NodeMember(const std::string& key, NodeId node_id) {
    Node& n = map_.node(node_id);
    if (key == "text") return ExpectString(&n.text, "text");
    if (key == "note") return ExpectString(&n.mutable_extras().note, "note");
    if (key == "link") return ExpectString(&n.mutable_extras().link, "link");
    if (key == "icons") return StringArray(&n.mutable_extras().icons, "icons");
    if (key == "attributes") return ParseAttributes(&n);
    if (key == "folded") {
      Tok t;
      if (!lex_.Next(&t)) return false;
      if (t != Tok::kTrue && t != Tok::kFalse) {
        return lex_.FailHere(fmt::format(
            "\"folded\" must be true or false, got {}", TokName(t)));
      }
      map_.node(node_id).folded = t == Tok::kTrue;
      return true;
    }
    if (key == "join_confidence" || key == "parent_confidence") {
      Tok t;
      if (!lex_.Next(&t)) return false;
      double v = -1;
      if (t == Tok::kNumber) {
        const std::string& text = lex_.string_value();
        char* end = nullptr;
        v = std::strtod(text.c_str(), &end);
        if (end != text.c_str() + text.size()) v = -1;
      }
      if (!(v >= 0 && v <= 1)) {
        return lex_.FailHere(
            fmt::format("\"{}\" must be a number from 0 to 1", key));
      }
      Node& m = map_.node(node_id);
      (key == "join_confidence" ? m.join_confidence : m.parent_confidence) =
          static_cast<float>(v);
      return true;
    }
    if (key == "side") {
      std::string v;
      if (!ExpectString(&v, "side")) return false;
      Node& m = map_.node(node_id);
      if (v == "left") {
        m.side = Side::kLeft;
      } else if (v == "right") {
        m.side = Side::kRight;
      } else if (v == "auto") {
        m.side = Side::kAuto;
      } else {
        return lex_.FailHere(fmt::format(
            "\"side\" must be \"left\", \"right\" or \"auto\", got \"{}\"", v));
      }
      return true;
    }
    return SkipUnknown(key, "a node");
  }

  // A member of a markmap node: "content" is HTML, "payload" may fold.
  bool MarkmapMember(const std::string& key, NodeId node_id) {
    Tok t;
    if (key == "content") {
      std::string html;
      if (!ExpectString(&html, "content")) return false;
      Node& n = map_.node(node_id);
      std::string link;
      n.text = HtmlToText(html, &link);
      n.set_link(std::move(link));
      return true;
    }
    if (key == "payload") {
      if (!Expect(Tok::kBeginObject, "'{'")) return false;
      return Members([&](const std::string& k) {
        if (!lex_.Next(&t)) return false;
        if (k == "fold" && t == Tok::kNumber && lex_.string_value() != "0") {
          map_.node(node_id).folded = true;
        }
        return SkipValue(t);
      });
    }
    if (!lex_.Next(&t)) return false;
    return SkipValue(t);
  }

  // Parses the node tree with an explicit stack: each frame is an open node
  // object, possibly inside its "children" array.
  bool ParseTree() {
    struct Frame {
      NodeId id;
      bool in_children = false;
      bool any_member = false;
      bool any_child = false;
    };
    Tok t;
    if (!lex_.Next(&t)) return false;
    if (t != Tok::kBeginObject) {
      return lex_.FailHere(
          fmt::format("\"root\" must be a node object, got {}", TokName(t)));
    }
    // About one node per '{': size the map once (capped: reserving costs
    // address space, and attributes are objects too).
    size_t objects = 0;
    std::string_view rest = lex_.text().substr(lex_.token_offset());
    for (const char* p = rest.data();
         (p = static_cast<const char*>(
              std::memchr(p, '{', rest.data() + rest.size() - p))) != nullptr;
         ++p) {
      ++objects;
    }
    map_.Reserve(std::min({objects, limits_.max_nodes, size_t{4} << 20}));
    auto root = builder_.Add(kNoNode, 0, {}, lex_.PosAt(lex_.token_offset()));
    if (!root) return SetError(root.error());
    std::vector<Frame> stack;
    stack.push_back({*root});
    while (!stack.empty()) {
      Frame& f = stack.back();
      if (!lex_.Next(&t)) return false;
      if (f.in_children) {
        if (t == Tok::kEndArray && !f.any_child) {
          f.in_children = false;
          continue;
        }
        if (f.any_child) {
          if (t == Tok::kEndArray) {
            f.in_children = false;
            continue;
          }
          if (t != Tok::kComma) {
            return lex_.FailHere(
                fmt::format("expected ',' or ']', got {}", TokName(t)));
          }
          if (!lex_.Next(&t)) return false;
        }
        if (t != Tok::kBeginObject) {
          return lex_.FailHere(fmt::format(
              "\"children\" must hold node objects, got {}", TokName(t)));
        }
        f.any_child = true;
        auto child = builder_.Add(f.id, stack.size(), {},
                                  lex_.PosAt(lex_.token_offset()));
        if (!child) return SetError(child.error());
        stack.push_back({*child});
        continue;
      }
      if (t == Tok::kEndObject) {
        stack.pop_back();
        continue;
      }
      if (f.any_member) {
        if (t != Tok::kComma) {
          return lex_.FailHere(
              fmt::format("expected ',' or '}}', got {}", TokName(t)));
        }
        if (!lex_.Next(&t)) return false;
      }
      if (t != Tok::kString) {
        return lex_.FailHere(fmt::format("expected a key, got {}", TokName(t)));
      }
      f.any_member = true;
      std::string key = lex_.string_value();
      key_offset_ = lex_.token_offset();
      if (!Expect(Tok::kColon, "':'")) return false;
      if (key == "children") {
        if (map_.node(f.id).first_child != kNoNode) {
          return lex_.Fail(key_offset_, "a second \"children\" in one node");
        }
        if (!Expect(Tok::kBeginArray, "'[' (\"children\" is an array)"))
          return false;
        f.in_children = true;
        f.any_child = false;
        continue;
      }
      NodeId id = f.id;  // NodeMember may add to the map's vectors
      if (!(markmap_ ? MarkmapMember(key, id) : NodeMember(key, id)))
        return false;
    }
    return true;
  }

  bool SetError(const Error& e) {
    lex_.SetError(e);
    return false;
  }

  Lexer lex_;
  Map map_;
  TreeBuilder builder_;
  const ReadLimits& limits_;
  Diagnostics* diag_;
  bool markmap_ = false;
  size_t key_offset_ = 0;  // where the last key began
};

int Sniff(std::string_view bytes) {
  std::string_view head = Trim(StripBom(bytes).substr(0, 4096));
  if (head.empty() || head.front() != '{') return 0;
  if (head.find("\"mindcards\"") != std::string_view::npos) return 95;
  if (head.find("\"root\"") != std::string_view::npos) return 70;
  return 0;
}

Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  bytes = StripBom(bytes);
  if (auto ok = ValidateUtf8(bytes); !ok) return tl::unexpected(ok.error());
  Parser parser(bytes, limits, diagnostics);
  return parser.Parse();
}

constexpr std::string_view kMarkmapTree = "{\"content\":";

int SniffMarkmapHtml(std::string_view bytes) {
  std::string_view head = Trim(StripBom(bytes).substr(0, 4096));
  if (head.empty() || head.front() != '<') return 0;
  if (AsciiLower(head).find("markmap") == std::string::npos) return 0;
  return bytes.find(kMarkmapTree) != std::string_view::npos ? 90 : 0;
}

Result<Map> ReadMarkmapHtml(std::string_view bytes, const ReadLimits& limits,
                            Diagnostics* diagnostics) {
  bytes = StripBom(bytes);
  if (auto ok = ValidateUtf8(bytes); !ok) return tl::unexpected(ok.error());
  size_t start = bytes.find(kMarkmapTree);
  if (start == std::string_view::npos) {
    return BadInput(
        "no markmap tree ({\"content\": ...}) in this HTML page; was it "
        "exported by markmap?",
        {1, 1});
  }
  Parser parser(bytes, limits, diagnostics);
  return parser.ParseMarkmapTree(start);
}

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto b = static_cast<unsigned char>(s[i]);
    if (b >= 0x20 && b != '"' && b != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    switch (b) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\r':
        out->append("\\r");
        break;
      default:
        fmt::format_to(std::back_inserter(*out), "\\u{:04x}", b);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

void AppendField(const char* key, std::string_view value, std::string* out) {
  out->append(",\"");
  out->append(key);
  out->append("\":");
  AppendJsonString(value, out);
}

void AppendStringArray(const char* key, const std::vector<std::string>& v,
                       std::string* out) {
  out->append(",\"");
  out->append(key);
  out->append("\":[");
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out->push_back(',');
    AppendJsonString(v[i], out);
  }
  out->push_back(']');
}

void AppendMeta(const MapMeta& m, std::string* out) {
  out->append("\"meta\":{\"title\":");
  AppendJsonString(m.title, out);
  if (!m.description.empty()) AppendField("description", m.description, out);
  if (!m.tags.empty()) AppendStringArray("tags", m.tags, out);
  if (!m.author.empty()) AppendField("author", m.author, out);
  if (!m.created.empty()) AppendField("created", m.created, out);
  if (!m.language.empty()) AppendField("language", m.language, out);
  if (!m.source_format.empty())
    AppendField("source_format", m.source_format, out);
  if (!m.site.empty()) AppendField("site", m.site, out);
  out->append("},\n");
}

// Writes one node object, leaving it open when it has children.
void AppendNodeOpen(const Node& n, std::string* out) {
  out->append("{\"text\":");
  AppendJsonString(n.text, out);
  if (!n.note().empty()) AppendField("note", n.note(), out);
  if (!n.link().empty()) AppendField("link", n.link(), out);
  if (!n.icons().empty()) AppendStringArray("icons", n.icons(), out);
  if (!n.attributes().empty()) {
    out->append(",\"attributes\":[");
    for (size_t i = 0; i < n.attributes().size(); ++i) {
      if (i > 0) out->push_back(',');
      out->append("{\"name\":");
      AppendJsonString(n.attributes()[i].name, out);
      out->append(",\"value\":");
      AppendJsonString(n.attributes()[i].value, out);
      out->push_back('}');
    }
    out->push_back(']');
  }
  if (n.folded) out->append(",\"folded\":true");
  // Guesses of the page-text reader, kept so the user can still confirm
  // them after the map has been stored and read back.
  if (n.join_confidence < 1.0f) {
    out->append(fmt::format(",\"join_confidence\":{:.3}", n.join_confidence));
  }
  if (n.parent_confidence < 1.0f) {
    out->append(
        fmt::format(",\"parent_confidence\":{:.3}", n.parent_confidence));
  }
  if (n.side == Side::kLeft) out->append(",\"side\":\"left\"");
  if (n.side == Side::kRight) out->append(",\"side\":\"right\"");
  if (n.first_child != kNoNode) {
    out->append(",\"children\":[\n");
  } else {
    out->push_back('}');
  }
}

// One node per line, no indentation (a 100,000-deep map would otherwise
// spend gigabytes on spaces). Open nodes are closed as the pre-order walk
// climbs back up: the walk's depth is the explicit stack.
Result<std::string> Write(const Map& map) {
  std::string out = "{\"format\":\"mindcards\",\"version\":1,\n";
  AppendMeta(map.meta(), &out);
  out.append("\"root\":");
  if (map.empty()) {
    return BadInput("cannot write an empty map as mindcards JSON");
  }
  size_t open = 0;  // nodes whose "children" array is open
  bool first = true;
  bool opened = false;  // the previous node opened its "children"
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    size_t depth = it.depth();
    if (!first && !opened) {
      while (open > depth) {
        out.append("]}");
        --open;
      }
      out.append(",\n");
    }
    first = false;
    const Node& n = map.node(*it);
    AppendNodeOpen(n, &out);
    opened = n.first_child != kNoNode;
    if (opened) open = depth + 1;
  }
  while (open > 0) {
    out.append("]}");
    --open;
  }
  out.append("\n}\n");
  return out;
}

}  // namespace

const FormatSpec& JsonFormat() {
  static const FormatSpec spec{"json",
                               "mindcards JSON (carries everything)",
                               {".json", ".mindcards.json"},
                               &Sniff,
                               &Read,
                               &Write};
  return spec;
}

const FormatSpec& MarkmapHtmlFormat() {
  static const FormatSpec spec{
      "markmap-html",    "HTML page exported by markmap (read only)",
      {".html", ".htm"}, &SniffMarkmapHtml,
      &ReadMarkmapHtml,  nullptr};
  return spec;
}

}  // namespace mindcards::detail
