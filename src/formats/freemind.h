// The FreeMind / Freeplane .mm reader's two paths, exposed so that tests
// and the fuzzer can check that they agree. ReadMap uses the format's
// FormatSpec, which tries the streaming path first.
#ifndef MINDCARDS_FORMATS_FREEMIND_H_
#define MINDCARDS_FORMATS_FREEMIND_H_

#include <optional>
#include <string_view>

#include "mindcards/error.h"
#include "mindcards/formats.h"
#include "mindcards/map.h"

namespace mindcards::detail {

// Reads a map from a pugixml DOM of the whole file: every input, every
// error with its position. Neither path canonicalises text (ReadMap's
// reader does, after them).
[[nodiscard]] Result<Map> ReadFreemindWithDom(std::string_view bytes,
                                              const ReadLimits& limits,
                                              Diagnostics* diagnostics);

// Reads the same map in one pass over the bytes (XmlPull), without a DOM;
// nullopt for input it leaves to ReadFreemindWithDom: anything XmlPull
// gives up on, a passed limit, a Freeplane group marker to drop. When it
// returns a map, ReadFreemindWithDom returns the same map and warnings.
// `*canonical` tells whether every node text and note is surely in
// canonical form already (CanonicalizeMapText would change nothing).
std::optional<Map> ReadFreemindStreaming(std::string_view bytes,
                                         const ReadLimits& limits,
                                         Diagnostics* diagnostics,
                                         bool* canonical);

}  // namespace mindcards::detail

#endif  // MINDCARDS_FORMATS_FREEMIND_H_
