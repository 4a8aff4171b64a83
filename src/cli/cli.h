// Shared pieces of the command-line face: the subcommand table, loading
// inputs, and reporting errors the same way everywhere.
#ifndef MINDCARDS_CLI_CLI_H_
#define MINDCARDS_CLI_CLI_H_

#include <string>
#include <string_view>

#include "mindcards/error.h"
#include "mindcards/formats.h"
#include "mindcards/map.h"

namespace mindcards::cli {

// One subcommand: `mindcards NAME ARGS...`. `run` gets argv with argv[0]
// set to "mindcards NAME" and returns the process exit code.
struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);
};

// The table of subcommands, in the order `help` lists them.
std::span<const Command> Commands();

// Each subcommand's entry point (one file each: cmd_<name>.cc).
int RunConvert(int argc, char** argv);
int RunInfo(int argc, char** argv);
int RunCards(int argc, char** argv);
int RunTimeline(int argc, char** argv);
int RunLayout(int argc, char** argv);
int RunRender(int argc, char** argv);
int RunFsrs(int argc, char** argv);
int RunServe(int argc, char** argv);
int RunStudy(int argc, char** argv);

// Reads a whole file, or stdin for "-".
[[nodiscard]] Result<std::string> ReadInput(const std::string& path);
// Writes `data` to a file, or stdout for "-". Writes to a temporary file
// and renames it, so a failure never leaves half a file behind.
[[nodiscard]] Result<void> WriteOutput(const std::string& path,
                                       std::string_view data);

// Reads and parses a map from `path` ("-" for stdin) in `format` ("auto" to
// detect). Attaches the path to any error.
[[nodiscard]] Result<Map> LoadMap(const std::string& path,
                                  const std::string& format,
                                  Diagnostics* diagnostics);

// Prints `error` to stderr as "file:line:col: message" (the error's own file,
// or `file` when it has none) and returns its exit code.
int Report(const Error& error, std::string_view file = {});
// Prints warnings as "file:line:col: warning: message".
void ReportWarnings(const Diagnostics& diagnostics, std::string_view file);

// The program's version, from CMake.
std::string_view Version();

}  // namespace mindcards::cli

#endif  // MINDCARDS_CLI_CLI_H_
