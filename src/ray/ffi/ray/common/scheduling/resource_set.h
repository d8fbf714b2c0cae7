// Drop-in for Ray's resource_set.h whose sets live in Rust (ray_scheduling::ResourceSet and
// NodeResourceSet, through //src/ray/rust/ray-ffi:scheduling_bridge).
//
// Each set holds its Rust value in storage of its own (HeldSet): empty storage is the empty
// set, and a Rust value moves by plain copy, so default construction and moves make no call;
// the Rust set keeps one entry inline, so a one-resource set allocates nothing. The entries
// are a sorted array of {id, raw FixedPoint} owned by Rust, which C++ reads in place through
// a view (pointer and length) returned by every call that changes the set: Get, Has, Size,
// IsEmpty and ResourceIds() are inline and never cross the bridge. Resources() returns a map built from
// those entries when first asked after a change (Ray returns its member map; here a
// reference taken earlier does not follow later changes until Resources() is called again).

#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/scheduling_ids.h"
#include "ray/ffi/scheduling_bridge.rs.h"

namespace ray {

using scheduling::ResourceID;

namespace scheduling_bridge {

/// The entry of `id` among entries sorted by ID, or null. A linear scan for the handful of
/// resources most sets hold, a binary search beyond.
inline const ::ray::rust::scheduling::Entry *FindEntry(
    const ::ray::rust::scheduling::Entry *begin, size_t size, int64_t id) {
  if (size <= 8) {
    for (const auto *entry = begin; entry != begin + size; ++entry) {
      if (entry->id >= id) {
        return entry->id == id ? entry : nullptr;
      }
    }
    return nullptr;
  }
  // Branch-free lower bound: the halving steps compile to conditional moves.
  const auto *base = begin;
  size_t n = size;
  while (n > 1) {
    const size_t half = n / 2;
    base = base[half - 1].id < id ? base + half : base;
    n -= half;
  }
  return base->id == id ? base : nullptr;
}

/// The FixedPoint of a raw value (FixedPoint keeps its int64_t private).
inline FixedPoint FixedPointFromRaw(int64_t raw) {
  static_assert(sizeof(FixedPoint) == sizeof(int64_t), "a FixedPoint is one int64_t");
  FixedPoint value;
  std::memcpy(static_cast<void *>(&value), &raw, sizeof raw);
  return value;
}

/// A Rust set (`RustSet`, freed by `Drop`) held by value, and the view of its entries.
/// Rust values have no address of their own (moving one is copying its bytes), so C++
/// moves the bytes and moves the view along when it points into them (the entries
/// inline).
template <typename RustSet, void (*Drop)(RustSet *) noexcept>
class HeldSet {
 public:
  /// The size of the Rust sets (aligned to 8 below); ray-ffi checks both at compile time.
  static constexpr size_t kRustSetSize = 24;

  HeldSet() = default;
  HeldSet(const HeldSet &) = delete;
  HeldSet &operator=(const HeldSet &) = delete;
  HeldSet(HeldSet &&other) noexcept { Take(other); }
  HeldSet &operator=(HeldSet &&other) noexcept {
    if (this != &other) {
      Reset();
      Take(other);
    }
    return *this;
  }
  ~HeldSet() { Reset(); }

  bool live() const { return live_; }
  RustSet &get() { return *reinterpret_cast<RustSet *>(storage_); }
  const RustSet &get() const { return *reinterpret_cast<const RustSet *>(storage_); }
  /// Where a bridge call may place a new set (after Reset(), or never used); pass what it
  /// returns to Placed().
  RustSet *slot() { return reinterpret_cast<RustSet *>(storage_); }
  void Placed(::ray::rust::scheduling::EntriesView entries) {
    live_ = true;
    View(entries);
  }
  /// Takes the view of the entries again after a change.
  void View(::ray::rust::scheduling::EntriesView entries) {
    entries_ = reinterpret_cast<const ::ray::rust::scheduling::Entry *>(entries.data);
    size_ = entries.len;
  }
  const ::ray::rust::scheduling::Entry *entries() const { return entries_; }
  size_t size() const { return size_; }

  /// Back to the empty set. A set whose entries are inline owns no other memory (ray-ffi
  /// checks that a set is its 24 bytes of entries), so nothing is freed then, without a
  /// call.
  void Reset() {
    if (live_) {
      if (!EntriesInline()) {
        Drop(slot());
      }
      live_ = false;
      entries_ = nullptr;
      size_ = 0;
    }
  }

 private:
  bool EntriesInline() const {
    return reinterpret_cast<uintptr_t>(entries_) - reinterpret_cast<uintptr_t>(storage_) <
           kRustSetSize;
  }

