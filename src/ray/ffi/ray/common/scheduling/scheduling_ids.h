// Drop-in for Ray's scheduling_ids.h whose interning tables live in Rust
// (ray_scheduling::StringIdMap, through //src/ray/rust/ray-ffi:scheduling_bridge).
//
// A scheduling ID is one int64_t in both implementations; only the name tables and the
// questions that need a name (Binary, IsImplicitResource) cross the bridge. The set of
// unit-instance resources stays a C++ absl set, as in Ray (whose tests edit it in place);
// it is built by Rust from RayConfig's two strings, and Rust asks it back through
// ray/ffi/scheduling_host.h.

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
#include "ray/ffi/scheduling_bridge.rs.h"

namespace ray {

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

enum class SchedulingIDTag { Node, Resource };

template <SchedulingIDTag T>
class BaseSchedulingID;

/// Maps strings to unique integers and back. Thread-safe.
class StringIdMap {
 public:
  StringIdMap();
  ~StringIdMap();
  StringIdMap(const StringIdMap &) = delete;
  StringIdMap &operator=(const StringIdMap &) = delete;

  /// The integer of an interned string, or -1 if it was never inserted.
  int64_t Get(const std::string &string_id) const;

  /// The string interned as `id`, or "-1" if there is none.
  std::string Get(uint64_t id) const;

  /// Interns `string_id` (see the reference header for the probing rule); a non-zero
  /// `num_ids` takes every candidate modulo `num_ids`.
  int64_t Insert(const std::string &string_id, uint8_t num_ids = 0);

  /// Interns `string_id` as `id`; aborts the process if either is already present.
  StringIdMap &InsertOrDie(const std::string &string_id, int64_t id);

  /// The number of interned strings.
  int64_t Count();

 private:
  template <SchedulingIDTag T>
  friend class BaseSchedulingID;

  /// A view of one of Rust's process-wide maps.
  explicit StringIdMap(const ::ray::rust::scheduling::StringIdMap &process_wide)
      : map_(&process_wide), owned_(false) {}

  const ::ray::rust::scheduling::StringIdMap *map_;
  bool owned_;
};

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
  /// The process-wide map of this tag (Rust's; resources come pre-populated).
  static StringIdMap &GetMap() {
    static StringIdMap map(T == SchedulingIDTag::Resource
                               ? ::ray::rust::scheduling::resource_id_map()
                               : ::ray::rust::scheduling::node_id_map());
    return map;
  }

  int64_t id_ = -1;
};

template <ray::SchedulingIDTag T>
std::ostream &operator<<(std::ostream &os, const ray::BaseSchedulingID<T> &id) {
  os << id.ToInt();
  return os;
}

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
    return !IsPredefinedResource() && ::ray::rust::scheduling::resource_id_is_implicit(id_);
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
