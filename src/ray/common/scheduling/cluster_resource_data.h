// Resource requests and the resource views of nodes used by the scheduler.
//
// Ray's LabelSelector (label_selector.h) is built on protobuf messages and is not part
// of this build: ResourceRequest carries no label selector, and NodeResources'
// IsAvailable()/IsFeasible() behave as for a request with an empty selector. Node
// labels are plain string maps, as in Ray.

#pragma once

#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "ray/common/scheduling/fixed_point.h"
#include "ray/common/scheduling/map_key_range.h"
#include "ray/common/scheduling/resource_instance_set.h"
#include "ray/common/scheduling/resource_set.h"
#include "ray/common/scheduling/scheduling_ids.h"
#include "ray/util/logging.h"

namespace ray {

using scheduling::ResourceID;

/// The resources a task or actor asks for: a ResourceSet (zero quantities dropped)
/// plus whether it needs object store memory.
class ResourceRequest {
 public:
  ResourceRequest() : ResourceRequest({}, false) {}

  explicit ResourceRequest(absl::flat_hash_map<ResourceID, FixedPoint> resource_map)
      : ResourceRequest(std::move(resource_map), false) {}

  ResourceRequest(absl::flat_hash_map<ResourceID, FixedPoint> resource_map,
                  bool requires_object_store_memory)
      : resources_(resource_map),
        requires_object_store_memory_(requires_object_store_memory) {}

  bool RequiresObjectStoreMemory() const { return requires_object_store_memory_; }

  const ResourceSet &GetResourceSet() const { return resources_; }

  FixedPoint Get(ResourceID resource_id) const { return resources_.Get(resource_id); }

  void Set(ResourceID resource_id, FixedPoint value) {
    resources_.Set(resource_id, value);
  }

  bool Has(ResourceID resource_id) const { return resources_.Has(resource_id); }

  ResourceSet::ResourceIdIterator ResourceIds() const { return resources_.ResourceIds(); }

  absl::flat_hash_map<std::string, double> ToResourceMap() const {
    return resources_.GetResourceMap();
  }

  bool IsEmpty() const { return resources_.IsEmpty(); }

  size_t Size() const { return resources_.Size(); }

  void Clear() { resources_.Clear(); }

  /// Comparisons and arithmetic look at the resources only, not at
  /// RequiresObjectStoreMemory(); results of + and - keep the left operand's flag.
  bool operator==(const ResourceRequest &other) const {
    return resources_ == other.resources_;
  }

  bool operator<=(const ResourceRequest &other) const {
    return resources_ <= other.resources_;
  }

  bool operator>=(const ResourceRequest &other) const {
    return resources_ >= other.resources_;
  }

  bool operator!=(const ResourceRequest &other) const {
    return resources_ != other.resources_;
  }

  ResourceRequest operator+(const ResourceRequest &other) const {
    ResourceRequest result = *this;
    result += other;
    return result;
  }

  ResourceRequest operator-(const ResourceRequest &other) const {
    ResourceRequest result = *this;
    result -= other;
    return result;
  }

  ResourceRequest &operator+=(const ResourceRequest &other) {
    resources_ += other.resources_;
    return *this;
  }

  ResourceRequest &operator-=(const ResourceRequest &other) {
    resources_ -= other.resources_;
    return *this;
  }

  /// ResourceSet::DebugString() of the resources.
  std::string DebugString() const { return resources_.DebugString(); }

 private:
  ResourceSet resources_;
  bool requires_object_store_memory_ = false;
};

/// The instances given to a task, per resource. Unlike ResourceSet, zero values are
/// kept: the number of instances must survive.
class TaskResourceInstances {
 public:
  /// The IDs of the resources held (Ray: a Boost key range of the map).
  using ResourceIdIterator =
      MapKeyRange<absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>>;

  TaskResourceInstances() = default;

