// UTF-8 text helpers shared by every component.
#ifndef MINDCARDS_TEXT_H_
#define MINDCARDS_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "mindcards/error.h"

namespace mindcards {

// Checks that `text` is well-formed UTF-8. On failure the error's position
// is the line and column (in code points) of the first bad byte.
Result<void> ValidateUtf8(std::string_view text);

// Returns `text` in Unicode Normalization Form C. `text` must be valid UTF-8.
std::string ToNfc(std::string_view text);

// True when `text` is certainly valid UTF-8 in NFC already, judged by a
// fast scan; false means "maybe not" (or malformed) and ValidateUtf8 and
// ToNfc must decide.
bool IsSurelyNfc(std::string_view text);
// IsSurelyNfc, and also: no white space at either end and no control
// characters but tab and newline. The text every reader stores, checked in
// one pass.
bool IsSurelyPlainNfc(std::string_view text);
// IsSurelyPlainNfc but for the ends: white space there is allowed. Made
// only of code points that are NFC-stable in any context, such a text
// stays surely NFC when cut at code-point boundaries and the pieces are
// joined with ASCII text, so a reader can check a whole input once.
bool IsSurelyPlainNfcInside(std::string_view text);
// No white space (as IsSurelyPlainNfc sees it) at either end of `text`.
bool HasTrimmedEnds(std::string_view text);

// True when every byte is ASCII (such text is already NFC).
bool IsAscii(std::string_view text);

// Collapses runs of white space (including newlines) into one space and trims
// both ends.
std::string FoldWhitespace(std::string_view text);

// Trims ASCII white space from both ends.
std::string_view Trim(std::string_view text);

// Decodes the code point at `text[*i]` and advances `*i`. Returns U+FFFD and
// advances one byte on malformed input.
char32_t DecodeUtf8(std::string_view text, size_t* i);
// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string* out);

// Number of code points in `text` (valid UTF-8 assumed).
size_t CodePointCount(std::string_view text);

// Converts ISO-8859-1 (Latin-1) bytes to UTF-8.
std::string Latin1ToUtf8(std::string_view bytes);
// Converts Windows-1252 bytes to UTF-8 (Latin-1 with the 0x80-0x9F
// punctuation of Windows).
std::string Cp1252ToUtf8(std::string_view bytes);

// Computes the line and column (1-based, columns in code points) of byte
// `offset` in `text`. O(offset).
SourcePos PosOfOffset(std::string_view text, size_t offset);

// Lower-cases ASCII letters.
std::string AsciiLower(std::string_view text);

}  // namespace mindcards

#endif  // MINDCARDS_TEXT_H_