  void Take(HeldSet &other) {
    if (!other.live_) {
      return;
    }
    std::memcpy(storage_, other.storage_, kRustSetSize);
    live_ = true;
    const auto offset = reinterpret_cast<uintptr_t>(other.entries_) -
                        reinterpret_cast<uintptr_t>(other.storage_);
    entries_ = other.EntriesInline()
                   ? reinterpret_cast<const ::ray::rust::scheduling::Entry *>(
                         reinterpret_cast<uintptr_t>(storage_) + offset)
                   : other.entries_;
    size_ = other.size_;
    other.live_ = false;
    other.entries_ = nullptr;
    other.size_ = 0;
  }

  alignas(8) unsigned char storage_[kRustSetSize];
  /// The Rust set's entries, sorted by ID; valid until the set changes.
  const ::ray::rust::scheduling::Entry *entries_ = nullptr;
  // Between the two halves of the view on purpose: the bridge returns a view as two
  // 8-byte stores, and a 16-byte copy of it into adjacent members would wait for both
  // (store forwarding fails), about a third of a one-entry Plus.
  bool live_ = false;
  size_t size_ = 0;
};

}  // namespace scheduling_bridge

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

  ResourceIdRange(const ::ray::rust::scheduling::Entry *begin, size_t size)
      : begin_(begin), end_(begin + size) {}

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
  ResourceSet(ResourceSet &&other) noexcept : set_(std::move(other.set_)) {
    other.resources_view_fresh_ = false;
  }
  ResourceSet &operator=(const ResourceSet &other);
  ResourceSet &operator=(ResourceSet &&other) noexcept {
    set_ = std::move(other.set_);
    resources_view_fresh_ = false;
    other.resources_view_fresh_ = false;
    return *this;
  }

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
  FixedPoint Get(ResourceID resource_id) const {
    const auto *entry =
        scheduling_bridge::FindEntry(set_.entries(), set_.size(), resource_id.ToInt());
    return entry == nullptr ? FixedPoint() : scheduling_bridge::FixedPointFromRaw(entry->value);
  }

  /// Sets a quantity; 0 removes the resource.
  ResourceSet &Set(ResourceID resource_id, FixedPoint value);

  bool Has(ResourceID resource_id) const {
    return scheduling_bridge::FindEntry(set_.entries(), set_.size(), resource_id.ToInt()) !=
           nullptr;
  }

  size_t Size() const { return set_.size(); }

  void Clear();

  bool IsEmpty() const { return set_.size() == 0; }

  /// The IDs of the resources in the set; valid until the set changes.
  ResourceIdIterator ResourceIds() const {
    return ResourceIdIterator(set_.entries(), set_.size());
  }

  /// The entries as a map, built from the set when first asked after a change.
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

  using Held =
      scheduling_bridge::HeldSet<::ray::rust::scheduling::ResourceSet,
                                 &::ray::rust::scheduling::set_drop>;

  const ::ray::rust::scheduling::ResourceSet &Impl() const;
  ::ray::rust::scheduling::ResourceSet &Mut();
  /// Takes the view of the entries again after a change.
  void Changed(::ray::rust::scheduling::EntriesView entries);

  Held set_;
  mutable std::unique_ptr<absl::flat_hash_map<ResourceID, FixedPoint>> resources_view_;
  mutable bool resources_view_fresh_ = false;
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
  NodeResourceSet(NodeResourceSet &&other) noexcept = default;
  NodeResourceSet &operator=(const NodeResourceSet &other);
  NodeResourceSet &operator=(NodeResourceSet &&other) noexcept = default;

  /// Sets a value; the resource's default value (0, or 1 if implicit) removes it.
  NodeResourceSet &Set(ResourceID resource_id, FixedPoint value);

  /// The value of a resource, or its default if not stored.
  FixedPoint Get(ResourceID resource_id) const {
    const auto *entry =
        scheduling_bridge::FindEntry(set_.entries(), set_.size(), resource_id.ToInt());
    if (entry != nullptr) {
      return scheduling_bridge::FixedPointFromRaw(entry->value);
    }
    return ResourceDefaultValue(resource_id);
  }

  /// Whether Get() is non-zero.
  bool Has(ResourceID resource_id) const { return Get(resource_id) != FixedPoint(); }

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

  /// 1 for an implicit resource, else 0.
  static FixedPoint ResourceDefaultValue(ResourceID resource_id) {
    return resource_id.IsImplicitResource() ? FixedPoint(1) : FixedPoint();
  }

  using Held =
      scheduling_bridge::HeldSet<::ray::rust::scheduling::NodeResourceSet,
                                 &::ray::rust::scheduling::node_set_drop>;

  const ::ray::rust::scheduling::NodeResourceSet &Impl() const;
  ::ray::rust::scheduling::NodeResourceSet &Mut();

  /// The stored (non-default) entries.
  Held set_;
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
