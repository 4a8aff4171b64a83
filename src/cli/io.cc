#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

#include "cli/cli.h"

namespace mindcards::cli {

Result<std::string> ReadInput(const std::string& path) {
  std::string data;
  if (path == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    Error e{ErrorCode::kIo, fmt::format("cannot open: {}", std::strerror(errno)),
            {}, path};
    return tl::unexpected(e);
  }
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) {
    return tl::unexpected(Error{ErrorCode::kIo, "read error", {}, path});
  }
  return data;
}

Result<void> WriteOutput(const std::string& path, std::string_view data) {
  if (path == "-") {
    std::fwrite(data.data(), 1, data.size(), stdout);
    if (std::fflush(stdout) != 0) {
      return tl::unexpected(Error{ErrorCode::kIo, "cannot write to stdout", {}, "-"});
    }
    return {};
  }
  std::string tmp = path + ".tmp-mindcards";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return tl::unexpected(Error{
        ErrorCode::kIo, fmt::format("cannot create: {}", std::strerror(errno)),
        {}, path});
  }
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return tl::unexpected(
        Error{ErrorCode::kIo, fmt::format("cannot write: {}", why), {}, path});
  }
  return {};
}

Result<Map> LoadMap(const std::string& path, const std::string& format,
                    Diagnostics* diagnostics) {
  auto bytes = ReadInput(path);
  if (!bytes) return tl::unexpected(bytes.error());
  ReadOptions options;
  options.format = format;
  options.filename = path == "-" ? "" : path;
  auto map = ReadMap(*bytes, options, diagnostics);
  if (!map && map.error().file.empty()) {
    Error e = map.error();
    e.file = path == "-" ? "<stdin>" : path;
    return tl::unexpected(e);
  }
  return map;
}

int Report(const Error& error, std::string_view file) {
  Error e = error;
  if (e.file.empty()) e.file = std::string(file);
  std::string line = e.ToString();
  if (e.code == ErrorCode::kInternal) line = "internal error: " + line;
  fmt::print(stderr, "{}\n", line);
  return e.ExitCode();
}

void ReportWarnings(const Diagnostics& diagnostics, std::string_view file) {
  for (const Diagnostic& d : diagnostics.items()) {
    Error e{ErrorCode::kBadInput, "warning: " + d.message, d.pos,
            std::string(file)};
    fmt::print(stderr, "{}\n", e.ToString());
  }
  if (diagnostics.total() > diagnostics.items().size()) {
    fmt::print(stderr, "{}: {} more warnings not shown\n", file,
               diagnostics.total() - diagnostics.items().size());
  }
}

}  // namespace mindcards::cli
