// Drop-in for Ray's resource_instance_set.h whose instance set, placement-group bundle
// index and allocation algorithm live in Rust (ray_scheduling::NodeResourceInstanceSet).
//
// Ray returns references to its member vectors from Get() and Resources(). Here those are
// views that C++ fills from Rust on each call: a reference taken earlier shows the values
// of that call until the same accessor is called again.

#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_map.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/resource_set.h"
#include "ray/common/scheduling/scheduling_ids.h"
#include "ray/ffi/scheduling_bridge.rs.h"

namespace ray {

class NodeResourceInstanceSet {
 public:
  NodeResourceInstanceSet() {}

  /// Unit-instance resources get floor(total) instances of 1, others one instance.
  explicit NodeResourceInstanceSet(const NodeResourceSet &total);

  NodeResourceInstanceSet(const NodeResourceInstanceSet &other);
  NodeResourceInstanceSet(NodeResourceInstanceSet &&other) noexcept : set_(other.set_) {
    other.set_ = nullptr;
  }
  NodeResourceInstanceSet &operator=(const NodeResourceInstanceSet &other);
  NodeResourceInstanceSet &operator=(NodeResourceInstanceSet &&other) noexcept;
  ~NodeResourceInstanceSet();

  bool Has(ResourceID resource_id) const;

  /// The per-instance values; empty if absent ({1} for an absent implicit resource).
  const std::vector<FixedPoint> &Get(ResourceID resource_id) const;

  NodeResourceInstanceSet &Set(ResourceID resource_id, std::vector<FixedPoint> instances);

  void Remove(ResourceID resource_id);

  FixedPoint Sum(ResourceID resource_id) const;

  bool operator==(const NodeResourceInstanceSet &other) const;

  std::string DebugString() const;

  /// All or nothing: the instances taken per resource, or std::nullopt.
  std::optional<absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>> TryAllocate(
      const ResourceSet &resource_demands);

  void Free(ResourceID resource_id, const std::vector<FixedPoint> &allocation);

  void Add(ResourceID resource_id, const std::vector<FixedPoint> &instances);

  /// Returns the underflow, max(instances - Get(resource_id), 0) per instance.
  std::vector<FixedPoint> Subtract(ResourceID resource_id,
                                   const std::vector<FixedPoint> &instances,
                                   bool allow_going_negative);

  NodeResourceSet ToNodeResourceSet() const;

  /// Only for testing: every stored resource's instances, rebuilt on each call.
  const absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> &Resources() const;

 private:
  const ::ray::rust::scheduling::NodeResourceInstanceSet &Impl() const;
  ::ray::rust::scheduling::NodeResourceInstanceSet &Mut();

  ::ray::rust::scheduling::NodeResourceInstanceSet *set_ = nullptr;
  /// Get()'s results; node-based so references to other resources stay valid.
  mutable absl::node_hash_map<ResourceID, std::vector<FixedPoint>> instance_views_;
  mutable absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> resources_view_;
};

}  // namespace ray
