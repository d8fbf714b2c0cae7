#include "ray/common/scheduling/resource_set.h"

#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "scheduling/bridge_util.h"

namespace ray {

namespace bridge = ::ray::rust::scheduling;
using scheduling_bridge::FromRaw;
using scheduling_bridge::ToRaw;

namespace {

// Sets of up to this many resources cross without a temporary heap buffer.
using Entries = absl::InlinedVector<bridge::Entry, 16>;

template <typename Key, typename Value>
Entries ToEntries(const absl::flat_hash_map<Key, Value> &map) {
  Entries entries;
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

::rust::Slice<const bridge::Entry> Slice(const Entries &entries) {
  if (entries.empty()) {
    return {};
  }
  return {entries.data(), entries.size()};
}

template <typename Map>
Map NamesToDoubles(const bridge::Entry *entries, size_t size) {
  Map map;
  map.reserve(size);
  for (const auto &entry : absl::MakeConstSpan(entries, size)) {
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

ResourceSet::ResourceSet(::rust::Box<bridge::ResourceSet> set) : set_(set.into_raw()) {
  Changed();
}

ResourceSet::ResourceSet(const ResourceSet &other) {
  if (other.set_ != nullptr) {
    set_ = bridge::set_clone(*other.set_).into_raw();
    Changed();
  }
}

ResourceSet &ResourceSet::operator=(const ResourceSet &other) {
  if (this != &other) {
    ResourceSet copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void ResourceSet::Changed(bridge::EntriesView entries) {
  entries_ = reinterpret_cast<const bridge::Entry *>(entries.data);
  size_ = entries.len;
  resources_view_fresh_ = false;
}

void ResourceSet::Changed() {
  Changed(set_ == nullptr ? bridge::EntriesView{0, 0} : bridge::entries_of_set(*set_));
}

void ResourceSet::Destroy() { (void)::rust::Box<bridge::ResourceSet>::from_raw(set_); }

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
    Changed();
  }
  return *this;
}

ResourceSet &ResourceSet::operator-=(const ResourceSet &other) {
  if (other.set_ != nullptr) {
    bridge::set_sub_assign(Mut(), *other.set_);
    Changed();
  }
  return *this;
}

bool ResourceSet::operator<=(const ResourceSet &other) const {
  return bridge::set_is_subset_of(Impl(), other.Impl());
}

ResourceSet &ResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  if (set_ == nullptr && value == FixedPoint()) {
    return *this;  // removing from the empty set
  }
  Changed(bridge::set_set(Mut(), resource_id.ToInt(), ToRaw(value)));
  return *this;
}

void ResourceSet::Clear() {
  if (set_ != nullptr) {
    bridge::set_clear(*set_);
    Changed(bridge::EntriesView{0, 0});
  }
}

const absl::flat_hash_map<ResourceID, FixedPoint> &ResourceSet::Resources() const {
  if (resources_view_ == nullptr) {
    resources_view_ = std::make_unique<absl::flat_hash_map<ResourceID, FixedPoint>>();
  }
  if (!resources_view_fresh_) {
    resources_view_->clear();
    for (size_t i = 0; i < size_; ++i) {
      resources_view_->emplace(ResourceID(entries_[i].id), FromRaw(entries_[i].value));
    }
    resources_view_fresh_ = true;
  }
  return *resources_view_;
}

absl::flat_hash_map<std::string, double> ResourceSet::GetResourceMap() const {
  return NamesToDoubles<absl::flat_hash_map<std::string, double>>(entries_, size_);
}

std::unordered_map<std::string, double> ResourceSet::GetResourceUnorderedMap() const {
  return NamesToDoubles<std::unordered_map<std::string, double>>(entries_, size_);
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

NodeResourceSet::NodeResourceSet(::rust::Box<bridge::NodeResourceSet> set)
    : set_(set.into_raw()) {
  Changed();
}

NodeResourceSet::NodeResourceSet(const NodeResourceSet &other) {
  if (other.set_ != nullptr) {
    set_ = bridge::node_set_clone(*other.set_).into_raw();
    Changed();
  }
}

NodeResourceSet &NodeResourceSet::operator=(const NodeResourceSet &other) {
  if (this != &other) {
    NodeResourceSet copy(other);
    *this = std::move(copy);
  }
  return *this;
}

void NodeResourceSet::Changed(bridge::EntriesView entries) {
  entries_ = reinterpret_cast<const bridge::Entry *>(entries.data);
  size_ = entries.len;
}

void NodeResourceSet::Changed() {
  Changed(set_ == nullptr ? bridge::EntriesView{0, 0}
                          : bridge::entries_of_node_set(*set_));
}

void NodeResourceSet::Destroy() {
  (void)::rust::Box<bridge::NodeResourceSet>::from_raw(set_);
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
  Changed(bridge::node_set_set(Mut(), resource_id.ToInt(), ToRaw(value)));
  return *this;
}

NodeResourceSet &NodeResourceSet::operator-=(const ResourceSet &other) {
  if (other.set_ != nullptr) {
    bridge::node_set_sub_assign(Mut(), *other.set_);
    Changed();
  }
  return *this;
}

bool NodeResourceSet::operator>=(const ResourceSet &other) const {
  return bridge::node_set_is_superset_of(Impl(), other.Impl());
}

bool NodeResourceSet::operator==(const NodeResourceSet &other) const {
  return bridge::node_set_eq(Impl(), other.Impl());
}

void NodeResourceSet::RemoveNegative() {
  // Nothing to remove is the usual case: checked in place, without a call.
  bool any_negative = false;
  for (size_t i = 0; i < size_ && !any_negative; ++i) {
    any_negative = entries_[i].value < 0;
  }
  if (any_negative) {
    bridge::node_set_remove_negative(*set_);
    Changed();
  }
}

absl::flat_hash_map<std::string, double> NodeResourceSet::GetResourceMap() const {
  return NamesToDoubles<absl::flat_hash_map<std::string, double>>(entries_, size_);
}

std::set<ResourceID> NodeResourceSet::ExplicitResourceIds() const {
  // The entries are sorted by ID, as the std::set is: each goes in at the end.
  std::set<ResourceID> out;
  for (size_t i = 0; i < size_; ++i) {
    ResourceID id(entries_[i].id);
    if (!id.IsImplicitResource()) {
      out.insert(out.end(), id);
    }
  }
  return out;
}

std::string NodeResourceSet::DebugString() const {
  std::string out;
  bridge::node_set_debug_string(Impl(), out);
  return out;
}

}  // namespace ray
