#include "formats/pos_tracker.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// PosTracker against the plain O(offset) PosOfOffset: random texts of
// lines, multi-byte characters and long runs, queried forwards in small
// and large steps, and backwards (which rescans).
TEST(PosTrackerTest, AgreesWithPosOfOffset) {
  const char* const kPieces[] = {
      "a",        "\n",           "\n\n", "  - ",
      "\xC3\xA9", "\xE6\x9D\xB1", "\r\n", "0123456789abcdefghij"};
  uint64_t state = 7;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return (state >> 33) % n;
  };
  for (int round = 0; round < 200; ++round) {
    std::string text;
    for (uint64_t k = 0, pieces = next(200); k < pieces; ++k) {
      text += kPieces[next(std::size(kPieces))];
    }
    PosTracker tracker(text);
    // The same with the line starts given (SetLineStarts).
    PosTracker indexed(text);
    LineStarts starts = {0};
    for (size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\n') starts.push_back(static_cast<uint32_t>(i + 1));
    }
    indexed.SetLineStarts(starts);
    size_t offset = 0;
    for (int q = 0; q < 50; ++q) {
      offset = next(4) == 0 ? next(text.size() + 1)  // sometimes backwards
                            : std::min(text.size(), offset + next(40));
      SourcePos want = PosOfOffset(text, offset);
      SourcePos got = tracker.At(offset);
      ASSERT_EQ(got.line, want.line) << round << " " << offset;
      ASSERT_EQ(got.column, want.column) << round << " " << offset;
      got = indexed.At(offset);
      ASSERT_EQ(got.line, want.line) << "indexed " << round << " " << offset;
      ASSERT_EQ(got.column, want.column)
          << "indexed " << round << " " << offset;
    }
  }
}

}  // namespace
}  // namespace mindcards::detail
