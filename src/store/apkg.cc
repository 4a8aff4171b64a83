// The Anki .apkg writer: an in-memory SQLite collection at schema 11,
// serialised and zipped with an empty media map.
#include "mindcards/apkg.h"

#include <fmt/format.h>
#include <zip.h>

#include <array>
#include <chrono>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "mindcards/text.h"
#include "store/sqlite_util.h"

namespace mindcards {
namespace detail {

std::string Sha1(std::string_view data) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  std::string msg(data);
  uint64_t bit_length = static_cast<uint64_t>(data.size()) * 8;
  msg.push_back(static_cast<char>(0x80));
  while (msg.size() % 64 != 56) msg.push_back('\0');
  for (int i = 7; i >= 0; --i) {
    msg.push_back(static_cast<char>((bit_length >> (i * 8)) & 0xFF));
  }
  auto rotl = [](uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  for (size_t chunk = 0; chunk < msg.size(); chunk += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; ++i) {
      const auto* p =
          reinterpret_cast<const unsigned char*>(msg.data() + chunk + i * 4);
      w[i] = (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) |
             (uint32_t{p[2]} << 8) | uint32_t{p[3]};
    }
    for (int i = 16; i < 80; ++i) {
      w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      uint32_t f, k;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDC;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6;
      }
      uint32_t t = rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = rotl(b, 30);
      b = a;
      a = t;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }
  std::string out;
  for (uint32_t v : h) {
    for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>(v >> (i * 8)));
  }
  return out;
}

namespace {
uint64_t First64(std::string_view digest) {
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | static_cast<unsigned char>(digest[static_cast<size_t>(i)]);
  }
  return v;
}
}  // namespace

std::string AnkiGuid(std::string_view ns, std::string_view card_id) {
  // Anki's own base91 alphabet (anki/utils.py base91).
  static constexpr std::string_view kAlphabet =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,"
      "-./:;<=>?@[]^_`{|}~";
  uint64_t v = First64(Sha1(fmt::format("mindcards:{}:{}", ns, card_id)));
  std::string out;
  do {
    out.push_back(kAlphabet[v % 91]);
    v /= 91;
  } while (v != 0);
  std::reverse(out.begin(), out.end());
  return out;
}

std::string StripAnkiHtml(std::string_view html) {
  std::string out;
  for (size_t i = 0; i < html.size(); ++i) {
    char c = html[i];
    if (c == '<') {
      size_t end = html.find('>', i);
      if (end == std::string_view::npos) {
        out.append(html.substr(i));
        break;
      }
      i = end;
      continue;
    }
    if (c == '&') {
      size_t end = html.find(';', i);
      if (end != std::string_view::npos && end - i <= 10) {
        std::string_view name = html.substr(i + 1, end - i - 1);
        std::string decoded;
        if (name == "amp") {
          decoded = "&";
        } else if (name == "lt") {
          decoded = "<";
        } else if (name == "gt") {
          decoded = ">";
        } else if (name == "quot") {
          decoded = "\"";
        } else if (name == "nbsp") {
          decoded = " ";
        } else if (name.size() > 1 && name[0] == '#' &&
                   name.find_first_not_of("0123456789", 1) ==
                       std::string_view::npos) {
          AppendUtf8(
              static_cast<char32_t>(std::stoul(std::string(name.substr(1)))),
              &decoded);
        }
        if (!decoded.empty()) {
          out += decoded;
          i = end;
          continue;
        }
      }
    }
    out.push_back(c);
  }
  // Anki (and the reference checker) turn no-break spaces into spaces when
  // the field has any entity at all.
  if (html.find('&') == std::string_view::npos) return out;
  std::string spaced;
  spaced.reserve(out.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == '\xC2' && i + 1 < out.size() && out[i + 1] == '\xA0') {
      spaced.push_back(' ');
      ++i;
    } else {
      spaced.push_back(out[i]);
    }
  }
  return spaced;
}

uint32_t AnkiFieldChecksum(std::string_view field_html) {
  return static_cast<uint32_t>(First64(Sha1(StripAnkiHtml(field_html))) >> 32);
}

}  // namespace detail

