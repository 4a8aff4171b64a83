#include "server/map_json.h"

#include <algorithm>

namespace mindcards::detail {

nlohmann::json MapToJson(const Map& map) {
  using nlohmann::json;
  const MapMeta& m = map.meta();
  json out;
  out["meta"] = {{"title", m.title},
                 {"description", m.description},
                 {"tags", m.tags},
                 {"author", m.author},
                 {"created", m.created},
                 {"language", m.language},
                 {"source_format", m.source_format},
                 {"site", m.site}};
  out["root"] = map.empty() ? json(nullptr) : json(map.root());
  json nodes = json::array();
  if (!map.empty()) {
    for (auto it = map.PreOrder().begin(); it != map.PreOrder().end(); ++it) {
      NodeId id = *it;
      const Node& n = map.node(id);
      json node = {
          {"id", id},
          {"parent", n.parent == kNoNode ? json(nullptr) : json(n.parent)},
          {"depth", it.depth()},
          {"text", n.text},
          {"folded", n.folded},
          {"children", map.ChildCount(id)}};
      if (!n.note().empty()) node["note"] = n.note();
      if (!n.link().empty()) node["link"] = n.link();
      if (n.side != Side::kAuto) {
        node["side"] = n.side == Side::kLeft ? "left" : "right";
      }
      if (n.join_confidence < 1.0f) node["join_confidence"] = n.join_confidence;
      if (n.parent_confidence < 1.0f) {
        node["parent_confidence"] = n.parent_confidence;
      }
      nodes.push_back(std::move(node));
    }
  }
  out["nodes"] = std::move(nodes);
  return out;
}

std::vector<std::string> NodePath(const Map& map, NodeId id) {
  std::vector<std::string> path;
  if (!map.valid(id)) return path;
  for (NodeId p = map.node(id).parent; p != kNoNode; p = map.node(p).parent) {
    path.push_back(map.node(p).text);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace mindcards::detail
