// Drop-in for Ray's resource_set.h whose sets live in Rust (ray_scheduling::ResourceSet and
// NodeResourceSet, through //src/ray/rust/ray-ffi:scheduling_bridge).
//
// Each set holds one pointer to its Rust object; null is the empty set, so default
// construction and moves allocate nothing. The entries are a sorted array of
// {id, raw FixedPoint} that C++ reads in place: ResourceIds() iterates it without
// crossing the bridge per element. Resources() returns a map rebuilt from those entries on
// each call (Ray returns its member map; here a reference taken earlier does not follow
// later changes until Resources() is called again).

#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "absl/container/flat_hash_map.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/scheduling_ids.h"
#include "ray/ffi/scheduling_bridge.rs.h"

namespace ray {

using scheduling::ResourceID;

/// The resource IDs of a set's entries, in ascending order (Ray: a Boost key range of an
/// absl map, in hash order).
class ResourceIdRange {
 public:
  class const_iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = ResourceID;
    using difference_type = std::ptrdiff_t;
    using pointer = const ResourceID *;
    using reference = const ResourceID &;

    const_iterator() = default;
    explicit const_iterator(const ::ray::rust::scheduling::Entry *entry) : entry_(entry) {}

    reference operator*() const {
      current_ = ResourceID(entry_->id);
      return current_;
    }
    pointer operator->() const { return &**this; }

    const_iterator &operator++() {
      ++entry_;
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator previous = *this;
      ++entry_;
      return previous;
    }

    bool operator==(const const_iterator &other) const { return entry_ == other.entry_; }
    bool operator!=(const const_iterator &other) const { return entry_ != other.entry_; }

   private:
    const ::ray::rust::scheduling::Entry *entry_ = nullptr;
    mutable ResourceID current_{static_cast<int64_t>(-1)};
  };

  using iterator = const_iterator;
  using value_type = ResourceID;

  explicit ResourceIdRange(::rust::Slice<const ::ray::rust::scheduling::Entry> entries)
      : begin_(entries.data()), end_(entries.data() + entries.size()) {}

  const_iterator begin() const { return const_iterator(begin_); }
  const_iterator end() const { return const_iterator(end_); }
  size_t size() const { return static_cast<size_t>(end_ - begin_); }
  bool empty() const { return begin_ == end_; }

 private:
  const ::ray::rust::scheduling::Entry *begin_;
  const ::ray::rust::scheduling::Entry *end_;
};

class ResourceSet {
 public:
  using ResourceIdIterator = ResourceIdRange;

  /// One shared empty set.
  static std::shared_ptr<ResourceSet> Nil() {
    static auto nil = std::make_shared<ResourceSet>();
    return nil;
  }

  ResourceSet() {}

  /// Each entry as by Set(): zero quantities are dropped.
  explicit ResourceSet(const absl::flat_hash_map<std::string, FixedPoint> &resource_map);
  explicit ResourceSet(const absl::flat_hash_map<std::string, double> &resource_map);
  explicit ResourceSet(const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map);
  explicit ResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map);

  ResourceSet(const ResourceSet &other);
  ResourceSet(ResourceSet &&other) noexcept : set_(other.set_) { other.set_ = nullptr; }
  ResourceSet &operator=(const ResourceSet &other);
  ResourceSet &operator=(ResourceSet &&other) noexcept;
  ~ResourceSet();

  bool operator==(const ResourceSet &other) const;

  /// Per-resource sum; resources summing to 0 are removed.
  ResourceSet operator+(const ResourceSet &other) const;

  /// Per-resource difference; may produce negative quantities, zeros are removed.
  ResourceSet operator-(const ResourceSet &other) const;

  ResourceSet &operator+=(const ResourceSet &other);

  ResourceSet &operator-=(const ResourceSet &other);

  bool operator!=(const ResourceSet &other) const { return !(*this == other); }

  /// Whether every resource's quantity here is at most its quantity in `other`.
  bool operator<=(const ResourceSet &other) const;

  bool operator>=(const ResourceSet &other) const { return other <= *this; }

  /// The quantity of a resource, 0 if absent.
  FixedPoint Get(ResourceID resource_id) const;

  /// Sets a quantity; 0 removes the resource.
  ResourceSet &Set(ResourceID resource_id, FixedPoint value);

  bool Has(ResourceID resource_id) const;

  size_t Size() const;

  void Clear();

  bool IsEmpty() const { return Size() == 0; }

  /// The IDs of the resources in the set; valid until the set changes.
  ResourceIdIterator ResourceIds() const { return ResourceIdIterator(Entries()); }

  /// The entries as a map, rebuilt from the set on each call.
  const absl::flat_hash_map<ResourceID, FixedPoint> &Resources() const;

  /// Resource names to quantities in regular units.
  absl::flat_hash_map<std::string, double> GetResourceMap() const;

  /// The same as GetResourceMap(), as a std::unordered_map.
  std::unordered_map<std::string, double> GetResourceUnorderedMap() const;

  /// "{name: quantity, ...}" with quantities in regular units, ascending by ID.
  const std::string DebugString() const;

 private:
  friend class NodeResourceSet;
  friend class NodeResourceInstanceSet;

  explicit ResourceSet(::rust::Box<::ray::rust::scheduling::ResourceSet> set)
      : set_(set.into_raw()) {}

  const ::ray::rust::scheduling::ResourceSet &Impl() const;
  ::ray::rust::scheduling::ResourceSet &Mut();
  ::rust::Slice<const ::ray::rust::scheduling::Entry> Entries() const;

  ::ray::rust::scheduling::ResourceSet *set_ = nullptr;
  mutable std::unique_ptr<absl::flat_hash_map<ResourceID, FixedPoint>> resources_view_;
};

