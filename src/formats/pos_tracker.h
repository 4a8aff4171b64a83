// Turns byte offsets into line:column while a reader moves forward, so that
// giving every node a position costs O(input) in total.
#ifndef MINDCARDS_FORMATS_POS_TRACKER_H_
#define MINDCARDS_FORMATS_POS_TRACKER_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mindcards/error.h"

namespace mindcards::detail {

// Number of '\n' bytes in `text`, eight at a time.
size_t CountNewlines(std::string_view text);

// Queries with non-decreasing offsets (document order) cost O(bytes passed),
// eight bytes at a time, so a walk over a whole document is linear however
// long its lines are. A query behind the previous one rescans from the start
// of the text; readers only do that on their error path.
class PosTracker {
 public:
  explicit PosTracker(std::string_view text) : text_(text) {}

  // Line and column (1-based, columns in code points) of byte `offset`.
  SourcePos At(size_t offset);

 private:
  std::string_view text_;
  size_t offset_ = 0;
  SourcePos pos_{1, 1};
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_POS_TRACKER_H_
