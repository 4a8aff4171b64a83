// The mind-map model: a tree of nodes owned by one Map, addressed by NodeId.
//
// Nodes live in one vector; links between them are ids (parent, first child,
// last child, next and previous sibling), so walking, copying and destroying
// a map never recurses, however deep it is. Ids stay valid while the map
// lives: removing a subtree detaches it and marks its nodes dead instead of
// moving the others.
#ifndef MINDCARDS_MAP_H_
#define MINDCARDS_MAP_H_

#include <cstdint>
#include <iterator>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mindcards/error.h"

namespace mindcards {

using NodeId = uint32_t;
inline constexpr NodeId kNoNode = std::numeric_limits<NodeId>::max();

// Which side of the root a first-level branch is drawn on in balanced
// layouts. kAuto lets the layout choose.
enum class Side : uint8_t { kAuto, kLeft, kRight };

struct Attribute {
  std::string name;
  std::string value;
  friend bool operator==(const Attribute&, const Attribute&) = default;
};

// What few nodes carry. Kept out of Node, so that a node is 80 bytes
// rather than 184 and a million-node map fits in half the memory.
struct NodeExtras {
  std::string note;                   // plain text, may be empty
  std::string link;                   // URL or empty
  std::vector<std::string> icons;     // icon or marker names, in order
  std::vector<Attribute> attributes;  // anything else a format carried
  friend bool operator==(const NodeExtras&, const NodeExtras&) = default;
};

namespace detail {

// Owns a T or nothing, and copies deeply, so that Node keeps its implicit
// copy and move.
template <typename T>
class DeepPtr {
 public:
  DeepPtr() = default;
  DeepPtr(const DeepPtr& other) : p_(Clone(other)) {}
  DeepPtr& operator=(const DeepPtr& other) {
    if (this != &other) p_ = Clone(other);
    return *this;
  }
  DeepPtr(DeepPtr&&) noexcept = default;
  DeepPtr& operator=(DeepPtr&&) noexcept = default;

  T* get() const { return p_.get(); }
  // The object, made on first use.
  T& Make() {
    if (p_ == nullptr) p_ = std::make_unique<T>();
    return *p_;
  }

 private:
  static std::unique_ptr<T> Clone(const DeepPtr& other) {
    return other.p_ != nullptr ? std::make_unique<T>(*other.p_) : nullptr;
  }
  std::unique_ptr<T> p_;
};

}  // namespace detail

struct Node {
  std::string text;  // UTF-8, NFC; may contain '\n' for explicit line breaks
  SourcePos pos;     // where the node began in its source
  // How sure a reader that had to guess was of this node's text boundaries
  // and of its parent (1 = certain). Page-text rebuilding sets these.
  float join_confidence = 1.0f;
  float parent_confidence = 1.0f;
  bool folded = false;
  bool alive = true;  // false once removed from the tree
  Side side = Side::kAuto;

  NodeId parent = kNoNode;
  NodeId first_child = kNoNode;
  NodeId last_child = kNoNode;
  NodeId next_sibling = kNoNode;
  NodeId prev_sibling = kNoNode;

  // Note, link, icons and attributes: empty ones for a node without them.
  const NodeExtras& extras() const {
    return extras_.get() != nullptr ? *extras_.get() : kNoExtras;
  }
  const std::string& note() const { return extras().note; }
  const std::string& link() const { return extras().link; }
  const std::vector<std::string>& icons() const { return extras().icons; }
  const std::vector<Attribute>& attributes() const {
    return extras().attributes;
  }
  // The extras for writing, made on first use.
  NodeExtras& mutable_extras() { return extras_.Make(); }
  // Setters that allocate nothing for an empty value.
  void set_note(std::string note) {
    SetExtra(&NodeExtras::note, std::move(note));
  }
  void set_link(std::string link) {
    SetExtra(&NodeExtras::link, std::move(link));
  }

 private:
  void SetExtra(std::string NodeExtras::*field, std::string value);

  static const NodeExtras kNoExtras;
  detail::DeepPtr<NodeExtras> extras_;
};

namespace detail {

// Memory for large arrays, in transparent huge pages where the kernel
// offers them on request (madvise mode): a million-node map then faults in
// about 40 pages instead of 20,000. Small requests go to operator new.
void* AllocateLarge(size_t bytes);
void FreeLarge(void* p, size_t bytes);

template <typename T>
struct LargeArrayAllocator {
  using value_type = T;
  LargeArrayAllocator() = default;
  template <typename U>
  LargeArrayAllocator(const LargeArrayAllocator<U>&) {}  // NOLINT
  T* allocate(size_t n) {
    return static_cast<T*>(AllocateLarge(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) { FreeLarge(p, n * sizeof(T)); }
  friend bool operator==(const LargeArrayAllocator&,
                         const LargeArrayAllocator&) {
    return true;
  }
};

}  // namespace detail

// What is known about the map as a whole.
struct MapMeta {
  std::string title;
  std::string description;
  std::vector<std::string> tags;
  std::string author;
  std::string created;        // ISO 8601 date "YYYY-MM-DD", or empty
  std::string language;       // BCP 47 tag such as "en", or empty
  std::string source_format;  // name of the format it was read from
  std::string site;           // for copied pages: "goconqr", "mindmeister"...
  friend bool operator==(const MapMeta&, const MapMeta&) = default;
};

class Map {
 public:
  Map() = default;
  Map(Map&&) noexcept = default;
  Map& operator=(Map&&) noexcept = default;
  Map(const Map&) = default;
  Map& operator=(const Map&) = default;

