// Tokenizing answers for grading: folding, numbers with their precision,
// dates, and words.
#include "study/grade_tokens.h"

#include <utf8proc.h>

#include <cmath>
#include <cstdlib>
#include <memory>

#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// Valid UTF-8 of `text`, malformed bytes replaced by U+FFFD.
std::string Sanitize(std::string_view text) {
  if (IsAscii(text)) return std::string(text);
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) AppendUtf8(DecodeUtf8(text, &i), &out);
  return out;
}

std::u32string Fold(std::string_view text, bool casefold) {
  std::string clean = Sanitize(text);
  int options = UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
                UTF8PROC_STRIPMARK | UTF8PROC_IGNORE;
  if (casefold) options |= UTF8PROC_CASEFOLD;
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t len =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                   static_cast<utf8proc_ssize_t>(clean.size()), &mapped,
                   static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owned(mapped,
                                                                &std::free);
  std::string_view folded =
      len >= 0 ? std::string_view(reinterpret_cast<const char*>(mapped),
                                  static_cast<size_t>(len))
               : std::string_view(clean);
  std::u32string out;
  out.reserve(folded.size());
  size_t i = 0;
  while (i < folded.size()) {
    char32_t c = DecodeUtf8(folded, &i);
    switch (c) {
      case U'\u2018':
      case U'\u2019':
      case U'\u02BC':
      case U'`':
      case U'\u00B4':
        c = U'\'';
        break;
      case U'\u2010':
      case U'\u2011':
      case U'\u2012':
      case U'\u2013':
      case U'\u2014':
      case U'\u2015':
      case U'\u2212':
        c = U'-';
        break;
      default:
        break;
    }
    out.push_back(c);
  }
  return out;
}

bool IsDigit(char32_t c) { return c >= U'0' && c <= U'9'; }

bool IsLetter(char32_t c) {
  if (c < 0x80) {
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
  }
  auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
}

char32_t Lower(char32_t c) {
  if (c < 0x80) return (c >= U'A' && c <= U'Z') ? c + 32 : c;
  return static_cast<char32_t>(
      utf8proc_tolower(static_cast<utf8proc_int32_t>(c)));
}

bool IsUpper(char32_t c) {
  if (c < 0x80) return c >= U'A' && c <= U'Z';
  return utf8proc_isupper(static_cast<utf8proc_int32_t>(c));
}

constexpr std::u32string_view kMonths[][3] = {
    {U"january", U"jan", U"enero"},
    {U"february", U"feb", U"febrero"},
    {U"march", U"mar", U"marzo"},
    {U"april", U"apr", U"abril"},
    {U"may", U"may", U"mayo"},
    {U"june", U"jun", U"junio"},
    {U"july", U"jul", U"julio"},
    {U"august", U"aug", U"agosto"},
    {U"september", U"sep", U"septiembre"},
    {U"october", U"oct", U"octubre"},
    {U"november", U"nov", U"noviembre"},
    {U"december", U"dec", U"diciembre"},
};

int MonthOf(std::u32string_view w) {
  if (w == U"sept") return 9;
  for (int m = 0; m < 12; ++m) {
    for (std::u32string_view name : kMonths[m]) {
      if (w == name) return m + 1;
    }
  }
  return 0;
}

double ScaleOf(std::u32string_view w) {
  if (w == U"k" || w == U"thousand" || w == U"thousands") return 1e3;
  if (w == U"m" || w == U"mil" || w == U"mill" || w == U"mn" ||
      w == U"million" || w == U"millions" || w == U"millon" ||
      w == U"millones") {
    return 1e6;
  }
  if (w == U"b" || w == U"bn" || w == U"billion" || w == U"billions") {
    return 1e9;
  }
  if (w == U"tn" || w == U"trillion" || w == U"trillions") return 1e12;
  return 0;
}

bool IsOrdinalSuffix(std::u32string_view w) {
  return w == U"th" || w == U"st" || w == U"nd" || w == U"rd" || w == U"o" ||
         w == U"a" || w == U"er" || w == U"eme";
}