namespace {

using detail::Exec;
using detail::Statement;

// Escapes text for an Anki field. '{' is written as an entity so that map
// text can never open a cloze of its own.
std::string Escape(std::string_view raw) {
  // Anki fields are UTF-8; a malformed byte (say, text cut inside a
  // character) becomes U+FFFD rather than breaking checksums and readers.
  std::string valid;
  std::string_view text = raw;
  if (!IsAscii(raw) && !ValidateUtf8(raw)) {
    for (size_t i = 0; i < raw.size();) AppendUtf8(DecodeUtf8(raw, &i), &valid);
    text = valid;
  }
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '{':
        out += "&#123;";
        break;
      case '\n':
        out += "<br>";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

// The card's Anki cloze text: our "{{c1::answer}}" marker kept, everything
// else escaped. Empty when the card has no usable marker.
std::string ClozeHtml(const Card& card) {
  std::string_view s = card.cloze;
  size_t open = s.find("{{c1::");
  if (open == std::string_view::npos) return "";
  size_t close = s.find("}}", open + 6);
  if (close == std::string_view::npos) return "";
  std::string_view inside = s.substr(open + 6, close - open - 6);
  std::string_view hint;
  if (size_t sep = inside.find("::"); sep != std::string_view::npos) {
    hint = inside.substr(sep + 2);
    inside = inside.substr(0, sep);
  }
  if (Trim(inside).empty()) return "";
  std::string out = Escape(s.substr(0, open));
  out += "{{c1::" + Escape(inside);
  if (!hint.empty()) out += "::" + Escape(hint);
  out += "}}";
  out += Escape(s.substr(close + 2));
  // Braces the map text itself holds were escaped; a stray "}}" after our
  // marker cannot close anything.
  return out;
}

std::string ContextHtml(const Card& card) {
  if (card.context.empty()) return "";
  std::string joined;
  for (size_t i = 0; i < card.context.size(); ++i) {
    if (i > 0) joined += " \u203A ";
    joined += card.context[i];
  }
  return "<div class=\"context\">" + Escape(joined) + "</div>";
}

constexpr int64_t kBasicModelId = 1735689600001;  // fixed: see apkg.h
constexpr int64_t kClozeModelId = 1735689600002;
constexpr int64_t kDconfId = 1;
constexpr int64_t kIdBase = 1'600'000'000'000;  // 2020-09: always in the past
constexpr int64_t kIdSpan = 100'000'000'000;

int64_t StableId(std::string_view key) {
  uint64_t v = 0;
  std::string d = detail::Sha1(key);
  for (int i = 0; i < 8; ++i) {
    v = (v << 8) | static_cast<unsigned char>(d[static_cast<size_t>(i)]);
  }
  return kIdBase + static_cast<int64_t>(v % static_cast<uint64_t>(kIdSpan));
}

constexpr const char* kCss =
    ".card {\n    font-family: arial;\n    font-size: 20px;\n    "
    "line-height: 1.5;\n    text-align: center;\n    color: black;\n    "
    "background-color: white;\n}\n.context {\n    font-size: 14px;\n    "
    "color: #666;\n    margin-bottom: 0.6em;\n}\n";
constexpr const char* kClozeCss =
    ".cloze {\n    font-weight: bold;\n    color: blue;\n}\n.nightMode .cloze "
    "{\n    color: lightblue;\n}\n";

nlohmann::json Field(const char* name, int ord) {
  return {{"name", name},      {"ord", ord},
          {"sticky", false},   {"rtl", false},
          {"font", "Arial"},   {"size", 20},
          {"description", ""}, {"media", nlohmann::json::array()}};
}

nlohmann::json Template(const char* name, const char* qfmt, const char* afmt) {
  return {{"name", name},   {"ord", 0},    {"qfmt", qfmt},
          {"afmt", afmt},   {"bqfmt", ""}, {"bafmt", ""},
          {"did", nullptr}, {"bfont", ""}, {"bsize", 0}};
}

nlohmann::json Model(int64_t id, const char* name, int type, int64_t mod_s,
                     int64_t did) {
  nlohmann::json m = {
      {"id", id},
      {"name", name},
      {"type", type},
      {"mod", mod_s},
      {"usn", -1},
      {"sortf", 0},
      {"did", did},
      {"latexPre",
       "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n"
       "\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n"
       "\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n"
       "\\begin{document}\n"},
      {"latexPost", "\\end{document}"},
      {"latexsvg", false},
      {"tags", nlohmann::json::array()},
      {"vers", nlohmann::json::array()},
  };
  if (type == 0) {
    m["flds"] = {Field("Front", 0), Field("Back", 1)};
    m["tmpls"] = {Template("Card 1", "{{Front}}",
                           "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}")};
    m["css"] = kCss;
    m["req"] = {{0, "any", {0}}};
  } else {
    m["flds"] = {Field("Text", 0), Field("Back Extra", 1)};
    m["tmpls"] = {Template("Cloze", "{{cloze:Text}}",
                           "{{cloze:Text}}<br>\n{{Back Extra}}")};
    m["css"] = std::string(kCss) + kClozeCss;
  }
  return m;
}

nlohmann::json Deck(int64_t id, const std::string& name, int64_t mod_s) {
  return {
      {"id", id},           {"name", name},       {"mod", mod_s},
      {"usn", -1},          {"desc", ""},         {"dyn", 0},
      {"conf", kDconfId},   {"collapsed", false}, {"browserCollapsed", false},
      {"extendNew", 0},     {"extendRev", 0},     {"newToday", {0, 0}},
      {"revToday", {0, 0}}, {"lrnToday", {0, 0}}, {"timeToday", {0, 0}}};
}

nlohmann::json DeckConfig(int64_t mod_s) {
  return {
      {"id", kDconfId},
      {"mod", mod_s},
      {"name", "Default"},
      {"usn", -1},
      {"maxTaken", 60},
      {"autoplay", true},
      {"timer", 0},
      {"replayq", true},
      {"dyn", false},
      {"new",
       {{"delays", {1.0, 10.0}},
        {"ints", {1, 4, 0}},
        {"initialFactor", 2500},
        {"order", 1},
        {"perDay", 20},
        {"bury", false}}},
      {"rev",
       {{"perDay", 200},
        {"ease4", 1.3},
        {"ivlFct", 1.0},
        {"maxIvl", 36500},
        {"hardFactor", 1.2},
        {"bury", false}}},
      {"lapse",
       {{"delays", {10.0}},
        {"mult", 0.0},
        {"minInt", 1},
        {"leechFails", 8},
        {"leechAction", 1}}},
  };
}

// A zip of `files` (name, bytes), in memory.
Result<std::string> Zip(
    const std::vector<std::pair<std::string, std::string>>& files) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(nullptr, 0, 0, &error);
  if (source == nullptr) {
    zip_error_fini(&error);
    return Fail(ErrorCode::kInternal, "zip: cannot create a buffer");
  }
  zip_t* archive = zip_open_from_source(source, ZIP_TRUNCATE, &error);
  if (archive == nullptr) {
    zip_source_free(source);
    zip_error_fini(&error);
    return Fail(ErrorCode::kInternal, "zip: cannot open the archive");
  }
  zip_error_fini(&error);
  zip_source_keep(source);
  for (const auto& [name, data] : files) {
    zip_source_t* entry =
        zip_source_buffer(archive, data.data(), data.size(), 0);
    if (entry == nullptr ||
        zip_file_add(archive, name.c_str(), entry, ZIP_FL_ENC_UTF_8) < 0) {
      if (entry != nullptr) zip_source_free(entry);
      zip_discard(archive);
      zip_source_free(source);
      return Fail(ErrorCode::kInternal, "zip: cannot add " + name);
    }
  }
  if (zip_close(archive) != 0) {
    std::string why = zip_strerror(archive);
    zip_discard(archive);
    zip_source_free(source);
    return Fail(ErrorCode::kInternal, "zip: " + why);
  }
  std::string out;
  if (zip_source_open(source) == 0) {
    zip_source_seek(source, 0, SEEK_END);
    zip_int64_t size = zip_source_tell(source);
    zip_source_seek(source, 0, SEEK_SET);
    if (size > 0) {
      out.resize(static_cast<size_t>(size));
      zip_int64_t got = zip_source_read(source, out.data(), out.size());
      if (got != size) out.clear();
    }
    zip_source_close(source);
  }
  zip_source_free(source);
  if (out.empty()) return Fail(ErrorCode::kInternal, "zip: empty archive");
  return out;
}

constexpr const char* kSchema11 = R"sql(
CREATE TABLE col (id integer primary key, crt integer not null,
  mod integer not null, scm integer not null, ver integer not null,
  dty integer not null, usn integer not null, ls integer not null,
  conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null,
  mid integer not null, mod integer not null, usn integer not null,
  tags text not null, flds text not null, sfld integer not null,
  csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null,
  did integer not null, ord integer not null, mod integer not null,
  usn integer not null, type integer not null, queue integer not null,
  due integer not null, ivl integer not null, factor integer not null,
  reps integer not null, lapses integer not null, left integer not null,
  odue integer not null, odid integer not null, flags integer not null,
  data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null,
  usn integer not null, ease integer not null, ivl integer not null,
  lastIvl integer not null, factor integer not null, time integer not null,
  type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null,
  type integer not null);
CREATE INDEX ix_notes_usn on notes (usn);
CREATE INDEX ix_cards_usn on cards (usn);
CREATE INDEX ix_revlog_usn on revlog (usn);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_cards_sched on cards (did, queue, due);
CREATE INDEX ix_revlog_cid on revlog (cid);
CREATE INDEX ix_notes_csum on notes (csum);
)sql";

