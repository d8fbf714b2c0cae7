// Interned scheduling IDs.
//
// Node and resource names are interned in a process-wide StringIdMap, so that a
// scheduling ID is one int64_t: cheap to copy, hash and compare. Resource names
// share one map pre-populated with the predefined resources (CPU, memory, GPU,
// object store memory), whose IDs are their PredefinedResourcesEnum values.

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/synchronization/mutex.h"
#include "ray/common/constants.h"

namespace ray {

/// The predefined resources; each value is the resource's ID.
enum PredefinedResourcesEnum {
  CPU,
  MEM,
  GPU,
  OBJECT_STORE_MEM,
  PredefinedResourcesEnum_MAX
};

inline constexpr char kCPU_ResourceLabel[] = "CPU";
inline constexpr char kGPU_ResourceLabel[] = "GPU";
inline constexpr char kObjectStoreMemory_ResourceLabel[] = "object_store_memory";
inline constexpr char kMemory_ResourceLabel[] = "memory";
inline constexpr char kBundle_ResourceLabel[] = "bundle";

/// A thread-safe, two-way map between strings and the integers they are interned as.
/// IDs are never removed: an ID still held somewhere would otherwise change meaning.
class StringIdMap {
 public:
  StringIdMap() {}
  ~StringIdMap() = default;

  /// The integer of an interned string, or -1 if it was never inserted.
  int64_t Get(const std::string &string_id) const;

  /// The string interned as `id`, or "-1" if there is none.
  std::string Get(uint64_t id) const;

  /// Interns `string_id` and returns its integer; an already interned string keeps its
  /// integer. The integer is the string's std::hash, probed with the hash of the string
  /// followed by 0, 1, 2, ... while the candidate is taken. A non-zero `num_ids` takes
  /// every candidate modulo `num_ids`, to provoke collisions in tests.
  int64_t Insert(const std::string &string_id, uint8_t num_ids = 0);

  /// Interns `string_id` as `id`; aborts the process if either is already present.
  StringIdMap &InsertOrDie(const std::string &string_id, int64_t id);

  /// The number of interned strings.
  int64_t Count();

 private:
  absl::flat_hash_map<std::string, int64_t> string_to_int_ ABSL_GUARDED_BY(mutex_);
  absl::flat_hash_map<int64_t, std::string> int_to_string_ ABSL_GUARDED_BY(mutex_);
  const std::hash<std::string> hasher_{};
  mutable absl::Mutex mutex_;
};

enum class SchedulingIDTag { Node, Resource };

/// A scheduling ID: the interned integer of a name in the map of its tag. Interning
/// goes through the map's mutex; the ID object itself is a plain value.
template <SchedulingIDTag T>
class BaseSchedulingID {
 public:
  explicit BaseSchedulingID() = default;

  explicit BaseSchedulingID(const std::string &name) : id_{GetMap().Insert(name)} {}

  explicit BaseSchedulingID(int64_t id) : id_{id} {}

  int64_t ToInt() const { return id_; }

  /// The interned name, or "-1" for an integer that names nothing (e.g. Nil()).
  std::string Binary() const { return GetMap().Get(id_); }

  bool operator==(const BaseSchedulingID &rhs) const { return id_ == rhs.id_; }

  bool operator!=(const BaseSchedulingID &rhs) const { return id_ != rhs.id_; }

  bool operator<(const BaseSchedulingID &rhs) const { return id_ < rhs.id_; }

  bool IsNil() const { return id_ == -1; }

  static BaseSchedulingID Nil() { return BaseSchedulingID(-1); }

 protected:
  /// The process-wide map of this tag, created on first use.
  static StringIdMap &GetMap() {
    static StringIdMap map;
    return map;
  }

  int64_t id_ = -1;
};

/// Resource names share one map in which the predefined resources are interned first,
/// under their enum values. It is never destroyed, so IDs stay resolvable during exit.
template <>
inline StringIdMap &BaseSchedulingID<SchedulingIDTag::Resource>::GetMap() {
  static StringIdMap *const map = [] {
    auto *resources = new StringIdMap();
    resources->InsertOrDie(kCPU_ResourceLabel, CPU)
        .InsertOrDie(kGPU_ResourceLabel, GPU)
        .InsertOrDie(kObjectStoreMemory_ResourceLabel, OBJECT_STORE_MEM)
        .InsertOrDie(kMemory_ResourceLabel, MEM);
    return resources;
  }();
  return *map;
}

/// Node IDs stream as their integer.
template <ray::SchedulingIDTag T>
std::ostream &operator<<(std::ostream &os, const ray::BaseSchedulingID<T> &id) {
  os << id.ToInt();
  return os;
}

/// Resource IDs stream as their name.
template <>
inline std::ostream &operator<<(
    std::ostream &os, const ray::BaseSchedulingID<SchedulingIDTag::Resource> &id) {
  os << id.Binary();
  return os;
}

namespace scheduling {

using NodeID = BaseSchedulingID<SchedulingIDTag::Node>;

class ResourceID : public BaseSchedulingID<SchedulingIDTag::Resource> {
 public:
  explicit ResourceID(const std::string &name) : BaseSchedulingID(name) {}
  explicit ResourceID(int64_t id) : BaseSchedulingID(id) {}

  /// Whether each instance of this resource has a capacity of 1 (GPUs, TPUs, ...), as
  /// configured by RayConfig's predefined_unit_instance_resources and
  /// custom_unit_instance_resources (read once, on the first call).
  bool IsUnitInstanceResource() const { return UnitInstanceResources().contains(id_); }

  bool IsPredefinedResource() const {
    return id_ >= 0 && id_ < PredefinedResourcesEnum_MAX;
  }

  /// Whether the name starts with kImplicitResourcePrefix (never a predefined one).
  bool IsImplicitResource() const {
    return !IsPredefinedResource() && absl::StartsWith(Binary(), kImplicitResourcePrefix);
  }

  static ResourceID CPU() { return ResourceID(PredefinedResourcesEnum::CPU); }

  static ResourceID Memory() { return ResourceID(PredefinedResourcesEnum::MEM); }

  static ResourceID GPU() { return ResourceID(PredefinedResourcesEnum::GPU); }

  static ResourceID ObjectStoreMemory() {
    return ResourceID(PredefinedResourcesEnum::OBJECT_STORE_MEM);
  }

  /// Defined by tests that replace the set of unit-instance resources.
  friend void SetUnitInstanceResourceIds(absl::flat_hash_set<ResourceID> ids);

 private:
  /// The IDs of the unit-instance resources, built from RayConfig on first use.
  static absl::flat_hash_set<int64_t> &UnitInstanceResources();
};

}  // namespace scheduling
}  // namespace ray

namespace std {

template <ray::SchedulingIDTag T>
struct hash<ray::BaseSchedulingID<T>> {
  std::size_t operator()(const ray::BaseSchedulingID<T> &id) const {
    return std::hash<int64_t>()(id.ToInt());
  }
};

template <>
struct hash<ray::scheduling::ResourceID> {
  std::size_t operator()(const ray::scheduling::ResourceID &id) const {
    return std::hash<int64_t>()(id.ToInt());
  }
};

}  // namespace std
