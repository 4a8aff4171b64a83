#include "mindcards/text.h"

#include <gtest/gtest.h>
#include <utf8proc.h>

#include <cstdlib>

namespace mindcards {
namespace {

TEST(TextTest, ValidateUtf8ReportsLineAndColumn) {
  EXPECT_TRUE(ValidateUtf8("héllo\nwörld"));
  auto r = ValidateUtf8("ok\nhé\xFFx");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().ToString(), "<input>:2:3: invalid UTF-8 (byte 0xFF)");
  EXPECT_FALSE(ValidateUtf8("\xC0\x80"));          // overlong NUL
  EXPECT_FALSE(ValidateUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(ValidateUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(ValidateUtf8("abc\xE2\x82"));       // truncated
}

TEST(TextTest, NfcComposesAccents) {
  EXPECT_EQ(ToNfc("e\xCC\x81"), "\xC3\xA9");
  EXPECT_EQ(ToNfc("plain"), "plain");
}

TEST(TextTest, QuickNfcCheckNeverSkipsWorkToDo) {
  // Texts the quick check accepts must already be NFC.
  for (const char* text :
       {"caf\xC3\xA9", "\xD0\x99\xD0\xBE\xD0\xB6", "\xE6\x9D\xB1\xE4\xBA\xAC",
        "\xEA\xB0\x80", "\xE3\x81\x8B"}) {
    EXPECT_TRUE(IsSurelyNfc(text)) << text;
    EXPECT_EQ(ToNfc(text), text);
  }
  // Decomposed forms and combining marks take the slow path.
  EXPECT_FALSE(IsSurelyNfc("e\xCC\x81"));                 // e + U+0301
  EXPECT_FALSE(IsSurelyNfc("\xE3\x81\x8B\xE3\x82\x99"));  // ka + U+3099
  EXPECT_EQ(ToNfc("\xE3\x81\x8B\xE3\x82\x99"), "\xE3\x81\x8C");
  EXPECT_FALSE(IsSurelyNfc("ok\xFF"));  // malformed is never "surely NFC"
  EXPECT_FALSE(IsSurelyNfc("\xC3"));
  EXPECT_FALSE(IsSurelyNfc("\xE2\x80\x80"));  // U+2000 -> U+2002
  EXPECT_EQ(ToNfc("\xE2\x80\x80"), "\xE2\x80\x82");
}

// NFC by utf8proc alone: an oracle independent of ToNfc's fast path.
std::string Utf8procNfc(const std::string& s) {
  utf8proc_uint8_t* out = nullptr;
  utf8proc_ssize_t len = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
      static_cast<utf8proc_ssize_t>(s.size()), &out,
      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (len < 0) return "<error>";
  std::string r(reinterpret_cast<const char*>(out), static_cast<size_t>(len));
  std::free(out);
  return r;
}

// The one-pass check readers rely on: whatever it accepts must be valid,
// NFC, trimmed and free of controls other than tab and newline. Random
// strings from pieces that hit every branch (ASCII runs longer and shorter
// than its eight-byte step, accents, CJK, combining marks, controls, a BOM,
// malformed bytes).
TEST(TextTest, PlainNfcCheckAcceptsOnlyCanonicalText) {
  const char* const kPieces[] = {"a",
                                 "word ",
                                 "eight by",
                                 " ",
                                 "\t",
                                 "\n",
                                 "\r",
                                 "\x01",
                                 "\x7F",
                                 "\xC3\xA9",
                                 "\xCB\xBF",
                                 "\xCC\x81",
                                 "\xE6\x9D\xB1",
                                 "\xE4\xB8\x80",
                                 "\xE3\x82\x99",
                                 "\xEF\xBB\xBF",
                                 "\xFF",
                                 "\xC3",
                                 "\xE6\x9D",
                                 "\xED\xA0\x80"};
  uint32_t state = 12345;
  size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    int pieces = 1 + static_cast<int>(state % 9);
    for (int k = 0; k < pieces; ++k) {
      state = state * 1664525u + 1013904223u;
      s += kPieces[(state >> 8) % std::size(kPieces)];
    }
    if (!IsSurelyPlainNfc(s)) continue;
    ++accepted;
    ASSERT_TRUE(ValidateUtf8(s)) << s;
    EXPECT_EQ(Utf8procNfc(s), s);
    EXPECT_EQ(Trim(s), s);
    for (char c : s) {
      auto b = static_cast<unsigned char>(c);
      EXPECT_TRUE(b >= 0x20 || c == '\t' || c == '\n') << s;
    }
    EXPECT_EQ(s.find("\xEF\xBB\xBF"), std::string::npos);
  }
  EXPECT_GT(accepted, 500u);  // the check is not vacuous
  EXPECT_TRUE(
      IsSurelyPlainNfc("Caf\xC3\xA9 \xE6\x9D\xB1\xE4\xBA\xAC\tand\nmore"));
  EXPECT_FALSE(IsSurelyPlainNfc(" leading"));
  EXPECT_FALSE(IsSurelyPlainNfc("trailing\n"));
  EXPECT_FALSE(IsSurelyPlainNfc("a long line\rwith a CR"));
}

// The scan tests blocks of sixteen bytes, the last one overlapping the one
// before and a short text padded: a bad byte must be found at every
// position of every length around those sizes.
TEST(TextTest, SurelyPlainNfcFindsABadByteAnywhere) {
  const char* const kBad[] = {"\x01", "\r", "e\xCC\x81", "\xEF\xBB\xBF",
                              "\xFF"};
  for (size_t n = 1; n <= 48; ++n) {
    std::string plain(n, 'x');
    EXPECT_TRUE(IsSurelyPlainNfc(plain)) << n;
    EXPECT_TRUE(IsSurelyNfc(plain)) << n;
    for (size_t at = 1; at + 1 < n; ++at) {
      for (const char* bad : kBad) {
        std::string s = plain;
        s.replace(at, 1, bad);
        EXPECT_FALSE(IsSurelyPlainNfc(s)) << n << " " << at << " " << bad;
      }
      std::string accented = plain;
      accented.replace(at, 1, "\xC3\xA9");
      EXPECT_TRUE(IsSurelyPlainNfc(accented)) << n << " " << at;
    }
  }
}

TEST(TextTest, FoldWhitespace) {
  EXPECT_EQ(FoldWhitespace("  a \n\t b  "), "a b");
  EXPECT_EQ(FoldWhitespace("a\xC2\xA0"
                           "b"),
            "a b");
}

TEST(TextTest, Latin1AndCp1252) {
  EXPECT_EQ(Latin1ToUtf8("caf\xE9"), "caf\xC3\xA9");
  EXPECT_EQ(Cp1252ToUtf8("\x93q\x94"), "\xE2\x80\x9Cq\xE2\x80\x9D");
}

}  // namespace
}  // namespace mindcards
