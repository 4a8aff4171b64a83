// FreeMind / Freeplane .mm: <map><node TEXT="…">…</node></map>.
//
// Node text is the TEXT attribute or a richcontent TYPE="NODE" (HTML turned
// into plain text); richcontent NOTE and DETAILS become the note; LINK,
// FOLDED and POSITION map to link, folded and side; <icon BUILTIN> to
// icons; <attribute NAME VALUE> to attributes. Freeplane marks the first
// node of a summarised group and the summary itself with empty nodes
// carrying a FirstGroupNode or SummaryNode hook: those markers are dropped
// and the summary's children take their place.
#include "formats/freemind.h"

#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "formats/pos_tracker.h"
#include "formats/reader_util.h"
#include "formats/xml_pull.h"
#include "formats/xml_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

bool NameIs(pugi::xml_node n, const char* name) {
  const char* have = n.name();
  return have[0] == name[0] && std::strcmp(have, name) == 0;
}

bool IsNode(pugi::xml_node n) {
  return n.type() == pugi::node_element && NameIs(n, "node");
}

pugi::xml_node NextNode(pugi::xml_node n) {
  while (n && !IsNode(n)) n = n.next_sibling();
  return n;
}

// Plain text of an HTML fragment, as a reader sees it: runs of white space
// fold to one space (except inside <pre>), block elements start and end
// lines, <br> breaks a line, &nbsp; is a space that does not fold, and
// <head>, <style> and <script> are skipped. Walks without recursion.
class HtmlText {
 public:
  std::string Convert(pugi::xml_node root) {
    pugi::xml_node n = root.first_child();
    while (n) {
      bool entered = Enter(n);
      if (entered && n.first_child()) {
        n = n.first_child();
        continue;
      }
      if (entered) Leave(n);
      for (;;) {
        if (n.next_sibling()) {
          n = n.next_sibling();
          break;
        }
        n = n.parent();
        if (n == root) {
          n = pugi::xml_node();
          break;
        }
        Leave(n);
      }
    }
    return std::string(Trim(out_));
  }

 private:
  enum class Kind { kInline, kBlock, kBreak, kSkip, kCell, kPre };

  // What an HTML element does to the text, by its (case-insensitive) name.
  static Kind Classify(const char* name) {
    char lower[12];
    size_t n = 0;
    for (; name[n] != '\0'; ++n) {
      if (n + 1 >= sizeof lower) return Kind::kInline;
      char c = name[n];
      lower[n] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    }
    std::string_view l(lower, n);
    static constexpr std::string_view kBlocks[] = {
        "address", "article", "blockquote", "body",   "center", "dd",   "div",
        "dl",      "dt",      "footer",     "form",   "h1",     "h2",   "h3",
        "h4",      "h5",      "h6",         "header", "hr",     "html", "li",
        "ol",      "p",       "section",    "table",  "tr",     "ul"};
    if (l == "b" || l == "i" || l == "u" || l == "span" || l == "a") {
      return Kind::kInline;
    }
    if (l == "br") return Kind::kBreak;
    if (l == "pre") return Kind::kPre;
    if (l == "td" || l == "th") return Kind::kCell;
    if (l == "head" || l == "style" || l == "script" || l == "title") {
      return Kind::kSkip;
    }
    for (std::string_view b : kBlocks) {
      if (l == b) return Kind::kBlock;
    }
    return Kind::kInline;
  }

  // Returns whether `n` is an element to walk into.
  bool Enter(pugi::xml_node n) {
    pugi::xml_node_type type = n.type();
    if (type == pugi::node_pcdata || type == pugi::node_cdata) {
      AppendText(n.value());
      return false;
    }
    if (type != pugi::node_element) return false;
    switch (Classify(n.name())) {
      case Kind::kSkip:
        return false;
      case Kind::kBreak:
        out_.push_back('\n');
        space_ = false;
        return false;
      case Kind::kCell:
        space_ = true;
        return true;
      case Kind::kPre:
        Break();
        ++pre_;
        return true;
      case Kind::kBlock:
        Break();
        return true;
      case Kind::kInline:
        return true;
    }
    return true;
  }

  // Called after the children of an element that Enter walked into.
  void Leave(pugi::xml_node n) {
    Kind kind = Classify(n.name());
    if (kind == Kind::kPre && pre_ > 0) --pre_;
    if (kind == Kind::kPre || kind == Kind::kBlock) Break();
  }

