#include "formats/reader_util.h"

#include <fmt/format.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "mindcards/text.h"

namespace mindcards::detail {

Result<NodeId> TreeBuilder::Add(NodeId parent, size_t depth, std::string text,
                                SourcePos pos) {
  if (map_->id_count() >= limits_.max_nodes) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("too many nodes (limit {})", limits_.max_nodes),
                pos);
  }
  if (depth > limits_.max_depth) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("nesting too deep (limit {})", limits_.max_depth),
                pos);
  }
  if ((map_->id_count() & 1023) == 0) HugeHeapScope::Poll();
  NodeId id = parent == kNoNode ? map_->AddRoot(std::move(text))
                                : map_->AddChild(parent, std::move(text));
  map_->node(id).pos = pos;
  return id;
}

namespace {

// Node text is kept in one canonical form whatever the format: no
// surrounding white space, '\n' as the only line break, and no C0 control
// characters but tab and newline (XML cannot carry them, so no format could
// round-trip them), and no U+FEFF (a stray byte-order mark, which readers
// strip at the start of a file).
void CanonicalizeSpacing(std::string* s) {
  std::string_view trimmed = Trim(*s);
  bool clean = trimmed.size() == s->size();
  for (char c : trimmed) {
    auto b = static_cast<unsigned char>(c);
    if ((b < 0x20 && c != '\t' && c != '\n') || b == 0xEF) clean = false;
  }
  if (clean) return;
  std::string out;
  out.reserve(trimmed.size());
  for (size_t i = 0; i < trimmed.size(); ++i) {
    char c = trimmed[i];
    if (trimmed.substr(i, 3) == "\xEF\xBB\xBF") {
      i += 2;  // U+FEFF: a byte-order mark pasted into text, invisible
    } else if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < trimmed.size() && trimmed[i + 1] == '\n') ++i;
    } else if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' ||
               c == '\n') {
      out.push_back(c);
    }
  }
  *s = std::string(Trim(out));
}

}  // namespace

Result<void> CanonicalizeMapText(Map* map, bool node_texts) {
  auto fix = [](std::string* s, SourcePos pos) -> Result<void> {
    if (IsSurelyPlainNfc(*s)) return {};  // the common case, in one pass
    CanonicalizeSpacing(s);
    // One scan for the common case: surely-NFC text is valid UTF-8 too.
    if (IsSurelyNfc(*s)) return {};
    if (auto ok = ValidateUtf8(*s); !ok) {
      Error e = ok.error();
      e.pos = pos;
      return tl::unexpected(e);
    }
    *s = ToNfc(*s);
    return {};
  };
  for (NodeId id = 0; node_texts && id < map->id_count(); ++id) {
    Node& n = map->node(id);
    if (auto r = fix(&n.text, n.pos); !r) return r;
    if (n.note().empty()) continue;
    if (auto r = fix(&n.mutable_extras().note, n.pos); !r) return r;
  }
  MapMeta& m = map->meta();
  for (std::string* s : {&m.title, &m.description, &m.author}) {
    if (auto r = fix(s, {}); !r) return r;
  }
  for (std::string& t : m.tags) {
    if (auto r = fix(&t, {}); !r) return r;
  }
  return {};
}

namespace {

constexpr size_t kHugePage = size_t{2} << 20;
constexpr size_t kMinHugeHeap = size_t{16} << 20;
constexpr int kDefaultTopPad = 128 * 1024;  // glibc's DEFAULT_TOP_PAD

thread_local HugeHeapScope* open_scope = nullptr;

}  // namespace

HugeHeapScope::HugeHeapScope(size_t expected_bytes) {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  if (expected_bytes < kMinHugeHeap || open_scope != nullptr) return;
  // Every growth of the heap now takes the whole pad at once; a request
  // just larger than a small free top chunk (far below the mmap threshold,
  // which would bypass the heap) makes the first growth now.
  size_t pad = std::min<size_t>(expected_bytes, size_t{1} << 30);
  if (mallopt(M_TOP_PAD, static_cast<int>(pad)) == 0) return;
  active_ = true;
  open_scope = this;
  const size_t top = mallinfo2().keepcost;
  auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  advised_end_ = top < end ? end - top : end;  // the free top may be advised
  if (top < 64 * 1024) {
    void* volatile grow = std::malloc(top + 64);  // volatile: not elided
    std::free(grow);
  }
  AdviseGrowth();
#else
  (void)expected_bytes;
#endif
}

HugeHeapScope::~HugeHeapScope() {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  if (!active_) return;
  mallopt(M_TOP_PAD, kDefaultTopPad);
  open_scope = nullptr;
#endif
}

void HugeHeapScope::Poll() {
  if (open_scope != nullptr) open_scope->AdviseGrowth();
}

void HugeHeapScope::PrefaultTop() {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  if (open_scope == nullptr) return;
  open_scope->AdviseGrowth();
  const size_t top = mallinfo2().keepcost;
  auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  if (top > end) return;
  Prefault(reinterpret_cast<const void*>(end - top), top);
#endif
}

void Prefault(const void* data, size_t bytes) {
#ifdef MADV_POPULATE_WRITE
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  auto from = reinterpret_cast<uintptr_t>(data);
  uintptr_t to = from + bytes;
  from = (from + page - 1) / page * page;  // whole pages inside the range
  to = to / page * page;
  if (to > from) {
    madvise(reinterpret_cast<void*>(from), to - from, MADV_POPULATE_WRITE);
  }
#else
  (void)data;
  (void)bytes;
#endif
}

void HugeHeapScope::AdviseGrowth() {
#if defined(__GLIBC__) && defined(MADV_HUGEPAGE) && defined(M_TOP_PAD)
  auto end = reinterpret_cast<uintptr_t>(sbrk(0));
  if (end < advised_end_ + 2 * kHugePage) return;
  uintptr_t from = (advised_end_ + kHugePage - 1) / kHugePage * kHugePage;
  uintptr_t to = end / kHugePage * kHugePage;
  // A hint: failure changes nothing.
  madvise(reinterpret_cast<void*>(from), to - from, MADV_HUGEPAGE);
  advised_end_ = to;
#endif
}

Result<void> CheckSize(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("input is {} bytes, over the limit of {}",
                            bytes.size(), limits.max_bytes));
  }
  return {};
}

std::string_view StripBom(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  return bytes;
}

bool LineReader::Next(std::string_view* line) {
  if (pos_ >= text_.size()) return false;
  line_offset_ = pos_;
  size_t end = pos_;
  while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
  *line = text_.substr(pos_, end - pos_);
  if (end < text_.size() && text_[end] == '\r') ++end;
  if (end < text_.size() && text_[end] == '\n') ++end;
  pos_ = end;
  ++line_number_;
  return true;
}

}  // namespace mindcards::detail
