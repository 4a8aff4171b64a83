// Turns byte offsets into line:column while a reader moves forward, so that
// giving every node a position costs O(input) in total.
#ifndef MINDCARDS_FORMATS_POS_TRACKER_H_
#define MINDCARDS_FORMATS_POS_TRACKER_H_

#include <cstring>
#include <string_view>

#include "mindcards/error.h"

namespace mindcards::detail {

class PosTracker {
 public:
  explicit PosTracker(std::string_view text) : text_(text) {}

  // Line and column (in code points) of byte `offset`. Cheap when offsets
  // grow; an earlier offset restarts the count from the top.
  SourcePos At(size_t offset) {
    if (offset < offset_) {
      offset_ = 0;
      line_ = 1;
      column_ = 1;
    }
    if (offset > text_.size()) offset = text_.size();
    while (offset_ < offset) {
      const void* nl =
          std::memchr(text_.data() + offset_, '\n', offset - offset_);
      if (nl == nullptr) break;
      offset_ =
          static_cast<size_t>(static_cast<const char*>(nl) - text_.data()) + 1;
      ++line_;
      column_ = 1;
    }
    for (; offset_ < offset; ++offset_) {
      if ((static_cast<unsigned char>(text_[offset_]) & 0xC0) != 0x80)
        ++column_;
    }
    return {line_, column_};
  }

 private:
  std::string_view text_;
  size_t offset_ = 0;
  uint32_t line_ = 1;
  uint32_t column_ = 1;
};

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_POS_TRACKER_H_