  void Break() {
    if (!out_.empty() && out_.back() != '\n') {
      while (!out_.empty() && out_.back() == ' ') out_.pop_back();
      out_.push_back('\n');
    }
    space_ = false;
  }

  void AppendText(const char* s) {
    for (; *s != '\0'; ++s) {
      char c = *s;
      if (c == '\xC2' && s[1] == '\xA0') {  // no-break space: a plain space
        if (pre_ == 0 && space_ && !out_.empty() && out_.back() != '\n') {
          out_.push_back(' ');
        }
        space_ = false;
        out_.push_back(' ');
        ++s;
        continue;
      }
      if (pre_ > 0) {
        out_.push_back(c == '\r' ? '\n' : c);
        continue;
      }
      if (IsSpace(c)) {
        space_ = true;
        continue;
      }
      if (space_ && !out_.empty() && out_.back() != '\n') out_.push_back(' ');
      space_ = false;
      // The rest of the word in one append.
      const char* end = s + 1;
      while (*end != '\0' && *end != '\xC2' && !IsSpace(*end)) ++end;
      out_.append(s, static_cast<size_t>(end - s));
      s = end - 1;
    }
  }

  static bool IsSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
  }

  std::string out_;
  bool space_ = false;
  int pre_ = 0;
};

// The text of a <richcontent>: its HTML as plain text, or the <text> of
// Freeplane's plain-text and Markdown content types.
std::string RichcontentText(pugi::xml_node rc) {
  if (pugi::xml_node text = rc.child("text")) {
    return std::string(text.child_value());
  }
  return HtmlText().Convert(rc);
}

void AppendNote(std::string text, std::string* note) {
  if (text.empty()) return;
  if (!note->empty()) note->append("\n\n");
  note->append(text);
}

// The same for a node's note, made only when there is text to add.
void AppendNote(std::string text, Node* node) {
  if (!text.empty()) AppendNote(std::move(text), &node->mutable_extras().note);
}

// What a <node> element holds.
struct NodeContent {
  bool has_text = false;      // a TEXT attribute
  bool group_marker = false;  // a FirstGroupNode or SummaryNode hook
  std::string details;        // DETAILS text, appended to the note last
};

// Applies one attribute of a <node> element.
void ReadNodeAttribute(std::string_view name, std::string_view value,
                       NodeContent* c, Node* node) {
  if (name.empty()) return;
  switch (name[0]) {  // most attributes (ID, CREATED, …) fail fast here
    case 'T':
      if (name == "TEXT") {
        node->text = value;
        c->has_text = true;
      }
      break;
    case 'L':
      if (name == "LINK") {
        node->set_link(CleanLink(value));
      } else if (name == "LOCALIZED_TEXT" && !c->has_text) {
        node->text = value;
      }
      break;
    case 'F':
      if (name == "FOLDED") node->folded = value == "true";
      break;
    case 'P':
      if (name == "POSITION") {
        if (value == "left" || value == "top_or_left") node->side = Side::kLeft;
        if (value == "right" || value == "bottom_or_right") {
          node->side = Side::kRight;
        }
      }
      break;
    default:
      break;
  }
}

// The child elements of a <node> that carry something: the others (font,
// edge, cloud, …) are skipped.
bool IsContentElement(std::string_view name) {
  return name == "richcontent" || name == "icon" || name == "attribute" ||
         name == "hook";
}

// Applies one child element of a <node> other than a <node>.
void ReadNodeChild(pugi::xml_node ch, NodeContent* c, Node* node) {
  if (ch.type() != pugi::node_element) return;
  if (NameIs(ch, "richcontent")) {
    std::string_view type = ch.attribute("TYPE").value();
    if (type == "NODE") {
      if (!c->has_text) node->text = RichcontentText(ch);
    } else if (type == "NOTE") {
      AppendNote(RichcontentText(ch), node);
    } else if (type == "DETAILS") {
      AppendNote(RichcontentText(ch), &c->details);
    }
  } else if (NameIs(ch, "icon")) {
    if (const char* icon = ch.attribute("BUILTIN").value(); *icon != '\0') {
      node->mutable_extras().icons.push_back(ValidUtf8(icon));
    }
  } else if (NameIs(ch, "attribute")) {
    node->mutable_extras().attributes.push_back(
        {ValidUtf8(ch.attribute("NAME").value()),
         ValidUtf8(ch.attribute("VALUE").value())});
  } else if (NameIs(ch, "hook")) {
    std::string_view name = ch.attribute("NAME").value();
    if (name == "FirstGroupNode" || name == "SummaryNode") {
      c->group_marker = true;
    } else if (name == "accessories/plugins/NodeNote.properties") {
      // FreeMind 0.8 kept notes in a hook.
      AppendNote(std::string(Trim(ch.child("text").child_value())), node);
    }
  }
}

