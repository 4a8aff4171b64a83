// Anki package (.apkg) export.
//
// Writes the "legacy 1" layout every Anki since 2.0 imports (and AnkiDroid,
// AnkiMobile, RemNote): a zip holding `collection.anki2` (an SQLite database
// at schema 11) and a `media` map ("{}": no media). Cloze cards become notes
// of a "mindcards Cloze" note type, every other kind a note of a
// "mindcards Basic" note type (Front, Back); the card's context (its path
// of headings) is shown above the prompt.
//
// Re-importing an updated export updates the notes instead of duplicating
// them: note guids come from the card's stable id (and `guid_namespace`),
// note and card ids from the same hash, and the note type and deck ids are
// fixed. Note `mod` is the export time, so Anki sees each export as newer.
#ifndef MINDCARDS_APKG_H_
#define MINDCARDS_APKG_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/cards.h"
#include "mindcards/error.h"

namespace mindcards {

struct ApkgOptions {
  // Export time in ms since the epoch; 0 = now. Fixing it makes the output
  // byte-for-byte reproducible.
  int64_t now_ms = 0;
  // Mixed into every guid so that two maps whose cards happen to share ids
  // do not overwrite each other in Anki. Empty: the deck name.
  std::string guid_namespace;
  // Tags put on every note (no spaces inside a tag); "mindcards" and the
  // card kind are always added.
  std::vector<std::string> tags;
};

// The .apkg bytes for `cards` in deck `deck_name` ("A::B" nests B in A;
// empty means "mindcards"). Fails only on an internal SQLite or zip error.
[[nodiscard]] Result<std::string> WriteApkg(std::span<const Card> cards,
                                            std::string_view deck_name,
                                            const ApkgOptions& options = {});

namespace detail {
// Anki's guid for a note: base91 of the first 64 bits of
// SHA-1("mindcards:" + ns + ":" + card_id).
std::string AnkiGuid(std::string_view ns, std::string_view card_id);
// Anki's field checksum: the first 32 bits of SHA-1 of the field with HTML
// stripped (our fields use only plain tags and the entities &amp; &lt; &gt;
// &quot; &#NNN;).
uint32_t AnkiFieldChecksum(std::string_view field_html);
// The field with tags removed and those entities decoded.
std::string StripAnkiHtml(std::string_view field_html);
// SHA-1 of `data` (20 bytes).
std::string Sha1(std::string_view data);
}  // namespace detail

}  // namespace mindcards

#endif  // MINDCARDS_APKG_H_
