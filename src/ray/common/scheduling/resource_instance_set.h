// NodeResourceInstanceSet: a node's resources with one value per instance.
//
// Unit-instance resources (GPUs, ...) have one instance per unit, each of capacity 1,
// so a task can be given specific instances (e.g. GPU 2 and 3); other resources have a
// single instance holding the whole quantity. Implicit resources default to one
// instance of 1 and are only stored when they differ from that.
//
// Placement-group resources appear twice: the wildcard resource (the whole group) and
// one indexed resource per bundle. Allocations keep both consistent: a demand is met
// by one bundle, and the wildcard resource gives up the same instances.

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/resource_set.h"
#include "ray/common/scheduling/scheduling_ids.h"

namespace ray {

class NodeResourceInstanceSet {
 public:
  NodeResourceInstanceSet() {}

  /// The instances of a node's total resources: `n` instances of 1 for a
  /// unit-instance resource of quantity n (the fraction is dropped), otherwise one
  /// instance holding the quantity. Implicit resources are left at their default.
  explicit NodeResourceInstanceSet(const NodeResourceSet &total);

  /// Whether Get() is non-empty.
  bool Has(ResourceID resource_id) const;

  /// The per-instance values; an implicit resource not stored yields {1}, any other
  /// absent resource an empty vector.
  const std::vector<FixedPoint> &Get(ResourceID resource_id) const;

  /// Sets the per-instance values (must be non-empty, or the process aborts). An
  /// implicit resource whose first instance is 1 returns to its default (unstored).
  NodeResourceInstanceSet &Set(ResourceID resource_id, std::vector<FixedPoint> instances);

  /// Removes the resource (and forgets it as a bundle of its placement group).
  void Remove(ResourceID resource_id);

  /// The sum of the instances; for an absent resource 1 if implicit, else 0.
  FixedPoint Sum(ResourceID resource_id) const;

  /// Same resources with the same instances.
  bool operator==(const NodeResourceInstanceSet &other) const;

  /// "{name: [raw, ...], ...}" with raw FixedPoint unit counts, in map order.
  std::string DebugString() const;

  /// Allocates every demand or nothing. Returns the instances taken per resource, or
  /// nullopt (leaving the set unchanged) if any demand cannot be met.
  std::optional<absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>> TryAllocate(
      const ResourceSet &resource_demands);

  /// Adds an allocation back, instance by instance (sizes must match).
  void Free(ResourceID resource_id, const std::vector<FixedPoint> &allocation);

  /// Adds `instances` instance by instance, growing the resource to as many instances
  /// as `instances` has. Absent resources are created; implicit ones abort.
  void Add(ResourceID resource_id, const std::vector<FixedPoint> &instances);

  /// Subtracts `instances` instance by instance (sizes must match). Without
  /// `allow_going_negative`, an instance stops at 0 and the shortfall is returned in
  /// its slot, and an instance already negative is left as is with the whole amount
  /// returned; with it, every instance is subtracted and the result is all zeros.
  std::vector<FixedPoint> Subtract(ResourceID resource_id,
                                   const std::vector<FixedPoint> &instances,
                                   bool allow_going_negative);

  /// Each resource with the sum of its instances.
  NodeResourceSet ToNodeResourceSet() const;

  /// For tests.
  const absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> &Resources() const {
    return resources_;
  }

 private:
  /// Allocates `demand` of one resource. A demand of 1 or more takes whole free
  /// instances (value exactly 1) in index order until less than 1 remains; the rest
  /// goes to the instance that fits it most tightly (lowest index among equals). A
  /// single-instance resource just needs enough in that instance. Returns the amount
  /// taken per instance, or nullopt (nothing changed) if it does not fit.
  std::optional<std::vector<FixedPoint>> TryAllocate(ResourceID resource_id,
                                                     FixedPoint demand);

  /// Takes exactly `ref_allocation` from `resource_id`, for a placement group's
  /// wildcard resource to mirror the bundle's allocation. The resource must exist
  /// with as many instances and enough in each, except that CPU resources may go
  /// negative; otherwise the process aborts.
  void AllocateWithReference(const std::vector<FixedPoint> &ref_allocation,
                             ResourceID resource_id);

  absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> resources_;

  /// The indexed placement-group resources ever set and not removed, by original
  /// resource and group ID. Derived from resources_; not part of equality.
  absl::flat_hash_map<ResourceID,
                      absl::flat_hash_map<std::string, absl::flat_hash_set<ResourceID>>>
      pg_indexed_resources_;
};

}  // namespace ray