// After the last child of a <node>.
void FinishNodeContent(NodeContent* c, Node* node) {
  AppendNote(std::move(c->details), node);
}

NodeContent ReadNodeContent(pugi::xml_node x, Node* node) {
  NodeContent c;
  for (pugi::xml_attribute a = x.first_attribute(); a; a = a.next_attribute()) {
    ReadNodeAttribute(a.name(), a.value(), &c, node);
  }
  for (pugi::xml_node ch = x.first_child(); ch; ch = ch.next_sibling()) {
    ReadNodeChild(ch, &c, node);
  }
  FinishNodeContent(&c, node);
  return c;
}

// Cheap test that lets most nodes skip the full check below: markers have
// no TEXT.
bool MaybeGroupMarker(pugi::xml_node x) {
  return *x.attribute("TEXT").value() == '\0';
}

// A marker node that carries nothing but its hook.
bool IsBareGroupMarker(const NodeContent& c, const Node& n) {
  return c.group_marker && Trim(n.text).empty() && n.note().empty() &&
         n.link().empty() && n.icons().empty() && n.attributes().empty();
}

// Consumes the events of the element whose kStart `pull` just returned, up
// to and including its kEnd. False when the walk gave up.
bool SkipElement(XmlPull* pull) {
  const size_t depth = pull->depth();
  for (;;) {
    XmlPull::Event e = pull->Next();
    if (e == XmlPull::Event::kGiveUp || e == XmlPull::Event::kDone) {
      return false;
    }
    if (e == XmlPull::Event::kEnd && pull->depth() + 1 == depth) return true;
  }
}

}  // namespace

std::optional<Map> ReadFreemindStreaming(std::string_view bytes,
                                         const ReadLimits& limits,
                                         Diagnostics* diagnostics,
                                         bool* canonical) {
  *canonical = true;
  const std::string_view text = StripBom(bytes);
  if (!IsPlainUtf8Xml(text)) return std::nullopt;
  XmlPull pull(text);
  if (pull.Next() != XmlPull::Event::kStart || pull.name() != "map") {
    return std::nullopt;
  }
  PosTracker tracker(text);
  Map map;
  map.Reserve(CountOccurrences(text, "<node"));
  TreeBuilder builder(&map, limits);
  // The <node> elements open, innermost last; `xml_depth` is the walk's
  // depth inside each.
  struct Frame {
    NodeId id;
    size_t depth;
    size_t xml_depth;
    NodeContent content;
  };
  std::vector<Frame> open;
  bool have_root = false;
  std::optional<SourcePos> second_root;
  std::string scratch;
  // Content elements (rich text, icons, hooks) are few: each is parsed on
  // its own by pugixml and read by the same code as in the DOM path.
  std::string fragment_buffer;
  pugi::xml_document fragment;
  for (;;) {
    XmlPull::Event e = pull.Next();
    if (e == XmlPull::Event::kGiveUp) return std::nullopt;
    if (e == XmlPull::Event::kDone) break;
    if (e == XmlPull::Event::kEnd) {
      if (open.empty() || pull.depth() + 1 != open.back().xml_depth) continue;
      Frame& f = open.back();
      Node& node = map.node(f.id);
      FinishNodeContent(&f.content, &node);
      // A bare group marker takes no node, and its children move up: the
      // DOM path handles that rare case.
      if (open.size() > 1 && IsBareGroupMarker(f.content, node)) {
        return std::nullopt;
      }
      // The node's texts are final and still in cache: check them now
      // rather than in a pass over the whole map.
      *canonical = *canonical && IsSurelyPlainNfc(node.text) &&
                   IsSurelyPlainNfc(node.note());
      open.pop_back();
      continue;
    }
    const std::string_view name = pull.name();
    const bool is_node = name == "node";
    if (open.empty()) {
      // A child of <map>: the first <node> is the root.
      if (is_node && have_root && !second_root) {
        second_root = tracker.At(pull.offset());
      }
      if (!is_node || have_root) {
        if (!SkipElement(&pull)) return std::nullopt;
        continue;
      }
    } else if (!is_node) {
      const size_t start = pull.offset();
      const bool content = IsContentElement(name);
      if (!SkipElement(&pull)) return std::nullopt;
      if (!content) continue;
      fragment_buffer.assign(text.substr(start, pull.offset() - start));
      if (!fragment.load_buffer_inplace(
              fragment_buffer.data(), fragment_buffer.size(), kXmlParseOptions,
              pugi::encoding_utf8)) {
        return std::nullopt;
      }
      Frame& f = open.back();
      ReadNodeChild(fragment.document_element(), &f.content, &map.node(f.id));
      continue;
    }
    const NodeId parent = open.empty() ? kNoNode : open.back().id;
    const size_t depth = open.empty() ? 0 : open.back().depth + 1;
    auto id = builder.Add(parent, depth, {}, tracker.At(pull.offset()));
    if (!id) return std::nullopt;
    have_root = true;
    Frame f{*id, depth, pull.depth(), {}};
    Node& node = map.node(*id);
    for (const XmlRawAttribute& a : pull.attributes()) {
      std::string_view value;
      if (!DecodeXmlAttribute(a, &scratch, &value)) {
        return std::nullopt;
      }
      ReadNodeAttribute(a.name, value, &f.content, &node);
    }
    open.push_back(std::move(f));
  }
  if (!have_root) return std::nullopt;
  if (second_root) {
    diagnostics->Warn(*second_root,
                      "a second top-level <node> (a map has one root); "
                      "it and the nodes after it are ignored");
  }
  return map;
}

