// Grading typed answers: token-by-token comparison with number, date, year
// and typo rules, then list matching with partial credit.
#include "mindcards/grade.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "mindcards/text.h"
#include "study/grade_tokens.h"

namespace mindcards {
namespace {

using detail::GradeToken;
using detail::NumberKind;
using Tokens = std::vector<GradeToken>;
using Type = GradeToken::Type;

// Accepting kinds, best first; kWrong means "no match".
int Rank(MatchKind k) {
  switch (k) {
    case MatchKind::kExact:
      return 0;
    case MatchKind::kNumber:
      return 1;
    case MatchKind::kYear:
      return 2;
    case MatchKind::kTypo:
      return 3;
    default:
      return 9;
  }
}
MatchKind Worse(MatchKind a, MatchKind b) { return Rank(a) >= Rank(b) ? a : b; }
MatchKind Better(MatchKind a, MatchKind b) {
  return Rank(a) <= Rank(b) ? a : b;
}
bool Accepted(MatchKind k) { return Rank(k) < 9; }

bool HasDigit(std::u32string_view w) {
  return std::any_of(w.begin(), w.end(),
                     [](char32_t c) { return c >= U'0' && c <= U'9'; });
}

size_t TypoBudget(size_t length) {
  if (length <= 3) return 0;
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return length / 5;
}

// Roman numeral value of a canonical numeral ("xx" = 20), or 0.
int RomanValue(std::u32string_view w) {
  if (w.empty() || w.size() > 12) return 0;
  auto digit = [](char32_t c) {
    switch (c) {
      case U'i':
        return 1;
      case U'v':
        return 5;
      case U'x':
        return 10;
      case U'l':
        return 50;
      case U'c':
        return 100;
      case U'd':
        return 500;
      case U'm':
        return 1000;
      default:
        return 0;
    }
  };
  int total = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    int v = digit(w[i]);
    if (v == 0) return 0;
    int next = i + 1 < w.size() ? digit(w[i + 1]) : 0;
    total += v < next ? -v : v;
  }
  if (total <= 0 || total >= 4000) return 0;
  // Canonical form only, so that "mix" or "civil" never count.
  static constexpr std::pair<int, std::u32string_view> kParts[] = {
      {1000, U"m"}, {900, U"cm"}, {500, U"d"}, {400, U"cd"}, {100, U"c"},
      {90, U"xc"},  {50, U"l"},   {40, U"xl"}, {10, U"x"},   {9, U"ix"},
      {5, U"v"},    {4, U"iv"},   {1, U"i"}};
  std::u32string canonical;
  int rest = total;
  for (const auto& [value, text] : kParts) {
    while (rest >= value) {
      canonical += text;
      rest -= value;
    }
  }
  return canonical == w ? total : 0;
}

int NumberWordValue(std::u32string_view w) {
  static constexpr std::u32string_view kSmall[] = {
      U"zero",    U"one",     U"two",       U"three",    U"four",
      U"five",    U"six",     U"seven",     U"eight",    U"nine",
      U"ten",     U"eleven",  U"twelve",    U"thirteen", U"fourteen",
      U"fifteen", U"sixteen", U"seventeen", U"eighteen", U"nineteen",
      U"twenty"};
  for (int i = 0; i <= 20; ++i) {
    if (w == kSmall[i]) return i;
  }
  static constexpr std::u32string_view kOrdinal[] = {
      U"",      U"first",   U"second", U"third", U"fourth", U"fifth",
      U"sixth", U"seventh", U"eighth", U"ninth", U"tenth"};
  for (int i = 1; i <= 10; ++i) {
    if (w == kOrdinal[i]) return i;
  }
  if (w == U"thirty") return 30;
  if (w == U"forty") return 40;
  if (w == U"fifty") return 50;
  if (w == U"sixty") return 60;
  if (w == U"seventy") return 70;
  if (w == U"eighty") return 80;
  if (w == U"ninety") return 90;
  if (w == U"hundred") return 100;
  return -1;
}

// A year written "55" or "'55" equals 1955 when the era (or, for "'55", the
// other side's century) says so.
// Whether a number is small enough to be read as a year (and converted to
// int without overflow): "91555555555555555554" is not 1955.
bool CanBeYear(double value) { return std::fabs(value) < 1e6; }

MatchKind YearsMatch(const GradeToken& e, int e_value, const GradeToken& a,
                     int a_value, int era) {
  bool e_short = e.two_digit || e.apostrophe;
  bool a_short = a.two_digit || a.apostrophe;
  if (e_short == a_short) {
    return e_value == a_value ? MatchKind::kExact : MatchKind::kWrong;
  }
  const GradeToken& s = e_short ? e : a;
  int short_value = e_short ? e_value : a_value;
  int full = e_short ? a_value : e_value;
  if (full < 1000 || full > 2999) return MatchKind::kWrong;
  if (era != 0 && era + short_value == full) return MatchKind::kYear;
  if (era == 0 && s.apostrophe && full % 100 == short_value) {
    return MatchKind::kYear;
  }
  return MatchKind::kWrong;
}

MatchKind NumbersMatch(const GradeToken& e, const GradeToken& a, int era) {
  bool e_decade = e.kind == NumberKind::kDecade;
  bool a_decade = a.kind == NumberKind::kDecade;
  if (e_decade != a_decade) return MatchKind::kWrong;
  if (a.kind == NumberKind::kPercent && e.kind != NumberKind::kPercent) {
    return MatchKind::kWrong;
  }
  if (e.kind != NumberKind::kPlain && a.kind != NumberKind::kPlain &&
      e.kind != a.kind) {
    return MatchKind::kWrong;
  }
  bool e_short = e.two_digit || e.apostrophe;
  bool a_short = a.two_digit || a.apostrophe;
  if (e_short != a_short && e.precision == 1 && a.precision == 1 &&
      !e.ordinal && !a.ordinal && CanBeYear(e.value) && CanBeYear(a.value)) {
    return YearsMatch(e, static_cast<int>(e.value), a,
                      static_cast<int>(a.value), era);
  }
  double tolerance = e.precision / 2 * (1 + 1e-9);
  if (std::fabs(a.value - e.value) > tolerance) return MatchKind::kWrong;
  return a.value == e.value && a.precision == e.precision ? MatchKind::kExact
                                                          : MatchKind::kNumber;
}

MatchKind DatesMatch(const GradeToken& e, const GradeToken& a, int era) {
  if (e.date_month != a.date_month) return MatchKind::kWrong;
  if (e.day != 0 && e.day != a.day) return MatchKind::kWrong;
  MatchKind year = YearsMatch(e, e.year, a, a.year, era);
  if (!Accepted(year)) return year;
  return Worse(year, e.day == a.day ? MatchKind::kExact : MatchKind::kNumber);
}

MatchKind TokensMatch(const GradeToken& e, const GradeToken& a, int era) {
  if (e.type == Type::kWord && a.type == Type::kWord) {
    if (e.word == a.word) return MatchKind::kExact;
    if (e.month != 0 && e.month == a.month) return MatchKind::kExact;
    if (HasDigit(e.word) || HasDigit(a.word)) return MatchKind::kWrong;
    // Maps abbreviate names to an initial ("K" for Khrushchev): a name
    // with that initial is accepted.
    if (e.word.size() == 1 && e.capitalised && a.word.size() >= 3 &&
        a.word[0] == e.word[0]) {
      return MatchKind::kTypo;
    }
    size_t budget = TypoBudget(e.word.size());
    if (budget == 0) return MatchKind::kWrong;
    return detail::OsaDistance(e.word, a.word, budget) <= budget
               ? MatchKind::kTypo
               : MatchKind::kWrong;
  }
  if (e.type == Type::kNumber && a.type == Type::kNumber) {
    return NumbersMatch(e, a, era);
  }
  if (e.type == Type::kDate && a.type == Type::kDate) {
    return DatesMatch(e, a, era);
  }
  if (e.type == Type::kNumber && a.type == Type::kDate) {
    // "1955" answered "May 1955": more precise, same year.
    if (e.precision != 1 || e.kind != NumberKind::kPlain ||
        !CanBeYear(e.value)) {
      return MatchKind::kWrong;
    }
    return Accepted(YearsMatch(e, static_cast<int>(e.value), a, a.year, era))
               ? MatchKind::kNumber
               : MatchKind::kWrong;
  }
  // A number against a word: Roman numerals ("XX" for "20th") and number
  // words ("five").
  const GradeToken* number = nullptr;
  const GradeToken* word = nullptr;
  if (e.type == Type::kNumber && a.type == Type::kWord) {
    number = &e;
    word = &a;
  } else if (e.type == Type::kWord && a.type == Type::kNumber) {
    number = &a;
    word = &e;
  }
  if (number == nullptr || number->precision != 1 ||
      number->kind != NumberKind::kPlain) {
    return MatchKind::kWrong;
  }
  int value = NumberWordValue(word->word);
  if (value < 0 && number->ordinal) value = RomanValue(word->word);
  if (value < 0 && word->word.size() >= 2) value = RomanValue(word->word);
  return value > 0 && value == number->value ? MatchKind::kNumber
                                             : MatchKind::kWrong;
}

// Pairwise, in order.
MatchKind SequenceMatch(std::span<const GradeToken> e,
                        std::span<const GradeToken> a, int era) {
  if (e.size() != a.size() || e.empty()) return MatchKind::kWrong;
  MatchKind worst = MatchKind::kExact;
  for (size_t i = 0; i < e.size(); ++i) {
    worst = Worse(worst, TokensMatch(e[i], a[i], era));
    if (!Accepted(worst)) return worst;
  }
  return worst;
}

bool IsWord(const GradeToken& t, std::u32string_view w) {
  return t.type == Type::kWord && t.word == w;
}

bool IsArticle(const GradeToken& t) {
  if (t.type != Type::kWord) return false;
  static constexpr std::u32string_view kArticles[] = {
      U"the", U"a", U"an", U"el", U"la", U"los", U"las", U"le", U"les"};
  return std::find(std::begin(kArticles), std::end(kArticles), t.word) !=
         std::end(kArticles);
}

bool IsFiller(const GradeToken& t) {
  if (t.type != Type::kWord) return false;
  static constexpr std::u32string_view kFillers[] = {
      U"in",      U"on",   U"at",  U"by",     U"it",
      U"was",     U"is",   U"its", U"about",  U"around",
      U"circa",   U"c",    U"ca",  U"approx", U"approximately",
      U"roughly", U"year", U"the", U"a",      U"an",
      U"of"};
  return std::find(std::begin(kFillers), std::end(kFillers), t.word) !=
         std::end(kFillers);
}

bool IsNegation(const GradeToken& t) {
  return IsWord(t, U"not") || IsWord(t, U"no") || IsWord(t, U"never") ||
         IsWord(t, U"nor") || IsWord(t, U"non") || IsWord(t, U"without");
}

Tokens DropLeadingArticles(Tokens t) {
  size_t k = 0;
  while (k + 1 < t.size() && IsArticle(t[k])) ++k;
  t.erase(t.begin(), t.begin() + static_cast<std::ptrdiff_t>(k));
  return t;
}

std::u32string Joined(const Tokens& t) {
  std::u32string out;
  for (const GradeToken& x : t) {
    if (x.type != Type::kWord) return U"";
    out += x.word;
  }
  return out;
}

// An answer that is a person's or place's name: every word capitalised.
bool IsName(const Tokens& t) {
  return t.size() >= 2 && std::all_of(t.begin(), t.end(), [](const auto& x) {
           return x.type == Type::kWord && x.capitalised;
         });
}

bool IsQualifier(const GradeToken& t) {
  static constexpr std::u32string_view kWords[] = {
      U"north", U"south", U"east",  U"west",   U"new",    U"old",
      U"upper", U"lower", U"great", U"little", U"united", U"saint",
      U"st",    U"san",   U"first", U"second", U"third"};
  return std::find(std::begin(kWords), std::end(kWords), t.word) !=
         std::end(kWords);
}

// One expected answer in its accepted forms: as written, without the parts
// in parentheses, and each alternative of "A / B" or "A or B".
struct Expected {
  std::string text;
  std::vector<Tokens> variants;
};

std::string WithoutParentheses(std::string_view text) {
  std::string out;
  int depth = 0;
  for (char c : text) {
    if (c == '(' || c == '[') {
      ++depth;
    } else if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0) {
      out.push_back(c);
    }
  }
  return out;
}

