#include <fmt/format.h>

#include <CLI/CLI.hpp>

#include "cli/cli.h"
#include "mindcards/facts.h"

namespace mindcards::cli {

int RunTimeline(int argc, char** argv) {
  CLI::App app{
      "Print a mind map's dated events in order, each with its path "
      "(the headings from the root down to the event's node).",
      argv[0]};
  std::string input;
  std::string from = "auto";
  bool tsv = false;
  app.add_option("IN", input, "input map file, or - for stdin")->required();
  app.add_option("-f,--from", from, "input format (default: detect)");
  app.add_flag("--tsv", tsv,
               "tab-separated: date, date as written, node text, path");
  app.footer(
      "Two-digit years ('in 55') are read in the map's own century: the one "
      "most of its four-digit years fall in.");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  Diagnostics diagnostics;
  auto map = LoadMap(input, from, &diagnostics);
  ReportWarnings(diagnostics, input);
  if (!map) return Report(map.error());
  std::string out;
  for (const TimelineEvent& e : BuildTimeline(*map)) {
    std::string text = e.path.empty() ? "" : e.path.back();
    std::string above;
    for (size_t i = 0; i + 1 < e.path.size(); ++i) {
      above += (i ? " › " : "") + e.path[i];
    }
    if (tsv) {
      auto clean = [](std::string s) {
        for (char& c : s) {
          if (c == '\t') c = ' ';
        }
        return s;
      };
      out += fmt::format("{}\t{}\t{}\t{}\n", FormatDate(e.date),
                         clean(e.date.text), clean(text), clean(above));
    } else {
      out += fmt::format("{:<12} {}\n", FormatDate(e.date), text);
      if (!above.empty()) out += fmt::format("{:<12}   in: {}\n", "", above);
    }
  }
  if (auto ok = WriteOutput("-", out); !ok) return Report(ok.error());
  return 0;
}

}  // namespace mindcards::cli
