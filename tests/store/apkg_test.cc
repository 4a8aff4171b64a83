#include "mindcards/apkg.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "mindcards/cards.h"
#include "mindcards/formats.h"
#include "store/sqlite_util.h"
#include "test_util.h"

namespace mindcards {
namespace {

constexpr int64_t kNow = 1'780'000'000'000;

std::string Hex(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes) out += fmt::format("{:02x}", c);
  return out;
}

TEST(ApkgHelpersTest, Sha1MatchesKnownDigests) {
  EXPECT_EQ(Hex(detail::Sha1("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(Hex(detail::Sha1("abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Hex(detail::Sha1(std::string(1000, 'a'))),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba");
}

TEST(ApkgHelpersTest, ChecksumStripsHtmlLikeAnki) {
  // sha1("") starts da39a3ee.
  EXPECT_EQ(detail::AnkiFieldChecksum("<div></div>"), 0xda39a3eeu);
  EXPECT_EQ(detail::StripAnkiHtml(
                "<div class=\"context\">A &amp; B</div>x&lt;y&#123;z<br>w"),
            "A & Bx<y{zw");
  EXPECT_EQ(detail::AnkiFieldChecksum("a<b>bc</b>"),
            detail::AnkiFieldChecksum("abc"));
}

TEST(ApkgHelpersTest, GuidsAreStableAndNamespaced) {
  std::string g = detail::AnkiGuid("Cold War", "0123456789abcdef");
  EXPECT_EQ(g, detail::AnkiGuid("Cold War", "0123456789abcdef"));
  EXPECT_NE(g, detail::AnkiGuid("Other", "0123456789abcdef"));
  EXPECT_NE(g, detail::AnkiGuid("Cold War", "0123456789abcdee"));
  EXPECT_GE(g.size(), 8u);
  EXPECT_LE(g.size(), 10u);
}

// The members of a zip, by name.
std::map<std::string, std::string> Unzip(const std::string& bytes) {
  std::map<std::string, std::string> out;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src =
      zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* za =
      src != nullptr ? zip_open_from_source(src, ZIP_RDONLY, &error) : nullptr;
  zip_error_fini(&error);
  if (za == nullptr) {
    if (src != nullptr) zip_source_free(src);
    ADD_FAILURE() << "not a zip";
    return out;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(za, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(za, static_cast<zip_uint64_t>(i), 0, &st);
    zip_file_t* f = zip_fopen_index(za, static_cast<zip_uint64_t>(i), 0);
    std::string data(st.size, '\0');
    zip_fread(f, data.data(), st.size);
    zip_fclose(f);
    out[st.name] = std::move(data);
  }
  zip_close(za);
  return out;
}

// Runs `sql` on the collection and returns the rows as "a|b|c" lines.
std::vector<std::string> Query(const std::string& collection,
                               const std::string& sql) {
  std::vector<std::string> rows;
  sqlite3* raw = nullptr;
  sqlite3_open(":memory:", &raw);
  detail::SqliteDb db(raw);
  auto* buf = static_cast<unsigned char*>(sqlite3_malloc64(collection.size()));
  std::memcpy(buf, collection.data(), collection.size());
  int rc = sqlite3_deserialize(
      db.get(), "main", buf, static_cast<sqlite3_int64>(collection.size()),
      static_cast<sqlite3_int64>(collection.size()),
      SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
  EXPECT_EQ(rc, SQLITE_OK);
  auto s = detail::Statement::Prepare(db.get(), sql);
  EXPECT_TRUE(s) << sql;
  if (!s) return rows;
  while (true) {
    auto row = s->Step();
    if (!row || !*row) break;
    std::string line;
    for (int c = 0; c < sqlite3_column_count(s->get()); ++c) {
      if (c > 0) line += "|";
      line += s->Text(c);
    }
    rows.push_back(line);
  }
  return rows;
}

std::vector<Card> HostileCards() {
  std::vector<Card> cards(4);
  cards[0].id = "00000000000000a1";
  cards[0].kind = CardKind::kCloze;
  cards[0].front = "Armistice along [...] in July 53";
  cards[0].back = "38th parallel";
  cards[0].cloze = "Armistice along {{c1::38th parallel}} in July 53 {{c2::x}}";
  cards[0].context = {"Cold War", "Korea"};
  cards[1].id = "00000000000000a2";
  cards[1].kind = CardKind::kWhen;
  cards[1].front = "When: <img src=x onerror=alert(1)> & \"quotes\"?";
  cards[1].back = "1955\nmaybe";
  cards[1].context = {"Root"};
  cards[2].id = "00000000000000a3";
  cards[2].kind = CardKind::kChoice;
  cards[2].front = "Who succeeded Stalin?\xa0\xe2\x80";  // cut UTF-8
  cards[2].back = "Malenkov";
  cards[2].choices = {"Molotov", "Malenkov", "Beria", "Bulganin"};
  cards[3] = cards[1];  // the same card twice: written once
  return cards;
}

TEST(ApkgTest, WritesLegacySchema11WithBasicAndClozeNotes) {
  std::vector<Card> cards = HostileCards();
  ApkgOptions options;
  options.now_ms = kNow;
  auto apkg = WriteApkg(cards, "Cold War::Peaceful Coexistence", options);
  ASSERT_TRUE(apkg) << apkg.error().ToString();
  auto files = Unzip(*apkg);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files["media"], "{}");
  const std::string& col = files["collection.anki2"];
  EXPECT_EQ(Query(col, "SELECT ver, crt, mod FROM col"),
            std::vector<std::string>{"11|1779926400|1780000000000"});
  auto decks = nlohmann::json::parse(Query(col, "SELECT decks FROM col")[0]);
  std::set<std::string> names;
  for (const auto& [id, d] : decks.items()) {
    names.insert(d["name"].get<std::string>());
  }
  EXPECT_EQ(names, (std::set<std::string>{"Default", "Cold War",
                                          "Cold War::Peaceful Coexistence"}));
  auto notes =
      Query(col,
            "SELECT n.mid, replace(n.flds, char(31), ' || '), n.tags FROM "
            "notes n JOIN cards c ON c.nid = n.id ORDER BY c.due");
  ASSERT_EQ(notes.size(), 3u);
  EXPECT_EQ(notes[0],
            "1735689600002|<div class=\"context\">Cold War \u203A "
            "Korea</div>Armistice along {{c1::38th parallel}} in July 53 "
            "&#123;&#123;c2::x}} || | mindcards cloze ");
  EXPECT_EQ(notes[1],
            "1735689600001|<div class=\"context\">Root</div><div "
            "class=\"front\">When: &lt;img src=x onerror=alert(1)&gt; &amp; "
            "&quot;quotes&quot;?</div> || 1955<br>maybe| mindcards when ");
  EXPECT_EQ(notes[2],
            "1735689600001|<div class=\"front\">Who succeeded "
            "Stalin?\uFFFD\uFFFD\uFFFD</div><ol "
            "class=\"choices\"><li>Molotov</li><li>Malenkov</li><li>Beria</"
            "li><li>Bulganin</li></ol> || Malenkov| mindcards choice ");
  // Cards go to our deck, never to Default; ids are in the past.
  EXPECT_EQ(Query(col, "SELECT count(*) FROM cards WHERE did = 1"),
            std::vector<std::string>{"0"});
  EXPECT_EQ(Query(col,
                  "SELECT count(*) FROM cards WHERE id > 1780000000000 "
                  "OR nid > 1780000000000"),
            std::vector<std::string>{"0"});
}

TEST(ApkgTest, ReexportKeepsGuidsAndIds) {
  std::vector<Card> cards = HostileCards();
  ApkgOptions first;
  first.now_ms = kNow;
  ApkgOptions later;
  later.now_ms = kNow + 86'400'000;
  auto a = WriteApkg(cards, "Deck", first);
  cards[1].back = "1956";  // edited answer, same card id
  auto b = WriteApkg(cards, "Deck", later);
  ASSERT_TRUE(a && b);
  std::string sql =
      "SELECT n.id, n.guid, c.id FROM notes n JOIN cards c ON "
      "c.nid = n.id ORDER BY n.id";
  EXPECT_EQ(Query(Unzip(*a)["collection.anki2"], sql),
            Query(Unzip(*b)["collection.anki2"], sql));
  EXPECT_EQ(Query(Unzip(*b)["collection.anki2"], "SELECT max(mod) FROM notes"),
            std::vector<std::string>{std::to_string(later.now_ms / 1000)});
  // Same input, same time: the same bytes.
  auto again = WriteApkg(cards, "Deck", later);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, *b);
}

std::string RunCommand(const std::string& command, int* status) {
  std::string out;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) {
    *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = pclose(p);
  *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

// Installs anki-reader into a scratch folder under the build directory and
// returns the path of validate_apkg.mjs copied there; "" (with the reason in
// `why`) when node, npm or ../shared is missing.
std::string Validator(std::string* why) {
  std::string shared = testing::SharedDir();
  std::string script = shared + "/study/validate_apkg.mjs";
  if (shared.empty() || !std::filesystem::exists(script)) {
    *why = "../shared/study/validate_apkg.mjs is absent";
    return "";
  }
  int status = 0;
  RunCommand("node --version >/dev/null 2>&1 && npm --version >/dev/null 2>&1",
             &status);
  if (status != 0) {
    *why = "node or npm is not installed";
    return "";
  }
  std::string dir =
      std::filesystem::current_path().string() + "/apkg-validator";
  std::filesystem::create_directories(dir);
  if (!std::filesystem::exists(dir + "/node_modules/anki-reader")) {
    // ctest -j runs the validator tests side by side: one installs while
    // the others wait on the lock, then find the package there.
    std::string log = RunCommand(
        "cd '" + dir +
            "' && flock .install.lock sh -c 'test -d node_modules/anki-reader "
            "|| { (test -f package.json || npm init -y >/dev/null) && npm "
            "install --no-audit --no-fund anki-reader@0.3.0; }' 2>&1",
        &status);
    if (status != 0) {
      *why = "npm install anki-reader failed (offline?): " + log;
      return "";
    }
  }
  // One copy per test process, so no test reads a copy another is writing.
  std::string copy = fmt::format("{}/validate_apkg-{}.mjs", dir, getpid());
  std::filesystem::copy_file(script, copy,
                             std::filesystem::copy_options::overwrite_existing);
  return copy;
}

// Validates `apkg` with the independent reader; returns its JSON report.
nlohmann::json Validate(const std::string& validator, const std::string& apkg,
                        const std::string& name) {
  std::string path =
      std::filesystem::path(validator).parent_path().string() + "/" + name;
  std::ofstream(path, std::ios::binary) << apkg;
  int status = 0;
  // Into a file: node may cut long output to a pipe short at process.exit.
  RunCommand(
      "node '" + validator + "' '" + path + "' --json > '" + path + ".json'",
      &status);
  std::string out = testing::ReadFileOrDie(path + ".json");
  auto report = nlohmann::json::parse(out, nullptr, false);
  EXPECT_FALSE(report.is_discarded()) << out;
  EXPECT_EQ(status, 0) << out;
  return report;
}

TEST(ApkgTest, HostileCardsValidateWithAnkiReader) {
  std::string why;
  std::string validator = Validator(&why);
  if (validator.empty()) GTEST_SKIP() << why;
  ApkgOptions options;
  options.now_ms = kNow;
  auto apkg = WriteApkg(HostileCards(), "Cold War::Tests", options);
  ASSERT_TRUE(apkg);
  auto report = Validate(validator, *apkg, "hostile.apkg");
  EXPECT_EQ(report["errors"].dump(), "[]");
  EXPECT_EQ(report["warnings"].dump(), "[]");
  ASSERT_EQ(report["cards"].size(), 3u);
  nlohmann::json cloze;
  for (const auto& c : report["cards"]) {
    if (c["question"].get<std::string>().find("Armistice") !=
        std::string::npos) {
      cloze = c;
    }
  }
  // The map's own "{{c2::x}}" is escaped, so Anki finds no second cloze
  // (no warning above). The checker renders after decoding entities, which
  // is why it shows the inert text as "x".
  EXPECT_EQ(cloze["question"],
            "Cold War \u203A KoreaArmistice along [...] in July 53 x");
  EXPECT_EQ(cloze["answer"],
            "Cold War \u203A KoreaArmistice along [38th parallel] in July 53 "
            "x");
}

// Acceptance 6: the seed's cards as an .apkg validate with zero errors.
TEST(ApkgTest, SeedValidatesWithZeroErrors) {
  std::string seed = testing::ReadFileOrDie(
      testing::SourceDir() + "/examples/peaceful-coexistence.txt");
  ReadOptions read;
  read.filename = "peaceful-coexistence.txt";
  auto map = ReadMap(seed, read);
  ASSERT_TRUE(map) << map.error().ToString();
  std::vector<Card> cards = GenerateCards(*map, CardOptions());
  ASSERT_GE(cards.size(), 20u);
  ApkgOptions options;
  options.now_ms = kNow;
  auto apkg = WriteApkg(cards, "Peaceful Coexistence", options);
  ASSERT_TRUE(apkg) << apkg.error().ToString();
  std::set<std::string> ids;
  for (const Card& c : cards) ids.insert(c.id);
  auto col = Unzip(*apkg)["collection.anki2"];
  EXPECT_EQ(Query(col, "SELECT count(*) FROM notes"),
            std::vector<std::string>{std::to_string(ids.size())});
  std::string why;
  std::string validator = Validator(&why);
  if (validator.empty()) GTEST_SKIP() << why;
  auto report = Validate(validator, *apkg, "seed.apkg");
  EXPECT_EQ(report["errors"].dump(), "[]");
  EXPECT_EQ(report["warnings"].dump(), "[]");
  EXPECT_EQ(report["notes"].size(), ids.size());
  EXPECT_EQ(report["cards"].size(), ids.size());
}

}  // namespace
}  // namespace mindcards
