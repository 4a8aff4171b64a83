#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/cli.h"

namespace mindcards::cli {

int RunConvert(int argc, char** argv) {
  CLI::App app{"Convert a mind map from one format to another.", argv[0]};
  std::string input;
  std::string from = "auto";
  std::string to = "outline";
  std::string output = "-";
  app.add_option("IN", input, "input file, or - for stdin")->required();
  app.add_option("-f,--from", from, "input format (default: detect)");
  app.add_option("-t,--to", to, "output format (default: outline)");
  app.add_option("-o,--output", output, "output file, or - for stdout (default)");
  app.footer("Formats: see 'mindcards help'.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (FindFormat(to) == nullptr || FindFormat(to)->write == nullptr) {
    auto err = WriteMap(Map(), to);
    return Report(err.error(), "mindcards convert");
  }
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  ReportWarnings(diagnostics, input);
  if (!map) return Report(map.error());
  auto text = WriteMap(*map, to);
  if (!text) return Report(text.error(), output);
  if (auto ok = WriteOutput(output, *text); !ok) return Report(ok.error());
  return 0;
}

}  // namespace mindcards::cli
