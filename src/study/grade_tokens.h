// Internals of the grader: answers as tokens (words, numbers, dates).
#ifndef MINDCARDS_STUDY_GRADE_TOKENS_H_
#define MINDCARDS_STUDY_GRADE_TOKENS_H_

#include <string>
#include <string_view>
#include <vector>

namespace mindcards::detail {

enum class NumberKind : uint8_t { kPlain, kPercent, kMoney, kDecade };

struct GradeToken {
  enum class Type : uint8_t { kWord, kNumber, kDate } type = Type::kWord;
  std::u32string word;       // normalised letters and digits (words)
  bool capitalised = false;  // the word began with a capital in the source
  int month = 0;             // words that name a month: 1-12

  // Numbers: value, and the unit of the last digit written (1 for "1955",
  // 0.1e6 for "5.8 million"), which sets the tolerance.
  double value = 0;
  double precision = 1;
  NumberKind kind = NumberKind::kPlain;
  bool ordinal = false;     // "20th", "38th"
  bool two_digit = false;   // a bare integer of exactly two digits ("55")
  bool apostrophe = false;  // written "'55"

  // Dates: year (possibly two-digit, see two_digit), month and day (0 when
  // not given).
  int year = 0;
  int date_month = 0;
  int day = 0;
};

// Case-folds, strips accents and compatibility forms, maps curly quotes and
// dashes to ASCII, and keeps only what the tokenizer reads. Invalid UTF-8
// bytes become U+FFFD first.
std::u32string FoldForGrading(std::string_view text);

// Splits `text` into tokens. Articles are kept; callers drop them.
std::vector<GradeToken> Tokenize(std::string_view text);

}  // namespace mindcards::detail

#endif  // MINDCARDS_STUDY_GRADE_TOKENS_H_
