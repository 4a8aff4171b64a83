// Fact extraction: a hand-written scanner over each node's text (no regex
// engine, so the time is linear and nothing recurses). Dates are matched
// first, then quantities, quotes and names over what dates left.
#include "mindcards/facts.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <span>
#include <string>
#include <unordered_map>

#include "core/both_threads.h"
#include "mindcards/text.h"
#include "study/facts_internal.h"

namespace mindcards {
namespace {

using study::IsAsciiAlpha;
using study::IsDigit;

// A word lower-cased into a small buffer (no allocation); longer words
// compare equal to nothing.
class SmallLower {
 public:
  explicit SmallLower(std::string_view s) {
    if (s.size() > sizeof(buf_)) return;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      buf_[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
    n_ = s.size();
    ok_ = true;
  }
  std::string_view view() const {
    return ok_ ? std::string_view(buf_, n_) : std::string_view("\x01");
  }

 private:
  char buf_[24];
  size_t n_ = 0;
  bool ok_ = false;
};

constexpr std::string_view kMonths[] = {
    "january", "february", "march",     "april",   "may",      "june",
    "july",    "august",   "september", "october", "november", "december"};

// Which month a word names (1-12), or 0. Accepts full names and 3-letter
// abbreviations ("Sept" too), in any case.
int MonthOf(std::string_view word) {
  if (word.size() < 3) return 0;
  // Months and their abbreviations start with a, d, f, j, m, n, o or s.
  switch (word[0] | 0x20) {
    case 'a':
    case 'd':
    case 'f':
    case 'j':
    case 'm':
    case 'n':
    case 'o':
    case 's':
      break;
    default:
      return 0;
  }
  SmallLower low(word);
  std::string_view w = low.view();
  if (w == "sept") return 9;
  for (int m = 0; m < 12; ++m) {
    if (w == kMonths[m]) return m + 1;
    // Abbreviation: "jan", "feb"... but not "may" ambiguity (full = abbr).
    if (w.size() == 3 && kMonths[m].substr(0, 3) == w) return m + 1;
  }
  return 0;
}

bool IsPreposition(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "in",    "of",   "since",  "by",     "from",   "until",
      "till",  "to",   "after",  "before", "during", "around",
      "circa", "c",    "summer", "spring", "autumn", "winter",
      "fall",  "year", "en",     "desde",  "hasta"};
  SmallLower low(word);
  std::string_view w = low.view();
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// Words after a number that make it a count rather than a year.
bool IsCountUnit(std::string_view word) {
  static constexpr std::string_view kWords[] = {
      "men",     "people", "troops",     "soldiers", "km",     "miles",
      "tons",    "tonnes", "dollars",    "pounds",   "deaths", "casualties",
      "units",   "copies", "votes",      "members",  "tanks",  "planes",
      "workers", "years",  "kilometres", "metres",   "meters", "kg"};
  SmallLower low(word);
  std::string_view w = low.view();
  for (std::string_view k : kWords) {
    if (w == k) return true;
  }
  return false;
}

// Scale words after a number: "5.8mil", "$300million", "3 bn".
double ScaleOf(std::string_view word) {
  SmallLower low(word);
  std::string_view w = low.view();
  if (w == "k" || w == "thousand" || w == "thousands") return 1e3;
  if (w == "m" || w == "mil" || w == "mill" || w == "million" ||
      w == "millions" || w == "mn" || w == "millones") {
    return 1e6;
  }
  if (w == "bn" || w == "b" || w == "billion" || w == "billions") return 1e9;
  if (w == "tn" || w == "trillion") return 1e12;
  return 0;
}

class Scanner {
 public:
  Scanner(std::string_view text, NodeId node, int era)
      : t_(text), node_(node), era_(era), taken_(text.size(), 0) {}

  // Dates, quantities and quotes, in text order.
  void ScanDatesAndNumbers(std::vector<Fact>* out);
  void ScanQuotes(std::vector<Fact>* out);
  void ScanQuestion(std::vector<Fact>* out);
  bool Taken(size_t b, size_t e) const {
    for (size_t i = b; i < e && i < taken_.size(); ++i) {
      if (taken_[i]) return true;
    }
    return false;
  }

 private:
  bool WordByte(size_t i) const {
    return i < t_.size() && study::IsWordByteAt(t_, i);
  }
  bool BoundaryBefore(size_t p) const { return p == 0 || !WordByte(p - 1); }
  bool BoundaryAfter(size_t p) const { return p >= t_.size() || !WordByte(p); }
  // Reads ASCII digits at p: count and value (value capped).
  size_t Digits(size_t p, int* value) const {
    size_t n = 0;
    long v = 0;
    while (p + n < t_.size() && IsDigit(t_[p + n])) {
      if (v < 100000000) v = v * 10 + (t_[p + n] - '0');
      ++n;
    }
    *value = static_cast<int>(v);
    return n;
  }
  // A word of ASCII letters at p.
  std::string_view AsciiWord(size_t p) const {
    size_t e = p;
    while (e < t_.size() && IsAsciiAlpha(t_[e])) ++e;
    return t_.substr(p, e - p);
  }
  size_t SkipSpaces(size_t p) const {
    while (p < t_.size() && (t_[p] == ' ' || t_[p] == '\t' || t_[p] == '\n'))
      ++p;
    return p;
  }
  // The word ending right before p (skipping spaces), lower case.
  std::string_view PrevWord(size_t p) const {
    while (p > 0 && t_[p - 1] == ' ') --p;
    size_t e = p;
    while (p > 0 && IsAsciiAlpha(t_[p - 1])) --p;
    return t_.substr(p, e - p);
  }
  bool IsApostrophe(size_t p, size_t* len) const {
    if (p < t_.size() && t_[p] == '\'') {
      *len = 1;
      return true;
    }
    if (t_.compare(p, 3, "\xE2\x80\x99") == 0 ||
        t_.compare(p, 3, "\xE2\x80\x98") == 0) {
      *len = 3;
      return true;
    }
    return false;
  }
  int Resolve2(int yy) const { return ResolveTwoDigitYear(yy, era_); }
  void Emit(std::vector<Fact>* out, Fact f) {
    for (size_t i = f.begin; i < f.end; ++i) taken_[i] = 1;
    f.node = node_;
    f.text = std::string(t_.substr(f.begin, f.end - f.begin));
    out->push_back(std::move(f));
  }
  static Fact DateFact(size_t b, size_t e, DatePrecision p, int from, int to,
                       int month = 0, int day = 0) {
    Fact f;
    f.kind = FactKind::kDate;
    f.type = FactType::kDate;
    f.begin = b;
    f.end = e;
    f.precision = p;
    f.year_from = from;
    f.year_to = to;
    f.month = month;
    f.day = day;
    return f;
  }