// Parses digits with ',' and '.' separators. Sets the value and the
// precision (unit of the last digit written). Returns false when the text
// has no digits.
bool ParseDigits(std::u32string_view s, double* value, double* precision,
                 int* digit_count) {
  size_t commas = 0, dots = 0;
  size_t last_comma = std::u32string_view::npos, last_dot = last_comma;
  bool groups_of_three = true;
  int digits = 0;
  size_t run = 0;
  bool first_group = true;
  for (size_t i = 0; i < s.size(); ++i) {
    char32_t c = s[i];
    if (IsDigit(c)) {
      ++digits;
      ++run;
      continue;
    }
    if (!first_group && run != 3) groups_of_three = false;
    first_group = false;
    run = 0;
    if (c == U',') {
      ++commas;
      last_comma = i;
    } else {
      ++dots;
      last_dot = i;
    }
  }
  if (!first_group && run != 3) groups_of_three = false;
  if (digits == 0) return false;
  *digit_count = digits;
  // Which separator is the decimal point, if any.
  size_t decimal = std::u32string_view::npos;
  if (commas > 0 && dots > 0) {
    decimal = std::max(last_comma, last_dot);
  } else if (commas + dots == 1) {
    size_t sep = commas == 1 ? last_comma : last_dot;
    // "5,800" is five thousand eight hundred; "5.800" and "5,8" are decimals.
    bool thousands = commas == 1 && s.size() - sep - 1 == 3;
    if (!thousands) decimal = sep;
  } else if (commas + dots > 1 && !groups_of_three) {
    decimal = std::max(last_comma == std::u32string_view::npos ? 0 : last_comma,
                       last_dot == std::u32string_view::npos ? 0 : last_dot);
  }
  double v = 0;
  int decimals = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsDigit(s[i])) {
      v = v * 10 + static_cast<double>(s[i] - U'0');
      if (decimal != std::u32string_view::npos && i > decimal) ++decimals;
    }
  }
  *value = v / std::pow(10.0, decimals);
  *precision = std::pow(10.0, -decimals);
  return true;
}

class Tokenizer {
 public:
  explicit Tokenizer(std::u32string text) : s_(std::move(text)) {}

  std::vector<GradeToken> Run() {
    while (i_ < s_.size()) {
      char32_t c = s_[i_];
      if (IsDigit(c) || (IsCurrency(c) && NextIsDigit(i_ + 1)) ||
          (c == U'\'' && NextIsDigit(i_ + 1) && !PrevIsLetter())) {
        Number();
      } else if (IsLetter(c)) {
        Word();
      } else {
        ++i_;
      }
    }
    AssembleDates();
    return std::move(out_);
  }

 private:
  static bool IsCurrency(char32_t c) {
    return c == U'$' || c == U'\u00A3' || c == U'\u20AC' || c == U'\u00A5';
  }
  bool NextIsDigit(size_t j) const { return j < s_.size() && IsDigit(s_[j]); }
  bool PrevIsLetter() const { return i_ > 0 && IsLetter(s_[i_ - 1]); }

  // Letters (and digits) from i_, skipping apostrophes between letters.
  std::u32string ReadRun(size_t* pos, bool* capitalised) const {
    std::u32string w;
    size_t j = *pos;
    if (capitalised != nullptr) *capitalised = j < s_.size() && IsUpper(s_[j]);
    while (j < s_.size()) {
      char32_t c = s_[j];
      if (IsLetter(c) || IsDigit(c)) {
        w.push_back(Lower(c));
        ++j;
      } else if (c == U'\'' && j + 1 < s_.size() && IsLetter(s_[j + 1]) &&
                 !w.empty()) {
        ++j;  // o'brien, don't
      } else {
        break;
      }
    }
    *pos = j;
    return w;
  }

  void Word() {
    GradeToken t;
    t.type = GradeToken::Type::kWord;
    t.word = ReadRun(&i_, &t.capitalised);
    t.month = MonthOf(t.word);
    out_.push_back(std::move(t));
  }

  // Skips spaces from j; returns the position of the next non-space.
  size_t SkipSpaces(size_t j) const {
    while (j < s_.size() && s_[j] == U' ') ++j;
    return j;
  }

