// mindcards: the command-line face. A table of subcommands; each one parses
// its own flags (CLI11) and calls the library.
#include <fmt/format.h>

#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/cli.h"

namespace mindcards::cli {
namespace {

int RunHelp(int argc, char** argv);

// In the order a student meets them: read a map, draw it, study it, serve it.
constexpr Command kCommands[] = {
    {"convert", "convert a map between formats", &RunConvert},
    {"info", "show a map's title, author, tags, size and warnings", &RunInfo},
    {"render", "draw a map to SVG, PNG or PDF", &RunRender},
    {"layout", "lay a map out: id, x, y, width, height per node", &RunLayout},
    {"cards", "make flashcards from a map (json, csv, anki-txt, apkg)",
     &RunCards},
    {"timeline", "print a map's dated events in order with their paths",
     &RunTimeline},
    {"study", "study a map's cards in the terminal (reviews kept)", &RunStudy},
    {"fsrs", "FSRS scheduling: replay vectors, fit and evaluate parameters",
     &RunFsrs},
    {"serve", "serve the web app to see, edit and study maps", &RunServe},
    {"help", "show this help, or a command's: mindcards help COMMAND",
     &RunHelp},
};

void PrintUsage(std::FILE* out) {
  fmt::print(out,
             "mindcards {}: learn from mind maps\n\n"
             "usage: mindcards COMMAND [ARGS...]\n\n"
             "commands:\n",
             Version());
  for (const Command& c : kCommands) {
    fmt::print(out, "  {:<10} {}\n", c.name, c.summary);
  }
  fmt::print(out,
             "\nRun 'mindcards COMMAND --help' for a command's options.\n"
             "Input formats: ");
  bool first = true;
  for (const FormatSpec* f : AllFormats()) {
    if (f->read == nullptr) continue;
    fmt::print(out, "{}{}", first ? "" : ", ", f->name);
    first = false;
  }
  fmt::print(out, "\nOutput formats: ");
  first = true;
  for (const FormatSpec* f : AllFormats()) {
    if (f->write == nullptr) continue;
    fmt::print(out, "{}{}", first ? "" : ", ", f->name);
    first = false;
  }
  fmt::print(out, "\n");
}

const Command* Find(std::string_view name) {
  for (const Command& c : kCommands) {
    if (name == c.name) return &c;
  }
  return nullptr;
}

int RunHelp(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stdout);
    return 0;
  }
  const Command* c = Find(argv[1]);
  if (c == nullptr || c->run == &RunHelp) {
    if (c == nullptr) {
      fmt::print(stderr, "mindcards: unknown command '{}'\n", argv[1]);
      return 2;
    }
    PrintUsage(stdout);
    return 0;
  }
  std::string name = std::string("mindcards ") + c->name;
  char help_flag[] = "--help";
  std::vector<char*> args = {name.data(), help_flag};
  return c->run(2, args.data());
}

int Main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return 2;
  }
  std::string_view first = argv[1];
  if (first == "--version" || first == "-V") {
    fmt::print("mindcards {}\n", Version());
    return 0;
  }
  if (first == "--help" || first == "-h") {
    PrintUsage(stdout);
    return 0;
  }
  const Command* c = Find(first);
  if (c == nullptr) {
    fmt::print(stderr,
               "mindcards: unknown command '{}'; run 'mindcards help' for the "
               "list\n",
               first);
    return 2;
  }
  std::string name = std::string("mindcards ") + c->name;
  std::vector<char*> args(argv + 1, argv + argc);
  args[0] = name.data();
  return c->run(static_cast<int>(args.size()), args.data());
}

}  // namespace

std::span<const Command> Commands() { return kCommands; }

}  // namespace mindcards::cli

int main(int argc, char** argv) {
  try {
    return mindcards::cli::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    fmt::print(stderr, "mindcards: out of memory\n");
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "mindcards: internal error: {}\n", e.what());
    return 1;
  }
}
