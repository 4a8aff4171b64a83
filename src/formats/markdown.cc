// `markdown`: Markdown read the way markmap (markmap-lib's Transformer and
// markmap-html-parser) builds its tree, parsed with md4c:
//  - headings nest by level; list items nest under the heading before them
//    and under the list item that holds their list;
//  - tables, code blocks and paragraphs holding only an image are leaf
//    nodes; ordered items get their number ("2. text");
//  - with one top-level node, that node is the root; otherwise the root is
//    empty, or the front matter's title;
//  - `<!-- markmap: fold -->` folds a node.
// Unlike markmap, paragraphs are kept as notes (markmap drops them) and a
// node never drops children of a different kind; docs/formats.md has the
// full list. md4c keeps nesting on its own heap stacks, so deep input does
// not recurse; the tree limits are enforced as nodes are added.
#include <fmt/format.h>
#include <md4c.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/both_threads.h"
#include "formats/html_text.h"
#include "formats/pos_tracker.h"
#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

constexpr unsigned kFlags = MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;

// From this size (ReadLimits::threads 0) md4c parses on a second thread:
// about 70,000 nodes, where the gain outweighs starting a thread.
constexpr size_t kTwoThreadBytes = size_t{4} << 20;

std::string AttributeText(const MD_ATTRIBUTE& a) {
  std::string out;
  for (unsigned i = 0; a.substr_offsets[i] < a.size; ++i) {
    std::string_view part(a.text + a.substr_offsets[i],
                          a.substr_offsets[i + 1] - a.substr_offsets[i]);
    switch (a.substr_types[i]) {
      case MD_TEXT_ENTITY:
        AppendHtmlEntity(part, &out);
        break;
      case MD_TEXT_NULLCHAR:
        AppendUtf8(0xFFFD, &out);
        break;
      default:
        out.append(part);
    }
  }
  return out;
}

// A URL as one line: line breaks (allowed inside <..> destinations) and
// surrounding white space mean nothing in it and could not be written back.
std::string UrlText(const MD_ATTRIBUTE& a) {
  std::string raw = AttributeText(a);
  std::string url;
  for (char c : Trim(raw)) {
    if (c != '\n' && c != '\r') url.push_back(c);
  }
  return url;
}

// Simple `key: value` front matter (YAML between --- lines at the top).
// Returns the number of bytes it takes, 0 when there is none.
size_t ReadFrontMatter(std::string_view text, MapMeta* meta) {
  if (!text.starts_with("---\n") && !text.starts_with("---\r\n")) return 0;
  LineReader lines(text);
  std::string_view line;
  lines.Next(&line);
  bool in_tags = false;
  while (lines.Next(&line)) {
    std::string_view t = Trim(line);
    if (t == "---" || t == "...") {
      size_t end = lines.line_offset() + line.size();
      if (end < text.size() && text[end] == '\r') ++end;
      if (end < text.size() && text[end] == '\n') ++end;
      return end;
    }
    auto unquote = [](std::string_view v) {
      v = Trim(v);
      if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') &&
          v.back() == v.front()) {
        v = v.substr(1, v.size() - 2);
      }
      return std::string(v);
    };
    if (in_tags && t.starts_with("- ") && line.starts_with(" ")) {
      meta->tags.push_back(unquote(t.substr(2)));
      continue;
    }
    in_tags = false;
    if (line.starts_with(" ") || line.starts_with("\t")) continue;
    size_t colon = t.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = Trim(t.substr(0, colon));
    std::string_view value = Trim(t.substr(colon + 1));
    if (key == "title") {
      meta->title = unquote(value);
    } else if (key == "description") {
      meta->description = unquote(value);
    } else if (key == "author") {
      meta->author = unquote(value);
    } else if (key == "date" || key == "created") {
      meta->created = unquote(value);
    } else if (key == "lang" || key == "language") {
      meta->language = unquote(value);
    } else if (key == "tags") {
      if (value.empty()) {
        in_tags = true;
      } else if (value.front() == '[' && value.back() == ']') {
        value = value.substr(1, value.size() - 2);
        size_t start = 0;
        while (start <= value.size()) {
          size_t comma = value.find(',', start);
          if (comma == std::string_view::npos) comma = value.size();
          std::string tag = unquote(value.substr(start, comma - start));
          if (!tag.empty()) meta->tags.push_back(std::move(tag));
          start = comma + 1;
        }
      } else {
        meta->tags.push_back(unquote(value));
      }
    }
  }
  return 0;  // never closed: not front matter
}

// What the builder reads of a block's detail: an ordered list's start, a
// heading's level.
unsigned BlockNumber(MD_BLOCKTYPE type, void* detail) {
  if (type == MD_BLOCK_OL)
    return static_cast<MD_BLOCK_OL_DETAIL*>(detail)->start;
  if (type == MD_BLOCK_H) return static_cast<MD_BLOCK_H_DETAIL*>(detail)->level;
  return 0;
}

// What the builder reads of a span's detail: a link's or an image's URL.
std::string SpanUrl(MD_SPANTYPE type, void* detail) {
  if (type == MD_SPAN_A) {
    return UrlText(static_cast<MD_SPAN_A_DETAIL*>(detail)->href);
  }
  if (type == MD_SPAN_IMG) {
    return UrlText(static_cast<MD_SPAN_IMG_DETAIL*>(detail)->src);
  }
  return {};
}

