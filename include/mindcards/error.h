// Errors with source positions, and the Result type every fallible call
// returns. No exceptions cross the public API.
#ifndef MINDCARDS_ERROR_H_
#define MINDCARDS_ERROR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <tl/expected.hpp>

namespace mindcards {

// A position in a source file. Lines and columns count from 1; 0 means
// "unknown". Columns count Unicode code points, as editors show them.
struct SourcePos {
  uint32_t line = 0;
  uint32_t column = 0;

  bool known() const { return line != 0; }
  friend bool operator==(const SourcePos&, const SourcePos&) = default;
};

enum class ErrorCode : uint8_t {
  kBadInput,       // malformed or hostile input: exit code 1
  kLimitExceeded,  // input passed one of the configured limits: exit code 1
  kIo,             // a file could not be read or written: exit code 1
  kUsage,          // bad flags or arguments: exit code 2
  kNotFound,       // a named thing does not exist
  kInternal,       // a bug: should never reach a user
};

// A failure: what went wrong, and where. `file` may be empty when the caller
// has not attached one yet (readers work on bytes, not paths).
struct Error {
  ErrorCode code = ErrorCode::kBadInput;
  std::string message;
  SourcePos pos;
  std::string file;

  // "file:line:col: message", dropping the parts that are unknown.
  std::string ToString() const;

  // The exit code the CLI uses for this error (1 bad input, 2 bad usage).
  int ExitCode() const { return code == ErrorCode::kUsage ? 2 : 1; }
};

template <typename T>
using Result = tl::expected<T, Error>;

// Builds the unexpected value for a Result: `return Fail(...)`.
inline tl::unexpected<Error> Fail(ErrorCode code, std::string message,
                                  SourcePos pos = {}) {
  return tl::unexpected<Error>(Error{code, std::move(message), pos, {}});
}
inline tl::unexpected<Error> BadInput(std::string message, SourcePos pos = {}) {
  return Fail(ErrorCode::kBadInput, std::move(message), pos);
}

// A problem a reader recovered from. Shown to the user as a warning.
struct Diagnostic {
  SourcePos pos;
  std::string message;
};

// Collects warnings. Readers append; faces print. Caps the number kept so
// that a hostile file cannot grow it without bound.
class Diagnostics {
 public:
  static constexpr size_t kMaxKept = 1000;

  void Warn(SourcePos pos, std::string message);
  const std::vector<Diagnostic>& items() const { return items_; }
  // Warnings reported, including those dropped past kMaxKept.
  size_t total() const { return total_; }

 private:
  std::vector<Diagnostic> items_;
  size_t total_ = 0;
};

}  // namespace mindcards

#endif  // MINDCARDS_ERROR_H_
