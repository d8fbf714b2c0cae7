#include "ray/common/scheduling/cluster_resource_data.h"

#include <algorithm>
#include <sstream>
#include <string>

namespace ray {

ResourceRequest ResourceMapToResourceRequest(
    const absl::flat_hash_map<std::string, double> &resource_map,
    bool requires_object_store_memory) {
  ResourceRequest request({}, requires_object_store_memory);
  for (const auto &[name, quantity] : resource_map) {
    request.Set(ResourceID(name), FixedPoint(quantity));
  }
  return request;
}

ResourceRequest ResourceMapToResourceRequest(
    const absl::flat_hash_map<ResourceID, double> &resource_map,
    bool requires_object_store_memory) {
  ResourceRequest request({}, requires_object_store_memory);
  for (const auto &[id, quantity] : resource_map) {
    request.Set(id, FixedPoint(quantity));
  }
  return request;
}

NodeResources ResourceMapToNodeResources(
    const absl::flat_hash_map<std::string, double> &resource_map_total,
    const absl::flat_hash_map<std::string, double> &resource_map_available,
    const absl::flat_hash_map<std::string, std::string> &node_labels) {
  NodeResources node_resources;
  node_resources.total = NodeResourceSet(resource_map_total);
  node_resources.available = NodeResourceSet(resource_map_available);
  node_resources.labels = node_labels;
  return node_resources;
}

float NodeResources::CalculateCriticalResourceUtilization() const {
  float highest = 0;
  for (PredefinedResourcesEnum kind : {CPU, MEM, OBJECT_STORE_MEM}) {
    ResourceID id(kind);
    FixedPoint total_quantity = total.Get(id);
    if (total_quantity == 0) {
      continue;
    }
    double free = available.Get(id).Double();
    if (normal_task_resources.Has(id)) {
      free -= normal_task_resources.Get(id).Double();
      // Clamped in single precision, as Ray does.
      free = std::max<float>(0, free);
    }
    float utilization = 1 - (free / total_quantity.Double());
    highest = std::max(highest, utilization);
  }
  return highest;
}

bool NodeResources::IsAvailable(const ResourceRequest &resource_request,
                                bool ignore_pull_manager_at_capacity) const {
  if (!ignore_pull_manager_at_capacity && resource_request.RequiresObjectStoreMemory() &&
      object_pulls_queued) {
    RAY_LOG(DEBUG) << "At pull manager capacity";
    return false;
  }
  if (normal_task_resources.IsEmpty()) {
    return available >= resource_request.GetResourceSet();
  }
  NodeResourceSet free = available;
  free -= normal_task_resources;
  return free >= resource_request.GetResourceSet();
}

bool NodeResources::IsFeasible(const ResourceRequest &resource_request) const {
  return total >= resource_request.GetResourceSet();
}

bool NodeResources::operator==(const NodeResources &other) const {
  return available == other.available && total == other.total && labels == other.labels;
}

bool NodeResources::operator!=(const NodeResources &other) const {
  return !(*this == other);
}

namespace {

// The part NodeResources and NodeResourceInstances print alike (without a closing
// brace): {"total":T}, "available": A}, "labels":{"k":"v",...}
template <typename Set>
void WriteTotalsAndLabels(std::ostream &out,
                          const Set &total,
                          const Set &available,
                          const absl::flat_hash_map<std::string, std::string> &labels) {
  out << "{\"total\":" << total.DebugString() << "}, \"available\": "
      << available.DebugString() << "}, \"labels\":{";
  for (const auto &[key, value] : labels) {
    out << "\"" << key << "\":\"" << value << "\",";
  }
  out << "}";
}

}  // namespace

std::string NodeResources::DebugString() const {
  std::ostringstream out;
  WriteTotalsAndLabels(out, total, available, labels);
  out << ", \"is_draining\": " << is_draining
      << ", \"draining_deadline_timestamp_ms\": " << draining_deadline_timestamp_ms
      << "}";
  return out.str();
}

std::string NodeResources::DictString() const { return DebugString(); }

bool NodeResourceInstances::operator==(const NodeResourceInstances &other) const {
  return total == other.total && available == other.available;
}

std::string NodeResourceInstances::DebugString() const {
  std::ostringstream out;
  WriteTotalsAndLabels(out, total, available, labels);
  return out.str();
}

const NodeResourceInstanceSet &NodeResourceInstances::GetAvailableResourceInstances()
    const {
  return available;
}

const NodeResourceInstanceSet &NodeResourceInstances::GetTotalResourceInstances() const {
  return total;
}

}  // namespace ray
