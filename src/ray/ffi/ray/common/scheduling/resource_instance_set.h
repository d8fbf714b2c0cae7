// Drop-in for Ray's resource_instance_set.h whose instance set, placement-group bundle
// index and allocation algorithm live in Rust (ray_scheduling::NodeResourceInstanceSet).
//
// Ray returns references to its member vectors from Get() and Resources(). Here those are
// views that C++ fills from Rust: a reference taken earlier shows the values of that call
// until the same accessor is called again. Get()'s view of a resource is refilled only
// when the set changed since it was filled, so repeated reads (and Has and Sum, which
// read it) do not cross the bridge.

#pragma once

#include <cstdint>
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
    ++other.version_;
  }
  NodeResourceInstanceSet &operator=(const NodeResourceInstanceSet &other);
  NodeResourceInstanceSet &operator=(NodeResourceInstanceSet &&other) noexcept;
  ~NodeResourceInstanceSet();

  bool Has(ResourceID resource_id) const { return !Get(resource_id).empty(); }

  /// The per-instance values; empty if absent ({1} for an absent implicit resource).
  const std::vector<FixedPoint> &Get(ResourceID resource_id) const {
    View &view = instance_views_[resource_id];
    if (view.version != version_) {
      Fill(resource_id, &view);
    }
    return view.values;
  }

  NodeResourceInstanceSet &Set(ResourceID resource_id, std::vector<FixedPoint> instances);

  void Remove(ResourceID resource_id);

  FixedPoint Sum(ResourceID resource_id) const { return FixedPoint::Sum(Get(resource_id)); }

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

  /// Get()'s result for one resource, as of the set's `version`.
  struct View {
    uint64_t version = 0;
    std::vector<FixedPoint> values;
  };
  void Fill(ResourceID resource_id, View *view) const;

  ::ray::rust::scheduling::NodeResourceInstanceSet *set_ = nullptr;
  /// Changed by every call that may change the set (through Mut() and the moves), so
  /// the views filled before it are refilled on their next read.
  uint64_t version_ = 1;
  /// Get()'s results; node-based so references to other resources stay valid.
  mutable absl::node_hash_map<ResourceID, View> instance_views_;
  mutable absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> resources_view_;
};

}  // namespace ray