  MapMeta& meta() { return meta_; }
  const MapMeta& meta() const { return meta_; }

  // The root, or kNoNode for an empty map.
  NodeId root() const { return root_; }
  bool empty() const { return root_ == kNoNode; }

  // Every node ever added, dead ones included: ids are < capacity_ids().
  size_t id_count() const { return nodes_.size(); }
  // Nodes in the tree (alive).
  size_t size() const { return live_count_; }

  Node& node(NodeId id) { return nodes_[id]; }
  const Node& node(NodeId id) const { return nodes_[id]; }
  bool valid(NodeId id) const { return id < nodes_.size() && nodes_[id].alive; }

  // Creates the root. The map must be empty.
  NodeId AddRoot(std::string text);
  // Appends a child as the last child of `parent`.
  NodeId AddChild(NodeId parent, std::string text);
  // Inserts a new node as a child of `parent` before `before` (kNoNode: last).
  NodeId InsertChild(NodeId parent, NodeId before, std::string text);

  // Moves `id` (with its subtree) under `new_parent`, before `before`
  // (kNoNode: as last child). Fails when that would make a cycle or when `id`
  // is the root.
  Result<void> Move(NodeId id, NodeId new_parent, NodeId before = kNoNode);
  // Detaches `id` and its subtree and marks them dead. The root may be
  // removed, leaving an empty map.
  void Remove(NodeId id);

  // Number of edges from the root (the root is 0). O(depth).
  size_t Depth(NodeId id) const;
  // Depth of the deepest node; 0 for a one-node or empty map. O(n).
  size_t MaxDepth() const;
  // Number of children of `id`. O(children).
  size_t ChildCount(NodeId id) const;

  // Children of a node, in order: `for (NodeId c : map.Children(id))`.
  class ChildRange;
  ChildRange Children(NodeId id) const;

  // Pre-order walk of the tree below `start` (default: the root), without
  // recursion: `for (NodeId id : map.PreOrder())`. The iterator reports the
  // depth of the current node relative to `start`.
  class PreOrderRange;
  PreOrderRange PreOrder(NodeId start = kNoNode) const;

  // Reserves room for `n` nodes.
  void Reserve(size_t n) { nodes_.reserve(n); }
  // The reserved room, as bytes (no node need be there yet): for a reader
  // that faults it in on another thread before adding the nodes.
  std::pair<const void*, size_t> ReservedBytes() const {
    return {nodes_.data(), nodes_.capacity() * sizeof(Node)};
  }

 private:
  void Link(NodeId id, NodeId parent, NodeId before);
  void Unlink(NodeId id);

  std::vector<Node, detail::LargeArrayAllocator<Node>> nodes_;
  MapMeta meta_;
  NodeId root_ = kNoNode;
  size_t live_count_ = 0;
};

class Map::ChildRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = NodeId;
    using difference_type = std::ptrdiff_t;
    using pointer = const NodeId*;
    using reference = NodeId;
    iterator() = default;
    iterator(const Map* map, NodeId id) : map_(map), id_(id) {}
    NodeId operator*() const { return id_; }
    iterator& operator++() {
      id_ = map_->node(id_).next_sibling;
      return *this;
    }
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) {
      return a.id_ == b.id_;
    }

   private:
    const Map* map_ = nullptr;
    NodeId id_ = kNoNode;
  };
  ChildRange(const Map* map, NodeId first) : map_(map), first_(first) {}
  iterator begin() const { return {map_, first_}; }
  iterator end() const { return {map_, kNoNode}; }

 private:
  const Map* map_;
  NodeId first_;
};

class Map::PreOrderRange {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = NodeId;
    using difference_type = std::ptrdiff_t;
    using pointer = const NodeId*;
    using reference = NodeId;
    iterator() = default;
    iterator(const Map* map, NodeId start)
        : map_(map), start_(start), id_(start) {}
    NodeId operator*() const { return id_; }
    // Depth of the current node below the walk's start.
    size_t depth() const { return depth_; }
    iterator& operator++();
    iterator operator++(int) {
      iterator old = *this;
      ++*this;
      return old;
    }
    friend bool operator==(const iterator& a, const iterator& b) {
      return a.id_ == b.id_;
    }

   private:
    const Map* map_ = nullptr;
    NodeId start_ = kNoNode;
    NodeId id_ = kNoNode;
    size_t depth_ = 0;
  };
  PreOrderRange(const Map* map, NodeId start) : map_(map), start_(start) {}
  iterator begin() const { return {map_, start_}; }
  iterator end() const { return {map_, kNoNode}; }

 private:
  const Map* map_;
  NodeId start_;
};

inline Map::ChildRange Map::Children(NodeId id) const {
  return ChildRange(this, nodes_[id].first_child);
}
inline Map::PreOrderRange Map::PreOrder(NodeId start) const {
  return PreOrderRange(this, start == kNoNode ? root_ : start);
}

// True when both maps hold the same tree: same shape, and equal text at each
// node. With `with_notes`, notes and links must match too. Used by round-trip
// tests; meta is not compared.
bool SameTree(const Map& a, const Map& b, bool with_notes, std::string* why);

}  // namespace mindcards

#endif  // MINDCARDS_MAP_H_
