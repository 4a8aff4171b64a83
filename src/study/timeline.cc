// The timeline: every date of the map with the path to its node, in order.
#include <algorithm>

#include "mindcards/facts.h"
#include "mindcards/text.h"
#include "study/facts_internal.h"

namespace mindcards {

std::vector<TimelineEvent> BuildTimeline(const Map& map) {
  std::vector<Fact> facts = ExtractFacts(map);
  std::vector<TimelineEvent> events;
  if (facts.empty()) return events;
  // Facts come in pre-order, so one walk pairs each node with its dates.
  size_t next = 0;
  study::WalkWithAncestors(
      map, [&](NodeId id, const std::vector<NodeId>& ancestors) {
        std::vector<std::string> path;
        bool have_path = false;
        while (next < facts.size() && facts[next].node == id) {
          Fact& f = facts[next++];
          if (f.kind != FactKind::kDate) continue;
          if (!have_path) {
            path = study::ContextOf(map, ancestors);
            path.push_back(FoldWhitespace(map.node(id).text));
            have_path = true;
          }
          events.push_back({std::move(f), path});
        }
      });
  std::stable_sort(events.begin(), events.end(),
                   [](const TimelineEvent& a, const TimelineEvent& b) {
                     return a.date.SortKey() < b.date.SortKey();
                   });
  return events;
}

}  // namespace mindcards