  void Number() {
    GradeToken t;
    t.type = GradeToken::Type::kNumber;
    if (IsCurrency(s_[i_])) {
      t.kind = NumberKind::kMoney;
      ++i_;
    }
    if (s_[i_] == U'\'') {
      t.apostrophe = true;
      ++i_;
    }
    // Digits with inner separators: a separator counts only between digits.
    size_t start = i_;
    bool has_slash = false, has_dash = false;
    while (i_ < s_.size()) {
      char32_t c = s_[i_];
      if (IsDigit(c)) {
        ++i_;
      } else if ((c == U',' || c == U'.' || c == U'/' || c == U'-') &&
                 NextIsDigit(i_ + 1)) {
        has_slash |= c == U'/';
        has_dash |= c == U'-';
        ++i_;
      } else {
        break;
      }
    }
    std::u32string_view raw(s_.data() + start, i_ - start);
    if (has_slash || has_dash) {
      SplitCompound(raw, has_slash ? U'/' : U'-', t);
      return;
    }
    int digits = 0;
    ParseDigits(raw, &t.value, &t.precision, &digits);
    bool integer = t.precision == 1;
    // A suffix glued to the digits: "5.8mil", "20th", "50s", "33%".
    size_t j = i_;
    if (j < s_.size() && IsLetter(s_[j])) {
      size_t k = j;
      std::u32string suffix = ReadRun(&k, nullptr);
      if (double scale = ScaleOf(suffix); scale != 0) {
        Scale(t, scale);
        i_ = k;
      } else if (integer && IsOrdinalSuffix(suffix)) {
        t.ordinal = true;
        i_ = k;
      } else if (integer && suffix == U"s") {
        t.kind = NumberKind::kDecade;
        i_ = k;
      }
    } else if (j + 1 < s_.size() && s_[j] == U'\'' && s_[j + 1] == U's') {
      t.kind = NumberKind::kDecade;  // 1950's
      i_ = j + 2;
    }
    // Separate words: "5.8 million", "33 %", "300 million dollars".
    for (int round = 0; round < 2; ++round) SuffixWord(t);
    if (i_ < s_.size() && s_[i_] == U'%') {
      t.kind = NumberKind::kPercent;
      ++i_;
    }
    t.two_digit =
        integer && digits == 2 && !t.ordinal &&
        (t.kind == NumberKind::kPlain || t.kind == NumberKind::kDecade) &&
        t.precision == 1 && t.value < 100;
    if (t.kind == NumberKind::kDecade) t.precision = 1;
    out_.push_back(std::move(t));
  }

  void SuffixWord(GradeToken& t) {
    size_t k = SkipSpaces(i_);
    if (k < s_.size() && s_[k] == U'%') {
      t.kind = NumberKind::kPercent;
      i_ = k + 1;
    } else if (k < s_.size() && IsLetter(s_[k]) &&
               t.kind != NumberKind::kDecade) {
      size_t e = k;
      std::u32string w = ReadRun(&e, nullptr);
      double scale = ScaleOf(w);
      bool scaled = t.precision > 1;
      if (scale != 0 && w != U"m" && w != U"b" && !scaled) {
        Scale(t, scale);
        i_ = e;
      } else if (w == U"percent" || w == U"pct" || w == U"pc") {
        t.kind = NumberKind::kPercent;
        i_ = e;
      } else if (w == U"per" && SkipSpaces(e) < s_.size()) {
        size_t f = SkipSpaces(e);
        std::u32string w2 = ReadRun(&f, nullptr);
        if (w2 == U"cent") {
          t.kind = NumberKind::kPercent;
          i_ = f;
        }
      } else if (w == U"dollars" || w == U"dollar" || w == U"usd" ||
                 w == U"pounds" || w == U"euros") {
        t.kind = NumberKind::kMoney;
        i_ = e;
      }
    }
  }

  static void Scale(GradeToken& t, double scale) {
    t.value *= scale;
    t.precision *= scale;
  }

  // "15/04/2014", "1955-05-14", "1953-54", "1902-1988".
  void SplitCompound(std::u32string_view raw, char32_t sep, GradeToken base) {
    std::vector<std::u32string_view> parts;
    size_t from = 0;
    for (size_t k = 0; k <= raw.size(); ++k) {
      if (k == raw.size() || raw[k] == U'/' || raw[k] == U'-') {
        parts.push_back(raw.substr(from, k - from));
        from = k + 1;
      }
    }
    std::vector<int> v;
    std::vector<size_t> len;
    for (auto p : parts) {
      double value = 0, precision = 1;
      int digits = 0;
      ParseDigits(p, &value, &precision, &digits);
      v.push_back(static_cast<int>(std::min(value, 1e9)));
      len.push_back(p.size());
    }
    GradeToken d;
    d.type = GradeToken::Type::kDate;
    if (parts.size() == 3 && sep == U'-' && len[0] == 4 && v[1] >= 1 &&
        v[1] <= 12 && v[2] >= 1 && v[2] <= 31) {
      d.year = v[0];
      d.date_month = v[1];
      d.day = v[2];
      out_.push_back(d);
      return;
    }
    if (parts.size() == 3 && v[1] >= 1 && v[1] <= 12 && v[0] >= 1 &&
        v[0] <= 31) {
      // Day first, as in the UK and Spain.
      d.day = v[0];
      d.date_month = v[1];
      d.year = v[2];
      d.two_digit = len[2] == 2;
      out_.push_back(d);
      return;
    }
    if (parts.size() == 2 && sep == U'/' && v[0] >= 1 && v[0] <= 12 &&
        (len[1] == 4 || len[1] == 2)) {
      d.date_month = v[0];  // 04/2014
      d.year = v[1];
      d.two_digit = len[1] == 2;
      out_.push_back(d);
      return;
    }
    // A range, or numbers that happen to touch: one number token each. The
    // second year of "1953-54" takes the first one's century.
    for (size_t k = 0; k < parts.size(); ++k) {
      GradeToken t = base;
      t.type = GradeToken::Type::kNumber;
      t.value = v[k];
      t.precision = 1;
      t.two_digit = len[k] == 2;
      if (k > 0 && sep == U'-' && len[k] == 2 && len[k - 1] == 4) {
        int century = v[k - 1] / 100 * 100;
        t.value =
            century + v[k] < v[k - 1] ? century + 100 + v[k] : century + v[k];
        t.two_digit = false;
      }
      out_.push_back(t);
      base.apostrophe = false;
    }
  }

