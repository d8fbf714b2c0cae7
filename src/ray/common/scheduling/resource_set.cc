#include "ray/common/scheduling/resource_set.h"

#include <set>
#include <sstream>
#include <string>
#include <unordered_map>

namespace ray {

namespace {

// Adds `delta` to the quantity of `id` in `resources`, dropping it if the result is 0.
void AddQuantity(absl::flat_hash_map<ResourceID, FixedPoint> &resources,
                 ResourceID id,
                 FixedPoint delta) {
  auto [it, inserted] = resources.try_emplace(id, delta);
  if (!inserted) {
    it->second += delta;
    if (it->second == 0) {
      resources.erase(it);
    }
  }
}

template <typename Map>
void FillNameMap(const absl::flat_hash_map<ResourceID, FixedPoint> &resources,
                 Map &result) {
  for (const auto &[id, quantity] : resources) {
    result[id.Binary()] = quantity.Double();
  }
}

}  // namespace

ResourceSet::ResourceSet(
    const absl::flat_hash_map<std::string, FixedPoint> &resource_map) {
  for (const auto &[name, quantity] : resource_map) {
    Set(ResourceID(name), quantity);
  }
}

ResourceSet::ResourceSet(const absl::flat_hash_map<std::string, double> &resource_map) {
  for (const auto &[name, quantity] : resource_map) {
    Set(ResourceID(name), FixedPoint(quantity));
  }
}

ResourceSet::ResourceSet(
    const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map) {
  for (const auto &[id, quantity] : resource_map) {
    Set(id, quantity);
  }
}

ResourceSet::ResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map) {
  for (const auto &[id, quantity] : resource_map) {
    Set(id, FixedPoint(quantity));
  }
}

bool ResourceSet::operator==(const ResourceSet &other) const {
  return resources_ == other.resources_;
}

ResourceSet ResourceSet::operator+(const ResourceSet &other) const {
  ResourceSet result = *this;
  result += other;
  return result;
}

ResourceSet ResourceSet::operator-(const ResourceSet &other) const {
  ResourceSet result = *this;
  result -= other;
  return result;
}

ResourceSet &ResourceSet::operator+=(const ResourceSet &other) {
  for (const auto &[id, quantity] : other.resources_) {
    AddQuantity(resources_, id, quantity);
  }
  return *this;
}

ResourceSet &ResourceSet::operator-=(const ResourceSet &other) {
  for (const auto &[id, quantity] : other.resources_) {
    AddQuantity(resources_, id, -quantity);
  }
  return *this;
}

bool ResourceSet::operator<=(const ResourceSet &other) const {
  for (const auto &[id, quantity] : resources_) {
    if (quantity > other.Get(id)) {
      return false;
    }
  }
  // Resources only in `other` compare against 0 here.
  for (const auto &[id, quantity] : other.resources_) {
    if (!resources_.contains(id) && quantity < 0) {
      return false;
    }
  }
  return true;
}

bool ResourceSet::IsEmpty() const { return resources_.empty(); }

FixedPoint ResourceSet::Get(ResourceID resource_id) const {
  auto it = resources_.find(resource_id);
  return it == resources_.end() ? FixedPoint(0) : it->second;
}

ResourceSet &ResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  if (value == 0) {
    resources_.erase(resource_id);
  } else {
    resources_.insert_or_assign(resource_id, value);
  }
  return *this;
}

const std::string ResourceSet::DebugString() const {
  std::ostringstream out;
  out << "{";
  const char *separator = "";
  for (const auto &[id, quantity] : resources_) {
    out << separator << id.Binary() << ": " << quantity.Double();
    separator = ", ";
  }
  out << "}";
  return out.str();
}

absl::flat_hash_map<std::string, double> ResourceSet::GetResourceMap() const {
  absl::flat_hash_map<std::string, double> result;
  FillNameMap(resources_, result);
  return result;
}

std::unordered_map<std::string, double> ResourceSet::GetResourceUnorderedMap() const {
  std::unordered_map<std::string, double> result;
  FillNameMap(resources_, result);
  return result;
}

NodeResourceSet::NodeResourceSet(
    const absl::flat_hash_map<std::string, double> &resource_map) {
  for (const auto &[name, quantity] : resource_map) {
    Set(ResourceID(name), FixedPoint(quantity));
  }
}

NodeResourceSet::NodeResourceSet(
    const absl::flat_hash_map<ResourceID, double> &resource_map) {
  for (const auto &[id, quantity] : resource_map) {
    Set(id, FixedPoint(quantity));
  }
}

NodeResourceSet::NodeResourceSet(
    const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map) {
  for (const auto &[id, quantity] : resource_map) {
    Set(id, quantity);
  }
}

NodeResourceSet &NodeResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  if (value == ResourceDefaultValue(resource_id)) {
    resources_.erase(resource_id);
  } else {
    resources_.insert_or_assign(resource_id, value);
  }
  return *this;
}

FixedPoint NodeResourceSet::Get(ResourceID resource_id) const {
  auto it = resources_.find(resource_id);
  return it == resources_.end() ? ResourceDefaultValue(resource_id) : it->second;
}

bool NodeResourceSet::Has(ResourceID resource_id) const { return Get(resource_id) != 0; }

NodeResourceSet &NodeResourceSet::operator-=(const ResourceSet &other) {
  for (const auto &[id, quantity] : other.Resources()) {
    Set(id, Get(id) - quantity);
  }
  return *this;
}

bool NodeResourceSet::operator>=(const ResourceSet &other) const {
  for (const auto &[id, quantity] : other.Resources()) {
    if (Get(id) < quantity) {
      return false;
    }
  }
  return true;
}

bool NodeResourceSet::operator==(const NodeResourceSet &other) const {
  return resources_ == other.resources_;
}

void NodeResourceSet::RemoveNegative() {
  absl::erase_if(resources_, [](const auto &entry) { return entry.second < 0; });
}

absl::flat_hash_map<std::string, double> NodeResourceSet::GetResourceMap() const {
  absl::flat_hash_map<std::string, double> result;
  FillNameMap(resources_, result);
  return result;
}

std::set<ResourceID> NodeResourceSet::ExplicitResourceIds() const {
  std::set<ResourceID> result;
  for (const auto &entry : resources_) {
    if (!entry.first.IsImplicitResource()) {
      result.insert(entry.first);
    }
  }
  return result;
}

std::string NodeResourceSet::DebugString() const {
  std::ostringstream out;
  out << "{";
  const char *separator = "";
  for (const auto &[id, quantity] : resources_) {
    out << separator << id.Binary() << ": " << quantity;
    separator = ", ";
  }
  out << "}";
  return out.str();
}

FixedPoint NodeResourceSet::ResourceDefaultValue(ResourceID resource_id) const {
  return resource_id.IsImplicitResource() ? FixedPoint(1) : FixedPoint(0);
}

}  // namespace ray