// md_parse of `body` calling `callbacks`' static EnterBlock, LeaveBlock,
// EnterSpan, LeaveSpan and Text.
template <typename Callbacks>
int ParseWith(std::string_view body, Callbacks* callbacks) {
  MD_PARSER parser{};
  parser.flags = kFlags;
  parser.enter_block = &Callbacks::EnterBlock;
  parser.leave_block = &Callbacks::LeaveBlock;
  parser.enter_span = &Callbacks::EnterSpan;
  parser.leave_span = &Callbacks::LeaveSpan;
  parser.text = &Callbacks::Text;
  return md_parse(body.data(), static_cast<MD_SIZE>(body.size()), &parser,
                  callbacks);
}

// One md4c callback, kept for the builder to replay on another thread:
// details reduced to BlockNumber and SpanUrl, text outside the input
// (md4c's own buffers, which it may reuse) copied.
struct Event {
  enum class Kind : uint8_t {
    kEnterBlock,
    kLeaveBlock,
    kEnterSpan,
    kLeaveSpan,
    kText
  };
  Kind kind;
  int type;                    // MD_BLOCKTYPE, MD_SPANTYPE or MD_TEXTTYPE
  uint32_t number;             // BlockNumber, or a string's index (below)
  const char* text = nullptr;  // kText within the input; else `number`
  MD_SIZE size = 0;
};

struct EventChunk {
  std::vector<Event> events;
  std::vector<std::string> strings;  // URLs and copied texts, by index
};

// Hands md4c's callbacks over from the thread that parses (the producer)
// to the thread that builds the map (the consumer) in chunks, at most
// kMaxChunks at a time, so memory stays small however long the input.
class EventPipe {
 public:
  static constexpr size_t kChunkEvents = 8192;
  static constexpr size_t kMaxChunks = 16;

  // Producer: the chunk to add the next event (and its strings) to, or
  // null once the consumer has given up (the parse should stop).
  EventChunk* Room() {
    if (aborted_.load(std::memory_order_relaxed)) return nullptr;
    if (filling_ != nullptr && filling_->events.size() < kChunkEvents) {
      return filling_.get();
    }
    std::unique_lock lock(mutex_);
    if (filling_ != nullptr) {
      full_.push_back(std::move(filling_));
      changed_.notify_all();
    }
    // Until the consumer starts nothing frees a chunk: when no second
    // thread could be started, the producer runs first, to the end.
    changed_.wait(lock, [&] {
      return aborted_.load(std::memory_order_relaxed) || !free_.empty() ||
             !consuming_ || chunks_ < kMaxChunks;
    });
    if (aborted_.load(std::memory_order_relaxed)) return nullptr;
    if (!free_.empty()) {
      filling_ = std::move(free_.back());
      free_.pop_back();
    } else {
      filling_ = std::make_unique<EventChunk>();
      filling_->events.reserve(kChunkEvents);
      ++chunks_;
    }
    return filling_.get();
  }
  // Producer: the parse ended with md_parse's `rc`.
  void Finish(int rc) {
    std::lock_guard lock(mutex_);
    if (filling_ != nullptr && !filling_->events.empty()) {
      full_.push_back(std::move(filling_));
    }
    rc_ = rc;
    done_ = true;
    changed_.notify_all();
  }

  // Consumer: the next chunk in order, or null after the last.
  std::unique_ptr<EventChunk> Next() {
    std::unique_lock lock(mutex_);
    consuming_ = true;
    changed_.wait(lock, [&] { return !full_.empty() || done_; });
    if (full_.empty()) return nullptr;
    std::unique_ptr<EventChunk> chunk = std::move(full_.front());
    full_.pop_front();
    return chunk;
  }
  void Recycle(std::unique_ptr<EventChunk> chunk) {
    chunk->events.clear();
    chunk->strings.clear();
    std::lock_guard lock(mutex_);
    free_.push_back(std::move(chunk));
    changed_.notify_all();
  }
  // Consumer: stop the producer (harmless once it has finished).
  void Abort() {
    std::lock_guard lock(mutex_);
    aborted_.store(true, std::memory_order_relaxed);
    changed_.notify_all();
  }
  // md_parse's result, once both threads are done.
  int rc() const { return rc_; }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> aborted_{false};
  std::unique_ptr<EventChunk> filling_;  // the producer's own
  std::deque<std::unique_ptr<EventChunk>> full_;
  std::vector<std::unique_ptr<EventChunk>> free_;
  size_t chunks_ = 0;
  bool consuming_ = false;
  bool done_ = false;
  int rc_ = 0;
};

// md4c's callbacks on the producer's thread: each adds one Event.
class EventRecorder {
 public:
  EventRecorder(EventPipe* pipe, std::string_view doc)
      : pipe_(pipe), doc_(doc) {}

  int Parse(std::string_view body) { return ParseWith(body, this); }

 private:
  template <typename Callbacks>
  friend int ParseWith(std::string_view body, Callbacks* callbacks);