  static bool IsDayNumber(const GradeToken& t) {
    return t.type == GradeToken::Type::kNumber &&
           t.kind == NumberKind::kPlain && t.precision == 1 && t.value >= 1 &&
           t.value <= 31 && !t.apostrophe;
  }
  static bool IsYearNumber(const GradeToken& t) {
    return t.type == GradeToken::Type::kNumber &&
           t.kind == NumberKind::kPlain && t.precision == 1 && !t.ordinal &&
           t.value >= 0 && t.value < 10000 &&
           (t.value >= 32 || t.apostrophe || t.two_digit);
  }
  static bool IsFiller(const GradeToken& t) {
    return t.type == GradeToken::Type::kWord &&
           (t.word == U"of" || t.word == U"de");
  }

  // Joins "14 May 1955", "May 14 1955", "14th of May 1955" and "July 1953"
  // into date tokens.
  void AssembleDates() {
    std::vector<GradeToken> out;
    const auto& t = out_;
    size_t n = t.size();
    for (size_t k = 0; k < n;) {
      auto at = [&](size_t j) -> const GradeToken* {
        return j < n ? &t[j] : nullptr;
      };
      // day [of] month [of] year
      if (IsDayNumber(t[k]) || (t[k].ordinal && t[k].value <= 31)) {
        size_t j = k + 1;
        if (at(j) != nullptr && IsFiller(t[j])) ++j;
        if (at(j) != nullptr && t[j].month != 0) {
          size_t y = j + 1;
          if (at(y) != nullptr && IsFiller(t[y])) ++y;
          if (at(y) != nullptr && IsYearNumber(t[y])) {
            out.push_back(
                MakeDate(t[y], t[j].month, static_cast<int>(t[k].value)));
            k = y + 1;
            continue;
          }
        }
      }
      if (t[k].month != 0) {
        size_t j = k + 1;
        // month day year
        if (at(j) != nullptr && at(j + 1) != nullptr &&
            (IsDayNumber(t[j]) || (t[j].ordinal && t[j].value <= 31)) &&
            IsYearNumber(t[j + 1]) && t[j + 1].value >= 32) {
          out.push_back(
              MakeDate(t[j + 1], t[k].month, static_cast<int>(t[j].value)));
          k = j + 2;
          continue;
        }
        if (at(j) != nullptr && IsFiller(t[j])) ++j;
        // month year
        if (at(j) != nullptr && IsYearNumber(t[j]) &&
            (t[j].value >= 32 || t[j].apostrophe)) {
          out.push_back(MakeDate(t[j], t[k].month, 0));
          k = j + 1;
          continue;
        }
      }
      out.push_back(t[k]);
      ++k;
    }
    out_ = std::move(out);
  }

  static GradeToken MakeDate(const GradeToken& year, int month, int day) {
    GradeToken d;
    d.type = GradeToken::Type::kDate;
    d.year = static_cast<int>(year.value);
    d.two_digit = year.two_digit || year.apostrophe;
    d.apostrophe = year.apostrophe;
    d.date_month = month;
    d.day = day;
    return d;
  }

  std::u32string s_;
  size_t i_ = 0;
  std::vector<GradeToken> out_;
};

}  // namespace

std::u32string FoldForGrading(std::string_view text) {
  return Fold(text, true);
}

}  // namespace mindcards::detail

namespace mindcards::detail {

std::string NormalizeForGrading(std::string_view text) {
  std::u32string folded = FoldForGrading(text);
  std::string out;
  bool space = false;
  for (char32_t c : folded) {
    if (IsLetter(c) || IsDigit(c)) {
      if (space && !out.empty()) out.push_back(' ');
      space = false;
      AppendUtf8(c, &out);
    } else if (c != U'\'') {
      space = true;
    }
  }
  return out;
}

std::vector<GradeToken> Tokenize(std::string_view text) {
  return Tokenizer(Fold(text, false)).Run();
}

}  // namespace mindcards::detail
