// The map as the page sees it: a flat JSON list of nodes in pre-order, each
// with its NodeId (the handle node edits use) and its parent's.
#ifndef MINDCARDS_SERVER_MAP_JSON_H_
#define MINDCARDS_SERVER_MAP_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "mindcards/map.h"

namespace mindcards::detail {

// {"root": id|null, "meta": {...}, "nodes": [{"id", "parent", "depth",
// "text", "note", "link", "folded", "side", "join_confidence",
// "parent_confidence", "children"}...]}. Walks without recursion.
nlohmann::json MapToJson(const Map& map);

// The texts of the headings above `id`, from the root down (not `id`).
std::vector<std::string> NodePath(const Map& map, NodeId id);

}  // namespace mindcards::detail

#endif  // MINDCARDS_SERVER_MAP_JSON_H_
