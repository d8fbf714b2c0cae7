#include "ray/common/scheduling/resource_instance_set.h"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "scheduling/bridge_util.h"

namespace ray {

namespace bridge = ::ray::rust::scheduling;
using scheduling_bridge::AssignFixedPoints;
using scheduling_bridge::FailCheck;
using scheduling_bridge::FromRaw;
using scheduling_bridge::Raw;

// Ray's operations that reach its Set (or Remove) parse the name as a bundle resource
// after storing (or erasing) it, and std::stoi throws for an index beyond int.
namespace {

void ThrowIfSetThrows(const bridge::NodeResourceInstanceSet &set, ResourceID id) {
  if (bridge::instances_set_throws(set, id.ToInt())) {
    throw std::out_of_range("stoi");
  }
}

}  // namespace

NodeResourceInstanceSet::NodeResourceInstanceSet(const NodeResourceSet &total) {
  // Ray sets the explicit resources in ID order: the first one without an instance
  // aborts, the first whose bundle index overflows throws.
  for (const ResourceID &id : total.ExplicitResourceIds()) {
    if (id.IsUnitInstanceResource() && total.Get(id).Double() < 1) {
      break;
    }
    if (bridge::resource_index_overflows(id.ToInt())) {
      throw std::out_of_range("stoi");
    }
  }
  std::string failure;
  if (!bridge::node_set_to_instances(total.Impl(), Mut(), failure)) {
    FailCheck(failure);
  }
}

NodeResourceInstanceSet::NodeResourceInstanceSet(const NodeResourceInstanceSet &other)
    : set_(other.set_ == nullptr ? nullptr : bridge::instances_clone(*other.set_).into_raw()) {}

NodeResourceInstanceSet &NodeResourceInstanceSet::operator=(
    const NodeResourceInstanceSet &other) {
  if (this != &other) {
    NodeResourceInstanceSet copy(other);
    std::swap(set_, copy.set_);
    ++version_;  // the views were of the old contents
  }
  return *this;
}

NodeResourceInstanceSet &NodeResourceInstanceSet::operator=(
    NodeResourceInstanceSet &&other) noexcept {
  std::swap(set_, other.set_);
  ++version_;
  ++other.version_;
  return *this;
}

NodeResourceInstanceSet::~NodeResourceInstanceSet() {
  if (set_ != nullptr) {
    (void)::rust::Box<bridge::NodeResourceInstanceSet>::from_raw(set_);
  }
}

const bridge::NodeResourceInstanceSet &NodeResourceInstanceSet::Impl() const {
  static const bridge::NodeResourceInstanceSet &empty = bridge::instances_empty();
  return set_ == nullptr ? empty : *set_;
}

bridge::NodeResourceInstanceSet &NodeResourceInstanceSet::Mut() {
  ++version_;
  if (set_ == nullptr) {
    set_ = bridge::instances_new().into_raw();
  }
  return *set_;
}

void NodeResourceInstanceSet::Fill(ResourceID resource_id, View *view) const {
  AssignFixedPoints(bridge::instances_get(Impl(), resource_id.ToInt()), &view->values);
  view->version = version_;
}

NodeResourceInstanceSet &NodeResourceInstanceSet::Set(ResourceID resource_id,
                                                      std::vector<FixedPoint> instances) {
  std::string failure;
  if (!bridge::instances_set(Mut(), resource_id.ToInt(), Raw(instances), failure)) {
    FailCheck(failure);
  }
  ThrowIfSetThrows(Impl(), resource_id);
  return *this;
}

void NodeResourceInstanceSet::Remove(ResourceID resource_id) {
  if (set_ != nullptr) {
    bridge::instances_remove(Mut(), resource_id.ToInt());
  }
  if (bridge::resource_index_overflows(resource_id.ToInt())) {
    throw std::out_of_range("stoi");
  }
}

bool NodeResourceInstanceSet::operator==(const NodeResourceInstanceSet &other) const {
  return bridge::instances_eq(Impl(), other.Impl());
}

std::string NodeResourceInstanceSet::DebugString() const {
  std::string out;
  bridge::instances_debug_string(Impl(), out);
  return out;
}

std::optional<absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>>
NodeResourceInstanceSet::TryAllocate(const ResourceSet &resource_demands) {
  thread_local ::rust::Box<bridge::Allocation> allocation = bridge::allocation_new();
  std::string failure;
  const int code =
      bridge::instances_try_allocate(Mut(), resource_demands.Impl(), *allocation, failure);
  if (code == 0) {
    return std::nullopt;
  }
  if (code != 1) {
    scheduling_bridge::Fail(code, failure);
  }
  thread_local ::rust::Vec<int64_t> flat;
  bridge::allocation_into(*allocation, flat);
  absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> taken;
  for (size_t i = 0; i + 1 < flat.size();) {
    ResourceID id(flat[i]);
    auto count = static_cast<size_t>(flat[i + 1]);
    auto &values = taken[id];
    values.reserve(count);
    for (size_t k = 0; k < count; ++k) {
      values.push_back(FromRaw(flat[i + 2 + k]));
    }
    i += 2 + count;
  }
  return taken;
}

void NodeResourceInstanceSet::Free(ResourceID resource_id,
                                   const std::vector<FixedPoint> &allocation) {
  std::string failure;
  if (!bridge::instances_free(Mut(), resource_id.ToInt(), Raw(allocation), failure)) {
    FailCheck(failure);
  }
  ThrowIfSetThrows(Impl(), resource_id);
}

void NodeResourceInstanceSet::Add(ResourceID resource_id,
                                  const std::vector<FixedPoint> &instances) {
  // Only a resource not stored yet goes through Ray's Set.
  const bool absent = !Has(resource_id);
  std::string failure;
  if (!bridge::instances_add(Mut(), resource_id.ToInt(), Raw(instances), failure)) {
    FailCheck(failure);
  }
  if (absent) {
    ThrowIfSetThrows(Impl(), resource_id);
  }
}

std::vector<FixedPoint> NodeResourceInstanceSet::Subtract(
    ResourceID resource_id,
    const std::vector<FixedPoint> &instances,
    bool allow_going_negative) {
  ::rust::Vec<int64_t> underflow;
  std::string failure;
  if (!bridge::instances_subtract(Mut(),
                                  resource_id.ToInt(),
                                  Raw(instances),
                                  allow_going_negative,
                                  underflow,
                                  failure)) {
    FailCheck(failure);
  }
  ThrowIfSetThrows(Impl(), resource_id);
  std::vector<FixedPoint> out;
  AssignFixedPoints(underflow, &out);
  return out;
}

NodeResourceSet NodeResourceInstanceSet::ToNodeResourceSet() const {
  NodeResourceSet total;
  total.set_.Placed(bridge::instances_to_node_set_into(Impl(), total.set_.slot()));
  return total;
}

const absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>
    &NodeResourceInstanceSet::Resources() const {
  ::rust::Vec<int64_t> ids;
  bridge::instances_ids(Impl(), ids);
  resources_view_.clear();
  for (int64_t id : ids) {
    AssignFixedPoints(bridge::instances_get(Impl(), id), &resources_view_[ResourceID(id)]);
  }
  return resources_view_;
}

}  // namespace ray
