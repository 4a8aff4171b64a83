#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace mindcards::cli {

int RunInfo(int argc, char** argv) {
  CLI::App app{"Show what a mind map holds: its metadata, size and warnings.",
               argv[0]};
  std::string input;
  std::string from = "auto";
  app.add_option("IN", input, "input file, or - for stdin")->required();
  app.add_option("-f,--from", from, "input format (default: detect)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  if (!map) return Report(map.error());
  const MapMeta& m = map->meta();
  auto row = [](std::string_view key, std::string_view value) {
    fmt::print("{:<11} {}\n", fmt::format("{}:", key), value);
  };
  row("title",
      m.title.empty() && !map->empty() ? map->node(map->root()).text : m.title);
  if (!m.description.empty()) row("description", m.description);
  row("author", m.author);
  row("date", m.created);
  row("tags", fmt::format("{}", fmt::join(m.tags, ", ")));
  row("language", m.language);
  row("format", m.source_format);
  if (!m.site.empty()) row("site", m.site);
  row("nodes", fmt::format("{}", map->size()));
  row("depth", fmt::format("{}", map->MaxDepth()));
  size_t uncertain = 0;
  for (NodeId id : map->PreOrder()) {
    const Node& n = map->node(id);
    if (n.join_confidence < 0.8f) ++uncertain;
    if (n.parent_confidence < 0.8f) ++uncertain;
  }
  row("uncertain", fmt::format("{}", uncertain));
  row("warnings", fmt::format("{}", diagnostics.total()));
  ReportWarnings(diagnostics, input);
  return 0;
}

}  // namespace mindcards::cli