  static EventRecorder* Self(void* p) { return static_cast<EventRecorder*>(p); }
  static int EnterBlock(MD_BLOCKTYPE t, void* d, void* p) {
    return Self(p)->Add(Event::Kind::kEnterBlock, t, BlockNumber(t, d));
  }
  static int LeaveBlock(MD_BLOCKTYPE t, void*, void* p) {
    return Self(p)->Add(Event::Kind::kLeaveBlock, t, 0);
  }
  static int EnterSpan(MD_SPANTYPE t, void* d, void* p) {
    EventChunk* chunk = Self(p)->pipe_->Room();
    if (chunk == nullptr) return 1;
    uint32_t url = 0;
    if (t == MD_SPAN_A || t == MD_SPAN_IMG) {
      url = static_cast<uint32_t>(chunk->strings.size());
      chunk->strings.push_back(SpanUrl(t, d));
    }
    chunk->events.push_back(Event{Event::Kind::kEnterSpan, t, url});
    return 0;
  }
  static int LeaveSpan(MD_SPANTYPE t, void*, void* p) {
    return Self(p)->Add(Event::Kind::kLeaveSpan, t, 0);
  }
  static int Text(MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* p) {
    EventRecorder* self = Self(p);
    EventChunk* chunk = self->pipe_->Room();
    if (chunk == nullptr) return 1;
    const std::string_view doc = self->doc_;
    if (s >= doc.data() && s + n <= doc.data() + doc.size()) {
      chunk->events.push_back(Event{Event::Kind::kText, t, 0, s, n});
    } else {
      auto index = static_cast<uint32_t>(chunk->strings.size());
      chunk->strings.emplace_back(s, n);
      chunk->events.push_back(Event{Event::Kind::kText, t, index});
    }
    return 0;
  }

  int Add(Event::Kind kind, int type, uint32_t number) {
    EventChunk* chunk = pipe_->Room();
    if (chunk == nullptr) return 1;
    chunk->events.push_back(Event{kind, type, number});
    return 0;
  }

  EventPipe* pipe_;
  std::string_view doc_;
};

class Builder {
 public:
  // `line_starts`: for PosTracker::SetLineStarts, or empty.
  Builder(std::string_view doc, const ReadLimits& limits,
          LineStarts line_starts)
      : doc_(doc), tracker_(doc), builder_(&map_, limits) {
    if (!line_starts.empty()) tracker_.SetLineStarts(std::move(line_starts));
  }

  // `expected_nodes` sizes the map up front. With `two_threads`, md4c
  // parses on a second thread and this one builds the map from the
  // callbacks it hands over (EventPipe): the same calls in the same order.
  // The input's UTF-8 is checked here too (the first error Run reports):
  // on two threads while md4c starts.
  Result<Map> Run(size_t body_offset, size_t expected_nodes, bool two_threads) {
    std::string_view body = doc_.substr(body_offset);
    int rc = two_threads ? ParseOnTwoThreads(body, expected_nodes)
                         : ParseHere(body, expected_nodes);
    if (failed_) return tl::unexpected(error_);
    if (rc != 0) return BadInput("the Markdown parser ran out of memory");
    EndSink();
    for (NodeId id : noted_) CheckText(map_.node(id).note());
    CollapseRoot();
    return std::move(map_);
  }

  // Whether every node text and note but the root's is surely canonical
  // (IsSurelyPlainNfc) after Run: each was checked when it was last
  // written, while still in cache, which saves ReadMap a pass over them.
  bool surely_canonical() const { return canonical_; }

 private:
  enum class Sink : uint8_t { kNone, kText, kNote, kParagraph };

  struct Block {
    MD_BLOCKTYPE type;
    NodeId node = kNoNode;     // LI: its node; UL/OL: the items' parent
    unsigned next_number = 0;  // OL: the next item's number
    bool ordered = false;
    bool started = false;  // LI: its text has begun
  };

  template <typename Callbacks>
  friend int ParseWith(std::string_view body, Callbacks* callbacks);

  // Checks the input and adds the root; false (and failed_) on an error.
  bool Start(size_t expected_nodes) {
    // The common input passes this in the one scan that also validates
    // it; its node texts are then checked only at their ends.
    plain_pieces_ = IsSurelyPlainNfcInside(doc_);
    if (!plain_pieces_) {
      if (auto ok = ValidateUtf8(doc_); !ok) {
        Fail(ok.error());
        return false;
      }
    }
    map_.Reserve(expected_nodes);
    depth_.reserve(expected_nodes);
    auto root = builder_.Add(kNoNode, 0, {}, {1, 1});
    if (!root) {
      Fail(root.error());
      return false;
    }
    depth_.push_back(0);
    return true;
  }

  int ParseHere(std::string_view body, size_t expected_nodes) {
    if (!Start(expected_nodes)) return 1;
    return ParseWith(body, this);
  }

  int ParseOnTwoThreads(std::string_view body, size_t expected_nodes) {
    EventPipe pipe;
    auto produce = [&] {
      int rc = 1;
      // Finish even when the parse throws, so the consumer never waits on.
      struct Finisher {
        EventPipe* pipe;
        int* rc;
        ~Finisher() { pipe->Finish(*rc); }
      } finisher{&pipe, &rc};
      rc = EventRecorder(&pipe, doc_).Parse(body);
    };
    auto consume = [&] {
      // Stop the producer however this ends (a failed node, an exception).
      struct Aborter {
        EventPipe* pipe;
        ~Aborter() { pipe->Abort(); }
      } aborter{&pipe};
      if (!Start(expected_nodes)) return;
      // md4c reports nothing until it has read every block, so this thread
      // has time now to fault in the node array and the strings' heap. The
      // estimate of nodes may be high (lines that only look like items):
      // at most twice the input's size is faulted in ahead.
      Prefault(&map_.node(0),
               std::min(expected_nodes * sizeof(Node), 2 * doc_.size()));
      HugeHeapScope::PrefaultTop();
      while (std::unique_ptr<EventChunk> chunk = pipe.Next()) {
        for (const Event& e : chunk->events) {
          if (Replay(e, *chunk) != 0) return;
        }
        pipe.Recycle(std::move(chunk));
      }
    };
    BothThreads(true, produce, consume);
    return pipe.rc();
  }

