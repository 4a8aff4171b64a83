#include "mindcards/text.h"

#include <gtest/gtest.h>

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