// Splits on " / ", "/" between letters, and " or ".
std::vector<std::string> Alternatives(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool slash =
        c == '/' &&
        !(i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1])) != 0);
    bool word_or = text.substr(i, 4) == " or " && i > 0;
    if (slash || word_or) {
      out.push_back(current);
      current.clear();
      if (word_or) i += 3;
      continue;
    }
    current.push_back(c);
  }
  out.push_back(current);
  return out.size() > 1 ? out : std::vector<std::string>();
}

Expected MakeExpected(std::string_view text) {
  Expected e;
  e.text = std::string(Trim(text));
  auto add = [&](std::string_view t) {
    Tokens tokens = DropLeadingArticles(detail::Tokenize(t));
    if (tokens.empty()) return;
    for (const Tokens& v : e.variants) {
      if (v.size() == tokens.size() && Accepted(SequenceMatch(v, tokens, 0)) &&
          Rank(SequenceMatch(v, tokens, 0)) == 0) {
        return;
      }
    }
    e.variants.push_back(std::move(tokens));
  };
  add(text);
  std::string bare = WithoutParentheses(text);
  if (bare.size() != text.size()) add(bare);
  for (const std::string& alt : Alternatives(text)) {
    add(alt);
    std::string alt_bare = WithoutParentheses(alt);
    if (alt_bare.size() != alt.size()) add(alt_bare);
  }
  return e;
}

