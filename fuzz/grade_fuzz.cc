// Fuzzes the answer grader. The input is "typed answer\nexpected answer";
// the expected part is also graded as a list of its lines. Checks the
// contract: scores in [0, 1], ratings 0..4, `correct` exactly when the score
// is 1, and any answer with words in it is accepted against itself.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/grade.h"

namespace {

void Check(const mindcards::Grade& g) {
  if (!(g.score >= 0 && g.score <= 1)) std::abort();
  if (g.suggested_rating < 0 || g.suggested_rating > 4) std::abort();
  if (g.how != mindcards::MatchKind::kEmpty && g.correct != (g.score == 1)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nl = input.find('\n');
  std::string_view answer = input.substr(0, nl);
  std::string_view expected =
      nl == std::string_view::npos ? input : input.substr(nl + 1);
  mindcards::GradeOptions options;
  options.era_century = size % 2 == 0 ? 1900 : 0;
  Check(mindcards::GradeAnswer(answer, expected, options));
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= expected.size()) {
    size_t end = expected.find('\n', start);
    if (end == std::string_view::npos) end = expected.size();
    items.emplace_back(expected.substr(start, end - start));
    start = end + 1;
  }
  Check(mindcards::GradeList(answer, items, false, options));
  Check(mindcards::GradeList(answer, items, true, options));
  mindcards::Grade self = mindcards::GradeAnswer(expected, expected, options);
  Check(self);
  if (self.how != mindcards::MatchKind::kEmpty && !self.correct) std::abort();
  return 0;
}
