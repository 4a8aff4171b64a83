#include "mindcards/map.h"

#include <fmt/format.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>

namespace mindcards {

namespace detail {

namespace {
constexpr size_t kHugePage = size_t{2} << 20;
}  // namespace

void* AllocateLarge(size_t bytes) {
  if (bytes < 2 * kHugePage) return ::operator new(bytes);
  size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure changes nothing
#endif
  return p;
}

void FreeLarge(void* p, size_t bytes) {
  if (bytes < 2 * kHugePage) {
    ::operator delete(p);
  } else {
    std::free(p);
  }
}

}  // namespace detail

const NodeExtras Node::kNoExtras;

// A million-node map is a million of these: keep rare fields in NodeExtras.
static_assert(sizeof(Node) <= 80, "Node grew; move rare fields to NodeExtras");

void Node::SetExtra(std::string NodeExtras::*field, std::string value) {
  if (!value.empty() || extras_.get() != nullptr) {
    mutable_extras().*field = std::move(value);
  }
}

NodeId Map::AddRoot(std::string text) {
  NodeId id = static_cast<NodeId>(nodes_.size());
  nodes_.emplace_back();
  nodes_.back().text = std::move(text);
  root_ = id;
  ++live_count_;
  return id;
}

NodeId Map::AddChild(NodeId parent, std::string text) {
  return InsertChild(parent, kNoNode, std::move(text));
}

NodeId Map::InsertChild(NodeId parent, NodeId before, std::string text) {
  NodeId id = static_cast<NodeId>(nodes_.size());
  nodes_.emplace_back();
  nodes_.back().text = std::move(text);
  ++live_count_;
  Link(id, parent, before);
  return id;
}

void Map::Link(NodeId id, NodeId parent, NodeId before) {
  Node& n = nodes_[id];
  Node& p = nodes_[parent];
  n.parent = parent;
  if (before == kNoNode) {
    n.prev_sibling = p.last_child;
    n.next_sibling = kNoNode;
    if (p.last_child != kNoNode) {
      nodes_[p.last_child].next_sibling = id;
    } else {
      p.first_child = id;
    }
    p.last_child = id;
  } else {
    Node& b = nodes_[before];
    n.next_sibling = before;
    n.prev_sibling = b.prev_sibling;
    if (b.prev_sibling != kNoNode) {
      nodes_[b.prev_sibling].next_sibling = id;
    } else {
      p.first_child = id;
    }
    b.prev_sibling = id;
  }
}

void Map::Unlink(NodeId id) {
  Node& n = nodes_[id];
  if (n.parent == kNoNode) return;
  Node& p = nodes_[n.parent];
  if (n.prev_sibling != kNoNode) {
    nodes_[n.prev_sibling].next_sibling = n.next_sibling;
  } else {
    p.first_child = n.next_sibling;
  }
  if (n.next_sibling != kNoNode) {
    nodes_[n.next_sibling].prev_sibling = n.prev_sibling;
  } else {
    p.last_child = n.prev_sibling;
  }
  n.parent = n.prev_sibling = n.next_sibling = kNoNode;
}

Result<void> Map::Move(NodeId id, NodeId new_parent, NodeId before) {
  if (!valid(id) || !valid(new_parent)) {
    return Fail(ErrorCode::kNotFound, "no such node");
  }
  if (id == root_) return BadInput("the root cannot be moved");
  if (before != kNoNode &&
      (!valid(before) || nodes_[before].parent != new_parent || before == id)) {
    return BadInput(
        fmt::format("node {} is not a child of node {}", before, new_parent));
  }
  for (NodeId a = new_parent; a != kNoNode; a = nodes_[a].parent) {
    if (a == id) return BadInput("a node cannot move under its own subtree");
  }
  Unlink(id);
  Link(id, new_parent, before);
  return {};
}

void Map::Remove(NodeId id) {
  if (!valid(id)) return;
  Unlink(id);
  if (id == root_) root_ = kNoNode;
  // Collect first: marking nodes dead while walking would be fine too, but
  // a separate list keeps the walk's links intact.
  std::vector<NodeId> doomed;
  for (NodeId n : PreOrder(id)) doomed.push_back(n);
  for (NodeId n : doomed) {
    nodes_[n].alive = false;
    --live_count_;
  }
}

size_t Map::Depth(NodeId id) const {
  size_t depth = 0;
  for (NodeId a = nodes_[id].parent; a != kNoNode; a = nodes_[a].parent) {
    ++depth;
  }
  return depth;
}

size_t Map::MaxDepth() const {
  size_t max_depth = 0;
  if (empty()) return 0;
  for (auto it = PreOrder().begin(); it != PreOrder().end(); ++it) {
    max_depth = std::max(max_depth, it.depth());
  }
  return max_depth;
}

size_t Map::ChildCount(NodeId id) const {
  size_t count = 0;
  for (NodeId c = nodes_[id].first_child; c != kNoNode;
       c = nodes_[c].next_sibling) {
    ++count;
  }
  return count;
}

Map::PreOrderRange::iterator& Map::PreOrderRange::iterator::operator++() {
  const Node& n = map_->node(id_);
  if (n.first_child != kNoNode) {
    id_ = n.first_child;
    ++depth_;
    return *this;
  }
  NodeId cur = id_;
  while (cur != start_) {
    const Node& c = map_->node(cur);
    if (c.next_sibling != kNoNode) {
      id_ = c.next_sibling;
      return *this;
    }
    cur = c.parent;
    --depth_;
  }
  id_ = kNoNode;
  return *this;
}

bool SameTree(const Map& a, const Map& b, bool with_notes, std::string* why) {
  auto fail = [&](std::string msg) {
    if (why != nullptr) *why = std::move(msg);
    return false;
  };
  if (a.empty() || b.empty()) {
    return a.empty() == b.empty() ? true : fail("one map is empty");
  }
  auto ia = a.PreOrder().begin();
  auto ib = b.PreOrder().begin();
  size_t index = 0;
  for (; ia != a.PreOrder().end() && ib != b.PreOrder().end();
       ++ia, ++ib, ++index) {
    const Node& na = a.node(*ia);
    const Node& nb = b.node(*ib);
    if (ia.depth() != ib.depth()) {
      return fail(fmt::format("node #{} ({:?}) at depth {} vs {}", index,
                              na.text, ia.depth(), ib.depth()));
    }
    if (na.text != nb.text) {
      return fail(
          fmt::format("node #{}: text {:?} vs {:?}", index, na.text, nb.text));
    }
    if (with_notes && (na.note() != nb.note() || na.link() != nb.link())) {
      return fail(fmt::format(
          "node #{} ({:?}): note/link {:?} {:?} vs {:?} {:?}", index, na.text,
          na.note(), na.link(), nb.note(), nb.link()));
    }
  }
  if (ia != a.PreOrder().end() || ib != b.PreOrder().end()) {
    return fail(
        fmt::format("node counts differ: {} vs {}", a.size(), b.size()));
  }
  return true;
}

}  // namespace mindcards
