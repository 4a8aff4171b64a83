// mindcards fsrs: the FSRS scheduler's tools (conformance replay, and the
// optimizer's fit and evaluation).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "mindcards/fsrs.h"

namespace mindcards::cli {
namespace {

int RunFsrsReplay(int argc, char** argv) {
  CLI::App app{
      "Replay FSRS conformance vectors (the format of "
      "../shared/fsrs/vectors.json) through the scheduler and compare every "
      "value bit for bit. Prints each mismatch; exits 1 on any.",
      argv[0]};
  std::string input;
  bool quiet = false;
  app.add_option("FILE", input, "vectors file, or - for stdin")->required();
  app.add_flag("-q,--quiet", quiet, "print only the summary");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  auto text = ReadInput(input);
  if (!text) return Report(text.error(), input);
  size_t printed = 0;
  auto report =
      fsrs::ReplayConformanceVectors(*text, [&](const std::string& line) {
        if (quiet) return;
        fmt::print("{}: mismatch: {}\n", input, line);
        ++printed;
      });
  if (!report) return Report(report.error(), input);
  fmt::print("{}: {} sequences, {} reviews, {} checks, {} mismatches\n", input,
             report->sequences, report->reviews, report->checks,
             report->mismatches);
  return report->mismatches == 0 ? 0 : 1;
}

struct Subcommand {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

constexpr Subcommand kSubcommands[] = {
    {"replay", "replay conformance vectors bit for bit (exit 1 on mismatch)",
     &RunFsrsReplay},
};

void PrintFsrsUsage(std::FILE* out, const char* prog) {
  fmt::print(out,
             "FSRS-6 scheduling tools.\n\nusage: {} SUBCOMMAND [ARGS...]\n\n"
             "subcommands:\n",
             prog);
  for (const Subcommand& s : kSubcommands) {
    fmt::print(out, "  {:<10} {}\n", s.name, s.summary);
  }
  fmt::print(out, "\nRun '{} SUBCOMMAND --help' for its options.\n", prog);
}

}  // namespace

int RunFsrs(int argc, char** argv) {
  if (argc < 2) {
    PrintFsrsUsage(stderr, argv[0]);
    return 2;
  }
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    PrintFsrsUsage(stdout, argv[0]);
    return 0;
  }
  for (const Subcommand& s : kSubcommands) {
    if (first == s.name) {
      std::string name = std::string(argv[0]) + " " + s.name;
      std::vector<char*> args(argv + 1, argv + argc);
      args[0] = name.data();
      return s.run(static_cast<int>(args.size()), args.data());
    }
  }
  fmt::print(stderr, "{}: unknown subcommand '{}'; run '{} --help'\n", argv[0],
             first, argv[0]);
  return 2;
}

}  // namespace mindcards::cli
