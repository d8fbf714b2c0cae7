#include "ray/common/scheduling/resource_set.h"

#include <algorithm>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "absl/types/span.h"
#include "scheduling/bridge_util.h"

namespace ray {

namespace bridge = ::ray::rust::scheduling;
using scheduling_bridge::FromRaw;
using scheduling_bridge::ToRaw;

namespace {

/// The entries of a map, built where they cross: up to kInline of them on the stack.
class Entries {
 public:
  template <typename Key, typename Value>
  explicit Entries(const absl::flat_hash_map<Key, Value> &map) {
    // Raw bytes, not Entry[kInline]: cxx gives Entry's fields default values, and
    // value-initializing the array zeroed 256 bytes per construction.
    auto *out = reinterpret_cast<bridge::Entry *>(inline_);
    if (map.size() > kInline) {
      heap_.resize(map.size());
      out = heap_.data();
    }
    data_ = out;
    for (const auto &[key, value] : map) {
      int64_t id;
      if constexpr (std::is_same_v<Key, std::string>) {
        id = ResourceID(key).ToInt();
      } else {
        id = key.ToInt();
      }
      new (out++) bridge::Entry{id, ToRaw(FixedPoint(value))};
    }
    size_ = static_cast<size_t>(out - data_);
  }
  Entries(const Entries &) = delete;
  Entries &operator=(const Entries &) = delete;

  /// Places the set of the entries at `out` with one of the bridge's
  /// `*_from_entries_into`.
  template <typename RustSet>
  bridge::EntriesView Into(
      RustSet *out,
      bridge::EntriesView (*into)(const bridge::Entry *, size_t, RustSet *) noexcept) const {
    return into(data_, size_, out);
  }

 private:
  static constexpr size_t kInline = 16;
  alignas(bridge::Entry) unsigned char inline_[kInline * sizeof(bridge::Entry)];
  std::vector<bridge::Entry> heap_;
  const bridge::Entry *data_;
  size_t size_;
};

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

ResourceSet::ResourceSet(const absl::flat_hash_map<std::string, FixedPoint> &resource_map) {
  Changed(Entries(resource_map).Into(set_.slot(), &bridge::set_from_entries_into));
}

ResourceSet::ResourceSet(const absl::flat_hash_map<std::string, double> &resource_map) {
  Changed(Entries(resource_map).Into(set_.slot(), &bridge::set_from_entries_into));
}

ResourceSet::ResourceSet(const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map) {
  Changed(Entries(resource_map).Into(set_.slot(), &bridge::set_from_entries_into));
}

ResourceSet::ResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map) {
  Changed(Entries(resource_map).Into(set_.slot(), &bridge::set_from_entries_into));
}

ResourceSet::ResourceSet(const ResourceSet &other) {
  if (other.set_.live()) {
    Changed(bridge::set_clone_into(other.set_.get(), set_.slot()));
  }
}

ResourceSet &ResourceSet::operator=(const ResourceSet &other) {
  if (this != &other) {
    set_.Reset();
    resources_view_fresh_ = false;
    if (other.set_.live()) {
      Changed(bridge::set_clone_into(other.set_.get(), set_.slot()));
    }
  }
  return *this;
}

void ResourceSet::Changed(bridge::EntriesView entries) {
  set_.Placed(entries);
  resources_view_fresh_ = false;
}

const bridge::ResourceSet &ResourceSet::Impl() const {
  static const bridge::ResourceSet &empty = bridge::set_empty();
  return set_.live() ? set_.get() : empty;
}

bridge::ResourceSet &ResourceSet::Mut() {
  if (!set_.live()) {
    set_.Placed(bridge::set_init(set_.slot()));
  }
  return set_.get();
}

bool ResourceSet::operator==(const ResourceSet &other) const {
  return bridge::set_eq(Impl(), other.Impl());
}

ResourceSet ResourceSet::operator+(const ResourceSet &other) const {
  ResourceSet sum;
  sum.Changed(bridge::set_add_into(Impl(), other.Impl(), sum.set_.slot()));
  return sum;
}

ResourceSet ResourceSet::operator-(const ResourceSet &other) const {
  ResourceSet difference;
  difference.Changed(bridge::set_sub_into(Impl(), other.Impl(), difference.set_.slot()));
  return difference;
}

ResourceSet &ResourceSet::operator+=(const ResourceSet &other) {
  if (other.set_.live()) {
    Changed(bridge::set_add_assign(Mut(), other.set_.get()));
  }
  return *this;
}

ResourceSet &ResourceSet::operator-=(const ResourceSet &other) {
  if (other.set_.live()) {
    Changed(bridge::set_sub_assign(Mut(), other.set_.get()));
  }
  return *this;
}

bool ResourceSet::operator<=(const ResourceSet &other) const {
  return bridge::set_is_subset_of(Impl(), other.Impl());
}

ResourceSet &ResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  if (set_.live()) {
    Changed(bridge::set_set(set_.get(), resource_id.ToInt(), ToRaw(value)));
  } else if (value != FixedPoint()) {  // else: removing from the empty set
    Changed(bridge::set_init_with(set_.slot(), resource_id.ToInt(), ToRaw(value)));
  }
  return *this;
}