size_t CountNegations(std::span<const GradeToken> t) {
  return static_cast<size_t>(std::count_if(t.begin(), t.end(), IsNegation));
}

// How well typed tokens `a` answer one expected variant `v`.
MatchKind VariantMatch(const Tokens& v, const Tokens& a, int era) {
  if (CountNegations(v) != CountNegations(a)) return MatchKind::kWrong;
  MatchKind best = SequenceMatch(v, a, era);
  if (Rank(best) == 0) return best;
  std::u32string jv = Joined(v);
  if (!jv.empty() && jv == Joined(a)) return MatchKind::kExact;
  // Fillers the student added ("in 55", "it was Khrushchev").
  Tokens trimmed;
  for (const GradeToken& t : a) {
    if (!IsFiller(t)) trimmed.push_back(t);
  }
  Tokens v_trimmed;
  for (const GradeToken& t : v) {
    if (!IsFiller(t)) v_trimmed.push_back(t);
  }
  if (!trimmed.empty() &&
      (trimmed.size() != a.size() || v_trimmed.size() != v.size())) {
    best = Better(
        best, SequenceMatch(v_trimmed.empty() ? v : v_trimmed, trimmed, era));
  }
  // A name given without, or with, its first part: "Khrushchev" for
  // "Nikita Khrushchev", "Georgy Malenkov" for "Malenkov".
  if (IsName(v) && a.size() + 1 == v.size() && !IsQualifier(v[0])) {
    MatchKind rest = SequenceMatch(std::span(v).subspan(1), a, era);
    if (Accepted(rest) && v.back().word.size() >= 4) {
      best = Better(best, Worse(rest, MatchKind::kTypo));
    }
  }
  if (v.size() == 1 && v[0].type == Type::kWord && v[0].capitalised &&
      a.size() == 2 && a[1].type == Type::kWord && v[0].word.size() >= 4) {
    MatchKind rest = SequenceMatch(v, std::span(a).subspan(1), era);
    if (Accepted(rest)) best = Better(best, Worse(rest, MatchKind::kTypo));
  }
  return best;
}