class NodeResourceSet {
 public:
  using ResourceIdIterator = ResourceIdRange;

  NodeResourceSet() {}

  /// Each entry as by Set(): default values are dropped.
  explicit NodeResourceSet(const absl::flat_hash_map<std::string, double> &resource_map);
  explicit NodeResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map);
  explicit NodeResourceSet(
      const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map);

  NodeResourceSet(const NodeResourceSet &other);
  NodeResourceSet(NodeResourceSet &&other) noexcept : set_(other.set_) {
    other.set_ = nullptr;
  }
  NodeResourceSet &operator=(const NodeResourceSet &other);
  NodeResourceSet &operator=(NodeResourceSet &&other) noexcept;
  ~NodeResourceSet();

  /// Sets a value; the resource's default value (0, or 1 if implicit) removes it.
  NodeResourceSet &Set(ResourceID resource_id, FixedPoint value);

  /// The value of a resource, or its default if not stored.
  FixedPoint Get(ResourceID resource_id) const;

  /// Whether Get() is non-zero.
  bool Has(ResourceID resource_id) const;

  /// Subtracts each of `other`'s quantities (values may become negative).
  NodeResourceSet &operator-=(const ResourceSet &other);

  /// Whether Get() covers every quantity of `other`.
  bool operator>=(const ResourceSet &other) const;

  bool operator==(const NodeResourceSet &other) const;

  bool operator!=(const NodeResourceSet &other) const { return !(*this == other); }

  /// Drops every stored negative value (the resource returns to its default).
  void RemoveNegative();

  /// Stored resource names to values in regular units.
  absl::flat_hash_map<std::string, double> GetResourceMap() const;

  /// The stored resources that are not implicit.
  std::set<ResourceID> ExplicitResourceIds() const;

  /// "{name: raw, ...}" with raw FixedPoint unit counts, ascending by ID.
  std::string DebugString() const;

 private:
  friend class NodeResourceInstanceSet;

  explicit NodeResourceSet(::rust::Box<::ray::rust::scheduling::NodeResourceSet> set)
      : set_(set.into_raw()) {}

  const ::ray::rust::scheduling::NodeResourceSet &Impl() const;
  ::ray::rust::scheduling::NodeResourceSet &Mut();

  ::ray::rust::scheduling::NodeResourceSet *set_ = nullptr;
};

}  // namespace ray

namespace std {

template <>
struct hash<ray::ResourceSet> {
  size_t operator()(ray::ResourceSet const &k) const {
    const auto resources = k.GetResourceMap();
    size_t seed = resources.size();
    for (const auto &[name, quantity] : resources) {
      seed ^= std::hash<std::string>()(name);
      seed ^= std::hash<double>()(quantity);
    }
    return seed;
  }
};

}  // namespace std
