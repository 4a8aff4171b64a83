#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>

#include "cli/cli.h"
#include "mindcards/layout.h"

namespace mindcards::cli {
namespace {

void PrintTiming(bool timing, size_t nodes,
                 std::chrono::steady_clock::time_point start,
                 unsigned threads = 1) {
  if (!timing) return;
  auto end = std::chrono::steady_clock::now();
  fmt::print(stderr, "layout: {} nodes in {:.3f} ms{}\n", nodes,
             std::chrono::duration<double, std::milli>(end - start).count(),
             threads > 1 ? fmt::format(" ({} threads)", threads) : "");
}

// -f sizes: straight from the file to compact arrays and LayoutTree, no Map
// (the same boxes as LayoutMap on the map the sizes reader would build).
int LayoutSizes(const std::string& input, const LayoutOptions& options,
                bool timing, const std::string& output) {
  std::string file = input == "-" ? "<stdin>" : input;
  auto bytes = ReadInput(input);
  if (!bytes) return Report(bytes.error(), file);
  std::vector<std::string_view> ids;
  auto tree = ReadTreeSizes(*bytes, &ids);
  if (!tree) return Report(tree.error(), file);
  auto start = std::chrono::steady_clock::now();
  auto layout = LayoutTree(*tree, options);
  if (!layout) return Report(layout.error(), "mindcards layout");
  PrintTiming(timing, tree->size(), start, layout->threads);
  std::string text;
  text.reserve(tree->size() * 48);
  for (uint32_t v : layout->preorder) {
    text += ids[v];
    fmt::format_to(std::back_inserter(text), "\t{}\t{}\t{}\t{}\n", layout->x[v],
                   layout->y[v], tree->width[v], tree->height[v]);
  }
  if (auto ok = WriteOutput(output, text); !ok) return Report(ok.error());
  return 0;
}

}  // namespace

int RunLayout(int argc, char** argv) {
  CLI::App app{
      "Lay a map out and print one line per visible node:\n"
      "  id<TAB>x<TAB>y<TAB>width<TAB>height\n"
      "x, y = top-left corner in px, +y down. The id is the node's number in "
      "the map, or for -f sizes the id from the file.",
      argv[0]};
  std::string input;
  std::string from = "auto";
  std::string layout_name = "map";
  std::string output = "-";
  double max_width = 300;
  bool timing = false;
  unsigned threads = 0;
  app.add_option("IN", input, "input file, or - for stdin")->required();
  app.add_option("-f,--from", from,
                 "input format (default: detect; 'sizes' for the layout "
                 "harness's 'id parent width height' trees)");
  app.add_option("--layout", layout_name,
                 "map (default), tidy, right, down or radial");
  app.add_option("--max-width", max_width,
                 "wrap node text at this width in px, 0 = never (default 300)");
  app.add_option("-o,--output", output, "output file, or - for stdout");
  app.add_option("--threads", threads,
                 "-f sizes with tidy, right or down: 1 = one thread, 2 = two, "
                 "0 = two for trees of 50,000 nodes or more on a machine "
                 "with two cores (default)");
  app.add_flag("--timing", timing,
               "print the time the layout itself took to stderr");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto kind = ParseLayoutKind(layout_name);
  if (!kind) return Report(kind.error(), "mindcards layout");
  LayoutOptions options;
  options.kind = *kind;
  options.max_width = max_width;
  options.threads = threads;
  if (from == "sizes") return LayoutSizes(input, options, timing, output);
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  ReportWarnings(diagnostics, input);
  if (!map) return Report(map.error());
  auto start = std::chrono::steady_clock::now();
  auto layout = LayoutMap(*map, options);
  if (!layout) return Report(layout.error(), "mindcards layout");
  PrintTiming(timing, layout->visible_count, start);
  // The sizes format keeps the file's ids as node text.
  bool file_ids = map->meta().source_format == "sizes";
  std::string text;
  text.reserve(layout->visible_count * 48);
  for (NodeId id : map->PreOrder()) {
    const NodeBox& b = layout->boxes[id];
    if (!b.visible) continue;
    if (file_ids) {
      text += map->node(id).text;
      fmt::format_to(std::back_inserter(text), "\t{}\t{}\t{}\t{}\n", b.x, b.y,
                     b.width, b.height);
    } else {
      fmt::format_to(std::back_inserter(text), "{}\t{}\t{}\t{}\t{}\n", id, b.x,
                     b.y, b.width, b.height);
    }
  }
  if (auto ok = WriteOutput(output, text); !ok) return Report(ok.error());
  return 0;
}

}  // namespace mindcards::cli