Result<Map> ReadFreemindWithDom(std::string_view bytes,
                                const ReadLimits& limits,
                                Diagnostics* diagnostics) {
  XmlDocument doc;
  if (auto ok = doc.Parse(bytes, "map", "a FreeMind/Freeplane map"); !ok) {
    return tl::unexpected(ok.error());
  }
  pugi::xml_node first = NextNode(doc.root().first_child());
  if (!first) {
    return BadInput("FreeMind map has no <node>", doc.PosOf(doc.root()));
  }
  if (pugi::xml_node extra = NextNode(first.next_sibling())) {
    diagnostics->Warn(doc.PosOf(extra),
                      "a second top-level <node> (a map has one root); "
                      "it and the nodes after it are ignored");
  }
  Map map;
  map.Reserve(CountOccurrences(doc.text(), "<node"));
  TreeBuilder builder(&map, limits);
  auto root = builder.Add(kNoNode, 0, {}, doc.PosOf(first));
  if (!root) return tl::unexpected(root.error());
  ReadNodeContent(first, &map.node(*root));

  // Pre-order walk with an explicit stack: each frame holds the next
  // candidate child element, the map node to add to, and its children's
  // depth. A bare group marker adds no node; its frame reuses its parent's.
  struct Frame {
    pugi::xml_node next;
    NodeId parent;
    size_t depth;
  };
  std::vector<Frame> stack;
  stack.push_back({first.first_child(), *root, 1});
  Node scratch;
  while (!stack.empty()) {
    pugi::xml_node x = NextNode(stack.back().next);
    if (!x) {
      stack.pop_back();
      continue;
    }
    stack.back().next = x.next_sibling();
    const NodeId parent = stack.back().parent;
    const size_t depth = stack.back().depth;
    SourcePos pos = doc.PosOf(x);
    if (MaybeGroupMarker(x)) {
      scratch = Node();
      if (IsBareGroupMarker(ReadNodeContent(x, &scratch), scratch)) {
        stack.push_back({x.first_child(), parent, depth});
        continue;
      }
    }
    auto id = builder.Add(parent, depth, {}, pos);
    if (!id) return tl::unexpected(id.error());
    ReadNodeContent(x, &map.node(*id));
    stack.push_back({x.first_child(), *id, depth + 1});
  }
  return map;
}