  int Replay(const Event& e, const EventChunk& chunk) {
    switch (e.kind) {
      case Event::Kind::kEnterBlock:
        return OnEnterBlock(static_cast<MD_BLOCKTYPE>(e.type), e.number);
      case Event::Kind::kLeaveBlock:
        return OnLeaveBlock(static_cast<MD_BLOCKTYPE>(e.type));
      case Event::Kind::kEnterSpan: {
        auto type = static_cast<MD_SPANTYPE>(e.type);
        return OnEnterSpan(type, type == MD_SPAN_A || type == MD_SPAN_IMG
                                     ? chunk.strings[e.number]
                                     : std::string());
      }
      case Event::Kind::kLeaveSpan:
        return OnLeaveSpan(static_cast<MD_SPANTYPE>(e.type));
      case Event::Kind::kText:
        return OnText(static_cast<MD_TEXTTYPE>(e.type),
                      e.text != nullptr
                          ? std::string_view(e.text, e.size)
                          : std::string_view(chunk.strings[e.number]));
    }
    return 0;
  }

  static Builder* Self(void* p) { return static_cast<Builder*>(p); }
  static int EnterBlock(MD_BLOCKTYPE t, void* d, void* p) {
    return Self(p)->OnEnterBlock(t, BlockNumber(t, d));
  }
  static int LeaveBlock(MD_BLOCKTYPE t, void*, void* p) {
    return Self(p)->OnLeaveBlock(t);
  }
  static int EnterSpan(MD_SPANTYPE t, void* d, void* p) {
    return Self(p)->OnEnterSpan(t, SpanUrl(t, d));
  }
  static int LeaveSpan(MD_SPANTYPE t, void*, void* p) {
    return Self(p)->OnLeaveSpan(t);
  }
  static int Text(MD_TEXTTYPE t, const MD_CHAR* s, MD_SIZE n, void* p) {
    return Self(p)->OnText(t, std::string_view(s, n));
  }

  int Fail(const Error& e) {
    error_ = e;
    failed_ = true;
    return 1;
  }

  // The innermost list item, or null when not inside one.
  Block* InnermostItem() {
    for (size_t i = blocks_.size(); i-- > 0;) {
      if (blocks_[i].type == MD_BLOCK_LI) return &blocks_[i];
    }
    return nullptr;
  }
  // The node that top-level content belongs to: the current heading.
  NodeId CurrentHeading() const {
    return headings_.empty() ? map_.root() : headings_.back().node;
  }
  // Where notes go: the innermost item, else the current heading.
  NodeId NoteTarget() {
    Block* li = InnermostItem();
    return li != nullptr ? li->node : CurrentHeading();
  }

  Result<NodeId> AddNode(NodeId parent) {
    auto id = builder_.Add(parent, depth_[parent] + 1, {}, {});
    if (id) depth_.push_back(depth_[parent] + 1);
    return id;
  }

  void CheckText(const std::string& text) {
    canonical_ = canonical_ && (plain_pieces_ ? HasTrimmedEnds(text)
                                              : IsSurelyPlainNfc(text));
  }
  // A node's text is written only while it is the sink (and once when it
  // is made, just before): it is final, as far as this sink goes, when the
  // sink moves on.
  void LeaveTextSink(Sink next, NodeId next_node) {
    if (sink_ == Sink::kText &&
        (next != Sink::kText || next_node != sink_node_))
      CheckText(map_.node(sink_node_).text);
  }
  void EndSink() {
    LeaveTextSink(Sink::kNone, kNoNode);
    sink_ = Sink::kNone;
  }

  // Notes get a blank line between paragraphs, added when text arrives.
  void SinkTo(Sink kind, NodeId node) {
    LeaveTextSink(kind, node);
    sink_ = kind;
    sink_node_ = node;
    need_separator_ = kind == Sink::kNote;
  }
  std::string* SinkString() {
    switch (sink_) {
      case Sink::kText:
        return &map_.node(sink_node_).text;
      case Sink::kNote:
        // Notes grow until the end: checked then.
        if (noted_.empty() || noted_.back() != sink_node_) {
          noted_.push_back(sink_node_);
        }
        return &map_.node(sink_node_).mutable_extras().note;
      case Sink::kParagraph:
        return &paragraph_;
      case Sink::kNone:
        return nullptr;
    }
    return nullptr;
  }

  // Leaf blocks (code, table) and paragraphs inside a list item: the
  // item's text while it has none, its note after that.
  void SinkIntoItem(Block* li) {
    if (!li->started) {
      li->started = true;
      SinkTo(Sink::kText, li->node);
    } else {
      SinkTo(Sink::kNote, li->node);
    }
  }