std::string TagsColumn(const std::vector<std::string>& tags) {
  std::string out = " ";
  for (const std::string& t : tags) {
    std::string clean;
    for (char c : t) {
      if (c != ' ' && c != '\t' && c != '\n' && c != '\x1f') clean.push_back(c);
    }
    if (!clean.empty()) out += clean + " ";
  }
  return out == " " ? "" : out;
}

}  // namespace

Result<std::string> WriteApkg(std::span<const Card> cards,
                              std::string_view deck_name,
                              const ApkgOptions& options) {
  int64_t now_ms = options.now_ms;
  if (now_ms == 0) {
    now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  }
  const int64_t now_s = now_ms / 1000;
  std::string deck(Trim(deck_name));
  if (deck.empty()) deck = "mindcards";
  const std::string ns =
      options.guid_namespace.empty() ? deck : options.guid_namespace;

  sqlite3* raw = nullptr;
  if (sqlite3_open(":memory:", &raw) != SQLITE_OK) {
    detail::SqliteDb guard(raw);
    return Fail(ErrorCode::kInternal, "sqlite: cannot open a memory database");
  }
  detail::SqliteDb db(raw);
  if (auto ok = Exec(db.get(), kSchema11); !ok)
    return tl::unexpected(ok.error());
  if (auto ok = Exec(db.get(), "BEGIN"); !ok) return tl::unexpected(ok.error());

  // Decks: the Default deck Anki always has, our deck and its parents.
  nlohmann::json decks = nlohmann::json::object();
  decks["1"] = Deck(1, "Default", now_s);
  int64_t deck_id = 0;
  for (size_t pos = 0;;) {
    size_t sep = deck.find("::", pos);
    std::string prefix = deck.substr(0, sep);
    int64_t id = StableId("deck:" + prefix);
    decks[std::to_string(id)] = Deck(id, prefix, now_s);
    deck_id = id;
    if (sep == std::string::npos) break;
    pos = sep + 2;
  }
  nlohmann::json models = nlohmann::json::object();
  models[std::to_string(kBasicModelId)] =
      Model(kBasicModelId, "mindcards Basic", 0, now_s, deck_id);
  models[std::to_string(kClozeModelId)] =
      Model(kClozeModelId, "mindcards Cloze", 1, now_s, deck_id);
  nlohmann::json dconf = {{std::to_string(kDconfId), DeckConfig(now_s)}};
  nlohmann::json conf = {{"activeDecks", {1}},
                         {"curDeck", 1},
                         {"newSpread", 0},
                         {"collapseTime", 1200},
                         {"timeLim", 0},
                         {"estTimes", true},
                         {"dueCounts", true},
                         {"curModel", nullptr},
                         {"nextPos", cards.size() + 1},
                         {"sortType", "noteFld"},
                         {"sortBackwards", false},
                         {"addToCur", true}};
  const int64_t day_start_s = now_s - now_s % 86400;
  {
    auto s = Statement::Prepare(
        db.get(),
        "INSERT INTO col VALUES (1, ?, ?, ?, 11, 0, 0, 0, ?, ?, ?, ?, '{}')");
    if (!s) return tl::unexpected(s.error());
    auto dump = [](const nlohmann::json& j) {
      return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    s->Bind(1, day_start_s)
        .Bind(2, now_ms)
        .Bind(3, now_ms)
        .Bind(4, dump(conf))
        .Bind(5, dump(models))
        .Bind(6, dump(decks))
        .Bind(7, dump(dconf));
    if (auto ok = s->Run(); !ok) return tl::unexpected(ok.error());
  }
  auto note_stmt = Statement::Prepare(
      db.get(), "INSERT INTO notes VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')");
  auto card_stmt = Statement::Prepare(
      db.get(),
      "INSERT INTO cards VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, "
      "0, 0, 0, '')");
  if (!note_stmt) return tl::unexpected(note_stmt.error());
  if (!card_stmt) return tl::unexpected(card_stmt.error());

  std::set<std::string> guids;
  std::set<int64_t> ids;
  auto unique_id = [&](std::string_view key) {
    int64_t id = StableId(key);
    while (!ids.insert(id).second) ++id;  // rare collisions: next free id
    return id;
  };
  int64_t due = 0;
  for (const Card& card : cards) {
    std::string guid = detail::AnkiGuid(ns, card.id);
    if (!guids.insert(guid).second) continue;  // the same card twice
    std::string context = ContextHtml(card);
    std::string cloze =
        card.kind == CardKind::kCloze ? ClozeHtml(card) : std::string();
    std::string first, second;
    int64_t model = kBasicModelId;
    if (!cloze.empty()) {
      model = kClozeModelId;
      first = context + cloze;
    } else {
      first = context + "<div class=\"front\">" + Escape(card.front) + "</div>";
      if (!card.choices.empty()) {
        first += "<ol class=\"choices\">";
        for (const std::string& c : card.choices) {
          first += "<li>" + Escape(c) + "</li>";
        }
        first += "</ol>";
      }
      second = Escape(card.back);
    }
    std::string fields = first + '\x1f' + second;
    std::vector<std::string> tags = {"mindcards",
                                     std::string(CardKindName(card.kind))};
    tags.insert(tags.end(), options.tags.begin(), options.tags.end());
    int64_t note_id = unique_id("note:" + guid);
    int64_t card_id = unique_id("card:" + guid);
    note_stmt->Bind(1, note_id)
        .Bind(2, std::string_view(guid))
        .Bind(3, model)
        .Bind(4, now_s)
        .Bind(5, TagsColumn(tags))
        .Bind(6, std::string_view(fields))
        .Bind(7, detail::StripAnkiHtml(first))
        .Bind(8, static_cast<int64_t>(detail::AnkiFieldChecksum(first)));
    if (auto ok = note_stmt->Run(); !ok) return tl::unexpected(ok.error());
    card_stmt->Bind(1, card_id)
        .Bind(2, note_id)
        .Bind(3, deck_id)
        .Bind(4, now_s)
        .Bind(5, ++due);
    if (auto ok = card_stmt->Run(); !ok) return tl::unexpected(ok.error());
  }
  if (auto ok = Exec(db.get(), "COMMIT"); !ok)
    return tl::unexpected(ok.error());

  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db.get(), "main", &size, 0);
  if (bytes == nullptr) {
    return Fail(ErrorCode::kInternal,
                "sqlite: cannot serialise the collection");
  }
  std::string collection(reinterpret_cast<const char*>(bytes),
                         static_cast<size_t>(size));
  sqlite3_free(bytes);
  return Zip({{"collection.anki2", std::move(collection)}, {"media", "{}"}});
}

}  // namespace mindcards