MatchKind ItemMatch(const Expected& e, const Tokens& a, int era) {
  MatchKind best = MatchKind::kWrong;
  for (const Tokens& v : e.variants)
    best = Better(best, VariantMatch(v, a, era));
  return best;
}

// Splits a list answer into items: lines, ";", ",", "•", " and ", " & ". A
// comma between digits ("5,800") does not split.
std::vector<std::string> SplitItems(std::string_view text, bool split_lists) {
  std::vector<std::string> items;
  std::string current;
  auto flush = [&] {
    std::string_view t = Trim(current);
    while (!t.empty() && (t.front() == '-' || t.front() == '*')) {
      t.remove_prefix(1);
      t = Trim(t);
    }
    if (!t.empty()) items.emplace_back(t);
    current.clear();
  };
  auto digit = [&](size_t i) {
    return i < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[i])) != 0;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      flush();
      continue;
    }
    if (split_lists) {
      if (c == ';' || (c == ',' && !(i > 0 && digit(i - 1) && digit(i + 1)))) {
        flush();
        continue;
      }
      if (text.substr(i, 3) == "\xE2\x80\xA2") {  // U+2022 bullet
        flush();
        i += 2;
        continue;
      }
      if (text.substr(i, 5) == " and " || text.substr(i, 5) == " AND ") {
        flush();
        i += 4;
        continue;
      }
      if (text.substr(i, 3) == " & ") {
        flush();
        i += 2;
        continue;
      }
    }
    current.push_back(c);
  }
  flush();
  return items;
}