  bool TryNumericDate(size_t p, Fact* f) const;
  bool TryDayMonthYear(size_t p, Fact* f) const;
  bool TryMonthYear(size_t p, Fact* f) const;
  bool TryDecade(size_t p, size_t begin, int part, Fact* f) const;
  bool TryPartOfDecade(size_t p, Fact* f) const;
  bool TryYear(size_t p, Fact* f) const;
  bool TryQuantity(size_t p, Fact* f) const;

  std::string_view t_;
  NodeId node_;
  int era_;
  std::vector<uint8_t> taken_;
};

// 15/04/2014, 15.04.14, 2014-04-15.
bool Scanner::TryNumericDate(size_t p, Fact* f) const {
  int a, b, c;
  size_t na = Digits(p, &a);
  if (na == 0 || na > 4) return false;
  size_t q = p + na;
  if (q >= t_.size()) return false;
  char sep = t_[q];
  if (sep != '/' && sep != '.' && sep != '-') return false;
  size_t nb = Digits(q + 1, &b);
  if (nb == 0 || nb > 2) return false;
  size_t r = q + 1 + nb;
  if (r >= t_.size() || t_[r] != sep) return false;
  size_t nc = Digits(r + 1, &c);
  size_t e = r + 1 + nc;
  if (!BoundaryAfter(e)) return false;
  int year, month, day;
  if (na == 4 && nc <= 2 && nc > 0) {  // ISO
    year = a, month = b, day = c;
  } else if (na <= 2 && (nc == 4 || nc == 2)) {
    year = nc == 4 ? c : Resolve2(c);
    if (a > 12 || b <= 12) {
      day = a, month = b;  // day first, as Europe writes it
    } else {
      day = b, month = a;
    }
  } else {
    return false;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  *f = DateFact(p, e, DatePrecision::kDay, year, year, month, day);
  return true;
}

// 15 April 2014, 15th April 1955.
bool Scanner::TryDayMonthYear(size_t p, Fact* f) const {
  int day;
  size_t nd = Digits(p, &day);
  if (nd == 0 || nd > 2 || day < 1 || day > 31) return false;
  size_t q = p + nd;
  std::string_view suffix = AsciiWord(q);
  if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th") {
    q += 2;
  } else if (!suffix.empty()) {
    return false;
  }
  q = SkipSpaces(q);
  std::string_view word = AsciiWord(q);
  int month = MonthOf(word);
  if (month == 0) return false;
  q += word.size();
  if (q < t_.size() && t_[q] == '.') ++q;
  q = SkipSpaces(q);
  int year;
  size_t ny = Digits(q, &year);
  if ((ny != 4 && ny != 2) || !BoundaryAfter(q + ny)) return false;
  if (ny == 2) year = Resolve2(year);
  if (year < 1) return false;
  *f = DateFact(p, q + ny, DatePrecision::kDay, year, year, month, day);
  return true;
}

// July 1953, June 53, Jul '53, April 15, 2014.
bool Scanner::TryMonthYear(size_t p, Fact* f) const {
  std::string_view word = AsciiWord(p);
  int month = MonthOf(word);
  if (month == 0 || !BoundaryAfter(p + word.size())) return false;
  size_t q = p + word.size();
  if (q < t_.size() && t_[q] == '.') ++q;
  q = SkipSpaces(q);
  int day = 0;
  {
    int d;
    size_t nd = Digits(q, &d);
    size_t r = q + nd;
    if (nd >= 1 && nd <= 2 && r < t_.size()) {
      std::string_view suffix = AsciiWord(r);
      if (suffix == "st" || suffix == "nd" || suffix == "rd" || suffix == "th")
        r += 2;
      if (r < t_.size() && t_[r] == ',') {
        day = d;
        q = SkipSpaces(r + 1);
      }
    }
  }
  size_t apos = 0;
  if (IsApostrophe(q, &apos)) q += apos;
  int year;
  size_t ny = Digits(q, &year);
  if ((ny != 4 && (ny != 2 || day != 0)) || !BoundaryAfter(q + ny)) {
    return false;
  }
  // "May 50s" is not a date here.
  if (ny == 2) year = Resolve2(year);
  if (year < 1 || (day > 31)) return false;
  *f = DateFact(p, q + ny, day ? DatePrecision::kDay : DatePrecision::kMonth,
                year, year, month, day);
  return true;
}

// Decades at p: "1950s", "50s", "'50s", "1950's". `part`: 0 whole decade,
// 1 early, 2 mid, 3 late, 4 first half, 5 second half.
bool Scanner::TryDecade(size_t p, size_t begin, int part, Fact* f) const {
  size_t apos = 0;
  size_t q = p;
  if (IsApostrophe(q, &apos)) q += apos;
  int v;
  size_t n = Digits(q, &v);
  if (n != 2 && n != 4) return false;
  size_t r = q + n;
  if (IsApostrophe(r, &apos)) r += apos;
  if (r >= t_.size() || t_[r] != 's' || !BoundaryAfter(r + 1)) return false;
  int start = n == 4 ? v : Resolve2(v);
  if (start < 0 || start % 10 != 0) return false;
  int from = start, to = start + 9;
  switch (part) {
    case 1:
      to = start + 3;
      break;
    case 2:
      from = start + 4, to = start + 6;
      break;
    case 3:
      from = start + 7;
      break;
    case 4:
      to = start + 4;
      break;
    case 5:
      from = start + 5;
      break;
    default:
      break;
  }
  *f = DateFact(begin, r + 1,
                part ? DatePrecision::kPartOfDecade : DatePrecision::kDecade,
                from, to);
  return true;
}

// "early 60s", "mid 1950s", "mid-1950s", "late 40s", "2nd half of 50s",
// "first half of the 1960s", "end of 40s", "start of the 50s".
bool Scanner::TryPartOfDecade(size_t p, Fact* f) const {
  std::string_view word = AsciiWord(p);
  if (!word.empty()) {
    // Only early, mid(dle), late, first, second, end, start, beginning.
    char c0 = static_cast<char>(word[0] | 0x20);
    if (c0 != 'e' && c0 != 'm' && c0 != 'l' && c0 != 'f' && c0 != 's' &&
        c0 != 'b') {
      return false;
    }
  }
  SmallLower low(word);
  std::string_view w = low.view();
  size_t q = p + word.size();
  int part = 0;
  if (word.empty()) {  // "1st half", "2nd half"
    int v;
    size_t n = Digits(p, &v);
    if (n != 1 || (v != 1 && v != 2)) return false;
    std::string_view suffix = AsciiWord(p + 1);
    if (suffix != "st" && suffix != "nd") return false;
    w = v == 1 ? "first" : "second";
    q = p + 1 + suffix.size();
  }
  if (w == "early") part = 1;
  if (w == "mid" || w == "middle") part = 2;
  if (w == "late") part = 3;
  if (w == "first" || w == "second") {
    q = SkipSpaces(q);
    if (SmallLower(AsciiWord(q)).view() != "half") return false;
    q = SkipSpaces(q + 4);
    if (SmallLower(AsciiWord(q)).view() != "of") return false;
    q += 2;
    part = w == "first" ? 4 : 5;
  }
  if (w == "end" || w == "start" || w == "beginning") {
    q = SkipSpaces(q);
    if (SmallLower(AsciiWord(q)).view() != "of") return false;
    q += 2;
    part = w == "end" ? 3 : 1;
  }
  if (part == 0) return false;
  if (q < t_.size() && t_[q] == '-' && part <= 3) {
    ++q;
  } else {
    q = SkipSpaces(q);
  }
  if (SmallLower(AsciiWord(q)).view() == "the") q = SkipSpaces(q + 3);
  return TryDecade(q, p, part, f);
}

// 1955, 1953-54, 1902-1988, '55, "in 55" (two-digit years after a
// preposition, when the next word is not a counted noun).
bool Scanner::TryYear(size_t p, Fact* f) const {
  size_t apos = 0;
  if (IsApostrophe(p, &apos)) {
    int yy;
    size_t n = Digits(p + apos, &yy);
    if (n != 2 || !BoundaryAfter(p + apos + 2)) return false;
    int y = Resolve2(yy);
    if (y < 0) return false;
    *f = DateFact(p, p + apos + 2, DatePrecision::kYear, y, y);
    return true;
  }
  if (p > 0 && (t_[p - 1] == '$' || t_[p - 1] == '.' || t_[p - 1] == ',')) {
    return false;
  }
  if (p > 1 && (t_.compare(p - 2, 2, "\xC2\xA3") == 0)) return false;
  int v;
  size_t n = Digits(p, &v);
  size_t q = p + n;
  if (q < t_.size() && (t_[q] == '%' || t_[q] == ',' || t_[q] == '.') &&
      q + 1 < t_.size() && IsDigit(t_[q + 1])) {
    return false;  // 1,955 or 19.55
  }
  if (q < t_.size() && t_[q] == '%') return false;
  if (n == 4 && v >= 1000 && v <= 2999) {
    // A range: 1953-54, 1902-1988, 1939–1945.
    size_t r = q;
    size_t dash = 0;
    if (r < t_.size() && (t_[r] == '-' || t_[r] == '/')) dash = 1;
    if (t_.compare(r, 3, "\xE2\x80\x93") == 0) dash = 3;  // en dash
    if (dash) {
      int w;
      size_t m = Digits(r + dash, &w);
      if ((m == 2 || m == 4) && BoundaryAfter(r + dash + m)) {
        int to = m == 4 ? w : v / 100 * 100 + w;
        if (m == 2 && to < v) to += 100;
        if (to > v && to - v < 200) {
          *f = DateFact(p, r + dash + m, DatePrecision::kRange, v, to);
          return true;
        }
      }
    }
    if (!BoundaryAfter(q)) return false;
    size_t r2 = SkipSpaces(q);
    std::string_view next = AsciiWord(r2);
    if (!next.empty() && r2 > q && (IsCountUnit(next) || ScaleOf(next) > 0)) {
      return false;
    }
    *f = DateFact(p, q, DatePrecision::kYear, v, v);
    return true;
  }
  if (n == 2 && era_ > 0 && BoundaryAfter(q)) {
    if (!IsPreposition(PrevWord(p))) return false;
    // "in 55 and", "summit of 55", "in 54- K": no counted noun after it.
    size_t r = q;
    while (r < t_.size() && t_[r] == ' ') ++r;
    std::string_view next = AsciiWord(r);
    if (!next.empty() && r > q && next[0] >= 'a' && next[0] <= 'z' &&
        !study::IsStopWord(next)) {
      return false;
    }
    if (ScaleOf(next) > 0) return false;
    int y = Resolve2(v);
    *f = DateFact(p, q, DatePrecision::kYear, y, y);
    return true;
  }
  return false;
}

// $300million, 5.8mil, 1.95%, 33 per cent, 38th parallel, 50 year, 3.7m.
bool Scanner::TryQuantity(size_t p, Fact* f) const {
  size_t b = p;
  std::string currency;
  if (t_[p] == '$') {
    currency = "$";
    ++p;
  } else if (t_.compare(p, 2, "\xC2\xA3") == 0) {
    currency = "£";
    p += 2;
  } else if (t_.compare(p, 3, "\xE2\x82\xAC") == 0) {
    currency = "€";
    p += 3;
  }
  if (p >= t_.size() || !IsDigit(t_[p])) return false;
  // Digits with thousands separators or a decimal point.
  std::string digits;
  size_t q = p;
  bool decimal_seen = false;
  while (q < t_.size()) {
    if (IsDigit(t_[q])) {
      digits += t_[q++];
    } else if ((t_[q] == ',' || t_[q] == '.') && q + 1 < t_.size() &&
               IsDigit(t_[q + 1])) {
      size_t run = 0;
      while (q + 1 + run < t_.size() && IsDigit(t_[q + 1 + run])) ++run;
      if (t_[q] == ',' && run == 3) {
        ++q;  // thousands separator
      } else if (!decimal_seen) {
        decimal_seen = true;
        digits += '.';
        ++q;
      } else {
        break;
      }
    } else {
      break;
    }
  }
  if (digits.size() > 30) return false;
  double value = std::strtod(digits.c_str(), nullptr);
  size_t e = q;
  std::string unit = currency;
  // Ordinal: "38th parallel", "20th Party Congress".
  std::string_view suffix = AsciiWord(q);
  std::string sfx = AsciiLower(suffix);
  if (!decimal_seen &&
      (sfx == "st" || sfx == "nd" || sfx == "rd" || sfx == "th")) {
    e = q + 2;
    size_t r = SkipSpaces(e);
    std::string_view noun = AsciiWord(r);
    if (r > e && !noun.empty() && BoundaryAfter(r + noun.size()) &&
        !study::IsStopWord(noun) && MonthOf(noun) == 0) {
      e = r + noun.size();
      unit = "th " + AsciiLower(noun);
    } else {
      unit = "th";
    }
    Fact out;
    out.kind = FactKind::kQuantity;
    out.type = FactType::kNumber;
    out.begin = b;
    out.end = e;
    out.value = value;
    out.unit = unit;
    *f = out;
    return true;
  }
  // Scale attached ("5.8mil") or after one space ("300 million").
  double scale = 0;
  if (!suffix.empty()) {
    scale = ScaleOf(suffix);
    if (scale == 0) return false;  // "WW2x", "3D"
    e = q + suffix.size();
  } else {
    size_t r = q;
    if (r < t_.size() && t_[r] == ' ') ++r;
    std::string_view w = AsciiWord(r);
    double s = r > q ? ScaleOf(w) : 0;
    if (s > 0 && w.size() > 1 && BoundaryAfter(r + w.size())) {
      scale = s;
      e = r + w.size();
    }
  }
  if (scale > 0) value *= scale;
  if (e < t_.size() && t_[e] == '%') {
    ++e;
    unit = "%";
  } else {
    size_t r = SkipSpaces(e);
    std::string_view w = AsciiWord(r);
    std::string lw = AsciiLower(w);
    if (lw == "percent") {
      e = r + w.size();
      unit = "%";
    } else if (lw == "per") {
      size_t r2 = SkipSpaces(r + 3);
      if (AsciiLower(AsciiWord(r2)) == "cent") {
        e = r2 + 4;
        unit = "%";
      }
    } else if (r > e && !w.empty() && w[0] >= 'a' && w[0] <= 'z' &&
               w.size() >= 2 && BoundaryAfter(r + w.size()) &&
               !study::IsStopWord(w) && unit.empty()) {
      unit = lw;  // a counted noun, left visible: "50 year lease"
    }
  }
  if (!BoundaryAfter(e) && t_[e - 1] != '%') return false;
  Fact out;
  out.kind = FactKind::kQuantity;
  out.type = FactType::kNumber;
  out.begin = b;
  out.end = e;
  out.value = value;
  out.unit = unit;
  *f = out;
  return true;
}

void Scanner::ScanDatesAndNumbers(std::vector<Fact>* out) {
  size_t p = 0;
  const size_t n = t_.size();
  // One Fact for the whole scan: every Try* that succeeds assigns all of
  // it, so what an earlier attempt left behind never shows.
  Fact f;
  while (p < n) {
    unsigned char c = static_cast<unsigned char>(t_[p]);
    bool start = BoundaryBefore(p);
    bool found = false;
    if (start && IsAsciiAlpha(static_cast<char>(c))) {
      found = TryPartOfDecade(p, &f) || TryMonthYear(p, &f);
    } else if (start && IsDigit(static_cast<char>(c))) {
      found = TryPartOfDecade(p, &f) || TryNumericDate(p, &f) ||
              TryDayMonthYear(p, &f) || TryDecade(p, p, 0, &f) ||
              TryYear(p, &f) || TryQuantity(p, &f);
    } else if (c == '\'' || c == 0xE2) {
      size_t apos = 0;
      if (IsApostrophe(p, &apos) && BoundaryBefore(p) && p + apos < n &&
          IsDigit(t_[p + apos])) {
        found = TryDecade(p, p, 0, &f) || TryYear(p, &f);
      } else if (c == 0xE2 && t_.compare(p, 3, "\xE2\x82\xAC") == 0) {
        found = TryQuantity(p, &f);
      }
    } else if (c == '$' || (c == 0xC2 && t_.compare(p, 2, "\xC2\xA3") == 0)) {
      found = BoundaryBefore(p) && TryQuantity(p, &f);
    }
    if (found && f.end > p) {
      size_t end = f.end;
      Emit(out, std::move(f));
      p = end;
      continue;
    }
    // Skip the rest of a word or number.
    if (study::IsWordByteAt(t_, p)) {
      while (p < n && WordByte(p)) ++p;
    } else {
      ++p;
    }
  }
}

// Words in quotation marks: "...", “...”, ‘...’, '...'. Straight single
// quotes open only after a non-word byte and close only before one, so
// "Stalin's" and "others'" are not quotes.
void Scanner::ScanQuotes(std::vector<Fact>* out) {
  const size_t n = t_.size();
  size_t p = 0;
  while (p < n) {
    std::string_view open, close;
    const char c = t_[p];
    if (c != '"' && c != '\'' && c != '\xE2') {  // no quotation mark here
      ++p;
      continue;
    }
    if (c == '"') {
      open = close = "\"";
    } else if (c == '\xE2' && t_.compare(p, 3, "\xE2\x80\x9C") == 0) {
      open = "\xE2\x80\x9C", close = "\xE2\x80\x9D";
    } else if (c == '\xE2' && t_.compare(p, 3, "\xE2\x80\x98") == 0) {
      open = "\xE2\x80\x98", close = "\xE2\x80\x99";
    } else if (t_[p] == '\'') {
      open = close = "'";
    } else {
      ++p;
      continue;
    }
    size_t b = p + open.size();
    if (!BoundaryBefore(p) || b >= n || t_[b] == ' ' ||
        (open == "'" && !study::IsWordByteAt(t_, b))) {
      p += open.size();
      continue;
    }
    // Find the closing mark: for straight single quotes one that is not
    // followed by a letter (an apostrophe inside a word is skipped).
    size_t e = b;
    size_t limit = std::min(n, b + 2000);
    bool closed = false;
    while (e < limit) {
      if (t_[e] == close[0] && t_.compare(e, close.size(), close) == 0 &&
          (close != "'" || BoundaryAfter(e + 1)) && t_[e - 1] != ' ') {
        closed = true;
        break;
      }
      ++e;
    }
    if (!closed) {
      p = b;
      continue;
    }
    std::string_view inner = Trim(t_.substr(b, e - b));
    if (!inner.empty() && !Taken(b, e)) {
      Fact f;
      f.kind = FactKind::kQuote;
      f.type = FactType::kText;
      f.begin = b;
      f.end = e;
      while (f.end > f.begin && (t_[f.end - 1] == ' ' || t_[f.end - 1] == ','))
        --f.end;
      Emit(out, std::move(f));
    }
    p = e + close.size();
  }
}

bool IsQuestionText(std::string_view text) {
  std::string_view t = Trim(text);
  if (t.empty()) return false;
  if (t.back() == '?') return true;
  static constexpr std::string_view kStarts[] = {
      "why ",      "how ",    "what ",           "when ",        "who ",
      "which ",    "where ",  "to what extent ", "how far ",     "explain ",
      "describe ", "assess ", "por qu\xC3\xA9 ", "c\xC3\xB3mo ", "qu\xC3\xA9 "};
  std::string lower = AsciiLower(t.substr(0, std::min<size_t>(t.size(), 20)));
  for (std::string_view s : kStarts) {
    if (lower.starts_with(s)) return t.size() <= 300 && t.find('.') == t.npos;
  }
  return false;
}

void Scanner::ScanQuestion(std::vector<Fact>* out) {
  if (!IsQuestionText(t_)) return;
  Fact f;
  f.kind = FactKind::kQuestion;
  f.type = FactType::kText;
  std::string_view trimmed = Trim(t_);
  f.begin = static_cast<size_t>(trimmed.data() - t_.data());
  f.end = f.begin + trimmed.size();
  f.node = node_;
  f.text = std::string(trimmed);
  out->push_back(std::move(f));
}

// ---- names ----

struct WordStats {
  uint32_t capital_mid = 0;  // capitalised, not at a sentence start
  uint32_t lower = 0;        // written in lower case
};
// Keyed by the folded word; looked up by string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const {
    return std::hash<std::string_view>()(s);
  }
};
using NameStats =
    std::unordered_map<std::string, WordStats, StringHash, std::equal_to<>>;

// The folded form of `word`: ASCII words lower-cased into `buf` without
// allocating (up to 64 bytes), others through Fold into `spill`.
std::string_view FoldedKey(std::string_view word, char (&buf)[64],
                           std::string* spill) {
  if (word.size() <= sizeof(buf)) {
    bool ascii = true;
    for (size_t i = 0; i < word.size(); ++i) {
      char c = word[i];
      if (static_cast<unsigned char>(c) >= 0x80) {
        ascii = false;
        break;
      }
      buf[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c;
    }
    if (ascii) return std::string_view(buf, word.size());
  }
  *spill = study::Fold(word);
  return *spill;
}

WordStats& StatsFor(NameStats* stats, std::string_view word) {
  char buf[64];
  std::string spill;
  std::string_view key = FoldedKey(word, buf, &spill);
  auto it = stats->find(key);
  if (it == stats->end())
    it = stats->emplace(std::string(key), WordStats{}).first;
  return it->second;
}

const WordStats* FindStats(const NameStats& stats, std::string_view word) {
  char buf[64];
  std::string spill;
  auto it = stats.find(FoldedKey(word, buf, &spill));
  return it == stats.end() ? nullptr : &it->second;
}

// Connectors allowed inside a name: "Treaty of Versailles", "Charles de
// Gaulle".
bool IsNameConnector(std::string_view w) {
  return w == "of" || w == "de" || w == "von" || w == "van" || w == "der" ||
         w == "la" || w == "del" || w == "du" || w == "bin" || w == "al";
}

struct Word {
  size_t begin;
  size_t end;
  bool sentence_start;  // first word, or after . ! ? : ; - – • ( quote \n
  bool capital;
  bool acronym;  // two or more capitals and no lower-case letter: USSR, P.C
};

// Splits text into words (letters, with inner hyphens, and dots between
// single capitals as in "P.C"), flagging sentence starts.
void SplitWords(std::string_view t, std::vector<Word>* out) {
  std::vector<Word>& words = *out;
  words.clear();
  size_t p = 0;
  const size_t n = t.size();
  bool boundary = true;
  while (p < n) {
    unsigned char c = static_cast<unsigned char>(t[p]);
    if (!study::IsLetterAt(t, p) || (c >= 0x80 && !study::IsWordByteAt(t, p))) {
      if (study::IsDigit(static_cast<char>(c))) {
        while (p < n && study::IsWordByteAt(t, p)) ++p;  // "WW2", "1950s"
        boundary = false;
        continue;
      }
      size_t apos = c == '\'' ? 1
                    : (c == 0xE2 && p + 3 <= n && t[p + 1] == '\x80' &&
                       t[p + 2] == '\x99')
                        ? 3
                        : 0;
      bool after_word = p > 0 && study::IsWordByteAt(t, p - 1);
      if (apos && after_word) {
        // An apostrophe inside or after a word ("Stalin's", "others'"):
        // skip a possessive "s" with it; no new clause.
        p += apos;
        if (p < n && t[p] == 's' &&
            (p + 1 >= n || !study::IsWordByteAt(t, p + 1)))
          ++p;
        continue;
      }
      if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';' ||
          c == '-' || c == '(' || c == '"' || c == '\n' || c == 0xE2 ||
          c == '\'') {
        // Dashes, bullets and quotes (all 0xE2 in UTF-8) start a new clause.
        boundary = true;
      }
      ++p;
      continue;
    }
    Word w{p, p, boundary, study::IsUpperAt(t, p), false};
    size_t upper = 0, lower = 0;
    while (p < n) {
      if (study::IsWordByteAt(t, p) && !study::IsDigit(t[p])) {
        if ((static_cast<unsigned char>(t[p]) & 0xC0) != 0x80) {
          if (study::IsUpperAt(t, p)) {
            ++upper;
          } else {
            ++lower;
          }
        }
        ++p;
      } else if ((t[p] == '-' || t[p] == '.') && p + 1 < n &&
                 study::IsLetterAt(t, p + 1) &&
                 (t[p] == '-' || (p >= 1 && study::IsUpperAt(t, p - 1) &&
                                  study::IsUpperAt(t, p + 1) &&
                                  (p < 2 || !study::IsWordByteAt(t, p - 2) ||
                                   t[p - 2] == '.')))) {
        ++p;
      } else {
        break;
      }
    }
    w.end = p;
    w.acronym = upper >= 2 && lower == 0;
    if (p < n && study::IsDigit(t[p])) {
      // Letters glued to digits ("WW2", "B52") are a code, not a name.
      while (p < n && study::IsWordByteAt(t, p)) ++p;
      boundary = false;
      continue;
    }
    // A possessive "'s" is not part of the name.
    words.push_back(w);
    boundary = false;
  }
}

// A text written in title case ("Key Measures of Soviet Policy") tells
// nothing by its capitals.
bool IsTitleCase(std::string_view t, const std::vector<Word>& words) {
  size_t content = 0, capital = 0;
  for (const Word& w : words) {
    std::string_view s = t.substr(w.begin, w.end - w.begin);
    if (s.size() < 3 || study::IsStopWord(s)) continue;
    ++content;
    if (w.capital) ++capital;
  }
  return content >= 2 && capital == content;
}

// The words of each text, split once for the counting pass and kept for
// the name scan, in the order the texts were counted.
struct WordCache {
  std::vector<Word> words;
  std::vector<std::pair<size_t, size_t>> spans;  // first word, count
  std::vector<uint8_t> title;                    // IsTitleCase
  std::vector<Word> buffer;
  std::span<const Word> WordsOf(size_t k) const {
    return std::span<const Word>(words).subspan(spans[k].first,
                                                spans[k].second);
  }
};

void CountWords(std::string_view t, NameStats* stats, WordCache* cache) {
  SplitWords(t, &cache->buffer);
  const std::vector<Word>& words = cache->buffer;
  bool title = IsTitleCase(t, words);
  cache->spans.push_back({cache->words.size(), words.size()});
  cache->words.insert(cache->words.end(), words.begin(), words.end());
  cache->title.push_back(title ? 1 : 0);
  for (const Word& w : words) {
    std::string_view s = t.substr(w.begin, w.end - w.begin);
    if (s.size() > 64) continue;
    if (!w.capital) {
      StatsFor(stats, s).lower++;
    } else if (!w.sentence_start && !title) {
      StatsFor(stats, s).capital_mid++;
    }
  }
}

bool NameLike(std::string_view word, bool acronym, const NameStats& stats) {
  if (acronym) return true;
  const WordStats* w = FindStats(stats, word);
  return w != nullptr && w->capital_mid > w->lower;
}

void ScanNames(std::string_view t, NodeId node, const NameStats& stats,
               const Scanner& scanner, std::vector<Fact>* out,
               std::span<const Word> words, bool title) {
  size_t i = 0;
  while (i < words.size()) {
    const Word& w0 = words[i];
    std::string_view s0 = t.substr(w0.begin, w0.end - w0.begin);
    if (!w0.capital || MonthOf(s0) != 0 || scanner.Taken(w0.begin, w0.end)) {
      ++i;
      continue;
    }
    // Gather a run of capitalised words, joined by single spaces and
    // connectors.
    size_t j = i + 1;
    size_t last = i;
    while (j < words.size()) {
      const Word& prev = words[j - 1];
      const Word& w = words[j];
      std::string_view gap = t.substr(prev.end, w.begin - prev.end);
      std::string_view s = t.substr(w.begin, w.end - w.begin);
      if (w.sentence_start || scanner.Taken(w.begin, w.end) ||
          MonthOf(s) != 0 || gap.size() != 1 || gap[0] != ' ') {
        break;
      }
      if (w.capital) {
        last = j;
        ++j;
      } else if (IsNameConnector(s) && j + 1 < words.size() &&
                 words[j + 1].capital && words[j + 1].begin - w.end == 1 &&
                 t[w.end] == ' ') {
        j += 1;  // the connector; the capital after it joins next round
      } else {
        break;
      }
    }
    // Trim words that are capitalised only by position: at a sentence
    // start, or anywhere in a title-case text.
    size_t first = i;
    auto positional = [&](size_t k) {
      const Word& w = words[k];
      std::string_view s = t.substr(w.begin, w.end - w.begin);
      if (study::IsStopWord(s)) return true;
      if (!(w.sentence_start || title)) return false;
      if (NameLike(s, w.acronym, stats)) return false;
      // A sentence start that opens a run of capitals ("Berlin Wall",
      // "Georgi Malenkov") belongs to the name, unless the map also writes
      // the word in lower case ("Like Germany").
      if (!title && k == i && last > i && words[i + 1].capital) {
        const WordStats* w = FindStats(stats, s);
        return w != nullptr && w->lower > 0;
      }
      return true;
    };
    while (first <= last && positional(first)) {
      ++first;
      while (first <= last && !words[first].capital) ++first;
    }
    if (title) {
      while (last > first && positional(last)) {
        --last;
        while (last > first && !words[last].capital) --last;
      }
    }
    if (first <= last) {
      Fact f;
      f.kind = FactKind::kName;
      f.type = FactType::kName;
      f.node = node;
      f.begin = words[first].begin;
      f.end = words[last].end;
      f.text = std::string(t.substr(f.begin, f.end - f.begin));
      bool single_letter = f.end - f.begin == 1 &&
                           (f.text == "I" || f.text == "A" || f.text == "O");
      if (!single_letter && f.text.size() <= 80) out->push_back(std::move(f));
    }
    i = j > i ? j : i + 1;
  }
}

// The speaker of a quote: the name before it in the same text, when a
// speech verb stands between them ("As K said '...'", "Malenkov put it").
// A pronoun between points back to the sentence's first name.
void AttributeQuotes(std::string_view t, std::span<Fact> facts) {
  static constexpr std::string_view kVerbs[] = {
      "said",          "saying",    "says",     "put it",    "called",
      "declared",      "stated",    "wrote",    "argued",    "claimed",
      "proclaimed",    "announced", "remarked", "told",      "asked",
      "replied",       "insisted",  "warned",   "described", "dijo",
      "declar\xC3\xB3"};
  for (Fact& q : facts) {
    if (q.kind != FactKind::kQuote) continue;
    size_t qb = q.begin > 0 ? q.begin - 1 : 0;
    const Fact* nearest = nullptr;
    const Fact* first_name = nullptr;
    for (const Fact& f : facts) {
      if (f.kind != FactKind::kName || f.end > qb) continue;
      if (first_name == nullptr) first_name = &f;
      if (nearest == nullptr || f.begin > nearest->begin) nearest = &f;
    }
    if (nearest == nullptr) continue;
    std::string between = AsciiLower(t.substr(nearest->end, qb - nearest->end));
    if (between.size() > 120) continue;
    bool verb = false;
    for (std::string_view v : kVerbs) {
      if (study::ContainsWord(between, v)) verb = true;
    }
    if (!verb) continue;
    bool pronoun = study::ContainsWord(between, "he") ||
                   study::ContainsWord(between, "she") ||
                   study::ContainsWord(between, "they");
    q.speaker = pronoun ? first_name->text : nearest->text;
  }
}

// Appends the facts of one text to `facts`, in text order.
void ExtractWithStats(std::string_view text, NodeId node, int era,
                      const NameStats& stats, std::vector<Fact>* facts,
                      std::span<const Word> words, bool title) {
  if (text.empty()) return;
  const size_t first = facts->size();
  Scanner scanner(text, node, era);
  scanner.ScanDatesAndNumbers(facts);
  scanner.ScanQuotes(facts);
  ScanNames(text, node, stats, scanner, facts, words, title);
  AttributeQuotes(text, std::span<Fact>(*facts).subspan(first));
  scanner.ScanQuestion(facts);
  auto by_begin = [](const Fact& a, const Fact& b) {
    return a.begin < b.begin;
  };
  std::span<Fact> mine = std::span<Fact>(*facts).subspan(first);
  if (mine.size() > 16) {
    std::stable_sort(mine.begin(), mine.end(), by_begin);
    return;
  }
  // A node has a handful of facts: a stable insertion sort, where
  // std::stable_sort would allocate a buffer for each node.
  for (size_t i = 1; i < mine.size(); ++i) {
    if (!by_begin(mine[i], mine[i - 1])) continue;
    Fact f = std::move(mine[i]);
    size_t j = i;
    for (; j > 0 && by_begin(f, mine[j - 1]); --j) {
      mine[j] = std::move(mine[j - 1]);
    }
    mine[j] = std::move(f);
  }
}

}  // namespace