  /// Instances for the quantities of `resources`: one instance of 1 per whole unit of
  /// a unit-instance resource (a resource with no whole unit is left out), otherwise
  /// one instance holding the quantity.
  explicit TaskResourceInstances(const ResourceSet &resources) {
    for (const ResourceID &resource_id : resources.ResourceIds()) {
      FixedPoint value = resources.Get(resource_id);
      std::vector<FixedPoint> instances;
      if (resource_id.IsUnitInstanceResource()) {
        // Ray casts the quantity to size_t, undefined when negative; here that is 0.
        size_t count = value.Double() > 0 ? static_cast<size_t>(value.Double()) : 0;
        instances.assign(count, FixedPoint(1.0));
      } else {
        instances.push_back(value);
      }
      Set(resource_id, instances);
    }
  }

  explicit TaskResourceInstances(
      absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> resources)
      : resources_(std::move(resources)) {}

  /// The instances of a resource held; aborts the process if it is not held.
  const std::vector<FixedPoint> &Get(const ResourceID resource_id) const {
    auto it = resources_.find(resource_id);
    RAY_CHECK(it != resources_.end()) << "Resource ID not found " << resource_id;
    return it->second;
  }

  /// Get() in regular units; aborts the process if the resource is not held.
  std::vector<double> GetDouble(const ResourceID resource_id) const {
    return FixedPointVectorToDouble(Get(resource_id));
  }

  /// The sum of a resource's instances, 0 if not held.
  FixedPoint Sum(const ResourceID resource_id) const {
    return Has(resource_id) ? FixedPoint::Sum(Get(resource_id)) : FixedPoint(0);
  }

  /// Mutable access to a resource's instances; aborts the process if not held.
  std::vector<FixedPoint> &GetMutable(const ResourceID resource_id) {
    auto it = resources_.find(resource_id);
    RAY_CHECK(it != resources_.end()) << "Resource ID not found " << resource_id;
    return it->second;
  }

  bool Has(ResourceID resource_id) const { return resources_.contains(resource_id); }

  /// Sets a resource's instances; an empty vector removes the resource.
  TaskResourceInstances &Set(const ResourceID resource_id,
                             const std::vector<FixedPoint> &instances) {
    if (instances.empty()) {
      Remove(resource_id);
    } else {
      resources_.insert_or_assign(resource_id, instances);
    }
    return *this;
  }

  void Remove(ResourceID resource_id) { resources_.erase(resource_id); }

  ResourceIdIterator ResourceIds() const { return ResourceIdIterator(resources_); }

  size_t Size() const { return resources_.size(); }

  bool IsEmpty() const { return resources_.empty(); }

  bool operator==(const TaskResourceInstances &other) const {
    return resources_ == other.resources_;
  }

  /// Each resource with the sum of its instances (sums of 0 dropped).
  ResourceSet ToResourceSet() const {
    ResourceSet result;
    for (const auto &[id, instances] : resources_) {
      result.Set(id, FixedPoint::Sum(instances));
    }
    return result;
  }

  /// "{name: [raw, ...], ...}" with raw FixedPoint unit counts, in map order.
  [[nodiscard]] std::string DebugString() const {
    std::ostringstream out;
    out << "{";
    const char *separator = "";
    for (const auto &[id, instances] : resources_) {
      out << separator << id.Binary() << ": " << FixedPointVectorToString(instances);
      separator = ", ";
    }
    out << "}";
    return out.str();
  }

  /// The predefined resources held, in enum order (CPU, memory, GPU, object store
  /// memory), as JSON with raw FixedPoint unit counts: a number, or for a
  /// unit-instance resource a list ("[a, b]"); e.g. {"CPU":20000,"GPU":[10000, 10000]}.
  /// Custom resources are not included.
  std::string SerializeAsJson() const {
    std::ostringstream out;
    out << "{";
    const char *separator = "";
    for (int64_t i = 0; i < PredefinedResourcesEnum_MAX; ++i) {
      ResourceID resource_id(i);
      auto it = resources_.find(resource_id);
      if (it == resources_.end()) {
        continue;
      }
      const std::vector<FixedPoint> &instances = it->second;
      out << separator << "\"" << resource_id.Binary() << "\":";
      if (resource_id.IsUnitInstanceResource() || instances.empty()) {
        // Ray reads instances[0] of an empty vector (undefined); here that is "[]".
        out << FixedPointVectorToString(instances);
      } else {
        out << instances[0];
      }
      separator = ",";
    }
    out << "}";
    return out.str();
  }

