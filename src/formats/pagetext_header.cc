// Page headers of the mind-map sites: GoConqr's template line in six
// languages, MindMeister's "TITLE by Mind Map: ROOT", GetRevising's
// "View mindmap", and the chrome around them.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

#include "formats/pagetext.h"
#include "mindcards/text.h"

namespace mindcards::detail {
namespace {

// One language's form of GoConqr's line
// "TAGS Mind Map on TITLE, created by AUTHOR on DATE."
struct Template {
  const char* language;
  std::array<const char*, 4> kinds;    // "mind map on " (with preposition)
  std::array<const char*, 3> created;  // ", created by "
  std::array<const char*, 2> on;       // " on "
  bool month_first;                    // ambiguous dates read as MM/DD
};

// Spanish and Portuguese share "mapa mental sobre"; the "created by" words
// tell them apart, so each template is tried whole.
constexpr std::array<Template, 6> kTemplates = {{
    {"en",
     {"mind map on ", "mindmap on ", "mind map about ", nullptr},
     {", created by ", ", made by ", nullptr},
     {" on ", nullptr},
     true},
    {"es",
     {"mapa mental sobre ", "mapa mental de ", nullptr, nullptr},
     {", creado por ", ", creada por ", nullptr},
     {" el ", nullptr},
     false},
    {"fr",
     {"carte mentale sur ", "carte heuristique sur ", "mind map sur ", nullptr},
     {", créé par ", ", créée par ", ", crée par "},
     {" le ", nullptr},
     false},
    {"de",
     {"mindmap zu ", "mind map zu ", "mindmap über ", "mindmap zum "},
     {", erstellt von ", nullptr, nullptr},
     {" am ", nullptr},
     false},
    {"pt",
     {"mapa mental sobre ", "mapa mental de ", nullptr, nullptr},
     {", criado por ", ", criada por ", nullptr},
     {" em ", nullptr},
     false},
    {"it",
     {"mappa mentale su ", "mappa mentale sul ", "mappa mentale sulla ",
      "mappa mentale di "},
     {", creato da ", ", creata da ", nullptr},
     {" il ", nullptr},
     false},
}};

// Lines that are never map content in a page header. Compared whole,
// case-insensitively (ASCII folding; other letters must match exactly).
constexpr std::array<const char*, 30> kChromeLines = {
    "description",
    "descripción",
    "descrição",
    "beschreibung",
    "descrizione",
    "resource summary",
    "resumen del recurso",
    "résumé de la ressource",
    "zusammenfassung der ressource",
    "resumo do recurso",
    "riepilogo risorsa",
    "view mindmap",
    "view mind map",
    "?",
    "online mind mapping and brainstorming",
    "create your own awesome maps",
    "even on the go",
    "with our free apps for iphone, ipad and android",
    "get started",
    "already have an account? log in",
    "log in",
    "sign up",
    "share",
    "embed",
    "report abuse",
    "print",
    "like",
    "tags",
    "etiquetas",
    "mind map",
};

// Prefixes of chrome lines ("Mind Map by X, updated ...", "Created by X ...").
constexpr std::array<const char*, 16> kChromePrefixes = {
    "please enable javascript",
    "created by ",
    "creado por ",
    "créé par ",
    "erstellt von ",
    "criado por ",
    "creato da ",
    "mind map by ",
    "mapa mental por ",
    "mapa mental de ",
    "carte mentale par ",
    "mindmap von ",
    "mappa mentale di ",
    "updated ",
    "actualizado ",
    "you need to enable javascript",
};

// Lines that end the map on a recognised site page (its footer).
constexpr std::array<const char*, 9> kFooterLines = {
    "comments",
    "comentarios",
    "commentaires",
    "kommentare",
    "comentários",
    "commenti",
    "no comments have yet been made",
    "similar resources",
    "related resources",
};

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  return AsciiLower(text.substr(0, prefix.size())) == prefix;
}

// Finds `needle` (lower-case) in `haystack` ignoring ASCII case.
size_t FindNoCase(std::string_view haystack, std::string_view needle,
                  size_t from = 0) {
  if (needle.empty() || haystack.size() < needle.size()) {
    return std::string_view::npos;
  }
  for (size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    size_t k = 0;
    while (k < needle.size() &&
           std::tolower(static_cast<unsigned char>(haystack[i + k])) ==
               static_cast<unsigned char>(needle[k])) {
      ++k;
    }
    if (k == needle.size()) return i;
  }
  return std::string_view::npos;
}

size_t RFindNoCase(std::string_view haystack, std::string_view needle) {
  size_t found = std::string_view::npos;
  for (size_t at = FindNoCase(haystack, needle); at != std::string_view::npos;
       at = FindNoCase(haystack, needle, at + 1)) {
    found = at;
  }
  return found;
}

bool IsBareNumber(std::string_view text) {
  if (text.empty() || text.size() > 12) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c)) && c != ',' && c != '.' &&
        c != 'k' && c != 'K') {
      return false;
    }
  }
  return std::isdigit(static_cast<unsigned char>(text.front())) != 0;
}