std::string JoinItems(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, "; "));
}

int SuggestRating(const Grade& g, const GradeOptions& options) {
  if (g.how == MatchKind::kEmpty) return 0;
  if (g.correct) {
    bool fast = options.response_ms >= 0 &&
                options.response_ms <= options.easy_ms &&
                g.how != MatchKind::kTypo;
    return fast ? 4 : 3;
  }
  if (g.score >= 0.5) return 2;
  return 1;
}

bool TypedNothing(std::string_view answer) {
  return Trim(answer).empty() || detail::Tokenize(answer).empty();
}

struct TypedItem {
  std::string text;
  Tokens tokens;
  std::vector<bool> used;
  bool AnyUsed() const {
    return std::any_of(used.begin(), used.end(), [](bool b) { return b; });
  }
};

// Matches each expected item to typed items (whole items first, then runs
// of tokens inside them). Returns, per expected item, the typed position
// (item * 65536 + token) it matched, or -1, and the worst kind accepted.
std::vector<int64_t> MatchItems(const std::vector<Expected>& expected,
                                std::vector<TypedItem>& typed, int era,
                                MatchKind* worst) {
  std::vector<int64_t> where(expected.size(), -1);
  *worst = MatchKind::kExact;
  for (int pass = 0; pass < 2; ++pass) {
    auto good = [&](MatchKind k) {
      return pass == 0 ? Rank(k) < Rank(MatchKind::kTypo) : Accepted(k);
    };
    for (size_t i = 0; i < expected.size(); ++i) {
      if (where[i] >= 0) continue;
      for (size_t t = 0; t < typed.size() && where[i] < 0; ++t) {
        TypedItem& item = typed[t];
        if (item.AnyUsed() || item.tokens.empty()) continue;
        MatchKind k = ItemMatch(expected[i], item.tokens, era);
        if (good(k)) {
          std::fill(item.used.begin(), item.used.end(), true);
          where[i] = static_cast<int64_t>(t) * 65536;
          *worst = Worse(*worst, k);
        }
      }
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (where[i] >= 0) continue;
      for (const Tokens& v : expected[i].variants) {
        for (size_t t = 0; t < typed.size() && where[i] < 0; ++t) {
          TypedItem& item = typed[t];
          for (size_t s = 0; s + v.size() <= item.tokens.size(); ++s) {
            bool free = true;
            for (size_t k = s; k < s + v.size(); ++k) free &= !item.used[k];
            if (!free) continue;
            MatchKind k = SequenceMatch(
                v, std::span(item.tokens).subspan(s, v.size()), era);
            if (good(k)) {
              for (size_t x = s; x < s + v.size(); ++x) item.used[x] = true;
              where[i] =
                  static_cast<int64_t>(t) * 65536 + static_cast<int64_t>(s);
              *worst = Worse(*worst, k);
              break;
            }
          }
        }
        if (where[i] >= 0) break;
      }
    }
  }
  return where;
}

