#include "ray/common/scheduling/resource_instance_set.h"

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ray/common/scheduling/placement_group_util.h"
#include "ray/util/logging.h"

namespace ray {

namespace {

std::optional<PgFormattedResourceData> ParseIndexedPgResource(ResourceID resource_id) {
  return ParsePgFormattedResource(resource_id.Binary(),
                                  /*for_wildcard_resource=*/false,
                                  /*for_indexed_resource=*/true);
}

}  // namespace

NodeResourceInstanceSet::NodeResourceInstanceSet(const NodeResourceSet &total) {
  for (const ResourceID &resource_id : total.ExplicitResourceIds()) {
    FixedPoint value = total.Get(resource_id);
    std::vector<FixedPoint> instances;
    if (resource_id.IsUnitInstanceResource()) {
      // One instance per whole unit. A quantity below 1 gives no instance, which
      // Set() rejects; Ray's cast of a negative quantity to size_t is undefined.
      size_t count = value.Double() > 0 ? static_cast<size_t>(value.Double()) : 0;
      instances.assign(count, FixedPoint(1.0));
    } else {
      instances.push_back(value);
    }
    Set(resource_id, std::move(instances));
  }
}

bool NodeResourceInstanceSet::Has(ResourceID resource_id) const {
  return !Get(resource_id).empty();
}

void NodeResourceInstanceSet::Remove(ResourceID resource_id) {
  resources_.erase(resource_id);

  auto parsed = ParseIndexedPgResource(resource_id);
  if (!parsed) {
    return;
  }
  ResourceID original(parsed->original_resource);
  auto by_group = pg_indexed_resources_.find(original);
  if (by_group == pg_indexed_resources_.end()) {
    return;
  }
  auto bundles = by_group->second.find(parsed->group_id);
  if (bundles == by_group->second.end()) {
    return;
  }
  bundles->second.erase(resource_id);
  if (bundles->second.empty()) {
    by_group->second.erase(bundles);
  }
  if (by_group->second.empty()) {
    pg_indexed_resources_.erase(by_group);
  }
}

const std::vector<FixedPoint> &NodeResourceInstanceSet::Get(
    ResourceID resource_id) const {
  static const std::vector<FixedPoint> kAbsent;
  static const std::vector<FixedPoint> kImplicitDefault{FixedPoint(1)};

  auto it = resources_.find(resource_id);
  if (it != resources_.end()) {
    return it->second;
  }
  return resource_id.IsImplicitResource() ? kImplicitDefault : kAbsent;
}

NodeResourceInstanceSet &NodeResourceInstanceSet::Set(ResourceID resource_id,
                                                      std::vector<FixedPoint> instances) {
  RAY_CHECK(!instances.empty());
  if (resource_id.IsImplicitResource() && instances[0] == FixedPoint(1)) {
    resources_.erase(resource_id);
    return *this;
  }
  resources_.insert_or_assign(resource_id, std::move(instances));
  if (auto parsed = ParseIndexedPgResource(resource_id)) {
    pg_indexed_resources_[ResourceID(parsed->original_resource)][parsed->group_id]
        .insert(resource_id);
  }
  return *this;
}

FixedPoint NodeResourceInstanceSet::Sum(ResourceID resource_id) const {
  auto it = resources_.find(resource_id);
  if (it != resources_.end()) {
    return FixedPoint::Sum(it->second);
  }
  return resource_id.IsImplicitResource() ? FixedPoint(1) : FixedPoint(0);
}

bool NodeResourceInstanceSet::operator==(const NodeResourceInstanceSet &other) const {
  return resources_ == other.resources_;
}

std::optional<absl::flat_hash_map<ResourceID, std::vector<FixedPoint>>>
NodeResourceInstanceSet::TryAllocate(const ResourceSet &resource_demands) {
  absl::flat_hash_map<ResourceID, std::vector<FixedPoint>> allocations;
  // Undoes everything allocated so far; the caller then reports failure.
  auto roll_back = [&]() {
    for (const auto &[id, allocated] : allocations) {
      Free(id, allocated);
    }
  };

  // Placement-group demands, grouped by original resource (e.g. every "GPU_group_..."
  // demand under GPU). Ordinary demands are allocated right away.
  absl::flat_hash_map<ResourceID,
                      std::vector<std::pair<ResourceID, PgFormattedResourceData>>>
      pg_demands;
  for (const auto &[resource_id, demand] : resource_demands.Resources()) {
    auto parsed = ParsePgFormattedResource(resource_id.Binary(),
                                           /*for_wildcard_resource=*/true,
                                           /*for_indexed_resource=*/true);
    if (parsed) {
      pg_demands[ResourceID(parsed->original_resource)].emplace_back(
          resource_id, std::move(*parsed));
      continue;
    }
    auto allocation = TryAllocate(resource_id, demand);
    if (!allocation) {
      roll_back();
      return std::nullopt;
    }
    allocations[resource_id] = std::move(*allocation);
  }

  // One placement group and at most one bundle per original resource. The bundle's
  // allocation is made first, then mirrored onto the wildcard resource.
  for (const auto &[original_id, demands] : pg_demands) {
    std::optional<std::vector<FixedPoint>> wildcard_allocation;
    const ResourceID *wildcard_resource_id = nullptr;

    if (demands.size() == 1) {
      // No bundle index given: the first bundle of the group that fits.
      wildcard_resource_id = &demands[0].first;
      const std::string &group_id = demands[0].second.group_id;
      FixedPoint demand = resource_demands.Get(*wildcard_resource_id);
      bool found = false;
      auto by_group = pg_indexed_resources_.find(original_id);
      if (by_group != pg_indexed_resources_.end()) {
        auto bundles = by_group->second.find(group_id);
        if (bundles != by_group->second.end()) {
          for (ResourceID bundle_id : bundles->second) {
            if (!Has(bundle_id)) {
              continue;
            }
            wildcard_allocation = TryAllocate(bundle_id, demand);
            if (wildcard_allocation) {
              allocations[bundle_id] = *wildcard_allocation;
              found = true;
              break;
            }
          }
        }
      }
      if (!found) {
        roll_back();
        return std::nullopt;
      }
    } else {
      // Bundle index given: the demand lists the indexed and the wildcard resource.
      for (const auto &[resource_id, parsed] : demands) {
        if (parsed.bundle_index == -1) {
          wildcard_resource_id = &resource_id;
          continue;
        }
        wildcard_allocation = TryAllocate(resource_id, resource_demands.Get(resource_id));
        if (!wildcard_allocation) {
          roll_back();
          return std::nullopt;
        }
        allocations[resource_id] = *wildcard_allocation;
      }
    }

    RAY_CHECK(wildcard_resource_id != nullptr);
    // Ray dereferences the optional unchecked (undefined when only wildcard resources
    // were demanded); here an empty optional fails the same check.
    RAY_CHECK_WITH_DISPLAY(wildcard_allocation.has_value() && !wildcard_allocation->empty(),
                           "!(*wildcard_allocation).empty()");
    AllocateWithReference(*wildcard_allocation, *wildcard_resource_id);
    allocations[*wildcard_resource_id] = std::move(*wildcard_allocation);
  }

  return allocations;
}

std::optional<std::vector<FixedPoint>> NodeResourceInstanceSet::TryAllocate(
    ResourceID resource_id, FixedPoint demand) {
  std::vector<FixedPoint> available = Get(resource_id);
  if (available.empty()) {
    return std::nullopt;
  }
  std::vector<FixedPoint> allocation(available.size());

  if (available.size() == 1) {
    if (available[0] < demand) {
      return std::nullopt;
    }
    available[0] -= demand;
    allocation[0] = demand;
    Set(resource_id, std::move(available));
    return allocation;
  }

  // Several instances, each of capacity 1: whole free instances first.
  FixedPoint remaining = demand;
  const FixedPoint one(1);
  for (size_t i = 0; i < available.size() && remaining >= one; ++i) {
    if (available[i] == one) {
      allocation[i] = one;
      available[i] = 0;
      remaining -= one;
    }
  }
  if (remaining >= one) {
    return std::nullopt;
  }

  // Then the fraction left, on the instance it fits most tightly.
  if (remaining > FixedPoint(0)) {
    std::optional<size_t> best;
    for (size_t i = 0; i < available.size(); ++i) {
      if (available[i] >= remaining &&
          (!best || available[i] < available[*best])) {
        best = i;
      }
    }
    if (!best) {
      return std::nullopt;
    }
    allocation[*best] = remaining;
    available[*best] -= remaining;
  }

  Set(resource_id, std::move(available));
  return allocation;
}

void NodeResourceInstanceSet::AllocateWithReference(
    const std::vector<FixedPoint> &ref_allocation, ResourceID resource_id) {
  std::vector<FixedPoint> available = Get(resource_id);
  RAY_CHECK(!available.empty());
  RAY_CHECK_EQ(available.size(), ref_allocation.size());

  for (size_t i = 0; i < ref_allocation.size(); ++i) {
    // Only CPU may go negative: a worker blocked in ray.get() lends its CPU back.
    if (available[i] < ref_allocation[i]) {
      RAY_CHECK(IsCPUOrPlacementGroupCPUResource(resource_id))
          << "Resource " << resource_id.Binary()
          << " has less availability than requested. Available: "
          << FixedPointVectorToString(available)
          << ", requested: " << FixedPointVectorToString(ref_allocation);
    }
    available[i] -= ref_allocation[i];
  }
  Set(resource_id, std::move(available));
}

void NodeResourceInstanceSet::Free(ResourceID resource_id,
                                   const std::vector<FixedPoint> &allocation) {
  std::vector<FixedPoint> available = Get(resource_id);
  RAY_CHECK_EQ(allocation.size(), available.size());
  for (size_t i = 0; i < available.size(); ++i) {
    available[i] += allocation[i];
  }
  Set(resource_id, std::move(available));
}

void NodeResourceInstanceSet::Add(ResourceID resource_id,
                                  const std::vector<FixedPoint> &instances) {
  RAY_CHECK(!resource_id.IsImplicitResource());

  auto it = resources_.find(resource_id);
  if (it == resources_.end()) {
    Set(resource_id, instances);
    return;
  }
  std::vector<FixedPoint> &current = it->second;
  if (current.size() < instances.size()) {
    current.resize(instances.size());
  }
  for (size_t i = 0; i < instances.size(); ++i) {
    current[i] += instances[i];
  }
}

std::vector<FixedPoint> NodeResourceInstanceSet::Subtract(
    ResourceID resource_id,
    const std::vector<FixedPoint> &instances,
    bool allow_going_negative) {
  std::vector<FixedPoint> available = Get(resource_id);
  RAY_CHECK_EQ(available.size(), instances.size());

  std::vector<FixedPoint> underflow(available.size(), FixedPoint(0.));
  for (size_t i = 0; i < available.size(); ++i) {
    if (allow_going_negative) {
      available[i] -= instances[i];
    } else if (available[i] < FixedPoint(0)) {
      // Already negative: left alone, the whole amount is the underflow.
      underflow[i] = instances[i];
    } else {
      available[i] -= instances[i];
      if (available[i] < FixedPoint(0)) {
        underflow[i] = -available[i];
        available[i] = 0;
      }
    }
  }
  Set(resource_id, std::move(available));
  return underflow;
}

std::string NodeResourceInstanceSet::DebugString() const {
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

NodeResourceSet NodeResourceInstanceSet::ToNodeResourceSet() const {
  NodeResourceSet result;
  for (const auto &[id, instances] : resources_) {
    result.Set(id, FixedPoint::Sum(instances));
  }
  return result;
}

}  // namespace ray