int MapEra(const Map& map) {
  // Count standalone four-digit numbers 1000-2999 by century.
  int counts[20] = {};
  for (NodeId id : map.PreOrder()) {
    std::string_view t = map.node(id).text;
    size_t p = 0;
    while (p < t.size()) {
      if (IsDigit(t[p]) && (p == 0 || !study::IsWordByteAt(t, p - 1))) {
        size_t e = p;
        while (e < t.size() && IsDigit(t[e])) ++e;
        bool after_ok =
            e >= t.size() || t[e] == 's' || !study::IsWordByteAt(t, e);
        if (e - p == 4 && after_ok && (e >= t.size() || t[e] != '%')) {
          int century = (t[p] - '0') * 10 + (t[p + 1] - '0');
          if (century >= 10 && century < 30) counts[century - 10]++;
        }
        p = e;
      } else {
        ++p;
      }
    }
  }
  int best = -1, best_count = 0;
  for (int i = 0; i < 20; ++i) {
    if (counts[i] > best_count) best = i, best_count = counts[i];
  }
  return best < 0 ? 0 : (best + 10) * 100;
}

std::vector<Fact> ExtractFacts(const Map& map) {
  return study::ExtractFactsWithEra(map, MapEra(map));
}

namespace {

// ExtractFactsWithEra on `threads` threads: each part of the pre-order is
// counted and scanned on a thread of its own; the counts are added up in
// between, so every part scans names with the whole map's counts and the
// facts are those of one pass.
std::vector<Fact> ExtractFactsInParts(const Map& map, int era, size_t threads) {
  std::vector<NodeId> order;
  order.reserve(map.size());
  for (NodeId id : map.PreOrder()) order.push_back(id);
  struct Part {
    size_t begin = 0, end = 0;
    NameStats stats;
    WordCache cache;
    std::vector<Fact> facts;
  };
  std::vector<Part> parts(threads);
  for (size_t k = 0; k < threads; ++k) {
    parts[k].begin = order.size() * k / threads;
    parts[k].end = order.size() * (k + 1) / threads;
  }
  detail::RunOnThreads(threads, [&](size_t k) {
    Part& part = parts[k];
    part.cache.spans.reserve(part.end - part.begin);
    part.cache.title.reserve(part.end - part.begin);
    for (size_t i = part.begin; i < part.end; ++i) {
      CountWords(map.node(order[i]).text, &part.stats, &part.cache);
    }
  });
  NameStats& stats = parts[0].stats;
  for (size_t k = 1; k < threads; ++k) {
    for (const auto& [word, counts] : parts[k].stats) {
      WordStats& total = stats[word];
      total.capital_mid += counts.capital_mid;
      total.lower += counts.lower;
    }
  }
  detail::RunOnThreads(threads, [&](size_t k) {
    Part& part = parts[k];
    for (size_t i = part.begin; i < part.end; ++i) {
      size_t j = i - part.begin;
      ExtractWithStats(map.node(order[i]).text, order[i], era, stats,
                       &part.facts, part.cache.WordsOf(j),
                       part.cache.title[j] != 0);
    }
  });
  std::vector<Fact> all = std::move(parts[0].facts);
  size_t total = all.size();
  for (size_t k = 1; k < threads; ++k) total += parts[k].facts.size();
  all.reserve(total);
  for (size_t k = 1; k < threads; ++k) {
    std::move(parts[k].facts.begin(), parts[k].facts.end(),
              std::back_inserter(all));
  }
  return all;
}

}  // namespace

