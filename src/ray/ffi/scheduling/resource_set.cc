#include "ray/common/scheduling/resource_set.h"

#include <string>
#include <utility>
#include <vector>

#include "scheduling/bridge_util.h"

namespace ray {

namespace bridge = ::ray::rust::scheduling;
using scheduling_bridge::FromRaw;
using scheduling_bridge::ToRaw;

namespace {

template <typename Key, typename Value>
std::vector<bridge::Entry> ToEntries(const absl::flat_hash_map<Key, Value> &map) {
  std::vector<bridge::Entry> entries;
  entries.reserve(map.size());
  for (const auto &[key, value] : map) {
    int64_t id;
    if constexpr (std::is_same_v<Key, std::string>) {
      id = ResourceID(key).ToInt();
    } else {
      id = key.ToInt();
    }
    entries.push_back(bridge::Entry{id, ToRaw(FixedPoint(value))});
  }
  return entries;
}

::rust::Slice<const bridge::Entry> Slice(const std::vector<bridge::Entry> &entries) {
  if (entries.empty()) {
    return {};
  }
  return {entries.data(), entries.size()};
}

template <typename Map>
Map NamesToDoubles(::rust::Slice<const bridge::Entry> entries) {
  Map map;
  map.reserve(entries.size());
  for (const auto &entry : entries) {
    map.emplace(ResourceID(entry.id).Binary(), FromRaw(entry.value).Double());
  }
  return map;
}

}  // namespace

// ---- ResourceSet ----

ResourceSet::ResourceSet(const absl::flat_hash_map<std::string, FixedPoint> &resource_map)
    : ResourceSet(bridge::set_from_entries(Slice(ToEntries(resource_map)))) {}

ResourceSet::ResourceSet(const absl::flat_hash_map<std::string, double> &resource_map)
    : ResourceSet(bridge::set_from_entries(Slice(ToEntries(resource_map)))) {}

ResourceSet::ResourceSet(const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map)
    : ResourceSet(bridge::set_from_entries(Slice(ToEntries(resource_map)))) {}

ResourceSet::ResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map)
    : ResourceSet(bridge::set_from_entries(Slice(ToEntries(resource_map)))) {}

ResourceSet::ResourceSet(const ResourceSet &other)
    : set_(other.set_ == nullptr ? nullptr : bridge::set_clone(*other.set_).into_raw()) {}

ResourceSet &ResourceSet::operator=(const ResourceSet &other) {
  if (this != &other) {
    ResourceSet copy(other);
    std::swap(set_, copy.set_);
  }
  return *this;
}

ResourceSet &ResourceSet::operator=(ResourceSet &&other) noexcept {
  std::swap(set_, other.set_);
  return *this;
}

ResourceSet::~ResourceSet() {
  if (set_ != nullptr) {
    (void)::rust::Box<bridge::ResourceSet>::from_raw(set_);
  }
}

const bridge::ResourceSet &ResourceSet::Impl() const {
  static const bridge::ResourceSet &empty = bridge::set_empty();
  return set_ == nullptr ? empty : *set_;
}

bridge::ResourceSet &ResourceSet::Mut() {
  if (set_ == nullptr) {
    set_ = bridge::set_new().into_raw();
  }
  return *set_;
}

::rust::Slice<const bridge::Entry> ResourceSet::Entries() const {
  if (set_ == nullptr) {
    return {};
  }
  return bridge::entries_of_set(*set_);
}

bool ResourceSet::operator==(const ResourceSet &other) const {
  return bridge::set_eq(Impl(), other.Impl());
}

ResourceSet ResourceSet::operator+(const ResourceSet &other) const {
  return ResourceSet(bridge::set_add(Impl(), other.Impl()));
}

ResourceSet ResourceSet::operator-(const ResourceSet &other) const {
  return ResourceSet(bridge::set_sub(Impl(), other.Impl()));
}

ResourceSet &ResourceSet::operator+=(const ResourceSet &other) {
  if (other.set_ != nullptr) {
    bridge::set_add_assign(Mut(), *other.set_);
  }
  return *this;
}

ResourceSet &ResourceSet::operator-=(const ResourceSet &other) {
  if (other.set_ != nullptr) {
    bridge::set_sub_assign(Mut(), *other.set_);
  }
  return *this;
}

bool ResourceSet::operator<=(const ResourceSet &other) const {
  return bridge::set_is_subset_of(Impl(), other.Impl());
}

FixedPoint ResourceSet::Get(ResourceID resource_id) const {
  return set_ == nullptr ? FixedPoint() : FromRaw(bridge::set_get(*set_, resource_id.ToInt()));
}

ResourceSet &ResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  if (set_ == nullptr && value == FixedPoint()) {
    return *this;  // removing from the empty set
  }
  bridge::set_set(Mut(), resource_id.ToInt(), ToRaw(value));
  return *this;
}

