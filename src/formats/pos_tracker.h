// Turns byte offsets into line:column while a reader moves forward, so that
// giving every node a position costs O(input) in total.
#ifndef MINDCARDS_FORMATS_POS_TRACKER_H_
#define MINDCARDS_FORMATS_POS_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/map.h"

namespace mindcards::detail {

// Number of '\n' bytes in `text`, eight at a time.
size_t CountNewlines(std::string_view text);

// Byte offsets of line starts, in huge pages when large (a million lines
// would otherwise fault in a thousand 4 KB pages).
using LineStarts = std::vector<uint32_t, LargeArrayAllocator<uint32_t>>;

// Queries with non-decreasing offsets (document order) cost O(bytes passed),
// eight bytes at a time, so a walk over a whole document is linear however
// long its lines are. A query behind the previous one rescans from the start
// of the text; readers only do that on their error path.
class PosTracker {
 public:
  explicit PosTracker(std::string_view text) : text_(text) {}

  // Line and column (1-based, columns in code points) of byte `offset`.
  SourcePos At(size_t offset);

  // The byte offset where each line starts, in order: 0, then every offset
  // just after a '\n' (the text's size too when it ends with one), from a
  // scan the reader makes anyway. Queries then step over whole lines and
  // read only the bytes between a line's start and the offset (a query
  // behind the previous one costs a binary search, not a rescan).
  void SetLineStarts(LineStarts starts);

 private:
  SourcePos AtIndexed(size_t offset);

  std::string_view text_;
  size_t offset_ = 0;
  SourcePos pos_{1, 1};
  LineStarts line_starts_;  // empty: not given
  size_t line_ = 0;         // index of offset_'s line in it
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_POS_TRACKER_H_