std::vector<Fact> study::ExtractFactsWithEra(const Map& map, int era,
                                             size_t threads) {
  if (threads > 1 && map.size() >= threads) {
    return ExtractFactsInParts(map, era, threads);
  }
  NameStats stats;
  WordCache cache;
  cache.spans.reserve(map.size());
  cache.title.reserve(map.size());
  for (NodeId id : map.PreOrder()) {
    CountWords(map.node(id).text, &stats, &cache);
  }
  std::vector<Fact> all;
  size_t k = 0;
  for (NodeId id : map.PreOrder()) {
    ExtractWithStats(map.node(id).text, id, era, stats, &all, cache.WordsOf(k),
                     cache.title[k] != 0);
    ++k;
  }
  return all;
}

std::vector<Fact> ExtractFactsFromText(std::string_view text, NodeId node,
                                       int era) {
  NameStats stats;
  WordCache cache;
  CountWords(text, &stats, &cache);
  std::vector<Fact> facts;
  ExtractWithStats(text, node, era, stats, &facts, cache.WordsOf(0),
                   cache.title[0] != 0);
  return facts;
}

std::string_view FactKindName(FactKind kind) {
  switch (kind) {
    case FactKind::kDate:
      return "date";
    case FactKind::kQuantity:
      return "quantity";
    case FactKind::kName:
      return "name";
    case FactKind::kQuote:
      return "quote";
    case FactKind::kQuestion:
      return "question";
  }
  return "?";
}

std::string_view FactTypeName(FactType type) {
  switch (type) {
    case FactType::kDate:
      return "date";
    case FactType::kNumber:
      return "number";
    case FactType::kName:
      return "name";
    case FactType::kText:
      return "text";
  }
  return "?";
}

std::string FormatDate(const Fact& d) {
  switch (d.precision) {
    case DatePrecision::kDay:
      return fmt::format("{:04}-{:02}-{:02}", d.year_from, d.month, d.day);
    case DatePrecision::kMonth:
      return fmt::format("{:04}-{:02}", d.year_from, d.month);
    case DatePrecision::kYear:
      return fmt::format("{:04}", d.year_from);
    case DatePrecision::kRange:
      return fmt::format("{:04}-{:04}", d.year_from, d.year_to);
    case DatePrecision::kDecade:
      return fmt::format("{:04}s", d.year_from);
    case DatePrecision::kPartOfDecade:
      return fmt::format("{:04}-{:04} ({})", d.year_from, d.year_to,
                         FoldWhitespace(d.text));
    case DatePrecision::kNone:
      break;
  }
  return d.text;
}

}  // namespace mindcards