size_t LongestIncreasingRun(const std::vector<int64_t>& where) {
  std::vector<int64_t> tails;
  for (int64_t w : where) {
    if (w < 0) continue;
    auto it = std::lower_bound(tails.begin(), tails.end(), w);
    if (it == tails.end()) {
      tails.push_back(w);
    } else {
      *it = w;
    }
  }
  return tails.size();
}

Grade GradeItems(std::string_view answer, const std::vector<std::string>& items,
                 bool ordered, const GradeOptions& options) {
  Grade g;
  // Lists this long are not answers a student types; bound the quadratic
  // matching below.
  constexpr size_t kMaxItems = 128;
  std::vector<Expected> expected;
  for (const std::string& item : items) {
    if (expected.size() == kMaxItems) break;
    Expected e = MakeExpected(item);
    if (!e.variants.empty()) expected.push_back(std::move(e));
  }
  std::vector<TypedItem> typed;
  for (std::string& text : SplitItems(answer, true)) {
    if (typed.size() == kMaxItems) break;
    TypedItem t;
    t.tokens = DropLeadingArticles(detail::Tokenize(text));
    t.used.assign(t.tokens.size(), false);
    t.text = std::move(text);
    typed.push_back(std::move(t));
  }
  MatchKind worst = MatchKind::kExact;
  std::vector<int64_t> where =
      MatchItems(expected, typed, options.era_century, &worst);
  size_t matched = static_cast<size_t>(std::count_if(
      where.begin(), where.end(), [](int64_t w) { return w >= 0; }));
  size_t credited = ordered ? LongestIncreasingRun(where) : matched;
  size_t n = std::max<size_t>(expected.size(), 1);
  g.score = static_cast<double>(credited) / static_cast<double>(n);
  g.correct = !expected.empty() && credited == expected.size();
  for (size_t i = 0; i < expected.size(); ++i) {
    if (where[i] < 0) g.missed.push_back(expected[i].text);
  }
  for (const TypedItem& t : typed) {
    if (!t.AnyUsed() && !t.tokens.empty()) g.extra.push_back(t.text);
  }
  g.how = matched == 0 ? MatchKind::kWrong : MatchKind::kList;
  if (g.correct) {
    g.feedback = worst == MatchKind::kTypo
                     ? fmt::format(
                           "Correct: all {} items (check the "
                           "spelling: {}).",
                           expected.size(), JoinItems(items))
                     : fmt::format("Correct: all {} items.", expected.size());
  } else if (matched == 0) {
    g.feedback = fmt::format("Not quite: the answer is {}.", JoinItems(items));
  } else if (ordered && credited < matched) {
    g.feedback = fmt::format("{} of {} in the right order; the order is {}.",
                             credited, expected.size(), JoinItems(items));
  } else {
    g.feedback = fmt::format("{} of {}: missing {}.", matched, expected.size(),
                             JoinItems(g.missed));
  }
  return g;
}

}  // namespace