 private:
  absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> resources_;
};

/// A node's total and available resources, as reported to and tracked by the
/// scheduler.
class NodeResources {
 public:
  NodeResources() {}
  explicit NodeResources(const NodeResourceSet &resources)
      : total(resources), available(resources) {}
  NodeResourceSet total;
  NodeResourceSet available;
  /// Only set by the light resource report.
  ResourceSet load;
  /// Resources held by normal tasks (used by the GCS scheduler).
  ResourceSet normal_task_resources;
  absl::flat_hash_map<std::string, std::string> labels;
  int64_t idle_resource_duration_ms = 0;
  bool is_draining = false;
  /// When the draining node will be force-killed; 0 if no deadline, -1 if unset.
  int64_t draining_deadline_timestamp_ms = -1;
  /// The time of the last resource report, if any.
  std::optional<absl::Time> last_resource_update_time = std::nullopt;
  /// Orders normal_task_resources updates from different sources.
  int64_t latest_resources_normal_task_timestamp = 0;
  bool object_pulls_queued = false;

  /// The highest utilisation (1 - available/total) among CPU, memory and object store
  /// memory, ignoring resources with a total of 0; normal_task_resources count as
  /// used. 0 if none has a total.
  float CalculateCriticalResourceUtilization() const;
  /// Whether `available` (less normal_task_resources) covers the request, and the
  /// request is not waiting on object pulls (unless `ignore_at_capacity`). Does not
  /// consider how unit-instance resources are split into instances.
  bool IsAvailable(const ResourceRequest &resource_request,
                   bool ignore_at_capacity = false) const;
  /// Whether `total` covers the request.
  bool IsFeasible(const ResourceRequest &resource_request) const;
  /// Same total, available and labels.
  bool operator==(const NodeResources &other) const;
  bool operator!=(const NodeResources &other) const;
  /// {"total":{...}}, "available": {...}}, "labels":{"k":"v",}, "is_draining": 0,
  /// "draining_deadline_timestamp_ms": -1} — Ray's format, unbalanced braces included.
  std::string DebugString() const;
  /// The same as DebugString().
  std::string DictString() const;
};

/// The local node's total and available resources per instance.
class NodeResourceInstances {
 public:
  NodeResourceInstanceSet available;
  NodeResourceInstanceSet total;
  absl::flat_hash_map<std::string, std::string> labels;

  const NodeResourceInstanceSet &GetAvailableResourceInstances() const;
  const NodeResourceInstanceSet &GetTotalResourceInstances() const;
  /// Same total and available (labels are not compared).
  bool operator==(const NodeResourceInstances &other) const;
  /// As NodeResources::DebugString(), without the draining fields.
  [[nodiscard]] std::string DebugString() const;
};

/// A remote node as seen by the local scheduler, with when that view last changed.
struct Node {
  explicit Node(const NodeResources &resources) : local_view_(resources) {}

  /// Also records now as the view's modification time.
  NodeResources *GetMutableLocalView() {
    local_view_modified_ts_ = absl::Now();
    return &local_view_;
  }

  std::optional<absl::Time> GetViewModifiedTs() const { return local_view_modified_ts_; }

  const NodeResources &GetLocalView() const { return local_view_; }

 private:
  NodeResources local_view_;
  std::optional<absl::Time> local_view_modified_ts_;
};

/// NodeResources with the given total and available maps and labels.
NodeResources ResourceMapToNodeResources(
    const absl::flat_hash_map<std::string, double> &resource_map_total,
    const absl::flat_hash_map<std::string, double> &resource_map_available,
    const absl::flat_hash_map<std::string, std::string> &node_labels = {});

/// A ResourceRequest of the map's quantities (zeros dropped).
ResourceRequest ResourceMapToResourceRequest(
    const absl::flat_hash_map<std::string, double> &resource_map,
    bool requires_object_store_memory);

/// A ResourceRequest of the map's quantities (zeros dropped).
ResourceRequest ResourceMapToResourceRequest(
    const absl::flat_hash_map<ResourceID, double> &resource_map,
    bool requires_object_store_memory);

}  // namespace ray
