// Reading and writing mind maps in every format mindcards knows.
//
// Each format lives in one file under src/formats/ and describes itself with
// a FormatSpec; the registry (src/formats/registry.cc) lists them. Adding a
// format means adding a file and one line there.
#ifndef MINDCARDS_FORMATS_H_
#define MINDCARDS_FORMATS_H_

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mindcards/error.h"
#include "mindcards/map.h"

namespace mindcards {

// Limits every reader enforces; passing one is an error, never a crash.
struct ReadLimits {
  size_t max_bytes = size_t{256} << 20;  // input size (and unpacked size)
  size_t max_depth = 1'000'000;          // edges from the root
  size_t max_nodes = 50'000'000;
  // Threads a reader may use. Markdown: 1 runs on the calling thread
  // only; 2 or more parses on one more thread while the calling thread
  // builds the map; 0 (automatic) does so for inputs of 4 MB or more when
  // the machine has two cores or more. Other readers use one. The map and
  // any error are the same whatever the value.
  unsigned threads = 0;
};

struct ReadOptions {
  std::string format = "auto";  // a FormatSpec name, or "auto"
  std::string filename;         // used for detection by extension only
  ReadLimits limits;
};

// Reads `bytes` into a map. Warnings the reader recovered from go to
// `diagnostics` (may be null). Text in the result is valid NFC UTF-8.
[[nodiscard]] Result<Map> ReadMap(std::string_view bytes,
                                  const ReadOptions& options,
                                  Diagnostics* diagnostics = nullptr);

// Writes `map` in format `format` (a FormatSpec name with a writer).
[[nodiscard]] Result<std::string> WriteMap(const Map& map,
                                           std::string_view format);

// A format's description. `sniff` scores how likely `bytes` are this format
// (0 = surely not, 100 = surely); `read` and `write` may be null when the
// format is read-only or write-only.
struct FormatSpec {
  const char* name;                          // "opml"
  const char* description;                   // "OPML 2.0 outline"
  std::vector<std::string_view> extensions;  // {".opml"}
  int (*sniff)(std::string_view bytes);
  Result<Map> (*read)(std::string_view bytes, const ReadLimits& limits,
                      Diagnostics* diagnostics);
  Result<std::string> (*write)(const Map& map);
  // True when `read` returns node texts and notes in canonical form
  // already, so that ReadMap skips its pass over them.
  bool canonical_text = false;
};

// Every known format, in detection priority order.
std::span<const FormatSpec* const> AllFormats();
// The format called `name`, or null.
const FormatSpec* FindFormat(std::string_view name);

// Picks the format of `bytes`: content first, the extension of `filename`
// second (it breaks ties and rescues weak sniffs). Returns the format's
// name, or an error naming the formats that were considered.
[[nodiscard]] Result<std::string> DetectFormat(std::string_view bytes,
                                               std::string_view filename);

}  // namespace mindcards

#endif  // MINDCARDS_FORMATS_H_
