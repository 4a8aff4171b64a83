// Helpers shared by the readers: building a tree under the import limits.
#ifndef MINDCARDS_FORMATS_READER_UTIL_H_
#define MINDCARDS_FORMATS_READER_UTIL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mindcards/error.h"
#include "mindcards/formats.h"
#include "mindcards/map.h"

namespace mindcards::detail {

// Adds nodes to a map while enforcing ReadLimits::max_nodes and max_depth.
// `depth` is the new node's depth (root 0). Parent kNoNode adds the root.
class TreeBuilder {
 public:
  TreeBuilder(Map* map, const ReadLimits& limits)
      : map_(map), limits_(limits) {}

  [[nodiscard]] Result<NodeId> Add(NodeId parent, size_t depth,
                                   std::string text, SourcePos pos);

 private:
  Map* map_;
  const ReadLimits& limits_;
};

// Puts the texts of `map` in the one canonical form ReadMap promises
// whatever the format: valid UTF-8 in NFC, no white space at either end,
// '\n' as the only line break, no C0 controls but tab and newline, no
// U+FEFF. Node texts and notes (unless `node_texts` is false: the reader
// made sure of them) and the meta's texts. Malformed UTF-8 in a node's
// text or note is an error at the node's position.
[[nodiscard]] Result<void> CanonicalizeMapText(Map* map, bool node_texts);

// For the length of a large read: glibc's main heap grows in one step of
// about `expected_bytes`, advised into transparent huge pages (madvise
// mode), so that the read's million small strings fault 2 MB pages in
// rather than 4 KB ones (a fault costs microseconds on a VM). Restores
// glibc's default top pad (128 KB) when it ends; setting the pad also
// fixes glibc's mmap threshold where it is for the rest of the process.
// The pad is process-wide: a scope on another thread at the same time
// may end it early (a slower read, nothing worse). Does nothing below
// 16 MB, off glibc, inside another scope on the same thread, or where the
// kernel ignores the advice; memory is only reserved, not touched, so the
// resident size grows only as strings are made (in 2 MB steps).
// TreeBuilder::Add polls it (the heap may grow in several steps).
class HugeHeapScope {
 public:
  explicit HugeHeapScope(size_t expected_bytes);
  ~HugeHeapScope();
  HugeHeapScope(const HugeHeapScope&) = delete;
  HugeHeapScope& operator=(const HugeHeapScope&) = delete;

  // Advises what the heap grew by since the last call, when this thread
  // has a scope open. Cheap: no system call unless the heap grew.
  static void Poll();
  // Faults in the heap's free top now (Prefault), when this thread has a
  // scope open: for a thread that would otherwise wait, so that the
  // strings it makes later do not pay for zeroing their pages.
  static void PrefaultTop();

 private:
  void AdviseGrowth();

  bool active_ = false;
  uintptr_t advised_end_ = 0;  // the heap's end when last advised
};

// Faults in the pages of [data, data + bytes) now, writable, without
// reading or writing them (MADV_POPULATE_WRITE: a hint, nothing happens
// where the kernel lacks it): the zeroing of those pages is paid by this
// call instead of by the first writes there.
void Prefault(const void* data, size_t bytes);

// Error for input larger than limits.max_bytes, or success.
[[nodiscard]] Result<void> CheckSize(std::string_view bytes,
                                     const ReadLimits& limits);

// Strips a UTF-8 byte-order mark.
std::string_view StripBom(std::string_view bytes);

// Iterates over lines, yielding each without its terminator ("\n", "\r\n"
// or "\r") and its 1-based number.
class LineReader {
 public:
  explicit LineReader(std::string_view text) : text_(text) {}
  // Returns false at the end of the text.
  bool Next(std::string_view* line);
  uint32_t line_number() const { return line_number_; }
  // Byte offset of the start of the current line.
  size_t line_offset() const { return line_offset_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  size_t line_offset_ = 0;
  uint32_t line_number_ = 0;
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_READER_UTIL_H_
