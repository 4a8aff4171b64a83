#include "mindcards/error.h"

#include <fmt/format.h>

namespace mindcards {

std::string Error::ToString() const {
  std::string out;
  if (!file.empty()) out += file;
  if (pos.known()) {
    if (file.empty()) out += "<input>";
    out += fmt::format(":{}:{}", pos.line, pos.column == 0 ? 1 : pos.column);
  }
  if (!out.empty()) out += ": ";
  out += message;
  return out;
}

void Diagnostics::Warn(SourcePos pos, std::string message) {
  ++total_;
  if (items_.size() < kMaxKept) items_.push_back({pos, std::move(message)});
}

}  // namespace mindcards
