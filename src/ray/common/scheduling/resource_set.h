// Sets of resource quantities keyed by interned resource IDs.
//
// ResourceSet is a demand or an amount held: absent resources are 0 and a resource
// set to 0 is removed, so two sets with the same non-zero quantities are equal.
// NodeResourceSet is a node's capacity: explicit resources default to 0 and implicit
// ones (kImplicitResourcePrefix) to 1, and only values differing from the default are
// stored. Values may be negative in both.

#pragma once

#include <memory>
#include <set>
#include <string>
#include <unordered_map>

#include "absl/container/flat_hash_map.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/map_key_range.h"
#include "ray/common/scheduling/scheduling_ids.h"

namespace ray {

using scheduling::ResourceID;

class ResourceSet {
 public:
  /// The IDs of the resources in the set (Ray: a Boost key range of the map).
  using ResourceIdIterator = MapKeyRange<absl::flat_hash_map<ResourceID, FixedPoint>>;

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

  bool operator==(const ResourceSet &other) const;

  /// Per-resource sum; resources summing to 0 are removed.
  ResourceSet operator+(const ResourceSet &other) const;

  /// Per-resource difference; may produce negative quantities, zeros are removed.
  ResourceSet operator-(const ResourceSet &other) const;

  ResourceSet &operator+=(const ResourceSet &other);

  ResourceSet &operator-=(const ResourceSet &other);

  bool operator!=(const ResourceSet &other) const { return !(*this == other); }

  /// Whether every resource's quantity here is at most its quantity in `other`
  /// (absent counts as 0 on both sides).
  bool operator<=(const ResourceSet &other) const;

  /// `other <= *this`.
  bool operator>=(const ResourceSet &other) const { return other <= *this; }

  /// The quantity of a resource, 0 if absent.
  FixedPoint Get(ResourceID resource_id) const;

  /// Sets a quantity; 0 removes the resource.
  ResourceSet &Set(ResourceID resource_id, FixedPoint value);

  bool Has(ResourceID resource_id) const { return resources_.contains(resource_id); }

  size_t Size() const { return resources_.size(); }

  void Clear() { resources_.clear(); }

  bool IsEmpty() const;

  /// The IDs of the resources in the set.
  ResourceIdIterator ResourceIds() const { return ResourceIdIterator(resources_); }

  const absl::flat_hash_map<ResourceID, FixedPoint> &Resources() const {
    return resources_;
  }

  /// Resource names to quantities in regular units.
  absl::flat_hash_map<std::string, double> GetResourceMap() const;

  /// The same as GetResourceMap(), as a std::unordered_map.
  std::unordered_map<std::string, double> GetResourceUnorderedMap() const;

  /// "{name: quantity, ...}" with quantities in regular units, in map order.
  const std::string DebugString() const;

 private:
  absl::flat_hash_map<ResourceID, FixedPoint> resources_;
};

class NodeResourceSet {
 public:
  /// The IDs of the stored (non-default) resources (Ray: a Boost key range).
  using ResourceIdIterator = MapKeyRange<absl::flat_hash_map<ResourceID, FixedPoint>>;

  NodeResourceSet() {}

  /// Each entry as by Set(): default values are dropped.
  explicit NodeResourceSet(const absl::flat_hash_map<std::string, double> &resource_map);
  explicit NodeResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map);
  explicit NodeResourceSet(
      const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map);

  /// Sets a value; the resource's default value (0, or 1 if implicit) removes it.
  NodeResourceSet &Set(ResourceID resource_id, FixedPoint value);

  /// The value of a resource, or its default if not stored.
  FixedPoint Get(ResourceID resource_id) const;

  /// Whether Get() is non-zero (always true for an implicit resource left at 1).
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

  /// "{name: raw, ...}" with raw FixedPoint unit counts, in map order.
  std::string DebugString() const;

 private:
  FixedPoint ResourceDefaultValue(ResourceID resource_id) const;

  /// Only values that differ from the resource's default.
  absl::flat_hash_map<ResourceID, FixedPoint> resources_;
};

}  // namespace ray

namespace std {

/// Independent of iteration order: XOR of every name's and quantity's hash, seeded
/// with the size.
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