  // `number`: BlockNumber.
  int OnEnterBlock(MD_BLOCKTYPE type, unsigned number) {
    // Everything inside a block quote is note text of the node before it
    // (markmap drops quotes altogether), one line per block.
    if (type == MD_BLOCK_QUOTE || quote_depth_ > 0) {
      if (quote_depth_++ == 0) SinkTo(Sink::kNote, NoteTarget());
      need_separator_ = true;
      blocks_.push_back(Block{MD_BLOCK_QUOTE});
      return 0;
    }
    Block block{type};
    Block* li = InnermostItem();
    switch (type) {
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
        block.node = li != nullptr ? li->node : CurrentHeading();
        if (li != nullptr) li->started = true;
        if (type == MD_BLOCK_OL) {
          block.ordered = true;
          block.next_number = number;
        }
        break;
      case MD_BLOCK_LI: {
        Block& list = blocks_.back();
        auto id = AddNode(list.node);
        if (!id) return Fail(id.error());
        block.node = *id;
        SinkTo(Sink::kText, *id);
        if (list.ordered) {
          map_.node(*id).text = fmt::format("{}. ", list.next_number++);
        }
        break;
      }
      case MD_BLOCK_H: {
        if (li != nullptr) {
          SinkParagraph(li);
          break;
        }
        unsigned level = number;
        while (!headings_.empty() && headings_.back().level >= level) {
          headings_.pop_back();
        }
        auto id = AddNode(CurrentHeading());
        if (!id) return Fail(id.error());
        headings_.push_back({level, *id});
        SinkTo(Sink::kText, *id);
        break;
      }
      case MD_BLOCK_P:
        SinkParagraph(li);
        break;
      case MD_BLOCK_CODE:
      case MD_BLOCK_TABLE:
        table_rows_ = 0;
        if (li != nullptr) {
          SinkIntoItem(li);
        } else {
          auto id = AddNode(CurrentHeading());
          if (!id) return Fail(id.error());
          SinkTo(Sink::kText, *id);
        }
        break;
      case MD_BLOCK_TR:
        if (table_rows_++ > 0) Append("\n");
        table_cells_ = 0;
        break;
      case MD_BLOCK_TH:
      case MD_BLOCK_TD:
        if (table_cells_++ > 0) Append(" | ");
        break;
      case MD_BLOCK_HTML:
        html_block_ = true;
        if (li != nullptr) li->started = true;
        break;
      default:
        break;
    }
    blocks_.push_back(block);
    return 0;
  }

  void SinkParagraph(Block* li) {
    if (li != nullptr) {
      SinkIntoItem(li);
    } else {
      // A top-level paragraph: a leaf node when it holds only an image,
      // else a note of the current heading. Decided when it ends.
      paragraph_.clear();
      paragraph_images_ = 0;
      paragraph_other_ = false;
      image_link_.clear();
      SinkTo(Sink::kParagraph, kNoNode);
    }
  }

  int OnLeaveBlock(MD_BLOCKTYPE type) {
    blocks_.pop_back();
    if (quote_depth_ > 0) {
      if (--quote_depth_ > 0) return 0;
      EndSink();
    }
    switch (type) {
      case MD_BLOCK_LI:
        EndSink();
        break;
      case MD_BLOCK_P:
      case MD_BLOCK_H:
        if (sink_ == Sink::kParagraph) {
          if (paragraph_images_ == 1 && !paragraph_other_) {
            auto id = AddNode(CurrentHeading());
            if (!id) return Fail(id.error());
            Node& n = map_.node(*id);
            n.text = std::move(paragraph_);
            CheckText(n.text);
            n.set_link(std::move(image_link_));
            n.pos = paragraph_pos_;
          } else {
            SinkTo(Sink::kNote, CurrentHeading());
            Append(paragraph_);
          }
        }
        EndSink();
        break;
      case MD_BLOCK_CODE:
      case MD_BLOCK_TABLE:
        EndSink();
        break;
      case MD_BLOCK_HTML:
        html_block_ = false;
        break;
      default:
        break;
    }
    // Text that follows a block inside an item (a tight item's text after
    // its nested list) is a note of the item.
    switch (type) {
      case MD_BLOCK_UL:
      case MD_BLOCK_OL:
      case MD_BLOCK_P:
      case MD_BLOCK_H:
      case MD_BLOCK_CODE:
      case MD_BLOCK_TABLE:
      case MD_BLOCK_HTML:
      case MD_BLOCK_QUOTE:
        if (Block* li = InnermostItem(); li != nullptr) {
          li->started = true;
          SinkTo(Sink::kNote, li->node);
        }
        break;
      default:
        break;
    }
    return 0;
  }

  // `url`: SpanUrl.
  int OnEnterSpan(MD_SPANTYPE type, std::string url) {
    if (type == MD_SPAN_A && sink_ != Sink::kNone) {
      if (sink_ == Sink::kText && map_.node(sink_node_).link().empty()) {
        map_.node(sink_node_).set_link(std::move(url));
      }
      MarkStarted();
    } else if (type == MD_SPAN_IMG) {
      ++paragraph_images_;
      in_image_ = true;
      image_link_ = std::move(url);
    }
    return 0;
  }
  int OnLeaveSpan(MD_SPANTYPE type) {
    if (type == MD_SPAN_IMG) in_image_ = false;
    return 0;
  }

  void MarkStarted() {
    if (sink_ == Sink::kText) {
      if (Block* li = InnermostItem();
          li != nullptr && li->node == sink_node_) {
        li->started = true;
      }
    }
  }

  void Append(std::string_view s) {
    std::string* out = SinkString();
    if (out == nullptr) return;
    if (need_separator_) {
      if (Trim(s).empty()) return;
      need_separator_ = false;
      if (!out->empty()) out->append(quote_depth_ > 0 ? "\n" : "\n\n");
    }
    out->append(s);
  }