bool ResourceSet::Has(ResourceID resource_id) const {
  return set_ != nullptr && bridge::set_has(*set_, resource_id.ToInt());
}

size_t ResourceSet::Size() const { return set_ == nullptr ? 0 : bridge::set_len(*set_); }

void ResourceSet::Clear() {
  if (set_ != nullptr) {
    bridge::set_clear(*set_);
  }
}

const absl::flat_hash_map<ResourceID, FixedPoint> &ResourceSet::Resources() const {
  if (resources_view_ == nullptr) {
    resources_view_ = std::make_unique<absl::flat_hash_map<ResourceID, FixedPoint>>();
  }
  resources_view_->clear();
  for (const auto &entry : Entries()) {
    resources_view_->emplace(ResourceID(entry.id), FromRaw(entry.value));
  }
  return *resources_view_;
}

absl::flat_hash_map<std::string, double> ResourceSet::GetResourceMap() const {
  return NamesToDoubles<absl::flat_hash_map<std::string, double>>(Entries());
}

std::unordered_map<std::string, double> ResourceSet::GetResourceUnorderedMap() const {
  return NamesToDoubles<std::unordered_map<std::string, double>>(Entries());
}

const std::string ResourceSet::DebugString() const {
  std::string out;
  bridge::set_debug_string(Impl(), out);
  return out;
}

// ---- NodeResourceSet ----

NodeResourceSet::NodeResourceSet(const absl::flat_hash_map<std::string, double> &resource_map)
    : NodeResourceSet(bridge::node_set_from_entries(Slice(ToEntries(resource_map)))) {}

NodeResourceSet::NodeResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map)
    : NodeResourceSet(bridge::node_set_from_entries(Slice(ToEntries(resource_map)))) {}

NodeResourceSet::NodeResourceSet(
    const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map)
    : NodeResourceSet(bridge::node_set_from_entries(Slice(ToEntries(resource_map)))) {}

NodeResourceSet::NodeResourceSet(const NodeResourceSet &other)
    : set_(other.set_ == nullptr ? nullptr : bridge::node_set_clone(*other.set_).into_raw()) {}

NodeResourceSet &NodeResourceSet::operator=(const NodeResourceSet &other) {
  if (this != &other) {
    NodeResourceSet copy(other);
    std::swap(set_, copy.set_);
  }
  return *this;
}

NodeResourceSet &NodeResourceSet::operator=(NodeResourceSet &&other) noexcept {
  std::swap(set_, other.set_);
  return *this;
}

NodeResourceSet::~NodeResourceSet() {
  if (set_ != nullptr) {
    (void)::rust::Box<bridge::NodeResourceSet>::from_raw(set_);
  }
}

const bridge::NodeResourceSet &NodeResourceSet::Impl() const {
  static const bridge::NodeResourceSet &empty = bridge::node_set_empty();
  return set_ == nullptr ? empty : *set_;
}

bridge::NodeResourceSet &NodeResourceSet::Mut() {
  if (set_ == nullptr) {
    set_ = bridge::node_set_new().into_raw();
  }
  return *set_;
}

NodeResourceSet &NodeResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  bridge::node_set_set(Mut(), resource_id.ToInt(), ToRaw(value));
  return *this;
}

FixedPoint NodeResourceSet::Get(ResourceID resource_id) const {
  return FromRaw(bridge::node_set_get(Impl(), resource_id.ToInt()));
}

bool NodeResourceSet::Has(ResourceID resource_id) const {
  return bridge::node_set_has(Impl(), resource_id.ToInt());
}

NodeResourceSet &NodeResourceSet::operator-=(const ResourceSet &other) {
  bridge::node_set_sub_assign(Mut(), other.Impl());
  return *this;
}

bool NodeResourceSet::operator>=(const ResourceSet &other) const {
  return bridge::node_set_is_superset_of(Impl(), other.Impl());
}

bool NodeResourceSet::operator==(const NodeResourceSet &other) const {
  return bridge::node_set_eq(Impl(), other.Impl());
}

void NodeResourceSet::RemoveNegative() {
  if (set_ != nullptr) {
    bridge::node_set_remove_negative(*set_);
  }
}

absl::flat_hash_map<std::string, double> NodeResourceSet::GetResourceMap() const {
  return NamesToDoubles<absl::flat_hash_map<std::string, double>>(
      bridge::entries_of_node_set(Impl()));
}

std::set<ResourceID> NodeResourceSet::ExplicitResourceIds() const {
  ::rust::Vec<int64_t> ids;
  bridge::node_set_explicit_ids(Impl(), ids);
  std::set<ResourceID> out;
  for (int64_t id : ids) {
    out.insert(out.end(), ResourceID(id));
  }
  return out;
}

std::string NodeResourceSet::DebugString() const {
  std::string out;
  bridge::node_set_debug_string(Impl(), out);
  return out;
}

}  // namespace ray
