// Fuzzes fact extraction and card generation: any map an outline can hold,
// and any bytes as one node's text, must give cards that keep the rules
// (unique fronts and ids, answers present, every string valid UTF-8: no cut
// inside a character) and serialise, the same on one thread and on two.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <unordered_set>

#include "mindcards/cards.h"
#include "mindcards/facts.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace {

void Utf8(std::string_view text) {
  if (!mindcards::ValidateUtf8(text)) std::abort();
}

void Utf8(const std::vector<std::string>& texts) {
  for (const std::string& t : texts) Utf8(t);
}

void Check(const mindcards::Map& map) {
  std::vector<mindcards::Card> cards = mindcards::GenerateCards(map, {});
  std::unordered_set<std::string> fronts, ids;
  for (const mindcards::Card& c : cards) {
    if (!fronts.insert(c.front).second) std::abort();
    if (!ids.insert(c.id).second) std::abort();
    if (c.back.empty() || c.answers.empty() || !map.valid(c.node)) std::abort();
    for (std::string_view t : {c.id, c.front, c.back, c.cloze, c.hint}) Utf8(t);
    Utf8(c.context.headings());
    Utf8(c.choices);
    Utf8(c.answers);
  }
  std::string json = mindcards::CardsToJson(cards);
  if (json.empty()) std::abort();
  // Two threads make the same cards as one.
  mindcards::CardOptions one, two;
  one.threads = 1;
  two.threads = 2;
  if (mindcards::CardsToJson(mindcards::GenerateCards(map, two)) !=
      mindcards::CardsToJson(mindcards::GenerateCards(map, one))) {
    std::abort();
  }
  Utf8(json);
  Utf8(mindcards::CardsToCsv(cards));
  Utf8(mindcards::CardsToAnkiText(cards));
  for (const mindcards::TimelineEvent& e : mindcards::BuildTimeline(map)) {
    if (e.path.empty()) std::abort();
    Utf8(e.path);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mindcards::ReadOptions options;
  options.format = "outline";
  options.limits.max_depth = 10000;
  auto map = mindcards::ReadMap(bytes, options);
  if (map) Check(*map);
  // The bytes as the text of one node (valid UTF-8 only, as readers give).
  if (mindcards::ValidateUtf8(bytes)) {
    mindcards::Map one;
    one.AddChild(one.AddRoot("Notes 1950"), std::string(bytes));
    Check(one);
    for (const mindcards::Fact& f :
         mindcards::ExtractFactsFromText(bytes, 0, 1900)) {
      if (f.begin > f.end || f.end > bytes.size()) std::abort();
      Utf8(f.text);
      Utf8(f.unit);
      Utf8(f.speaker);
    }
  }
  return 0;
}