  void NotePosition(const MD_CHAR* s) {
    if (sink_ != Sink::kText && sink_ != Sink::kParagraph) return;
    if (s < doc_.data() || s >= doc_.data() + doc_.size()) return;
    auto offset = static_cast<size_t>(s - doc_.data());
    if (sink_ == Sink::kParagraph) {
      if (paragraph_.empty()) paragraph_pos_ = tracker_.At(offset);
      return;
    }
    Node& n = map_.node(sink_node_);
    if (!n.pos.known()) n.pos = tracker_.At(offset);
  }

  int OnText(MD_TEXTTYPE type, std::string_view s) {
    if (html_block_ || type == MD_TEXT_HTML) {
      Html(s);
      return 0;
    }
    if (sink_ == Sink::kNone) return 0;
    NotePosition(s.data());
    if (sink_ == Sink::kParagraph && !in_image_ && !Trim(s).empty()) {
      paragraph_other_ = true;
    }
    MarkStarted();
    switch (type) {
      case MD_TEXT_NULLCHAR:
        plain_pieces_ = false;
        Append("\xEF\xBF\xBD");
        break;
      case MD_TEXT_BR:
      case MD_TEXT_SOFTBR:
        Append("\n");
        break;
      case MD_TEXT_ENTITY: {
        plain_pieces_ = false;
        std::string e;
        AppendHtmlEntity(s, &e);
        Append(e);
        break;
      }
      default:
        Append(s);
    }
    return 0;
  }

  // Raw HTML: markmap's fold comments fold the node; <br> breaks the line;
  // other tags are dropped (their text, if any, still arrives as text).
  void Html(std::string_view s) {
    std::string_view t = Trim(s);
    if (t.starts_with("<!--")) {
      if (t.find("markmap: fold") != std::string_view::npos ||
          t.find("markmap:fold") != std::string_view::npos) {
        NodeId target = sink_ == Sink::kText ? sink_node_ : NoteTarget();
        map_.node(target).folded = true;
      }
      if (sink_ == Sink::kText) MarkStarted();
      return;
    }
    if (html_block_) return;
    std::string lower = AsciiLower(t.substr(0, 6));
    if (lower.starts_with("<br") && (lower.size() == 3 || lower[3] == '>' ||
                                     lower[3] == '/' || lower[3] == ' ')) {
      Append("\n");
    }
  }

  // markmap: with one top-level node, that node is the root.
  void CollapseRoot() {
    NodeId root = map_.root();
    Node& r = map_.node(root);
    if (!r.text.empty() || r.first_child == kNoNode ||
        r.first_child != r.last_child) {
      return;
    }
    NodeId only = r.first_child;
    std::vector<NodeId> children;
    for (NodeId c : map_.Children(only)) children.push_back(c);
    for (NodeId c : children) {
      (void)map_.Move(c, root);
    }
    Node& o = map_.node(only);
    Node& nr = map_.node(root);
    std::string note = nr.note();
    if (!note.empty() && !o.note().empty()) note.append("\n\n");
    note.append(o.note());
    nr.text = std::move(o.text);
    nr.set_note(std::move(note));
    nr.set_link(o.link());
    nr.folded = o.folded;
    nr.pos = o.pos;
    map_.Remove(only);
  }

  struct Heading {
    unsigned level;
    NodeId node;
  };

  std::string_view doc_;
  PosTracker tracker_;
  Map map_;
  TreeBuilder builder_;
  std::vector<uint32_t, LargeArrayAllocator<uint32_t>> depth_;  // by NodeId
  std::vector<Block> blocks_;
  std::vector<Heading> headings_;
  std::vector<NodeId> noted_;  // nodes given note text, some repeated
  bool canonical_ = true;
  // Every text written so far is made of pieces of a surely plain NFC
  // input and of ASCII (line breaks, separators, md4c's spaces), so it is
  // surely plain NFC inside (IsSurelyPlainNfcInside). An entity or a NUL
  // may bring in anything: from then on, texts get the whole check.
  bool plain_pieces_ = false;
  Sink sink_ = Sink::kNone;
  NodeId sink_node_ = kNoNode;
  std::string paragraph_;
  SourcePos paragraph_pos_;
  std::string image_link_;
  int paragraph_images_ = 0;
  bool paragraph_other_ = false;
  bool in_image_ = false;
  bool html_block_ = false;
  bool need_separator_ = false;
  int quote_depth_ = 0;
  size_t table_rows_ = 0;
  size_t table_cells_ = 0;
  bool failed_ = false;
  Error error_;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The first byte of text[from, end) that is not a space or a tab (`end`
// if none): deep list items are indented by a dozen spaces or more.
size_t SkipIndent(std::string_view text, size_t from, size_t end) {
#ifdef __SSE2__
  while (from + 16 <= text.size() && from < end) {
    __m128i v =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + from));
    auto blank = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\t')))));
    if (blank != 0xFFFF) {
      return std::min(end, from + static_cast<size_t>(__builtin_ctz(~blank)));
    }
    from += 16;
  }
#endif
  while (from < end && (text[from] == ' ' || text[from] == '\t')) ++from;
  return std::min(from, end);
}

int Sniff(std::string_view bytes) {
  bytes = StripBom(bytes);
  std::string_view head = bytes.substr(0, 8192);
  if (head.find('\0') != std::string_view::npos) return 0;
  if (head.starts_with("---\n") || head.starts_with("---\r\n")) return 40;
  LineReader lines(head);
  std::string_view line;
  int headings = 0;
  int items = 0;
  while (lines.Next(&line)) {
    std::string_view t = Trim(line);
    if (t.starts_with("# ") || t.starts_with("## ") || t.starts_with("### ")) {
      ++headings;
    } else if (t.starts_with("- ") || t.starts_with("* ") ||
               t.starts_with("+ ")) {
      ++items;
    }
  }
  if (headings > 0) return 40;
  if (items > 0) return 20;
  return 0;
}