namespace {

int Sniff(std::string_view bytes) { return SniffXmlRoot(bytes, "map"); }

// Streaming first; the DOM for what the streaming path leaves to it.
// Returns canonical text (FormatSpec::canonical_text).
Result<Map> Read(std::string_view bytes, const ReadLimits& limits,
                 Diagnostics* diagnostics) {
  bool canonical = false;
  std::optional<Map> map =
      ReadFreemindStreaming(bytes, limits, diagnostics, &canonical);
  if (!map) {
    Result<Map> dom = ReadFreemindWithDom(bytes, limits, diagnostics);
    if (!dom) return dom;
    map = std::move(*dom);
    canonical = false;
  }
  if (!canonical) {
    if (auto ok = CanonicalizeMapText(&*map, true); !ok) {
      return tl::unexpected(ok.error());
    }
  }
  return std::move(*map);
}

// A note as FreeMind HTML: one paragraph, lines joined by <br/>, and the
// spaces that HTML would fold (leading, trailing, repeated) as &#160;, so
// that reading it back gives the same text.
void AppendNoteHtml(std::string_view note, std::string* out) {
  out->append("<richcontent TYPE=\"NOTE\"><html><head></head><body><p>");
  std::string line;
  size_t start = 0;
  while (start <= note.size()) {
    size_t end = note.find('\n', start);
    if (end == std::string_view::npos) end = note.size();
    std::string_view l = note.substr(start, end - start);
    line.clear();
    for (size_t i = 0; i < l.size(); ++i) {
      bool fold =
          l[i] == ' ' && (i == 0 || i + 1 == l.size() || l[i - 1] == ' ');
      if (fold) {
        line.append("&#160;");
      } else if (l[i] == '\t') {
        line.append("&#160;");  // HTML cannot keep a tab; lost as a space
      } else {
        AppendXmlText(l.substr(i, 1), &line);
      }
    }
    out->append(line);
    if (end == note.size()) break;
    out->append("<br/>");
    start = end + 1;
  }
  out->append("</p></body></html></richcontent>\n");
}

bool WroteEmptyElement(const Node& n) {
  return n.first_child == kNoNode && n.icons().empty() &&
         n.attributes().empty() && n.note().empty();
}

void AppendNodeOpen(const Node& n, std::string* out) {
  out->append("<node TEXT=\"");
  AppendXmlAttr(n.text, out);
  out->push_back('"');
  if (n.folded) out->append(" FOLDED=\"true\"");
  if (n.side == Side::kLeft) out->append(" POSITION=\"left\"");
  if (n.side == Side::kRight) out->append(" POSITION=\"right\"");
  if (!n.link().empty()) {
    out->append(" LINK=\"");
    AppendXmlAttr(n.link(), out);
    out->push_back('"');
  }
  if (WroteEmptyElement(n)) {
    out->append("/>\n");
    return;
  }
  out->append(">\n");
  for (const std::string& icon : n.icons()) {
    out->append("<icon BUILTIN=\"");
    AppendXmlAttr(icon, out);
    out->append("\"/>\n");
  }
  for (const Attribute& a : n.attributes()) {
    out->append("<attribute NAME=\"");
    AppendXmlAttr(a.name, out);
    out->append("\" VALUE=\"");
    AppendXmlAttr(a.value, out);
    out->append("\"/>\n");
  }
  if (!n.note().empty()) AppendNoteHtml(n.note(), out);
}

Result<std::string> Write(const Map& map) {
  std::string out;
  out.reserve(EstimateXmlSize(map, 40));
  out.append("<map version=\"freemind 1.0.1\">\n");
  if (!map.empty()) {
    // Depths of the <node> elements still open, for their end tags.
    std::vector<size_t> open;
    for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
      while (!open.empty() && open.back() >= it.depth()) {
        out.append("</node>\n");
        open.pop_back();
      }
      const Node& n = map.node(*it);
      AppendNodeOpen(n, &out);
      if (!WroteEmptyElement(n)) open.push_back(it.depth());
    }
    for (size_t i = 0; i < open.size(); ++i) out.append("</node>\n");
  }
  out.append("</map>\n");
  return out;
}

}  // namespace

const FormatSpec& FreemindFormat() {
  static const FormatSpec spec{
      "mm", "FreeMind / Freeplane mind map", {".mm"}, &Sniff, &Read, &Write,
      true};
  return spec;
}

}  // namespace mindcards::detail
