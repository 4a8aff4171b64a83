#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "mindcards/layout.h"
#include "mindcards/render.h"
#include "mindcards/text.h"

namespace mindcards::cli {

int RunRender(int argc, char** argv) {
  CLI::App app{
      "Draw a map to SVG, PNG or PDF (the output's extension picks the "
      "format, or --to).",
      argv[0]};
  std::string input;
  std::string from = "auto";
  std::string output;
  std::string to;
  std::string layout_name = "map";
  std::string theme_name = "light";
  double max_width = 300;
  double scale = 1;
  double dpi = 0;
  bool unfold = false;
  app.add_option("IN", input, "input file, or - for stdin")->required();
  app.add_option("-o,--output", output,
                 "output file: OUT.svg, OUT.png or OUT.pdf")
      ->required();
  app.add_option("-f,--from", from, "input format (default: detect)");
  app.add_option("-t,--to", to,
                 "svg, png or pdf (default: from -o's extension)");
  app.add_option("--layout", layout_name,
                 "map (default), tidy, right, down or radial");
  app.add_option("--max-width", max_width,
                 "wrap node text at this width in px, 0 = never (default 300)");
  app.add_option("--theme", theme_name, "light (default), dark or print");
  app.add_option("--scale", scale, "PNG: pixels per px (default 1)");
  app.add_option("--dpi", dpi, "PNG: resolution; 96 dpi = scale 1");
  app.add_flag("--unfold", unfold, "draw folded branches open");
  app.footer(
      "PNG images are limited to 32767 px a side and PDF pages to 200 in; "
      "larger drawings are scaled down to fit, with a warning.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (to.empty()) {
    std::string lower = AsciiLower(output);
    for (const char* ext : {"svg", "png", "pdf"}) {
      if (lower.ends_with(std::string(".") + ext)) to = ext;
    }
    if (to.empty()) {
      fmt::print(stderr,
                 "mindcards render: cannot tell the output format of '{}'; "
                 "name it .svg, .png or .pdf, or use --to\n",
                 output);
      return 2;
    }
  }
  if (to != "svg" && to != "png" && to != "pdf") {
    fmt::print(
        stderr,
        "mindcards render: unknown output format '{}' (use svg, png or pdf)\n",
        to);
    return 2;
  }
  auto kind = ParseLayoutKind(layout_name);
  if (!kind) return Report(kind.error(), "mindcards render");
  auto theme = ParseTheme(theme_name);
  if (!theme) return Report(theme.error(), "mindcards render");
  RenderOptions ro;
  ro.theme = *theme;
  ro.scale = dpi > 0 ? dpi / 96 : scale;
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  ReportWarnings(diagnostics, input);
  if (!map) return Report(map.error());
  if (unfold) {
    for (NodeId id = 0; id < map->id_count(); ++id)
      map->node(id).folded = false;
  }
  LayoutOptions lo;
  lo.kind = *kind;
  lo.max_width = max_width;
  auto layout = LayoutMap(*map, lo);
  if (!layout) return Report(layout.error(), "mindcards render");
  RenderInfo info;
  Result<std::string> bytes = to == "svg" ? RenderSvg(*map, *layout, ro, &info)
                              : to == "png"
                                  ? RenderPng(*map, *layout, ro, &info)
                                  : RenderPdf(*map, *layout, ro, &info);
  if (!bytes) return Report(bytes.error(), output);
  if (info.scaled_down) {
    fmt::print(stderr,
               "{}: warning: the drawing is too large for {}; scaled down to "
               "{:.3g}x ({} x {})\n",
               output, to == "png" ? "a PNG (32767 px a side)" : "a PDF page",
               info.scale, info.pixel_width, info.pixel_height);
  }
  if (auto ok = WriteOutput(output, *bytes); !ok) return Report(ok.error());
  return 0;
}

}  // namespace mindcards::cli