// md4c opens every container of a line before it reports any of them, so
// a line of a million "- " or ">" markers would cost it gigabytes before
// the depth limit could stop it. Counting the markers that open containers
// at the start of each line bounds the nesting first.
// Returns about the number of nodes (lines that may open a list item or a
// heading), so the map can be sized once. When it looks at every line, it
// also fills `line_starts` for PosTracker::SetLineStarts (unless the text
// is too long for 32-bit offsets); otherwise it leaves it empty.
Result<size_t> CheckNesting(std::string_view text, const ReadLimits& limits,
                            LineStarts* line_starts) {
  // Every marker takes a byte, so a text no longer than the limit cannot
  // pass it; the line count then stands in for the node count.
  if (text.size() <= limits.max_depth) return CountNewlines(text) + 1;
  // Nor can a line: only a text with a line that long needs the exact
  // count below. Otherwise a look at the first byte of each line estimates
  // the node count well enough to size the map.
  size_t candidates = 0;
  bool long_line = false;
  const bool index_lines = text.size() <= UINT32_MAX;
  if (index_lines) line_starts->reserve(text.size() / 32 + 1);
  for (size_t start = 0; start < text.size();) {
    if (index_lines) line_starts->push_back(static_cast<uint32_t>(start));
    const void* nl =
        std::memchr(text.data() + start, '\n', text.size() - start);
    size_t end =
        nl == nullptr
            ? text.size()
            : static_cast<size_t>(static_cast<const char*>(nl) - text.data());
    long_line = long_line || end - start > limits.max_depth;
    size_t i = SkipIndent(text, start, end);
    if (i < end) {
      char c = text[i];
      candidates += c == '-' || c == '*' || c == '+' || c == '>' || c == '#' ||
                    IsDigit(c);
    }
    start = end + 1;
  }
  if (index_lines && !text.empty() && text.back() == '\n') {
    line_starts->push_back(static_cast<uint32_t>(text.size()));
  }
  if (!long_line) return candidates;
  // Lines end at '\n', or also at a lone '\r' when the text has any.
  const bool has_cr = std::memchr(text.data(), '\r', text.size()) != nullptr;
  auto line_end = [&](size_t from) {
    if (!has_cr) {
      const void* nl =
          std::memchr(text.data() + from, '\n', text.size() - from);
      return nl == nullptr ? text.size()
                           : static_cast<size_t>(static_cast<const char*>(nl) -
                                                 text.data());
    }
    while (from < text.size() && text[from] != '\n' && text[from] != '\r')
      ++from;
    return from;
  };
  auto is_break = [](char c) { return c == '\n' || c == '\r'; };
  uint32_t line_number = 1;
  size_t node_lines = 0;
  for (size_t start = 0; start < text.size(); ++line_number) {
    size_t markers = 0;
    bool heading = false;
    for (size_t i = start; i < text.size() && !is_break(text[i]); ++i) {
      char c = text[i];
      bool spaced = i + 1 >= text.size() || text[i + 1] == ' ' ||
                    text[i + 1] == '\t' || is_break(text[i + 1]);
      if (c == '>') {
        ++markers;
      } else if ((c == '-' || c == '*' || c == '+') && spaced) {
        ++markers;
      } else if ((c == '.' || c == ')') && spaced && i > start &&
                 IsDigit(text[i - 1])) {
        ++markers;
      } else if (c != ' ' && c != '\t' && !IsDigit(c)) {
        heading = c == '#';
        break;
      }
    }
    if (markers > 0 || heading) ++node_lines;
    if (markers > limits.max_depth) {
      return Fail(ErrorCode::kLimitExceeded,
                  fmt::format("nesting too deep (limit {})", limits.max_depth),
                  {line_number, 1});
    }
    size_t end = line_end(start);
    if (end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n')
      ++end;
    start = end + 1;
  }
  return node_lines;
}

Result<Map> Read(
    std::string_view bytes, const ReadLimits& limits,
    Diagnostics* /*diagnostics: Markdown reading has no warnings*/) {
  bytes = StripBom(bytes);
  // Bounds md4c's memory, so it runs before the parse; the UTF-8 check
  // (Builder::Start) may then run alongside it, but its error comes first.
  LineStarts line_starts;
  auto node_lines = CheckNesting(bytes, limits, &line_starts);
  if (!node_lines) {
    if (auto ok = ValidateUtf8(bytes); !ok) return tl::unexpected(ok.error());
    return tl::unexpected(node_lines.error());
  }
  MapMeta meta;
  size_t body = ReadFrontMatter(bytes, &meta);
  Builder builder(bytes, limits, std::move(line_starts));
  const bool two_threads =
      limits.threads >= 2 ||
      (limits.threads == 0 && bytes.size() - body >= kTwoThreadBytes &&
       std::thread::hardware_concurrency() >= 2);
  auto map = builder.Run(body, std::min(*node_lines + 1, limits.max_nodes),
                         two_threads);
  if (!map) return map;
  map->meta() = std::move(meta);
  Node& root = map->node(map->root());
  if (root.text.empty()) root.text = map->meta().title;
  const bool canonical = builder.surely_canonical() &&
                         IsSurelyPlainNfc(root.text) &&
                         IsSurelyPlainNfc(root.note());
  if (auto ok = CanonicalizeMapText(&*map, !canonical); !ok) {
    return tl::unexpected(ok.error());
  }
  return map;
}

// --- Writer ---------------------------------------------------------------

// Appends one line of text so that md4c reads it back verbatim: markup
// characters are backslash-escaped, and white space at either end (which
// Markdown would strip) is written as character references.
void AppendLine(std::string_view line, std::string* out) {
  size_t lead = 0;
  while (lead < line.size() && (line[lead] == ' ' || line[lead] == '\t'))
    ++lead;
  size_t trail = line.size();
  while (trail > lead && (line[trail - 1] == ' ' || line[trail - 1] == '\t'))
    --trail;
  for (size_t i = 0; i < lead; ++i)
    out->append(line[i] == ' ' ? "&#32;" : "&#9;");
  std::string_view body = line.substr(lead, trail - lead);
  // Line-start markers: list bullets, setext underlines, ordered items.
  size_t digits = 0;
  while (digits < body.size() && digits < 10 && IsDigit(body[digits])) ++digits;
  bool ordered = digits > 0 && digits < body.size() &&
                 (body[digits] == '.' || body[digits] == ')');
  if (!body.empty() && (body[0] == '-' || body[0] == '+' || body[0] == '=')) {
    out->push_back('\\');
  }
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '&':
      case '|':
      case '~':
      case '#':
        out->push_back('\\');
        break;
      case '.':
      case ')':
        if (ordered && i == digits) out->push_back('\\');
        break;
      default:
        break;
    }
    out->push_back(c);
  }
  for (size_t i = trail; i < line.size(); ++i) {
    out->append(line[i] == ' ' ? "&#32;" : "&#9;");
  }
}

