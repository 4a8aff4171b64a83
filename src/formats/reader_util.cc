#include "formats/reader_util.h"

#include <fmt/format.h>

namespace mindcards::detail {

Result<NodeId> TreeBuilder::Add(NodeId parent, size_t depth, std::string text,
                                SourcePos pos) {
  if (map_->id_count() >= limits_.max_nodes) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("too many nodes (limit {})", limits_.max_nodes),
                pos);
  }
  if (depth > limits_.max_depth) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("nesting too deep (limit {})", limits_.max_depth),
                pos);
  }
  NodeId id = parent == kNoNode ? map_->AddRoot(std::move(text))
                                : map_->AddChild(parent, std::move(text));
  map_->node(id).pos = pos;
  return id;
}

Result<void> CheckSize(std::string_view bytes, const ReadLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Fail(ErrorCode::kLimitExceeded,
                fmt::format("input is {} bytes, over the limit of {}",
                            bytes.size(), limits.max_bytes));
  }
  return {};
}

std::string_view StripBom(std::string_view bytes) {
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  return bytes;
}

bool LineReader::Next(std::string_view* line) {
  if (pos_ >= text_.size()) return false;
  line_offset_ = pos_;
  size_t end = pos_;
  while (end < text_.size() && text_[end] != '\n' && text_[end] != '\r') ++end;
  *line = text_.substr(pos_, end - pos_);
  if (end < text_.size() && text_[end] == '\r') ++end;
  if (end < text_.size() && text_[end] == '\n') ++end;
  pos_ = end;
  ++line_number_;
  return true;
}

}  // namespace mindcards::detail
