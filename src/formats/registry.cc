// The list of formats, and the entry points that dispatch over it.
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "formats/reader_util.h"
#include "mindcards/formats.h"
#include "mindcards/text.h"

namespace mindcards {
namespace detail {
// Each format's file defines one of these.
const FormatSpec& OutlineFormat();
const FormatSpec& PageTextFormat();
const FormatSpec& JsonFormat();
const FormatSpec& MermaidFormat();
const FormatSpec& MarkdownFormat();
const FormatSpec& MarkmapHtmlFormat();
const FormatSpec& OpmlFormat();
const FormatSpec& FreemindFormat();
const FormatSpec& XmindFormat();
const FormatSpec& SizesFormat();
}  // namespace detail

namespace {

const std::vector<const FormatSpec*>& Registry() {
  static const std::vector<const FormatSpec*> formats = {
      &detail::OutlineFormat(),  &detail::PageTextFormat(),
      &detail::JsonFormat(),     &detail::MermaidFormat(),
      &detail::MarkdownFormat(), &detail::MarkmapHtmlFormat(),
      &detail::OpmlFormat(),     &detail::FreemindFormat(),
      &detail::XmindFormat(),    &detail::SizesFormat(),
  };
  return formats;
}

std::string_view Extension(std::string_view filename) {
  size_t slash = filename.find_last_of('/');
  if (slash != std::string_view::npos) filename.remove_prefix(slash + 1);
  size_t dot = filename.find('.');
  return dot == std::string_view::npos ? std::string_view()
                                       : filename.substr(dot);
}

bool HasExtension(const FormatSpec& spec, std::string_view filename) {
  std::string ext = AsciiLower(Extension(filename));
  if (ext.empty()) return false;
  return std::any_of(
      spec.extensions.begin(), spec.extensions.end(), [&](std::string_view e) {
        return ext.size() >= e.size() && std::string_view(ext).ends_with(e);
      });
}

}  // namespace

std::span<const FormatSpec* const> AllFormats() { return Registry(); }

const FormatSpec* FindFormat(std::string_view name) {
  for (const FormatSpec* spec : Registry()) {
    if (name == spec->name) return spec;
  }
  return nullptr;
}

Result<std::string> DetectFormat(std::string_view bytes,
                                 std::string_view filename) {
  const FormatSpec* best = nullptr;
  int best_score = 0;
  for (const FormatSpec* spec : Registry()) {
    if (spec->read == nullptr || spec->sniff == nullptr) continue;
    int score = spec->sniff(bytes);
    // The extension adds weight but never overrides clear content: an HTML
    // page named .opml sniffs as 0 for OPML and stays rejected.
    if (score > 0 && HasExtension(*spec, filename)) score += 30;
    if (score > best_score) {
      best_score = score;
      best = spec;
    }
  }
  if (best == nullptr) {
    std::string names;
    for (const FormatSpec* spec : Registry()) {
      if (spec->read == nullptr) continue;
      if (!names.empty()) names += ", ";
      names += spec->name;
    }
    return BadInput(fmt::format(
        "cannot tell the format of this input (tried {}); name it with -f",
        names));
  }
  return std::string(best->name);
}

Result<Map> ReadMap(std::string_view bytes, const ReadOptions& options,
                    Diagnostics* diagnostics) {
  if (auto ok = detail::CheckSize(bytes, options.limits); !ok) {
    return tl::unexpected(ok.error());
  }
  std::string name = options.format;
  if (name.empty() || name == "auto") {
    auto detected = DetectFormat(bytes, options.filename);
    if (!detected) return tl::unexpected(detected.error());
    name = *detected;
  }
  const FormatSpec* spec = FindFormat(name);
  if (spec == nullptr || spec->read == nullptr) {
    return Fail(ErrorCode::kUsage,
                fmt::format("unknown input format '{}'", name));
  }
  Diagnostics local;
  // A map's strings take about as many bytes as its source.
  detail::HugeHeapScope huge_heap(bytes.size());
  auto map = spec->read(bytes, options.limits,
                        diagnostics != nullptr ? diagnostics : &local);
  if (!map) return map;
  if (auto ok = detail::CanonicalizeMapText(&*map, !spec->canonical_text);
      !ok) {
    return tl::unexpected(ok.error());
  }
  if (map->meta().source_format.empty()) map->meta().source_format = spec->name;
  return map;
}

Result<std::string> WriteMap(const Map& map, std::string_view format) {
  const FormatSpec* spec = FindFormat(format);
  if (spec == nullptr || spec->write == nullptr) {
    std::string names;
    for (const FormatSpec* s : Registry()) {
      if (s->write == nullptr) continue;
      if (!names.empty()) names += ", ";
      names += s->name;
    }
    return Fail(
        ErrorCode::kUsage,
        fmt::format("cannot write format '{}' (can write: {})", format, names));
  }
  return spec->write(map);
}

}  // namespace mindcards