// Appends multi-line text as one paragraph: soft breaks between lines (read
// back as line breaks, as markmap does), a lone backslash (a hard break) for
// an empty line. `indent` prefixes every line after the first.
void AppendText(std::string_view text, size_t indent, std::string* out) {
  size_t start = 0;
  bool first = true;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!first) {
      out->push_back('\n');
      out->append(indent, ' ');
    }
    std::string_view line = text.substr(start, end - start);
    if (line.empty() && !first) {
      out->push_back('\\');
    } else {
      AppendLine(line, out);
    }
    first = false;
    start = end + 1;
  }
}

void AppendNodeText(const Node& n, size_t indent, std::string* out) {
  if (!n.link().empty()) {
    out->push_back('[');
    AppendText(n.text, indent, out);
    out->append("](<");
    for (char c : n.link()) {
      if (c == '<' || c == '>' || c == '\\' || c == '&') out->push_back('\\');
      if (c == '\n' || c == '\r') continue;
      out->push_back(c);
    }
    out->append(">)");
  } else if (n.text.empty()) {
    // An empty item followed by a note paragraph would read the note as
    // its text; an (invisible) comment marks the text as present.
    out->append("<!-- -->");
  } else {
    AppendText(n.text, indent, out);
  }
  if (n.folded) out->append(" <!-- markmap: fold -->");
}

void AppendNote(const Node& n, size_t indent, std::string* out) {
  if (n.note().empty()) return;
  out->append("\n");
  out->append(indent, ' ');
  AppendText(n.note(), indent, out);
  out->append("\n");
}

void AppendYamlString(std::string_view s, std::string* out) {
  out->push_back('"');
  for (char c : s) {
    if (c == '"' || c == '\\') out->push_back('\\');
    if (c == '\n') {
      out->append("\\n");
      continue;
    }
    out->push_back(c);
  }
  out->push_back('"');
}

// The root is a level-1 heading (or, when its text has a line break, a
// top-level list item); every other node is a list item, two spaces of
// indentation per level, so any depth reads back the same.
Result<std::string> Write(const Map& map) {
  std::string out;
  if (map.empty()) return out;
  const Node& root = map.node(map.root());
  if (!map.meta().title.empty() && !root.text.empty() &&
      map.meta().title.find('\n') == std::string::npos) {
    out.append("---\ntitle: ");
    AppendYamlString(map.meta().title, &out);
    out.append("\n---\n\n");
  }
  bool heading_root = root.text.find('\n') == std::string::npos;
  for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
    const Node& n = map.node(*it);
    if (it.depth() == 0 && heading_root) {
      out.append(n.text.empty() && n.link().empty() ? "#" : "# ");
      if (!n.text.empty() || !n.link().empty())
        AppendNodeText(n, 0, &out);
      else if (n.folded)
        out.append(" <!-- markmap: fold -->");
      out.append("\n");
      AppendNote(n, 0, &out);
      out.append("\n");
      continue;
    }
    size_t level = it.depth() - (heading_root ? 1 : 0);
    size_t indent = 2 * level;
    out.append(indent, ' ');
    out.append("- ");
    AppendNodeText(n, indent + 2, &out);
    out.append("\n");
    AppendNote(n, indent + 2, &out);
  }
  return out;
}

}  // namespace

const FormatSpec& MarkdownFormat() {
  static const FormatSpec spec{
      "markdown",
      "Markdown headings and lists (as markmap reads them)",
      {".md", ".markdown", ".mdown"},
      &Sniff,
      &Read,
      &Write,
      true};
  return spec;
}

}  // namespace mindcards::detail