void ResourceSet::Clear() {
  if (set_.live()) {
    Changed(bridge::set_clear(set_.get()));
  }
}

const absl::flat_hash_map<ResourceID, FixedPoint> &ResourceSet::Resources() const {
  if (resources_view_ == nullptr) {
    resources_view_ = std::make_unique<absl::flat_hash_map<ResourceID, FixedPoint>>();
  }
  if (!resources_view_fresh_) {
    resources_view_->clear();
    for (const auto &entry : absl::MakeConstSpan(set_.entries(), set_.size())) {
      resources_view_->emplace(ResourceID(entry.id), FromRaw(entry.value));
    }
    resources_view_fresh_ = true;
  }
  return *resources_view_;
}

absl::flat_hash_map<std::string, double> ResourceSet::GetResourceMap() const {
  return NamesToDoubles<absl::flat_hash_map<std::string, double>>(set_.entries(), set_.size());
}

std::unordered_map<std::string, double> ResourceSet::GetResourceUnorderedMap() const {
  return NamesToDoubles<std::unordered_map<std::string, double>>(set_.entries(), set_.size());
}

const std::string ResourceSet::DebugString() const {
  std::string out;
  bridge::set_debug_string(Impl(), out);
  return out;
}

// ---- NodeResourceSet ----

NodeResourceSet::NodeResourceSet(const absl::flat_hash_map<std::string, double> &resource_map) {
  set_.Placed(Entries(resource_map).Into(set_.slot(), &bridge::node_set_from_entries_into));
}

NodeResourceSet::NodeResourceSet(const absl::flat_hash_map<ResourceID, double> &resource_map) {
  set_.Placed(Entries(resource_map).Into(set_.slot(), &bridge::node_set_from_entries_into));
}

NodeResourceSet::NodeResourceSet(
    const absl::flat_hash_map<ResourceID, FixedPoint> &resource_map) {
  set_.Placed(Entries(resource_map).Into(set_.slot(), &bridge::node_set_from_entries_into));
}

NodeResourceSet::NodeResourceSet(const NodeResourceSet &other) {
  if (other.set_.live()) {
    set_.Placed(bridge::node_set_clone_into(other.set_.get(), set_.slot()));
  }
}

NodeResourceSet &NodeResourceSet::operator=(const NodeResourceSet &other) {
  if (this != &other) {
    set_.Reset();
    if (other.set_.live()) {
      set_.Placed(bridge::node_set_clone_into(other.set_.get(), set_.slot()));
    }
  }
  return *this;
}

const bridge::NodeResourceSet &NodeResourceSet::Impl() const {
  static const bridge::NodeResourceSet &empty = bridge::node_set_empty();
  return set_.live() ? set_.get() : empty;
}

bridge::NodeResourceSet &NodeResourceSet::Mut() {
  if (!set_.live()) {
    set_.Placed(bridge::node_set_init(set_.slot()));
  }
  return set_.get();
}

NodeResourceSet &NodeResourceSet::Set(ResourceID resource_id, FixedPoint value) {
  if (set_.live()) {
    set_.View(bridge::node_set_set(set_.get(), resource_id.ToInt(), ToRaw(value)));
  } else {
    set_.Placed(bridge::node_set_init_with(set_.slot(), resource_id.ToInt(), ToRaw(value)));
  }
  return *this;
}

NodeResourceSet &NodeResourceSet::operator-=(const ResourceSet &other) {
  if (other.set_.live()) {
    set_.View(bridge::node_set_sub_assign(Mut(), other.set_.get()));
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
  const auto entries = absl::MakeConstSpan(set_.entries(), set_.size());
  if (std::any_of(entries.begin(), entries.end(), [](const bridge::Entry &entry) {
        return entry.value < 0;
      })) {
    set_.View(bridge::node_set_remove_negative(set_.get()));
  }
}

absl::flat_hash_map<std::string, double> NodeResourceSet::GetResourceMap() const {
  return NamesToDoubles<absl::flat_hash_map<std::string, double>>(set_.entries(), set_.size());
}

std::set<ResourceID> NodeResourceSet::ExplicitResourceIds() const {
  // The entries are sorted by ID, as the std::set is: each goes in at the end.
  std::set<ResourceID> out;
  for (const auto &entry : absl::MakeConstSpan(set_.entries(), set_.size())) {
    ResourceID id(entry.id);
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
