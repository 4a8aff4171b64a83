#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "mindcards/apkg.h"
#include "mindcards/cards.h"
#include "mindcards/text.h"

namespace mindcards::cli {

int RunCards(int argc, char** argv) {
  CLI::App app{"Make flashcards from a mind map's own facts and structure.",
               argv[0]};
  std::string input;
  std::string from = "auto";
  std::string format = "json";
  std::string output = "-";
  std::string kinds;
  uint64_t seed = 0;
  unsigned threads = 0;
  app.add_option("IN", input, "input map file, or - for stdin")->required();
  app.add_option("-f,--from", from, "input format (default: detect)");
  app.add_option("--format", format,
                 "output: json (default), csv, anki-txt or apkg");
  app.add_option("-o,--output", output,
                 "output file, or - for stdout (default; apkg needs a file)");
  app.add_option("--kinds", kinds,
                 "only these card kinds, comma-separated: cloze, question, "
                 "list, when, chronology, quote, choice");
  app.add_option("--seed", seed, "seed for distractors and shuffles (0)");
  app.add_option("--threads", threads,
                 "1 = one thread, N = N threads (at most 16), 0 = one per "
                 "core, at most 4, for maps of 4,096 nodes or more "
                 "(default); the cards are the same")
      ->check(CLI::Range(0u, 16u));
  app.footer(
      "Every card shows its context (the headings above its node); see "
      "docs/cards.md for the kinds and the JSON format.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (format != "json" && format != "csv" && format != "anki-txt" &&
      format != "apkg") {
    fmt::print(stderr,
               "mindcards cards: unknown --format '{}' (use json, csv, "
               "anki-txt or apkg)\n",
               format);
    return 2;
  }
  CardOptions options;
  options.seed = seed;
  options.threads = static_cast<int>(threads);
  if (!kinds.empty()) {
    for (bool& k : options.kinds) k = false;
    size_t p = 0;
    while (p <= kinds.size()) {
      size_t e = kinds.find(',', p);
      if (e == std::string::npos) e = kinds.size();
      std::string name(Trim(std::string_view(kinds).substr(p, e - p)));
      auto kind = ParseCardKind(name);
      if (!kind) {
        fmt::print(stderr, "mindcards cards: unknown card kind '{}'\n", name);
        return 2;
      }
      options.kinds[static_cast<int>(*kind)] = true;
      p = e + 1;
    }
  }
  if (format == "apkg" && output == "-") {
    fmt::print(stderr,
               "mindcards cards: --format apkg writes a zip file; give it a "
               "name with -o FILE.apkg\n");
    return 2;
  }
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  ReportWarnings(diagnostics, input);
  if (!map) return Report(map.error());
  std::vector<Card> cards = GenerateCards(*map, options);
  std::string text;
  if (format == "json") {
    text = CardsToJson(cards);
  } else if (format == "apkg") {
    // The deck is named after the map; Anki nests "A::B" decks.
    std::string deck = map->meta().title;
    if (deck.empty() && !map->empty()) deck = map->node(map->root()).text;
    deck = FoldWhitespace(deck);
    auto apkg = WriteApkg(cards, deck.empty() ? "mindcards" : deck);
    if (!apkg) return Report(apkg.error(), output);
    text = std::move(*apkg);
  } else if (format == "csv") {
    text = CardsToCsv(cards);
  } else {
    text = CardsToAnkiText(cards);
  }
  if (auto ok = WriteOutput(output, text); !ok) return Report(ok.error());
  return 0;
}

}  // namespace mindcards::cli