std::string_view MatchKindName(MatchKind kind) {
  switch (kind) {
    case MatchKind::kEmpty:
      return "empty";
    case MatchKind::kExact:
      return "exact";
    case MatchKind::kNumber:
      return "number";
    case MatchKind::kYear:
      return "year";
    case MatchKind::kTypo:
      return "typo";
    case MatchKind::kList:
      return "list";
    case MatchKind::kWrong:
      return "wrong";
  }
  return "wrong";
}

namespace {

// Bounds the work on hostile input (list matching is quadratic).
constexpr size_t kMaxGradedBytes = 16 * 1024;

std::string_view Bounded(std::string_view text) {
  return text.substr(0, std::min(text.size(), kMaxGradedBytes));
}

}  // namespace

Grade GradeAnswer(std::string_view answer, std::string_view expected,
                  const GradeOptions& options) {
  answer = Bounded(answer);
  expected = Bounded(expected);
  Grade g;
  std::string shown(Trim(expected));
  if (TypedNothing(answer)) {
    g.how = MatchKind::kEmpty;
    g.feedback = fmt::format("The answer is {}.", shown);
    return g;
  }
  Expected e = MakeExpected(expected);
  Tokens typed = DropLeadingArticles(detail::Tokenize(answer));
  MatchKind how = ItemMatch(e, typed, options.era_century);
  if (Accepted(how)) {
    g.score = 1;
    g.correct = true;
    g.how = how;
    g.feedback = how == MatchKind::kTypo
                     ? fmt::format("Correct (check the spelling: {}).", shown)
                     : std::string("Correct.");
  } else {
    std::vector<std::string> items = SplitItems(expected, options.split_lists);
    if (items.size() >= 2) {
      g = GradeItems(answer, items, false, options);
    } else {
      g.how = MatchKind::kWrong;
      g.feedback = fmt::format("Not quite: the answer is {}.", shown);
    }
  }
  g.suggested_rating = SuggestRating(g, options);
  return g;
}

Grade GradeList(std::string_view answer, std::span<const std::string> items,
                bool ordered, const GradeOptions& options) {
  answer = Bounded(answer);
  std::vector<std::string> list;
  size_t bytes = 0;
  for (const std::string& item : items) {
    bytes += item.size();
    if (bytes > kMaxGradedBytes) break;
    list.push_back(item);
  }
  if (list.size() == 1 && !ordered)
    return GradeAnswer(answer, list[0], options);
  Grade g;
  if (TypedNothing(answer)) {
    g.how = MatchKind::kEmpty;
    g.feedback = fmt::format("The answer is {}.", JoinItems(list));
    return g;
  }
  g = GradeItems(answer, list, ordered, options);
  g.suggested_rating = SuggestRating(g, options);
  return g;
}

Grade GradeCard(std::string_view answer, const Card& card,
                int64_t response_ms) {
  GradeOptions options;
  options.era_century = card.era;
  options.response_ms = response_ms;
  std::string typed(Trim(answer));
  if (card.kind == CardKind::kChoice && !typed.empty() && typed.size() <= 2 &&
      std::all_of(typed.begin(), typed.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    size_t k = static_cast<size_t>(std::stoi(typed));
    if (k >= 1 && k <= card.choices.size()) typed = card.choices[k - 1];
  }
  if (card.is_list && !card.answers.empty()) {
    return GradeList(typed, card.answers, card.ordered, options);
  }
  std::string_view expected =
      card.answers.empty() ? std::string_view(card.back) : card.answers[0];
  return GradeAnswer(typed, expected, options);
}

namespace detail {

size_t OsaDistance(std::u32string_view a, std::u32string_view b, size_t limit) {
  size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  // Three rows of the dynamic programme: i-2, i-1 and i.
  std::vector<size_t> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      size_t v = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        v = std::min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      row_min = std::min(row_min, v);
    }
    if (row_min > limit) return limit + 1;
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return std::min(prev[m], limit + 1);
}

}  // namespace detail
}  // namespace mindcards