// Splits GoConqr's tag run: parenthesised groups are tags of their own, and
// " - " or "," separate the rest ("A-Levels (Post-Stalin Thaw) Cold War" ->
// "A-Levels", "Post-Stalin Thaw", "Cold War").
std::vector<std::string> SplitTags(std::string_view text) {
  std::vector<std::string> tags;
  std::string current;
  auto flush = [&] {
    std::string t = FoldWhitespace(current);
    if (!t.empty() && std::find(tags.begin(), tags.end(), t) == tags.end()) {
      tags.push_back(t);
    }
    current.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(' || c == '[') {
      flush();
      char close = c == '(' ? ')' : ']';
      size_t end = text.find(close, i + 1);
      if (end == std::string_view::npos) end = text.size();
      current = std::string(text.substr(i + 1, end - i - 1));
      flush();
      i = end;
    } else if (c == ',' || c == ';' || c == '|' ||
               (c == '-' && i > 0 && text[i - 1] == ' ' &&
                i + 1 < text.size() && text[i + 1] == ' ')) {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return tags;
}

// Matches GoConqr's template line. Fills `header` and returns true.
bool MatchTemplate(std::string_view line, PageHeader* header) {
  for (const Template& t : kTemplates) {
    for (const char* kind : t.kinds) {
      if (kind == nullptr) continue;
      size_t k = FindNoCase(line, kind);
      if (k == std::string_view::npos) continue;
      std::string_view rest = line.substr(k + std::string_view(kind).size());
      for (const char* created : t.created) {
        if (created == nullptr) continue;
        size_t c = RFindNoCase(rest, created);
        if (c == std::string_view::npos) continue;
        std::string_view title = rest.substr(0, c);
        std::string_view after =
            rest.substr(c + std::string_view(created).size());
        std::string_view author = after;
        std::string_view date;
        for (const char* on : t.on) {
          if (on == nullptr) continue;
          size_t o = RFindNoCase(after, on);
          if (o == std::string_view::npos) continue;
          author = after.substr(0, o);
          date = after.substr(o + std::string_view(on).size());
          break;
        }
        while (!date.empty() && (date.back() == '.' || date.back() == ' ')) {
          date.remove_suffix(1);
        }
        MapMeta& m = header->meta;
        m.title = FoldWhitespace(title);
        m.author = FoldWhitespace(author);
        m.created = ParseDate(date, t.month_first);
        m.language = t.language;
        m.site = "goconqr";
        m.tags = SplitTags(line.substr(0, k));
        m.description = FoldWhitespace(line);
        return true;
      }
    }
  }
  return false;
}

// "TITLE by Mind Map: ROOT" (MindMeister).
bool MatchMindMeister(std::string_view line, PageHeader* header) {
  size_t at = FindNoCase(line, " by mind map: ");
  if (at == std::string_view::npos) return false;
  header->meta.title = FoldWhitespace(line.substr(0, at));
  header->root_text = FoldWhitespace(line.substr(at + 14));
  header->meta.site = "mindmeister";
  header->meta.language = "en";
  return true;
}

bool IsFooterLine(std::string_view text) {
  std::string lower = AsciiLower(text);
  for (const char* f : kFooterLines) {
    if (lower == f) return true;
  }
  return lower.starts_with("similar ") && lower.ends_with(" resources:");
}

// "Mind Map by NAME, updated ..." names the author.
std::string AuthorFromByline(std::string_view text) {
  for (const char* prefix :
       {"mind map by ", "mindmap by ", "mapa mental por ", "carte mentale par ",
        "mindmap von ", "mappa mentale di "}) {
    if (!StartsWithNoCase(text, prefix)) continue;
    std::string_view rest = text.substr(std::string_view(prefix).size());
    size_t comma = rest.find(',');
    return FoldWhitespace(rest.substr(0, comma));
  }
  return "";
}

}  // namespace

bool IsChromeLine(std::string_view text) {
  std::string lower = AsciiLower(Trim(text));
  for (const char* c : kChromeLines) {
    if (lower == c) return true;
  }
  for (const char* p : kChromePrefixes) {
    if (lower.starts_with(p)) return true;
  }
  // "0.0 stars - reviews range from 0 to 5"
  return lower.find(" stars - reviews") != std::string::npos;
}

std::string ParseDate(std::string_view text, bool month_first) {
  text = Trim(text);
  std::array<int, 3> parts{};
  std::array<int, 3> digits{};
  char sep = 0;
  size_t n = 0;
  for (size_t i = 0; i < text.size() && n < 3; ++i) {
    char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (digits[n] >= 4) return "";
      parts[n] = parts[n] * 10 + (c - '0');
      ++digits[n];
    } else if ((c == '/' || c == '.' || c == '-') && digits[n] > 0 && n < 2) {
      if (sep != 0 && c != sep) return "";
      sep = c;
      ++n;
    } else {
      return "";
    }
  }
  if (n != 2 || digits[2] == 0) return "";
  int year, month, day;
  if (digits[0] == 4) {  // ISO order
    year = parts[0];
    month = parts[1];
    day = parts[2];
  } else if (digits[2] == 4) {
    int a = parts[0], b = parts[1];
    bool first_is_month = month_first;
    if (a > 12) first_is_month = false;
    if (b > 12) first_is_month = true;
    month = first_is_month ? a : b;
    day = first_is_month ? b : a;
    year = parts[2];
  } else {
    return "";
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1000) return "";
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

PageHeader ParsePageHeader(const std::vector<PageLine>& lines) {
  PageHeader header;
  header.body_end = lines.size();
  size_t first = 0;
  while (first < lines.size() && lines[first].blank()) ++first;
  header.body_begin = first;
  if (first == lines.size()) return header;

  // Look for an anchor line in the first lines of the page.
  size_t limit = std::min(lines.size(), first + 60);
  size_t anchor = lines.size();
  for (size_t i = first; i < limit; ++i) {
    std::string_view t = lines[i].text;
    if (t.size() > 2000) continue;
    if (MatchTemplate(t, &header) || MatchMindMeister(t, &header)) {
      header.confidence = 95;
      anchor = i;
      break;
    }
    std::string lower = AsciiLower(t);
    if (lower == "view mindmap" || lower == "view mind map") {
      header.meta.site = "getrevising";
      header.meta.language = "en";
      header.confidence = 85;
      anchor = i;
      break;
    }
  }
  if (anchor == lines.size()) return header;

  // Before the anchor: the title (first line), chrome, a byline, and maybe
  // a description.
  std::string first_line = FoldWhitespace(lines[first].text);
  if (header.meta.title.empty()) header.meta.title = first_line;
  for (size_t i = first; i < anchor; ++i) {
    std::string_view t = lines[i].text;
    if (t.empty()) continue;
    std::string author = AuthorFromByline(t);
    if (!author.empty() && header.meta.author.empty()) {
      header.meta.author = author;
    }
    if (i == first || IsChromeLine(t) || !author.empty() || IsBareNumber(t)) {
      continue;
    }
    if (header.meta.site == "mindmeister" && header.meta.description.empty()) {
      header.meta.description = FoldWhitespace(t);
    }
  }
  // After it: more chrome until the map starts.
  size_t body = anchor + 1;
  for (; body < lines.size(); ++body) {
    std::string_view t = lines[body].text;
    if (t.empty() || IsChromeLine(t) || IsBareNumber(t)) continue;
    std::string author = AuthorFromByline(t);
    if (!author.empty()) {
      if (header.meta.author.empty()) header.meta.author = author;
      continue;
    }
    if (!header.meta.author.empty() &&
        FoldWhitespace(t) == header.meta.author) {
      continue;
    }
    break;
  }
  header.body_begin = body;
  for (size_t i = body; i < lines.size(); ++i) {
    if (lines[i].indent == 0 && IsFooterLine(lines[i].text)) {
      header.body_end = i;
      break;
    }
  }
  return header;
}

}  // namespace mindcards::detail
